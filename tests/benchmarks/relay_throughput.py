"""Relay throughput and latency on loopback, with durable SQLite storage.

Spawns a relay (``crm-whatsapp-relay serve``) on a throw-away SQLite file,
enrolls D devices, and runs phases:

1. ``max``   — signed ~1 KB webhooks posted as fast as answered, D devices streaming;
2. ``rate``  — webhooks at ``--rate`` per second from 16 connections (latency);
3. ``sustain`` — webhooks at ``--sustain-rate`` per second (can it keep up?), one
   device dropped for ``--drop-gap`` s mid-run and resumed from its cursor;
4. ``churn`` — ``--churn`` connect/disconnect cycles, then ``max`` again to
   show throughput stays flat;
5. ``stalled`` — a backlog of ``--stalled-events`` events of ``--stalled-kib`` KB,
   then one stream per device that stops reading right after the handshake: the
   relay's RSS growth divided by the streams is the memory one stalled desktop
   holds (``stalled.held_per_connection_kib``).

Every phase counts events lost (accepted by the relay with 200 but not
received by every device): it must be 0. One JSON line goes to stdout and to
``tests/benchmarks/results/relay_throughput.json``.

The load generator is deliberately lean (raw HTTP/1.1 keep-alive on asyncio
streams; devices in a second process) because it shares the 2 cores with the
relay. Only loopback is ever targeted; every loop is bounded in count and time.
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
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import websockets

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-app-secret"
MAX_DURATION = 120.0
MAX_MESSAGES = 1_000_000
PAD = "Olá, gostaria de saber se o apartamento ainda está disponível para visita. " * 9


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PAD_ESCAPED = json.dumps(PAD[:760], ensure_ascii=True)[1:-1]
ENVELOPE = (
    '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{'
    '"field":"messages","value":{"messaging_product":"whatsapp","metadata":{'
    '"display_phone_number":"5511930000000","phone_number_id":"106540352242922"},'
    '"contacts":[{"profile":{"name":"Ana Souza"},"wa_id":"5511987654321"}],'
    '"messages":[%s]}}]}]}'
)
MESSAGE = (
    '{"from":"5511987654321","id":"wamid.BENCH%s.%d.%d","timestamp":"%d","type":"text",'
    '"text":{"body":"bench %d %d %s"}}'
)


def make_large_body(run: str, n: int, kib: int) -> bytes:
    """A webhook with one text message of about ``kib`` KB (a long forwarded text)."""
    now = int(time.time())
    pad = (PAD_ESCAPED * (kib * 1024 // len(PAD_ESCAPED) + 1))[: kib * 1024]
    message = MESSAGE % (run, n, 0, now, n, time.monotonic_ns(), pad)
    return (ENVELOPE % message).encode("ascii")


def make_body(run: str, n: int, items: int) -> bytes:
    """A Meta-shaped webhook of ``items`` text messages, ~1 KB each, escaped like Meta's.

    Built from a template: the generator shares two cores with the relay, so
    every microsecond it spends is taken from the system under test.
    """
    t = time.monotonic_ns()
    now = int(time.time())
    messages = ",".join(MESSAGE % (run, n, i, now, n, t, PAD_ESCAPED) for i in range(items))
    return (ENVELOPE % messages).encode("ascii")


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


class RawDevice(asyncio.Protocol):
    """A minimal RFC 6455 client for the benchmark's devices.

    The ``websockets`` client is correct but costs tens of microseconds per
    frame; ten devices at 3,000 events/s would eat the core the relay needs.
    This one only splits frames, answers pings and sends masked acks.
    """

    def __init__(self, index: int, sink: Any) -> None:
        self.index = index
        self.sink = sink
        self.buf = bytearray()
        self.upgraded = False
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.since_ack = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed before upgrade"))
        if not self.closed.done():
            self.closed.set_result(None)

    def send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        masked = bytes(b ^ mask[k % 4] for k, b in enumerate(payload))
        assert len(payload) < 126 and self.transport is not None
        self.transport.write(bytes((0x80 | opcode, 0x80 | len(payload))) + mask + masked)

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            if not buf.startswith(b"HTTP/1.1 101"):
                self.ready.set_exception(ConnectionError(bytes(buf[:40]).decode()))
                return
            del buf[: end + 4]
            self.upgraded = True
            self.ready.set_result(None)
        while len(buf) >= 2:
            length = buf[1] & 0x7F
            start = 2
            if length == 126:
                if len(buf) < 4:
                    return
                length, start = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                if len(buf) < 10:
                    return
                length, start = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < start + length:
                return
            opcode = buf[0] & 0x0F
            payload = bytes(buf[start : start + length])
            del buf[: start + length]
            if opcode == 1:
                seq = self.sink(self.index, payload)
                if seq:
                    self.since_ack += 1
                    if self.since_ack >= 100:
                        self.since_ack = 0
                        self.send(1, b'{"type":"ack","seq":%d}' % seq)
            elif opcode == 9:
                self.send(10, payload)
            elif opcode == 8 and self.transport is not None:
                self.transport.close()


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
) -> tuple[set[int], int, float]:
    accepted: set[int] = set()
    failed = 0
    counter = iter(range(min(limit, MAX_MESSAGES)))
    start = time.monotonic()
    end = start + min(duration, MAX_DURATION)

    async def conn() -> None:
        nonlocal failed
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                n = next(counter, None)
                now = time.monotonic()
                if n is None or now >= end:
                    return
                if rate > 0:
                    due = start + n / rate
                    if due > now:
                        await asyncio.sleep(due - now)
                body = make(run, n, items)
                sig = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                writer.write(
                    b"POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
                    b"X-Hub-Signature-256: sha256="
                    + sig.encode()
                    + b"\r\nContent-Length: "
                    + str(len(body)).encode()
                    + b"\r\n\r\n"
                    + body
                )
                head = await reader.readuntil(b"\r\n\r\n")
                status_line = head[: head.index(b"\r\n")]
                k = head.lower().find(b"content-length:")
                if k >= 0:
                    length = int(head[k + 15 : head.index(b"\r\n", k)])
                    if length:
                        await reader.readexactly(length)
                if status_line.split(b" ")[1] == b"200":
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
        if self.upgraded and self.transport is not None:
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
        ):
            values[name] = float(value)
    count = values.get("relay_commit_seconds_count", 0) or 1
    return {
        "commits": int(count),
        "avg_commit_ms": round(values.get("relay_commit_seconds_sum", 0) / count * 1000, 2),
        "avg_events_per_commit": round(values.get("relay_commit_batch_events_sum", 0) / count, 1),
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1000.0, help="webhooks/s of the rate phase")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--batch", type=int, default=1, help="items per webhook")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--churn", type=int, default=1000)
    parser.add_argument("--drop-gap", type=float, default=2.0)
    parser.add_argument("--sustain-rate", type=float, default=3000.0)
    parser.add_argument(
        "--rate-connections", type=int, default=16, help="concurrent POSTs in the rate phase"
    )
    parser.add_argument("--stalled-events", type=int, default=300)
    parser.add_argument("--stalled-kib", type=int, default=60, help="KB per stalled-phase event")
    parser.add_argument("--phases", default="max,rate,sustain,churn,max,stalled")
    args = parser.parse_args()
    if not 1 <= args.devices <= 200:
        parser.error("--devices must be between 1 and 200")

    data = Path(tempfile.mkdtemp(prefix="relay-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench",
        "WHATSAPP_ACCESS_TOKEN": "bench",
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9",
        "RELAY_DATABASE_URL": f"sqlite:///{data}/relay.db",
        "RELAY_PORT": str(port),
        "RELAY_HOST": "127.0.0.1",
    }
    cli = str(Path(sys.executable).with_name("crm-whatsapp-relay"))
    tokens = []
    import httpx

    relay = subprocess.Popen(
        [cli, "serve", "--log-level", "WARNING"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    http_url, ws_url = f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{http_url}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        for i in range(args.devices + 1):
            out = subprocess.run(
                [cli, "device", "add", f"bench-{i}", "--json"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            code = json.loads(out.stdout)["code"]
            tokens.append(httpx.post(f"{http_url}/v1/enroll", json={"code": code}).json()["token"])
        churn_token, tokens = tokens[-1], tokens[:-1]
        phases: list[dict[str, Any]] = []
        churn_s = None
        stalled: dict[str, Any] | None = None
        drop = (args.duration / 3, args.drop_gap) if args.drop_gap > 0 else None
        # phase -> (webhooks/s or 0 for as fast as answered, connections, device drop)
        plans = {
            "max": (0.0, args.connections, None),
            "rate": (args.rate, args.rate_connections, None),
            "sustain": (args.sustain_rate, args.connections, drop),
        }
        for name in args.phases.split(","):
            if name in plans:
                rate, conns, phase_drop = plans[name]
                phases.append(
                    run_phase(
                        relay.pid,
                        http_url,
                        ws_url,
                        tokens,
                        rate=rate,
                        duration=args.duration,
                        items=args.batch,
                        conns=conns,
                        drop=phase_drop,
                        label=name,
                    )
                )
            elif name == "churn":
                churn_s = asyncio.run(churn(ws_url, churn_token, args.churn, head_seq(http_url)))
            elif name == "stalled":
                stalled = stalled_phase(
                    relay.pid, http_url, tokens, args.stalled_events, args.stalled_kib
                )
        maxes = [p["accepted_per_s"] for p in phases if p["phase"] == "max"]
        figures = {
            "benchmark": "relay_throughput",
            "storage": "sqlite",
            "cores": os.cpu_count(),
            "phases": phases,
            "churn_cycles": args.churn if churn_s is not None else 0,
            "churn_s": round(churn_s, 2) if churn_s is not None else None,
            "max_before_churn_per_s": maxes[0] if maxes else None,
            "max_after_churn_per_s": maxes[-1] if len(maxes) > 1 else None,
            "events_lost": sum(p["lost"] for p in phases),
            "stalled": stalled,
            "relay_rss_kib": rss_kib(relay.pid),
            **commit_figures(http_url),
        }
    finally:
        relay.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            relay.wait(15)
        if relay.poll() is None:
            relay.kill()
    line = json.dumps(figures)
    print(line)
    results = ROOT / "tests" / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "relay_throughput.json").write_text(line + "\n")
    return 0 if figures["events_lost"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
