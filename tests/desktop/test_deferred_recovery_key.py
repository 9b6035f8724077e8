"""A silent install must not lose the recovery key: ``enroll --defer-recovery-key`` keeps it in
the keyring and the window shows it at the attendant's first start, until they confirm.

The keyring is a real Secret Service (gnome-keyring on a private bus), the enroll is the real
command in its own process, the relay and the Meta simulator are real, on loopback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from qtsupport import finish, shows_connected

from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import PENDING_RECOVERY_PREFIX, SERVICE, KeyStore, recover
from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.session import InboxSession
from crm_whatsapp.ui.mainwindow import MainWindow
from crm_whatsapp.ui.recovery_notice import RecoveryNotice
from crm_whatsapp.workspace import CodeSpentNotSaved, Workspace, enroll_profile, load_device
from tests.desktop.sqlpeek import rows

if TYPE_CHECKING:
    from crm_whatsapp.demo import DemoStack

CLI = str(Path(sys.executable).with_name("crm-whatsapp"))
# 14 groups of 4 Crockford base32 characters: what a recovery key looks like anywhere.
KEY_LIKE = re.compile(r"[0-9A-Z]{4}(?:[-\s]+[0-9A-Z]{4}){6,}")


def shown_notice() -> RecoveryNotice | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, RecoveryNotice)]
    visible = [w for w in found if w.isVisible()]
    return visible[-1] if visible else None


def silent_enroll(office: DemoStack, home: Path) -> subprocess.CompletedProcess[str]:
    """What the installers run for the attendant: the app's own enroll, nobody reading it."""
    env = {**os.environ, "CRM_WHATSAPP_HOME": str(home)}
    code = office.new_code("Recepção")
    return subprocess.run(
        [CLI, "enroll", office.relay_url, code, "--name", "Recepção", "--defer-recovery-key"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_silent_enroll_keeps_the_key_for_the_window_until_the_attendant_confirms(
    office: DemoStack, qloop: Any, qtbot: Any, tmp_path: Path, real_keyring: Any
) -> None:
    home = tmp_path / "perfil"
    done = silent_enroll(office, home)
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "CHAVE DE RECUPERAÇÃO" not in output
    assert not KEY_LIKE.search(output), output  # nothing of the key in an install log
    assert "será mostrada ao atendente" in done.stdout

    profile = Profile(home)
    store = KeyStore(profile, real_keyring)
    entry = store.pending_recovery_username()
    assert real_keyring.get_password(SERVICE, entry) is not None  # next to the data key
    workspace = Workspace.open(profile, real_keyring)
    history = workspace.history
    assert rows(history, "SELECT kind FROM audit_log") == []  # nobody has seen it yet

    session = InboxSession(workspace, load_device(profile, workspace.keys, real_keyring))
    window = MainWindow(session, "light", sound=False)
    qtbot.addWidget(window)
    window.show()
    session.start()
    try:
        qtbot.waitUntil(lambda: shows_connected(window), timeout=15_000)

        # First start: the key is shown over the window, "Concluir" waits for the box.
        window.keys_wiring.show_pending_recovery_key()
        qtbot.waitUntil(lambda: shown_notice() is not None)
        notice = shown_notice()
        assert notice is not None and notice.isModal()
        shown = notice.key_label.text().replace("\n", "-")
        assert re.fullmatch(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){13}", shown)
        assert not notice.done_button.isEnabled()
        sheet = tmp_path / "folha.txt"
        assert notice.save_to(sheet)
        assert shown in sheet.read_text(encoding="utf-8")
        assert "Computador: Recepção" in sheet.read_text(encoding="utf-8")

        # Closed without confirming: still in the keyring, shown again at the next start.
        qtbot.mouseClick(
            notice.buttons.button(notice.buttons.StandardButton.Close), Qt.MouseButton.LeftButton
        )
        qtbot.waitUntil(lambda: shown_notice() is None)
        assert real_keyring.get_password(SERVICE, entry) is not None
        assert rows(history, "SELECT kind FROM audit_log") == []
        window.keys_wiring.show_pending_recovery_key()
        qtbot.waitUntil(lambda: shown_notice() is not None)
        notice = shown_notice()
        assert notice is not None
        assert notice.key_label.text().replace("\n", "-") == shown

        # Confirmed: the entry leaves the keyring and the trail says the key was shown.
        notice.confirm.setChecked(True)
        assert notice.done_button.isEnabled()
        qtbot.mouseClick(notice.done_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: shown_notice() is None)
        assert real_keyring.get_password(SERVICE, entry) is None
        assert rows(history, "SELECT kind, who, detail FROM audit_log") == [
            ("recovery_key_shown", "Recepção", "janela")
        ]

        # The next start shows nothing.
        looked = window.keys_wiring.show_pending_recovery_key()
        qtbot.waitUntil(looked.done)
        assert shown_notice() is None
    finally:
        finish(qtbot, session.stop())
        window.close()
        workspace.close()

    # The key shown is the one that opens the history when the keyring is gone.
    real_keyring.delete_password(SERVICE, store.keyring_username())
    keys, restored = recover(store, shown)
    assert restored
    assert keys == store.unlock()
    reopened = Workspace.open(profile, real_keyring)
    try:
        assert reopened.keys == keys
    finally:
        reopened.close()


def test_a_pending_key_replaced_by_a_new_recovery_key_is_never_shown(
    tmp_path: Path, memory_keyring: Any
) -> None:
    store = KeyStore(Profile(tmp_path / "perfil"), memory_keyring)
    first = store.create()
    store.keep_pending_recovery(first)
    assert store.pending_recovery() == first
    store.new_recovery_key()  # the old sheet no longer opens anything
    assert store.pending_recovery() is None
    assert memory_keyring.get_password(SERVICE, store.pending_recovery_username()) is None


def test_a_keyring_that_cannot_keep_the_pending_key_leaves_no_unrecoverable_profile(
    office: DemoStack, tmp_path: Path
) -> None:
    """A key nobody will ever see is a history nobody can recover: the enroll fails instead."""
    import keyring.errors

    class NoPendingKeyring(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            if username.startswith(PENDING_RECOVERY_PREFIX):
                raise keyring.errors.PasswordSetError("the vault refused the entry")
            super().set_password(service, username, password)

    profile = Profile(tmp_path / "perfil")
    with pytest.raises(CodeSpentNotSaved) as failed:
        enroll_profile(
            profile,
            office.relay_url,
            office.new_code("Recepção"),
            "Recepção",
            NoPendingKeyring(),
            defer_recovery_key=True,
        )
    assert "revogue o dispositivo" in str(failed.value)
    assert not profile.keys_file.exists() and not profile.database.exists()
