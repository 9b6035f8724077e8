"""The relay as an ASGI application: the handlers assembled over one :class:`Relay`.

The top of the import tree: it imports the state, the routes and the stream,
and nothing in the relay imports it but the server (:mod:`relay.server`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from relay import __version__
from relay.config import Settings
from relay.logs import HUNG_UP, log_request
from relay.routes import receive_webhook, routes
from relay.state import Relay
from relay.stream import stream_endpoint

log = logging.getLogger("relay")


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
            """Pass ``message`` on, noting the status and whether the body ended."""
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
    """The relay's ASGI app for ``settings``; nothing is opened until its lifespan starts.

    ``graph_transport`` replaces the network under the Graph client (tests and
    the demo point it at the Meta simulator).
    """
    relay = Relay(settings, graph_transport=graph_transport)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        """Start the relay before the first request; stop it after the last.

        A start that fails part-way is not undone (see :meth:`Relay.start`):
        uvicorn then does not serve.
        """
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
