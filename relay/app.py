"""The relay as an ASGI application: wiring, lifecycle and background duties.

:class:`Relay` owns the state one process needs (database, event log, Graph
client, open streams); the HTTP and websocket handlers are thin functions over
it, in :mod:`relay.routes` and :mod:`relay.stream`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relay import __version__
from relay.config import Settings
from relay.db import create_schema, make_engine, settings_kv
from relay.devices import Device, authenticate, record_acks, revoked_among
from relay.eventlog import EventLog
from relay.graph import GraphClient
from relay.logs import HUNG_UP, log_request
from relay.metrics import RelayMetrics
from relay.sends import SendService
from relay.stream import CLOSE_REVOKED, CLOSE_SHUTDOWN, StreamSession
from relay.textcheck import ascii_digits
from relay.webhook import NewEvent

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
        self.sessions: dict[str, set[StreamSession]] = {}
        self._acks: dict[str, int] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.waba_id = settings.business_account_id
        self.templates_cache: tuple[float, Any] | None = None

    # -- lifecycle -------------------------------------------------------------------

    async def start(self) -> None:
        await asyncio.to_thread(create_schema, self.engine)
        await self.log.start()
        if not self.waba_id:
            self.waba_id = await self.log.run_in_reader(self._stored_waba) or ""
        self.metrics.head_seq.set(self.log.head)
        gc.collect()
        gc.freeze()  # what exists now lives as long as the process: stop re-scanning it
        for duty, name in (
            (self._watch_revocations, "revocations"),
            (self._flush_acks_forever, "acks"),
            (self._prune_forever, "retention"),
        ):
            self._tasks.append(asyncio.create_task(duty(), name=f"relay-{name}"))

    async def stop(self) -> None:
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
            log.warning(
                "Device cursors could not be saved at shutdown; "
                "desktops will replay from their last saved cursor.",
                extra={"fields": {"error": type(exc).__name__}},
            )
        await self.log.stop()
        await self.graph.aclose()
        self.engine.dispose()

    # -- devices and sessions ------------------------------------------------------------

    async def authenticate(self, token: str) -> Device | None:
        if not token:
            return None
        return await self.log.run_in_reader(authenticate, self.engine, token)

    def register(self, session: StreamSession) -> None:
        self.sessions.setdefault(session.device.id, set()).add(session)
        self.metrics.devices_connected.inc()

    def unregister(self, session: StreamSession) -> None:
        group = self.sessions.get(session.device.id)
        if group is not None:
            group.discard(session)
            if not group:
                del self.sessions[session.device.id]
        self.metrics.devices_connected.dec()
        self.note_ack(session.device.id, session.acked)

    def note_ack(self, device_id: str, seq: int) -> None:
        if seq > self._acks.get(device_id, -1):
            self._acks[device_id] = seq

    def close_device(self, device_id: str, code: int, reason: str) -> int:
        sessions = list(self.sessions.get(device_id, ()))
        for session in sessions:
            session.close(code, reason)
        return len(sessions)

    async def _watch_revocations(self) -> None:
        """Cut revoked devices within a second, whoever revoked them (CLI, other instance)."""
        while True:
            await asyncio.sleep(REVOKE_POLL)
            if not self.sessions:
                continue
            with contextlib.suppress(Exception):
                ids = await self.log.run_in_reader(revoked_among, self.engine, list(self.sessions))
                for device_id in ids:
                    if self.close_device(device_id, CLOSE_REVOKED, "device revoked"):
                        self.metrics.disconnects.labels("revoked").inc()

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
                if not failing:
                    log.warning(
                        "Device cursors could not be saved to the database; "
                        "they are kept in memory and retried every second.",
                        extra={"fields": {"error": type(exc).__name__}},
                    )
                failing = True
            else:
                if failing:
                    log.info("Device cursors are being saved to the database again.")
                failing = False

    async def prune_once(self, now: float | None = None) -> int:
        """Apply retention; events a connected device still lacks are kept."""
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
                log.warning("retention failed: %s", type(exc).__name__)
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
        if ascii_digits(waba_id) is None or waba_id == self.waba_id or waba_id == "0":
            return
        self.waba_id = waba_id

        def store() -> None:
            with self.engine.begin() as conn:
                updated = conn.execute(
                    settings_kv.update().where(settings_kv.c.key == "waba_id").values(value=waba_id)
                ).rowcount
                if not updated:
                    conn.execute(settings_kv.insert().values(key="waba_id", value=waba_id))

        task = asyncio.get_running_loop().create_task(self.log.run_in_writer(store))
        task.add_done_callback(lambda t: t.exception())

    async def database_ok(self) -> bool:
        def ping() -> None:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        try:
            await asyncio.wait_for(self.log.run_in_reader(ping), 3.0)
            return True
        except Exception:
            return False


class RequestLogMiddleware:
    """One structured line per HTTP request: method, path (no query), status, time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        answered = finished = False

        async def send_wrapper(message: Message) -> None:
            nonlocal status, answered, finished
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                finished = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except ClientDisconnect:
            # The client hung up mid-body, on any endpoint: nothing can be
            # answered and nothing failed, so no traceback and no 500.
            status = HUNG_UP
        finally:
            # A response cut off after its status went out (a media download
            # that failed half-way) must not read as a plain success.
            cut = {"aborted": True} if answered and not finished else {}
            log_request(scope["method"], scope["path"], status, started, **cut)


class RelayASGI:
    """Routes the two hot paths straight to bare handlers, the rest to Starlette.

    ``POST /webhook`` and ``WS /v1/stream`` carry nearly all traffic; skipping
    the framework's middleware layers there roughly doubles what one core
    serves. Everything else keeps Starlette's routing and error handling.
    """

    def __init__(self, relay: Relay, app: Starlette) -> None:
        from relay.routes import receive_webhook
        from relay.stream import stream_endpoint

        self.relay = relay
        self.app = app
        self.state = app.state
        self._webhook = receive_webhook
        self._stream = stream_endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http" and scope["path"] == "/webhook" and scope["method"] == "POST":
            await self._webhook(self.relay, scope, receive, send)
        elif kind == "websocket" and scope["path"] == "/v1/stream":
            await self._stream(self.relay, scope, receive, send)
        else:
            await self.app(scope, receive, send)


def create_app(
    settings: Settings, *, graph_transport: httpx.AsyncBaseTransport | None = None
) -> RelayASGI:
    from relay.routes import routes

    relay = Relay(settings, graph_transport=graph_transport)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await relay.start()
        log.info(
            "relay started",
            extra={
                "fields": {
                    "version": __version__,
                    "database": relay.engine.dialect.name,
                    "head_seq": relay.log.head,
                }
            },
        )
        try:
            yield
        finally:
            await relay.stop()

    app = Starlette(routes=routes(), lifespan=lifespan)
    app.state.relay = relay
    app.add_middleware(RequestLogMiddleware)
    return RelayASGI(relay, app)
