"""Messages a search found, under the conversation list, and the jump to one of them.

Each row is what WhatsApp shows for a message hit: the customer, the date,
who wrote it and a piece of the text with the typed words in bold. Choosing
a row opens the conversation and brings that message into view, loading
older pages of the thread until it is there, then flashes it briefly so the
eye finds it. Every piece of text in a row came from outside and is escaped;
only the bold around a match and the row's own layout are markup.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.domain.dates import list_time
from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.domain.richtext import escape_rich, rich
from crm_whatsapp.store.message_hits import MessageHit
from crm_whatsapp.ui.models.thread import ThreadModel

FLASH_MS = 1600  # how long a message jumped to stays highlighted
TURN_SECONDS = 0.025  # pages loaded per event-loop turn: as many as fit in this time
HitRole = Qt.ItemDataRole.UserRole + 1


def sender(hit: MessageHit) -> str:
    """Who wrote the message, as the row names them (the window's language)."""
    translate = QCoreApplication.translate
    if hit.direction == "in":
        return hit.title or display_phone(hit.wa_id) or translate("SearchResults", "Cliente")
    if hit.direction == "note":
        return translate("SearchResults", "Nota de {0}").format(
            hit.author or translate("SearchResults", "Você")
        )
    if hit.author and hit.author != "me":
        return hit.author
    return translate("SearchResults", "Você")


def hit_html(hit: MessageHit, now: float) -> str:
    """The row's rich text: every piece escaped, the matches in bold."""
    translate = QCoreApplication.translate
    title = hit.title or display_phone(hit.wa_id) or "?"
    when = list_time(hit.timestamp, now, translate=translate)
    text = "".join(
        rich("<b>{0}</b>", part) if matched else escape_rich(part) for part, matched in hit.snippet
    )
    return (
        rich("<b>{0}</b>&nbsp;&nbsp;<span style='color:#667781'>{1}</span><br>", title, when)
        + rich("<span style='color:#667781'>{0}:</span> ", sender(hit))
        + text
    )


class SearchResults(QWidget):
    """The "Mensagens" section of a search: one row per matching message.

    ``chosen`` carries the conversation and message of the row the attendant
    picked (click, or Enter on the keyboard).
    """

    chosen = Signal(object, object)  # conversation id, message id (64-bit keys)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchResults")
        self.heading = QLabel(self)
        self.heading.setObjectName("searchResultsHeading")
        self.list = QListWidget(self)
        self.list.setObjectName("searchResultsList")
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemClicked.connect(self._picked)
        self.list.itemActivated.connect(self._picked)
        self.list.viewport().installEventFilter(self)  # rows re-wrap at the list's new width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.hits: list[MessageHit] = []
        self.text = ""  # the search these rows answer
        self.hide()

    def show_hits(self, text: str, hits: list[MessageHit]) -> None:
        """List ``hits`` (the answer to ``text``); hidden when no search is typed."""
        self.text, self.hits = text, list(hits)
        self.list.clear()
        if not text:
            self.hide()
            return
        now = time.time()
        for index, hit in enumerate(self.hits):
            item = QListWidgetItem(self.list)
            item.setData(HitRole, index)
            label = QLabel(self.list)
            label.setTextFormat(Qt.TextFormat.RichText)  # built by hit_html, every piece escaped
            label.setWordWrap(True)
            label.setContentsMargins(8, 4, 8, 4)
            label.setText(hit_html(hit, now))
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            item.setToolTip("")
            self.list.setItemWidget(item, label)
        self._size_rows()
        self.retranslate()
        self.show()

    def retranslate(self) -> None:
        """The heading (and rows' words) in the window's language."""
        if self.hits:
            self.heading.setText(self.tr("Mensagens ({0})").format(len(self.hits)))
        else:
            self.heading.setText(self.tr("Nenhuma mensagem encontrada."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.text:
            self.show_hits(self.text, self.hits)
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list.viewport() and event.type() == QEvent.Type.Resize:
            self._size_rows()
        return super().eventFilter(watched, event)

    def _size_rows(self) -> None:
        """Each row as tall as its wrapped text at the list's width."""
        width = max(80, self.list.viewport().width())
        for row in range(self.list.count()):
            item = self.list.item(row)
            label = self.list.itemWidget(item)
            if label is not None:
                item.setSizeHint(QSize(width, label.heightForWidth(width)))

    def _picked(self, item: QListWidgetItem) -> None:
        hit = self.hits[int(item.data(HitRole))]
        self.chosen.emit(hit.conversation_id, hit.message_id)


class MessageJump(QObject):
    """Brings one message of the open thread into view and flashes it.

    Older pages load a few at a time (:data:`TURN_SECONDS` of work per turn
    of the event loop), so the window keeps painting while a message far
    back is reached. ``arrived`` carries the
    message once it is on screen; ``missing`` when the thread has no such
    message (erased meanwhile, or another conversation opened).
    """

    arrived = Signal(object)  # message id (a 64-bit key)
    missing = Signal(object)

    def __init__(self, model: ThreadModel, view: QListView) -> None:
        super().__init__(view)
        self.model = model
        self.view = view
        self.target: int | None = None
        self.flashing: int | None = None  # the message highlighted now
        self.flash = QFrame(view.viewport())
        self.flash.setObjectName("jumpHighlight")
        self.flash.setStyleSheet("#jumpHighlight { background-color: rgba(255, 214, 0, 80); }")
        self.flash.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.flash.hide()
        self.flash_timer = QTimer(self)
        self.flash_timer.setSingleShot(True)
        self.flash_timer.setInterval(FLASH_MS)
        self.flash_timer.timeout.connect(self._flash_over)
        view.verticalScrollBar().valueChanged.connect(self._place_flash)
        model.modelReset.connect(self._cancel)  # another conversation opened

    def go(self, message_id: int) -> None:
        """Load older pages until ``message_id`` is in the thread, then show and flash it."""
        self.target = message_id
        self._flash_over()
        self._step()

    def _step(self) -> None:
        message_id = self.target
        if message_id is None:
            return
        deadline = time.monotonic() + TURN_SECONDS
        while self.model.row_of(message_id) < 0:
            if not self.model.has_older or not self.model.load_older():
                self.target = None
                self.missing.emit(message_id)
                return
            if time.monotonic() > deadline:
                QTimer.singleShot(0, self._step)  # the rest next turn: the window keeps painting
                return
        self.target = None
        QTimer.singleShot(0, lambda: self._reveal(message_id))

    def _reveal(self, message_id: int) -> None:
        row = self.model.row_of(message_id)
        if row < 0:
            self.missing.emit(message_id)
            return
        self.view.scrollTo(self.model.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.flashing = message_id
        self._place_flash()
        self.flash.show()
        self.flash.raise_()
        self.flash_timer.start()
        self.arrived.emit(message_id)

    def _place_flash(self, *_args: Any) -> None:
        if self.flashing is None:
            return
        row = self.model.row_of(self.flashing)
        if row < 0:
            self._flash_over()
            return
        rect = self.view.visualRect(self.model.index(row))
        self.flash.setGeometry(0, rect.top(), self.view.viewport().width(), rect.height())

    def _cancel(self) -> None:
        self.target = None
        self._flash_over()

    def _flash_over(self) -> None:
        self.flashing = None
        self.flash_timer.stop()
        self.flash.hide()
