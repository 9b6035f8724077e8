"""Ctrl+K: type a name, number or word and jump to that conversation.

The search runs off the window's thread after a pause in typing
(:class:`BackgroundReads`); an answer to text since changed is dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.store.history import History
from crm_whatsapp.ui.background import BackgroundReads
from crm_whatsapp.ui.search import DEBOUNCE_MS

LIMIT = 50  # rows the dialog lists: more is scrolling, not jumping
CHANNEL = "jump"


class JumpDialog(QDialog):
    """Ctrl+K: type a name, number or word and jump to the conversation.

    ``chosen`` carries the conversation's id; the window decides how to show
    it. ``listed`` carries the text whose results the list now shows.
    """

    chosen = Signal(int)
    listed = Signal(str)

    def __init__(
        self, history: History, reads: BackgroundReads, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.history = history
        self.reads = reads
        self.setWindowTitle(self.tr("Ir para conversa"))
        self.box = QLineEdit(self)
        self.box.setPlaceholderText(self.tr("Nome, número ou palavra"))
        self.results = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.search)
        self.box.textChanged.connect(self._typed)
        self.box.returnPressed.connect(self._accept_first)
        self.results.itemActivated.connect(self._accept)
        self.finished.connect(lambda _result: self.reads.forget(CHANNEL))
        self.resize(420, 360)
        self._answered: str | None = None  # the text the listed results answer
        self._take_first = False  # Enter came before the answer: take its first row

    def _typed(self, _text: str) -> None:
        self.reads.forget(CHANNEL)
        self.timer.start()

    def search(self) -> None:
        """Search for what the box holds now; the list fills when the answer comes."""
        self.timer.stop()
        text, history = self.box.text(), self.history
        self.reads.run(
            CHANNEL,
            lambda: history.find(text, limit=LIMIT).rows,
            lambda rows: self._show(text, rows),
        )

    def _show(self, text: str, rows: list[dict[str, Any]]) -> None:
        """List these conversations (the newest search's), replacing what was listed."""
        self.results.clear()
        for row in rows[:LIMIT]:
            item = QListWidgetItem(row["name"] or display_phone(row["wa_id"]) or "?")
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)
        self._answered = text
        self.listed.emit(text)
        if self._take_first:
            self._take_first = False
            self._accept_first()

    def _accept_first(self) -> None:
        if self._answered != self.box.text():  # Enter right after typing: wait for the answer
            if self.timer.isActive():
                self.search()
            self._take_first = True
            return
        if self.results.count():
            self._accept(self.results.item(0))

    def _accept(self, item: QListWidgetItem) -> None:
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()
