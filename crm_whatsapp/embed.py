"""The inbox inside another PySide6 application's window (a CRM's own desktop client).

``InboxWidget`` is the whole inbox — list, thread, composer, Copilot, the
plugins' cards — as one widget a host puts in its layout, with signals a
host reacts to (``contact_opened`` when the attendant opens a customer,
``lead_created`` when a plugin made a lead) and ``open_chat`` to open a
customer from the host's own screens. The host runs a qasync loop (as
``plugins/examples/host_app`` shows) and opens a profile with
:func:`open_inbox`; the inbox never sends anything the attendant did not.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from crm_whatsapp.app import open_profile
from crm_whatsapp.crm.host import ActionResult
from crm_whatsapp.domain.chat_link import chat_request
from crm_whatsapp.profile import Profile
from crm_whatsapp.session import InboxSession
from crm_whatsapp.ui.mainwindow import MainWindow
from crm_whatsapp.workspace import NotEnrolled

__all__ = ["InboxWidget", "NotEnrolled", "open_inbox"]


class InboxWidget(QWidget):
    """The inbox as a widget; :meth:`stop` (awaited) before the host quits."""

    contact_opened = Signal(str)  # the customer's WhatsApp number
    lead_created = Signal(str, str, str)  # plugin name, the CRM's id, its web address

    def __init__(
        self, session: InboxSession, theme: str = "light", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.inbox = MainWindow(session, theme, sound=False)
        self.inbox.setParent(self)
        self.inbox.setWindowFlags(Qt.WindowType.Widget)  # a child, not a top-level window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.inbox)
        self.inbox.conversation_opened.connect(self._opened)
        self.inbox.crm.action_done.connect(self._made)

    def start(self) -> None:
        """Connect to the relay and start syncing (call once the host's loop runs)."""
        self.session.start()

    async def stop(self) -> None:
        """Close the inbox and its connections (the host is closing).

        A host may destroy its window (and the inbox with it) before calling this;
        the connections and the history must still close.
        """
        if shiboken6.isValid(self.inbox):
            self.inbox.close()
        await self.session.stop()
        self.session.workspace.close()

    def open_chat(self, phone: str, text: str = "") -> None:
        """Open the customer's conversation with ``text`` in the composer (never sends).

        Raises ``domain.chat_link.ChatLinkError`` (one sentence) when ``phone``
        is not a phone number.
        """
        self.inbox.open_chat(chat_request(phone, text))

    def _opened(self, conversation_id: int) -> None:
        row = self.inbox.current_row()
        if row is not None and row.get("wa_id") and row["id"] == conversation_id:
            self.contact_opened.emit(str(row["wa_id"]))

    def _made(self, results: list[Any]) -> None:
        for result in results:
            made = result.created if isinstance(result, ActionResult) else None
            if made is not None and made.kind in ("lead", "deal"):
                self.lead_created.emit(result.plugin, made.id, made.url)


def open_inbox(
    profile: Profile | None = None,
    backend: KeyringBackend | None = None,
    theme: str = "light",
    parent: QWidget | None = None,
) -> InboxWidget:
    """The inbox of an enrolled profile as a widget (blocking: unlocks the key, opens history).

    Raises ``NotEnrolled`` when the profile was never set up (run
    ``crm-whatsapp`` once, or ``crm-whatsapp enroll``), and the key and store
    errors the window would show as one sentence.
    """
    opened = open_profile((profile or Profile.default()).ensure(), backend, None)
    if opened is None:
        raise NotEnrolled()
    workspace, device = opened
    return InboxWidget(InboxSession(workspace, device), theme, parent)
