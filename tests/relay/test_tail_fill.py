"""Two instances interleaving commits: each serves the other's events from memory.

On PostgreSQL a desktop streams from whichever instance Caddy gave it. Before,
every commit of the other instance sent each of this instance's streams to the
database on its own; now the instance reads those rows once into its tail and
keeps its own commits there too, so its streams stay on the in-memory path.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from relay_support import run

from relay.db import create_schema, make_engine
from relay.eventlog import EventLog, wire_payload
from relay.webhook import NewEvent

pytestmark = pytest.mark.parametrize(
    "backend", [pytest.param("postgresql", marks=pytest.mark.postgres)]
)

ROUNDS = 30


def _event(name: str, size: int = 0) -> NewEvent:
    return NewEvent(
        f"message:{name}", "message", {"kind": "message", "id": name, "pad": "x" * size}
    )


@pytest.mark.parametrize(
    "size",
    [
        pytest.param(0, id="small: the frames come in the announcement"),
        pytest.param(6000, id="large: announced by range, read back once"),
    ],
)
def test_each_instance_serves_the_others_commits_from_its_tail(
    database_url: str, size: int
) -> None:
    engine = make_engine(database_url)
    create_schema(engine)

    async def body() -> tuple[list[int], list[str], int, int]:
        a, b = EventLog(engine), EventLog(engine)
        await a.start()
        await b.start()
        try:
            for n in range(ROUNDS):  # strictly alternating groups, as two busy instances do
                await a.append([_event(f"a{n}.1", size), _event(f"a{n}.2", size)])
                await b.append([_event(f"b{n}", size)])
            # The last commit is the other instance's: only its announcement tells b.
            await a.append([_event("a.last", size)])

            async def b_has_all() -> None:
                while b.cache.head < a.head:
                    await b.bell.wait()

            await asyncio.wait_for(b_has_all(), 10)
            rows = b.cache.after(0, 10_000, 1 << 30)
            return (
                [seq for seq, _ in rows],
                [json.loads(wire_payload(f))["event"]["id"] for _, f in rows],
                b.cache.floor,
                b.db_head,
            )
        finally:
            await a.stop()
            await b.stop()

    seqs, ids, floor, db_head = run(body())
    engine.dispose()
    total = 3 * ROUNDS + 1
    assert floor == 0  # the tail vouches for the whole stream: nothing sent to the database
    assert seqs == list(range(1, total + 1))
    expected = [name for n in range(ROUNDS) for name in (f"a{n}.1", f"a{n}.2", f"b{n}")]
    expected.append("a.last")
    assert ids == expected
    assert db_head <= total
