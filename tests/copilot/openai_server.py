"""An OpenAI-compatible server on loopback for the Copilot's model engine tests and benchmark.

A real HTTP server (``http.server.ThreadingHTTPServer`` in a thread) that
speaks ``POST /v1/chat/completions`` (a JSON completion, or server-sent
events exactly as OpenAI streams them: ``chat.completion.chunk`` objects,
then ``data: [DONE]``, over chunked transfer encoding) and ``GET
/v1/models``. Each test sets what it needs on the instance: the answer,
the chunk size (to split placeholders across chunks), whether
``response_format`` json_schema / json_object is refused (400 with
OpenAI's error JSON, as LM Studio or llama.cpp answer), failures (401, 429
with ``Retry-After``, 500), a delay before answering, and a pause in the
stream the test releases. Every request is recorded with its headers, its
raw and parsed body and ``time.perf_counter()`` stamps (the body's arrival,
each streamed chunk written), so tests assert the exact request that left
the PC and the benchmark measures the engine's overhead in one process.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_MODEL = "modelo-teste"
DEFAULT_SUGGESTIONS = [
    "Claro! Posso ajudar com isso agora mesmo.",
    "Pode me passar o número do pedido, por favor?",
    "Vou encaminhar para o setor financeiro e retorno ainda hoje.",
]

Answer = str | Callable[[dict[str, Any]], str]


def suggestions_json(items: list[str]) -> str:
    """The answer a model gives in JSON mode."""
    return json.dumps({"suggestions": items}, ensure_ascii=False)


@dataclass
class Failure:
    """One error answer, in the shape OpenAI sends them."""

    status: int
    message: str = "Something went wrong."
    type: str = "invalid_request_error"
    code: str | None = None
    param: str | None = None
    retry_after: str | None = None


@dataclass
class Received:
    """One request as the server got it."""

    method: str
    path: str
    headers: dict[str, str]
    raw: bytes
    body: Any
    arrived: float
    status: int = 0
    # (perf_counter right after the write, length of the answer text written so far)
    chunks: list[tuple[float, int]] = field(default_factory=list)
    finished: threading.Event = field(default_factory=threading.Event)
    aborted: threading.Event = field(default_factory=threading.Event)


class _Gone(Exception):
    """The client closed the connection."""


class OpenAIServer:
    """The server and its per-test behaviour (set the attributes before the request)."""

    def __init__(self) -> None:
        self.answer: Answer = suggestions_json(DEFAULT_SUGGESTIONS)
        self.chunk_size = 8
        self.chunk_delay = 0.0
        self.finish_reason = "stop"
        self.accept_json_schema = True
        self.accept_json_object = True
        self.api_key: str | None = None
        self.models = [DEFAULT_MODEL]
        self.delay = 0.0
        # Served in order, one per chat request, before any answer.
        self.failures: deque[Failure] = deque()
        self.always: Failure | None = None
        # The stream stops once its text contains this, until ``release`` is set.
        self.hold_after: str | None = None
        self.release = threading.Event()
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- life --------------------------------------------------------------------------------

    def start(self) -> OpenAIServer:
        handler = type("Handler", (_Handler,), {"owner": self})
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.daemon_threads = False
        httpd.block_on_close = True
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(0.05,), name="openai-server"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stops serving, wakes every handler (held, sleeping or reading) and joins them."""
        self._stopping.set()
        self.release.set()
        if self._httpd is None:
            return
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = None

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """The server without ``/v1``, as a person might type it."""
        assert self._httpd is not None, "start() first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/v1"

    def chat_requests(self) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # -- what the handler asks ---------------------------------------------------------------

    def _record(self, received: Received) -> None:
        with self._lock:
            self.requests.append(received)

    def _next_failure(self) -> Failure | None:
        with self._lock:
            if self.failures:
                return self.failures.popleft()
        return self.always

    def _pause(self, seconds: float) -> None:
        self._stopping.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAIServer
    protocol_version = "HTTP/1.1"
    # A pooled connection the client never reuses is dropped after this long.
    timeout = 30

    def setup(self) -> None:
        super().setup()
        # As uvicorn and real model servers do: without it Nagle's algorithm holds each small
        # SSE chunk until the client's delayed ACK (~40 ms) on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.owner._lock:
            self.owner._connections.add(self.connection)

    def finish(self) -> None:
        with self.owner._lock:
            self.owner._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:  # the client dropped a kept-alive connection: its right
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read ``requests``, not stderr."""

    # -- plumbing ----------------------------------------------------------------------------

    def _receive(self) -> Received:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        arrived = time.perf_counter()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        received = Received(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            raw=raw,
            body=body,
            arrived=arrived,
        )
        self.owner._record(received)
        return received

    def _json(self, received: Received, status: int, payload: Any, **headers: str) -> None:
        data = json.dumps(payload).encode()
        received.status = status
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)
        received.finished.set()

    def _error(self, received: Received, failure: Failure) -> None:
        payload = {
            "error": {
                "message": failure.message,
                "type": failure.type,
                "param": failure.param,
                "code": failure.code,
            }
        }
        extra = {"Retry_After": failure.retry_after} if failure.retry_after is not None else {}
        self._json(received, failure.status, payload, **extra)

    def _authorised(self) -> bool:
        expected = self.owner.api_key
        return expected is None or self.headers.get("Authorization") == f"Bearer {expected}"

    # -- endpoints ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        received = self._receive()
        if not self._authorised():
            self._error(received, _BAD_KEY)
        elif self.path.rstrip("/").endswith("/v1/models"):
            data = [
                {"id": m, "object": "model", "created": 0, "owned_by": "teste"}
                for m in self.owner.models
            ]
            self._json(received, 200, {"object": "list", "data": data})
        else:
            self._error(received, Failure(404, "Not found.", code="not_found"))

    def do_POST(self) -> None:
        received = self._receive()
        owner = self.owner
        if not self.path.rstrip("/").endswith("/v1/chat/completions"):
            self._error(received, Failure(404, "Not found.", code="not_found"))
            return
        if owner.delay:
            owner._pause(owner.delay)
            if owner._stopping.is_set():
                return
        failure = _BAD_KEY if not self._authorised() else owner._next_failure()
        body = received.body if isinstance(received.body, dict) else {}
        if failure is None:
            failure = self._refusal(body)
        if failure is None and body.get("model") not in owner.models:
            failure = Failure(
                404, f"The model `{body.get('model')}` does not exist.", code="model_not_found"
            )
        if failure is not None:
            self._error(received, failure)
            return
        answer = owner.answer(body) if callable(owner.answer) else owner.answer
        try:
            if body.get("stream"):
                self._stream(received, body, answer)
            else:
                self._complete(received, body, answer)
        except _Gone:
            received.aborted.set()
            self.close_connection = True

    def _refusal(self, body: dict[str, Any]) -> Failure | None:
        kind = (body.get("response_format") or {}).get("type")
        if kind == "json_schema" and not self.owner.accept_json_schema:
            return Failure(
                400,
                "response_format of type 'json_schema' is not supported by this server",
                param="response_format",
            )
        if kind == "json_object" and not self.owner.accept_json_object:
            # LM Studio's wording, without a param.
            return Failure(400, "'response_format.type' must be 'json_schema' or 'text'")
        return None

    def _complete(self, received: Received, body: dict[str, Any], answer: str) -> None:
        payload = {
            "id": f"chatcmpl-teste-{id(received)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": answer},
                    "logprobs": None,
                    "finish_reason": self.owner.finish_reason,
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
        self._json(received, 200, payload)

    def _write(self, data: bytes) -> None:
        try:
            self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        except OSError as exc:
            raise _Gone from exc

    def _event(self, received: Received, body: dict[str, Any], delta: dict[str, Any]) -> None:
        finish = self.owner.finish_reason if not delta else None
        chunk = {
            "id": f"chatcmpl-teste-{id(received)}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model"),
            "system_fingerprint": "fp_teste",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        self._write(b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n")

    def _stream(self, received: Received, body: dict[str, Any], answer: str) -> None:
        owner = self.owner
        received.status = 200
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._event(received, body, {"role": "assistant", "content": ""})
        size = max(1, owner.chunk_size)
        held = False
        for start in range(0, len(answer), size):
            end = min(start + size, len(answer))
            self._event(received, body, {"content": answer[start:end]})
            received.chunks.append((time.perf_counter(), end))
            if owner.hold_after and not held and owner.hold_after in answer[:end]:
                held = True
                owner.release.wait(30)
            if owner._stopping.is_set():
                raise _Gone
            if owner.chunk_delay:
                owner._pause(owner.chunk_delay)
        self._event(received, body, {})
        self._write(b"data: [DONE]\n\n")
        self._write(b"")
        received.finished.set()


_BAD_KEY = Failure(401, "Incorrect API key provided.", code="invalid_api_key")
