"""Hostile or broken stream clients: cursors, acks, streams per device, memory held.

One desktop's garbage must cost the relay a clear refusal for that desktop,
never a server error, another device's progress, or unbounded memory.
"""

from __future__ import annotations

import asyncio
import json
import logging
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

from relay.devices import list_devices

HUGE = 99999999999999999999999999


def _post_texts(harness: Harness, prefix: str, count: int, body_bytes: int = 0) -> list[str]:
    wamids = [f"wamid.{prefix}.{n}" for n in range(count)]
    for wamid in wamids:
        body = wamid + " " + "x" * body_bytes if body_bytes else wamid
        payload = messages_payload(harness.sim, [text_message(wamid, body=body)])
        assert harness.post_payload(payload).status_code == 200
    return wamids


def _acked(harness: Harness, device_id: str) -> int:
    return next(d.acked_seq for d in list_devices(harness.relay.engine) if d.id == device_id)


def _stream_requests(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The request-log lines for ``/v1/stream``, as the admin reads them."""
    return [
        r.fields  # type: ignore[attr-defined]
        for r in caplog.records
        if r.name == "relay.request" and getattr(r, "fields", {}).get("path") == "/v1/stream"
    ]


# -- cursors ---------------------------------------------------------------------------------


def test_cursor_beyond_any_seq_gets_a_reset_and_breaks_no_other_device(harness: Harness) -> None:
    """A corrupt, huge cursor is a cursor ahead of the log: reset, full replay, no 1011.

    And the cursor never reaches the shared ack flush: another desktop's acks
    are still recorded.
    """
    token_a, device_a = harness.enroll("PC A")
    token_b, device_b = harness.enroll("PC B")
    wamids = _post_texts(harness, "H", 3)

    async def body() -> None:
        async with harness.stream(token_a, after=HUGE) as ws:
            assert (await recv_frame(ws))["type"] == "hello"
            reset = await recv_frame(ws)
            assert reset["type"] == "reset" and reset["reason"] == "cursor_ahead"
            frames = await take_events(ws, 3)
            assert [f["event"]["data"]["id"] for f in frames] == wamids
            assert (await recv_frame(ws))["type"] == "ready"
            await ack(ws, frames[0]["seq"])
            await async_wait_until(lambda: _acked(harness, device_a) == frames[0]["seq"], 3.0)
        async with harness.stream(token_b) as ws:
            _, frames, _ = await read_backlog(ws)
            await ack(ws, frames[-1]["seq"])
            await async_wait_until(lambda: _acked(harness, device_b) == frames[-1]["seq"], 3.0)

    run(body())
    assert _acked(harness, device_a) == 1


@sqlite_only
@pytest.mark.parametrize("after", ["%C2%B2", "-1", "abc", "", "1.5", "%EF%BC%91"])
def test_malformed_cursor_is_refused_with_400_before_the_handshake(
    harness: Harness, caplog: pytest.LogCaptureFixture, after: str
) -> None:
    """``after=²`` (a digit to ``str.isdigit``), negatives, text: HTTP 400, logged as 400."""
    caplog.set_level(logging.INFO, logger="relay.request")
    token, _ = harness.enroll()

    async def body() -> None:
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with websockets.connect(
                f"{harness.ws_url}/v1/stream?after={after}",
                additional_headers={"Authorization": f"Bearer {token}"},
                open_timeout=10,
            ):
                pass
        assert refused.value.response.status_code == 400
        problem = json.loads(refused.value.response.body)
        assert problem["error"]["name"] == "bad_cursor"

    run(body())
    assert [r["status"] for r in _stream_requests(caplog)] == [400]  # logged before answering


@sqlite_only
def test_stream_requests_are_logged_with_what_happened(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """An accepted stream logs 101 with its close code; an unknown token 403."""
    caplog.set_level(logging.INFO, logger="relay.request")
    token, _ = harness.enroll()

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
        with pytest.raises(websockets.InvalidStatus):
            async with open_stream(harness.ws_url, "crmw_not-a-token"):
                pass

    run(body())
    # The accepted stream's line is written when it ends, after the client left.
    lines = wait_until(lambda: len(_stream_requests(caplog)) == 2 and _stream_requests(caplog))
    assert sorted(line["status"] for line in lines) == [101, 403]
    assert next(line["close"] for line in lines if line["status"] == 101) == 1000


# -- acks --------------------------------------------------------------------------------------


@sqlite_only
@pytest.mark.parametrize(
    "bad", [True, -1, "3", 2.0, None, HUGE, "beyond"], ids=lambda v: repr(v)[:12]
)
def test_invalid_ack_closes_that_stream_only(harness: Harness, bad: object) -> None:
    """A bool, negative, non-integer, huge ack or one beyond what was sent: close 4400.

    The device's recorded cursor does not move, and another device's acks in
    the same flush are still written.
    """
    token_a, device_a = harness.enroll("PC A")
    token_b, device_b = harness.enroll("PC B")
    _post_texts(harness, "K", 4)

    async def body() -> None:
        async with harness.stream(token_a) as a, harness.stream(token_b) as b:
            _, frames_a, _ = await read_backlog(a)
            _, frames_b, _ = await read_backlog(b)
            seq = frames_a[-1]["seq"] + 1 if bad == "beyond" else bad
            await a.send(json.dumps({"type": "ack", "seq": seq}))
            await ack(b, frames_b[1]["seq"])
            with pytest.raises(websockets.ConnectionClosed):
                await recv_frame(a, 5.0)
            assert a.close_code == 4400
            assert a.close_reason == "invalid ack"
            await async_wait_until(lambda: _acked(harness, device_b) == frames_b[1]["seq"], 3.0)

    run(body())
    assert _acked(harness, device_a) == 0
    assert 'reason="bad_ack"' in harness.metrics()


@sqlite_only
def test_frames_that_are_not_acks_are_ignored(harness: Harness) -> None:
    """Unknown client frames (a newer desktop's) do not end the stream."""
    token, device_id = harness.enroll()
    _post_texts(harness, "N", 2)

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
            for junk in ("not json", "[1, 2]", '{"type": "hello"}', '{"seq": 1}'):
                await ws.send(junk)
            await ack(ws, frames[-1]["seq"])
            await async_wait_until(lambda: _acked(harness, device_id) == frames[-1]["seq"], 3.0)
            live = _post_texts(harness, "N2", 1)
            (frame,) = await take_events(ws, 1)
            assert frame["event"]["data"]["id"] == live[0]

    run(body())


# -- memory held per stream -------------------------------------------------------------------

EVENT_BYTES = 60_000


def _counter(harness: Harness, name: str) -> float:
    for line in harness.metrics().splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


@sqlite_only
def test_unacknowledged_bytes_are_bounded_not_only_frames(
    make_relay: Callable[..., Harness],
) -> None:
    """A desktop that reads but never acks is sent at most the byte budget, then 4008."""
    budget = 256 * 1024
    harness = make_relay(max_unacked_bytes=budget, stuck_timeout=0.5)
    token, _ = harness.enroll()
    wamids = _post_texts(harness, "BIG", 10, body_bytes=EVENT_BYTES)

    async def body() -> None:
        async with harness.stream(token) as ws:
            await recv_frame(ws)  # hello
            sizes: list[int] = []
            with pytest.raises(websockets.ConnectionClosed):
                for _ in range(20):
                    sizes.append(len(await asyncio.wait_for(ws.recv(), 5.0)))
            assert ws.close_code == 4008
            assert 1 <= len(sizes) < len(wamids)
            assert sum(sizes) <= budget

        # The same budget does not stop a desktop that acknowledges.
        async with harness.stream(token) as ws:
            await recv_frame(ws)
            frames: list[dict[str, Any]] = []
            while len(frames) < len(wamids):
                frames.extend(await take_events(ws, 1))
                await ack(ws, frames[-1]["seq"])
            assert [f["event"]["data"]["id"] for f in frames] == wamids

    run(body())


@sqlite_only
def test_a_full_window_with_nothing_left_to_send_still_says_ready(
    make_relay: Callable[..., Harness],
) -> None:
    """The desktop acks after ``ready``: a full window must not hold ``ready`` back."""
    harness = make_relay(max_inflight=3)
    token, _ = harness.enroll()
    wamids = _post_texts(harness, "W", 3)

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, ready = await read_backlog(ws)
            assert [f["event"]["data"]["id"] for f in frames] == wamids
            assert ready["seq"] == frames[-1]["seq"]

    run(body())


@sqlite_only
def test_an_event_larger_than_the_budget_still_goes_one_at_a_time(
    make_relay: Callable[..., Harness],
) -> None:
    """The byte budget never blocks the stream: one event always fits when none is in flight."""
    harness = make_relay(max_unacked_bytes=16 * 1024, stuck_timeout=2.0)
    token, _ = harness.enroll()
    wamids = _post_texts(harness, "HUGE", 4, body_bytes=EVENT_BYTES)

    async def body() -> None:
        async with harness.stream(token) as ws:
            await recv_frame(ws)
            got: list[str] = []
            for _ in wamids:
                (frame,) = await take_events(ws, 1)
                got.append(frame["event"]["data"]["id"])
                await ack(ws, frame["seq"])
            assert got == wamids
            assert (await recv_frame(ws))["type"] == "ready"

    run(body())


@sqlite_only
def test_a_peer_that_stops_reading_does_not_grow_the_relays_buffers(
    make_relay: Callable[..., Harness],
) -> None:
    """Writes to a stream wait for its socket to drain: the backlog stays on disk, not in RAM.

    The byte budget is set high here so only the socket's flow control can
    hold the relay back; it then closes the stream as stuck (4008).
    """
    harness = make_relay(max_unacked_bytes=64 * 1024 * 1024, stuck_timeout=1.0)
    token, _ = harness.enroll()
    backlog = 200
    _post_texts(harness, "STALL", backlog, body_bytes=EVENT_BYTES)
    sock = stalled_socket(harness, token)
    try:
        wait_until(lambda: _counter(harness, "relay_devices_connected") == 1, 5.0)
        wait_until(lambda: _counter(harness, "relay_devices_connected") == 0, 15.0)
        written = _counter(harness, "relay_stream_frames_total")
    finally:
        sock.close()
    # What the kernel's socket buffers take (a few MB on loopback), not the backlog.
    assert written * EVENT_BYTES < 6 * 1024 * 1024
    assert 'reason="stuck"' in harness.metrics()


# -- streams per device ---------------------------------------------------------------------------


@sqlite_only
def test_a_reconnecting_desktop_replaces_its_half_dead_stream(
    make_relay: Callable[..., Harness],
) -> None:
    """After a network drop the old stream may linger; the new one gets in, the old one goes."""
    harness = make_relay(max_streams_per_device=1)
    token, _ = harness.enroll()
    wamids = _post_texts(harness, "D", 3)

    async def body() -> None:
        async with harness.stream(token) as old:
            await read_backlog(old)  # then it stops reading: the Wi-Fi dropped
            async with harness.stream(token) as new:
                _, frames, _ = await read_backlog(new)
                assert [f["event"]["data"]["id"] for f in frames] == wamids
                with pytest.raises(websockets.ConnectionClosed):
                    await recv_frame(old, 5.0)
                assert old.close_code == 4409
                assert old.close_reason == "replaced by a newer stream"
                live = _post_texts(harness, "D2", 1)
                (frame,) = await take_events(new, 1)
                assert frame["event"]["data"]["id"] == live[0]

    run(body())
    assert 'reason="replaced"' in harness.metrics()


@sqlite_only
def test_one_token_holds_at_most_the_limit_of_streams(harness: Harness) -> None:
    """Ten streams on one token: the newest four stay open, the six oldest are closed."""
    token, _ = harness.enroll()
    limit = harness.settings.max_streams_per_device
    assert limit == 4

    async def body() -> None:
        streams = [await harness.stream(token).__aenter__() for _ in range(10)]
        try:
            for ws in streams:
                assert (await recv_frame(ws))["type"] == "hello"
            await async_wait_until(lambda: _counter(harness, "relay_devices_connected") == limit)
            for ws in streams[:-limit]:
                with pytest.raises(websockets.ConnectionClosed):
                    while True:
                        await recv_frame(ws, 5.0)
                assert ws.close_code == 4409
            for ws in streams[-limit:]:
                assert ws.close_code is None
        finally:
            for ws in streams:
                await ws.close()

    run(body())


@sqlite_only
@pytest.mark.parametrize(
    ("ending", "code"),
    [("frame over the size limit", 1009), ("desktop closes with its own code", 4321)],
)
def test_the_request_line_logs_the_close_code_the_stream_really_ended_with(
    harness: Harness, caplog: pytest.LogCaptureFixture, ending: str, code: int
) -> None:
    """1009 for a client frame over 64 KiB (the relay's close), the desktop's code when it closes.

    Both were logged 1000: the log knew only the codes the session set itself.
    """
    caplog.set_level(logging.INFO, logger="relay.request")
    token, _ = harness.enroll()

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            if code == 1009:
                await ws.send("x" * (64 * 1024 + 1))
                with pytest.raises(websockets.ConnectionClosed):
                    await recv_frame(ws, 5.0)
                assert ws.close_code == 1009
            else:
                await ws.close(code, "bye")

    run(body())
    (line,) = wait_until(lambda: _stream_requests(caplog))
    assert (line["status"], line["close"]) == (101, code)
