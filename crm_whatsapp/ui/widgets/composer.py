"""The composer: type, attach, reply, quick replies; or a template when the window is closed.

Enter sends and Shift+Enter breaks the line (as in WhatsApp); Ctrl+Enter
sends from anywhere in it. Typing ``/`` offers the team's quick replies.
When the customer's 24-hour window is closed Meta refuses free text, so the
text box is disabled with the reason and the template picker takes its place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QObject,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.ui.resources import icon


class ComposerEdit(QPlainTextEdit):
    """A text box that sends on Enter and takes pasted or dropped files."""

    submit = Signal()
    files_dropped = Signal(list)  # [Path]
    image_pasted = Signal(bytes)  # PNG

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        popup = self.completer.popup() if getattr(self, "completer", None) else None
        if enter and popup is not None and popup.isVisible():
            event.ignore()  # the completer takes it
            return
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submit.emit()
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: Any) -> bool:
        return bool(source.hasImage() or source.hasUrls() or super().canInsertFromMimeData(source))

    def insertFromMimeData(self, source: Any) -> None:
        if source.hasUrls() and all(u.isLocalFile() for u in source.urls()):
            self.files_dropped.emit([Path(u.toLocalFile()) for u in source.urls()])
            return
        if source.hasImage():
            image = QImage(source.imageData())
            data = QByteArray()
            buffer = QBuffer(data)
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            image.save(buffer, "PNG")
            self.image_pasted.emit(bytes(data.data()))
            return
        super().insertFromMimeData(source)


class Composer(QFrame):
    send_text = Signal(str, object)  # text, wamid replied to (or None)
    send_files = Signal(list)  # [Path]
    send_image = Signal(bytes)
    attach_clicked = Signal()
    template_clicked = Signal()
    draft_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.reply_to: str | None = None
        self._quick: dict[str, str] = {}

        self.reply_banner = QFrame(self)
        self.reply_banner.setObjectName("replyBanner")
        self.reply_label = QLabel(self.reply_banner)
        self.reply_label.setWordWrap(False)
        # The message replied to is the customer's text: shown as typed, never as HTML.
        self.reply_label.setTextFormat(Qt.TextFormat.PlainText)
        self._reply_snippet = ""
        self._window_open = True
        cancel = QToolButton(self.reply_banner)
        cancel.setIcon(icon("close"))
        cancel.clicked.connect(self.clear_reply)
        self._cancel_reply = cancel
        row = QHBoxLayout(self.reply_banner)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.reply_label, 1)
        row.addWidget(cancel)
        self.reply_banner.hide()

        self.closed_banner = QFrame(self)
        self.closed_banner.setObjectName("windowClosedBanner")
        closed_text = QLabel(self.closed_banner)
        closed_text.setWordWrap(True)
        closed_text.setTextFormat(Qt.TextFormat.PlainText)
        self._closed_text = closed_text
        self.template_button = QPushButton(self.closed_banner)
        self.template_button.setProperty("primary", True)
        self.template_button.setIcon(icon("template"))
        self.template_button.clicked.connect(self.template_clicked)
        closed_row = QHBoxLayout(self.closed_banner)
        closed_row.addWidget(closed_text, 1)
        closed_row.addWidget(self.template_button)
        self.closed_banner.hide()

        self.edit = ComposerEdit(self)
        self.edit.setObjectName("composerEdit")
        self.edit.setFixedHeight(64)
        self.edit.submit.connect(self.submit)
        self.edit.files_dropped.connect(self.send_files)
        self.edit.image_pasted.connect(self.send_image)
        self.edit.textChanged.connect(self._text_changed)
        self.edit.setAcceptDrops(True)

        self.completer = QCompleter(self)
        self.completer.setModel(QStringListModel(self))
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setWidget(self.edit)
        self.completer.activated.connect(self._insert_quick_reply)
        self.edit.completer = self.completer  # type: ignore[attr-defined]

        self.attach_button = QToolButton(self)
        self.attach_button.setIcon(icon("attach"))
        self.attach_button.clicked.connect(self.attach_clicked)
        self.template_small = QToolButton(self)
        self.template_small.setIcon(icon("template"))
        self.template_small.clicked.connect(self.template_clicked)
        self.send_button = QToolButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setIcon(icon("send", "#FFFFFF"))
        self.send_button.clicked.connect(self.submit)

        line = QHBoxLayout()
        line.addWidget(self.attach_button)
        line.addWidget(self.template_small)
        line.addWidget(self.edit, 1)
        line.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 8)
        layout.addWidget(self.reply_banner)
        layout.addWidget(self.closed_banner)
        layout.addLayout(line)

        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.edit)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.submit)
        self.edit.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the window's language (again after a change in the settings)."""
        self._cancel_reply.setToolTip(self.tr("Cancelar resposta"))
        self._closed_text.setText(
            self.tr(
                "Mais de 24 horas desde a última mensagem do cliente: a Meta só permite "
                "modelos aprovados até ele responder."
            )
        )
        self.template_button.setText(self.tr("Escolher modelo…"))
        self.attach_button.setToolTip(self.tr("Anexar arquivo"))
        self.template_small.setToolTip(self.tr("Enviar modelo aprovado"))
        self.send_button.setToolTip(self.tr("Enviar (Enter)"))
        if self._window_open:
            self.edit.setPlaceholderText(self.tr("Digite uma mensagem (/ para respostas rápidas)"))
        else:
            self.edit.setPlaceholderText(self.tr("Janela de 24 horas fechada: envie um modelo."))
        self.reply_label.setText(self.tr("Respondendo a: {0}").format(self._reply_snippet))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event  # type: ignore[assignment]
            if isinstance(key, QKeyEvent) and key.key() == Qt.Key.Key_Escape and self.reply_to:
                self.clear_reply()
                return True
        return super().eventFilter(watched, event)

    # -- state set by the window ------------------------------------------------------------

    def set_window_open(self, is_open: bool) -> None:
        self.closed_banner.setVisible(not is_open)
        self.edit.setEnabled(is_open)
        self.send_button.setEnabled(is_open)
        self.attach_button.setEnabled(is_open)
        self._window_open = is_open
        self.retranslate()

    def set_quick_replies(self, replies: list[tuple[str, str]]) -> None:
        self._quick = {f"/{shortcut}": text for shortcut, text in replies}
        model = self.completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(sorted(self._quick))

    def set_reply(self, wamid: str, snippet: str) -> None:
        self.reply_to = wamid
        self._reply_snippet = snippet[:80]
        self.reply_label.setText(self.tr("Respondendo a: {0}").format(self._reply_snippet))
        self.reply_banner.show()
        self.edit.setFocus()

    def clear_reply(self) -> None:
        self.reply_to = None
        self.reply_banner.hide()

    def set_text(self, text: str) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        cursor = self.edit.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.edit.setTextCursor(cursor)

    # -- behaviour ----------------------------------------------------------------------------

    def submit(self) -> None:
        text = self.edit.toPlainText().strip()
        if not text or not self.edit.isEnabled():
            return
        if text in self._quick:
            text = self._quick[text]
        self.send_text.emit(text, self.reply_to)
        self.edit.clear()
        self.clear_reply()

    def _text_changed(self) -> None:
        text = self.edit.toPlainText()
        self.draft_changed.emit(text)
        if text.startswith("/") and "\n" not in text and " " not in text and self._quick:
            self.completer.setCompletionPrefix(text)
            rect = self.edit.cursorRect()
            rect.setWidth(300)
            self.completer.complete(rect)
        else:
            self.completer.popup().hide()

    def _insert_quick_reply(self, shortcut: str) -> None:
        self.set_text(self._quick.get(shortcut, shortcut))
