"""Fan-out to many idle desktops: latency, CPU per device-frame, memory after churn.

Spawns a relay (``python -m relay.cli serve``, so ``PYTHONPATH`` can point it at
another copy of ``relay/`` to compare) on a throw-away SQLite file with
``--devices`` devices enrolled, then runs three phases:

1. ``alone``  — one device streaming, ``--rate`` webhooks/s for ``--duration`` s:
   the relay's CPU per webhook without fan-out;
2. ``fanout`` — ``--devices`` devices streaming (idle desktops that acknowledge
   every ``--ack-every`` frames, 0 never), the same trickle: POST→frame latency
   over every frame every device received, POST→200 latency (the durable
   commit, which no frame can beat), CPU per webhook split into user and
   system time, and the difference per extra device-frame. System time is
   mostly the socket writes: on loopback the kernel's receive path for the
   device is charged to the writer too. Every device must get every accepted
   event exactly once and in order (``lost``, ``duplicated``, ``out_of_order``
   must be 0);
3. ``churn``  — ``--cycles`` times: open ``--devices`` streams, wait for each
   ``hello``, drop them all, wait until the relay has closed them, read its RSS.

Prints one JSON line. Devices run in a second process on lean raw sockets: the
generator shares the two cores with the relay. Only loopback is targeted and
every loop is bounded in count and time.
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from raw_ws import RawClient, free_port

SECRET = "bench-app-secret"
MAX_DEVICES = 5000
PAD = "Olá, gostaria de saber se o apartamento ainda está disponível para visita. " * 6
PAD_ESCAPED = json.dumps(PAD[:400], ensure_ascii=True)[1:-1]
BODY = (
    '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{'
    '"field":"messages","value":{"messaging_product":"whatsapp","metadata":{'
    '"display_phone_number":"5511930000000","phone_number_id":"106540352242922"},'
    '"contacts":[{"profile":{"name":"Ana Souza"},"wa_id":"5511987654321"}],'
    '"messages":[{"from":"5511987654321","id":"wamid.FANOUT%s.%d","timestamp":"%d",'
    '"type":"text","text":{"body":"bench %d %d %s"}}]}}]}]}'
)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU seconds ``pid`` has used (system: mostly its socket writes)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


# -- devices ------------------------------------------------------------------------------------


class Device(RawClient):
    """A benchmark desktop (:class:`raw_ws.RawClient`): frames go to the ``book``."""

    def __init__(self, index: int, book: Book) -> None:
        super().__init__()
        self.index = index
        self.book = book
        self.since_ack = 0

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError("closed before hello"))
        self.book.lost_connections += 1

    def text(self, payload: bytes) -> None:
        if not self.ready.done():
            self.ready.set_result(None)  # the hello
        seq = self.book.frame(self.index, payload)
        if seq and self.book.ack_every:
            self.since_ack += 1
            if self.since_ack >= self.book.ack_every:
                self.since_ack = 0
                self.send(1, b'{"type":"ack","seq":%d}' % seq)


class Book:
    """What every device received: bench numbers, seq order, latencies."""

    def __init__(self, devices: int, ack_every: int) -> None:
        self.ack_every = ack_every
        self.received: list[set[int]] = [set() for _ in range(devices)]
        self.duplicated = 0
        self.out_of_order = 0
        self.last_seq = [0] * devices
        self.latencies: list[float] = []
        self.lost_connections = 0

    def frame(self, index: int, payload: bytes) -> int:
        if not payload.startswith(b'{"type":"event"'):
            return 0
        now = time.monotonic_ns()
        seq = int(payload[22 : payload.index(b",", 22)])
        if seq <= self.last_seq[index]:
            self.out_of_order += 1
        self.last_seq[index] = seq
        k = payload.find(b'"bench ')
        if k >= 0:
            number, sent, _ = payload[k + 7 : k + 60].split(b" ", 2)
            n = int(number)
            if n in self.received[index]:
                self.duplicated += 1
            self.received[index].add(n)
            self.latencies.append((now - int(sent)) / 1e6)
        return seq


async def open_device(port: int, token: str, after: int, index: int, book: Book) -> Device:
    loop = asyncio.get_running_loop()
    _, proto = await loop.create_connection(lambda: Device(index, book), "127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    assert proto.transport is not None
    proto.transport.write(
        (
            f"GET /v1/stream?after={after} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Authorization: Bearer {token}\r\n\r\n"
        ).encode()
    )
    await asyncio.wait_for(proto.ready, 30)
    return proto


async def open_all(port: int, tokens: list[str], after: int, book: Book) -> list[Device]:
    """Open one stream per token, 50 handshakes at a time."""
    gate = asyncio.Semaphore(50)

    async def one(i: int) -> Device:
        async with gate:
            return await open_device(port, tokens[i], after, i, book)

    return list(await asyncio.gather(*(one(i) for i in range(len(tokens)))))


def device_process(port: int, tokens: list[str], after: int, ack_every: int, pipe: Any) -> None:
    """Connect, say ready, wait for the accepted bench numbers, drain, report, close."""
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()

    async def main() -> None:
        book = Book(len(tokens), ack_every)
        devices = await open_all(port, tokens, after, book)
        pipe.send("ready")
        cpu_from = time.process_time()
        loop = asyncio.get_running_loop()
        expected: set[int] = await loop.run_in_executor(None, pipe.recv)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(not expected <= r for r in book.received):
            await asyncio.sleep(0.05)
        client_cpu = time.process_time() - cpu_from
        for device in devices:
            if device.transport is not None:
                device.transport.close()
        lat = book.latencies
        pipe.send(
            {
                "lost": max(len(expected - r) for r in book.received),
                "duplicated": book.duplicated,
                "out_of_order": book.out_of_order,
                "device_frames": len(lat),
                "p50_ms": percentile(lat, 0.50),
                "p99_ms": percentile(lat, 0.99),
                "max_ms": round(max(lat), 2) if lat else None,
                "client_cpu_s": round(client_cpu, 2),
            }
        )

    asyncio.run(main())


# -- the relay's side ----------------------------------------------------------------------------


async def post_load(
    port: int, run: str, rate: float, duration: float
) -> tuple[set[int], float, list[float]]:
    """Signed webhooks at ``rate``/s from 4 keep-alive connections.

    Returns the accepted numbers, the seconds it took and each POST's time to
    its answer in ms (the durable commit: what a frame cannot beat).
    """
    accepted: set[int] = set()
    answered: list[float] = []
    total = int(rate * duration)
    counter = iter(range(total))
    start = time.monotonic()

    async def conn() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for n in counter:
                due = start + n / rate
                delay = due - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                body = (
                    BODY % (run, n, int(time.time()), n, time.monotonic_ns(), PAD_ESCAPED)
                ).encode("ascii")
                sig = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
                posted = time.monotonic_ns()
                writer.write(
                    b"POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
                    b"X-Hub-Signature-256: sha256=%s\r\nContent-Length: %d\r\n\r\n%s"
                    % (sig.encode(), len(body), body)
                )
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
                k = head.lower().find(b"content-length:")
                if k >= 0:
                    length = int(head[k + 15 : head.index(b"\r\n", k)])
                    if length:
                        await reader.readexactly(length)
                if head.split(b" ", 2)[1] == b"200":
                    accepted.add(n)
                    answered.append((time.monotonic_ns() - posted) / 1e6)
        finally:
            writer.close()

    await asyncio.gather(*(conn() for _ in range(4)))
    return accepted, time.monotonic() - start, answered


def percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else None


def healthz(port: int) -> dict[str, Any]:
    import httpx

    return dict(httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json())


def wait_streams(port: int, count: int, limit: float = 60.0) -> None:
    """Until the relay reports ``count`` open streams (bounded by ``limit`` seconds)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if healthz(port)["devices_connected"] == count:
            return
        time.sleep(0.05)
    raise RuntimeError(f"the relay did not reach {count} open streams")


