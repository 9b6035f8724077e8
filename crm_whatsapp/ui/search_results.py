"""Messages a search found, under the conversation list, and the jump to one of them.

Each row is what WhatsApp shows for a message hit: the customer, the date,
who wrote it and a piece of the text with the typed words in bold. Choosing
a row opens the conversation and brings that message into view, the thread
opened right around it when it is not loaded (as WhatsApp does), then
flashes it briefly so the eye finds it. Every piece of text in a row came
from outside and is escaped; only the bold around a match and the row's own
layout are markup.
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

    A message already loaded is scrolled to; any other is reached by opening
    the thread around it (``ThreadModel.open_around``: a page before and one
    after, two keyed reads of a few milliseconds even at the start of a
    100,000-message chat, so they run here like the paging reads). ``arrived``
    carries the message once it is on screen; ``missing`` when the thread has
    no such message (erased meanwhile, or another conversation opened).
    """

    arrived = Signal(object)  # message id (a 64-bit key)
    missing = Signal(object)

    def __init__(self, model: ThreadModel, view: QListView) -> None:
        super().__init__(view)
        self.model = model
        self.view = view
        self.target: int | None = None  # the message waiting to be revealed
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
        """Open the thread around ``message_id`` unless it is loaded, then show and flash it."""
        self._flash_over()
        conversation = self.model.conversation_id
        if self.model.row_of(message_id) < 0 and (
            conversation is None or not self.model.open_around(conversation, message_id)
        ):
            self.target = None
            self.missing.emit(message_id)
            return
        self.target = message_id  # after open_around's reset, which cancels an earlier jump
        # Revealed on the next turn, once the view has laid out the rows it was handed.
        QTimer.singleShot(0, lambda: self._reveal(message_id))

    @property
    def jumping(self) -> bool:
        """Whether a message is being brought into view (the window loads no page meanwhile).

        Until the view has laid out the rows it was handed, its scroll bar
        holds the old thread's position: read as "at the top" or "at the
        bottom", it would page in what the jump never asked for.
        """
        return self.target is not None

    def _reveal(self, message_id: int) -> None:
        if self.target != message_id:
            return  # another conversation, or another jump, came first
        row = self.model.row_of(message_id)
        if row < 0:
            self.target = None
            self.missing.emit(message_id)
            return
        self.view.scrollTo(self.model.index(row), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.flashing = message_id
        self._place_flash()
        self.target = None  # laid out and in place: scrolling pages as usual from here
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
