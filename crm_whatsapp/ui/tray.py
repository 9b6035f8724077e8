"""The tray icon and the desktop notifications: unread count, new customer messages.

The window decides *whether* a message is news (not the conversation the
attendant is looking at); this module shows it: the tray's balloon (where
the system has one), a beep if the attendant wants sound, and the taskbar
alert.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon, QWidget

from crm_whatsapp.domain.richtext import notification_body
from crm_whatsapp.ui.notifications import session_reads_body_markup
from crm_whatsapp.ui.resources import app_icon

SHOWN_MS = 5000


class Tray(QObject):
    """The tray icon of ``window``, with its menu (Abrir, Sair).

    Sentences keep the window's translation context ("MainWindow").
    """

    open_requested = Signal()
    quit_requested = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.icon = QSystemTrayIcon(app_icon(), window)
        menu = QMenu(window)
        self._open = menu.addAction("", self.open_requested.emit)
        self._quit = menu.addAction("", self.quit_requested.emit)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(lambda _reason: self.open_requested.emit())
        self.icon.messageClicked.connect(self.open_requested.emit)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.icon.show()

    def retranslate(self) -> None:
        self._open.setText(QCoreApplication.translate("MainWindow", "Abrir"))
        self._quit.setText(QCoreApplication.translate("MainWindow", "Sair"))

    def show_unread(self, unread: int) -> None:
        self.icon.setIcon(app_icon(unread=unread > 0))
        self.icon.setToolTip(
            QCoreApplication.translate("MainWindow", "CRM WhatsApp: {0} não lidas").format(unread)
        )

    def notify(self, title: str, text: str, *, sound: bool) -> None:
        """Tell the attendant, away from the window, that a customer wrote."""
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            # Qt hands the body to the notification server as is; some render HTML in it.
            body = notification_body(text, markup=session_reads_body_markup())
            self.icon.showMessage(title, body, app_icon(), SHOWN_MS)
        if sound:
            QApplication.beep()
        QApplication.alert(self.window)

    def hide(self) -> None:
        self.icon.hide()
