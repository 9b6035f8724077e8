"""The round "go to the latest message" button over the thread, as WhatsApp shows it.

It appears once the attendant has scrolled up from the newest message, or
reads a part of a long chat opened around a search hit (the newest pages not
loaded): one click brings the thread to its end, messages that came in
meanwhile included, however far back the reading was.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QListView, QStyle, QToolButton

from crm_whatsapp.ui.models.thread import ThreadModel

SIZE = 36
MARGIN = 14


class LatestButton(QToolButton):
    """Floats at the bottom right of the thread's viewport while the newest message is not shown."""

    def __init__(self, model: ThreadModel, view: QListView) -> None:
        super().__init__(view.viewport())
        self.model = model
        self.view = view
        self.setObjectName("latestButton")
        self.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown))
        self.setIconSize(QSize(18, 18))
        self.setFixedSize(SIZE, SIZE)
        self.setStyleSheet(
            "#latestButton { border-radius: 18px; background: palette(base);"
            " border: 1px solid palette(mid); }"
        )
        self.clicked.connect(self.go)
        self.retranslate()
        bar = view.verticalScrollBar()
        bar.valueChanged.connect(self._update)
        bar.rangeChanged.connect(self._update)
        model.modelReset.connect(self._update)
        view.viewport().installEventFilter(self)
        self.hide()

    def retranslate(self) -> None:
        text = self.tr("Ir para a mensagem mais recente")
        self.setToolTip(text)
        self.setAccessibleName(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def go(self) -> None:
        """The thread at its newest message: re-read from the end when the end is not loaded."""
        if self.model.has_newer and self.model.conversation_id is not None:
            self.model.open(self.model.conversation_id)
        self.view.scrollToBottom()
        self._update()

    def away_from_latest(self) -> bool:
        """Whether the newest message is out of sight (scrolled up, or not even loaded)."""
        if self.model.conversation_id is None:
            return False
        bar = self.view.verticalScrollBar()
        return self.model.has_newer or bar.value() < bar.maximum() - self.view.viewport().height()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._update()
        return super().eventFilter(watched, event)

    def _update(self, *_args: Any) -> None:
        viewport = self.view.viewport()
        self.move(viewport.width() - SIZE - MARGIN, viewport.height() - SIZE - MARGIN)
        away = self.away_from_latest()
        if away != self.isVisible():
            self.setVisible(away)
        if away:
            self.raise_()
