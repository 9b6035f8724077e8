"""Many desktops at once: each gets every event once, in order, whoever lags behind.

Live streams are written by one fan-out pass per commit (relay.stream.Fanout);
a desktop that falls behind (slow acks, a socket that stops draining, a
reconnect, a commit larger than the tail cache) is handed back to its own
task and must catch up without a gap, a duplicate or holding anyone else back.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
import websockets
from relay_support import (
    Harness,
    ack,
    messages_payload,
    open_stream,
    read_backlog,
    recv_frame,
    run,
    sqlite_only,
    stalled_socket,
    take_events,
    text_message,
)
from waiting import async_wait_until, wait_until

from relay.devices import add_device, enroll, list_devices
from relay.stream import shared

DEVICES = 200
MAX_INFLIGHT = 6


def _tokens(harness: Harness, count: int) -> list[str]:
    """``count`` enrolled devices, straight in the database (the HTTP path is tested elsewhere)."""
    tokens = []
    for n in range(count):
        _, code, _ = add_device(harness.relay.engine, f"PC {n:03d}")
        tokens.append(enroll(harness.relay.engine, code, None)[0])
    return tokens


def _post(harness: Harness, wamids: list[str], body_bytes: int = 0) -> None:
    """One webhook carrying ``wamids`` (one commit holds them all)."""
    items = [
        text_message(w, body=w + (" " + "x" * body_bytes if body_bytes else "")) for w in wamids
    ]
    assert harness.post_payload(messages_payload(harness.sim, items)).status_code == 200


def _ids(frames: list[dict[str, Any]]) -> list[str]:
    return [f["event"]["data"]["id"] for f in frames]


class Desktop:
    """One stream client: ``prompt`` acks every event, ``lagging`` only a full window."""

    def __init__(self, harness: Harness, token: str, style: str) -> None:
        self.harness = harness
        self.token = token
        self.style = style
        self.frames: list[dict[str, Any]] = []
        self.live = asyncio.Event()

    async def follow(self, until: int, after: int = 0, drop_at: int | None = None) -> None:
        """Read until ``until`` events arrived; at ``drop_at`` events, hang up and resume."""
        cursor = after
        while len(self.frames) < until:
            async with open_stream(self.harness.ws_url, self.token, cursor) as ws:
                unacked = 0
                while len(self.frames) < until:
                    frame = await recv_frame(ws, 20.0)
                    if frame["type"] == "ready":
                        self.live.set()
                    if frame["type"] != "event":
                        continue
                    self.frames.append(frame)
                    cursor = frame["seq"]
                    unacked += 1
                    if self.style == "prompt" or unacked >= MAX_INFLIGHT:
                        await ack(ws, cursor)
                        unacked = 0
                    if drop_at is not None and len(self.frames) == drop_at:
                        drop_at = None
                        break  # the laptop's Wi-Fi drops; it reconnects from its cursor


def test_every_device_gets_every_event_once_and_in_order_while_some_lag(
    make_relay: Callable[..., Harness],
) -> None:
    """200 desktops: most ack at once, some only a full window, some drop and resume, some
    join mid-way from 0; every one ends with exactly the events posted, in order."""
    harness = make_relay(max_inflight=MAX_INFLIGHT, stuck_timeout=20.0)
    tokens = _tokens(harness, DEVICES)
    batches = [[f"wamid.FAN.{b}.{i}" for i in range(1 + b % 3)] for b in range(30)]
    expected = [w for batch in batches for w in batch]
    first, second = batches[:15], batches[15:]

    async def body() -> None:
        desktops = [
            Desktop(harness, token, "lagging" if n % 5 == 0 else "prompt")
            for n, token in enumerate(tokens)
        ]
        early, late = desktops[:-20], desktops[-20:]
        tasks = [
            asyncio.create_task(d.follow(len(expected), drop_at=7 if n % 7 == 3 else None))
            for n, d in enumerate(early)
        ]
        await asyncio.wait_for(asyncio.gather(*(d.live.wait() for d in early)), 30)
        for batch in first:
            await asyncio.to_thread(_post, harness, batch)
        # Latecomers replay from 0 while the rest of the traffic is live.
        tasks += [asyncio.create_task(d.follow(len(expected))) for d in late]
        for batch in second:
            await asyncio.to_thread(_post, harness, batch)
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
        for d in desktops:
            assert _ids(d.frames) == expected, d.style
            seqs = [f["seq"] for f in d.frames]
            assert seqs == sorted(set(seqs))

    run(body(), timeout=120)


def test_live_streams_are_written_by_the_fanout(harness: Harness) -> None:
    """Guard for the one private API the relay relies on (uvicorn's websocket protocol,
    see relay.stream.FrameWriter): if an upgrade hides it, live streams would silently fall
    back to a task and a socket write per desktop per event; this fails instead."""
    token, device_id = harness.enroll()

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            fanout = shared(harness.relay).fanout
            await async_wait_until(lambda: len(fanout.live) == 1, 5.0)
            (session,) = harness.relay.sessions[device_id]
            assert session in fanout.live
            await asyncio.to_thread(_post, harness, ["wamid.GUARD.1"])
            assert _ids(await take_events(ws, 1)) == ["wamid.GUARD.1"]

    run(body())
    # A closed stream leaves nothing in the fan-out.
    wait_until(lambda: not shared(harness.relay).fanout.live, 5.0)


@sqlite_only
def test_a_live_desktop_that_stops_reading_is_cut_and_holds_no_one_back(
    make_relay: Callable[..., Harness],
) -> None:
    """A frozen desktop among live ones: its socket fills, it is closed as stuck (4008),
    and the desktop that reads gets every event meanwhile."""
    harness = make_relay(max_unacked_bytes=64 * 1024 * 1024, stuck_timeout=1.0)
    frozen_token, _ = harness.enroll("PC congelado")
    reader_token, _ = harness.enroll("PC atento")
    wamids = [f"wamid.FROZEN.{n}" for n in range(120)]
    fanout = shared(harness.relay).fanout

    async def body() -> None:
        async with harness.stream(reader_token) as ws:
            await read_backlog(ws)
            sock = await asyncio.to_thread(stalled_socket, harness, frozen_token)
            try:
                await async_wait_until(lambda: len(fanout.live) == 2, 5.0)
                for wamid in wamids:
                    await asyncio.to_thread(_post, harness, [wamid], 40_000)
                assert _ids(await take_events(ws, len(wamids), 30.0)) == wamids
                await async_wait_until(lambda: len(harness.relay.sessions) == 1, 15.0)
            finally:
                sock.close()

    run(body())
    assert 'reason="stuck"' in harness.metrics()


@sqlite_only
def test_a_commit_larger_than_the_tail_cache_reaches_live_devices_whole(
    make_relay: Callable[..., Harness],
) -> None:
    """One webhook of 8 large messages overflows a small tail cache while devices are
    live: they read it from the database instead, whole and in order, then go on live."""
    harness = make_relay(tail_cache_bytes=100_000)
    tokens = [harness.enroll(f"PC {n}")[0] for n in range(3)]
    big = [f"wamid.BIG.{n}" for n in range(8)]

    async def body() -> None:
        async with (
            harness.stream(tokens[0]) as a,
            harness.stream(tokens[1]) as b,
            harness.stream(tokens[2]) as c,
        ):
            for ws in (a, b, c):
                await read_backlog(ws)
            await asyncio.to_thread(_post, harness, big, 30_000)
            await asyncio.to_thread(_post, harness, ["wamid.AFTER.1"])
            for ws in (a, b, c):
                assert _ids(await take_events(ws, len(big) + 1)) == [*big, "wamid.AFTER.1"]

    run(body())


@sqlite_only
def test_a_live_desktop_that_never_acks_gets_at_most_its_window(
    make_relay: Callable[..., Harness],
) -> None:
    """Live traffic respects the unacknowledged window as replay does: five frames, then 4008;
    a desktop beside it that acknowledges gets everything."""
    harness = make_relay(max_inflight=5, stuck_timeout=1.0)
    silent_token, _ = harness.enroll("PC mudo")
    acking_token, _ = harness.enroll("PC atento")
    wamids = [f"wamid.WINDOW.{n}" for n in range(12)]

    async def body() -> None:
        async with harness.stream(silent_token) as silent, harness.stream(acking_token) as acking:
            await read_backlog(silent)
            await read_backlog(acking)
            got: list[dict[str, Any]] = []
            for wamid in wamids:
                await asyncio.to_thread(_post, harness, [wamid])
                (frame,) = await take_events(acking, 1)
                got.append(frame)
                await ack(acking, frame["seq"])
            assert _ids(got) == wamids
            received = []
            with pytest.raises(websockets.ConnectionClosed):
                for _ in range(20):
                    received.append(await recv_frame(silent, 5.0))
            assert silent.close_code == 4008
            assert _ids(received) == wamids[:5]

    run(body())


@sqlite_only
def test_devices_reading_from_the_database_join_live_traffic_without_a_gap(
    make_relay: Callable[..., Harness],
) -> None:
    """With no tail cache to speak of, every commit sends live devices back to the database,
    and commits keep landing while they read: each must still get every event once, in order."""
    harness = make_relay(tail_cache_bytes=1)
    tokens = _tokens(harness, 30)
    wamids = [f"wamid.RACE.{n}" for n in range(120)]

    async def body() -> None:
        desktops = [Desktop(harness, token, "prompt") for token in tokens]
        tasks = [asyncio.create_task(d.follow(len(wamids))) for d in desktops]
        await asyncio.wait_for(asyncio.gather(*(d.live.wait() for d in desktops)), 30)
        # Four posters at once: commits land while streams are between a read and a join.
        posters = [
            asyncio.to_thread(lambda part=part: [_post(harness, [w]) for w in part])
            for part in (wamids[k::4] for k in range(4))
        ]
        await asyncio.gather(*posters)
        await asyncio.wait_for(asyncio.gather(*tasks), 60)
        for d in desktops:
            got = _ids(d.frames)
            assert sorted(got) == sorted(wamids) and len(set(got)) == len(wamids)
            seqs = [f["seq"] for f in d.frames]
            assert seqs == sorted(set(seqs))

    run(body(), timeout=120)


@sqlite_only
def test_a_live_desktops_acks_are_read_by_the_fanout_sweep(harness: Harness) -> None:
    """While the fan-out writes to a caught-up desktop, its stream's ack reader is parked
    and the fan-out's sweep reads the acks (a thousand desktops acking the same frame used
    to stall the loop for 30 ms, frames waiting behind them): they still move the saved
    cursor without handing the stream back, an invalid one still closes with 4400, and a
    desktop that hangs up without a commit following is still forgotten promptly."""
    token, device_id = harness.enroll("PC vivo")
    fanout = shared(harness.relay).fanout
    wamids = [f"wamid.SWEEP.{n}" for n in range(4)]

    async def live_session(ws: Any) -> Any:
        await read_backlog(ws)
        await async_wait_until(lambda: len(fanout.live) == 1, 5.0)
        (session,) = harness.relay.sessions[device_id]
        return session

    async def body() -> None:
        async with harness.stream(token) as ws:
            session = await live_session(ws)
            for n, wamid in enumerate(wamids):
                await asyncio.to_thread(_post, harness, [wamid])
                (frame,) = await take_events(ws, 1)
                assert _ids([frame]) == [wamid]
                await ack(ws, frame["seq"])
                seq = frame["seq"]
                await async_wait_until(lambda s=seq: session.acked == s, 5.0)
                if n == 0:
                    # From its first ack as a live stream on, the reader waits for the fan-out.
                    await async_wait_until(lambda: session._parked, 5.0)
            assert session in fanout.live
            await async_wait_until(
                lambda: (
                    next(
                        d.acked_seq for d in list_devices(harness.relay.engine) if d.id == device_id
                    )
                    == seq
                ),
                5.0,
            )
            await ws.send(json.dumps({"type": "ack", "seq": seq + 10}))
            with pytest.raises(websockets.ConnectionClosed):
                await recv_frame(ws, 5.0)
            assert ws.close_code == 4400
        await async_wait_until(lambda: not harness.relay.sessions, 5.0)

        async with harness.stream(token, after=seq) as ws:
            session = await live_session(ws)
            await asyncio.to_thread(_post, harness, ["wamid.SWEEP.last"])
            (frame,) = await take_events(ws, 1)
            await ack(ws, frame["seq"])
            await async_wait_until(lambda: session._parked, 5.0)
        # Hung up with nothing more committed: only the sweep can notice.
        await async_wait_until(lambda: not harness.relay.sessions, 2.0)
        assert not fanout.live

    run(body())
    assert 'reason="bad_ack"' in harness.metrics()
