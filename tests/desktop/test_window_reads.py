"""The window reads the history off its own thread: typing and arriving messages never freeze it.

Searches (the list's box and Ctrl+K) run after a pause in typing, one per
pause; the re-reads after a batch of events run one at a time. Results come
back by signal, and an answer to a question since changed (other text
typed, another conversation opened) is dropped, never drawn over the newer
one. To hold a read "in flight" the tests park the window's single worker
on a read that waits for them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from events import text_message
from offline_window import OfflineDesk, offline_desk
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from crm_whatsapp.ui.background import BackgroundReads

MARIA, MARIANA, BRUNO = "5511911110001", "5511911110002", "5511911110003"
NOW = int(time.time())


@pytest.fixture
def desk(qloop: Any, qtbot: QtBot, tmp_path: Path) -> Iterator[OfflineDesk]:
    for opened in offline_desk(qtbot, tmp_path):
        opened.receive(
            [
                text_message(1, MARIA, "Quero alugar", NOW - 300, "Maria Souza"),
                text_message(2, MARIANA, "Bom dia", NOW - 200, "Mariana Lima"),
                text_message(3, BRUNO, "Tem vaga?", NOW - 100, "Bruno Alves"),
            ]
        )
        qtbot.waitUntil(lambda: opened.window.list_model.rowCount() == 3)  # noqa: B023
        yield opened


class Parked:
    """Keeps the window's reader busy until released: what comes after waits in line."""

    def __init__(self, reads: BackgroundReads) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        reads.run("test-park", self._wait, lambda _result: None)

    def _wait(self) -> None:
        self.started.set()
        self.release.wait(10)

    def __enter__(self) -> Parked:
        assert self.started.wait(5)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()


def names(desk: OfflineDesk) -> list[str]:
    model = desk.window.list_model
    return [model.index(i).data(Qt.ItemDataRole.DisplayRole) for i in range(model.rowCount())]


def test_typing_a_name_runs_one_search_and_the_list_narrows_when_it_arrives(
    desk: OfflineDesk, qtbot: QtBot
) -> None:
    window = desk.window
    before = window.reads.runs.get("search", 0)
    with qtbot.waitSignal(window.search.searched, timeout=5_000) as searched:
        qtbot.keyClicks(window.search_box, "Maria")  # five keys, one pause
    assert searched.args == ["Maria"]
    assert window.reads.runs["search"] == before + 1
    assert sorted(names(desk)) == ["Maria Souza", "Mariana Lima"]


def test_an_answer_to_text_since_changed_never_replaces_the_newer_one(
    desk: OfflineDesk, qtbot: QtBot
) -> None:
    window = desk.window
    answered: list[str] = []
    window.search.searched.connect(answered.append)
    dropped = window.reads.dropped
    with Parked(window.reads):
        window.search_box.setText("Bruno")
        window.search.run()  # waits in line behind the parked read
        window.search_box.setText("Mariana")
        window.search.run()
    qtbot.waitUntil(lambda: answered == ["Mariana"], timeout=5_000)
    assert names(desk) == ["Mariana Lima"]
    assert window.reads.dropped == dropped + 1  # Bruno's answer came first, and was let go


def test_the_window_keeps_answering_while_a_read_is_slow(desk: OfflineDesk, qtbot: QtBot) -> None:
    window = desk.window
    ticked: list[bool] = []
    with Parked(window.reads) as parked:
        QTimer.singleShot(10, lambda: ticked.append(True))
        qtbot.keyClicks(window.search_box, "Bru")
        window.search.run()  # the search waits for the reader; the window does not
        qtbot.waitUntil(lambda: bool(ticked), timeout=2_000)
        assert window.search_box.text() == "Bru"
        assert not parked.release.is_set()
    with qtbot.waitSignal(window.search.searched, timeout=5_000):
        pass
    assert names(desk) == ["Bruno Alves"]


def test_a_change_read_for_a_conversation_no_longer_open_does_not_redraw_its_header(
    desk: OfflineDesk, qtbot: QtBot
) -> None:
    window = desk.window
    maria, bruno = desk.conversation_for(MARIA), desk.conversation_for(BRUNO)
    window.select_conversation(maria)
    assert window.header.title.text() == "Maria Souza"
    with Parked(window.reads):
        desk.receive([text_message(4, MARIA, "Ainda disponível?", NOW, "Maria Souza")])
        window.select_conversation(bruno)  # before the change's read comes back
    with qtbot.waitSignal(window.changes_shown, timeout=5_000):
        pass
    assert window.current == bruno
    assert window.header.title.text() == "Bruno Alves"
    assert names(desk)[0] == "Maria Souza"  # the list still learned of her new message


def test_enter_right_after_typing_in_the_jump_dialog_opens_the_first_match(
    desk: OfflineDesk, qtbot: QtBot
) -> None:
    window = desk.window
    window.open_jump()
    dialog = window.jump_dialog
    with qtbot.waitSignal(dialog.chosen, timeout=5_000) as chosen:
        qtbot.keyClicks(dialog.box, "Bruno")
        qtbot.keyClick(dialog.box, Qt.Key.Key_Return)  # before the pause that searches
    assert chosen.args == [desk.conversation_for(BRUNO)]
    qtbot.waitUntil(lambda: window.current == desk.conversation_for(BRUNO))
