"""Two relay instances on one PostgreSQL database behave as one relay.

This is the production shape the PostgreSQL backend exists for: appends from
both instances must get one commit-ordered ``seq``, and a desktop on either
instance must see every event, including those committed by the other one.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from relay_support import (
    Harness,
    assert_strictly_increasing,
    messages_payload,
    meta_bytes,
    read_backlog,
    recv_frame,
    run,
    text_message,
)

pytestmark = pytest.mark.postgres

COUNT = 240


@pytest.mark.parametrize("backend", ["postgresql"])
def test_two_instances_share_one_ordered_stream(make_relay: Callable[..., Harness]) -> None:
    first, second = make_relay(), make_relay()
    token, _ = first.enroll()

    bodies = [
        meta_bytes(messages_payload(first.sim, [text_message(f"wamid.MULTI.{n}", body=f"n{n}")]))
        for n in range(COUNT)
    ]

    async def collect(harness: Harness) -> list[dict[str, Any]]:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            posting = asyncio.get_running_loop().run_in_executor(None, post_everything)
            frames: list[dict[str, Any]] = []
            while len(frames) < COUNT:
                frame = await recv_frame(ws, timeout=15)
                if frame["type"] == "event":
                    frames.append(frame)
            await posting
            return frames

    posted = {"ok": 0}

    def post_everything() -> None:
        # Alternate instances from several threads: concurrent writers on both.
        def post(n: int) -> int:
            target = first if n % 2 else second
            return target.post_webhook(bodies[n]).status_code

        with ThreadPoolExecutor(6) as pool:
            statuses = list(pool.map(post, range(COUNT)))
        posted["ok"] = sum(1 for s in statuses if s == 200)

    # A device on the first instance sees what both instances committed.
    frames = run(collect(first), timeout=90)
    assert posted["ok"] == COUNT
    assert_strictly_increasing(frames)
    wamids = [f["event"]["data"]["id"] for f in frames]
    assert sorted(wamids) == sorted(f"wamid.MULTI.{n}" for n in range(COUNT))

    # And a device reading from the second instance later gets the same log, same order.
    async def replay(harness: Harness) -> list[dict[str, Any]]:
        async with harness.stream(token) as ws:
            _, events, _ = await read_backlog(ws, timeout=20)
            return events

    again = run(replay(second), timeout=60)
    assert [f["seq"] for f in again] == [f["seq"] for f in frames]


@pytest.mark.parametrize("backend", ["postgresql"])
def test_events_another_instance_pruned_are_never_skipped_silently(
    make_relay: Callable[..., Harness],
) -> None:
    """Retention run by one instance: a desktop behind it, on the other, is told (``reset``).

    Each instance prunes on its own timer, so the instance a desktop comes back to
    may not be the one that deleted its events; the gap must still read as
    ``cursor_expired``, never as a stream that simply skips ahead.
    """
    # The second's tail cache too small to hold the old events: as after a month of traffic.
    first, second = make_relay(), make_relay(tail_cache_bytes=1024)
    token, _ = first.enroll()
    for n in range(5):
        payload = messages_payload(first.sim, [text_message(f"wamid.OLD.{n}", body="velha")])
        assert first.post_payload(payload).status_code == 200
    # The second instance has served the old events before the first one prunes them.
    run(_caught_up(second, token, 5))
    deleted = first.server.call(first.relay.prune_once(now=time.time() + 400 * 86400))
    assert deleted == 5
    payload = messages_payload(first.sim, [text_message("wamid.NEW.0", body="nova")])
    assert first.post_payload(payload).status_code == 200

    async def body() -> None:
        async with second.stream(token, after=2) as ws:
            assert (await recv_frame(ws, timeout=15))["type"] == "hello"
            reset = await recv_frame(ws, timeout=15)
            assert (reset["type"], reset["reason"]) == ("reset", "cursor_expired")
            assert reset["oldest_seq"] == 6
            event = await recv_frame(ws, timeout=15)
            assert (event["type"], event["seq"]) == ("event", 6)
            assert event["event"]["data"]["id"] == "wamid.NEW.0"

    run(body())


async def _caught_up(harness: Harness, token: str, head: int) -> None:
    async with harness.stream(token) as ws:
        _hello, events, _ready = await read_backlog(ws)
        assert events[-1]["seq"] == head
