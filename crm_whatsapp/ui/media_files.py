"""Received media the attendant opens or saves: viewer, private temporary copies, Save as….

Images open in the photo viewer (``ui.photo_viewer``) from memory. Audio, video and documents open
in the system's program from a private temporary copy (one folder per
message, this user only, removed when the app exits) under a name the
customer chose only in part (``domain.filenames``). A file the system would
run is never opened from here: the attendant may save it instead. "Salvar
como…" (the bubble's menu, the viewer) writes the decrypted bytes only where
the attendant chooses. A failure to open says which in one sentence in the
window and is logged by its kind, never with the file's name or content.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.filenames import is_executable, is_inside, safe_filename
from crm_whatsapp.security.files import SealedFileError
from crm_whatsapp.sync.media import MediaCache, MediaUnavailable
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.photo_viewer import PhotoViewer
from crm_whatsapp.ui.resources import icon
from crm_whatsapp.ui.thumbnails import Thumbnails

log = logging.getLogger("crm_whatsapp.ui.mainwindow")


def _write_private(target: Path, data: bytes) -> None:
    """Write a media copy in its own folder, readable by this user only."""
    target.parent.mkdir(mode=0o700, exist_ok=True)
    target.write_bytes(data)
    target.chmod(0o600)


class MediaFiles(QObject):
    """Opens and saves received media for the window ``parent``.

    Its sentences keep the window's translation context ("MainWindow"), so
    the catalogues did not change when this code left the window.

    ``status`` shows a passing message and ``problem`` one sentence of
    trouble (both in the window's status bar); ``repaint`` redraws a
    message whose preview came with the download.
    """

    def __init__(
        self,
        parent: QWidget,
        media: MediaCache,
        thumbnails: Thumbnails,
        *,
        status: Callable[[str, int], None],
        problem: Callable[[str], None],
        repaint: Callable[[int], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.media = media
        self.thumbnails = thumbnails
        self._status = status
        self._problem = problem
        self._repaint = repaint
        self.viewer: PhotoViewer | None = None  # the last image opened
        self.save_dialog: QFileDialog | None = None  # the last "Salvar como…" asked
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def can_open(self, row: dict[str, Any]) -> bool:
        return bool(row["media_id"]) or self.media.has(row["id"])

    def open(self, row: dict[str, Any]) -> None:
        """Download (or read from the cache) a message's media and show it."""
        if self.can_open(row):
            spawn(self._show(row), "open-media")

    def save(self, row: dict[str, Any]) -> None:
        """ "Salvar como…" for a message's media: its bytes in clear, where the attendant says."""
        if self.can_open(row):
            spawn(self._save_row(row), "save-media")

    def add_actions(
        self, menu: QMenu, row: dict[str, Any], open_row: Callable[[dict[str, Any]], None]
    ) -> None:
        """The bubble menu's "Abrir" (``open_row``: audio plays in it) and "Salvar como…"."""
        if not self.can_open(row):
            return
        opening = (
            QCoreApplication.translate("MainWindow", "Abrir")
            if row["type"] == "document"
            else QCoreApplication.translate("MainWindow", "Abrir mídia")
        )
        menu.addAction(icon("download"), opening, lambda: open_row(row))
        menu.addAction(
            QCoreApplication.translate("MainWindow", "Salvar como…"), lambda: self.save(row)
        )

    async def _load(self, row: dict[str, Any]) -> bytes | None:
        """The media in clear, or ``None`` after saying why not (one sentence, one log line)."""
        self._status(
            QCoreApplication.translate("MainWindow", "Baixando mídia…"),
            3000,
        )
        try:
            data = await self.media.load(row["id"], row["media_id"])
        except MediaUnavailable as exc:
            log.warning("could not load a message's media: unavailable")
            if shiboken6.isValid(self):
                self._problem(i18n.problem(exc))
            return None
        except SealedFileError as exc:
            log.warning("could not load a message's media: sealed file %s", exc.reason)
            if shiboken6.isValid(self):
                self._problem(
                    QCoreApplication.translate(
                        "MainWindow",
                        "O arquivo guardado desta mensagem está danificado e não pode ser aberto.",
                    )
                )
            return None
        except Exception as exc:
            log.warning("could not load a message's media: %s", type(exc).__name__)
            if shiboken6.isValid(self):
                self._problem(
                    QCoreApplication.translate(
                        "MainWindow", "Não foi possível baixar a mídia; tente de novo."
                    )
                )
            return None
        if not shiboken6.isValid(self):  # the window closed while it downloaded
            return None
        if data is None:
            log.warning("could not load a message's media: missing")
            self._problem(
                QCoreApplication.translate(
                    "MainWindow", "O arquivo desta mensagem não está mais neste computador."
                )
            )
            return None
        return data

    async def _save_row(self, row: dict[str, Any]) -> None:
        data = await self._load(row)
        if data is not None:
            self.save_as(self._name(row), data)

    @staticmethod
    def _name(row: dict[str, Any]) -> str:
        media = row["item"].get(row["type"]) if isinstance(row["item"], dict) else None
        media = media if isinstance(media, dict) else {}
        return safe_filename(media.get("filename"), media.get("mime_type"), f"whatsapp-{row['id']}")

    async def _show(self, row: dict[str, Any]) -> None:
        data = await self._load(row)
        if data is None:
            return
        if self.thumbnails.failed(row["id"]):  # it came this time: show its preview too
            self.thumbnails.retry(row["id"])
            self._repaint(row["id"])
        if row["type"] in ("image", "sticker"):
            name = self._name(row)
            viewer = PhotoViewer(
                data, QCoreApplication.translate("MainWindow", "Imagem"), self._parent
            )
            viewer.save_requested.connect(lambda: self.save_as(name, data))
            viewer.show()
            self.viewer = viewer
            return
        name = self._name(row)
        if is_executable(name):
            self._offer_saving(name, data)
        else:
            await self._open_copy(int(row["id"]), name, data)

    async def _open_copy(self, message_id: int, name: str, data: bytes) -> None:
        """Write ``data`` in the private folder, one folder per message, and open it."""
        try:
            folder = Path(self._temp_dir().name) / str(message_id)
            target = folder / name
            if not is_inside(folder, target):  # safe_filename makes it so; checked all the same
                raise ValueError("a media copy would land outside its folder")
            await asyncio.to_thread(_write_private, target, data)
        except (OSError, ValueError) as exc:
            log.warning("could not write a media copy to open: %s", type(exc).__name__)
            self._problem(
                QCoreApplication.translate(
                    "MainWindow",
                    "Não foi possível preparar o arquivo para abrir; "
                    "verifique o espaço livre no disco.",
                )
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            log.warning("the system opened no program for a media copy")
            self._problem(
                QCoreApplication.translate(
                    "MainWindow", "Nenhum programa deste computador abre este tipo de arquivo."
                )
            )

    def _offer_saving(self, name: str, data: bytes) -> None:
        """A file the system would run is never opened from here: it may be saved instead."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("MainWindow", "Arquivo recebido"),
            "",
            parent=self._parent,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name is the customer's
        box.setText(
            QCoreApplication.translate(
                "MainWindow",
                "“{0}” pode executar programas neste computador, por isso não é aberto aqui: "
                "use “Salvar como…” e abra-o só se confiar em quem o enviou.",
            ).format(name)
        )
        save = box.addButton(
            QCoreApplication.translate("MainWindow", "Salvar como…"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        save.clicked.connect(lambda: self.save_as(name, data))
        box.open()

    def save_as(self, name: str, data: bytes) -> None:
        """Ask where to save a received file (the attendant's choice), then write it there."""
        downloads = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DownloadLocation
        )
        dialog = QFileDialog(
            self._parent,
            QCoreApplication.translate("MainWindow", "Salvar como…"),
            str(Path(downloads) / name),
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(
            lambda path: spawn(self._save_copy(Path(path), data), "save-media")
        )
        dialog.open()
        self.save_dialog = dialog

    async def _save_copy(self, target: Path, data: bytes) -> None:
        try:
            await asyncio.to_thread(target.write_bytes, data)
        except OSError as exc:
            log.warning("could not save a received file: %s", type(exc).__name__)
            if shiboken6.isValid(self):
                self._problem(
                    QCoreApplication.translate(
                        "MainWindow", "Não foi possível salvar o arquivo; escolha outra pasta."
                    )
                )
            return
        if shiboken6.isValid(self):  # the window may have closed while the file was written
            self._status(QCoreApplication.translate("MainWindow", "Arquivo salvo."), 5000)

    def _temp_dir(self) -> tempfile.TemporaryDirectory[str]:
        if self._tmp is None:
            # A program may still hold a copy open when the window closes (Windows
            # refuses to delete it then): what cannot go now is left to the OS.
            self._tmp = tempfile.TemporaryDirectory(
                prefix="crm-whatsapp-", ignore_cleanup_errors=True
            )
        return self._tmp

    def close(self) -> None:
        """Remove the private copies of opened media (the window is closing)."""
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
