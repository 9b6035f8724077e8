"""Stopping the inbox must stop its sync, whatever the stream is doing at that moment.

Closing the window (or a test's teardown) sets the stop event and cancels
the sync task. On Python 3.11, ``asyncio.wait_for`` returns the inner
result instead of raising when the cancellation lands just as a frame
arrives (CPython gh-86296), and a loop around it then goes on receiving:
the window never finished closing. A loopback server speaking the stream
protocol (``WS /v1/stream``, DESIGN.md) keeps frames coming so that every
stop lands while frames arrive.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.sync.client import SyncClient, SyncListeners
from tests.desktop import events

ROUNDS = 12
FRAMES_PER_CONNECTION = 20_000  # bounds the flood; far more than a round consumes


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    store = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    yield store
    store.close()


def frame(seq: int) -> str:
    _, event = events.text_message(seq, "5511987654321", f"m{seq}", 1_760_000_000 + seq, "Ana")
    return json.dumps({"type": "event", "seq": seq, "event": event})


async def stop_while_frames_arrive(history: History) -> list[float]:
    """Start and stop the sync ``ROUNDS`` times against a flood; how long each stop took."""
    next_seq = 1

    async def relay(ws: ServerConnection) -> None:
        nonlocal next_seq
        await ws.send(json.dumps({"type": "hello", "device_id": "d", "after": 0, "head_seq": 0}))
        await ws.send(json.dumps({"type": "ready", "seq": 0, "head_seq": 0}))
        try:
            for sent in range(FRAMES_PER_CONNECTION):
                await ws.send(frame(next_seq))
                next_seq += 1
                if sent % 8 == 7:
                    # Paced below what the client takes in, so its receive queue never
                    # fills: a full queue stops it reading, and its close would then
                    # wait for the close frame behind this flood (close_timeout).
                    await asyncio.sleep(0.001)
        except ConnectionClosed:
            pass

    took: list[float] = []
    loop = asyncio.get_running_loop()
    async with serve(relay, "127.0.0.1", 0, max_size=2**24) as server:
        port = server.sockets[0].getsockname()[1]
        for round_ in range(ROUNDS):
            applied = asyncio.Event()
            listeners = SyncListeners(applied=lambda _result, seen=applied: seen.set())
            client = SyncClient(f"http://127.0.0.1:{port}", "token", history, listeners)
            stop = asyncio.Event()
            task = asyncio.create_task(client.run_forever(stop))
            await asyncio.wait_for(applied.wait(), 10)
            # Land the stop at a different point of the receive loop each round.
            for _ in range(round_ % 7):
                await asyncio.sleep(0)
            started = loop.time()
            stop.set()  # as InboxSession.stop does
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=5)
            took.append(loop.time() - started if done else float("inf"))
            if not done:  # leave nothing running behind the failure
                break
    return took


def test_the_sync_stops_promptly_however_the_stop_meets_arriving_frames(
    history: History,
) -> None:
    took = asyncio.run(stop_while_frames_arrive(history))
    assert len(took) == ROUNDS, f"a stop never finished (round {len(took)})"
    assert max(took) < 2.0
