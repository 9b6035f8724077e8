"""The composer: type, attach, reply, emoji, voice notes, quick replies; or a template.

Enter sends and Shift+Enter breaks the line (as in WhatsApp); Ctrl+Enter
sends from anywhere in it. Typing ``/`` lists the team's quick replies above
the composer (shortcut and text), Up/Down choose, Enter or Tab pick, Esc
closes. Files pasted or dropped go to the attach preview (``send_files``,
``send_image``: the window opens it), never straight out. The microphone
records a voice note (``ui.recorder``). Ctrl+K stays the window's (jump to a
conversation), not the text box's "delete to end of line". When the
customer's 24-hour window is closed Meta refuses free text, so the text box
is disabled with the reason and the template picker takes its place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEvent,
    QIODevice,
    QKeyCombination,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.ui.emoji_picker import EmojiPicker
from crm_whatsapp.ui.recorder import NO_MICROPHONE, VoiceRecorder, has_microphone
from crm_whatsapp.ui.resources import icon
from crm_whatsapp.ui.widgets.quick_reply_popup import QuickReplyPopup

# The window's jump to a conversation.
JUMP_KEY = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_K)
# Keys the quick replies list takes while it shows; the rest go to the text.
POPUP_KEYS = (
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Escape,
)


class ComposerEdit(QPlainTextEdit):
    """A text box that sends on Enter and takes pasted or dropped files."""

    submit = Signal()
    files_dropped = Signal(list)  # [Path]
    image_pasted = Signal(bytes)  # PNG
    popup_key = Signal(QKeyEvent)  # a key for the list over the composer, while it shows

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.popup_keys: Callable[[], tuple[Qt.Key, ...]] = tuple  # set by the composer

    def event(self, event: QEvent) -> bool:
        # The text box would take Ctrl+K (delete to end of line) before the window's
        # shortcut (jump to a conversation): left unaccepted, the shortcut runs.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if event.keyCombination() == JUMP_KEY:
                event.ignore()
                return False
            if event.key() in self.popup_keys():
                event.accept()  # Esc closes the list, not the window's panels
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in self.popup_keys():
            self.popup_key.emit(event)
            return
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
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
    send_files = Signal(list)  # [Path] to attach (the window shows them before sending)
    send_image = Signal(bytes)  # a pasted picture to attach, as PNG
    send_voice = Signal(bytes, object)  # a recorded voice note and its RecordingFormat
    problem = Signal(str)  # one sentence for the status bar, already translated
    attach_clicked = Signal()
    template_clicked = Signal()
    draft_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.reply_to: str | None = None
        self._quick: dict[str, str] = {}
        self._replies: list[tuple[str, str]] = []
        self._no_microphone = False  # probed at the first click, not at start (slow)
        self.quick_popup: QuickReplyPopup | None = None  # made on first use, over the window

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

        self.edit.popup_keys = self._popup_keys
        self.edit.popup_key.connect(self._popup_key)

        self.attach_button = QToolButton(self)
        self.attach_button.setIcon(icon("attach"))
        self.attach_button.clicked.connect(self.attach_clicked)
        self.template_small = QToolButton(self)
        self.template_small.setIcon(icon("template"))
        self.template_small.clicked.connect(self.template_clicked)
        self.emoji_button = QToolButton(self)
        self.emoji_button.setIcon(icon("emoji"))
        self.emoji_button.clicked.connect(self.open_emoji)
        self.emoji_picker: EmojiPicker | None = None  # made on first use, over the window
        self.send_button = QToolButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setIcon(icon("send", "#FFFFFF"))
        self.send_button.clicked.connect(self.submit)
        self.mic_button = QToolButton(self)
        self.mic_button.setIcon(icon("mic"))
        self.mic_button.clicked.connect(self.record)

        self.recorder = VoiceRecorder(self)
        self.recorder.elapsed.connect(self._recording_elapsed)
        self.recorder.recording_changed.connect(self._recording_changed)
        self.recorder.recorded.connect(self.send_voice)
        self.recorder.problem.connect(self.problem)
        self.recorder.notice.connect(self.problem)
        self.recording_bar = QFrame(self)
        self.recording_bar.setObjectName("recordingBar")
        self.recording_label = QLabel(self.recording_bar)
        self.cancel_recording = QToolButton(self.recording_bar)
        self.cancel_recording.setIcon(icon("close"))
        self.cancel_recording.clicked.connect(self.recorder.cancel)
        self.send_recording = QToolButton(self.recording_bar)
        self.send_recording.setIcon(icon("send", "#FFFFFF"))
        self.send_recording.setObjectName("sendButton")
        self.send_recording.clicked.connect(self.recorder.finish)
        recording_row = QHBoxLayout(self.recording_bar)
        recording_row.setContentsMargins(8, 0, 0, 0)
        recording_row.addWidget(self.recording_label, 1)
        recording_row.addWidget(self.cancel_recording)
        recording_row.addWidget(self.send_recording)
        self.recording_bar.hide()

        line = QHBoxLayout()
        line.addWidget(self.emoji_button)
        line.addWidget(self.attach_button)
        line.addWidget(self.template_small)
        line.addWidget(self.edit, 1)
        line.addWidget(self.recording_bar, 1)
        line.addWidget(self.mic_button)
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
        self.emoji_button.setToolTip(self.tr("Emojis"))
        if self._no_microphone:  # found so at the last click: the button says it
            self.mic_button.setToolTip(QCoreApplication.translate("VoiceRecorder", NO_MICROPHONE))
        else:
            self.mic_button.setToolTip(self.tr("Gravar mensagem de voz"))
        self.cancel_recording.setToolTip(self.tr("Cancelar gravação"))
        self.send_recording.setToolTip(self.tr("Enviar mensagem de voz"))
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
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self._hide_popup()
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
        self.emoji_button.setEnabled(is_open)
        self.mic_button.setEnabled(is_open)
        if not is_open:
            self.recorder.cancel()
            self._hide_popup()
            if self.emoji_picker is not None:
                self.emoji_picker.hide()
        self._window_open = is_open
        self.retranslate()

    def set_quick_replies(self, replies: list[tuple[str, str]]) -> None:
        self._replies = list(replies)
        self._quick = {f"/{shortcut}": text for shortcut, text in replies}

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
        typing_shortcut = text.startswith("/") and not any(c.isspace() for c in text)
        if typing_shortcut and self._replies and self.edit.hasFocus():
            if self.quick_popup is None:
                self.quick_popup = QuickReplyPopup(self.window())
                self.quick_popup.picked.connect(self._insert_quick_reply)
            self.quick_popup.show_for(self._replies, text[1:], self)
        else:
            self._hide_popup()

    def _popup_keys(self) -> tuple[Qt.Key, ...]:
        """The keys a list over the composer takes from the text box now."""
        if self.quick_popup is not None and self.quick_popup.isVisible():
            return POPUP_KEYS
        if self.emoji_picker is not None and self.emoji_picker.isVisible():
            return (Qt.Key.Key_Escape,)
        return ()

    def _hide_popup(self) -> None:
        if self.quick_popup is not None:
            self.quick_popup.hide()

    def _popup_key(self, event: QKeyEvent) -> None:
        popup = self.quick_popup
        key = event.key()
        if popup is None or not popup.isVisible():  # the emoji panel: Esc closes it
            if self.emoji_picker is not None:
                self.emoji_picker.hide()
        elif key == Qt.Key.Key_Escape:
            popup.hide()
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            popup.move_selection(-1 if key == Qt.Key.Key_Up else 1)
        else:  # Enter or Tab: the highlighted reply (the only one, when one matches)
            popup.pick_current()

    def _insert_quick_reply(self, text: str) -> None:
        """The chosen reply's text replaces the typed shortcut, unsent, to be read or edited."""
        self.set_text(text)
        self.edit.setFocus()

    # -- emoji ------------------------------------------------------------------------------

    def open_emoji(self) -> None:
        """Show the emoji panel above the composer, or close it when it shows."""
        if self.emoji_picker is None:
            self.emoji_picker = EmojiPicker(self.window())
            self.emoji_picker.chosen.connect(self.insert_emoji)
        if self.emoji_picker.isVisible():
            self.emoji_picker.hide()
            return
        self._hide_popup()
        self.emoji_picker.show_above(self)
        self.edit.setFocus()

    def insert_emoji(self, emoji: str) -> None:
        """Put ``emoji`` at the text cursor (replacing a selection), as WhatsApp does."""
        self.edit.insertPlainText(emoji)

    # -- voice notes -------------------------------------------------------------------------

    def record(self) -> None:
        """Start a voice note; with no microphone, say so (button's tooltip and status bar)."""
        started = self.recorder.start()
        self._no_microphone = not started and not has_microphone()
        self.retranslate()  # the microphone's tooltip follows what was found

    def _recording_changed(self, recording: bool) -> None:
        self.recording_bar.setVisible(recording)
        typing = (self.edit, self.send_button, self.mic_button, self.attach_button)
        for widget in (*typing, self.emoji_button, self.template_small):  # the bar takes the row
            widget.setVisible(not recording)
        if recording:
            self._recording_elapsed(0)

    def _recording_elapsed(self, milliseconds: int) -> None:
        seconds = max(milliseconds, 0) // 1000
        self.recording_label.setText(
            self.tr("● Gravando {0}:{1:02d}").format(seconds // 60, seconds % 60)
        )
