"""Relay throughput, latency, fan-out and memory on loopback, with durable storage.

Each scenario starts fresh relays (``python -c 'from relay.cli import main'
serve``, so ``PYTHONPATH=/path/to/an/older/checkout`` measures that tree:
the JSON says which ``relay`` package ran) on a throw-away database, enrolls
its devices, runs its phases and prints ONE JSON line (also appended to
``tests/benchmarks/results/relay_throughput.json``). ``--scenario`` picks
them, comma-separated; ``all`` (the default) is
``post8,post32,fanout,churn-rss,scale1,scale2`` and takes about four minutes here.

* ``post8`` / ``post32`` (``post`` takes ``--connections``): ``--devices`` (10)
  streaming devices; ``max`` — 1-item webhooks as fast as 8 (32) keep-alive
  connections get answers; ``rate@R`` — R webhooks/s for each R of ``--rates``
  (CPU per POST and p99 at a fixed load); ``retry`` — ``--retry-webhooks``
  webhooks of which every fifth is POSTed twice, half of the repeats at once
  from another connection, half after the first was answered (Meta's
  retries), then ten new ones (a seq a retry used up shows only below a newer
  event): every POST must get 200 and every device every event once.
* ``scale2``: ``post8`` with two relay processes on one PostgreSQL database
  behind Debian's ``caddy`` (round-robin, active health checks on /healthz);
  webhooks and devices go through Caddy. ``--instances 2`` does the same to
  any scenario (PostgreSQL only).
* ``scale1``: the same with ONE relay process behind Caddy, which is how the
  deploy guide runs a single instance (Caddy terminates TLS): the baseline
  ``scale2`` is compared with, since both then pay for the proxy. ``post8``
  on PostgreSQL is the relay alone, with nothing in front.
* ``fanout``: ``--fanout-watched`` devices measure POST→frame latency (the
  webhook carries its send time) under a trickle of ``--trickle-rate``
  webhooks/s, first alone (``baseline``) then with ``--fanout-idle`` idle
  devices connected (``with_idle``, lean raw-socket clients in two processes
  that still check every frame): relay CPU per webhook and per device-frame.
* ``churn-rss``: ``--churn-cycles`` cycles of ``--churn-devices`` connects then
  disconnects; the relay's RSS once connected and after each disconnect.
* ``legacy`` runs the older phases of ``--phases`` on one relay (``max``,
  ``rate``, ``sustain`` with a device dropped and resumed, ``churn``,
  ``stalled``: the memory one non-reading desktop holds); naming one of those
  phases as a scenario runs it alone.

Figures common to the post phases: accepted webhooks/s, p50/p99 POST latency,
relay CPU per POST for each relay process and summed (``/proc/PID/stat``
utime+stime over the phase), Caddy's and the PostgreSQL backends' CPU per
POST (backends whose command line names the bench database, sampled at phase
start and end: a backend that exits mid-phase is missed, and PostgreSQL's
shared WAL writer and checkpointer are not counted), events lost (accepted
with 200 but not received by every device) and duplicated (received twice):
both must be 0. The disk's fsync (512 bytes appended and fsynced, 200 times,
beside the database) is measured once per run; each phase's p50 POST latency
is also given as a multiple of its median (``p50_in_fsyncs``). Every
scenario ends with the log's density: ``max_seq``, ``events_stored`` and
``gaps`` (= max_seq - events_stored; nothing is pruned in a run).

The load generator is deliberately lean (raw HTTP/1.1 keep-alive on asyncio
streams; devices are raw RFC 6455 clients in other processes) because it
shares the 2 cores with the relay. Only loopback is ever targeted (PostgreSQL
at 127.0.0.1:5432, database ``bench_<random>`` created and dropped per
scenario); every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import multiprocessing as mp
import os
import resource
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import websockets
from raw_ws import RawClient, free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-app-secret"
MAX_DURATION = 120.0
MAX_MESSAGES = 1_000_000
PAD = "Olá, gostaria de saber se o apartamento ainda está disponível para visita. " * 9
# The relay is whatever ``relay`` package this interpreter imports (PYTHONPATH first), run
# from a scratch folder so neither the current directory's ``relay/`` nor its ``.env`` wins.
RELAY_MAIN = "import sys; from relay.cli import main; sys.exit(main())"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
PG_BENCH = "postgresql://postgres@127.0.0.1:5432/{name}"
ALL_SCENARIOS = ("post8", "post32", "fanout", "churn-rss", "scale1", "scale2")
LEGACY_PHASES = ("max", "rate", "sustain", "churn", "stalled")
SCENARIOS = (*ALL_SCENARIOS, "post", "legacy", *LEGACY_PHASES)
DRAIN_TIMEOUT = 60.0
WORKER_IDLE_LIMIT = 900.0  # a device worker whose parent went quiet this long exits
NOFILE_WANTED = 8192


PAD_ESCAPED = json.dumps(PAD[:760], ensure_ascii=True)[1:-1]
ENVELOPE = (
    '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{'
    '"field":"messages","value":{"messaging_product":"whatsapp","metadata":{'
    '"display_phone_number":"5511930000000","phone_number_id":"106540352242922"},'
    '"contacts":[{"profile":{"name":"Ana Souza"},"wa_id":"5511987654321"}],'
    '"messages":[%s]}}]}]}'
)
# The text is "bench <webhook n> <send time, monotonic ns> <item i> ...": devices find the
# event's identity and its POST→frame latency without decoding the JSON.
MESSAGE = (
    '{"from":"5511987654321","id":"wamid.BENCH%s.%d.%d","timestamp":"%d","type":"text",'
    '"text":{"body":"bench %d %d %d %s"}}'
)


def make_large_body(run: str, n: int, kib: int) -> bytes:
    """A webhook with one text message of about ``kib`` KB (a long forwarded text)."""
    now = int(time.time())
    pad = (PAD_ESCAPED * (kib * 1024 // len(PAD_ESCAPED) + 1))[: kib * 1024]
    message = MESSAGE % (run, n, 0, now, n, time.monotonic_ns(), 0, pad)
    return (ENVELOPE % message).encode("ascii")


def make_body(run: str, n: int, items: int) -> bytes:
    """A Meta-shaped webhook of ``items`` text messages, ~1 KB each, escaped like Meta's.

    Built from a template: the generator shares two cores with the relay, so
    every microsecond it spends is taken from the system under test.
    """
    t = time.monotonic_ns()
    now = int(time.time())
    messages = ",".join(MESSAGE % (run, n, i, now, n, t, i, PAD_ESCAPED) for i in range(items))
    return (ENVELOPE % messages).encode("ascii")


def event_key(n: int, item: int) -> int:
    """One event's identity within a phase: webhook ``n``, item ``item`` (under 1,000)."""
    return n * 1000 + item


