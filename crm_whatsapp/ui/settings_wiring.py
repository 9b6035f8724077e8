"""The attendant's preferences and the office's retention policy, wired to the window.

The settings dialog edits :class:`Preferences`; applying them sets the
theme and language for the whole application, and a changed retention
period erases what is now too old. Retention also runs a little after
start (out of the way of the first paint) and every six hours, for a PC
that stays on for days.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.copilot.office import OfficeSettings
from crm_whatsapp.crm.office import PluginSettings
from crm_whatsapp.session import InboxSession
from crm_whatsapp.settings import Preferences
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.resources import apply_theme

log = logging.getLogger("crm_whatsapp.ui.mainwindow")
RETENTION_EVERY_MS = 6 * 3600 * 1000
RETENTION_AFTER_START_MS = 5_000


class SettingsWiring(QObject):
    """Holds the current preferences, opens the settings dialog, applies what it saves.

    ``applied`` carries the preferences just applied, after the theme and
    language; ``theme_changed`` the theme name :func:`apply_theme` settled on.
    Sentences keep the window's translation context ("MainWindow").
    """

    applied = Signal(object)  # Preferences
    theme_changed = Signal(str)
    plugins_changed = Signal()  # the CRM tab was saved

    def __init__(
        self,
        parent: QWidget,
        session: InboxSession,
        preferences: Preferences,
        *,
        quick_replies: Callable[[], list[tuple[str, str]]],
        save_quick_reply: Callable[[str, str | None], None],
        status: Callable[[str, int], None],
        problem: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.session = session
        self.preferences = preferences
        self._quick_replies = quick_replies
        self._save_quick_reply = save_quick_reply
        self._status = status
        self._problem = problem
        self.dialog: QWidget | None = None  # the settings dialog last opened
        self._every = QTimer(self)
        self._every.setInterval(RETENTION_EVERY_MS)
        self._every.timeout.connect(self.apply_retention)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(RETENTION_AFTER_START_MS)
        self._soon.timeout.connect(self.apply_retention)

    def start(self) -> None:
        """Run the retention policy soon after start, then every six hours."""
        self._every.start()
        self._soon.start()

    def stop(self) -> None:
        """A closed window starts no more work."""
        self._every.stop()
        self._soon.stop()

    def open_dialog(self) -> None:
        from crm_whatsapp.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.preferences,
            self.session.workspace.profile.root,
            relay_url=self.session.device.relay_url,
            device_name=self.session.me,
            quick_replies=self._quick_replies(),
            save_quick_reply=self._save_quick_reply,
            copilot=OfficeSettings(self.session.workspace),
            plugins=PluginSettings(self.session.workspace),
            audit=self.session.workspace,
            parent=self._parent,
        )
        dialog.preferences_changed.connect(self.apply)
        dialog.plugins_saved.connect(self.plugins_changed)
        dialog.open()
        self.dialog = dialog

    def apply(self, preferences: Preferences) -> None:
        language_changed = preferences.language != self.preferences.language
        retention_changed = preferences.retention_months != self.preferences.retention_months
        self.preferences = preferences
        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.theme_changed.emit(apply_theme(app, preferences.theme))
            if language_changed:
                i18n.install(app, preferences.language)  # every widget retranslates itself
        if retention_changed:
            self.apply_retention()
        self.applied.emit(preferences)

    def apply_retention(self) -> None:
        """Erase history older than the office's retention policy (at start, daily, on change)."""
        months = self.preferences.retention_months
        if months > 0:
            spawn(self._apply_retention(months), "retention")

    async def _apply_retention(self, months: int) -> None:
        try:
            erased = await self.session.apply_retention(months)
        except Exception:
            log.warning("retention could not be applied")
            self._problem(
                QCoreApplication.translate(
                    "MainWindow", "Não foi possível apagar o histórico antigo agora."
                )
            )
            return
        if erased:
            self._status(
                QCoreApplication.translate(
                    "MainWindow", "{0} mensagens antigas apagadas (guardar {1} meses)."
                ).format(erased, months),
                10_000,
            )
