"""The composition root: a profile, its session and the window, on one Qt loop.

Start order matters (see workspace.py): unlock the key, open the history,
load the device, then connect. A profile that was never set up goes through
the first-run wizard; every failure a person can fix is one sentence in a
message box, never a traceback.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from crm_whatsapp import asyncqt, audit
from crm_whatsapp.domain.chat_link import ChatRequest
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import KEYRING_PROBLEMS, KeyProblem, KeyringUnavailable, KeyStore
from crm_whatsapp.session import InboxSession
from crm_whatsapp.settings import load_preferences
from crm_whatsapp.store.database import StoreError
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.handoff import HandoffServer
from crm_whatsapp.ui.resources import app_icon, apply_theme, install_fonts
from crm_whatsapp.workspace import (
    Device,
    KeyringStillClosed,
    NeedsNewCode,
    NotEnrolled,
    Workspace,
    enroll,
    load_device,
    save_device,
    saved_relay_url,
)

if TYPE_CHECKING:  # the window module is imported once a profile is open (start-up time)
    from crm_whatsapp.ui.mainwindow import MainWindow

log = logging.getLogger("crm_whatsapp.app")
SETTLE_AFTER = 1.0  # seconds after the window shows


def settle_memory() -> None:
    """Take what start-up built out of the cyclic collector's sight.

    Start-up leaves about a million long-lived objects (Qt wrappers,
    modules, SQLAlchemy); every full collection walked them all and stalled
    a frame for 30-80 ms, a few times a minute while scrolling a long chat.
    Frozen, they are never walked again; what the window creates later is.
    """
    gc.collect()
    gc.freeze()


def application() -> QApplication:
    """The one QApplication, made once with the app's names and DPI policy."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication(sys.argv[:1])
    app.setApplicationName("CRM WhatsApp")
    app.setOrganizationName("crm-whatsapp")
    app.setWindowIcon(app_icon())
    if install_fonts() is None:
        log.warning("no colour emoji font found: emoji will show as boxes")
    # The loop ends when main() has shut the session down, not when Qt closes
    # the last window (that would stop asyncio mid-cleanup).
    app.setQuitOnLastWindowClosed(False)
    return app


def open_profile(
    profile: Profile,
    backend: KeyringBackend | None,
    enroll_with: tuple[str, str, str] | None,
) -> tuple[Workspace, Device] | None:
    """The workspace and device of an existing profile, or a new one from ``enroll_with``.

    None means the profile needs the first-run wizard.
    """
    if not profile.database.exists():
        if enroll_with is None:
            return None
        relay_url, code, name = enroll_with
        device = enroll(relay_url, code, name)
        workspace, _recovery = Workspace.create(profile, backend)
        save_device(profile, workspace.keys, device, backend)
        return workspace, device
    workspace = Workspace.open(profile, backend)
    try:
        return workspace, load_device(profile, workspace.keys, backend)
    except NotEnrolled:
        if enroll_with is None:
            workspace.close()
            raise
        relay_url, code, name = enroll_with
        device = enroll(relay_url, code, name)
        save_device(profile, workspace.keys, device, backend)
        return workspace, device


async def _wizard(
    profile: Profile,
    backend: KeyringBackend | None,
    workspace: Workspace | None = None,
    reason: str = "",
) -> tuple[Workspace, Device] | None:
    from crm_whatsapp.ui.wizard import SetupWizard

    wizard = SetupWizard(
        profile, backend, relay_url=saved_relay_url(profile), workspace=workspace, reason=reason
    )
    done = asyncio.get_running_loop().create_future()
    wizard.finished_ok.connect(lambda: done.done() or done.set_result(True))
    wizard.rejected.connect(lambda: done.done() or done.set_result(False))
    wizard.open()
    if not await done or wizard.result_workspace is None or wizard.result_device is None:
        return None
    return wizard.result_workspace, wizard.result_device


async def unlock_in_window(
    profile: Profile, backend: KeyringBackend | None, problem: KeyProblem
) -> tuple[Workspace, Device] | None:
    """The keyring did not open the history: the recovery key, typed in the window, does.

    Then the device as usual, or (a restored profile, whose token stayed in
    the old PC's keyring) the wizard for a new enrollment code over the same
    history. None: the person cancelled.
    """
    from crm_whatsapp.ui.unlock_dialog import UnlockDialog

    dialog = UnlockDialog(KeyStore(profile, backend), problem)
    if not await _dialog_done(dialog) or dialog.keys is None:
        return None
    workspace = await asyncio.to_thread(Workspace.open_with, profile, dialog.keys, backend)
    await asyncio.to_thread(audit.record, workspace, "recovery_key_restored", "", "janela")
    try:
        return await device_for(profile, backend, workspace)
    except KeyringUnavailable as exc:  # never "use the recovery key" to someone who just did
        raise KeyringStillClosed() from exc


