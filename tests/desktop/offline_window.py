"""A real inbox window over a local history, with no relay: for tests of what it shows.

The session is never started (as in ``tests/benchmarks/ui.py``): the window
paints and searches the history, and the tests feed that history stream
events through ``History.apply`` the way the sync client does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from pytestqt.qtbot import QtBot

from crm_whatsapp.profile import Profile
from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.session import Changes, InboxSession
from crm_whatsapp.store.history import History
from crm_whatsapp.ui.mainwindow import MainWindow
from crm_whatsapp.workspace import Device, Workspace


@dataclass
class OfflineDesk:
    workspace: Workspace
    session: InboxSession
    window: MainWindow

    @property
    def history(self) -> History:
        return self.session.history

    def receive(self, frames: list[tuple[int, dict[str, Any]]]) -> None:
        """Apply stream frames and tell the window, as the running session does."""
        applied = self.session.sync.listeners.applied
        assert applied is not None
        applied(self.history.apply(frames))

    def conversation_for(self, wa_id: str) -> int:
        rows = [r for r in self.history.conversations(1000) if r["wa_id"] == wa_id]
        assert rows, wa_id
        return int(rows[0]["id"])

    def announce(self, conversation_ids: set[int]) -> None:
        self.session.changed.emit(Changes(frozenset(conversation_ids)))


def offline_desk(qtbot: QtBot, root: Path) -> Iterator[OfflineDesk]:
    profile = Profile(root / "offline").ensure()
    workspace, _recovery = Workspace.create(profile, MemoryKeyring())
    session = InboxSession(workspace, Device("http://127.0.0.1:9", "dev-1", "token", "Ana"))
    window = MainWindow(session, "light", sound=False)
    qtbot.addWidget(window)
    window.show()
    try:
        yield OfflineDesk(workspace, session, window)
    finally:
        if shiboken6.isValid(window):
            window.close()
        workspace.close()
