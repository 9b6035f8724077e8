"""The banner over the list and thread while the relay cannot be reached.

Grey text in the status bar went unnoticed: an attendant kept typing
answers that waited in the queue. As WhatsApp Web does with its yellow
"computer not connected" bar, the window says it where the eyes are, how
long it has lasted (updated each minute) and offers to try again now.
It goes away as soon as the connection is back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

# Readable on both themes: amber like the closed-window notice, dark text.
STYLE = """
#connectionBanner { background-color: #FFE9A8; border-bottom: 1px solid #E9C46A; }
#connectionBanner QLabel { background: transparent; color: #3B2F00; }
"""
CONNECTED = ("live", "replaying")  # the relay answers: nothing is lost


class ConnectionBanner(QFrame):
    """Shown from the first failed connection until the relay answers again.

    ``retry`` asks for a connection now (the sync waits otherwise for its
    backoff to run out). ``clock`` is the monotonic time the minutes are
    counted with.
    """

    retry = Signal()

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.clock = clock
        self.since: float | None = None  # when the connection was lost
        self._state = "connecting"
        self.text = QLabel(self)
        self.text.setObjectName("connectionBannerText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.retry_button = QPushButton(self)
        self.retry_button.setObjectName("connectionRetry")
        self.retry_button.clicked.connect(self._retry_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.retry_button)
        self.minute = QTimer(self)  # the "há N min" moves on each minute since the loss
        self.minute.setSingleShot(True)
        self.minute.timeout.connect(self.refresh)
        self.hide()
        self.refresh()

    def set_state(self, state: str) -> None:
        """The sync's state: ``offline`` starts the banner, a live connection ends it.

        ``connecting`` after a loss keeps it (the reconnect may fail again);
        ``rejected`` hides it: the status bar says that no retry will help.
        """
        self._state = state
        if state == "offline" and self.since is None:
            self.since = self.clock()
        elif state in CONNECTED or state == "rejected":
            self.since = None
        self.refresh()

    def minutes(self) -> int:
        """Whole minutes since the connection was lost (0 when connected)."""
        return 0 if self.since is None else max(0, int((self.clock() - self.since) // 60))

    def refresh(self) -> None:
        """The sentence and button for now; the next update at the next whole minute."""
        self.minute.stop()
        if self.since is None:
            self.hide()
            return
        minutes = self.minutes()
        trying = self._state == "connecting"
        doing = self.tr("reconectando…") if trying else self.tr("tentando reconectar…")
        if minutes:
            sentence = self.tr("Sem conexão com o servidor há {0} min — {1}").format(minutes, doing)
        else:
            sentence = self.tr("Sem conexão com o servidor — {0}").format(doing)
        self.text.setText(sentence)
        self.retry_button.setText(self.tr("Tentar agora"))
        self.retry_button.setEnabled(not trying)
        self.setToolTip(self.tr("As mensagens enviadas ficam na fila e saem quando voltar."))
        elapsed_ms = int((self.clock() - self.since) * 1000)
        self.minute.start(max(1000, 60_000 - elapsed_ms % 60_000))
        self.show()

    def _retry_clicked(self) -> None:
        self.retry_button.setEnabled(False)  # until this attempt has failed
        self.retry.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
