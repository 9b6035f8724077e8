"""Driving the real inbox window in tests: a qasync loop under pytest-qt, and desktops.

Pattern from ../shared/notes (qt-app-style §3a): the qasync loop is made the
running loop without being run; every ``qtbot.waitUntil`` spins Qt, which
runs asyncio's callbacks. Teardown cancels tasks and waits for them, and
never calls ``loop.stop()`` (that would quit the QApplication for every
later test).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtWidgets import QLabel
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.session import InboxSession
from crm_whatsapp.ui.mainwindow import MainWindow
from crm_whatsapp.workspace import Workspace, enroll, save_device


def finish(qtbot: QtBot, coro: Coroutine[Any, Any, Any], timeout: int = 10_000) -> Any:
    """Run a coroutine to its end on the qasync loop, from a synchronous test."""
    task = asyncio.ensure_future(coro)
    try:
        qtbot.waitUntil(task.done, timeout=timeout)
    except WaitTimeout as exc:
        # Which task holds it up is what the next person needs from a CI log.
        stuck = [stack_line(t) for t in asyncio.all_tasks() if not t.done() and t is not task]
        raise WaitTimeout(f"{exc}; still running: {'; '.join(stuck)}") from None
    return task.result()


def stack_line(task: asyncio.Task[Any]) -> str:
    """A task and the line it waits on: its innermost frame is where it is stuck."""
    frames = task.get_stack()
    where = f"{frames[-1].f_code.co_filename}:{frames[-1].f_lineno}" if frames else "?"
    return f"{task.get_name()} at {where}"


@dataclass
class Desk:
    """One attendant's PC: its profile, session and window."""

    name: str
    workspace: Workspace
    session: InboxSession
    window: MainWindow

    def conversation_for(self, wa_id: str) -> int | None:
        for row in self.session.history.conversations(1000, view="all"):
            if row["wa_id"] == wa_id:
                return int(row["id"])
        return None


def shows_connected(window: MainWindow) -> bool:
    """Whether the window tells its user it is connected, in the words a user reads."""
    return any(label.text() == "Conectado" for label in window.findChildren(QLabel))


def open_desk(qtbot: QtBot, stack: DemoStack, root: Path, name: str) -> Desk:
    """Enroll a new desktop named ``name`` and open its real window on ``stack``.

    Returns once the window is shown, active (keyboard input goes to it) and
    says "Conectado", which is when an attendant starts working.
    """
    profile = Profile(root / name).ensure()
    backend = MemoryKeyring()
    device = enroll(stack.relay_url, stack.new_code(name), name)
    workspace, _recovery = Workspace.create(profile, backend)
    save_device(profile, workspace.keys, device, backend)
    session = InboxSession(workspace, device)
    window = MainWindow(session, "light", sound=False)
    qtbot.addWidget(window)
    window.show()
    session.start()
    qtbot.waitUntil(lambda: shows_connected(window), timeout=15_000)
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)
    return Desk(name, workspace, session, window)


def close_desk(qtbot: QtBot, desk: Desk) -> None:
    finish(qtbot, desk.session.stop())
    if shiboken6.isValid(desk.window):  # pytest-qt may have closed it already
        desk.window.close()
    desk.workspace.close()
