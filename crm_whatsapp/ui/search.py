"""The search box over the conversation list: typing narrows the list to what matches.

Matching is the history's (``History.find``: the customer whose number was
typed, contacts by name or digits, conversations where a message matches);
this module only waits for a pause in typing and hands the contacts found
to the list model.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit

from crm_whatsapp.store.history import History
from crm_whatsapp.ui.models.conversations import ConversationListModel

DEBOUNCE_MS = 200  # a pause in typing: one search per word typed, not per key
LIMIT = 200  # contacts and message hits a search may list


class ListSearch(QObject):
    """Filters ``model`` by what ``box`` holds, after each pause in typing."""

    def __init__(
        self,
        box: QLineEdit,
        history: History,
        model: ConversationListModel,
        filtered: Callable[[], None],
    ) -> None:
        super().__init__(box)
        self.box = box
        self.history = history
        self.model = model
        self._filtered = filtered  # the window reselects its open conversation
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        box.textChanged.connect(lambda _text: self.timer.start())

    def run(self) -> None:
        """Search for what the box holds now and narrow the list (all of it when empty)."""
        text = self.box.text().strip()
        if not text:
            self.model.set_filter(contacts=None)
        else:
            self.model.set_filter(contacts=sorted(self.history.find(text, LIMIT).contact_ids))
        self._filtered()

    def stop(self) -> None:
        self.timer.stop()
