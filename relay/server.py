"""Running the relay under uvicorn with the settings our guarantees rely on."""

from __future__ import annotations

import gc
import importlib.util
import sys

import httpx
import uvicorn

from relay.asgi import create_app
from relay.config import Settings

# Client frames are acks; nothing a desktop sends needs more than this.
WS_MAX_CLIENT_FRAME = 64 * 1024


def _installed(module: str) -> bool:
    """uvloop and httptools are speed-ups, not needs: Windows has neither, and the desktop
    bundle leaves uvloop out (13 MB) because its demo relay serves one attendant."""
    return importlib.util.find_spec(module) is not None


def uvicorn_config(
    settings: Settings,
    *,
    host: str | None = None,
    port: int | None = None,
    graph_transport: httpx.AsyncBaseTransport | None = None,
) -> uvicorn.Config:
    """The uvicorn settings the relay's guarantees rely on, around a new app.

    No access log (query strings carry the verify token), client frames capped,
    proxy headers believed only from RELAY_TRUSTED_PROXIES, lifespan on.
    ``host``, ``port`` and ``graph_transport`` are for tests and the demo.
    """
    return uvicorn.Config(
        create_app(settings, graph_transport=graph_transport),
        host=host or settings.host,
        port=settings.port if port is None else port,
        loop="uvloop" if _installed("uvloop") else "asyncio",
        http="httptools" if _installed("httptools") else "h11",
        ws="websockets-sansio",
        # Compression costs more CPU per frame than the bandwidth it saves here.
        ws_per_message_deflate=False,
        ws_max_size=WS_MAX_CLIENT_FRAME,
        ws_ping_interval=settings.ping_interval,
        ws_ping_timeout=settings.ping_interval,
        log_config=None,
        access_log=False,
        server_header=False,
        # X-Forwarded-For is believed only from the proxies the admin listed
        # (uvicorn's default trusts loopback, letting a local caller pose as anyone).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies),
        timeout_graceful_shutdown=5,
        lifespan="on",
    )


def serve(settings: Settings) -> None:
    """Run the relay in the foreground until interrupted.

    The interpreter is tuned first: a shorter GIL switch interval for the commit
    thread, rarer garbage collections (see the comments).
    """
    # The group-commit thread re-takes the GIL after each call into the
    # database; with the default 5 ms switch interval a busy event loop makes
    # it wait that long every time, which caps commits per second.
    sys.setswitchinterval(0.0005)
    # Full garbage collections walk every object the process ever made
    # (SQLAlchemy's metadata, uvicorn, httpx…) and show up as latency spikes.
    # Startup objects are frozen out of collection once the app is up (see
    # Relay.start) and young-generation collections run less often.
    gc.set_threshold(20_000, 20, 50)
    server = uvicorn.Server(uvicorn_config(settings))
    server.run()
