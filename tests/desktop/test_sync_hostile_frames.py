"""A frame the desktop cannot read must not end its sync session.

Ending the session makes the desktop reconnect from the same cursor and be
sent the same frame again: the inbox would stall on it for ever. The relay
never sends such frames, so a server on loopback that speaks the stream
protocol (``WS /v1/stream``, DESIGN.md) plays one that does (a relay of a
later or broken version, a proxy mangling frames) and records the acks.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.sync.client import SyncClient
from tests.desktop import events
from tests.desktop.sqlpeek import rows

GOOD_SEQ = 9


def good(seq: int, body: str) -> str:
    _, event = events.text_message(seq, "5511987654321", body, 1_760_000_000 + seq, "Ana")
    return json.dumps({"type": "event", "seq": seq, "event": event})


# What a broken relay or proxy could put on the wire, between good frames.
HOSTILE_FRAMES: list[str | bytes] = [
    json.dumps({"type": "hello", "device_id": "d", "after": 0, "head_seq": "muitos"}),
    good(1, "primeira"),
    "isto não é JSON",
    b"\xff\xfe binary, not UTF-8",
    "[" * 100_000 + "]" * 100_000,  # nested past what the parser recurses into
    json.dumps(["type", "event"]),
    json.dumps("event"),
    json.dumps({"type": "event", "seq": "3", "event": {"kind": "message"}}),
    json.dumps({"type": "event", "seq": 3.5, "event": {"kind": "message"}}),
    json.dumps({"type": "event", "seq": True, "event": {"kind": "message"}}),
    json.dumps({"type": "event", "seq": 2**80, "event": {"kind": "message"}}),
    json.dumps({"type": "event", "event": {"kind": "message"}}),
    json.dumps({"type": "event", "seq": 4, "event": ["não", "é", "objeto"]}),
    json.dumps({"type": "event", "seq": 5, "event": None}),
    json.dumps({"type": "event", "seq": 6}),
    json.dumps({"type": "event", "seq": 7, "event": {"kind": "message", "data": [1, 2]}}),
    json.dumps({"type": 42}),
    json.dumps({}),
    good(GOOD_SEQ, "depois do lixo"),
    json.dumps({"type": "ready", "seq": GOOD_SEQ, "head_seq": GOOD_SEQ}),
]


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    store = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    yield store
    store.close()


async def sync_against(frames: list[str | bytes], history: History) -> tuple[int, list[Any]]:
    """Sync once from a loopback server sending ``frames``; the summary's cursor and the acks."""
    acks: list[Any] = []

    async def relay(ws: ServerConnection) -> None:
        for frame in frames:
            await ws.send(frame)
        async for message in ws:  # the client acks, then closes once idle
            acks.append(json.loads(message))

    async with serve(relay, "127.0.0.1", 0, max_size=2**24) as server:
        port = server.sockets[0].getsockname()[1]
        client = SyncClient(f"http://127.0.0.1:{port}", "token", history)
        summary = await client.run_until_idle(timeout=20)
    return summary.cursor, acks


def test_unreadable_frames_are_skipped_and_the_sync_reaches_the_next_good_event(
    history: History, caplog: pytest.LogCaptureFixture
) -> None:
    cursor, acks = asyncio.run(asyncio.wait_for(sync_against(HOSTILE_FRAMES, history), 30))

    assert cursor == GOOD_SEQ == history.cursor()
    assert {"type": "ack", "seq": GOOD_SEQ} in acks
    conversation = history.conversations()[0]["id"]
    assert [m["text"] for m in history.messages(conversation)] == ["primeira", "depois do lixo"]
    # Events that were not objects (or held no usable item) are kept, not applied.
    kept = rows(history, "SELECT seq, kind FROM other_events ORDER BY seq")
    assert kept == [(4, "invalid"), (5, "invalid"), (6, "invalid"), (7, "message")]
    # Logged without quoting the frames.
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "crm_whatsapp.sync")
    assert "skipped" in logged and "lixo" not in logged and "objeto" not in logged
