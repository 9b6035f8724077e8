"""The floor under the relay's fan-out: what one socket write per desktop costs, alone.

``relay_fanout.py`` reports the relay's CPU per device-frame (issue 18 asks for
under 3 µs). On loopback that figure includes the kernel's send path and, charged to
the writer, the receiving side's TCP input for each frame. This script measures
that floor with nothing else: one process holds ``--devices`` loopback TCP
connections (their peers drain them in another process) and, ``--rate`` times a
second for ``--duration`` seconds, writes the same ``--frame-bytes`` bytes to every
one of them through asyncio transports (uvloop when installed, as the relay runs).
Its CPU per write, user and system, is the part of the relay's figure no relay
code can remove while every desktop gets its own write. Prints one JSON line.

Only loopback is targeted; the loop is bounded by ``--duration`` (at most 60 s)
and ``--devices`` (at most 5,000).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import selectors
import socket
import time
from typing import Any


def drain(port: int, count: int, ready: Any, stop: Any) -> None:
    """Connect ``count`` sockets to ``port`` and read everything until ``stop`` is set."""
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setblocking(False)
        sel.register(sock, selectors.EVENT_READ)
        socks.append(sock)
    ready.set()
    while not stop.is_set():
        for key, _ in sel.select(timeout=0.1):
            with contextlib.suppress(BlockingIOError):
                key.fileobj.recv(1 << 16)  # type: ignore[union-attr]
    for sock in socks:
        sock.close()


def cpu_seconds() -> tuple[float, float]:
    times = os.times()
    return times.user, times.system


async def writer(args: argparse.Namespace) -> dict[str, Any]:
    transports: list[asyncio.WriteTransport] = []
    connected = asyncio.Event()

    class Sink(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            transports.append(transport)  # type: ignore[arg-type]
            if len(transports) == args.devices:
                connected.set()

    loop = asyncio.get_running_loop()
    server = await loop.create_server(Sink, "127.0.0.1", 0, backlog=args.devices)
    port = server.sockets[0].getsockname()[1]
    ctx = mp.get_context("spawn")
    ready, stop = ctx.Event(), ctx.Event()
    half = args.devices // 2
    drains = [
        ctx.Process(target=drain, args=(port, n, ready, stop)) for n in (half, args.devices - half)
    ]
    for proc in drains:
        proc.start()
    async with asyncio.timeout(60):
        await connected.wait()
    frame = b"\x81\x7e" + args.frame_bytes.to_bytes(2, "big") + b"x" * args.frame_bytes
    interval = 1.0 / args.rate
    frames = round(args.rate * args.duration)
    user0, sys0 = cpu_seconds()
    started = time.perf_counter()
    for n in range(frames):
        for transport in transports:
            transport.write(frame)
        await asyncio.sleep(max(0.0, started + (n + 1) * interval - time.perf_counter()))
    user1, sys1 = cpu_seconds()
    stop.set()
    for transport in transports:
        transport.close()
    server.close()
    for proc in drains:
        proc.join(10)
    writes = frames * args.devices
    return {
        "benchmark": "send_floor",
        "loop": type(loop).__module__.split(".")[0],
        "devices": args.devices,
        "rate": args.rate,
        "duration_s": args.duration,
        "frame_bytes": args.frame_bytes,
        "writes": writes,
        "user_us_per_write": round((user1 - user0) / writes * 1e6, 2),
        "sys_us_per_write": round((sys1 - sys0) / writes * 1e6, 2),
        "us_per_write": round((user1 - user0 + sys1 - sys0) / writes * 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--frame-bytes", type=int, default=700, help="one webhook's frame")
    args = parser.parse_args()
    if not 1 <= args.devices <= 5000 or not 0 < args.duration <= 60 or args.rate <= 0:
        parser.error("--devices 1..5000, --duration up to 60 s, --rate above 0")
    if not 0 < args.frame_bytes < 65536:
        parser.error("--frame-bytes 1..65535")
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(writer(args))
    else:
        result = uvloop.run(writer(args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
