"""``WS /v1/stream``: backlog then live, in order, for one enrolled device.

Replay and live are the same loop — "send what is after my cursor, then wait
for the doorbell" — so there is no hand-off where an event could slip between
them. The bell is captured *before* each read, so a commit that lands between
the read and the wait still wakes us.

Frames the relay sends (JSON objects with a ``type``):

* ``hello``   ``{device_id, after, head_seq}`` — first frame; ``head_seq`` lets the
  desktop show replay progress.
* ``reset``   ``{reason: cursor_expired|cursor_ahead, oldest_seq, head_seq}`` — the
  cursor cannot be honoured exactly; events older than retention are gone
  (never silent) or the relay's log was replaced.
* ``event``   ``{seq, event}`` — one event of the log.
* ``ready``   ``{seq, head_seq}`` — the backlog is drained; what follows is live.

The desktop sends ``{"type": "ack", "seq": N}``: everything up to N is safe on
its side. At most ``max_inflight`` frames and ``max_unacked_bytes`` bytes may be
unacknowledged, writes wait for the socket to drain, and pages are read only
as far as that budget reaches, so a desktop that stops reading pins a few MB,
not its backlog. A device that stops acknowledging or reading for
``stuck_timeout`` seconds is disconnected (close code 4008) and simply resumes
from its cursor later. An ack that cannot
be true (not an integer, negative, beyond what was sent) closes that stream
with 4400: it never reaches the flush that writes every device's cursor.

A device may hold ``max_streams_per_device`` streams; a new one closes its
oldest (4409): a desktop reconnecting after a network drop must get in while
its half-dead stream still lingers, and a token opening streams in a loop
never holds more than the limit.

``after`` must be ASCII digits (else HTTP 400 before the handshake); a cursor
beyond the largest seq a database holds is simply ahead of the log.

A stream that has caught up (sent ``ready`` and everything up to the head)
hands its sending to the relay's :class:`Fanout`: one pass per commit writes
the commit's ready-made frame bytes to every such stream, so a thousand idle
desktops cost one task wake-up per commit, not a thousand. Whenever the pass
cannot write to a stream at once (its byte or frame budget is full, its socket
is not draining, it is closing), the stream takes its own sending back and
goes on from its cursor exactly as during replay. The fan-out also reads such
streams' acks, a slice of them at a time every ``ACK_PACE``, so that desktops
acknowledging the same frame at once do not stall the loop in one burst.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import logging
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

import orjson
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from relay.devices import Device
from relay.eventlog import EventLog, wire_payload
from relay.logs import log_request, raised_at
from relay.metrics import RelayMetrics
from relay.protocol import (
    CLOSE_BAD_ACK,
    CLOSE_REPLACED,
    CLOSE_STUCK,
    CLOSE_UNAUTHORIZED,
    MAX_SEQ,
    bearer_token,
)
from relay.state import Relay

log = logging.getLogger("relay.stream")

PAGE = 500
# One socket write at most: with the transport's high-water mark (64 KiB) this
# is what a peer that stops reading can leave in the relay's own buffer.
WRITE_CHUNK = 256 * 1024
# Runs of frames one fan-out step writes to every live stream before letting the
# loop serve requests: a commit of thousands of events is not one long stall.
PASS_PAGES = 2
# Until a stream has read its first page, guess its frames are this big, so
# that first read of a backlog of large events stays near the byte budget.
FIRST_FRAME_GUESS = 32 * 1024
MIN_FRAME_GUESS = 256
# How long a stream the fan-out writes for lets its desktop's acks gather in the
# socket before reading them. Read at once, every ack of a thousand desktops
# acknowledging each commit cost a read, a parse, an ASGI message and a task
# wake-up on the event loop (about 12 us each: at 50 commits/s the loop was
# saturated and frames queued behind the acks). Read every ACK_PACE, one read
# brings all of them. An ack that is needed (the window is full) is read at once.
ACK_PACE = 0.1
# The fan-out reads those acks itself, a slice of its streams at a time, every
# ACK_PACE / ACK_SLICES: desktops that ack the same frame (every one of them,
# when they ack every N frames) are then not all handled in one stall of the
# loop, which the next commit's frames used to wait behind (30 ms for 1,000).
ACK_SLICES = 5


class FrameWriter:
    """Send a run of text frames with as few socket writes as the server allows.

    Under uvicorn's sans-I/O websockets protocol the ASGI ``send`` is a bound
    method of the protocol; writing several frames through its ``websockets``
    connection and flushing once saves a syscall and an ASGI round trip per
    frame, which is most of the relay's cost when ten desktops are live.
    Anything else falls back to plain ASGI sends.

    This class is the only place that touches uvicorn's protocol object
    (``WebSocketsSansIOProtocol``: ``transport``, ``writable``, ``disconnected``,
    ``close_sent``, ``conn``, ``queue``), which is not a public API. If a uvicorn release
    renames any of them the writer quietly uses ASGI sends instead, and
    ``tests/relay/test_fanout_streams.py`` fails, so the slow path is never
    taken by surprise.
    """

    NEEDED = ("conn", "transport", "writable", "disconnected", "close_sent", "queue")
    __slots__ = ("_is_closing", "_is_set", "_proto", "_send", "_write", "nothing_queued")

    def __init__(self, send: Send) -> None:
        self._send = send
        proto = getattr(send, "__self__", None)
        if (
            proto is not None
            and all(hasattr(proto, name) for name in self.NEEDED)
            and hasattr(proto.conn, "data_to_send")
        ):
            self._proto: Any = proto
            # Bound once: :meth:`write_now` runs for every live stream on every
            # commit, and each attribute chain looked up there is paid a
            # thousand times per commit. The transport and the event live as
            # long as the connection.
            self._write: Any = proto.transport.write
            self._is_closing: Any = proto.transport.is_closing
            self._is_set: Any = proto.writable.is_set
            # For the fan-out's ack sweep, which asks it of a thousand streams
            # ten times a second: one call, no chain of lookups.
            self.nothing_queued: Callable[[], bool] = proto.queue.empty
        else:
            self._proto = None
            self.nothing_queued = _always

    @property
    def direct(self) -> bool:
        """Whether frames go straight to the socket (uvicorn, no compression negotiated)."""
        return self._proto is not None and not self._proto.conn.extensions

    def has_queued(self) -> bool:
        """Whether messages from the peer are already queued for the app (read without waiting).

        Only for a :attr:`direct` writer; uvicorn stops reading the socket while
        any is queued, which is what lets a paced reader take a batch at once.
        """
        return not self.nothing_queued()

    def write_now(self, data: bytes) -> bool:
        """Write whole ready-made frames if the socket takes them without waiting.

        False, and nothing written, when the connection is going away or its
        transport is above the high-water mark: the caller then leaves the
        waiting (and the stuck timeout) to the stream's own task. Only for a
        :attr:`direct` writer.
        """
        proto = self._proto
        if proto.close_sent or proto.disconnected or self._is_closing() or not self._is_set():
            return False
        self._write(data)
        return True

    async def send_frames(self, frames: list[bytes], timeout: float) -> None:
        """Write ready-made text frames (see :func:`relay.eventlog.wire_frame`)."""
        proto = self._proto
        if proto is None or proto.conn.extensions:
            for wire in frames:
                text = wire_payload(wire).decode("utf-8")
                async with asyncio.timeout(timeout):  # not wait_for: see _send_text
                    await self._send({"type": "websocket.send", "text": text})
            return
        # The transport clears ``writable`` once its buffer passes the
        # high-water mark: waiting here is what keeps a peer that does not read
        # from growing that buffer without end.
        if not proto.writable.is_set():
            async with asyncio.timeout(timeout):  # not wait_for: see _send_text
                await proto.writable.wait()
        if proto.disconnected or proto.transport.is_closing():
            raise ConnectionResetError("stream peer went away")
        # Whole frames only, so they interleave safely with uvicorn's own
        # writes (pings, pongs, close) at frame boundaries.
        proto.transport.write(frames[0] if len(frames) == 1 else b"".join(frames))

    def abort(self) -> None:
        """Drop the connection and what it still buffers: the peer stopped taking bytes."""
        if self._proto is not None:
            self._proto.transport.abort()


def _always() -> bool:
    return True


def write_chunks(frames: list[bytes]) -> Iterator[list[bytes]]:
    """Runs of whole frames of about :data:`WRITE_CHUNK` bytes, one socket write each."""
    run: list[bytes] = []
    size = 0
    for frame in frames:
        run.append(frame)
        size += len(frame)
        if size >= WRITE_CHUNK:
            yield run
            run, size = [], 0
    if run:
        yield run


class Inflight:
    """Frames written to one stream and not yet acknowledged: how many, how many bytes.

    Both are bounded, so a desktop that stops acknowledging pins at most the
    byte budget in the relay's and the kernel's buffers, whatever its events
    weigh. One frame may always go when nothing is in flight, so an event
    larger than the budget still reaches the desktop.

    ``frames`` (``(seq, bytes)`` per frame, oldest first) and ``bytes`` are read
    and counted inline by :meth:`Fanout._deliver`, which checks the budget of a
    thousand streams per commit and cannot afford a method call each.
    """

    __slots__ = ("bytes", "frames", "max_bytes", "max_frames")

    def __init__(self, max_frames: int, max_bytes: int) -> None:
        self.max_frames = max_frames
        self.max_bytes = max_bytes
        self.bytes = 0
        self.frames: deque[tuple[int, int]] = deque()

    def room(self, frame_size: int) -> int:
        """How many frames of about ``frame_size`` bytes to read next; 0 means wait for an ack."""
        frames = self.max_frames - len(self.frames)
        if frames <= 0:
            return 0
        if not self.frames:
            return max(1, min(frames, self.max_bytes // frame_size))
        return min(frames, (self.max_bytes - self.bytes) // frame_size)

    def fitting(self, rows: list[tuple[int, bytes]]) -> int:
        """How many of ``rows``, from the first, may be written now."""
        left = self.max_bytes - self.bytes
        count = 0
        for _, frame in rows[: max(0, self.max_frames - len(self.frames))]:
            if len(frame) > left and (count or self.frames):
                break
            left -= len(frame)
            count += 1
        return count

    def add(self, rows: list[tuple[int, bytes]]) -> int:
        """Count ``rows`` as written and unacknowledged; returns their bytes."""
        size = 0
        for seq, frame in rows:
            self.frames.append((seq, len(frame)))
            size += len(frame)
        self.bytes += size
        return size

    def release(self, acked: int) -> int:
        """Forget frames up to ``acked``; the bytes freed."""
        freed = 0
        while self.frames and self.frames[0][0] <= acked:
            freed += self.frames.popleft()[1]
        self.bytes -= freed
        return freed

    def clear(self) -> int:
        """Forget every frame (the stream ended); returns the bytes that frees."""
        freed, self.bytes = self.bytes, 0
        self.frames.clear()
        return freed


# What the fan-out holds for each joined stream (see :meth:`StreamSession.lane`).
Lane = tuple["StreamSession", Inflight, Callable[[bytes], bool], Callable[[], bool]]


class Fanout:
    """Writes each commit's frames to every caught-up stream of one relay, in one pass.

    With a task per stream woken by every commit, each of a thousand idle
    desktops cost a wake-up, a tail read, a coroutine chain and a metrics lock
    per commit. Here a stream at the head *joins* (its task parks), and one task
    per relay, woken by the log's bell, reads the new frames once and writes the
    same bytes to every joined stream's socket.

    Order and no gap: :attr:`cursor` is the seq every joined stream has been
    sent up to. A stream joins only when its own cursor equals it, checked in
    the same step that brings :attr:`cursor` to the head, and it always leaves
    with its cursor at the last frame written to it. Whatever cannot be
    written at once (budget full, socket not draining, stream closing, frames
    no longer in the tail cache) hands the stream back to its own task, which
    carries on from its cursor as during replay, with the same waits and the
    same stuck timeouts.
    """

    def __init__(self, eventlog: EventLog, metrics: RelayMetrics) -> None:
        self.log = eventlog
        self.metrics = metrics
        self.cursor = eventlog.head
        # Each joined stream with what a pass needs of it, bound once at join.
        self.live: dict[StreamSession, Lane] = {}
        self._task: asyncio.Task[None] | None = None
        self._acks_task: asyncio.Task[None] | None = None

    def join(self, session: StreamSession) -> bool:
        """Take over sending for ``session`` if it is exactly at the head; False if not.

        False leaves the stream on its own task, which tries again after the
        next commit: nothing is lost by not joining, only the saving.
        """
        self.advance()
        if session.cursor != self.cursor or session.closing:
            return False
        self.live[session] = session.lane()
        loop = asyncio.get_running_loop()
        if self._task is None:
            self._task = loop.create_task(self._run(), name="relay-fanout")
        if self._acks_task is None:
            self._acks_task = loop.create_task(self._read_acks(), name="relay-fanout-acks")
        return True

    def leave(self, session: StreamSession) -> None:
        """Stop writing to ``session``; safe to call for a stream that never joined."""
        self.live.pop(session, None)
        if not self.live:
            # Nobody left to write to: the tasks do not linger until the next bell.
            if self._task is not None:
                self._task.cancel()
                self._task = None
            if self._acks_task is not None:
                self._acks_task.cancel()
                self._acks_task = None

    def release(self, session: StreamSession) -> None:
        """Hand ``session`` back to its own task, which continues from its cursor."""
        self.leave(session)
        session.resume()

    async def _run(self) -> None:
        """One pass after every ring of the log's bell, while any stream is joined."""
        try:
            while self.live:
                bell = self.log.bell  # before the pass: a commit during it rings this one
                try:
                    caught_up = self.advance()
                except Exception as exc:  # a bug: every stream falls back to its own task
                    self.metrics.internal_errors.labels("fanout", type(exc).__name__).inc()
                    log.error(
                        "fan-out failed; streams continue on their own",
                        extra={"fields": {"error": type(exc).__name__, "at": raised_at(exc)}},
                    )
                    for session in list(self.live):
                        self.release(session)
                    break
                if caught_up:
                    await bell.wait()
                else:
                    await asyncio.sleep(0)  # a large commit: let requests in between pages
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    async def _read_acks(self) -> None:
        """Read the acks queued for joined streams, one slice of them every ACK_PACE / ACK_SLICES.

        A joined stream's own ack reader is parked (see :meth:`StreamSession.read_queued`);
        this one task reads what uvicorn queued for it without a wake-up or a
        timer per stream, and a thousand desktops acking the same frame are
        read over ACK_PACE instead of at once.
        """
        try:
            while self.live:
                lanes = list(self.live.values())
                for first in range(ACK_SLICES):
                    await asyncio.sleep(ACK_PACE / ACK_SLICES)
                    for session, _, _, nothing_queued in lanes[first::ACK_SLICES]:
                        # Most have nothing queued: one call each, no coroutine made.
                        if nothing_queued() or not session._parked or session not in self.live:
                            continue
                        try:
                            await session.read_queued()
                        except Exception as exc:  # a bug: that stream goes back to its own task
                            self.metrics.internal_errors.labels(
                                "fanout_acks", type(exc).__name__
                            ).inc()
                            log.error(
                                "fan-out ack read failed; the stream continues on its own",
                                extra={
                                    "fields": {"error": type(exc).__name__, "at": raised_at(exc)}
                                },
                            )
                            self.release(session)
        finally:
            if self._acks_task is asyncio.current_task():
                self._acks_task = None

    def advance(self, pages: int = PASS_PAGES) -> bool:
        """Write up to ``pages`` runs of frames after :attr:`cursor` to every joined stream.

        Each run is at most :data:`PAGE` frames and :data:`WRITE_CHUNK` bytes,
        one socket write per stream. True when :attr:`cursor` is at the head.
        """
        head = self.log.head
        while self.live and self.cursor < head and pages > 0:
            pages -= 1
            rows = self.log.cached_after(self.cursor, PAGE, WRITE_CHUNK)
            if not rows:
                # Not in the tail cache (another instance committed them, or they
                # fell out of it): every stream reads them from the database itself.
                for session in list(self.live):
                    self.release(session)
                break
            self._deliver(rows)
            self.cursor = rows[-1][0]
        if not self.live:
            self.cursor = head
        return self.cursor >= head

    def _deliver(self, rows: list[tuple[int, bytes]]) -> None:
        """The same bytes to every joined stream; the ones that cannot take them now leave.

        This loop runs for every joined stream on every commit, so the step per
        stream is kept to the budget check, one call (:meth:`FrameWriter.write_now`,
        which does the socket write) and four stores; what is the same for every
        stream (the bookkeeping entries, the metrics) is computed once per pass.
        The budget check is :meth:`Inflight.fitting` for the whole run, inlined:
        no more than ``max_frames`` in flight, no more than ``max_bytes`` unless
        it is a single frame and nothing is in flight.
        """
        data = rows[0][1] if len(rows) == 1 else b"".join([frame for _, frame in rows])
        entries = [(seq, len(frame)) for seq, frame in rows]
        size, count = len(data), len(rows)
        last = rows[-1][0]
        lanes = list(self.live.values())
        behind: list[StreamSession] = []
        for session, inflight, write_now, _ in lanes:
            frames = inflight.frames
            try:
                if (
                    session._ending
                    or len(frames) + count > inflight.max_frames
                    or (inflight.bytes + size > inflight.max_bytes and (count > 1 or frames))
                    or not write_now(data)
                ):
                    behind.append(session)
                    continue
            except Exception as exc:  # one broken socket must not stop the pass
                self.metrics.internal_errors.labels("fanout", type(exc).__name__).inc()
                log.warning(
                    "fan-out write failed",
                    extra={"fields": {"error": type(exc).__name__, "at": raised_at(exc)}},
                )
                behind.append(session)
                continue
            frames.extend(entries)
            inflight.bytes += size
            session.cursor = last
            session.sent += count
        for session in behind:
            self.release(session)
        written = len(lanes) - len(behind)
        if written:
            # Once per pass: each metric update takes a lock.
            self.metrics.frames_sent.inc(count * written)
            self.metrics.stream_unacked_bytes.inc(size * written)


