"""HTTP handlers. Each one is thin over :class:`relay.state.Relay`.

Errors are JSON ``{"error": {"name": ..., "message": ...}}`` with a stable
``name`` a desktop can branch on; messages are short English sentences.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import logging
import tempfile
import time
from typing import Any

import httpx
import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from relay import __version__
from relay.config import MAX_WEBHOOK_BYTES
from relay.devices import BadDeviceName, Device, EnrollmentError, TooManyAttempts, enroll_from
from relay.graph import MediaFailed, parse_error
from relay.logs import HUNG_UP, log_request, log_request_enabled
from relay.media import MediaDownload, forwardable_length
from relay.presence import team
from relay.protocol import bearer_token
from relay.sends import BadSend, SendOutcome
from relay.state import Relay
from relay.team import BadTeamEvent, stored_seq, team_event, validate_team
from relay.textcheck import ascii_digits
from relay.webhook import SIGNATURE_HEADER, signature_is_valid, split_webhook

graph_log = logging.getLogger("relay.graph")

MAX_API_BODY = 64 * 1024
MAX_MEDIA_BYTES = 100 * 1024 * 1024
TEMPLATES_TTL = 300.0


class TooLarge(Exception):
    """The body is over its endpoint's limit (declared or read): answered 413."""

    pass


def _relay(request: Request) -> Relay:
    return request.app.state.relay  # type: ignore[no-any-return]


def error(status: int, name: str, message: str, **extra: Any) -> JSONResponse:
    """The relay's error answer: ``{"error": {name, message, ...}}`` with ``status``."""
    return JSONResponse({"error": {"name": name, "message": message, **extra}}, status_code=status)


async def read_body(request: Request, limit: int) -> bytes:
    """Read at most ``limit`` bytes, refusing early on Content-Length."""
    declared = ascii_digits(request.headers.get("content-length"))
    if declared is not None and int(declared) > limit:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, limit: int = MAX_API_BODY) -> Any:
    """The body, at most ``limit`` bytes, parsed as JSON (any JSON value).

    Raises :class:`TooLarge` or :class:`orjson.JSONDecodeError`; the handler
    turns each into its own answer.
    """
    body = await read_body(request, limit)
    return orjson.loads(body)


# -- Meta's webhook --------------------------------------------------------------------


async def verify_webhook(request: Request) -> Response:
    """``GET /webhook``: Meta's subscription check; echo ``hub.challenge`` if the token matches.

    The token is compared in constant time; anything else is 403 and counted.
    """
    relay = _relay(request)
    params = request.query_params
    token = params.get("hub.verify_token", "")
    expected = relay.settings.verify_token
    if (
        params.get("hub.mode") == "subscribe"
        and expected
        and hmac.compare_digest(token.encode(), expected.encode())
        and "hub.challenge" in params
    ):
        return PlainTextResponse(params["hub.challenge"])
    relay.metrics.webhooks.labels("rejected", "verification").inc()
    return PlainTextResponse("Forbidden", status_code=403)


