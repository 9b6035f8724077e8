"""The desktop end of ``WS /v1/stream``: replay, apply, acknowledge, reconnect.

Events are applied in batches, each batch in one transaction together with
the cursor (see :meth:`History.apply`); only then is the batch acknowledged.
A crash anywhere replays from the stored cursor, and applying is idempotent,
so nothing is lost or shown twice. Reconnects back off exponentially with
jitter; a revoked or unknown device stops instead of hammering the relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.store.history import ApplyResult, History
from crm_whatsapp.sync.acks import ACK_EVERY, AckPacer
from crm_whatsapp.sync.backoff import backoff

log = logging.getLogger("crm_whatsapp.sync")

# Frames applied per transaction while a backlog replays (live frames go as
# they come, after FLUSH_AFTER). Each commit rewrites the conversation rows,
# index pages and search-index segment its batch touched, so larger batches
# write fewer pages per event: 1,000 wrote 27% fewer bytes than 500 and
# applied 10,000 events ~10% faster at 10,000 conversations, for ~0.1 s of
# writer lock per batch.
BATCH = 1000
FLUSH_AFTER = 0.02  # seconds without a new frame before a partial batch is applied
CLOSE_TIMEOUT = 1.0  # seconds a stop waits for the relay's close frame (see _session)
# The network coming and going is the sync's normal life: it reconnects. Anything
# else that ends a session (the store refusing a write, a bug handling a frame)
# comes back on every reconnect, since the relay resends what was not acknowledged.
NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    ConnectionClosed,
    InvalidHandshake,
    TimeoutError,
    EOFError,
)
# Sessions in a row ended by the same non-network failure before the window is told
# the inbox is stuck (one could be a passing lock; three are not).
TROUBLE_AFTER = 3


class SyncError(Exception):
    """Syncing cannot go on; ``str()`` is one sentence in Portuguese."""


class DeviceRejected(SyncError):
    """The relay refused this computer's token: revoked, or never enrolled.

    Raised for a refused handshake and for a stream closed with 4403 (revoked
    while connected). Reconnecting cannot help; a new enrollment code can.
    """

    def __init__(self) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Problems",
                "O relay recusou este computador (dispositivo revogado ou desconhecido); "
                "peça um novo código ao administrador.",
            )
        )


MAX_SEQ = 2**63 - 1  # the relay's seq is a 64-bit integer


def decode_frame(raw: str | bytes) -> dict[str, Any]:
    """A server frame as a JSON object; anything else reads as an empty frame, skipped.

    Raising here would end the session, and the reconnect would be sent the
    same frame again: the sync would stall on it for ever.
    """
    try:
        frame = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        log.warning("skipped a frame from the relay that is not JSON (%s)", type(exc).__name__)
        return {}
    if not isinstance(frame, dict):
        log.warning("skipped a frame from the relay that is not a JSON object")
        return {}
    return frame


def frame_seq(value: Any) -> int | None:
    """A stream position: an integer from 1 to the relay's largest, else None.

    A float, a string or a boolean is not a position; taking one (``int()``)
    could move the cursor past events never received.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_SEQ:
        return value
    return None


@dataclass
class Batch:
    """Event frames received and not yet applied, with their size for the ack pacing."""

    events: list[tuple[int, Any]] = field(default_factory=list)
    size: int = 0

    def add(self, seq: int, event: Any, size: int) -> None:
        self.events.append((seq, event))
        self.size += size

    def take(self) -> tuple[list[tuple[int, Any]], int]:
        events, size = self.events, self.size
        self.events, self.size = [], 0
        return events, size


@dataclass
class SyncSummary:
    """What one session did: events and batches applied, the cursor reached, the time.

    ``reset`` is the relay's reason when it could not resume at our cursor.
    """

    events: int = 0
    batches: int = 0
    cursor: int = 0
    seconds: float = 0.0
    reset: str | None = None  # "cursor_expired" when history before retention was lost


@dataclass
class SyncListeners:
    """Callbacks the UI adapts to Qt signals; all optional, called on the loop."""

    applied: Callable[[ApplyResult], None] | None = None
    state: Callable[[str], None] | None = None  # connecting | live | replaying | offline
    progress: Callable[[int, int], None] | None = None  # done, total while replaying
    reset: Callable[[str], None] | None = None
    # The kind (exception class) of a failure that ended TROUBLE_AFTER sessions in
    # a row and will not pass by reconnecting; None once a session works again.
    trouble: Callable[[str | None], None] | None = None


def failure_kind(error: BaseException) -> str:
    """The exception's class, for logs and the window: never its message (it may hold data)."""
    return type(error).__qualname__


