"""The benchmarks' desktops: a minimal RFC 6455 client on a raw asyncio protocol.

The ``websockets`` client is correct but costs tens of microseconds per frame;
a thousand desktops (or ten at 3,000 events/s) would take the core the relay
is measured on. This one only completes the upgrade, splits frames, answers
pings, closes when told and sends short masked frames; what a text frame
means is the subclass's (:meth:`RawClient.text`). Shared by relay_throughput.py
and relay_fanout.py, which run it as a sibling module of their script.
"""

from __future__ import annotations

import asyncio
import os
import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RawClient(asyncio.Protocol):
    """Frames in, :meth:`text` called for each text frame; :meth:`upgraded` once switched."""

    def __init__(self) -> None:
        self.buf = bytearray()
        self.switched = False
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def upgraded(self) -> None:
        """The server answered 101 (the subclass may set :attr:`ready` here)."""

    def text(self, payload: bytes) -> None:
        raise NotImplementedError

    def send(self, opcode: int, payload: bytes) -> None:
        """One masked frame (clients must mask); payloads here are under 126 bytes."""
        mask = os.urandom(4)
        masked = bytes(b ^ mask[k % 4] for k, b in enumerate(payload))
        assert len(payload) < 126 and self.transport is not None
        self.transport.write(bytes((0x80 | opcode, 0x80 | len(payload))) + mask + masked)

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
                self.text(payload)
            elif opcode == 9:
                self.send(10, payload)
            elif opcode == 8 and self.transport is not None:
                self.transport.close()