# A full collection runs SWEEP_DELAY seconds after SWEEP_AFTER streams have closed.
SWEEP_AFTER = 200
SWEEP_DELAY = 2.0


class Sweeper:
    """Frees, once a wave of disconnects has passed, what closed streams left in cycles.

    Each connection leaves a few objects that refer to each other (uvicorn's
    HTTP protocol and its parser, kept past the websocket upgrade, with the
    transport), which reference counting cannot free. The relay runs full
    collections rarely (``gc.set_threshold`` in :func:`relay.server.serve`:
    they stall the loop), so after a thousand desktops disconnected their
    leftovers stayed, and RSS grew with every wave. One full collection a
    couple of seconds after :data:`SWEEP_AFTER` closes costs tens of
    milliseconds once per wave, not per connection.
    """

    def __init__(self) -> None:
        self.closed = 0
        self._pending: asyncio.TimerHandle | None = None

    def stream_closed(self) -> None:
        """Count a closed stream; schedule a sweep if enough have closed."""
        self.closed += 1
        if self.closed >= SWEEP_AFTER and self._pending is None:
            self._pending = asyncio.get_running_loop().call_later(SWEEP_DELAY, self.sweep)

    def sweep(self) -> None:
        """Collect every generation now."""
        self._pending = None
        closed, self.closed = self.closed, 0
        started = time.perf_counter()
        found = gc.collect()
        log.info(
            "closed streams swept",
            extra={
                "fields": {
                    "streams": closed,
                    "objects": found,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                }
            },
        )


