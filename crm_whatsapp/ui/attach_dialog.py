"""Attaching files: a preview with captions before anything is sent, as WhatsApp does.

Files come from the attach button, a drop on the thread or the composer, or
a paste; they gather in one :class:`AttachDialog` (a second drop while it is
open adds to it). Each file shows its picture (photos) or its icon, name and
size; a file Meta would refuse shows why in one sentence and is left out.
The attendant may remove one, write a caption for each (not for audio: Meta
sends none), cancel, or send. Nothing leaves before "Enviar".

:class:`Attachments` is the window's side: it opens the dialog, reads the
files off the window's thread and queues them in the session.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.attachments import Attachment, check, human_size, unreadable
from crm_whatsapp.session import InboxSession
from crm_whatsapp.ui.recorder import RecordingFormat
from crm_whatsapp.ui.resources import icon

log = logging.getLogger("crm_whatsapp.ui.attach")
THUMB = QSize(64, 64)
PASTED_NAME = "imagem.png"
KIND_ICONS = {"image": "image", "video": "video", "audio": "audio", "document": "document"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("AttachDialog", text)


@dataclass
class Pending:
    """A file waiting in the preview: where its bytes are, Meta's verdict, its caption."""

    attachment: Attachment
    path: Path | None = None
    data: bytes | None = None  # a pasted picture has no file
    caption: str = field(default="")

    def read(self) -> bytes:
        """The bytes to send (blocking: called in a worker thread)."""
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


def pending_file(path: Path) -> Pending:
    """A dropped or chosen file, checked against Meta's limits from its name and size."""
    try:
        size = path.stat().st_size if path.is_file() else -1
    except OSError:
        size = -1
    if size < 0:
        return Pending(unreadable(path.name), path)
    return Pending(check(path.name, size), path)


def pending_image(png: bytes) -> Pending:
    """A pasted picture, as the PNG the composer made of it."""
    return Pending(check(PASTED_NAME, len(png), "image/png"), data=png)


def _thumbnail(pending: Pending) -> QImage | None:
    """The picture scaled to the row's square (a worker thread: photos may be megabytes)."""
    try:
        data = pending.read()
    except OSError:
        return None
    image = QImage()
    if not image.loadFromData(data) or image.isNull():
        return None
    return image.scaled(
        THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class FileRow(QWidget):
    """One file in the preview: picture or icon, name, size, Meta's verdict, remove button."""

    def __init__(self, pending: Pending, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pending = pending
        attachment = pending.attachment
        self.picture = QLabel(self)
        self.picture.setFixedSize(THUMB)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setPixmap(icon(KIND_ICONS[attachment.kind]).pixmap(32))
        self.name = QLabel(attachment.name, self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # a file's name is not markup
        self.size = QLabel(human_size(max(attachment.size, 0)), self)
        self.problem = QLabel(self)
        self.problem.setObjectName("attachProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #C62828;")
        self.problem.setVisible(attachment.problem is not None)
        if attachment.problem is not None:
            self.problem.setText(_tr(attachment.problem))
        self.remove = QToolButton(self)
        self.remove.setIcon(icon("close"))
        self.remove.setToolTip(QCoreApplication.translate("AttachDialog", "Remover este arquivo"))
        texts = QVBoxLayout()
        texts.addWidget(self.name)
        texts.addWidget(self.size)
        texts.addWidget(self.problem)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(self.picture)
        row.addLayout(texts, 1)
        row.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignTop)

    def show_picture(self, image: QImage) -> None:
        self.picture.setPixmap(QPixmap.fromImage(image))


class AttachDialog(QDialog):
    """The preview before sending files; ``send_requested`` carries those Meta takes."""

    send_requested = Signal(list)  # [Pending], captions set

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("AttachDialog", "Enviar arquivos"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _DropTarget(self, lambda paths: self.add([pending_file(p) for p in paths]))  # more files
        self.files = QListWidget(self)
        self.files.setObjectName("attachFiles")
        self.files.currentRowChanged.connect(self._selected)
        self.caption = QLineEdit(self)
        self.caption.setObjectName("attachCaption")
        self.caption.setMaxLength(1024)  # Meta's limit for a media caption
        self.caption.textEdited.connect(self._caption_edited)
        self.summary = QLabel(self)
        self.cancel_button = QPushButton(
            QCoreApplication.translate("AttachDialog", "Cancelar"), self
        )
        self.cancel_button.clicked.connect(self.reject)
        self.send_button = QPushButton(QCoreApplication.translate("AttachDialog", "Enviar"), self)
        self.send_button.setProperty("primary", True)
        self.send_button.setIcon(icon("send", "#FFFFFF"))
        self.send_button.clicked.connect(self.send)
        self.send_button.setDefault(True)  # Enter in the caption sends, as in WhatsApp
        self.cancel_button.setAutoDefault(False)
        self._sent = False
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.caption)
        layout.addLayout(buttons)
        self.resize(520, 420)

    # -- the files ------------------------------------------------------------------------

    def rows(self) -> list[FileRow]:
        found = (self.files.itemWidget(self.files.item(i)) for i in range(self.files.count()))
        return [row for row in found if isinstance(row, FileRow)]

    def pending(self) -> list[Pending]:
        return [row.pending for row in self.rows()]

    def add(self, files: list[Pending]) -> None:
        for pending in files:
            row = FileRow(pending)
            item = QListWidgetItem(self.files)
            item.setSizeHint(row.sizeHint())
            self.files.setItemWidget(item, row)
            row.remove.clicked.connect(lambda _c=False, r=row: self.remove(r))
            if pending.attachment.kind == "image" and pending.attachment.problem is None:
                spawn(self._load_picture(row), "attach-thumbnail")
        if self.files.currentRow() < 0 and self.files.count():
            self.files.setCurrentRow(0)
        self._update()

    def remove(self, row: FileRow) -> None:
        for index in range(self.files.count()):
            if self.files.itemWidget(self.files.item(index)) is row:
                self.files.takeItem(index)
                row.deleteLater()
                break
        if not self.files.count():
            self.reject()  # nothing left to send: as WhatsApp, the preview closes
            return
        self._selected(self.files.currentRow())
        self._update()

    async def _load_picture(self, row: FileRow) -> None:
        image = await asyncio.to_thread(_thumbnail, row.pending)
        if image is not None and shiboken6.isValid(row):
            row.show_picture(image)

    # -- captions and sending -------------------------------------------------------------

    def _current(self) -> Pending | None:
        item = self.files.currentItem()
        row = self.files.itemWidget(item) if item is not None else None
        return row.pending if isinstance(row, FileRow) else None

    def _selected(self, _index: int) -> None:
        pending = self._current()
        takes = pending is not None and pending.attachment.takes_caption
        self.caption.setEnabled(takes and pending is not None and not pending.attachment.problem)
        self.caption.setText(pending.caption if pending is not None and takes else "")
        self.caption.setPlaceholderText(
            QCoreApplication.translate("AttachDialog", "Adicione uma legenda…")
            if takes
            else QCoreApplication.translate("AttachDialog", "Áudios são enviados sem legenda.")
        )

    def _caption_edited(self, text: str) -> None:
        pending = self._current()
        if pending is not None and pending.attachment.takes_caption:
            pending.caption = text

    def sendable(self) -> list[Pending]:
        return [p for p in self.pending() if p.attachment.problem is None]

    def _update(self) -> None:
        ready, total = len(self.sendable()), self.files.count()
        self.send_button.setEnabled(ready > 0)
        if ready == total:
            self.summary.setText(
                QCoreApplication.translate("AttachDialog", "{0} arquivo(s) para enviar").format(
                    total
                )
            )
        else:
            self.summary.setText(
                QCoreApplication.translate(
                    "AttachDialog", "{0} de {1} arquivo(s) serão enviados"
                ).format(ready, total)
            )

    def send(self) -> None:
        files = self.sendable()
        if not files or self._sent:
            return
        self._sent = True  # once: Enter and a click in the same instant send once
        self.send_requested.emit(files)
        self.accept()


class _DropTarget(QObject):
    """Takes local files dropped on a widget (the thread) and hands them on."""

    def __init__(self, widget: QWidget, dropped: Callable[[list[Path]], None]) -> None:
        super().__init__(widget)
        self._dropped = dropped
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, (QDragEnterEvent, QDropEvent)) and event.type() in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
        ):
            mime = event.mimeData()
            if not (mime.hasUrls() and all(u.isLocalFile() for u in mime.urls())):
                return False
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                self._dropped([Path(u.toLocalFile()) for u in mime.urls()])
            return True
        return super().eventFilter(watched, event)


