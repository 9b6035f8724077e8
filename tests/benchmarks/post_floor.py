"""The floor under the relay's POST latency: the same HTTP stack and poster, almost no work.

``relay_throughput.py`` reports the relay's p50 POST latency at a fixed rate and
as a multiple of the disk's fsync (issue 18 aims for under 2 fsyncs plus 0.3 ms
with 8 connections). Part of that figure is not the relay's: the poster's own
event loop, the kernel's loopback and uvicorn's request handling. This script
measures those floors with the relay's uvicorn settings (uvloop, httptools) and
``relay_throughput``'s own poster (8 keep-alive connections, 1-item webhooks,
signed alike), against two bare handlers in another process:

* ``answer``: read the body, answer ``200 EVENT_RECEIVED``. The HTTP round trip.
* ``durable``: check the signature, parse the JSON, insert one row into a SQLite
  file in WAL mode with ``synchronous=FULL`` and commit, then answer: the least
  a relay that answers only once the webhook is on disk must do, with no
  deduplication, numbering, fan-out or metrics.

The relay's p50 minus ``durable``'s is what the relay's own code adds. Prints
one JSON line per handler and rate (also appended to
``tests/benchmarks/results/post_floor.json``), with the disk's fsync measured
beside the database. Only loopback is targeted; each run is bounded by
``--duration`` (at most 60 s) and the poster's own caps.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from raw_ws import free_port
from relay_throughput import SECRET, cpu_seconds, measure_fsync, pct, post_load

RESULTS = Path(__file__).parent / "results" / "post_floor.json"
HANDLERS = ("answer", "durable")
ANSWER = b"EVENT_RECEIVED"


def serve(handler: str, port: int, database: str) -> None:
    """Serve ``handler`` on loopback ``port`` until terminated (the server process)."""
    import uvicorn

    secret = SECRET.encode()
    conn: sqlite3.Connection | None = None
    if handler == "durable":
        conn = sqlite3.connect(database, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            "CREATE TABLE events (seq INTEGER PRIMARY KEY, dedupe_key TEXT UNIQUE, "
            "kind TEXT, received_at REAL, body TEXT)"
        )

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        """One POST: read it, do the handler's work, answer as the relay does."""
        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        status = 200
        if conn is not None:
            header = dict(scope["headers"]).get(b"x-hub-signature-256", b"")
            expected = b"sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest().encode()
            if hmac.compare_digest(expected, header):
                item = orjson.loads(body)
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO events (dedupe_key, kind, received_at, body) VALUES (?,?,?,?)",
                    (str(time.perf_counter_ns()), "message", time.time(), orjson.dumps(item)),
                )
                conn.execute("COMMIT")
            else:
                status = 401
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", b"14")],
            }
        )
        await send({"type": "http.response.body", "body": ANSWER})

    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        lifespan="off",
        log_config=None,
        access_log=False,
        server_header=False,
    )


def wait_listening(port: int, server: subprocess.Popen[bytes], limit: float = 20.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the {port} floor server did not start (exit {server.poll()})")


def measure(handler: str, rate: float, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Start ``handler``'s server, POST at ``rate`` (0: as fast as answered), stop it."""
    port = free_port()
    database = folder / f"{handler}-{rate:g}.db"
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", handler, str(port), str(database)]
    )
    try:
        wait_listening(port, server)
        latencies: list[float] = []
        before = cpu_seconds(server.pid)
        accepted, failed, elapsed = asyncio.run(
            post_load(
                "127.0.0.1",
                port,
                f"floor{handler}",
                rate,
                args.duration,
                1,
                args.connections,
                latencies=latencies,
            )
        )
        cpu = cpu_seconds(server.pid) - before
    finally:
        server.terminate()
        server.wait(10)
    times = sorted(x * 1000 for x in latencies)
    return {
        "handler": handler,
        "target_rate": rate,
        "connections": args.connections,
        "posts": len(times),
        "failed": failed,
        "accepted_per_s": round(len(accepted) / elapsed, 1),
        "post_p50_ms": pct(times, 0.5),
        "post_p99_ms": pct(times, 0.99),
        "server_cpu_ms_per_post": round(cpu * 1000 / len(times), 3) if times else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", nargs=3, metavar=("HANDLER", "PORT", "DATABASE"))
    parser.add_argument("--handlers", default=",".join(HANDLERS))
    parser.add_argument("--rates", default="500", help="webhooks/s, comma-separated; 0 = max")
    parser.add_argument("--duration", type=float, default=6.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if args.serve:
        handler, port, database = args.serve
        serve(handler, int(port), database)
        return
    handlers = args.handlers.split(",")
    rates = [float(rate) for rate in args.rates.split(",")]
    if (
        set(handlers) - set(HANDLERS)
        or not 0 < args.duration <= 60
        or not 1 <= args.connections <= 64
    ):
        parser.error(f"handlers are {HANDLERS}; duration 0-60 s; 1-64 connections")
    if any(not 0 <= rate <= 20_000 for rate in rates):
        parser.error("rates are 0 (as fast as answered) to 20,000 webhooks/s")
    with tempfile.TemporaryDirectory(prefix="post-floor-") as tmp:
        folder = Path(tmp)
        fsync = measure_fsync(folder)
        for handler in handlers:
            for rate in rates:
                figures = measure(handler, rate, args, folder)
                p50, median = figures["post_p50_ms"], fsync["median_ms"]
                line = {
                    "benchmark": "post_floor",
                    **figures,
                    "fsync_ms": fsync,
                    "p50_in_fsyncs": round(p50 / median, 1) if p50 and median else None,
                    "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
                }
                print(json.dumps(line), flush=True)
                RESULTS.parent.mkdir(exist_ok=True)
                with RESULTS.open("a") as out:
                    out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
