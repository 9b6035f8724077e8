"""The live sync loop against a loopback server speaking the stream protocol (DESIGN.md).

How often a live desktop acknowledges: paced, so a thousand desktops do not
drown the relay (crm_whatsapp/sync/acks.py); the server sends live events the
way customers write and records the acks with the time they came.

Stopping the inbox must stop its sync, whatever the stream is doing at that
moment. On Python 3.11, ``asyncio.wait_for`` returns the inner result
instead of raising when the cancellation lands just as a frame arrives
(CPython gh-86296), and a loop around it then goes on receiving: the window
never finished closing. There the server keeps frames coming so that every
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
from crm_whatsapp.sync.acks import ACK_FRAMES, AckPacer
from crm_whatsapp.sync.client import SyncClient, SyncListeners
from tests.desktop import events


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    store = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    yield store
    store.close()


def frame(seq: int) -> str:
    _, event = events.text_message(seq, "5511987654321", f"m{seq}", 1_760_000_000 + seq, "Ana")
    return json.dumps({"type": "event", "seq": seq, "event": event})


async def live(
    history: History, count: int, gap: float, ack_every: float
) -> tuple[list[tuple[float, int]], int, float]:
    """Send ``count`` live events ``gap`` s apart; the acks (time, seq) until the last is acked.

    Also returns how many times the desktop told its window something was
    applied, and when the last event was sent.
    """
    acks: list[tuple[float, int]] = []
    loop = asyncio.get_running_loop()
    all_acked = asyncio.Event()
    last_sent = 0.0

    async def relay(ws: ServerConnection) -> None:
        nonlocal last_sent

        async def read_acks() -> None:
            async for message in ws:
                seq = json.loads(message)["seq"]
                acks.append((loop.time(), seq))
                if seq == count:
                    all_acked.set()

        reader = asyncio.create_task(read_acks())
        await ws.send(json.dumps({"type": "hello", "device_id": "d", "after": 0, "head_seq": 0}))
        await ws.send(json.dumps({"type": "ready", "seq": 0, "head_seq": 0}))
        for seq in range(1, count + 1):
            await ws.send(frame(seq))
            last_sent = loop.time()
            if gap:
                await asyncio.sleep(gap)  # customers writing, not a backlog
        await all_acked.wait()
        reader.cancel()

    applied = 0

    def on_applied(_result: object) -> None:
        nonlocal applied
        applied += 1

    async with serve(relay, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        client = SyncClient(
            f"http://127.0.0.1:{port}",
            "token",
            history,
            SyncListeners(applied=on_applied),
            ack_every=ack_every,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(client.run_forever(stop))
        try:
            await asyncio.wait_for(all_acked.wait(), 30)
        finally:
            stop.set()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
    return acks, applied, last_sent


def test_live_events_show_at_once_but_are_acknowledged_together(history: History) -> None:
    count, gap, every = 24, 0.05, 0.4
    acks, applied, last_sent = asyncio.run(live(history, count, gap, every))

    # Each event was applied (shown) as it came, not held for the ack.
    assert applied >= count // 2
    assert history.cursor() == count
    # Far fewer acks than events: one per `every` seconds of the ~1.2 s the events took.
    span = count * gap
    assert len(acks) <= span / every + 2, acks
    seqs = [seq for _, seq in acks]
    assert seqs == sorted(seqs) and seqs[-1] == count
    # The last event is acknowledged within `every` (plus scheduling) of arriving.
    assert acks[-1][0] - last_sent < every + 0.5


def test_a_burst_is_acknowledged_without_waiting_for_the_timer(history: History) -> None:
    # With a timer of a minute, only the amount pending can have caused the ack.
    count = ACK_FRAMES * 2 + 10
    acks, _applied, _last = asyncio.run(live(history, count, 0, ack_every=60))
    assert acks[-1][1] == count == history.cursor()


def test_the_pacer_acks_on_time_size_or_urgency_and_only_committed_cursors() -> None:
    pacer = AckPacer(every=1.0, max_frames=10, max_bytes=1000)
    assert not pacer.due(0.0, urgent=True) and pacer.wait(0.0) is None  # nothing applied yet
    pacer.applied(5, frames=3, size=100, now=10.0)
    assert not pacer.due(10.5) and pacer.wait(10.5) == pytest.approx(0.5)
    pacer.applied(6, frames=1, size=100, now=10.8)  # the timer runs from the first
    assert pacer.due(11.0) and pacer.take() == 6
    assert pacer.wait(11.0) is None and not pacer.due(99.0)
    pacer.applied(9, frames=10, size=10, now=20.0)
    assert pacer.due(20.0)  # enough frames
    pacer.take()
    pacer.applied(10, frames=1, size=1000, now=30.0)
    assert pacer.due(30.0)  # enough bytes
    pacer.take()
    pacer.applied(11, frames=1, size=1, now=40.0)
    assert pacer.due(40.0, urgent=True)  # replaying: the relay's window must move


# -- stopping while frames arrive --------------------------------------------------------------

ROUNDS = 12
FRAMES_PER_CONNECTION = 20_000  # bounds the flood; far more than a round consumes


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
