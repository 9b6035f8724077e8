"""The search box over the conversation list: typing narrows the list to what matches.

Matching is the history's (``store.message_hits.search_history``: the
customer whose number was typed, contacts by name or digits, conversations
where a message matches, and those messages themselves, listed under the
conversations as WhatsApp does).
This module waits for a pause in typing, runs the search and the narrowed
list's read off the window's thread (:class:`BackgroundReads`), and shows
the result only if it is still the answer to what the box holds: a key
typed meanwhile makes it stale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLineEdit

from crm_whatsapp.store.history import History
from crm_whatsapp.store.message_hits import MessageHit, search_history
from crm_whatsapp.ui.background import BackgroundReads
from crm_whatsapp.ui.models.conversations import ConversationListModel

DEBOUNCE_MS = 200  # a pause in typing: one search per word typed, not per key
LIMIT = 200  # contacts and message hits a search may list
CHANNEL = "search"


@dataclass(frozen=True)
class _Searched:
    contacts: list[int] | None  # None: no search, the whole view
    rows: list[dict[str, Any]]
    generation: int  # the list's generation the rows were read for
    hits: list[MessageHit]


class ListSearch(QObject):
    """Filters ``model`` by what ``box`` holds, after each pause in typing.

    ``searched`` carries the text whose result the list now shows;
    ``hits`` the messages that matched it, just before (empty: none, or no search).
    """

    searched = Signal(str)
    hits = Signal(str, list)  # text, [MessageHit]

    def __init__(
        self,
        box: QLineEdit,
        history: History,
        model: ConversationListModel,
        reads: BackgroundReads,
        filtered: Callable[[], None],
    ) -> None:
        super().__init__(box)
        self.box = box
        self.history = history
        self.model = model
        self.reads = reads
        self._filtered = filtered  # the window reselects its open conversation
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run)
        box.textChanged.connect(self._typed)

    def _typed(self, _text: str) -> None:
        self.reads.forget(CHANNEL)  # a search still running answers another question now
        self.timer.start()

    def run(self) -> None:
        """Search for what the box holds now; the list narrows when the answer comes."""
        self.timer.stop()
        text = self.box.text().strip()
        history, model, generation = self.history, self.model, self.model.generation
        shown = model.search_reader

        def read() -> _Searched:
            answer = search_history(history, text, LIMIT)
            return _Searched(
                answer.contact_ids, shown(answer.contact_ids)(), generation, answer.hits
            )

        self.reads.run(CHANNEL, read, lambda found: self._show(text, found))

    def _show(self, text: str, found: _Searched) -> None:
        if found.generation == self.model.generation:
            self.model.show_rows(found.rows, found.contacts)
        else:  # the view or status changed while it ran: its rows are of the old view
            self.model.set_filter(contacts=found.contacts)
        self._filtered()
        self.hits.emit(text, found.hits)
        self.searched.emit(text)

    def cancel(self) -> None:
        """The list was reset another way (jumping to a conversation): drop what is pending."""
        self.timer.stop()
        self.reads.forget(CHANNEL)