def pct(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile of sorted ``values`` (nearest rank), rounded; None when empty."""
    if not values:
        return None
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


# -- devices (a separate process) ------------------------------------------------------------


def device_process(
    url: str,
    tokens: list[str],
    after: int,
    expected_q: Any,
    result_q: Any,
    ready: Any,
    drop: tuple[float, float] | None,
) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_devices(url, tokens, after, expected_q, result_q, ready, drop))


class RawDevice(RawClient):
    """A benchmark desktop (:class:`raw_ws.RawClient`): events go to ``sink``, acks every 100."""

    def __init__(self, index: int, sink: Any) -> None:
        super().__init__()
        self.index = index
        self.sink = sink
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.since_ack = 0

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed before upgrade"))
        if not self.closed.done():
            self.closed.set_result(None)

    def upgraded(self) -> None:
        self.ready.set_result(None)

    def text(self, payload: bytes) -> None:
        seq = self.sink(self.index, payload)
        if seq:
            self.since_ack += 1
            if self.since_ack >= 100:
                self.since_ack = 0
                self.send(1, b'{"type":"ack","seq":%d}' % seq)


async def open_device(
    host: str, port: int, token: str, after: int, index: int, sink: Any
) -> RawDevice:
    loop = asyncio.get_running_loop()
    _, proto = await loop.create_connection(lambda: RawDevice(index, sink), host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    assert proto.transport is not None
    proto.transport.write(
        (
            f"GET /v1/stream?after={after} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    await asyncio.wait_for(proto.ready, 10)
    return proto


async def _devices(
    url: str,
    tokens: list[str],
    after: int,
    expected_q: Any,
    result_q: Any,
    ready: Any,
    drop: tuple[float, float] | None,
) -> None:
    host, port_text = url.removeprefix("ws://").split(":")
    port = int(port_text)
    n_dev = len(tokens)
    received: list[set[int]] = [set() for _ in range(n_dev)]
    latencies: list[float] = []
    regressions = [0] * n_dev
    cursors = [after] * n_dev
    last = n_dev - 1

    def sink(i: int, payload: bytes) -> int:
        if not payload.startswith(b'{"type":"event"'):
            return 0
        seq = int(payload[22 : payload.index(b",", 22)])
        if seq <= cursors[i]:
            regressions[i] += 1
        cursors[i] = seq
        k = payload.find(b'"bench ')
        if k >= 0:
            parts = payload[k + 7 : k + 60].split(b" ", 2)
            received[i].add(int(parts[0]))
            if i == last:
                latencies.append((time.monotonic_ns() - int(parts[1])) / 1e6)
        return seq

    conns = [await open_device(host, port, tokens[i], after, i, sink) for i in range(n_dev)]
    ready.set()
    started = time.monotonic()

    async def drop_and_resume() -> None:
        assert drop is not None
        await asyncio.sleep(max(0.0, drop[0] - (time.monotonic() - started)))
        assert conns[0].transport is not None
        conns[0].transport.close()
        await asyncio.sleep(drop[1])
        conns[0] = await open_device(host, port, tokens[0], cursors[0], 0, sink)

    dropper = asyncio.create_task(drop_and_resume()) if drop else None
    loop = asyncio.get_running_loop()
    expected: set[int] = await loop.run_in_executor(None, expected_q.get)
    drain_started = time.monotonic()
    deadline = drain_started + 60
    if dropper is not None:
        await dropper
    while time.monotonic() < deadline and any(not expected <= r for r in received):
        await asyncio.sleep(0.02)
    drain = time.monotonic() - drain_started
    for conn in conns:
        if conn.transport is not None:
            conn.transport.close()
    lost = max(len(expected - r) for r in received)
    latencies.sort()

    def pct(q: float) -> float | None:
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)

    result_q.put(
        {
            "lost": lost,
            "seq_regressions": sum(regressions),
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": round(latencies[-1], 2) if latencies else None,
            "drain_s": round(drain, 2),
        }
    )


# -- device fleets for the scenarios (worker processes driven over a pipe) --------------------


class LeanDevice(RawDevice):
    """An idle desktop kept cheap enough that a thousand fit beside the relay.

    It parses frame headers in place (no per-frame copy), checks only that
    event seqs grow, counts them and acks every 100 like :class:`RawDevice`.
    Exactly once follows: seqs strictly increase, all lie after the cursor,
    and the count equals the events stored in the phase.
    """

    def __init__(self, index: int, sink: Any) -> None:
        super().__init__(index, sink)
        self.count = 0
        self.last = 0
        self.regressions = 0
        self.leaving = False

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if not self.switched:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buf.startswith(b"HTTP/1.1 101"):
                self.ready.set_exception(ConnectionError(bytes(buf[:40]).decode()))
                return
            del buf[: end + 4]
            self.switched = True
            self.upgraded()
        pos = 0
        size = len(buf)
        while size - pos >= 2:
            length = buf[pos + 1] & 0x7F
            start = pos + 2
            if length == 126:
                if size - pos < 4:
                    break
                length, start = int.from_bytes(buf[pos + 2 : pos + 4], "big"), pos + 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, start = int.from_bytes(buf[pos + 2 : pos + 10], "big"), pos + 10
            end = start + length
            if end > size:
                break
            opcode = buf[pos] & 0x0F
            if opcode == 1 and buf.startswith(b'{"type":"event","seq":', start):
                seq = int(buf[start + 22 : buf.index(b",", start + 22)])
                if seq <= self.last:
                    self.regressions += 1
                self.last = seq
                self.count += 1
                self.since_ack += 1
                if self.since_ack >= 100:
                    self.since_ack = 0
                    self.send(1, b'{"type":"ack","seq":%d}' % seq)
            elif opcode == 9:
                self.send(10, bytes(buf[start:end]))
            elif opcode == 8 and self.transport is not None:
                self.transport.close()
            pos = end
        if pos:
            del buf[:pos]


async def open_stream(
    host: str, port: int, token: str, after: int, make: Callable[[], RawDevice]
) -> RawDevice:
    """Open one ``/v1/stream`` websocket with a raw client; returns once upgraded."""
    loop = asyncio.get_running_loop()
    _, proto = await loop.create_connection(make, host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    assert proto.transport is not None
    proto.transport.write(
        (
            f"GET /v1/stream?after={after} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    await asyncio.wait_for(proto.ready, 15)
    return proto


class FleetState:
    """What a worker's devices received in the current phase (watched devices)."""

    def __init__(self, count: int, latency_devices: int) -> None:
        self.latency_devices = latency_devices
        self.cursors = [0] * count
        self.received: list[set[int]] = [set() for _ in range(count)]
        self.duplicates = 0
        self.regressions = 0
        self.latencies: list[float] = []

    def reset(self) -> None:
        for got in self.received:
            got.clear()
        self.duplicates = self.regressions = 0
        self.latencies = []

    def sink(self, i: int, payload: bytes) -> int:
        """One text frame for device ``i``: check its seq, note its event and latency."""
        if not payload.startswith(b'{"type":"event"'):
            return 0
        seq = int(payload[22 : payload.index(b",", 22)])
        if seq <= self.cursors[i]:
            self.regressions += 1
        self.cursors[i] = seq
        k = payload.find(b'"bench ')
        if k >= 0:
            parts = payload[k + 7 : k + 80].split(b" ", 3)
            key = event_key(int(parts[0]), int(parts[2]))
            got = self.received[i]
            if key in got:
                self.duplicates += 1
            got.add(key)
            if i < self.latency_devices:
                self.latencies.append((time.monotonic_ns() - int(parts[1])) / 1e6)
        return seq


def fleet_worker(
    host: str, port: int, tokens: list[str], role: str, latency_devices: int, conn: Any
) -> None:
    """A device worker process: ``watch`` devices check every event, ``idle`` ones count."""
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(_fleet(host, port, tokens, role, latency_devices, conn))


async def _fleet(
    host: str, port: int, tokens: list[str], role: str, latency_devices: int, conn: Any
) -> None:
    loop = asyncio.get_running_loop()
    state = FleetState(len(tokens), latency_devices)
    devices: list[RawDevice | None] = []
    for _ in range(10_000):  # commands; the parent sends a handful per phase
        if not await loop.run_in_executor(None, conn.poll, WORKER_IDLE_LIMIT):
            break
        try:
            command, *rest = conn.recv()
        except EOFError:
            break
        if command == "connect":
            devices, reply = await _connect_all(host, port, tokens, role, state, rest[0])
        elif command == "expect":
            reply = await _drain(devices, role, state, *rest)
        elif command == "close":
            reply = await _close_all(devices)
            devices = []
        else:
            await _close_all(devices)
            break
        conn.send(reply)


async def _connect_all(
    host: str, port: int, tokens: list[str], role: str, state: FleetState, after: int
) -> tuple[list[RawDevice | None], dict[str, Any]]:
    """Open one stream per token, 50 handshakes at a time."""
    gate = asyncio.Semaphore(50)
    factory = LeanDevice if role == "idle" else RawDevice
    state.reset()
    state.cursors = [after] * len(tokens)
    started = time.monotonic()

    async def one(i: int) -> RawDevice | None:
        async with gate:
            try:
                return await open_stream(
                    host, port, tokens[i], after, lambda: factory(i, state.sink)
                )
            except (OSError, TimeoutError, ConnectionError):
                return None

    devices = list(await asyncio.gather(*(one(i) for i in range(len(tokens)))))
    connected = sum(d is not None for d in devices)
    return devices, {
        "connected": connected,
        "failed": len(tokens) - connected,
        "connect_s": round(time.monotonic() - started, 2),
    }


async def _drain(
    devices: list[RawDevice | None],
    role: str,
    state: FleetState,
    keys: set[int] | None,
    count: int,
    head: int,
    timeout: float,
) -> dict[str, Any]:
    """Wait until every device has the phase's events (or ``timeout``), then judge.

    ``watch``: ``keys`` are the events accepted in the phase. ``idle``: ``count``
    events up to seq ``head``. Counters start again for the next phase.
    """
    started = time.monotonic()
    deadline = started + min(timeout, DRAIN_TIMEOUT)
    live = [d for d in devices if d is not None]

    def done() -> bool:
        if role == "idle":
            return all(d.count >= count and d.last >= head for d in live)  # type: ignore[attr-defined]
        assert keys is not None
        return all(len(got) >= len(keys) for got in state.received[: len(devices)])

    while time.monotonic() < deadline and not done():
        await asyncio.sleep(0.02)
    dropped = sum(d.closed.done() and not getattr(d, "leaving", False) for d in live)
    result: dict[str, Any] = {"drain_s": round(time.monotonic() - started, 2), "dropped": dropped}
    if role == "idle":
        lean = [d for d in live if isinstance(d, LeanDevice)]
        result |= {
            "lost": max((max(0, count - d.count) for d in lean), default=0),
            "devices_short": sum(d.count < count for d in lean),
            "duplicates": sum(max(0, d.count - count) for d in lean),
            "seq_regressions": sum(d.regressions for d in lean),
        }
        for d in lean:
            d.count = 0
    else:
        assert keys is not None
        result |= {
            "lost": max((len(keys - got) for got in state.received), default=0),
            "duplicates": state.duplicates,
            "seq_regressions": state.regressions,
            "latencies": state.latencies,
        }
        state.reset()
    return result


async def _close_all(devices: list[RawDevice | None]) -> dict[str, Any]:
    """Say goodbye like a desktop quitting (a close frame, then FIN); wait up to 10 s."""
    started = time.monotonic()
    live = [d for d in devices if d is not None and d.transport is not None]
    for d in live:
        if isinstance(d, LeanDevice):
            d.leaving = True
        if not d.transport.is_closing():  # type: ignore[union-attr]
            d.send(8, b"\x03\xe8")
            d.transport.close()  # type: ignore[union-attr]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(d.closed for d in live)), 10)
    return {"closed": len(live), "close_s": round(time.monotonic() - started, 2)}


class Fleet:
    """Devices in ``workers`` spawned processes, driven phase by phase from here."""

    def __init__(
        self,
        front: str,
        tokens: list[str],
        *,
        role: str,
        workers: int = 1,
        latency_devices: int = 0,
    ) -> None:
        host, port = front.removeprefix("http://").split(":")
        ctx = mp.get_context("spawn")
        self.pipes: list[Any] = []
        self.procs: list[Any] = []
        size = -(-len(tokens) // workers)
        for w in range(workers):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(
                target=fleet_worker,
                args=(
                    host,
                    int(port),
                    tokens[w * size : (w + 1) * size],
                    role,
                    latency_devices if w == 0 else 0,
                    theirs,
                ),
                daemon=True,
            )
            proc.start()
            self.pipes.append(mine)
            self.procs.append(proc)

    def _ask(self, message: tuple[Any, ...], timeout: float) -> list[dict[str, Any]]:
        for pipe in self.pipes:
            pipe.send(message)
        replies = []
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise RuntimeError(f"device worker did not answer {message[0]!r}")
            replies.append(pipe.recv())
        return replies

    def connect(self, after: int) -> dict[str, Any]:
        replies = self._ask(("connect", after), 120)
        return {
            "connected": sum(r["connected"] for r in replies),
            "failed": sum(r["failed"] for r in replies),
            "connect_s": max(r["connect_s"] for r in replies),
        }

    def expect(
        self, keys: set[int] | None, count: int = 0, head: int = 0, timeout: float = DRAIN_TIMEOUT
    ) -> dict[str, Any]:
        replies = self._ask(("expect", keys, count, head, timeout), timeout + 30)
        latencies = sorted(x for r in replies for x in r.get("latencies", ()))
        watched = any("latencies" in r for r in replies)
        return {
            "lost": max(r["lost"] for r in replies),
            "duplicates": sum(r["duplicates"] for r in replies),
            "seq_regressions": sum(r["seq_regressions"] for r in replies),
            "dropped": sum(r["dropped"] for r in replies),
            "drain_s": max(r["drain_s"] for r in replies),
            **({"devices_short": sum(r["devices_short"] for r in replies)} if count else {}),
            **(
                {
                    "frame_p50_ms": pct(latencies, 0.50),
                    "frame_p99_ms": pct(latencies, 0.99),
                    "frame_max_ms": round(latencies[-1], 2) if latencies else None,
                }
                if watched
                else {}
            ),
        }

    def close(self) -> dict[str, Any]:
        replies = self._ask(("close",), 60)
        return {"closed": sum(r["closed"] for r in replies)}

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError, ValueError):
                pipe.send(("exit",))
        for proc in self.procs:
            proc.join(15)
            if proc.is_alive():
                proc.kill()
                proc.join(5)


# -- posting (this process) -------------------------------------------------------------------


async def post_load(
    host: str,
    port: int,
    run: str,
    rate: float,
    duration: float,
    items: int,
    conns: int,
    *,
    limit: int = MAX_MESSAGES,
    make: Callable[[str, int, int], bytes] = make_body,
    plan: Sequence[int] | None = None,
    latencies: list[float] | None = None,
    bodies: dict[int, bytes] | None = None,
) -> tuple[set[int], int, float]:
    """POST webhooks 0, 1, 2… (or those of ``plan``, repeats allowed) from ``conns`` connections.

    ``rate`` > 0 spaces them at that many per second; ``latencies`` collects each
    POST's seconds from write to answer; ``bodies`` keeps each webhook's bytes so
    a repeat in ``plan`` is byte for byte the same delivery, as Meta's retries are.
    Returns the webhooks answered 200, the other answers' count and the time taken.
    """
    accepted: set[int] = set()
    failed = 0
    order = plan if plan is not None else range(min(limit, MAX_MESSAGES))
    counter = iter(enumerate(order[:MAX_MESSAGES]))
    start = time.monotonic()
    end = start + min(duration, MAX_DURATION)
    host_header = f"{host}:{port}".encode()

    async def conn() -> None:
        nonlocal failed
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                step = next(counter, None)
                now = time.monotonic()
                if step is None or now >= end:
                    return
                k, n = step
                if rate > 0:
                    due = start + k / rate
                    if due > now:
                        await asyncio.sleep(due - now)
                body = bodies.get(n) if bodies is not None else None
                if body is None:
                    body = make(run, n, items)
                    if bodies is not None:
                        bodies[n] = body
                sig = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                sent = time.perf_counter()
                writer.write(
                    b"POST /webhook HTTP/1.1\r\nHost: "
                    + host_header
                    + b"\r\nContent-Type: application/json\r\n"
                    b"X-Hub-Signature-256: sha256="
                    + sig.encode()
                    + b"\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                head = await reader.readuntil(b"\r\n\r\n")
                status_line = head[: head.index(b"\r\n")]
                answer = b""
                at = head.lower().find(b"content-length:")
                if at >= 0:
                    length = int(head[at + 15 : head.index(b"\r\n", at)])
                    if length:
                        answer = await reader.readexactly(length)
                if latencies is not None:
                    latencies.append(time.perf_counter() - sent)
                # The relay's 200 says EVENT_RECEIVED; a proxy's empty 200 stored nothing.
                if status_line.split(b" ")[1] == b"200" and answer == b"EVENT_RECEIVED":
                    accepted.add(n)
                else:
                    failed += 1
        finally:
            writer.close()

    await asyncio.gather(*(conn() for _ in range(conns)))
    return accepted, failed, time.monotonic() - start


async def churn(url: str, token: str, cycles: int, after: int) -> float:
    start = time.monotonic()
    for _ in range(min(cycles, 5000)):
        async with websockets.connect(
            f"{url}/v1/stream?after={after}",
            additional_headers={"Authorization": f"Bearer {token}"},
            compression=None,
        ) as ws:
            await asyncio.wait_for(ws.recv(), 10)  # hello
    return time.monotonic() - start


class StalledDevice(RawDevice):
    """A desktop that stops reading right after the handshake (frozen app, sleeping laptop)."""

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.switched and self.transport is not None:
            self.transport.pause_reading()


def frames_written(http_url: str) -> float:
    """``relay_stream_frames_total``: event frames the relay has written to streams."""
    import httpx

    for line in httpx.get(f"{http_url}/metrics", timeout=10).text.splitlines():
        if line.startswith("relay_stream_frames_total "):
            return float(line.split()[1])
    return 0.0


async def stalled_streams(
    http_url: str, tokens: list[str], after: int, settle: float = 2.0, limit: float = 30.0
) -> tuple[list[RawDevice], float]:
    """Open one non-reading stream per token; wait until the relay stops writing to them.

    The relay has stopped when its frame counter holds still for ``settle``
    seconds (or ``limit`` passes, well before the relay's own stuck timeout).
    """
    host, port_text = http_url.removeprefix("http://").split(":")
    loop = asyncio.get_running_loop()
    devices: list[RawDevice] = []
    for index, token in enumerate(tokens):
        device = await loop.create_connection(
            lambda i=index: StalledDevice(i, lambda *_: 0), host, int(port_text)
        )
        proto = device[1]
        assert proto.transport is not None
        key = base64.b64encode(os.urandom(16)).decode()
        proto.transport.write(
            (
                f"GET /v1/stream?after={after} HTTP/1.1\r\nHost: {host}:{port_text}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Authorization: Bearer {token}\r\n\r\n"
            ).encode()
        )
        await asyncio.wait_for(proto.ready, 10)
        devices.append(proto)
    started = time.monotonic()
    seen = await asyncio.to_thread(frames_written, http_url)
    still_since = time.monotonic()
    while time.monotonic() - started < limit and time.monotonic() - still_since < settle:
        await asyncio.sleep(0.25)
        now = await asyncio.to_thread(frames_written, http_url)
        if now != seen:
            seen, still_since = now, time.monotonic()
    return devices, seen


def stalled_phase(
    relay_pid: int, http_url: str, tokens: list[str], events: int, kib: int
) -> dict[str, Any]:
    """Memory the relay holds for each stream whose desktop stopped reading."""
    host, port = http_url.removeprefix("http://").split(":")
    after = head_seq(http_url)
    run = f"stalled{int(time.time() * 1000) % 10**8}"
    accepted, failed, _ = asyncio.run(
        post_load(
            host, int(port), run, 0.0, MAX_DURATION, kib, 4, limit=events, make=make_large_body
        )
    )
    frames_before = frames_written(http_url)
    rss_before = rss_kib(relay_pid)["VmRSS"]

    async def stall() -> tuple[int, float]:
        devices, frames = await stalled_streams(http_url, tokens, after)
        rss = rss_kib(relay_pid)["VmRSS"]
        for device in devices:
            if device.transport is not None:
                device.transport.abort()
        return rss, frames

    rss_after, frames_after = asyncio.run(stall())
    held = rss_after - rss_before
    return {
        "connections": len(tokens),
        "backlog_events": len(accepted),
        "backlog_failed": failed,
        "event_kib": kib,
        "backlog_kib": len(accepted) * kib,
        "frames_written_per_connection": round((frames_after - frames_before) / len(tokens), 1),
        "rss_growth_kib": held,
        "held_per_connection_kib": round(held / len(tokens)),
    }


def head_seq(http_url: str) -> int:
    import httpx

    return int(httpx.get(f"{http_url}/healthz", timeout=10).json()["head_seq"])


def commit_figures(http_url: str) -> dict[str, float]:
    """Average group-commit size and time, from the relay's own /metrics."""
    import httpx

    values: dict[str, float] = {}
    for line in httpx.get(f"{http_url}/metrics", timeout=10).text.splitlines():
        name, _, value = line.partition(" ")
        if name in (
            "relay_commit_seconds_sum",
            "relay_commit_seconds_count",
            "relay_commit_batch_events_sum",
            "relay_append_lock_held_seconds_total",
        ):
            values[name] = float(value)
    count = values.get("relay_commit_seconds_count", 0) or 1
    events = values.get("relay_commit_batch_events_sum", 0) or 1
    held = values.get("relay_append_lock_held_seconds_total", 0)
    return {
        "commits": int(count),
        "avg_commit_ms": round(values.get("relay_commit_seconds_sum", 0) / count * 1000, 2),
        "avg_events_per_commit": round(values.get("relay_commit_batch_events_sum", 0) / count, 1),
        # PostgreSQL: the appends' lock held per group before the commit (the WAL flush,
        # about one fsync, comes on top, still under the lock); 0 on SQLite or older relays.
        "lock_held_ms_per_commit": round(held / count * 1000, 3),
        "lock_held_us_per_event": round(held / events * 1e6, 1),
    }


def rss_kib(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmHWM", "VmRSS")):
            out[line.split(":")[0]] = int(line.split()[1])
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(
    relay_pid: int,
    http_url: str,
    ws_url: str,
    tokens: list[str],
    *,
    rate: float,
    duration: float,
    items: int,
    conns: int,
    drop: tuple[float, float] | None,
    label: str,
) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    expected_q, result_q, ready = ctx.Queue(), ctx.Queue(), ctx.Event()
    after = head_seq(http_url)
    proc = ctx.Process(
        target=device_process, args=(ws_url, tokens, after, expected_q, result_q, ready, drop)
    )
    proc.start()
    if not ready.wait(60):
        proc.kill()
        raise RuntimeError("devices did not connect")
    host, port = http_url.removeprefix("http://").split(":")
    run = f"{label}{int(time.time() * 1000) % 10**8}"
    cpu_before = cpu_seconds(relay_pid)
    own_before = time.process_time()
    accepted, failed, elapsed = asyncio.run(
        post_load(host, int(port), run, rate, duration, items, conns)
    )
    relay_cpu = (cpu_seconds(relay_pid) - cpu_before) / elapsed
    poster_cpu = (time.process_time() - own_before) / elapsed
    expected_q.put(accepted)
    result = result_q.get(timeout=120)
    proc.join(30)
    return {
        "phase": label,
        "target_rate": rate,
        "items_per_webhook": items,
        "webhooks_accepted": len(accepted),
        "webhooks_failed": failed,
        "accepted_per_s": round(len(accepted) / elapsed, 1),
        "events_per_s": round(len(accepted) * items / elapsed, 1),
        "devices": len(tokens),
        "relay_cpu_cores": round(relay_cpu, 2),
        "poster_cpu_cores": round(poster_cpu, 2),
        **result,
    }


# -- the system under test: database, relay processes, Caddy ---------------------------------


def relay_command(*args: str) -> list[str]:
    """``crm-whatsapp-relay ARGS`` from whichever ``relay`` package this interpreter imports."""
    return [sys.executable, "-c", RELAY_MAIN, *args]


def measure_fsync(folder: Path, count: int = 200) -> dict[str, float | int | None]:
    """The disk's durable-append latency: 512 bytes appended then fsynced, ``count`` times.

    A durable commit cannot beat one of these, so the relay's POST latency is
    reported as a multiple of the median too.
    """
    path = folder / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    block = b"\0" * 512
    times: list[float] = []
    try:
        for _ in range(count):
            began = time.perf_counter()
            os.write(fd, block)
            os.fsync(fd)
            times.append((time.perf_counter() - began) * 1000)
    finally:
        os.close(fd)
        path.unlink()
    times.sort()
    return {"median_ms": pct(times, 0.5), "p90_ms": pct(times, 0.9), "samples": count}


def proc_cpu(pid: int) -> float | None:
    """utime + stime of ``pid`` in seconds; None once it is gone."""
    try:
        return cpu_seconds(pid)
    except (OSError, IndexError):
        return None


def pg_backends_cpu(database: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving ``database`` (its command line names it)."""
    needle = f" {database} ".encode()
    found: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if needle in Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" "):
                found[int(entry.name)] = cpu_seconds(int(entry.name))
        except (OSError, IndexError):
            continue
    return found


class Database:
    """A throw-away relay database: a SQLite file in the scenario's folder, or a fresh
    PostgreSQL database ``bench_<random>`` on 127.0.0.1:5432 that :meth:`drop` removes."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend = backend
        self.folder = folder
        self.name = f"bench_{secrets.token_hex(6)}" if backend == "postgresql" else ""
        self.created = False

    @property
    def url(self) -> str:
        if self.backend == "postgresql":
            return PG_BENCH.format(name=self.name)
        return f"sqlite:///{self.folder / 'relay.db'}"

    def create(self) -> None:
        """An empty database: ``serve`` migrates it on start."""
        if self.backend == "postgresql":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self) -> None:
        if self.backend == "postgresql" and self.created:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False

    def density(self) -> dict[str, int]:
        """``max_seq``, ``events_stored`` and ``gaps``: seqs up to the head no event holds."""
        query = "SELECT coalesce(max(seq), 0), coalesce(min(seq), 0), count(*) FROM events"
        row: Any
        if self.backend == "postgresql":
            import psycopg

            with psycopg.connect(self.url) as conn:
                row = conn.execute(query).fetchone()
        else:
            with contextlib.closing(sqlite3.connect(self.folder / "relay.db", timeout=30)) as db:
                row = db.execute(query).fetchone()
        high, low, stored = (int(x) for x in row)
        return {"max_seq": high, "min_seq": low, "events_stored": stored, "gaps": high - stored}


CADDYFILE = """{
	admin off
	auto_https off
}

# Any Host: Caddy answers an empty 200 to a request no site matches.
:%(port)d {
	bind 127.0.0.1
	reverse_proxy %(upstreams)s {
		lb_policy round_robin
		health_uri /healthz
		health_interval 1s
		health_timeout 2s
	}
}
"""


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, limit: float = 60) -> None:
    """Until ``url``/healthz answers 200; the process's log tail if it exits or never does."""
    import httpx

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-600:] if log.exists() else ""
    raise RuntimeError(f"{url} did not become healthy (exit {proc.poll()}): {tail}")


def stop_process(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM, up to 15 s to finish, then SIGKILL (only processes this benchmark started)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(15)
    if proc.poll() is None:
        proc.kill()
        proc.wait(5)


class Cluster:
    """``instances`` relay processes on one database; with two (or ``proxied``), Caddy in front.

    ``front`` is where webhooks and devices go (Caddy, or the one relay);
    ``direct`` are the relays' own addresses, for their /healthz and /metrics.
    """

    def __init__(self, db: Database, instances: int, folder: Path, proxied: bool = False) -> None:
        self.db = db
        self.instances = instances
        self.proxied = proxied or instances > 1
        self.folder = folder
        self.relays: list[subprocess.Popen[bytes]] = []
        self.caddy: subprocess.Popen[bytes] | None = None
        self.direct: list[str] = []
        self.front = ""

    def env(self, port: int | None = None) -> dict[str, str]:
        env = {
            **os.environ,
            "WHATSAPP_APP_SECRET": SECRET,
            "WHATSAPP_VERIFY_TOKEN": "bench",
            "WHATSAPP_ACCESS_TOKEN": "bench",
            "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9",
            "RELAY_DATABASE_URL": self.db.url,
            "RELAY_DATA_DIR": str(self.folder / "data"),
            "RELAY_HOST": "127.0.0.1",
        }
        if port is not None:
            env["RELAY_PORT"] = str(port)
        return env

    def start(self) -> None:
        """Create the database, start the relays together (they migrate it), then Caddy."""
        self.db.create()
        ports = [free_port() for _ in range(self.instances)]
        for i, port in enumerate(ports):
            with open(self.folder / f"relay{i}.log", "wb") as log:
                self.relays.append(
                    subprocess.Popen(
                        relay_command("serve", "--log-level", "WARNING"),
                        env=self.env(port),
                        cwd=self.folder,
                        stdout=subprocess.DEVNULL,
                        stderr=log,
                    )
                )
            self.direct.append(f"http://127.0.0.1:{port}")
        for i, (url, proc) in enumerate(zip(self.direct, self.relays, strict=True)):
            wait_healthy(url, proc, self.folder / f"relay{i}.log")
        if not self.proxied:
            self.front = self.direct[0]
            return
        port = free_port()
        caddyfile = self.folder / "Caddyfile"
        upstreams = " ".join(url.removeprefix("http://") for url in self.direct)
        caddyfile.write_text(CADDYFILE % {"port": port, "upstreams": upstreams})
        home = str(self.folder / "caddy-home")
        env = {**os.environ, "HOME": home, "XDG_DATA_HOME": home, "XDG_CONFIG_HOME": home}
        with open(self.folder / "caddy.log", "wb") as log:
            caddy = shutil.which("caddy") or "/usr/bin/caddy"
            self.caddy = subprocess.Popen(
                [caddy, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
                env=env,
                cwd=self.folder,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        self.front = f"http://127.0.0.1:{port}"
        wait_healthy(self.front, self.caddy, self.folder / "caddy.log")

    def stop(self) -> None:
        stop_process(self.caddy)
        for proc in self.relays:
            stop_process(proc)
        self.db.drop()

    def source(self) -> str:
        """The folder of the ``relay`` package the relays run (PYTHONPATH decides)."""
        out = subprocess.run(
            [sys.executable, "-c", "import relay; print(relay.__file__)"],
            env=self.env(),
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return str(Path(out.stdout.strip()).parent)

    def _health(self) -> list[dict[str, Any]]:
        import httpx

        return [httpx.get(f"{url}/healthz", timeout=10).json() for url in self.direct]

    def head(self) -> int:
        """The newest seq any instance knows of."""
        return max(int(h["head_seq"]) for h in self._health())

    def version(self) -> str | None:
        return self._health()[0].get("version")

    def connected(self) -> int | None:
        """Open streams over all instances (None if this relay's /healthz does not say)."""
        counts = [h.get("devices_connected") for h in self._health()]
        return None if None in counts else sum(int(c) for c in counts)

    def rss_kib(self) -> list[int]:
        return [rss_kib(proc.pid)["VmRSS"] for proc in self.relays]

    def commits(self) -> list[dict[str, float]]:
        return [commit_figures(url) for url in self.direct]

    def enroll(self, count: int) -> list[str]:
        """``count`` devices: codes from ``device add --count`` (500 a call), tokens over HTTP."""
        codes: list[str] = []
        for batch in range(-(-count // 500)):
            size = min(500, count - batch * 500)
            out = subprocess.run(
                relay_command("device", "add", f"bench{batch}", "--count", str(size), "--json"),
                env=self.env(),
                cwd=self.folder,
                capture_output=True,
                text=True,
                timeout=600,
            )
            if out.returncode == 0:
                codes += [made["code"] for made in json.loads(out.stdout)]
                continue
            # An older relay without --count: one process per device.
            for i in range(size):
                one = subprocess.run(
                    relay_command("device", "add", f"bench{batch}-{i}", "--json"),
                    env=self.env(),
                    cwd=self.folder,
                    capture_output=True,
                    text=True,
                    timeout=120,
                    check=True,
                )
                codes.append(json.loads(one.stdout)["code"])
        return asyncio.run(self._tokens(codes))

    async def _tokens(self, codes: list[str]) -> list[str]:
        import httpx

        gate = asyncio.Semaphore(8)
        async with httpx.AsyncClient(base_url=self.front, timeout=30) as client:

            async def one(code: str) -> str:
                async with gate:
                    answer = await client.post("/v1/enroll", json={"code": code})
                    answer.raise_for_status()
                    return str(answer.json()["token"])

            return list(await asyncio.gather(*(one(code) for code in codes)))

    def wait_connected(self, target: int, limit: float = 20.0) -> float | None:
        """Seconds until the relays count ``target`` open streams; None if they never do
        (or cannot say: then ``limit`` is not waited out, one second is)."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            now = self.connected()
            if now is None:
                time.sleep(1.0)
                return None
            if now == target:
                return round(time.monotonic() - started, 2)
            time.sleep(0.1)
        return None


class CpuMeter:
    """CPU seconds of the relays, Caddy, the bench database's backends, devices and poster."""

    def __init__(self, cluster: Cluster, fleets: Sequence[Fleet] = ()) -> None:
        self.cluster = cluster
        self.device_pids = [proc.pid for fleet in fleets for proc in fleet.procs]

    def sample(self) -> dict[str, Any]:
        cluster = self.cluster
        return {
            "at": time.monotonic(),
            "own": time.process_time(),
            "relays": [proc_cpu(proc.pid) or 0.0 for proc in cluster.relays],
            "caddy": proc_cpu(cluster.caddy.pid) if cluster.caddy is not None else None,
            "pg": pg_backends_cpu(cluster.db.name) if cluster.db.name else None,
            "devices": sum(proc_cpu(pid) or 0.0 for pid in self.device_pids),
        }

    def since(self, before: dict[str, Any], posts: int) -> dict[str, Any]:
        """Per-POST milliseconds (and cores) spent since ``before``."""
        after = self.sample()
        elapsed = max(after["at"] - before["at"], 1e-9)

        def per(seconds: float) -> float | None:
            return round(seconds / posts * 1000, 3) if posts else None

        relays = [a - b for a, b in zip(after["relays"], before["relays"], strict=True)]
        out: dict[str, Any] = {
            "relay_cpu_ms_per_post": [per(s) for s in relays],
            "relay_cpu_ms_per_post_total": per(sum(relays)),
            "relay_cpu_cores": [round(s / elapsed, 2) for s in relays],
            "poster_cpu_cores": round((after["own"] - before["own"]) / elapsed, 2),
            "devices_cpu_cores": round((after["devices"] - before["devices"]) / elapsed, 2),
        }
        if after["caddy"] is not None and before["caddy"] is not None:
            out["caddy_cpu_ms_per_post"] = per(after["caddy"] - before["caddy"])
        if after["pg"] is not None:
            spent = sum(cpu - before["pg"].get(pid, 0.0) for pid, cpu in after["pg"].items())
            out["pg_backends_cpu_ms_per_post"] = per(spent)
        return out


# -- the scenarios ------------------------------------------------------------------------------


def post_phase(
    cluster: Cluster,
    watch: Fleet,
    meter: CpuMeter,
    fsync: dict[str, Any],
    *,
    label: str,
    rate: float,
    duration: float,
    conns: int,
    plan: Sequence[int] | None = None,
    bodies: dict[int, bytes] | None = None,
    idle: Fleet | None = None,
) -> dict[str, Any]:
    """POST 1-item webhooks through the front; every device must get each accepted one once."""
    host, port = cluster.front.removeprefix("http://").split(":")
    run = f"{label.replace('@', 'r').replace('_', '')}{int(time.time() * 1000) % 10**8}"
    latencies: list[float] = []
    before = meter.sample()
    accepted, failed, elapsed = asyncio.run(
        post_load(
            host,
            int(port),
            run,
            rate,
            duration,
            1,
            conns,
            plan=plan,
            latencies=latencies,
            bodies=bodies,
        )
    )
    cpu = meter.since(before, len(latencies) - failed)
    delivered = watch.expect({event_key(n, 0) for n in accepted})
    if idle is not None:
        delivered["idle"] = idle.expect(None, len(accepted), cluster.head())
    latencies = sorted(x * 1000 for x in latencies)
    p50 = pct(latencies, 0.50)
    median = fsync.get("median_ms") or 0
    return {
        "phase": label,
        "connections": conns,
        "target_rate": rate,
        "posts": len(latencies),
        "webhooks_accepted": len(accepted),
        "webhooks_failed": failed,
        "accepted_per_s": round(len(accepted) / elapsed, 1),
        "post_p50_ms": p50,
        "post_p99_ms": pct(latencies, 0.99),
        "post_max_ms": round(latencies[-1], 2) if latencies else None,
        "p50_in_fsyncs": round(p50 / median, 1) if p50 is not None and median else None,
        **cpu,
        **delivered,
    }


def retry_plan(count: int) -> list[int]:
    """Webhooks 0..count-1 with every fifth POSTed twice, as Meta retries.

    Half the repeats follow their first POST in the queue, so another connection
    sends them while the first is in flight (concurrent writers); the other half
    come after every first POST, long after theirs was answered. Ten new webhooks
    close the plan: a seq a retry used up shows as a gap only below a newer event.
    """
    plan: list[int] = []
    late: list[int] = []
    for n in range(count):
        plan.append(n)
        if n % 10 == 0:
            plan.append(n)
        elif n % 10 == 5:
            late.append(n)
    return plan + late + list(range(count, count + 10))


def new_cluster(
    args: argparse.Namespace, folder: Path, backend: str, instances: int, proxied: bool = False
) -> Cluster:
    if instances == 2 and backend != "postgresql":
        raise ValueError("two instances need --backend postgresql")
    return Cluster(Database(backend, folder), instances, folder, proxied)


def post_scenario(
    args: argparse.Namespace,
    cluster: Cluster,
    fsync: dict[str, Any],
    connections: int,
) -> dict[str, Any]:
    """``--devices`` streaming; ``max``, ``rate@R`` for each ``--rates``, then ``retry``."""
    tokens = cluster.enroll(args.devices)
    watch = Fleet(cluster.front, tokens, role="watch", latency_devices=1)
    try:
        joined = watch.connect(cluster.head())
        if joined["failed"]:
            raise RuntimeError(f"{joined['failed']} devices could not connect")
        meter = CpuMeter(cluster, [watch])
        phases = [
            post_phase(
                cluster,
                watch,
                meter,
                fsync,
                label="max",
                rate=0.0,
                duration=args.duration,
                conns=connections,
            )
        ]
        for rate in args.rates:
            phases.append(
                post_phase(
                    cluster,
                    watch,
                    meter,
                    fsync,
                    label=f"rate@{rate:g}",
                    rate=rate,
                    duration=args.rate_duration,
                    conns=connections,
                )
            )
        plan = retry_plan(args.retry_webhooks)
        stored_before = cluster.db.density()["events_stored"]
        retry = post_phase(
            cluster,
            watch,
            meter,
            fsync,
            label="retry",
            rate=0.0,
            duration=MAX_DURATION,
            conns=connections,
            plan=plan,
            bodies={},
        )
        unique = len(set(plan))
        retry["retries"] = len(plan) - unique
        retry["events_stored_delta"] = cluster.db.density()["events_stored"] - stored_before
        phases.append(retry)
    finally:
        watch.stop()
    top = phases[0]
    return {
        "devices": args.devices,
        "connections": connections,
        "accepted_per_s": top["accepted_per_s"],
        "post_p50_ms": top["post_p50_ms"],
        "post_p99_ms": top["post_p99_ms"],
        "p50_in_fsyncs": top["p50_in_fsyncs"],
        "relay_cpu_ms_per_post_total": top["relay_cpu_ms_per_post_total"],
        "retry_ok": retry["webhooks_failed"] == 0
        and retry["webhooks_accepted"] == unique
        and retry["events_stored_delta"] == unique,
        "phases": phases,
    }


def fanout_scenario(
    args: argparse.Namespace, cluster: Cluster, fsync: dict[str, Any]
) -> dict[str, Any]:
    """A trickle watched by a few devices, alone and then with ``--fanout-idle`` more."""
    tokens = cluster.enroll(args.fanout_watched + args.fanout_idle)
    watch = Fleet(
        cluster.front,
        tokens[: args.fanout_watched],
        role="watch",
        latency_devices=args.fanout_watched,
    )
    idle: Fleet | None = None
    try:
        joined = watch.connect(cluster.head())
        if joined["failed"]:
            raise RuntimeError(f"{joined['failed']} watched devices could not connect")
        meter = CpuMeter(cluster, [watch])
        baseline = post_phase(
            cluster,
            watch,
            meter,
            fsync,
            label="baseline",
            rate=args.trickle_rate,
            duration=args.fanout_duration,
            conns=args.trickle_connections,
        )
        rss_before = cluster.rss_kib()
        idle = Fleet(cluster.front, tokens[args.fanout_watched :], role="idle", workers=2)
        joined = idle.connect(cluster.head())
        streams = args.fanout_watched + joined["connected"]
        registered_s = cluster.wait_connected(streams)
        rss_after = cluster.rss_kib()
        meter = CpuMeter(cluster, [watch, idle])
        loaded = post_phase(
            cluster,
            watch,
            meter,
            fsync,
            label="with_idle",
            rate=args.trickle_rate,
            duration=args.fanout_duration,
            conns=args.trickle_connections,
            idle=idle,
        )
        idle.close()
    finally:
        watch.stop()
        if idle is not None:
            idle.stop()
    base_ms = baseline["relay_cpu_ms_per_post_total"] or 0.0
    with_ms = loaded["relay_cpu_ms_per_post_total"] or 0.0
    return {
        "watched_devices": args.fanout_watched,
        "idle_devices": joined["connected"],
        "idle_failed": joined["failed"],
        "idle_connect_s": joined["connect_s"],
        "idle_registered_s": registered_s,
        "trickle_rate": args.trickle_rate,
        "frame_p50_ms_baseline": baseline["frame_p50_ms"],
        "frame_p99_ms_baseline": baseline["frame_p99_ms"],
        "frame_p50_ms": loaded["frame_p50_ms"],
        "frame_p99_ms": loaded["frame_p99_ms"],
        "relay_cpu_ms_per_webhook_baseline": base_ms,
        "relay_cpu_ms_per_webhook": with_ms,
        "relay_cpu_us_per_device_frame": round(with_ms * 1000 / streams, 2) if streams else None,
        "relay_cpu_us_per_idle_frame_marginal": (
            round((with_ms - base_ms) * 1000 / joined["connected"], 2)
            if joined["connected"]
            else None
        ),
        "rss_kib_per_idle_device": round(
            (sum(rss_after) - sum(rss_before)) / max(1, joined["connected"]), 1
        ),
        "phases": [baseline, loaded],
    }


def churn_rss_scenario(
    args: argparse.Namespace, cluster: Cluster, fsync: dict[str, Any]
) -> dict[str, Any]:
    """Cycles of ``--churn-devices`` connects then disconnects; RSS after each."""
    tokens = cluster.enroll(args.churn_devices)
    fleet = Fleet(cluster.front, tokens, role="idle", workers=2)
    one = cluster.instances == 1

    def mb(kib: list[int]) -> float | list[float]:
        values = [round(k / 1024, 1) for k in kib]
        return values[0] if one else values

    start = cluster.rss_kib()
    connected: list[Any] = []
    after: list[Any] = []
    per_device: list[float] = []
    connect_s: list[float] = []
    gone_s: list[float | None] = []
    failed = 0
    try:
        for _ in range(min(args.churn_cycles, 100)):
            before = cluster.rss_kib()
            joined = fleet.connect(cluster.head())
            failed += joined["failed"]
            cluster.wait_connected(joined["connected"])
            held = cluster.rss_kib()
            fleet.close()
            gone_s.append(cluster.wait_connected(0))
            time.sleep(args.churn_settle)
            left = cluster.rss_kib()
            connected.append(mb(held))
            after.append(mb(left))
            per_device.append(round((sum(held) - sum(before)) / max(1, joined["connected"]), 1))
            connect_s.append(joined["connect_s"])
    finally:
        fleet.stop()
    totals = [sum(x) if isinstance(x, list) else x for x in after]
    return {
        "cycles": len(after),
        "devices": args.churn_devices,
        "connect_failed": failed,
        "rss_start_mb": mb(start),
        "rss_connected_mb": connected,
        "rss_after_disconnect_mb": after,
        "growth_after_second_cycle_mb": round(totals[-1] - totals[1], 1)
        if len(totals) > 1
        else None,
        "kib_per_connected_device": per_device,
        "connect_s": connect_s,
        "disconnects_seen_s": gone_s,
    }


def legacy_scenario(
    args: argparse.Namespace, cluster: Cluster, fsync: dict[str, Any], names: list[str]
) -> dict[str, Any]:
    """The older phases (``--phases``) on one relay, figures as before."""
    relay_pid = cluster.relays[0].pid
    http_url = cluster.direct[0]
    ws_url = http_url.replace("http://", "ws://")
    tokens = cluster.enroll(args.devices + 1)
    churn_token, tokens = tokens[-1], tokens[:-1]
    phases: list[dict[str, Any]] = []
    churn_s = None
    stalled: dict[str, Any] | None = None
    duration = args.duration
    drop = (duration / 3, args.drop_gap) if args.drop_gap > 0 else None
    conns = args.connections or 64
    # phase -> (webhooks/s or 0 for as fast as answered, connections, device drop)
    plans = {
        "max": (0.0, conns, None),
        "rate": (args.rate, args.rate_connections, None),
        "sustain": (args.sustain_rate, conns, drop),
    }
    for name in names:
        if name in plans:
            rate, phase_conns, phase_drop = plans[name]
            phases.append(
                run_phase(
                    relay_pid,
                    http_url,
                    ws_url,
                    tokens,
                    rate=rate,
                    duration=duration,
                    items=args.batch,
                    conns=phase_conns,
                    drop=phase_drop,
                    label=name,
                )
            )
        elif name == "churn":
            churn_s = asyncio.run(churn(ws_url, churn_token, args.churn, head_seq(http_url)))
        elif name == "stalled":
            stalled = stalled_phase(
                relay_pid, http_url, tokens, args.stalled_events, args.stalled_kib
            )
    maxes = [p["accepted_per_s"] for p in phases if p["phase"] == "max"]
    return {
        "phases": phases,
        "churn_cycles": args.churn if churn_s is not None else 0,
        "churn_s": round(churn_s, 2) if churn_s is not None else None,
        "max_before_churn_per_s": maxes[0] if maxes else None,
        "max_after_churn_per_s": maxes[-1] if len(maxes) > 1 else None,
        "stalled": stalled,
        **cluster.commits()[0],
    }


def events_lost(figures: dict[str, Any]) -> tuple[int, int]:
    """Events lost and duplicated over a scenario's phases (idle devices included)."""
    lost = duplicated = 0
    for phase in figures.get("phases", ()):
        lost += phase.get("lost", 0) + phase.get("idle", {}).get("lost", 0)
        duplicated += phase.get("duplicates", 0) + phase.get("idle", {}).get("duplicates", 0)
    return lost, duplicated


def run_scenario(
    name: str, args: argparse.Namespace, folder: Path, fsync: dict[str, Any]
) -> dict[str, Any]:
    """Start a fresh cluster, run scenario ``name`` on it, stop it; the scenario's JSON."""
    backend, instances = args.backend, args.instances
    if name in ("scale1", "scale2"):
        backend, instances = "postgresql", int(name[-1])
    elif name == "legacy" or name in LEGACY_PHASES:
        instances = 1
    cluster = new_cluster(args, folder, backend, instances, proxied=name == "scale1")
    head: dict[str, Any] = {
        "benchmark": "relay_throughput",
        "scenario": name,
        "backend": backend,
        "instances": instances,
        "via_caddy": cluster.proxied,
        "cores": os.cpu_count(),
        "relay_source": cluster.source(),
        "fsync_ms": fsync,
    }
    try:
        cluster.start()
        head["relay_version"] = cluster.version()
        if name in ("post8", "post32", "scale1", "scale2", "post"):
            conns = {"post8": 8, "post32": 32, "scale1": 8, "scale2": 8}.get(
                name, args.connections or 8
            )
            body = post_scenario(args, cluster, fsync, conns)
        elif name == "fanout":
            body = fanout_scenario(args, cluster, fsync)
        elif name == "churn-rss":
            body = churn_rss_scenario(args, cluster, fsync)
        else:
            names = args.phases.split(",") if name == "legacy" else [name]
            body = legacy_scenario(args, cluster, fsync, names)
        body["relay_rss_kib"] = cluster.rss_kib()
        if name not in ("legacy", *LEGACY_PHASES):
            body["commits"] = cluster.commits()
        body["density"] = cluster.db.density()
    finally:
        cluster.stop()
    figures = {**head, **body}
    figures["events_lost"], figures["events_duplicated"] = events_lost(figures)
    return figures


def raise_open_files(wanted: int = NOFILE_WANTED) -> None:
    """A thousand streams need a thousand sockets on each side; ask for up to ``wanted``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def scenario_names(parser: argparse.ArgumentParser, given: str) -> list[str]:
    names: list[str] = []
    for name in given.split(","):
        name = name.strip()
        if name == "all":
            names += ALL_SCENARIOS
        elif name in SCENARIOS:
            names.append(name)
        else:
            parser.error(f"unknown scenario {name!r}; choose from all, {', '.join(SCENARIOS)}")
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scenario", default="all", help=f"comma-separated: all, {', '.join(SCENARIOS)}"
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--instances", type=int, choices=(1, 2), default=1)
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument(
        "--connections",
        type=int,
        default=None,
        help="POST connections of the post scenario (8) and the legacy phases (64)",
    )
    parser.add_argument("--duration", type=float, default=6.0, help="seconds of max phases")
    parser.add_argument(
        "--rates",
        default="200,500",
        help="webhooks/s of the post scenarios' fixed-rate phases (empty: none)",
    )
    parser.add_argument("--rate-duration", type=float, default=4.0)
    parser.add_argument("--retry-webhooks", type=int, default=500)
    parser.add_argument("--fanout-idle", type=int, default=1000)
    parser.add_argument("--fanout-watched", type=int, default=5)
    parser.add_argument("--trickle-rate", type=float, default=50.0)
    parser.add_argument("--trickle-connections", type=int, default=16)
    parser.add_argument("--fanout-duration", type=float, default=8.0)
    parser.add_argument("--churn-cycles", type=int, default=8)
    parser.add_argument("--churn-devices", type=int, default=1000)
    parser.add_argument(
        "--churn-settle", type=float, default=1.0, help="seconds before RSS after a disconnect"
    )
    legacy = parser.add_argument_group("legacy phases")
    legacy.add_argument("--rate", type=float, default=1000.0, help="webhooks/s of the rate phase")
    legacy.add_argument("--batch", type=int, default=1, help="items per webhook")
    legacy.add_argument("--churn", type=int, default=1000)
    legacy.add_argument("--drop-gap", type=float, default=2.0)
    legacy.add_argument("--sustain-rate", type=float, default=3000.0)
    legacy.add_argument(
        "--rate-connections", type=int, default=16, help="concurrent POSTs in the rate phase"
    )
    legacy.add_argument("--stalled-events", type=int, default=300)
    legacy.add_argument("--stalled-kib", type=int, default=60, help="KB per stalled-phase event")
    legacy.add_argument("--phases", default="max,rate,sustain,churn,max,stalled")
    args = parser.parse_args()
    if not 1 <= args.devices <= 200:
        parser.error("--devices must be between 1 and 200")
    if not 1 <= args.fanout_idle <= 5000 or not 1 <= args.churn_devices <= 5000:
        parser.error("--fanout-idle and --churn-devices must be between 1 and 5000")
    if not 1 <= args.fanout_watched <= 50 or not 1 <= args.retry_webhooks <= 100_000:
        parser.error("--fanout-watched must be 1..50 and --retry-webhooks 1..100000")
    if args.instances == 2 and args.backend != "postgresql":
        parser.error("--instances 2 needs --backend postgresql (one database for both)")
    args.rates = [float(r) for r in args.rates.split(",") if r.strip()]
    names = scenario_names(parser, args.scenario)
    raise_open_files()

    base = Path(tempfile.mkdtemp(prefix="relay-bench-"))
    results = ROOT / "tests" / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    out = results / "relay_throughput.json"
    out.write_text("")
    ok = True
    try:
        fsync = measure_fsync(base)
        for index, name in enumerate(names):
            folder = base / f"{index}-{name}"
            folder.mkdir()
            try:
                figures = run_scenario(name, args, folder, fsync)
            except Exception as exc:  # one scenario failing must not hide the others' figures
                figures = {
                    "benchmark": "relay_throughput",
                    "scenario": name,
                    "error": f"{type(exc).__name__}: {exc}"[:800],
                }
            ok = ok and "error" not in figures
            ok = ok and figures.get("events_lost") == 0 and figures.get("events_duplicated") == 0
            ok = ok and figures.get("retry_ok", True)
            line = json.dumps(figures)
            print(line, flush=True)
            with out.open("a") as f:
                f.write(line + "\n")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
