"""Helpers shared by the relay tests: real servers, signed webhooks, stream clients.

Everything here talks to real components over loopback: the relay under
uvicorn, the Meta simulator as an HTTP server, websockets and httpx clients.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import psycopg
import pytest
import websockets
from waiting import wait_until
from websockets.asyncio.client import ClientConnection

from relay.config import Settings
from relay.devices import add_device
from relay.serving import BackgroundServer
from relay.simulator import payloads as p
from relay.simulator.server import Chaos, MetaSimulator
from relay.state import Relay

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
RELAY_CLI = REPO / ".venv" / "bin" / "crm-whatsapp-relay"
META_SAMPLES = REPO.parent / "shared" / "meta-samples"

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
ACCESS_TOKEN = "test-access-token"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

# Tests outside the core contract run on SQLite only, to keep the suite fast:
# this overrides the parametrized ``backend`` fixture.
sqlite_only = pytest.mark.parametrize("backend", ["sqlite"])


def tidy_chaos() -> Chaos:
    """Status webhooks in order, once each, quickly: deterministic tests."""
    return Chaos(out_of_order=0, duplicate=0, skip_delivered=0, min_delay=0.0, max_delay=0.01)


# -- waiting without sleeping blindly ------------------------------------------------------


def run(coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
    """Run an async test body with a hard time bound."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


# -- webhooks as Meta sends them ----------------------------------------------------------------


