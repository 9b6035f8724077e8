"""The in-memory tail of the event log is bounded in bytes, and never opens a gap.

Live desktops read recent frames from memory. Counted only in frames, that
tail held 40,000 of them whatever they weighed (about 2.4 GB of 60 KB events);
bounded in bytes, it drops its oldest frames and readers behind them are
answered from the database, in order, with nothing skipped.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from collections.abc import Callable

import pytest
from relay_support import (
    Harness,
    messages_payload,
    read_backlog,
    run,
    sqlite_only,
    text_message,
)

from relay.config import ConfigError, Settings
from relay.db import create_schema, make_engine
from relay.eventlog import EventLog, wire_payload
from relay.webhook import NewEvent

BUDGET = 1024 * 1024
EVENT_TEXT = 20_000


def _events(first: int, count: int) -> list[NewEvent]:
    return [
        NewEvent(
            f"message:wamid.big.{n}",
            "message",
            {"kind": "message", "data": {"id": f"wamid.big.{n}", "text": "x" * EVENT_TEXT}},
        )
        for n in range(first, first + count)
    ]


def _ids(rows: list[tuple[int, bytes]]) -> list[str]:
    return [json.loads(wire_payload(frame))["event"]["data"]["id"] for _, frame in rows]


def test_a_reader_left_behind_the_byte_bounded_tail_gets_every_event_in_order(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    create_schema(engine)

    async def body() -> tuple[list[int], list[str], int]:
        log = EventLog(engine, cache_bytes=BUDGET)
        await log.start()
        try:
            cursor, seqs, ids, most = 0, [], [], 0
            for batch in range(60):
                await log.append(_events(batch * 5, 5))
                most = max(most, log.cache.bytes)
                # A slow desktop: three frames per commit of five, so the
                # tail's floor passes its cursor and it must go to the database.
                rows = await log.read_after(cursor, 3)
                cursor = rows[-1][0]
                seqs += [seq for seq, _ in rows]
                ids += _ids(rows)
            while rows := await log.read_after(cursor, 500):
                cursor = rows[-1][0]
                seqs += [seq for seq, _ in rows]
                ids += _ids(rows)
            return seqs, ids, most
        finally:
            await log.stop()

    try:
        seqs, ids, most = run(body())
    finally:
        engine.dispose()
    assert ids == [f"wamid.big.{n}" for n in range(300)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 300
    assert 0 < most <= BUDGET


@sqlite_only
def test_appending_far_past_the_budget_holds_about_the_budget_in_memory(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    create_schema(engine)

    async def body() -> tuple[int, int, list[tuple[int, bytes]]]:
        log = EventLog(engine, cache_bytes=BUDGET)
        await log.start()
        try:
            gc.collect()
            tracemalloc.start()
            before = tracemalloc.get_traced_memory()[0]
            for batch in range(120):  # 12 MB of events
                await log.append(_events(batch * 5, 5))
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - before
            tracemalloc.stop()
            # Below the tail's floor: the database, one read bounded in bytes.
            page = await log.read_after(0, 500, max_bytes=200_000)
            return grown, log.cache.bytes, page
        finally:
            await log.stop()

    try:
        grown, held, page = run(body())
    finally:
        engine.dispose()
    assert held <= BUDGET
    assert grown < 3 * BUDGET, f"{grown / 2**20:.1f} MiB held for a 1 MiB budget"
    assert _ids(page) == [f"wamid.big.{n}" for n in range(len(page))]
    assert 1 <= len(page) <= 10 and sum(len(frame) for _, frame in page) <= 200_000


def test_one_event_larger_than_a_read_budget_still_comes_alone(database_url: str) -> None:
    engine = make_engine(database_url)
    create_schema(engine)

    async def body() -> list[list[str]]:
        log = EventLog(engine, cache_bytes=BUDGET)
        await log.start()
        try:
            await log.append(_events(0, 3))
            pages, cursor = [], 0
            for _ in range(3):
                rows = await log.read_after(cursor, 500, max_bytes=1_000)
                pages.append(_ids(rows))
                cursor = rows[-1][0]
            return pages
        finally:
            await log.stop()

    try:
        pages = run(body())
    finally:
        engine.dispose()
    assert pages == [["wamid.big.0"], ["wamid.big.1"], ["wamid.big.2"]]


@sqlite_only
def test_a_relay_with_a_small_tail_streams_a_large_backlog_whole(
    make_relay: Callable[..., Harness],
) -> None:
    harness = make_relay(tail_cache_bytes=100_000)
    token, _ = harness.enroll()
    wamids = [f"wamid.tail.{n}" for n in range(40)]
    for wamid in wamids:
        payload = messages_payload(harness.sim, [text_message(wamid, body="y" * EVENT_TEXT)])
        assert harness.post_payload(payload).status_code == 200
    assert harness.relay.log.cache.bytes <= 100_000

    async def body() -> list[str]:
        async with harness.stream(token) as ws:
            _, events, _ = await read_backlog(ws)
            return [frame["event"]["data"]["id"] for frame in events]

    assert run(body()) == wamids


def test_the_tail_budget_is_read_from_the_environment() -> None:
    env = {"RELAY_TAIL_CACHE_BYTES": "1048576"}
    assert Settings.from_env(env, dotenv=None).tail_cache_bytes == 1048576
    assert Settings.from_env({}, dotenv=None).tail_cache_bytes == 64 * 1024 * 1024
    with pytest.raises(ConfigError, match="RELAY_TAIL_CACHE_BYTES"):
        Settings.from_env({"RELAY_TAIL_CACHE_BYTES": "64M"}, dotenv=None)