async def _respond(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _json_error(name: str, message: str) -> bytes:
    return orjson.dumps({"error": {"name": name, "message": message}})


webhook_log = logging.getLogger("relay.webhook")


def _settled(relay: Relay, task: asyncio.Task[None]) -> None:
    """Settling sends from statuses is best effort (a later status retries it), but logged."""
    exc = None if task.cancelled() else task.exception()
    if exc is not None:
        relay.report_failure("settle", exc, "settling sends failed", logger=webhook_log)


async def receive_webhook(relay: Relay, scope: Scope, receive: Receive, send: Send) -> None:
    """``POST /webhook`` as a bare ASGI handler: it is the relay's hottest path.

    Verify the signature over the raw bytes, split, append (group commit),
    and answer 200 only once the events are durable. Cancelled (at shutdown)
    before answering, the events may still commit: Meta retries, and their
    deduplication keys make the retry store nothing new.
    """
    started = time.perf_counter()
    metrics = relay.metrics
    headers = dict(scope["headers"])
    declared = headers.get(b"content-length", b"")
    status = HUNG_UP  # what the request line says: set just before each answer is sent
    try:
        if declared.isdigit() and int(declared) > MAX_WEBHOOK_BYTES:
            raise TooLarge
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_WEBHOOK_BYTES:
                raise TooLarge
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        signature = headers.get(SIGNATURE_HEADER.encode())
        if not signature_is_valid(
            body, signature.decode("latin-1") if signature else None, relay.settings.app_secret
        ):
            status = 401
            metrics.webhooks.labels(
                "rejected", "signature_missing" if signature is None else "signature_bad"
            ).inc()
            await _respond(
                send,
                401,
                _json_error("bad_signature", "X-Hub-Signature-256 is missing or does not match."),
                JSON,
            )
            return
        events = split_webhook(body)
        try:
            await relay.log.append(events)
        except Exception as exc:
            relay.report_failure(
                "webhook",
                exc,
                "Webhook events could not be stored; answered 503 so Meta retries.",
                logger=webhook_log,
            )
            status = 503
            metrics.webhooks.labels("rejected", "storage").inc()
            # Not 200: Meta retries, so nothing is lost while the database is down.
            await _respond(
                send,
                503,
                _json_error("storage_unavailable", "The event log is not writable right now."),
                JSON,
            )
            return
        metrics.webhook_accepted.inc()
        status = 200
        await _respond(send, 200, b"EVENT_RECEIVED", PLAIN)
        waba = events[0].body.get("waba_id")
        if isinstance(waba, str):
            relay.remember_waba(waba)
        if any(ev.kind == "status" for ev in events):
            task = asyncio.get_running_loop().create_task(relay.sends.settle_from_statuses(events))
            task.add_done_callback(functools.partial(_settled, relay))
    except TooLarge:
        status = 413
        metrics.webhooks.labels("rejected", "too_large").inc()
        await _respond(
            send, 413, _json_error("too_large", "Webhook bodies over 4 MiB are refused."), JSON
        )
    except Exception as exc:
        # A bug, not the sender's fault: one line for the admin (never the body),
        # a 500 so Meta retries, and a request line that says 500 too.
        relay.report_failure(
            "webhook_handler", exc, "webhook failed", logger=webhook_log, level=logging.ERROR
        )
        if status == HUNG_UP:
            status = 500
            metrics.webhooks.labels("rejected", "internal_error").inc()
            await _respond(
                send, 500, _json_error("internal_error", "The relay failed on this webhook."), JSON
            )
    finally:
        if log_request_enabled():
            log_request("POST", "/webhook", status, started)


JSON = b"application/json"
PLAIN = b"text/plain; charset=utf-8"


# -- devices ------------------------------------------------------------------------------


async def enroll_device(request: Request) -> Response:
    """Exchange a code for a token, throttled per client address (see ``enroll_from``).

    The address is the peer's, or what a proxy listed in RELAY_TRUSTED_PROXIES
    forwarded (uvicorn rewrites it only for those).
    """
    relay = _relay(request)
    client = request.client.host if request.client else "?"
    try:
        payload = await read_json(request, 4096)
    except TooLarge:
        return error(413, "too_large", "The enrollment request is too large.")
    except orjson.JSONDecodeError:
        return error(400, "bad_json", "The body must be JSON.")
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), str):
        return error(400, "bad_request", 'Send {"code": ..., "name": ...}.')
    name = payload.get("name") if isinstance(payload.get("name"), str) else None
    try:
        token, device_id = await relay.log.run_in_writer(
            enroll_from, relay.engine, client, payload["code"], name
        )
    except TooManyAttempts:
        return error(429, "too_many_attempts", "Too many wrong codes; wait a minute.")
    except EnrollmentError:
        return error(403, "invalid_code", "The enrollment code is unknown, used or expired.")
    except BadDeviceName:
        return error(400, "bad_request", "The device name must be text without control characters.")
    return JSONResponse({"token": token, "device_id": device_id})


