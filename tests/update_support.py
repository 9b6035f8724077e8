"""A release server on loopback for the update tests: manifests and installers over real HTTP.

``ReleaseServer`` serves whatever bytes a test puts at a path (and can lie
about a file's length, as a hostile or broken mirror would); ``Release``
signs manifests with a throw-away Ed25519 key, exactly as
``installer/updates/sign_manifest.py`` does with the real one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from crm_whatsapp import updates
from relay.serving import BackgroundServer


@dataclass
class ReleaseServer:
    """Paths → bytes, served by a real uvicorn on 127.0.0.1; ``extra`` bytes come unannounced."""

    files: dict[str, bytes] = field(default_factory=dict)
    extra: dict[str, bytes] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    server: BackgroundServer | None = None

    def app(self) -> Starlette:
        async def serve(request: Request) -> Response:
            path = request.url.path
            self.requests.append(path)
            if path not in self.files:
                return Response(status_code=404)
            body = self.files[path]
            if path in self.extra:  # more than announced, streamed without a length
                chunks = [body, self.extra[path]]

                async def stream() -> Any:
                    for chunk in chunks:
                        yield chunk

                return StreamingResponse(stream(), media_type="application/octet-stream")
            return Response(body, media_type="application/octet-stream")

        return Starlette(routes=[Route("/{path:path}", serve)])

    def start(self) -> ReleaseServer:
        config = uvicorn.Config(self.app(), host="127.0.0.1", port=0, log_config=None)
        self.server = BackgroundServer(config, "release-server").start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()

    def url(self, path: str) -> str:
        assert self.server is not None
        return self.server.url + path


@dataclass
class Release:
    """A throw-away release key and the manifests it signs."""

    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def public(self) -> str:
        return updates.public_key_text(self.key.public_key())

    def manifest(
        self,
        server: ReleaseServer,
        version: str = "0.2.0",
        minimum_version: str = "0.1.0",
        installer: bytes | None = None,
        expires: datetime | None = None,
        platform_name: str | None = None,
        **overrides: Any,
    ) -> dict[str, Any]:
        """A manifest body offering ``installer`` (served at /setup-VERSION.exe) to this PC."""
        payload = installer if installer is not None else os.urandom(200_000)
        path = f"/setup-{version}.exe"
        server.files[path] = payload
        body: dict[str, Any] = {
            "schema": updates.SCHEMA,
            "product": updates.PRODUCT,
            "version": version,
            "minimum_version": minimum_version,
            "expires": (expires or datetime.now(UTC) + timedelta(days=30)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "notes": "Correções e melhorias.",
            "installers": {
                platform_name or updates.platform_key(): {
                    "url": server.url(path),
                    "sha256": hashlib.sha256(payload).hexdigest(),
                    "size": len(payload),
                }
            },
        }
        body.update(overrides)
        return body

    def publish(self, server: ReleaseServer, body: dict[str, Any]) -> str:
        """Sign ``body`` and serve it at /update.json; returns its address."""
        import json

        server.files["/update.json"] = json.dumps(updates.sign(body, self.key)).encode()
        return server.url("/update.json")


def running_server() -> Iterator[ReleaseServer]:
    """For fixtures: a started server, stopped after."""
    server = ReleaseServer().start()
    try:
        yield server
    finally:
        server.stop()