async def device_for(
    profile: Profile, backend: KeyringBackend | None, workspace: Workspace
) -> tuple[Workspace, Device] | None:
    """``workspace`` with its device, or with a new one when this PC needs a new code."""
    try:
        device = await asyncio.to_thread(load_device, profile, workspace.keys, backend)
    except NotEnrolled as exc:
        reason = i18n.problem(exc) if isinstance(exc, NeedsNewCode) else ""
        opened = await _wizard(profile, backend, workspace, reason)
        if opened is None:
            workspace.close()
        return opened
    except BaseException:
        workspace.close()
        raise
    return workspace, device


async def _dialog_done(dialog: QDialog) -> bool:
    """Show ``dialog`` without a nested loop; True once it was accepted."""
    done = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: done.done() or done.set_result(code))
    dialog.open()
    return bool(await done == QDialog.DialogCode.Accepted.value)


def _say(sentence: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, "CRM WhatsApp", sentence)
    box.exec()


def listen_for_chats(window: MainWindow, profile_root: Path) -> HandoffServer:
    """Open in ``window`` the chats later launches hand over, and close it when one asks."""
    handoff = HandoffServer(profile_root, window)
    handoff.requested.connect(window.open_chat)
    handoff.quit_requested.connect(window.close)  # `crm-whatsapp quit`: an installer upgrading
    handoff.listen()
    window.closed.connect(handoff.close)
    return handoff


def run_app(
    profile: Profile | None = None,
    *,
    backend: KeyringBackend | None = None,
    enroll_with: tuple[str, str, str] | None = None,
    quit_after: float | None = None,
    chat: ChatRequest | None = None,
) -> int:
    """Open the inbox (on ``chat``'s conversation when given); returns the process exit code.

    The window listens for the chat requests of later launches (click-to-chat
    links and ``crm-whatsapp open``), so one inbox runs per user and profile.
    """
    profile = (profile or Profile.default()).ensure()
    app = application()
    prefs = load_preferences(profile.root)
    i18n.install(app, prefs.language)
    theme = apply_theme(app, prefs.theme)
    state: dict[str, Any] = {}

    async def main() -> int:
        try:
            try:
                opened = await asyncio.to_thread(open_profile, profile, backend, enroll_with)
            except KEYRING_PROBLEMS as exc:
                opened = await unlock_in_window(profile, backend, exc)
            except NotEnrolled:  # a history without a valid device: a new code, same history
                workspace = await asyncio.to_thread(Workspace.open, profile, backend)
                opened = await device_for(profile, backend, workspace)
            else:
                if opened is None:
                    opened = await _wizard(profile, backend)
            if opened is None:
                return 1
        except (KeyProblem, StoreError) as exc:
            state["problem"] = i18n.problem(exc)
            return 2
        workspace, device = opened
        from crm_whatsapp.ui.mainwindow import MainWindow

        first = True
        while True:
            session = InboxSession(workspace, device)
            window = MainWindow(session, theme, preferences=prefs)
            state["window"] = window
            closed = asyncio.Event()
            new_device: list[Device] = []
            # A new enrollment code taken in the window (the relay refused this PC):
            # the same history opens again on the new device.
            window.keys_wiring.device_ready.connect(new_device.append)
            window.closed.connect(closed.set)
            app.lastWindowClosed.connect(closed.set)
            app.aboutToQuit.connect(closed.set)
            window.show()
            session.start()
            listen_for_chats(window, profile.root)
            if first and chat is not None:
                window.open_chat(chat)
            if first:
                window.keys_wiring.show_pending_recovery_key()  # after a silent install
                asyncio.get_running_loop().call_later(SETTLE_AFTER, settle_memory)
                if quit_after is not None:
                    asyncio.get_running_loop().call_later(quit_after, window.close)
            first = False
            await closed.wait()
            await session.stop()
            if not new_device:
                break
            device = new_device[0]
        await asyncqt.cancel_all()
        workspace.close()
        return 0

    code = asyncqt.run(main, app)
    if "problem" in state:
        _say(state["problem"])
    return code
