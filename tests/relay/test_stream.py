"""The desktop's stream: backlog, then live, resumable, acknowledged, bounded.

A desktop that was offline must get exactly what it missed, in order, then
live traffic with no gap at the hand-over and no duplicate; a desktop that
stops reading must not hold the relay's memory hostage.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest
import websockets
from prometheus_client.parser import text_string_to_metric_families
from relay_support import (
    Harness,
    ack,
    assert_strictly_increasing,
    messages_payload,
    meta_bytes,
    read_backlog,
    recv_frame,
    run,
    signature,
    sqlite_only,
    take_events,
    text_message,
    wait_until,
)
from waiting import async_wait_until
from websockets.asyncio.client import ClientConnection

from relay.devices import list_devices


def _post_texts(harness: Harness, prefix: str, count: int) -> list[str]:
    wamids = [f"wamid.{prefix}.{n}" for n in range(count)]
    for wamid in wamids:
        payload = messages_payload(harness.sim, [text_message(wamid, body=wamid)])
        assert harness.post_payload(payload).status_code == 200
    return wamids


def _ids(frames: list[dict]) -> list[str]:
    return [f["event"]["data"]["id"] for f in frames]


def test_backlog_after_cursor_then_ready_then_live(harness: Harness) -> None:
    """Replay from ``after``, one ``ready``, then live events: in order, none twice."""
    token, device_id = harness.enroll()
    backlog = _post_texts(harness, "B", 30)

    async def body() -> None:
        async with harness.stream(token) as ws:
            hello, everything, ready = await read_backlog(ws)
        assert hello["device_id"] == device_id
        assert hello["head_seq"] == everything[-1]["seq"]
        assert _ids(everything) == backlog
        cursor = everything[9]["seq"]

        async with harness.stream(token, after=cursor) as ws:
            hello, replayed, ready = await read_backlog(ws)
            assert hello["after"] == cursor
            assert replayed == everything[10:]
            assert ready["seq"] == everything[-1]["seq"]
            live = _post_texts(harness, "L", 10)
            frames = await take_events(ws, 10)
            assert _ids(frames) == live
            assert frames[0]["seq"] > ready["seq"]
            assert_strictly_increasing(replayed + frames)

    run(body())


def test_no_gap_or_duplicate_when_live_traffic_meets_replay(harness: Harness) -> None:
    """Webhooks keep arriving while a desktop drains a backlog: every one, once, in order."""
    token, _ = harness.enroll()
    backlog = _post_texts(harness, "OLD", 300)
    live = [f"wamid.NEW.{n}" for n in range(200)]

    async def poster() -> None:
        async with httpx.AsyncClient(timeout=30) as client:
            for wamid in live:
                raw = meta_bytes(messages_payload(harness.sim, [text_message(wamid)]))
                response = await client.post(
                    harness.url + "/webhook",
                    content=raw,
                    headers={"X-Hub-Signature-256": signature(raw)},
                )
                assert response.status_code == 200

    async def body() -> None:
        async with harness.stream(token) as ws:
            task = asyncio.create_task(poster())
            frames: list[dict] = []
            readies = 0
            deadline = time.monotonic() + 30
            while len(frames) < len(backlog) + len(live):
                frame = await recv_frame(ws, max(0.1, deadline - time.monotonic()))
                if frame["type"] == "ready":
                    readies += 1
                    continue
                assert frame["type"] in ("hello", "event"), frame
                if frame["type"] == "event":
                    frames.append(frame)
                    if len(frames) % 100 == 0:
                        await ack(ws, frame["seq"])
            await task
        assert readies <= 1
        assert_strictly_increasing(frames)
        ids = _ids(frames)
        assert ids[: len(backlog)] == backlog
        assert ids[len(backlog) :] == live

    run(body())


def test_resume_from_cursor_gets_exactly_the_rest(harness: Harness) -> None:
    """After a drop, reconnecting with the last seq gets the remainder and nothing twice."""
    token, _ = harness.enroll()
    wamids = _post_texts(harness, "R", 30)

    async def body() -> None:
        async with harness.stream(token) as ws:
            await recv_frame(ws)  # hello
            first = await take_events(ws, 15)
            await ack(ws, first[-1]["seq"])
        more = _post_texts(harness, "R2", 5)
        async with harness.stream(token, after=first[-1]["seq"]) as ws:
            _, rest, ready = await read_backlog(ws)
        assert _ids(first) + _ids(rest) == wamids + more
        assert rest[0]["seq"] > first[-1]["seq"]
        assert ready["seq"] == rest[-1]["seq"]

    run(body())


def test_acks_are_recorded_for_the_device(harness: Harness) -> None:
    """The admin sees how far each desktop got (``device list`` ACKED column)."""
    token, device_id = harness.enroll()
    _post_texts(harness, "A", 12)
    engine = harness.relay.engine

    def acked() -> int:
        return next(d.acked_seq for d in list_devices(engine) if d.id == device_id)

    async def body() -> int:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
            target = frames[7]["seq"]
            await ack(ws, target)
            await async_wait_until(lambda: acked() == target, timeout=3.0)
            await ack(ws, frames[-1]["seq"])
            await async_wait_until(lambda: acked() > target, timeout=3.0)
            return int(frames[-1]["seq"])

    last = run(body())
    assert acked() == last


def test_cursor_older_than_retention_gets_a_reset(harness: Harness) -> None:
    """Events pruned by retention are never skipped silently: ``reset`` cursor_expired."""
    token, _ = harness.enroll()
    _post_texts(harness, "OLD", 5)
    deleted = harness.server.call(harness.relay.prune_once(now=time.time() + 400 * 86400))
    assert deleted == 5
    fresh = _post_texts(harness, "NEW", 3)

    async def body() -> None:
        async with harness.stream(token, after=2) as ws:
            hello = await recv_frame(ws)
            assert hello["type"] == "hello"
            reset = await recv_frame(ws)
            assert reset["type"] == "reset"
            assert reset["reason"] == "cursor_expired"
            assert reset["oldest_seq"] > 5
            assert reset["head_seq"] == harness.head()
            frames = []
            while True:
                frame = await recv_frame(ws)
                if frame["type"] == "ready":
                    break
                frames.append(frame)
            assert _ids(frames) == fresh
            assert frames[0]["seq"] == reset["oldest_seq"]

    run(body())


def test_cursor_beyond_the_head_gets_a_reset_and_a_full_replay(harness: Harness) -> None:
    """A desktop that saw a newer log (restored backup) is told, then replayed from zero."""
    token, _ = harness.enroll()
    wamids = _post_texts(harness, "H", 4)

    async def body() -> None:
        async with harness.stream(token, after=harness.head() + 100) as ws:
            hello = await recv_frame(ws)
            assert hello["type"] == "hello"
            reset = await recv_frame(ws)
            assert reset["type"] == "reset"
            assert reset["reason"] == "cursor_ahead"
            frames = await take_events(ws, 4)
            assert _ids(frames) == wamids
            assert (await recv_frame(ws))["type"] == "ready"

    run(body())


@sqlite_only
def test_client_that_never_acks_is_disconnected_after_max_inflight(
    make_relay: Callable[..., Harness],
) -> None:
    """A stuck desktop gets at most ``max_inflight`` frames, then close 4008; it resumes later."""
    harness: Harness = make_relay(max_inflight=5, stuck_timeout=0.5)
    token, _ = harness.enroll()
    wamids = _post_texts(harness, "I", 12)

    async def body() -> None:
        async with harness.stream(token) as ws:
            await recv_frame(ws)
            got = []
            with pytest.raises(websockets.ConnectionClosed):
                for _ in range(20):
                    frame = await recv_frame(ws, 5.0)
                    got.append(frame)
            assert ws.close_code == 4008
            assert len(got) == 5
            assert _ids(got) == wamids[:5]

        # An acknowledging desktop under the same limit gets everything.
        async with harness.stream(token, after=0) as ws:
            await recv_frame(ws)
            frames: list[dict] = []
            while len(frames) < 12:
                frame = await recv_frame(ws, 5.0)
                assert frame["type"] == "event", frame
                frames.append(frame)
                await ack(ws, frame["seq"])
            assert _ids(frames) == wamids
            assert (await recv_frame(ws))["type"] == "ready"

    run(body())
    assert 'reason="no_ack"' in harness.metrics()


def _gauge(text: str, name: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                return sample.value
    raise AssertionError(f"{name} not in /metrics")


@sqlite_only
def test_connect_disconnect_churn_leaves_nothing_behind(harness: Harness) -> None:
    """200 quick reconnects (flaky office Wi-Fi) leave no phantom sessions or counts."""
    token, _ = harness.enroll()
    _post_texts(harness, "C", 3)

    async def body() -> None:
        for n in range(200):
            async with harness.stream(token, after=n % 4) as ws:
                hello = await recv_frame(ws)
                assert hello["type"] == "hello"
                if n % 2:
                    await read_backlog_rest(ws)
        async with harness.stream(token, after=3) as ws:
            await recv_frame(ws)
            assert (await recv_frame(ws))["type"] == "ready"
            # A caught-up stream's disconnect is read by the fan-out's ack sweep,
            # within a couple of ACK_PACE (relay.stream.Fanout._read_acks).
            await async_wait_until(
                lambda: _gauge(harness.metrics(), "relay_devices_connected") == 1, 5.0
            )

    run(body(), timeout=90)
    wait_until(lambda: _gauge(harness.metrics(), "relay_devices_connected") == 0, 5.0)
    wait_until(lambda: not harness.relay.sessions, 5.0)
    assert harness.http.get(harness.url + "/healthz").json()["devices_connected"] == 0


async def read_backlog_rest(ws: ClientConnection) -> None:
    """Drain until ``ready`` (the hello was already read)."""
    while (await recv_frame(ws))["type"] != "ready":
        pass


def test_two_devices_each_get_every_event(harness: Harness) -> None:
    """Every attendant PC receives every event, independently of the others' cursors."""
    token_a, _ = harness.enroll("PC A")
    token_b, _ = harness.enroll("PC B")
    early = _post_texts(harness, "E", 3)

    async def body() -> None:
        async with harness.stream(token_a) as a, harness.stream(token_b, after=2) as b:
            _, backlog_a, _ = await read_backlog(a)
            _, backlog_b, _ = await read_backlog(b)
            assert _ids(backlog_a) == early
            assert _ids(backlog_b) == [f["event"]["data"]["id"] for f in backlog_a if f["seq"] > 2]
            live = _post_texts(harness, "LV", 4)
            assert _ids(await take_events(a, 4)) == live
            assert _ids(await take_events(b, 4)) == live

    run(body())
