"""A real HTTP server on loopback that CRM vendors' test doubles are built on.

``http.server.ThreadingHTTPServer`` in a thread: each vendor module registers
its routes (method and a path regex) with a handler that gets the parsed
request and returns ``(status, body, headers)``. Every request is recorded
(method, path, query, headers, JSON body) so a test asserts what the plugin
sent; ``fail_next`` scripts failures (a 429 with ``Retry-After``, a 401, a
500) answered before the routes; ``delay`` slows every answer (the
benchmark's 300 ms CRMs, a hanging CRM).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Reply = tuple[int, Any, Mapping[str, str]]


@dataclass
class Request:
    """One request as the server got it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any

    def arg(self, name: str, default: str = "") -> str:
        """The first value of a query parameter."""
        return self.query.get(name, [default])[0]


Handler = Callable[[Request, re.Match[str]], Reply]


@dataclass
class VendorServer:
    """Routes, recorded requests and scripted failures; a context manager that serves."""

    routes: list[tuple[str, re.Pattern[str], Handler]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    failures: deque[Reply] = field(default_factory=deque)
    delay: float = 0.0
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Answer ``method`` on paths fully matching ``pattern`` (no query) with ``handler``."""
        self.routes.append((method, re.compile(pattern), handler))

    def fail_next(
        self, status: int, body: Any = None, headers: Mapping[str, str] | None = None
    ) -> None:
        """The next request gets this answer instead of its route's."""
        self.failures.append((status, body, dict(headers or {})))

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> VendorServer:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the tests' output stays clean

            def _serve(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                request = Request(
                    self.command,
                    split.path,
                    parse_qs(split.query, keep_blank_values=True),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                server.requests.append(request)
                if server.delay:
                    time.sleep(server.delay)
                reply: Reply | None = server.failures.popleft() if server.failures else None
                if reply is None:
                    for method, pattern, handler in server.routes:
                        match = pattern.fullmatch(split.path)
                        if method == self.command and match:
                            reply = handler(request, match)
                            break
                if reply is None:
                    reply = (404, {"error": "not found"}, {})
                status, payload, headers = reply
                data = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if data:
                    self.send_header(
                        "Content-Type", headers.get("Content-Type", "application/json")
                    )
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if data:
                    self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