async def require_device(request: Request) -> Device | Response:
    """The device the request's bearer token belongs to, or the 401 to answer.

    Safe to cancel: it only reads.
    """
    relay = _relay(request)
    device = await relay.authenticate(bearer_token(request.headers))
    if device is None:
        return error(401, "unauthorized", "A valid device token is required.")
    return device


# -- sends ------------------------------------------------------------------------------------


async def post_message(request: Request) -> Response:
    """``POST /v1/messages``: send for the device, exactly once per ``client_id``.

    The answer is :class:`SendOutcome`'s; a malformed request is 400 before
    anything is stored or sent (see :meth:`SendService.send`).
    """
    relay = _relay(request)
    device = await require_device(request)
    if isinstance(device, Response):
        return device
    try:
        payload = await read_json(request)
    except TooLarge:
        return error(413, "too_large", "Message requests are limited to 64 KiB.")
    except orjson.JSONDecodeError:
        return error(400, "bad_json", "The body must be JSON.")
    started = time.perf_counter()
    try:
        outcome = await relay.sends.send(device, payload)
    except BadSend as exc:
        return error(400, "bad_request", str(exc) + ".")
    relay.metrics.send_latency.observe(time.perf_counter() - started)
    read_receipt = isinstance(payload, dict) and payload.get("status") == "read"
    relay.metrics.sends.labels(_send_result(outcome, read_receipt)).inc()
    return JSONResponse(outcome.body, status_code=outcome.http_status)


def _send_result(outcome: SendOutcome, read_receipt: bool) -> str:
    """The metric's label: ``accepted``, ``read`` for a receipt Meta took, or the error's name.

    A read receipt's answer is ``{"success": true}`` with no ``status``: reading
    that as a failure counted every read as a failed send.
    """
    if outcome.http_status == 200:
        return "read" if read_receipt else "accepted"
    error = outcome.body.get("error")
    name = error.get("name") if isinstance(error, dict) else None
    return name if isinstance(name, str) else "failed"


# -- team events ------------------------------------------------------------------------------


def _flat_error(status: int, name: str, detail: str | None = None) -> JSONResponse:
    """``POST /v1/events`` answers errors as ``{"error": name, "detail"?}`` (its contract)."""
    body: dict[str, Any] = {"error": name}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status)


async def post_event(request: Request) -> Response:
    """``POST /v1/events``: a team event from a desktop, appended to the stream.

    Idempotent per ``(device, id)``: a retry answers ``duplicate: true`` with
    the seq first stored (null if retention already pruned it).
    """
    relay = _relay(request)
    device = await relay.authenticate(bearer_token(request.headers))
    if device is None:
        return _flat_error(401, "unauthorized")
    try:
        payload = await read_json(request)
    except TooLarge:
        return _flat_error(413, "too_large")
    except orjson.JSONDecodeError:
        return _flat_error(400, "bad_request", "The body must be JSON.")
    try:
        event_id, data = validate_team(payload)
        event = team_event(device, event_id, data)
    except BadTeamEvent as exc:
        return _flat_error(400, "bad_request", str(exc))
    try:
        (seq,) = await relay.log.append([event])
        if seq is not None:
            return JSONResponse({"seq": seq, "duplicate": False})
        original = await relay.log.run_in_reader(stored_seq, relay.engine, event.dedupe_key)
    except Exception as exc:
        relay.report_failure("events", exc, "A team event could not be stored; answered 503.")
        return _flat_error(503, "storage_unavailable", "The event log is not writable right now.")
    return JSONResponse({"seq": original, "duplicate": True})


