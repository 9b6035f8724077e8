"""The window's part in keeping this PC's keys and its trail: a new code, pending audit entries.

When the relay refuses this PC (its device was revoked, or the profile was
restored on another PC and enrolled anew there) reconnecting cannot help:
the window says this PC needs a new enrollment code and offers the wizard,
which takes the code over the same open history (cursor kept, nothing
downloaded twice). :attr:`KeysWiring.device_ready` hands the new device to
the app, which closes this window and opens the history again on it.

Audit entries recorded while the relay was out of reach are sent each time
the connection becomes live, and every half minute while it is.

At start, a recovery key a silent install kept for the attendant is shown
until they confirm it is written down (:mod:`crm_whatsapp.ui.recovery_notice`).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from crm_whatsapp import audit
from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.recovery_notice import RecoveryNoticeWiring
from crm_whatsapp.workspace import NeedsNewCode

if TYPE_CHECKING:
    from crm_whatsapp.session import InboxSession
    from crm_whatsapp.ui.wizard import SetupWizard

log = logging.getLogger(__name__)

AUDIT_SEND_EVERY_MS = 30_000


class NewCodeNotice(QDialog):
    """ "This PC needs a new enrollment code", with the button that takes one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_code_notice")
        self.setWindowTitle(self.tr("Novo código de ativação"))
        self.text_label = QLabel(i18n.problem(NeedsNewCode()), self)
        self.text_label.setObjectName("new_code_text")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(self)
        self.enter_button = QPushButton(self.tr("Informar código novo…"), self)
        self.enter_button.setObjectName("enter_new_code")
        self.enter_button.setDefault(True)
        self.buttons.addButton(self.enter_button, QDialogButtonBox.ButtonRole.AcceptRole)
        later = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        later.setText(self.tr("Agora não"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)


class KeysWiring(QObject):
    """Offers a new enrollment code when the relay refuses this PC; sends pending audit entries."""

    device_ready = Signal(object)  # the new Device, once the wizard saved it
    audit_sent = Signal(int)  # entries the relay took (tests wait on it)

    def __init__(self, window: QWidget, session: InboxSession) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.notice: NewCodeNotice | None = None
        self.wizard: SetupWizard | None = None
        self._sending = False
        self._send_task: asyncio.Task[None] | None = None
        session.connection.connect(self._on_connection)
        # Entries recorded while connected (a plugin's settings saved, an export) go
        # out within this interval; the first try is on connecting. The timer runs
        # only while live: a stopped session (a closed window) never wakes it again.
        self._every = QTimer(self)
        self._every.setInterval(AUDIT_SEND_EVERY_MS)
        self._every.timeout.connect(self._send_if_live)
        self.recovery_notice = RecoveryNoticeWiring(window, session.workspace)

    def show_pending_recovery_key(self) -> asyncio.Task[None]:
        """Show the recovery key a silent install kept for this attendant, if any (app start)."""
        return self.recovery_notice.start()

    def _send_if_live(self) -> None:
        if self.session.state == "live":
            self.send_audit()

    def _on_connection(self, state: str) -> None:
        if state == "live":
            self._every.start()
            self.send_audit()
            return
        self._every.stop()
        if state == "rejected":
            self.offer_new_code()

    def stop(self) -> None:
        """The window is closing: nothing more is sent from here, nor reported to it.

        A send under way is cancelled: its entries stay pending for the next start
        (the relay dedupes an entry it already took), and its answer would reach a
        window that is gone.
        """
        self._every.stop()
        if self._send_task is not None:
            self._send_task.cancel()

    # -- a new enrollment code

    def offer_new_code(self) -> None:
        """Say this PC needs a new code (once while shown), with the button that takes it."""
        if self.notice is not None or self.wizard is not None:
            return
        notice = NewCodeNotice(self.window)
        notice.accepted.connect(self.open_wizard)
        notice.finished.connect(self._notice_closed)
        self.notice = notice
        notice.open()

    def _notice_closed(self) -> None:
        if self.notice is not None:
            self.notice.deleteLater()
        self.notice = None

    def open_wizard(self) -> None:
        """The set-up wizard over this window's open history: only the device changes."""
        from crm_whatsapp.ui.wizard import SetupWizard

        workspace = self.session.workspace
        wizard = SetupWizard(
            workspace.profile,
            workspace.backend,
            relay_url=self.session.device.relay_url,
            parent=self.window,
            workspace=workspace,
            reason=i18n.problem(NeedsNewCode()),
        )
        wizard.finished_ok.connect(self._enrolled)
        wizard.rejected.connect(self._wizard_closed)
        self.wizard = wizard
        wizard.open()

    def _wizard_closed(self) -> None:
        self.wizard = None

    def _enrolled(self) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is None or wizard.result_device is None:
            return
        log.info("this PC was enrolled again as device %s", wizard.result_device.device_id)
        self.device_ready.emit(wizard.result_device)
        self.window.close()

    # -- the audit trail

    def send_audit(self) -> None:
        """Send the entries recorded while offline (one sending at a time)."""
        if self._sending:
            return
        self._sending = True
        self._send_task = spawn(self._send(), "audit-send")

    async def _send(self) -> None:
        try:
            sent = await asyncio.to_thread(
                audit.send_pending, self.session.workspace, self.session.device
            )
        except Exception as exc:  # the store refusing a write: the entries stay pending
            log.warning("audit entries not sent (%s)", type(exc).__name__)
            sent = 0
        finally:
            self._sending = False
        # The window may have closed while the thread sent (a thread cannot be cancelled).
        if shiboken6.isValid(self):
            self.audit_sent.emit(sent)
