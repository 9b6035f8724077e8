"""What one relay process holds and does in the background, apart from serving requests.

:class:`Relay` owns the database, the event log, the Graph client and the open
streams, and runs the background duties (revocations, device cursors,
retention). The handlers in :mod:`relay.routes` and :mod:`relay.stream` are
thin functions over it; :mod:`relay.asgi` puts them together. This module
imports neither, so the imports form a tree: a stream is known here only by
the few things the state asks of it (:class:`Session`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from typing import Any, Protocol

import httpx
from sqlalchemy import text

from relay.config import Settings
from relay.db import create_schema, make_engine, settings_kv
from relay.devices import Device, authenticate, record_acks, revoked_among
from relay.eventlog import EventLog
from relay.graph import GraphClient
from relay.logs import raised_at
from relay.metrics import RelayMetrics
from relay.presence import Presence
from relay.protocol import CLOSE_REVOKED, CLOSE_SHUTDOWN
from relay.sends import SendService
from relay.textcheck import ascii_digits
from relay.webhook import NewEvent


class Session(Protocol):
    """What the state needs of an open stream (:class:`relay.stream.StreamSession`)."""

    device: Device
    acked: int
    opened: int

    @property
    def closing(self) -> bool:
        """True once the stream was asked to end; it then no longer counts toward its limit."""

    def close(self, code: int, reason: str) -> None:
        """Ask the stream to end with websocket close ``code``; returns at once, from any task."""


log = logging.getLogger("relay")

REVOKE_POLL = 0.3
ACK_FLUSH = 1.0
PRUNE_EVERY = 600.0


class Relay:
    """Everything one relay process holds; created by :func:`create_app`."""

    def __init__(
        self, settings: Settings, *, graph_transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self.metrics = RelayMetrics()
        self.engine = make_engine(settings.resolved_database_url())
        self.log = EventLog(
            self.engine, cache_bytes=settings.tail_cache_bytes, on_commit=self._committed
        )
        self.graph = GraphClient(
            settings.graph_url,
            settings.api_version,
            settings.access_token,
            transport=graph_transport,
            media_hosts=settings.media_hosts,
        )
        self.sends = SendService(
            self.engine, self.log, self.graph, budget=settings.send_retry_budget
        )
        self.sessions: dict[str, set[Session]] = {}
        self._acks: dict[str, int] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.waba_id = settings.business_account_id
        # The id saved in the database (or being saved, or configured): a webhook
        # carrying another one saves it; one whose save failed is tried again.
        self._waba_saved = self.waba_id
        self.templates_cache: tuple[float, Any] | None = None
        self.presence = Presence(self.engine, lambda: list(self.sessions), self.log.run_in_writer)

    # -- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        """Migrate the schema, start the event log and the background duties.

        Not undone if it fails or is cancelled part-way: what already started
        (a migration runs on in its thread, the log's tasks) is left to the
        process exit, since uvicorn does not serve after a failed startup.
        """
        await asyncio.to_thread(create_schema, self.engine)
        await self.log.start()
        if not self.waba_id:
            self.waba_id = await self.log.run_in_reader(self._stored_waba) or ""
            self._waba_saved = self.waba_id
        self.metrics.head_seq.set(self.log.head)
        gc.collect()
        gc.freeze()  # what exists now lives as long as the process: stop re-scanning it
        for duty, name in (
            (self._watch_revocations, "revocations"),
            (self._flush_acks_forever, "acks"),
            (self._prune_forever, "retention"),
            (self.presence.run_forever, "presence"),
        ):
            self._tasks.append(asyncio.create_task(duty(), name=f"relay-{name}"))

    async def stop(self) -> None:
        """Close every stream, stop the duties, save device cursors, close everything.

        Cursors that cannot be saved are reported; desktops then replay from the
        last saved ones. Do not cancel it: what it had not reached stays open and
        the cursors noted since the last flush are lost.
        """
        for sessions in list(self.sessions.values()):
            for session in list(sessions):
                session.close(CLOSE_SHUTDOWN, "relay restarting")
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await self._flush_acks()
        except Exception as exc:
            self.report_failure(
                "acks",
                exc,
                "Device cursors could not be saved at shutdown; "
                "desktops will replay from their last saved cursor.",
            )
        await self.log.stop()
        await self.graph.aclose()
        self.engine.dispose()

    # -- failures ------------------------------------------------------------------------

    def report_failure(
        self,
        where: str,
        exc: BaseException,
        message: str,
        *,
        logger: logging.Logger = log,
        level: int = logging.WARNING,
        quiet: bool = False,
        **fields: str,
    ) -> None:
        """Count a failure the relay survives and log where and what kind it was.

        ``relay_internal_errors_total{where, kind}`` goes up every time; the log
        line (skipped when ``quiet``: an outage already logged) carries
        ``where``, the exception class and where it was raised, never
        ``str(exc)``, which can quote a row or a message.
        """
        kind = type(exc).__name__
        self.metrics.internal_errors.labels(where, kind).inc()
        if not quiet:
            logger.log(
                level,
                message,
                extra={"fields": {**fields, "where": where, "error": kind, "at": raised_at(exc)}},
            )

    # -- devices and sessions ------------------------------------------------------------

    async def authenticate(self, token: str) -> Device | None:
        """The live device owning ``token`` (looked up on a reader thread), or None.

        Safe to cancel: it only reads.
        """
        if not token:
            return None
        return await self.log.run_in_reader(authenticate, self.engine, token)

    def register(self, session: Session) -> None:
        """Count a new stream of its device, so revocation and shutdown can reach it."""
        self.sessions.setdefault(session.device.id, set()).add(session)
        self.metrics.devices_connected.inc()
        self.presence.changed()

    def unregister(self, session: Session) -> None:
        """Forget a stream that ended and note how far it was acknowledged, to be saved."""
        group = self.sessions.get(session.device.id)
        if group is not None:
            group.discard(session)
            if not group:
                del self.sessions[session.device.id]
                self.presence.changed()
        self.metrics.devices_connected.dec()
        self.note_ack(session.device.id, session.acked)

    def note_ack(self, device_id: str, seq: int) -> None:
        """Note a device's acknowledged seq for the next flush (within a second); never back."""
        if seq > self._acks.get(device_id, -1):
            self._acks[device_id] = seq

    def close_device(self, device_id: str, code: int, reason: str) -> int:
        """Ask every stream of a device to close with ``code``; returns how many there were."""
        sessions = list(self.sessions.get(device_id, ()))
        for session in sessions:
            session.close(code, reason)
        return len(sessions)

    async def _watch_revocations(self) -> None:
        """Cut revoked devices within a second, whoever revoked them (CLI, other instance).

        While the check fails, revoked devices stay connected: that is logged
        when it starts and when it ends, and every failed check is counted.
        """
        failing = False
        while True:
            await asyncio.sleep(REVOKE_POLL)
            if not self.sessions:
                continue
            try:
                ids = await self.log.run_in_reader(revoked_among, self.engine, list(self.sessions))
                for device_id in ids:
                    if self.close_device(device_id, CLOSE_REVOKED, "device revoked"):
                        self.metrics.disconnects.labels("revoked").inc()
            except Exception as exc:
                self.report_failure(
                    "revocations",
                    exc,
                    "Revoked devices could not be read from the database; "
                    "revoked devices stay connected until it answers. Retried every "
                    f"{REVOKE_POLL} s.",
                    quiet=failing,
                )
                failing = True
            else:
                if failing:
                    log.info("Revoked devices are being read again.")
                failing = False

    async def _flush_acks(self) -> None:
        """Write the acks noted since the last flush; what cannot be written is kept.

        The stream-lag gauges are set first: they come from memory and must
        keep telling the truth while the database is unwritable.
        """
        self._set_stream_metrics()
        acks, self._acks = self._acks, {}
        if not acks:
            return
        try:
            await self.log.run_in_writer(record_acks, self.engine, acks)
        except BaseException:
            # Merged back under newer acks (max), so the next flush writes them:
            # a device's saved cursor must not wait for its next ack to move.
            for device_id, seq in acks.items():
                self.note_ack(device_id, seq)
            raise

    def _set_stream_metrics(self) -> None:
        head = self.log.head
        self.metrics.head_seq.set(head)
        for device_id, sessions in self.sessions.items():
            acked = max((s.acked for s in sessions), default=head)
            self.metrics.stream_lag.labels(device_id).set(max(0, head - acked))

    async def _flush_acks_forever(self) -> None:
        """Flush every second; an outage is logged once when it starts and once when it ends."""
        failing = False
        while True:
            await asyncio.sleep(ACK_FLUSH)
            try:
                await self._flush_acks()
            except Exception as exc:
                self.report_failure(
                    "acks",
                    exc,
                    "Device cursors could not be saved to the database; "
                    "they are kept in memory and retried every second.",
                    quiet=failing,
                )
                failing = True
            else:
                if failing:
                    log.info("Device cursors are being saved to the database again.")
                failing = False

    async def prune_once(self, now: float | None = None) -> int:
        """Apply retention; events a connected device still lacks are kept.

        Cancel only when stopping (see :meth:`EventLog.prune`).
        """
        now = time.time() if now is None else now
        cutoff = now - self.settings.retention_days * 86400
        pending = [s.acked for group in self.sessions.values() for s in group]
        keep_from = min(pending) if pending else None
        return await self.log.prune(cutoff, keep_from)

    async def _prune_forever(self) -> None:
        while True:
            try:
                deleted = await self.prune_once()
                if deleted:
                    log.info("retention", extra={"fields": {"deleted": deleted}})
            except Exception as exc:
                self.report_failure(
                    "retention", exc, "Retention failed; it runs again in ten minutes."
                )
            await asyncio.sleep(PRUNE_EVERY)

    # -- commits ------------------------------------------------------------------------

    def _committed(self, flat: list[NewEvent], seqs: list[int | None], seconds: float) -> None:
        stored: dict[str, int] = {}
        duplicates = 0
        for ev, seq in zip(flat, seqs, strict=True):
            if seq is None:
                duplicates += 1
            else:
                stored[ev.kind] = stored.get(ev.kind, 0) + 1
        if duplicates:
            self.metrics.events_duplicate.inc(duplicates)
        for kind, count in stored.items():
            self.metrics.events_stored.labels(kind).inc(count)
        self.metrics.commit_batch.observe(len(flat))
        self.metrics.commit_seconds.observe(seconds)
        self.metrics.append_lock_held.inc(self.log.last_lock_held)

    def _stored_waba(self) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                settings_kv.select()
                .with_only_columns(settings_kv.c.value)
                .where(settings_kv.c.key == "waba_id")
            ).scalar()

    def remember_waba(self, waba_id: str) -> None:
        """Learn the business account id from webhooks, for the templates endpoint."""
        # Only ASCII digits: the id goes into Graph URLs (/{id}/message_templates).
        if ascii_digits(waba_id) is None or waba_id == self._waba_saved or waba_id == "0":
            return
        self.waba_id = self._waba_saved = waba_id

        def store() -> None:
            """Insert or update the ``waba_id`` setting, on the writer thread."""
            with self.engine.begin() as conn:
                updated = conn.execute(
                    settings_kv.update().where(settings_kv.c.key == "waba_id").values(value=waba_id)
                ).rowcount
                if not updated:
                    conn.execute(settings_kv.insert().values(key="waba_id", value=waba_id))

        def stored(task: asyncio.Task[None]) -> None:
            """If the save failed, report it and let the next webhook carrying the id retry."""
            exc = None if task.cancelled() else task.exception()
            if exc is None:
                return
            if self._waba_saved == waba_id:
                self._waba_saved = ""  # the next webhook carrying it tries again
            self.report_failure(
                "waba_id",
                exc,
                "The business account id could not be saved; it is used from memory "
                "and saved with the next webhook.",
            )

        task = asyncio.get_running_loop().create_task(self.log.run_in_writer(store))
        task.add_done_callback(stored)

    async def database_ok(self) -> bool:
        """Whether the database answers ``SELECT 1`` within 3 s (for ``/healthz``).

        Any failure is False. Safe to cancel: the query finishes on its thread.
        """

        def ping() -> None:
            """One trivial query on a pooled connection."""
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(self.log.run_in_reader(ping), 3.0)
            return True
        except Exception:
            return False