def stream_phase(
    pid: int, port: int, tokens: list[str], rate: float, duration: float, ack_every: int
) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    mine, theirs = ctx.Pipe()
    after = healthz(port)["head_seq"]
    proc = ctx.Process(target=device_process, args=(port, tokens, after, ack_every, theirs))
    proc.start()
    if not mine.poll(120) or mine.recv() != "ready":
        proc.kill()
        raise RuntimeError("devices did not connect")
    wait_streams(port, len(tokens))
    time.sleep(1.0)  # the presence write that follows a thousand opens is not fan-out
    idle_from, idle_t = sum(cpu_seconds(pid)), time.monotonic()
    time.sleep(2.0)
    idle = (sum(cpu_seconds(pid)) - idle_from) / (time.monotonic() - idle_t)
    user0, sys0 = cpu_seconds(pid)
    accepted, elapsed, answered = asyncio.run(
        post_load(port, f"f{time.time_ns() % 10**9}", rate, duration)
    )
    user1, sys1 = cpu_seconds(pid)
    mine.send(accepted)
    if not mine.poll(120):
        proc.kill()
        raise RuntimeError("devices did not report")
    result = mine.recv()
    proc.join(30)
    wait_streams(port, 0)
    count = max(1, len(accepted))
    return {
        "devices": len(tokens),
        "webhooks_accepted": len(accepted),
        "accepted_per_s": round(len(accepted) / elapsed, 1),
        "idle_cpu_ms_per_s": round(idle * 1000, 2),
        "cpu_ms_per_webhook": round((user1 + sys1 - user0 - sys0) * 1000 / count, 3),
        "user_ms_per_webhook": round((user1 - user0) * 1000 / count, 3),
        "sys_ms_per_webhook": round((sys1 - sys0) * 1000 / count, 3),
        "post_p50_ms": percentile(answered, 0.50),
        "post_p99_ms": percentile(answered, 0.99),
        **result,
    }


