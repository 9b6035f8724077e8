"""Whether the tray's messages reach a notification server that reads markup.

On Linux, Qt sends a tray message (``QSystemTrayIcon.showMessage``) as a
freedesktop notification (``org.freedesktop.Notifications.Notify``) whenever a
StatusNotifier watcher is on the session bus, and passes the body through
untouched; servers that list ``body-markup`` in their capabilities then render
``<b>``, ``<a href>`` and ``<img src>`` in it. Without a watcher Qt draws its
own balloon, which shows plain text; Windows and macOS show plain text too.
The window escapes a customer's text only where it would be read as markup
(see :func:`crm_whatsapp.domain.richtext.notification_body`).
"""

from __future__ import annotations

import functools
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtDBus import QDBusConnection

log = logging.getLogger("crm_whatsapp.ui.notifications")
WATCHER = "org.kde.StatusNotifierWatcher"
SERVER = "org.freedesktop.Notifications"
SERVER_PATH = "/org/freedesktop/Notifications"
BODY_MARKUP = "body-markup"
# Asked once, from the UI thread, when the first message is shown: a server
# that does not answer must not freeze the window for D-Bus's default 25 s.
TIMEOUT_MS = 1000


def reads_body_markup(bus: QDBusConnection) -> bool:
    """Whether a tray message sent over ``bus`` reaches a server that renders markup in its body.

    A server that does not answer counts as one that does: a stray ``&amp;``
    is better than a customer's ``<img>`` rendered.
    """
    from PySide6.QtDBus import QDBus, QDBusMessage  # Linux only: imported where it is used

    if not bus.isConnected() or not bus.interface().isServiceRegistered(WATCHER).value():
        return False  # Qt shows its own plain-text balloon, or nothing
    # A bare method call: a QDBusInterface would first introspect the server, blocking.
    ask = QDBusMessage.createMethodCall(SERVER, SERVER_PATH, SERVER, "GetCapabilities")
    reply = bus.call(ask, QDBus.CallMode.Block, TIMEOUT_MS)
    arguments = reply.arguments() if reply.type() == QDBusMessage.MessageType.ReplyMessage else []
    if not arguments or not isinstance(arguments[0], list):
        log.warning("the notification server did not list its capabilities; escaping messages")
        return True
    return BODY_MARKUP in arguments[0]


@functools.cache
def session_reads_body_markup() -> bool:
    """:func:`reads_body_markup` for this desktop session, asked once per run."""
    if not sys.platform.startswith("linux"):
        return False
    from PySide6.QtDBus import QDBusConnection

    return reads_body_markup(QDBusConnection.sessionBus())
