"""``seq`` is dense: every number from 1 to the head is an event, retries included.

A desktop (or an auditor) proves it has everything by seeing every number.
Meta's retries used to burn a number each when the database turned them away,
so 2,000 events could end at seq 2,200: gaps that look exactly like loss.
"""

from __future__ import annotations

import asyncio
import random

from relay_support import run
from sqlalchemy import text

from relay.backup import RESTORE_SEQ_GAP
from relay.db import create_schema, make_engine
from relay.eventlog import EventLog
from relay.webhook import NewEvent

WRITERS = 2  # two event logs on one database: two relay instances (PostgreSQL) or
# the loop's connection and the writer thread fighting for SQLite's lock
GROUPS = 40
PER_GROUP = 25


def _event(n: int) -> NewEvent:
    return NewEvent(f"message:wamid.dense.{n}", "message", {"kind": "message", "n": n})


def _stored(engine: object) -> tuple[list[int], int]:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        seqs = [int(s) for (s,) in conn.execute(text("SELECT seq FROM events ORDER BY seq"))]
        keys = int(conn.execute(text("SELECT count(DISTINCT dedupe_key) FROM events")).scalar())
    return seqs, keys


def test_retries_and_concurrent_writers_leave_no_gap(database_url: str) -> None:
    engine = make_engine(database_url)
    create_schema(engine)
    rng = random.Random(18)
    distinct = WRITERS * GROUPS * PER_GROUP // 2

    async def writer(log: EventLog, answers: list[int | None]) -> None:
        for _ in range(GROUPS):
            # Half of every group repeats keys already sent (Meta's retries), some
            # of them twice in the same group, some racing the other writer.
            numbers = [rng.randrange(distinct) for _ in range(PER_GROUP)]
            answers += await log.append([_event(n) for n in numbers])

    async def body() -> list[list[int | None]]:
        logs = [EventLog(engine) for _ in range(WRITERS)]
        for log in logs:
            await log.start()
        try:
            answers: list[list[int | None]] = [[] for _ in logs]
            await asyncio.gather(
                *(writer(log, out) for log, out in zip(logs, answers, strict=True))
            )
            return answers
        finally:
            for log in logs:
                await log.stop()

    answers = run(body())
    seqs, keys = _stored(engine)
    engine.dispose()
    assert seqs == list(range(1, len(seqs) + 1)), "a gap in the stream"
    assert len(seqs) == keys  # one event per distinct key
    numbered = [seq for out in answers for seq in out if seq is not None]
    assert sorted(numbered) == seqs  # every stored event was answered with its seq, once
    assert len(seqs) < WRITERS * GROUPS * PER_GROUP  # retries were really sent


def test_numbers_continue_after_retention_and_after_a_restore_jump(database_url: str) -> None:
    """Pruning the newest rows never hands their numbers out again; a restore's jump holds."""
    engine = make_engine(database_url)
    create_schema(engine)

    async def append(first: int, count: int) -> list[int | None]:
        log = EventLog(engine)
        await log.start()
        try:
            return await log.append([_event(n) for n in range(first, first + count)])
        finally:
            await log.stop()

    assert run(append(0, 5)) == [1, 2, 3, 4, 5]
    with engine.begin() as conn:  # retention took everything, the newest included
        conn.execute(text("DELETE FROM events"))
    assert run(append(5, 2)) == [6, 7]
    with engine.begin() as conn:  # what `restore` does to the counter
        if engine.dialect.name == "sqlite":
            conn.execute(
                text("UPDATE sqlite_sequence SET seq = seq + :gap WHERE name = 'events'"),
                {"gap": RESTORE_SEQ_GAP},
            )
        else:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('events', 'seq'), :v)"),
                {"v": 7 + RESTORE_SEQ_GAP},
            )
    assert run(append(7, 2)) == [RESTORE_SEQ_GAP + 8, RESTORE_SEQ_GAP + 9]
    assert run(append(7, 3)) == [None, None, RESTORE_SEQ_GAP + 10]
    engine.dispose()