def churn(pid: int, port: int, tokens: list[str], cycles: int) -> list[float]:
    """RSS (MB) of the relay after each cycle of opening and dropping every token's stream."""
    after = healthz(port)["head_seq"]
    rss: list[float] = []

    async def cycle() -> None:
        book = Book(len(tokens), 0)
        devices = await open_all(port, tokens, after, book)
        for device in devices:
            if device.transport is not None:
                device.transport.close()
        await asyncio.sleep(0.2)

    for _ in range(min(cycles, 100)):
        asyncio.run(cycle())
        wait_streams(port, 0)
        time.sleep(3.0)  # past the relay's sweep after a wave of closes (relay.stream.Sweeper)
        rss.append(round(rss_kib(pid) / 1024, 1))
    return rss


def enroll(db_url: str, count: int) -> list[str]:
    """``count`` enrolled devices' tokens, written straight into the fresh database."""
    from relay.db import create_schema, make_engine
    from relay.devices import add_device
    from relay.devices import enroll as take_code

    engine = make_engine(db_url)
    create_schema(engine)
    tokens = []
    for i in range(count):
        _, code, _ = add_device(engine, f"fanout {i:04d}")
        tokens.append(take_code(engine, code, None)[0])
    engine.dispose()
    return tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="webhooks/s")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--ack-every", type=int, default=100, help="frames per device ack")
    parser.add_argument("--cycles", type=int, default=8, help="churn cycles")
    parser.add_argument("--phases", default="alone,fanout,churn")
    args = parser.parse_args()
    if not 1 <= args.devices <= MAX_DEVICES:
        parser.error(f"--devices must be between 1 and {MAX_DEVICES}")

    data = Path(tempfile.mkdtemp(prefix="relay-fanout-"))
    db_url = f"sqlite:///{data}/relay.db"
    tokens = enroll(db_url, args.devices)
    port = free_port()
    env = {
        **os.environ,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench",
        "WHATSAPP_ACCESS_TOKEN": "bench",
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9",
        "RELAY_DATABASE_URL": db_url,
        "RELAY_PORT": str(port),
        "RELAY_HOST": "127.0.0.1",
    }
    relay = subprocess.Popen(
        [sys.executable, "-m", "relay.cli", "serve", "--log-level", "WARNING"],
        env=env,
        cwd=data,  # no stray .env is read
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    figures: dict[str, Any] = {
        "benchmark": "relay_fanout",
        "relay_source": str(Path(__import__("relay").__file__).parent),
        "devices": args.devices,
        "webhooks_per_s": args.rate,
        "ack_every": args.ack_every,
    }
    try:
        import httpx

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        phases = args.phases.split(",")
        alone = fan = None
        if "alone" in phases:
            alone = stream_phase(
                relay.pid, port, tokens[:1], args.rate, args.duration, args.ack_every
            )
            figures["alone"] = alone
        if "fanout" in phases:
            fan = stream_phase(relay.pid, port, tokens, args.rate, args.duration, args.ack_every)
            figures["fanout"] = fan
            figures["p50_ms"], figures["p99_ms"] = fan["p50_ms"], fan["p99_ms"]
            figures["cpu_ms_per_webhook"] = fan["cpu_ms_per_webhook"]
        if alone and fan and args.devices > 1:
            # What each extra device costs per frame: the difference over the devices added.
            for key, name in (
                ("cpu_ms_per_webhook", "us_per_device_frame"),
                ("user_ms_per_webhook", "user_us_per_device_frame"),
                ("sys_ms_per_webhook", "sys_us_per_device_frame"),
            ):
                extra = fan[key] - alone[key]
                figures[name] = round(extra * 1000 / (args.devices - 1), 2)
        if "churn" in phases:
            figures["rss_after_churn_mb"] = churn(relay.pid, port, tokens, args.cycles)
        figures["relay_rss_mb"] = round(rss_kib(relay.pid) / 1024, 1)
    finally:
        relay.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            relay.wait(15)
        if relay.poll() is None:
            relay.kill()
    print(json.dumps(figures))
    fan = figures.get("fanout") or {}
    return 0 if not (fan.get("lost") or fan.get("duplicated") or fan.get("out_of_order")) else 1


if __name__ == "__main__":
    sys.exit(main())