async def get_team(request: Request) -> Response:
    """``GET /v1/team``: the enrolled devices (colleagues) and who has a stream open now.

    ``{"devices": [{"id", "name", "online"}]}``, by name; see :mod:`relay.presence`.
    """
    relay = _relay(request)
    device = await require_device(request)
    if isinstance(device, Response):
        return device
    try:
        colleagues = await relay.log.run_in_reader(team, relay.engine)
    except Exception as exc:
        relay.report_failure("team", exc, "The team list could not be read; answered 503.")
        return error(503, "storage_unavailable", "The device list is not readable right now.")
    return JSONResponse(
        {"devices": [{"id": c.id, "name": c.name, "online": c.online} for c in colleagues]}
    )


# -- media --------------------------------------------------------------------------------------


async def get_media(request: Request) -> Response:
    """``GET /v1/media/{id}``: look the id up with Graph and stream the file through.

    Lookup failures are answered with a stable name; once the bytes flow, a
    failure cuts the connection (see :mod:`relay.media`). ``X-Media-Sha256``
    passes Meta's checksum on.
    """
    relay = _relay(request)
    device = await require_device(request)
    if isinstance(device, Response):
        return device
    media_id = request.path_params["media_id"]
    if not media_id.isascii() or not media_id.replace("_", "").replace("-", "").isalnum():
        return error(400, "bad_media_id", "That is not a media id.")
    try:
        info = await relay.graph.media_info(media_id)
        upstream, chunks = await relay.graph.stream_url(info.url)
    except MediaFailed as exc:
        return _media_failed(exc)
    headers = {"Cache-Control": "private, max-age=0"}
    length = forwardable_length(upstream)
    if length is not None:
        headers["Content-Length"] = length
    if info.sha256:
        headers["X-Media-Sha256"] = info.sha256
    return MediaDownload(
        upstream,
        chunks,
        media_type=info.mime_type or upstream.headers.get("content-type"),
        headers=headers,
    )


def _media_failed(exc: MediaFailed) -> Response:
    """The desktop gets the stable name; the admin's log says which step failed."""
    if exc.status >= 500:
        graph_log.warning("media request failed", extra={"fields": {"error": exc.name}})
    return error(exc.status, exc.name, exc.message)


async def upload_media(request: Request) -> Response:
    """``POST /v1/media?phone_number_id=…``: pass a file (up to 100 MB) on to Graph.

    The body is spooled (memory up to 8 MB, then a temporary file), so a file
    over the limit is refused before Graph is called. The answer is Graph's
    ``{"id": ...}``; a refusal keeps Meta's error name (422, or 502 when
    retrying may help).
    """
    relay = _relay(request)
    device = await require_device(request)
    if isinstance(device, Response):
        return device
    phone_number_id = ascii_digits(request.query_params.get("phone_number_id"))
    if phone_number_id is None:
        return error(400, "bad_request", "phone_number_id must be given as a query parameter.")
    mime = request.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
    filename = request.query_params.get("filename", "file")[:200]
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_MEDIA_BYTES:
                return error(413, "too_large", "Media files are limited to 100 MB by WhatsApp.")
            spool.write(chunk)
        spool.seek(0)
        try:
            response = await relay.graph.upload_media(phone_number_id, filename, mime, spool)
        except MediaFailed as exc:
            return _media_failed(exc)
    if response.status_code != 200:
        err = parse_error(response)
        return error(
            422 if not err.retryable else 502,
            err.name,
            err.message or "Upload refused.",
            code=err.code,
        )
    uploaded = json_object(response)
    if not isinstance(uploaded.get("id"), str):
        return _media_failed(
            MediaFailed(502, "meta_bad_answer", "Meta's answer to the upload was not understood.")
        )
    return JSONResponse(uploaded)