class Attachments(QObject):
    """The window's attaching: the preview, then the files queued in the session.

    ``current`` names the open conversation (the files go to the one open when
    the preview opened); ``sent`` is told of each conversation written to.
    """

    def __init__(
        self,
        parent: QWidget,
        session: InboxSession,
        *,
        current: Callable[[], int | None],
        sent: Callable[[int], None],
        problem: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.session = session
        self._current = current
        self._sent = sent
        self._problem = problem
        self.dialog: AttachDialog | None = None
        self._conversation: int | None = None

    def accept_drops_on(self, widget: QWidget) -> None:
        """Files dropped on ``widget`` open the preview (the thread, as in WhatsApp Web)."""
        _DropTarget(widget, self.open_files)

    def open_files(self, paths: list[Path]) -> None:
        self._open([pending_file(path) for path in paths])

    def open_image(self, png: bytes) -> None:
        self._open([pending_image(png)])

    def _open(self, files: list[Pending]) -> None:
        conversation = self._current()
        if conversation is None or not files:
            return
        if self.dialog is not None and shiboken6.isValid(self.dialog) and self.dialog.isVisible():
            if conversation == self._conversation:
                self.dialog.add(files)
                return
            self.dialog.reject()
        self._conversation = conversation
        dialog = AttachDialog(self._parent)
        dialog.add(files)
        dialog.send_requested.connect(lambda chosen: self._send(conversation, chosen))
        dialog.open()
        self.dialog = dialog

    def _send(self, conversation: int, files: list[Pending]) -> None:
        spawn(self._queue(conversation, files), "send-files")

    async def _queue(self, conversation: int, files: list[Pending]) -> None:
        for pending in files:
            try:
                data = await asyncio.to_thread(pending.read)
            except OSError as exc:
                log.warning("could not read a file to send: %s", type(exc).__name__)
                self._problem(
                    QCoreApplication.translate(
                        "AttachDialog", "Não foi possível ler o arquivo {0}."
                    ).format(pending.attachment.name)
                )
                continue
            attachment = pending.attachment
            self.session.send_media(
                conversation, data, attachment.mime_type, attachment.name, pending.caption
            )
            self._sent(conversation)

    def send_voice(self, data: bytes, recording: RecordingFormat) -> None:
        """A recorded note: a voice message when Ogg/Opus, else a plain audio; no caption."""
        conversation = self._current()
        if conversation is None or not data:
            return
        self.session.send_media(
            conversation,
            data,
            recording.mime_type,
            recording.filename,
            voice=recording.voice,
        )
        self._sent(conversation)
