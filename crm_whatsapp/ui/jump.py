"""Ctrl+K: type a name, number or word and jump to that conversation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.store.history import History

LIMIT = 50  # rows the dialog lists: more is scrolling, not jumping


class JumpDialog(QDialog):
    """Ctrl+K: type a name, number or word and jump to the conversation.

    ``chosen`` carries the conversation's id; the window decides how to show it.
    """

    chosen = Signal(int)

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.setWindowTitle(self.tr("Ir para conversa"))
        self.box = QLineEdit(self)
        self.box.setPlaceholderText(self.tr("Nome, número ou palavra"))
        self.results = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        self.box.textChanged.connect(self._search)
        self.box.returnPressed.connect(self._accept_first)
        self.results.itemActivated.connect(self._accept)
        self.resize(420, 360)

    def _search(self, text: str) -> None:
        self.show_rows(self.history.find(text, limit=LIMIT).rows)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        """List these conversations (the newest search's), replacing what was listed."""
        self.results.clear()
        for row in rows[:LIMIT]:
            item = QListWidgetItem(row["name"] or display_phone(row["wa_id"]) or "?")
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)

    def _accept_first(self) -> None:
        if self.results.count():
            self._accept(self.results.item(0))

    def _accept(self, item: QListWidgetItem) -> None:
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()