async def list_templates(request: Request) -> Response:
    """``GET /v1/templates``: the business account's approved templates.

    Cached for five minutes per relay; when Meta fails, the last list is served
    if there is one. Needs the account id (configured, or learnt from a webhook).
    """
    relay = _relay(request)
    device = await require_device(request)
    if isinstance(device, Response):
        return device
    if not relay.waba_id:
        return error(
            503, "waba_unknown", "Set WHATSAPP_BUSINESS_ACCOUNT_ID (or wait for a first webhook)."
        )
    cached = relay.templates_cache
    if cached is not None and time.monotonic() - cached[0] < TEMPLATES_TTL:
        return JSONResponse(cached[1])
    templates: list[Any] = []
    params: dict[str, Any] | None = {"status": "APPROVED", "limit": 100}
    path = f"/{relay.waba_id}/message_templates"
    for _ in range(20):  # bounded paging
        page = await _templates_page(relay, path, params)
        if page is None:
            if cached is not None:
                return JSONResponse(cached[1])
            return error(502, "meta_unavailable", "Meta did not list the templates.")
        data = page.get("data")
        templates.extend(data if isinstance(data, list) else [])
        paging = page.get("paging") if isinstance(page.get("paging"), dict) else {}
        cursors = paging.get("cursors") if isinstance(paging.get("cursors"), dict) else {}
        after = cursors.get("after")
        if not isinstance(after, str) or not after or not paging.get("next"):
            break
        params = {"status": "APPROVED", "limit": 100, "after": after}
    body = {"data": templates}
    relay.templates_cache = (time.monotonic(), body)
    return JSONResponse(body)


async def _templates_page(relay: Relay, path: str, params: dict[str, Any] | None) -> Any:
    """One page of Graph's template list as a dict, or None when Meta failed or answered junk."""
    try:
        response = await relay.graph.get_json(path, params)
    except httpx.HTTPError as exc:
        graph_log.warning("templates failed", extra={"fields": {"error": type(exc).__name__}})
        return None
    page = json_object(response) if response.status_code == 200 else {}
    return page or None


def json_object(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or ``{}`` for anything else (Graph is outside our control)."""
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


# -- operations ------------------------------------------------------------------------------------


async def healthz(request: Request) -> Response:
    """``GET /healthz``: 200 when the database answers within 3 s, else 503.

    The body adds the version, the backend, the head seq and the open streams.
    """
    relay = _relay(request)
    ok = await relay.database_ok()
    body = {
        "status": "ok" if ok else "database_unreachable",
        "version": __version__,
        "database": relay.engine.dialect.name,
        "head_seq": relay.log.head,
        "devices_connected": sum(len(s) for s in relay.sessions.values()),
    }
    return JSONResponse(body, status_code=200 if ok else 503)


def metrics_allowed(request: Request, token: str) -> bool:
    """No token configured, or ``Authorization: Bearer <token>`` compared in constant time."""
    if not token:
        return True
    given = bearer_token(request.headers)
    return hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), token.encode("utf-8", "surrogateescape")
    )


async def metrics(request: Request) -> Response:
    """``GET /metrics``: Prometheus' text format, with the head refreshed first.

    With ``RELAY_METRICS_TOKEN`` set, a scrape without that bearer token gets 401.
    """
    relay = _relay(request)
    if not metrics_allowed(request, relay.settings.metrics_token):
        return JSONResponse(
            {"error": {"name": "unauthorized", "message": "Metrics need the bearer token."}},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    with contextlib.suppress(Exception):
        relay.metrics.head_seq.set(relay.log.head)
    return Response(relay.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


def routes() -> list[BaseRoute]:
    """The Starlette routes for everything but ``POST /webhook`` and ``WS /v1/stream``.

    Those two are served bare by :class:`relay.asgi.RelayASGI`.
    """
    return [
        Route("/webhook", verify_webhook, methods=["GET"]),
        Route("/v1/enroll", enroll_device, methods=["POST"]),
        Route("/v1/messages", post_message, methods=["POST"]),
        Route("/v1/events", post_event, methods=["POST"]),
        Route("/v1/team", get_team, methods=["GET"]),
        Route("/v1/media", upload_media, methods=["POST"]),
        Route("/v1/media/{media_id}", get_media, methods=["GET"]),
        Route("/v1/templates", list_templates, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
