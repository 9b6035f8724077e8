"""Copies of received media the window opened are removed when it closes.

They are the customer's documents in clear, in the system's temporary
folder: leaving them there after the inbox closed would outlive the
encryption at rest of the history and the media cache.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from offline_window import OfflineDesk, offline_desk
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

CONTENT = b"%PDF-1.4 contrato"


class FileCatcher(QObject):
    """Stands in for the desktop's file opener: records what it would have opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def take(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


@pytest.fixture
def opener(qapp: Any) -> Iterator[FileCatcher]:
    catcher = FileCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "take")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


def test_closing_the_window_removes_the_copies_it_opened(
    qloop: Any, qtbot: QtBot, tmp_path: Path, opener: FileCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    desks = offline_desk(qtbot, tmp_path)
    desk: OfflineDesk = next(desks)
    message_id = 7 << 41
    desk.session.media.store(message_id, CONTENT)  # downloaded before: in the sealed cache
    row = {
        "id": message_id,
        "type": "document",
        "media_id": None,
        "item": {"document": {"filename": "contrato.pdf", "mime_type": "application/pdf"}},
    }
    desk.window.media_files.open(row)
    qtbot.waitUntil(lambda: len(opener.opened) == 1, timeout=10_000)
    assert opener.opened[0].read_bytes() == CONTENT

    desk.window.close()
    assert not opener.opened[0].exists()
    assert list(temp_root.glob("crm-whatsapp-*")) == []
    for _ in desks:  # the profile closes
        pass