def failure_place(error: BaseException) -> str:
    """Where the failure was raised (file:line in function), for support to find the bug."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"


@dataclass
class SyncClient:
    """Keeps one desktop's history in step with the relay's stream (see the module).

    ``token`` is this device's bearer token; ``history`` receives every batch
    before it is acknowledged.
    """

    relay_url: str
    token: str
    history: History
    listeners: SyncListeners = field(default_factory=SyncListeners)
    backoff_max: float = 30.0
    ack_every: float = ACK_EVERY  # see crm_whatsapp.sync.acks
    # The failure ending sessions in a row (kind, how many), and whether the
    # listeners were told (see TROUBLE_AFTER).
    _failing: tuple[str, int] = field(default=("", 0), init=False, repr=False)
    _troubled: bool = field(default=False, init=False, repr=False)
    # Set by retry_now(): the wait before the next reconnect ends at once.
    _retry: asyncio.Event = field(default_factory=asyncio.Event, init=False, repr=False)

    @property
    def stream_url(self) -> str:
        """The relay's ``/v1/stream`` address, ``ws(s)://`` for an ``http(s)://`` relay."""
        base = self.relay_url.rstrip("/")
        if base.startswith("https://"):
            base = "wss://" + base[len("https://") :]
        elif base.startswith("http://"):
            base = "ws://" + base[len("http://") :]
        return base + "/v1/stream"

    def _emit(self, name: str, *args: Any) -> None:
        callback = getattr(self.listeners, name)
        if callback is not None:
            try:
                callback(*args)
            except Exception:
                log.exception("listener %s failed", name)

    async def run_until_idle(self, timeout: float = 300.0) -> SyncSummary:
        """Connect, apply the whole backlog, acknowledge, disconnect.

        Safe to cancel: the connection closes, and a batch being applied still
        commits with its cursor on its thread; if it was not acknowledged, the
        relay sends it again next time and applying it again changes nothing.
        """
        summary = SyncSummary()
        started = time.monotonic()
        try:
            await asyncio.wait_for(self._session(summary, until_idle=True), timeout)
        except InvalidStatus as exc:
            raise DeviceRejected() from exc
        except (OSError, ConnectionClosed, TimeoutError) as exc:
            raise SyncError(
                QT_TRANSLATE_NOOP(
                    "Problems",
                    "Não foi possível sincronizar com o relay; verifique o endereço e a conexão.",
                )
            ) from exc
        summary.seconds = time.monotonic() - started
        return summary

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Stay in sync until ``stop`` is set, reconnecting with backoff and jitter.

        Safe to cancel (that is how the app shuts it down): the open session is
        taken down with it, as for :meth:`run_until_idle`.
        """
        attempt = 0
        while not stop.is_set():
            summary = SyncSummary()
            self._emit("state", "connecting")
            session = asyncio.create_task(self._session(summary, until_idle=False))
            stopper = asyncio.create_task(stop.wait())
            try:
                done, _ = await asyncio.wait(
                    {session, stopper}, return_when=asyncio.FIRST_COMPLETED
                )
            except asyncio.CancelledError:
                # Cancelled from outside (shutdown): take the connection down with us.
                for task in (session, stopper):
                    task.cancel()
                await asyncio.gather(session, stopper, return_exceptions=True)
                raise
            stopper.cancel()
            if session not in done:
                session.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await session
                break
            error = session.exception()
            if isinstance(error, InvalidStatus) or (
                isinstance(error, ConnectionClosed)
                and error.rcvd is not None
                and error.rcvd.code == 4403
            ):
                self._emit("state", "rejected")
                raise DeviceRejected() from error
            self._emit("state", "offline")
            attempt = 0 if summary.events else attempt + 1
            delay = backoff(attempt, base=0.5, cap=self.backoff_max)
            self._ended(error, summary, delay)
            if await self._pause(stop, delay):
                attempt = 0  # the attendant asked: a fresh start, short waits again

    def retry_now(self) -> None:
        """Reconnect now instead of at the end of the backoff (the attendant asked)."""
        self._retry.set()

    async def _pause(self, stop: asyncio.Event, delay: float) -> bool:
        """Wait ``delay`` seconds, or less if stopped or asked to retry; True when asked."""
        self._retry.clear()
        waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._retry.wait())]
        try:
            await asyncio.wait(waits, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
        return self._retry.is_set()

    def _ended(self, error: BaseException | None, summary: SyncSummary, delay: float) -> None:
        """Log why a session ended (its kind, never data) and track failures that repeat.

        A network failure neither counts nor clears: the failure it
        interrupted is still there. A session that applied events clears it.
        """
        if summary.events:
            self._clear_trouble()
        if error is None or isinstance(error, NETWORK_ERRORS):
            log.info(
                "sync connection ended (%s); reconnecting in %.1f s",
                failure_kind(error) if error else "closed",
                delay,
            )
            return
        kind = failure_kind(error)
        count = self._failing[1] + 1 if self._failing[0] == kind else 1
        self._failing = (kind, count)
        log.error(
            "sync session failed (%s at %s), %d in a row; reconnecting in %.1f s",
            kind,
            failure_place(error),
            count,
            delay,
        )
        if count >= TROUBLE_AFTER and not self._troubled:
            self._troubled = True
            log.error("sync cannot apply what the relay sends (%s): the window says so", kind)
            self._emit("trouble", kind)

    def _clear_trouble(self) -> None:
        self._failing = ("", 0)
        if self._troubled:
            self._troubled = False
            log.info("sync applies events again; the failure reported before has cleared")
            self._emit("trouble", None)

    async def _session(self, summary: SyncSummary, *, until_idle: bool) -> None:
        cursor = await asyncio.to_thread(self.history.cursor)
        async with websockets.connect(
            f"{self.stream_url}?after={cursor}",
            additional_headers={"Authorization": f"Bearer {self.token}"},
            open_timeout=15,
            ping_interval=20,
            ping_timeout=20,
            max_size=2**24,
            compression=None,
            # Stopping (the window closing, the attendant signing out) closes the stream.
            # During a replay the frames already sent fill the receive queue, which stops
            # the reading, so the relay's close frame is never seen: the close waited the
            # whole default 10 s. After 1 s the connection is dropped; the relay copes.
            close_timeout=CLOSE_TIMEOUT,
        ) as ws:
            total = 0
            batch = Batch()
            acks = AckPacer(every=self.ack_every)
            replaying = True
            while True:
                waits = [acks.wait(time.monotonic()), FLUSH_AFTER if batch.events else None]
                try:
                    # Not asyncio.wait_for: on 3.11 it swallows a cancellation that lands
                    # as a frame arrives (CPython gh-86296), and stopping would hang here.
                    async with asyncio.timeout(
                        min((w for w in waits if w is not None), default=None)
                    ):
                        raw = await ws.recv()
                except TimeoutError:
                    raw = None
                if raw is None or len(batch.events) >= BATCH:
                    await self._flush(ws, batch, acks, summary, urgent=replaying)
                    if replaying:
                        self._emit("progress", summary.events, total)
                    if raw is None:
                        continue
                frame = decode_frame(raw)
                kind = frame.get("type")
                if kind == "event":
                    seq = frame_seq(frame.get("seq"))
                    if seq is None:  # cannot be placed; the next event's ack covers it
                        log.warning("skipped an event frame without a valid seq")
                        continue
                    # Whatever the event holds, the history keeps it (set aside if
                    # it cannot be filed) and the cursor moves past it.
                    batch.add(seq, frame.get("event"), len(raw))
                elif kind == "hello":
                    total = max(0, (frame_seq(frame.get("head_seq")) or 0) - cursor)
                    self._emit("state", "replaying")
                    self._emit("progress", 0, total)
                elif kind == "reset":
                    summary.reset = str(frame.get("reason"))
                    self._emit("reset", summary.reset)
                    if frame.get("reason") == "cursor_ahead":
                        # The relay's log is newer than ours: it restarts from 0;
                        # applying is idempotent, so replaying is safe.
                        await asyncio.to_thread(self.history.reset_cursor, 0)
                elif kind == "ready":
                    await self._flush(ws, batch, acks, summary, urgent=True)
                    replaying = False
                    self._emit("progress", summary.events, max(total, summary.events))
                    self._clear_trouble()  # the whole backlog is in: whatever failed is past
                    self._emit("state", "live")
                    if until_idle:
                        return

    async def _flush(
        self, ws: Any, batch: Batch, acks: AckPacer, summary: SyncSummary, *, urgent: bool
    ) -> None:
        """Apply what is pending, then ack if it is time (see :mod:`crm_whatsapp.sync.acks`)."""
        result = None
        if batch.events:
            events, size = batch.take()
            result = await asyncio.to_thread(self.history.apply, events)
            summary.events += len(events)
            summary.batches += 1
            summary.cursor = result.cursor
            acks.applied(result.cursor, len(events), size, time.monotonic())
        # Only ever a committed cursor: the relay may forget what it acknowledges.
        if acks.due(time.monotonic(), urgent=urgent):
            await ws.send(json.dumps({"type": "ack", "seq": acks.take()}))
        if result is not None:
            self._emit("applied", result)
