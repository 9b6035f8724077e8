"""Opening a received document: its name cannot steer where it is written or what runs.

The customer names the file (``..``, ``../../.bashrc``, ``CON``, ``nota.exe``).
The inbox writes the copy it opens only inside its private folder, under a
cleaned name, and hands the system opener nothing it would run: for those it
offers "Salvar como…" with one sentence saying why. A customer sends each
file through the Meta simulator and the relay, the attendant double-clicks it
in the real window; the desktop's file handler is a recorder, so nothing is
launched.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.ui.models.thread import Role as ThreadRole

CUSTOMER = "5511966665555"
T = TypeVar("T", bound=QObject)
CONTENT = b"%PDF-1.4 conteudo do contrato"


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


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder for this test, so every file the window writes is seen."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


def send_document(office: DemoStack, filename: object, mime_type: str = "application/pdf") -> None:
    media_id = office.sim.add_media(CONTENT, mime_type)
    content = {"id": media_id, "mime_type": mime_type, "filename": filename}
    office.say(CUSTOMER, "document", content=content)


def double_click_last(qtbot: QtBot, desk: Desk, count: int) -> None:
    """Open the customer's conversation and double-click the newest of ``count`` messages."""
    qtbot.waitUntil(lambda: desk.conversation_for(CUSTOMER) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(CUSTOMER)
    assert conversation_id is not None
    window = desk.window
    window.select_conversation(conversation_id)
    model = window.thread_model

    def messages() -> list[int]:
        rows = (model.index(i).data(ThreadRole.Row) for i in range(model.rowCount()))
        return [i for i, r in enumerate(rows) if r and r["kind"] == "message"]

    qtbot.waitUntil(lambda: len(messages()) == count, timeout=10_000)
    window.thread_view.doubleClicked.emit(model.index(messages()[-1]))


def visible(desk: Desk, kind: type[T]) -> list[T]:
    return [w for w in desk.window.findChildren(kind) if w.isVisible()]


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("filename", "shown_as"),
    [
        ("..", "whatsapp-"),
        ("../../../fuga.pdf", "fuga.pdf"),
        ("..\\..\\fuga.pdf", "fuga.pdf"),
        ("/etc/passwd", "passwd.pdf"),
        (".bashrc", "bashrc.pdf"),
        ("CON", "_CON.pdf"),
        ("contrato\u202efdp.txt", "contratofdp.txt"),
        ("c" * 400 + ".pdf", "c" * 146 + ".pdf"),
        ({"not": "a name"}, "whatsapp-"),
    ],
)
def test_a_hostile_file_name_opens_a_copy_inside_the_private_folder(
    office: DemoStack,
    desk: Desk,
    qtbot: QtBot,
    opener: FileCatcher,
    temp_root: Path,
    filename: object,
    shown_as: str,
) -> None:
    send_document(office, filename)
    double_click_last(qtbot, desk, 1)
    qtbot.waitUntil(lambda: len(opener.opened) == 1, timeout=10_000)

    opened = opener.opened[0]
    assert opened.name.startswith(shown_as)
    assert opened.read_bytes() == CONTENT
    private = next(temp_root.glob("crm-whatsapp-*"))
    assert opened.resolve().is_relative_to(private.resolve())
    assert files_under(temp_root) == [opened]  # nothing written anywhere else


@pytest.mark.parametrize(
    "filename", ["nota.exe", "fatura.pdf.bat", "LEIAME.JS", "instalar.desktop", "app.AppImage"]
)
def test_a_file_that_would_run_is_offered_for_saving_and_never_opened(
    office: DemoStack,
    desk: Desk,
    qtbot: QtBot,
    opener: FileCatcher,
    temp_root: Path,
    tmp_path: Path,
    filename: str,
) -> None:
    send_document(office, filename, "application/octet-stream")
    double_click_last(qtbot, desk, 1)

    qtbot.waitUntil(lambda: bool(visible(desk, QMessageBox)), timeout=10_000)
    [box] = visible(desk, QMessageBox)
    assert filename in box.text() and "Salvar como" in box.text()
    assert opener.opened == [] and files_under(temp_root) == []

    save = next(b for b in box.findChildren(QPushButton) if b.text() == "Salvar como…")
    save.click()
    qtbot.waitUntil(lambda: bool(visible(desk, QFileDialog)), timeout=10_000)
    [dialog] = visible(desk, QFileDialog)
    chosen = tmp_path / "escolhido" / filename
    chosen.parent.mkdir()
    dialog.selectFile(str(chosen))
    dialog.accept()
    qtbot.waitUntil(chosen.exists, timeout=10_000)
    qtbot.waitUntil(lambda: chosen.read_bytes() == CONTENT, timeout=10_000)
    assert opener.opened == []


def test_a_copy_that_cannot_be_written_is_one_sentence_and_a_log_line(
    office: DemoStack,
    desk: Desk,
    qtbot: QtBot,
    opener: FileCatcher,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "não existe"))
    send_document(office, "segredo-do-cliente.pdf")
    with caplog.at_level(logging.WARNING, logger="crm_whatsapp.ui.mainwindow"):
        double_click_last(qtbot, desk, 1)
        status = desk.window.statusBar()
        qtbot.waitUntil(lambda: "arquivo" in status.currentMessage(), timeout=10_000)
    assert status.currentMessage() == (
        "Não foi possível preparar o arquivo para abrir; verifique o espaço livre no disco."
    )
    assert opener.opened == []
    records = [r for r in caplog.records if r.name == "crm_whatsapp.ui.mainwindow"]
    assert len(records) == 1 and "FileNotFoundError" in records[0].getMessage()
    assert "segredo" not in caplog.text
