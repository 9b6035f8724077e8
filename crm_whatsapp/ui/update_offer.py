"""The window's side of updates: a quiet offer in the status bar, never an install.

A check runs off the window's thread a little after start and then daily
(``crm_whatsapp.updates`` does the network and the cryptography). A newer,
signed version shows "Versão X disponível" and "Baixar" at the right of the
status bar, as WhatsApp Desktop's own banner does: it never blocks work. A
required version (the running one is below the manifest's minimum) says so
in red. "Baixar" downloads to the Downloads folder with progress; only an
installer whose SHA-256 matches the signed manifest is kept, and then
"Abrir instalador" hands it to the system, where the installer itself asks.
A check that fails or is refused is logged and shows nothing: the attendant
cannot act on it; a download the attendant asked for says why it failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QStandardPaths, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton, QWidget

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.richtext import plain_as_rich
from crm_whatsapp.settings import Preferences
from crm_whatsapp.ui import i18n
from crm_whatsapp.updates import (
    RELEASE_KEYS,
    Offer,
    UpdateChecker,
    UpdateError,
    manifest_url,
)

log = logging.getLogger("crm_whatsapp.ui.update_offer")
CHECK_AFTER_START_MS = 60_000  # out of the way of the first paint and the catch-up sync
CHECK_EVERY_MS = 24 * 3600 * 1000
REQUIRED_STYLE = "color: #D93025; font-weight: bold;"
FAILED_STYLE = "color: #D93025;"


def downloads_folder() -> Path:
    """The user's Downloads folder, or the temporary folder where there is none."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path(tempfile.gettempdir())


class UpdateBar(QWidget):
    """The status bar's corner: the offer's sentence, "Baixar", progress, "Abrir instalador"."""

    def __init__(self, parent: QWidget, redraw: Callable[[], None]) -> None:
        super().__init__(parent)
        self._redraw = redraw
        self.label = QLabel(self)
        self.label.setObjectName("update_label")
        self.download_button = QPushButton(self)
        self.download_button.setObjectName("update_download")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("update_open")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.download_button, self.progress, self.open_button):
            layout.addWidget(widget)
        self.hide()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._redraw()
        super().changeEvent(event)


