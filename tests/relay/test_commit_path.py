"""Where a group commits, and where other instances' commits are heard.

SQLite: a webhook arriving alone at an idle relay commits in its own task
(its fsync blocks the loop, which has nothing else to do), skipping the writer
task's turn and the two thread hand-offs that were most of its latency beside
the fsync at a few hundred webhooks/s; a burst still goes as one group through
the commit thread.

PostgreSQL: the other instances' announcements are heard by a task on the
loop, not a listener thread whose wake-ups and GIL switches cost two busy
instances more than the announcements themselves.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
from relay_support import run

from relay.db import create_schema, make_engine
from relay.eventlog import INLINE_COMMIT_IDLE, EventLog, wire_payload
from relay.webhook import NewEvent


def _event(name: str) -> NewEvent:
    return NewEvent(f"message:{name}", "message", {"kind": "message", "id": name})


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_lone_webhook_at_an_idle_relay_commits_on_the_loop(database_url: str) -> None:
    engine = make_engine(database_url)
    create_schema(engine)
    path = engine.url.database
    assert path

    async def body() -> tuple[list[int | None], int, list[int], int, list[int]]:
        log = EventLog(engine)
        await log.start()
        try:
            # The writer has waited longer than the idle spell: nothing is being parsed.
            await asyncio.sleep(INLINE_COMMIT_IDLE * 4)
            lone = await log.append([_event("lone")])
            # Committed when append returns: another connection sees it at once.
            with sqlite3.connect(path) as other:
                seen = [seq for (seq,) in other.execute("SELECT seq FROM events ORDER BY seq")]
            inline_after_lone = log.inline_commits
            await asyncio.sleep(INLINE_COMMIT_IDLE * 4)
            burst = await asyncio.gather(*(log.append([_event(f"b{n}")]) for n in range(40)))
            return lone, inline_after_lone, seen, log.inline_commits, [s[0] for s in burst]
        finally:
            await log.stop()
            engine.dispose()

    lone, inline_after_lone, seen, inline_after_burst, burst = run(body())
    assert lone == [1]
    assert inline_after_lone == 1
    assert seen == [1]
    # Forty webhooks of one turn of the loop: the first finds the relay idle and commits
    # in its own task; the other 39 arrive right behind it and go as one group.
    assert inline_after_burst == 2
    assert sorted(burst) == list(range(2, 42))  # type: ignore[type-var]


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_other_instances_are_heard_on_the_loop(database_url: str) -> None:
    engine = make_engine(database_url)
    create_schema(engine)

    async def body() -> tuple[list[str], list[tuple[int, bytes]], list[tuple[int, bytes]]]:
        a, b = EventLog(engine), EventLog(engine)
        await a.start()
        await b.start()
        try:
            threads = [t.name for t in threading.enumerate()]
            # Groups committed back to back: their announcements reach b together.
            await asyncio.gather(*(a.append([_event(f"a{n}")]) for n in range(30)))
            await asyncio.gather(*(a.append([_event(f"c{n}")]) for n in range(30)))

            async def b_has_all() -> None:
                while b.cache.head < a.head:
                    await b.bell.wait()

            await asyncio.wait_for(b_has_all(), 10)
            return threads, a.cache.after(0, 100, 1 << 20), b.cache.after(0, 100, 1 << 20)
        finally:
            await b.stop()
            await a.stop()
            engine.dispose()

    threads, mine, heard = run(body())
    assert "relay-pg-listen" not in threads
    assert [seq for seq, _ in heard] == list(range(1, 61))
    assert [wire_payload(f) for _, f in heard] == [wire_payload(f) for _, f in mine]
