"""A sync that fails for a reason other than the network says so: in the log and in the window.

Reconnecting cures a dropped connection; it does not cure a store that
refuses writes or a bug handling a frame, because the relay resends what
was not acknowledged and the same failure comes back. Such failures are
logged by kind (never with data) and, once they repeat, the window tells the
attendant the inbox is stuck; a session that works again clears it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from offline_window import OfflineDesk, offline_desk
from pytestqt.qtbot import QtBot
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.sync.client import TROUBLE_AFTER, SyncClient, SyncListeners
from tests.desktop import events

SECRET_TEXT = "CPF 123.456.789-00 do cliente"


def frames() -> list[str]:
    _, event = events.text_message(1, "5511987654321", SECRET_TEXT, 1_760_000_000, "Ana")
    return [
        json.dumps({"type": "hello", "device_id": "d", "after": 0, "head_seq": 1}),
        json.dumps({"type": "event", "seq": 1, "event": event}),
        json.dumps({"type": "ready", "seq": 1, "head_seq": 1}),
    ]


async def relay(ws: ServerConnection) -> None:
    """A relay on loopback: the backlog, then whatever the client acknowledges."""
    with contextlib.suppress(ConnectionClosed):  # the client drops it when its store fails
        for frame in frames():
            await ws.send(frame)
        async for _message in ws:
            pass


async def loopback_url() -> AsyncIterator[str]:
    async with serve(relay, "127.0.0.1", 0) as server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


def new_history(path: Path) -> History:
    return History(open_engine(path, os.urandom(32)))


@pytest.fixture
def broken_history(tmp_path: Path) -> Iterator[History]:
    """A history whose writer is gone: every write the sync tries fails in the store."""
    store = new_history(tmp_path / "broken.db")
    store.close()
    yield store


class Recorder:
    def __init__(self) -> None:
        self.states: list[str] = []
        self.trouble: list[str | None] = []
        self.changed = asyncio.Event()

    def listeners(self) -> SyncListeners:
        def state(value: str) -> None:
            self.states.append(value)
            self.changed.set()

        def trouble(kind: str | None) -> None:
            self.trouble.append(kind)
            self.changed.set()

        return SyncListeners(state=state, trouble=trouble)

    async def until(self, condition: Any, timeout: float = 15.0) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                self.changed.clear()
                await self.changed.wait()


def test_a_store_failure_is_logged_by_kind_reported_once_it_repeats_and_cleared_when_fixed(
    broken_history: History, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="crm_whatsapp.sync")
    seen = Recorder()
    healthy = new_history(tmp_path / "healthy.db")

    async def scenario() -> None:
        async for url in loopback_url():
            client = SyncClient(url, "token", broken_history, seen.listeners(), backoff_max=0.05)
            stop = asyncio.Event()
            task = asyncio.create_task(client.run_forever(stop))
            try:
                await seen.until(lambda: seen.trouble)
                failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
                assert len(failures) >= TROUBLE_AFTER
                assert seen.states.count("offline") >= TROUBLE_AFTER
                # The store comes back (support fixed it): the next session clears it.
                client.history = healthy
                await seen.until(lambda: seen.trouble[-1] is None and seen.states[-1] == "live")
            finally:
                stop.set()
                await asyncio.wait_for(task, 10)

    try:
        asyncio.run(scenario())
        assert healthy.cursor() == 1
    finally:
        healthy.close()
    kind = seen.trouble[0]
    assert kind and kind in caplog.text  # the exception's class names the failure
    assert seen.trouble == [kind, None]  # said once while it lasted, cleared once
    assert SECRET_TEXT not in caplog.text and "123.456" not in caplog.text


def test_a_relay_that_cannot_be_reached_is_logged_but_is_not_a_failure_to_report(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="crm_whatsapp.sync")
    seen = Recorder()
    history = new_history(tmp_path / "history.db")

    async def scenario() -> None:
        async with serve(relay, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
        # The port is free again: connections are refused, as with a relay that is down.
        client = SyncClient(f"http://127.0.0.1:{port}", "t", history, seen.listeners(), 0.02)
        stop = asyncio.Event()
        task = asyncio.create_task(client.run_forever(stop))
        try:
            await seen.until(lambda: seen.states.count("offline") >= TROUBLE_AFTER + 2)
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)

    try:
        asyncio.run(scenario())
    finally:
        history.close()
    assert seen.trouble == []
    assert "ConnectionRefusedError" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.fixture
def desk(qloop: Any, qtbot: QtBot, tmp_path: Path) -> Iterator[OfflineDesk]:
    yield from offline_desk(qtbot, tmp_path)


def test_the_window_says_the_inbox_is_stuck_until_a_session_works_again(
    desk: OfflineDesk,
) -> None:
    session, label = desk.session, desk.window.connection_label
    trouble = desk.session.sync.listeners.trouble
    assert trouble is not None
    session.connection.emit("offline")
    assert label.text().startswith("Sem conexão")

    trouble("OperationalError")
    stuck = label.text()
    assert "não consegue aplicar" in stuck and "suporte" in stuck
    for state in ("connecting", "replaying", "offline"):  # reconnecting does not hide it
        session.connection.emit(state)
        assert label.text() == stuck

    trouble(None)
    session.connection.emit("live")
    assert label.text() == "Conectado"