class RelayStreams:
    """What the streams of one relay share: the fan-out and the sweeper."""

    def __init__(self, relay: Relay) -> None:
        self.fanout = Fanout(relay.log, relay.metrics)
        self.sweeper = Sweeper()


_shared: weakref.WeakKeyDictionary[Relay, RelayStreams] = weakref.WeakKeyDictionary()


def shared(relay: Relay) -> RelayStreams:
    """The relay's :class:`RelayStreams`, made on first use; they go with the relay."""
    streams = _shared.get(relay)
    if streams is None:
        streams = _shared[relay] = RelayStreams(relay)
    return streams


_opened = itertools.count()  # the order streams opened in, for "close the oldest"


class StreamSession:
    """One open stream. Owns its cursor, its ack state and its two tasks."""

    def __init__(self, relay: Relay, ws: WebSocket, device: Device, after: int) -> None:
        self.relay = relay
        self.ws = ws
        self.device = device
        self.after = after
        # A cursor ahead of the log is not believed, not even as the device's
        # starting ack: the stream restarts from 0 (see the ``reset`` frame).
        self.ahead = after > relay.log.head
        self.cursor = 0 if self.ahead else after
        self.acked = self.cursor
        self.sent = 0
        settings = relay.settings
        self._inflight = Inflight(settings.max_inflight, settings.max_unacked_bytes)
        self._frame_size = FIRST_FRAME_GUESS
        self._ack_moved = asyncio.Event()
        self._close_code: int | None = None
        self._close_reason = ""
        # What the connection really ended with, for the logs: the close frame
        # the session sent, or else the code uvicorn reported with the
        # disconnect (the desktop's close, 1009 for a frame over the size limit).
        self._code_sent: int | None = None
        self._code_reported: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._finishing = False
        # Set when the session must end. Python 3.11's wait_for can swallow a
        # cancellation that races with its inner future completing, so the send
        # loop also checks this flag instead of relying on cancel() alone.
        self._ending = False
        self.connected_at = time.time()
        self.opened = next(_opened)
        self._writer = FrameWriter(ws._send)
        # Streams written to straight on the socket can be fanned out to.
        self._fanout = shared(relay).fanout if self._writer.direct else None
        self._released = asyncio.Event()
        # While the fan-out writes for this stream its acks are read every
        # ACK_PACE by the fan-out (see there); set when the stream's own task
        # sends again. ``_parked``: the ack reader waits for that, not on the socket.
        self._paced = False
        self._parked = False
        self._told_expired = False  # one ``cursor_expired`` reset per stream at most
        self._unpaced = asyncio.Event()

    # -- lifecycle -----------------------------------------------------------------

    async def run(self) -> None:
        """Send the backlog, then live events, until the stream ends; then close the socket.

        A disconnect, a cancellation (how :meth:`close` ends it) or a socket error
        ends it quietly; a bug is counted, logged and closes with 1011. Ending at
        any point is safe: unacknowledged frames are simply sent again to the
        device's next stream, which resumes from its cursor.
        """
        self._task = asyncio.current_task()
        reader = asyncio.create_task(self._read_acks(), name=f"acks-{self.device.id}")
        try:
            await self._send_loop()
        except (WebSocketDisconnect, asyncio.CancelledError, OSError):
            pass
        except Exception as exc:  # a bug must not pass silently, nor leak message text
            self.relay.report_failure(
                "stream",
                exc,
                "stream failed",
                logger=log,
                level=logging.ERROR,
                device=self.device.id,
            )
            self._close_code, self._close_reason = 1011, "internal error"

        finally:
            self._finishing = True
            if self._fanout is not None:
                self._fanout.leave(self)
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await reader
            self.relay.metrics.stream_unacked_bytes.dec(self._inflight.clear())
            await self._close()

    @property
    def closing(self) -> bool:
        """True once the session was asked to end.

        A closing stream no longer counts toward its device's stream limit.
        """
        return self._ending

    @property
    def close_code(self) -> int:
        """The close code the stream actually ended with (1006 when no close frame went out)."""
        if self._code_sent is not None:
            return self._code_sent
        if self._code_reported is not None:
            return self._code_reported
        return self._close_code or 1000

    def close(self, code: int, reason: str) -> None:
        """Ask the session to end (revocation, shutdown); safe from any task."""
        if self._close_code is None:
            self._close_code, self._close_reason = code, reason
        self._ending = True
        if self._fanout is not None:
            self._fanout.leave(self)
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def _close(self) -> None:
        if self.ws.client_state != WebSocketState.CONNECTED:
            return
        code = self._close_code or 1000
        try:
            await asyncio.wait_for(self.ws.close(code, self._close_reason), 2.0)
        except Exception:
            # Not even the close frame goes out: the peer stopped reading, and
            # a graceful close would keep its buffers until TCP gives up.
            self._writer.abort()
            self._code_sent = 1006
        else:
            self._code_sent = code

    # -- sending ---------------------------------------------------------------------

    async def _send_json(self, frame: dict[str, object]) -> None:
        await self._send_text(orjson.dumps(frame).decode())

    async def _send_text(self, text: str) -> None:
        try:
            # Not asyncio.wait_for: on 3.11 it swallows a cancellation that lands as
            # the send ends (CPython gh-86296), and a stream told to stop would go on.
            async with asyncio.timeout(self.relay.settings.stuck_timeout):
                await self.ws.send_text(text)
        except TimeoutError:
            self.relay.metrics.disconnects.labels("stuck").inc()
            self._close_code, self._close_reason = CLOSE_STUCK, "not reading"
            raise asyncio.CancelledError from None

    async def _send_loop(self) -> None:
        eventlog = self.relay.log
        settings = self.relay.settings
        await self._send_json(
            {
                "type": "hello",
                "device_id": self.device.id,
                "after": self.after,
                "head_seq": eventlog.head,
            }
        )
        if self.ahead:
            await self._send_json(
                {
                    "type": "reset",
                    "reason": "cursor_ahead",
                    "head_seq": eventlog.head,
                    "oldest_seq": 0,
                }
            )
        elif self.cursor < eventlog.pruned_through:
            await self._send_expired(await eventlog.oldest_seq())
        ready = False
        while not self._ending:
            bell = eventlog.bell
            # With no room, one row still tells "nothing left" (send ``ready``,
            # wait for the bell) from "more to send" (wait for an ack).
            limit = min(PAGE, max(1, self._inflight.room(self._frame_size)))
            rows = await eventlog.read_after(self.cursor, limit)
            if (
                rows
                and rows[0][0] > self.cursor + 1
                and not self._told_expired
                and await eventlog.pruned_past(self.cursor)
            ):
                # ``seq`` is dense: the events between were deleted, by another
                # instance's retention when this one's pruned_through did not know.
                await self._send_expired(rows[0][0])
            if not rows:
                if not ready:
                    await self._send_json(
                        {"type": "ready", "seq": self.cursor, "head_seq": eventlog.head}
                    )
                    ready = True
                    continue  # commits may have landed while ``ready`` was written
                if self._fanout is not None:
                    self._released.clear()
                    if self._fanout.join(self):
                        # Live: the fan-out writes our frames until it hands us back.
                        self._unpaced.clear()
                        self._paced = True
                        await self._released.wait()
                        continue
                # No timeout here: a wait_for per wake-up costs a task and a
                # timer for every device on every commit. The log rings the
                # bell at least every couple of seconds anyway.
                await bell.wait()
                continue
            self._frame_size = max(MIN_FRAME_GUESS, sum(len(f) for _, f in rows) // len(rows))
            count = self._inflight.fitting(rows)
            if count == 0:
                await self._wait_for_ack(settings.stuck_timeout)
                continue
            # What does not fit is dropped and read again after an ack: a
            # stream waiting on its desktop holds no page of frames.
            await self._send_rows(rows[:count])

    async def _send_expired(self, oldest_seq: int) -> None:
        """Tell the desktop events after its cursor were pruned: never skipped silently."""
        self._told_expired = True
        await self._send_json(
            {
                "type": "reset",
                "reason": "cursor_expired",
                "oldest_seq": oldest_seq,
                "head_seq": self.relay.log.head,
            }
        )

    def lane(self) -> Lane:
        """What :meth:`Fanout._deliver` needs to write to this stream, bound once as it joins.

        The pass checks the budget and ``_ending`` and moves ``cursor`` and
        ``sent`` itself; nothing is written unless the frames fit whole and the
        socket takes bytes at once, else the stream's own task takes over.
        """
        return (self, self._inflight, self._writer.write_now, self._writer.nothing_queued)

    def resume(self) -> None:
        """The fan-out hands sending back: the stream's task continues from its cursor.

        Its acks are read at once again: the task may be about to wait for one.
        """
        self._paced = False
        self._unpaced.set()
        self._released.set()

    async def _send_rows(self, rows: list[tuple[int, bytes]]) -> None:
        metrics = self.relay.metrics
        metrics.stream_unacked_bytes.inc(self._inflight.add(rows))
        # Acks up to here may come back while later chunks are being written.
        self.cursor = rows[-1][0]
        for chunk in write_chunks([frame for _, frame in rows]):
            if self._ending:
                return
            try:
                await self._writer.send_frames(chunk, self.relay.settings.stuck_timeout)
            except TimeoutError:
                metrics.disconnects.labels("stuck").inc()
                self._close_code, self._close_reason = CLOSE_STUCK, "not reading"
                raise asyncio.CancelledError from None
            self.sent += len(chunk)
            metrics.frames_sent.inc(len(chunk))

    async def _wait_for_ack(self, timeout: float) -> None:
        self._ack_moved.clear()
        try:
            async with asyncio.timeout(timeout):  # not wait_for: see _send_text
                await self._ack_moved.wait()
        except TimeoutError:
            self.relay.metrics.disconnects.labels("no_ack").inc()
            self._close_code, self._close_reason = CLOSE_STUCK, "no acknowledgement"
            raise asyncio.CancelledError from None

    # -- receiving acks -----------------------------------------------------------------

    async def _read_acks(self) -> None:
        try:
            while True:
                if self._paced:
                    # The fan-out reads our acks (Fanout._read_acks) until it hands us back.
                    self._parked = True
                    try:
                        await self._unpaced.wait()
                    finally:
                        self._parked = False
                    if self._ending:
                        break
                    continue
                if not self._on_message(await self.ws.receive()):
                    break
        finally:
            self._reader_ended()

    async def read_queued(self) -> None:
        """Handle the messages already queued for this stream, for the fan-out's ack sweep.

        Only while the stream's own reader is parked, so nobody else reads them;
        the queue holds them, so this never waits. uvicorn stops reading a
        connection while a message waits for the app, so the acks sent since
        the last sweep stay in the kernel until this one: one read brings them
        all. Pings, pongs and a close are seen as late; the stuck and ping
        timeouts are seconds, not tenths.
        """
        while self._parked and not self._ending and self._writer.has_queued():
            if not self._on_message(await self.ws.receive()):
                self._reader_ended()
                self._unpaced.set()  # the parked reader sees ``_ending`` and stops
                return

    def _on_message(self, message: Message) -> bool:
        """Handle one message from the desktop; False when the stream must end."""
        if message["type"] == "websocket.disconnect":
            code = message.get("code")
            # websockets hands over its own codes as an IntEnum (CloseCode).
            valid = isinstance(code, int) and not isinstance(code, bool)
            self._code_reported = int(code) if valid else 1005
            return False
        raw = message.get("text") or message.get("bytes")
        if not raw:
            return True
        try:
            frame = orjson.loads(raw)
        except orjson.JSONDecodeError:
            return True
        if not isinstance(frame, dict) or frame.get("type") != "ack":
            return True  # a newer desktop's frame this relay does not know
        problem = self._take_ack(frame.get("seq"))
        if problem is not None:
            self._refuse_ack(problem)
            return False
        return True

    def _reader_ended(self) -> None:
        """The peer went away or broke the protocol: stop the sender too."""
        self._ending = True
        if not self._finishing and self._task is not None and not self._task.done():
            self._task.cancel()

    def _take_ack(self, seq: object) -> str | None:
        """Move the ack forward; the reason the ack cannot be true, or None."""
        if type(seq) is not int:  # bool is an int to isinstance
            return "not an integer"
        if seq < 0:
            return "negative"
        if seq > self.cursor:
            # Never believe an ack for something not sent yet.
            return "beyond what was sent"
        if seq > self.acked:
            self.acked = seq
            self.relay.metrics.stream_unacked_bytes.dec(self._inflight.release(seq))
            self.relay.note_ack(self.device.id, seq)
            self._ack_moved.set()
        return None

    def _refuse_ack(self, problem: str) -> None:
        log.warning(
            "stream ack refused",
            extra={"fields": {"device": self.device.id, "problem": problem, "sent": self.cursor}},
        )
        self.relay.metrics.disconnects.labels("bad_ack").inc()
        self.close(CLOSE_BAD_ACK, "invalid ack")


def make_room(relay: Relay, device_id: str) -> None:
    """Close the device's oldest streams so a new one fits under the limit.

    The newest wins: the one a desktop just opened is the one it reads, while
    an old one may be a leftover from before a network drop (it would take the
    ping timeout to notice). Streams already closing do not count.
    """
    live = sorted(
        (s for s in relay.sessions.get(device_id, ()) if not s.closing),
        key=lambda s: s.opened,
    )
    excess = len(live) + 1 - relay.settings.max_streams_per_device
    for old in live[: max(0, excess)]:
        old.close(CLOSE_REPLACED, "replaced by a newer stream")
        relay.metrics.disconnects.labels("replaced").inc()
    if excess > 0:
        log.info("stream replaced", extra={"fields": {"device": device_id, "closed": excess}})


def parse_cursor(raw: str) -> int | None:
    """``after`` as a seq, or None when it is not one.

    Only ASCII digits: ``str.isdigit`` also accepts ``²`` and other digits
    ``int()`` refuses. Values past :data:`MAX_SEQ` are capped there, which
    makes them a cursor ahead of the log (a ``reset``, that the desktop
    recovers from) rather than a number no database column can hold.
    """
    if not raw or not raw.isascii() or not raw.isdigit():
        return None
    digits = raw.lstrip("0") or "0"
    if len(digits) > len(str(MAX_SEQ)):
        return MAX_SEQ
    return min(int(digits), MAX_SEQ)


async def _refuse(ws: WebSocket, status: int, name: str, message: str) -> None:
    """Answer the upgrade with a plain HTTP error, where the server allows one.

    Without the denial-response extension a close before accept is all ASGI
    offers, and the client sees 403.
    """
    if "websocket.http.response" in ws.scope.get("extensions", {}):
        body = {"error": {"name": name, "message": message}}
        await ws.send_denial_response(JSONResponse(body, status_code=status))
    else:
        await ws.close(code=4000 + status)


async def stream_endpoint(relay: Relay, scope: Scope, receive: Receive, send: Send) -> None:
    """``WS /v1/stream`` as a bare ASGI handler (see :class:`FrameWriter` for why)."""
    ws = WebSocket(scope, receive, send)
    started = time.perf_counter()
    device = await relay.authenticate(bearer_token(ws.headers))
    after = parse_cursor(ws.query_params.get("after", "0"))
    if device is None:
        relay.metrics.disconnects.labels("unauthorized").inc()
        log_request("GET", "/v1/stream", 403, started)
        await ws.close(code=CLOSE_UNAUTHORIZED)  # before accept: the client sees HTTP 403
        return
    if after is None:
        log_request("GET", "/v1/stream", 400, started)
        await _refuse(ws, 400, "bad_cursor", "after must be a seq: digits 0-9 only.")
        return
    await ws.accept()
    session = StreamSession(relay, ws, device, after)
    make_room(relay, device.id)
    relay.register(session)
    log.info("stream open", extra={"fields": {"device": device.id, "after": after}})
    try:
        await session.run()
    finally:
        relay.unregister(session)
        shared(relay).sweeper.stream_closed()
        log.info(
            "stream closed",
            extra={
                "fields": {
                    "device": device.id,
                    "sent": session.sent,
                    "acked": session.acked,
                    "code": session.close_code,
                    "s": round(time.perf_counter() - started, 1),
                }
            },
        )
        log_request("GET", "/v1/stream", 101, started, close=session.close_code)