def meta_bytes(payload: Any) -> bytes:
    """Meta's wire form: JSON with non-ASCII escaped as ``\\uXXXX``."""
    return json.dumps(payload, ensure_ascii=True).encode("ascii")


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    """Computed here, independently of the relay's own ``sign``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def envelope(value: dict[str, Any], sim: MetaSimulator) -> dict[str, Any]:
    return p.envelope(sim.waba_id, sim.phone_number_id, sim.display_phone_number, value)


def text_message(wamid: str, sender: str = "5511987654321", body: str = "Olá") -> dict[str, Any]:
    return p.message(sender, "text", {"body": body}, timestamp=int(time.time()), wamid=wamid)


def messages_payload(sim: MetaSimulator, items: list[dict[str, Any]]) -> dict[str, Any]:
    return envelope({"contacts": [p.contact("Ana Souza", "5511987654321")], "messages": items}, sim)


# -- the running pair: simulator + relay --------------------------------------------------------


@dataclass
class Harness:
    """A relay under uvicorn on loopback, with the Meta simulator it talks to."""

    settings: Settings
    server: BackgroundServer
    sim: MetaSimulator
    sim_server: BackgroundServer
    db_url: str
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30.0))

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1)

    @property
    def relay(self) -> Relay:
        return self.server.server.config.app.relay  # type: ignore[no-any-return]

    # webhooks

    def post_webhook(
        self, body: bytes, sig: str | None = None, *, signed: bool = True
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if signed:
            headers["X-Hub-Signature-256"] = sig if sig is not None else signature(body)
        return self.http.post(self.url + "/webhook", content=body, headers=headers)

    def post_payload(self, payload: Any) -> httpx.Response:
        return self.post_webhook(meta_bytes(payload))

    def say(self, wa_id: str, msg_type: str = "text", **kwargs: Any) -> str:
        """A simulated customer writes; the webhook is answered before this returns."""
        return self.sim_server.call(self.sim.customer_says(wa_id, msg_type, **kwargs))

    # devices

    def enroll(self, name: str = "PC recepção") -> tuple[str, str]:
        """Create a device and exchange its code over HTTP, as a desktop does."""
        _, code, _ = add_device(self.relay.engine, name)
        response = self.http.post(self.url + "/v1/enroll", json={"code": code, "name": name})
        assert response.status_code == 200, response.text
        body = response.json()
        return body["token"], body["device_id"]

    def api(self, method: str, path: str, token: str | None, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.url + path, headers=headers, **kwargs)

    def head(self) -> int:
        response = self.http.get(self.url + "/healthz")
        assert response.status_code == 200
        return int(response.json()["head_seq"])

    def metrics(self) -> str:
        return self.http.get(self.url + "/metrics").text

    def stream(self, token: str, after: int = 0) -> Any:
        return open_stream(self.ws_url, token, after)

    def close(self) -> None:
        self.http.close()


def open_stream(ws_url: str, token: str, after: int = 0) -> Any:
    """``websockets.connect`` to the stream, as a desktop would (use ``async with``)."""
    return websockets.connect(
        f"{ws_url}/v1/stream?after={after}",
        additional_headers={"Authorization": f"Bearer {token}"},
        open_timeout=10,
        close_timeout=2,
        max_size=2**24,
        # Tests often stop reading mid-backlog and close; with flow control on,
        # the client would stop reading before the server's close reply arrives.
        max_queue=None,
    )


async def recv_frame(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    raw = await asyncio.wait_for(ws.recv(), timeout)
    frame = json.loads(raw)
    assert isinstance(frame, dict) and "type" in frame, raw
    return frame


async def read_backlog(
    ws: ClientConnection, timeout: float = 10.0
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """Read ``hello``, the replayed events and the ``ready`` frame."""
    hello = await recv_frame(ws, timeout)
    assert hello["type"] == "hello", hello
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        frame = await recv_frame(ws, max(0.1, deadline - time.monotonic()))
        if frame["type"] == "ready":
            return hello, events, frame
        assert frame["type"] == "event", frame
        events.append(frame)


async def take_events(
    ws: ClientConnection, count: int, timeout: float = 10.0
) -> list[dict[str, Any]]:
    """The next ``count`` event frames; any other frame type fails the test."""
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(out) < count:
        frame = await recv_frame(ws, max(0.1, deadline - time.monotonic()))
        assert frame["type"] == "event", frame
        out.append(frame)
    return out


async def events_until(
    ws: ClientConnection, pred: Callable[[dict[str, Any]], bool], timeout: float = 10.0
) -> list[dict[str, Any]]:
    """Event frames up to and including the first whose event matches ``pred``."""
    out: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        frame = await recv_frame(ws, max(0.1, deadline - time.monotonic()))
        if frame["type"] != "event":
            continue
        out.append(frame)
        if pred(frame["event"]):
            return out


def is_message(wamid: str) -> Callable[[dict[str, Any]], bool]:
    return lambda ev: ev.get("kind") == "message" and ev["data"].get("id") == wamid


async def ack(ws: ClientConnection, seq: int) -> None:
    await ws.send(json.dumps({"type": "ack", "seq": seq}))


def assert_strictly_increasing(frames: list[dict[str, Any]]) -> None:
    seqs = [f["seq"] for f in frames]
    assert all(a < b for a, b in itertools.pairwise(seqs)), seqs


# -- the relay as a separate process (restart tests, CLI) ----------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cli_env(db_url: str, **extra: str) -> dict[str, str]:
    """A clean environment: no inherited relay or WhatsApp settings leak in."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("WHATSAPP_", "RELAY_")) and k != "CI"
    }
    env["RELAY_DATABASE_URL"] = db_url
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def run_cli(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 30.0
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(RELAY_CLI), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class RelayProcess:
    """``crm-whatsapp-relay serve`` in its own process, on a free loopback port."""

    def __init__(self, env: dict[str, str], cwd: Path, log_path: Path) -> None:
        self.port = free_port()
        self.env = {**env, "RELAY_HOST": "127.0.0.1", "RELAY_PORT": str(self.port)}
        self.cwd = cwd
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> RelayProcess:
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [str(RELAY_CLI), "serve", "--log-level", "WARNING"],
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=log,
            )

        def healthy() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"relay exited with {self.proc.returncode}: {self.log_path.read_text()[-2000:]}"
                )
            with contextlib.suppress(httpx.HTTPError):
                return httpx.get(self.url + "/healthz", timeout=1.0).status_code == 200
            return False

        wait_until(healthy, timeout, interval=0.05)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as with ``kill -9`` or a power cut."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def terminate(self, timeout: float = 15.0) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def ensure_stopped(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.kill()


@contextlib.contextmanager
def relay_process(env: dict[str, str], cwd: Path, log_path: Path) -> Iterator[RelayProcess]:
    proc = RelayProcess(env, cwd, log_path)
    try:
        yield proc.start()
    finally:
        proc.ensure_stopped()


PG_HOST = "127.0.0.1:5432"


@contextlib.contextmanager
def fresh_postgres_database(pg_role: str | None, prefix: str) -> Iterator[str]:
    """A new, empty database ``PREFIX<random>`` on the local server, dropped afterwards.

    Without a reachable server the test skips, or fails under ``CI=true``: CI
    cannot go green by silently testing one backend.
    """
    if pg_role is None:
        message = f"PostgreSQL at {PG_HOST} is not reachable"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " (CI=true: the PostgreSQL backend must be tested)")
        pytest.skip(message)
    name = prefix + secrets.token_hex(6)
    admin = f"postgresql://{pg_role}@{PG_HOST}/test"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{pg_role}@{PG_HOST}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stalled_socket(harness: Harness, token: str) -> socket.socket:
    """A desktop that completes the handshake and then never reads again."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    sock.settimeout(10)
    sock.connect(("127.0.0.1", harness.server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            "GET /v1/stream?after=0 HTTP/1.1\r\nHost: relay\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    assert sock.recv(12) == b"HTTP/1.1 101"
    return sock
