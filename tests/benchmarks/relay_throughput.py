"""Relay throughput and latency on loopback, with durable SQLite storage.

Spawns a relay (``crm-whatsapp-relay serve``) on a throw-away SQLite file,
enrolls D devices, and runs phases:

1. ``max``   — signed ~1 KB webhooks posted as fast as answered, D devices streaming;
2. ``rate``  — webhooks at ``--rate`` per second (latency figures), one device
   dropped for ``--drop-gap`` s mid-run and resumed from its cursor;
3. ``churn`` — ``--churn`` connect/disconnect cycles, then ``max`` again to
   show throughput stays flat.

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


def make_body(run: str, n: int, items: int) -> bytes:
    """A Meta-shaped webhook of ``items`` text messages, ~1 KB per item."""
    t = time.monotonic_ns()
    messages = [
        {
            "from": "5511987654321",
            "id": f"wamid.BENCH{run}.{n}.{i}",
            "timestamp": str(int(time.time())),
            "type": "text",
            "text": {"body": f"bench {n} {t} {PAD[:760]}"},
        }
        for i in range(items)
    ]
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "5511930000000",
                                "phone_number_id": "106540352242922",
                            },
                            "contacts": [
                                {"profile": {"name": "Ana Souza"}, "wa_id": "5511987654321"}
                            ],
                            "messages": messages,
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()


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


async def _devices(
    url: str,
    tokens: list[str],
    after: int,
    expected_q: Any,
    result_q: Any,
    ready: Any,
    drop: tuple[float, float] | None,
) -> None:
    n_dev = len(tokens)
    received = [set() for _ in range(n_dev)]
    latencies: list[float] = []
    regressions = [0] * n_dev
    cursors = [after] * n_dev
    connected = [asyncio.Event() for _ in range(n_dev)]
    stop = asyncio.Event()
    started = time.monotonic()

    async def one(i: int) -> None:
        while not stop.is_set():
            try:
                async with websockets.connect(
                    f"{url}/v1/stream?after={cursors[i]}",
                    additional_headers={"Authorization": f"Bearer {tokens[i]}"},
                    max_size=2**24,
                    compression=None,
                    ping_interval=None,
                ) as ws:
                    sockets[i] = ws
                    connected[i].set()
                    since_ack = 0
                    while True:
                        if (
                            drop
                            and i == 0
                            and not drop_done
                            and drop[0] <= time.monotonic() - started
                        ):
                            gap = drop[1]
                            drop_done.append(True)
                            await ws.close()
                            await asyncio.sleep(gap)
                            break
                        frame = await ws.recv()
                        if not frame.startswith('{"type":"event"'):
                            continue
                        seq = int(frame[22 : frame.index(",", 22)])
                        if seq <= cursors[i]:
                            regressions[i] += 1
                        cursors[i] = seq
                        k = frame.find('"bench ')
                        if k >= 0:
                            parts = frame[k + 7 : k + 60].split(" ", 2)
                            received[i].add(int(parts[0]))
                            if i == n_dev - 1:
                                latencies.append((time.monotonic_ns() - int(parts[1])) / 1e6)
                        since_ack += 1
                        if since_ack >= 100:
                            await ws.send(json.dumps({"type": "ack", "seq": seq}))
                            since_ack = 0
            except (OSError, websockets.ConnectionClosed):
                if not stop.is_set():
                    await asyncio.sleep(0.05)

    drop_done: list[bool] = []
    sockets: list[Any] = [None] * n_dev
    tasks = [asyncio.create_task(one(i)) for i in range(n_dev)]
    await asyncio.wait_for(asyncio.gather(*(c.wait() for c in connected)), 30)
    ready.set()
    loop = asyncio.get_running_loop()
    expected: set[int] = await loop.run_in_executor(None, expected_q.get)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(not expected <= r for r in received):
        await asyncio.sleep(0.05)
    stop.set()
    for ws in sockets:
        if ws is not None:
            await ws.close()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)
    lost = max(len(expected - r) for r in received)
    latencies.sort()

    def pct(q: float) -> float | None:
        return (
            round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
            if (latencies)
            else None
        )

    result_q.put(
        {
            "lost": lost,
            "seq_regressions": sum(regressions),
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": round(latencies[-1], 2) if latencies else None,
            "drain_s": round(time.monotonic() - (deadline - 60), 2),
        }
    )


# -- posting (this process) -------------------------------------------------------------------


async def post_load(
    host: str, port: int, run: str, rate: float, duration: float, items: int, conns: int
) -> tuple[set[int], int, float]:
    accepted: set[int] = set()
    failed = 0
    counter = iter(range(MAX_MESSAGES))
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
                body = make_body(run, n, items)
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
                status_line = await reader.readline()
                length = 0
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
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


def head_seq(http_url: str) -> int:
    import httpx

    return int(httpx.get(f"{http_url}/healthz", timeout=10).json()["head_seq"])


def commit_figures(http_url: str) -> dict[str, float]:
    """Average group-commit size and time, from the relay's own /metrics."""
    import httpx

    values: dict[str, float] = {}
    for line in httpx.get(f"{http_url}/metrics", timeout=10).text.splitlines():
        name, _, value = line.partition(" ")
        if name in ("relay_commit_seconds_sum", "relay_commit_seconds_count",
                    "relay_commit_batch_events_sum"):
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


def run_phase(
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
    accepted, failed, elapsed = asyncio.run(
        post_load(host, int(port), run, rate, duration, items, conns)
    )
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
        **result,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--rate", type=float, default=1000.0, help="webhooks/s of the rate phase")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per phase")
    parser.add_argument("--batch", type=int, default=1, help="items per webhook")
    parser.add_argument("--connections", type=int, default=24)
    parser.add_argument("--churn", type=int, default=1000)
    parser.add_argument("--drop-gap", type=float, default=2.0)
    parser.add_argument("--phases", default="max,rate,churn,max")
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
        for name in args.phases.split(","):
            if name == "max":
                phases.append(
                    run_phase(
                        http_url,
                        ws_url,
                        tokens,
                        rate=0,
                        duration=args.duration,
                        items=args.batch,
                        conns=args.connections,
                        drop=None,
                        label="max",
                    )
                )
            elif name == "rate":
                drop = (args.duration / 3, args.drop_gap) if args.drop_gap > 0 else None
                phases.append(
                    run_phase(
                        http_url,
                        ws_url,
                        tokens,
                        rate=args.rate,
                        duration=args.duration,
                        items=args.batch,
                        conns=args.connections,
                        drop=drop,
                        label="rate",
                    )
                )
            elif name == "churn":
                churn_s = asyncio.run(churn(ws_url, churn_token, args.churn, head_seq(http_url)))
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