class UpdateOffer(QObject):
    """Checks for a signed update and offers it in ``window``'s status bar.

    ``checked`` carries each check's outcome (an :class:`Offer`, None when up
    to date, or the refusal's sentence); ``downloaded`` the verified
    installer's path; ``download_failed`` the sentence shown. ``keys`` are
    the trusted release keys and ``folder`` where installers go: tests set both.
    """

    checked = Signal(object)
    downloaded = Signal(object)
    download_failed = Signal(str)
    _progress = Signal(int, int)  # from the download's thread

    def __init__(
        self,
        window: QMainWindow,
        preferences: Callable[[], Preferences],
        problem: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._preferences = preferences
        self._problem = problem
        self.keys: tuple[str, ...] = RELEASE_KEYS
        self.folder: Callable[[], Path] = downloads_folder
        self.offer: Offer | None = None
        self.installer: Path | None = None  # the verified download
        self._url = ""
        self._checking = False
        self._downloading = False
        self._failure = ""
        self._closed = False
        self._cancel = threading.Event()
        self.bar = UpdateBar(window, self.redraw)
        self.bar.download_button.clicked.connect(self.download)
        self.bar.open_button.clicked.connect(self.open_installer)
        self._progress.connect(self._show_progress)
        window.statusBar().addPermanentWidget(self.bar)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(CHECK_AFTER_START_MS)
        self._soon.timeout.connect(self.check_now)
        self._every = QTimer(self)
        self._every.setInterval(CHECK_EVERY_MS)
        self._every.timeout.connect(self.check_now)

    def start(self) -> None:
        """Check a minute after start, then daily (a PC left on for weeks still hears)."""
        self._soon.start()
        self._every.start()

    def stop(self) -> None:
        """The window is closing: no more checks, and a download under way stops."""
        self._closed = True
        self._soon.stop()
        self._every.stop()
        self._cancel.set()

    # -- checking

    def preferences_applied(self, preferences: Preferences) -> None:
        """A new address in the settings is checked at once (a typo shows up now, not tomorrow)."""
        if preferences.update_url and manifest_url(preferences.update_url) != self._url:
            self.check_now()

    def check_now(self) -> None:
        """Check the configured address now (nothing when none is set, or one is running)."""
        url = manifest_url(self._preferences().update_url)
        if not url or self._checking or self._downloading or self._closed:
            return
        self._checking = True
        self._url = url
        spawn(self._check(UpdateChecker(url, self.keys)), "update-check")

    async def _check(self, checker: UpdateChecker) -> None:
        try:
            outcome: Offer | str | None = await asyncio.to_thread(checker.check)
        except UpdateError as exc:
            outcome = str(exc)  # logged by the checker, with the reason
        finally:
            self._checking = False
        if self._closed:
            return
        if isinstance(outcome, Offer) or outcome is None:
            if outcome != self.offer:
                self.offer, self.installer, self._failure = outcome, None, ""
            self.redraw()
        self.checked.emit(outcome)

    # -- downloading

    def download(self) -> None:
        """Fetch the offered installer, verified against the signed manifest."""
        offer = self.offer
        if offer is None or self._downloading or self._closed:
            return
        self._downloading = True
        self._failure = ""
        self.installer = None
        self._cancel.clear()
        self.bar.progress.setRange(0, 0)
        self.redraw()
        checker = UpdateChecker(self._url, self.keys)
        spawn(self._download(checker, offer, self.folder()), "update-download")

    async def _download(self, checker: UpdateChecker, offer: Offer, folder: Path) -> None:
        def progress(done: int, total: int) -> None:
            with contextlib.suppress(RuntimeError):  # the window went away meanwhile
                self._progress.emit(done, total)

        try:
            path = await asyncio.to_thread(
                checker.download, offer, folder, progress, self._cancel.is_set
            )
        except UpdateError as exc:
            self._downloading = False
            if self._closed:
                return
            self._failure = str(exc)  # stays in the bar (a status message would pass)
            self.redraw()
            self.download_failed.emit(i18n.problem(self._failure))
            return
        self._downloading = False
        if self._closed:
            return
        log.info("update %s downloaded and verified", offer.version)
        self.installer = path
        self.redraw()
        self.downloaded.emit(path)

    def _show_progress(self, done: int, total: int) -> None:
        if self._downloading and total > 0:
            # Qt's bar counts in int: a per-mille scale holds any installer size.
            self.bar.progress.setRange(0, 1000)
            self.bar.progress.setValue(min(1000, done * 1000 // total))

    def open_installer(self) -> None:
        """Hand the verified installer to the system; it asks before changing anything."""
        path = self.installer
        if path is None:
            return
        if not path.is_file() or not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            log.warning("the installer could not be opened")
            self._problem(
                QCoreApplication.translate(
                    "UpdateOffer", "Não foi possível abrir o instalador; ele está em {0}."
                ).format(path)
            )

    # -- what the bar says

    def redraw(self) -> None:
        """The bar as the state says, in the window's language."""
        bar, offer = self.bar, self.offer
        if offer is None:
            bar.hide()
            return
        bar.label.setStyleSheet("")
        bar.label.setToolTip(plain_as_rich(offer.notes) if offer.notes else "")
        bar.progress.setVisible(self._downloading)
        bar.download_button.setVisible(not self._downloading and self.installer is None)
        bar.open_button.setVisible(self.installer is not None)
        bar.download_button.setText(QCoreApplication.translate("UpdateOffer", "Baixar"))
        bar.open_button.setText(QCoreApplication.translate("UpdateOffer", "Abrir instalador"))
        if self._downloading:
            bar.label.setText(
                QCoreApplication.translate("UpdateOffer", "Baixando a versão {0}…").format(
                    offer.version
                )
            )
        elif self.installer is not None:
            bar.label.setText(
                QCoreApplication.translate("UpdateOffer", "Versão {0} baixada e conferida.").format(
                    offer.version
                )
            )
        elif self._failure:
            bar.label.setText(i18n.problem(self._failure))
            bar.label.setStyleSheet(FAILED_STYLE)
            bar.download_button.setText(QCoreApplication.translate("UpdateOffer", "Tentar de novo"))
        elif offer.required:
            bar.label.setText(
                QCoreApplication.translate(
                    "UpdateOffer",
                    "Atualização obrigatória: esta versão não é mais aceita; instale a versão {0}.",
                ).format(offer.version)
            )
            bar.label.setStyleSheet(REQUIRED_STYLE)
        else:
            bar.label.setText(
                QCoreApplication.translate("UpdateOffer", "Versão {0} disponível —").format(
                    offer.version
                )
            )
        bar.show()
