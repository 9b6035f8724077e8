"""Keys, in the window: the recovery key typed when the keyring fails, a new enrollment code
when the relay no longer knows this PC, and the audit trail's settings page.

The keyring is a real Secret Service (gnome-keyring on a private bus), the relay and the
Meta simulator are real, on loopback.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWizard
from qtsupport import Desk, finish, shows_connected

from crm_whatsapp import audit
from crm_whatsapp.app import unlock_in_window
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import (
    SERVICE,
    KeyringEntryMissing,
    KeyringLocked,
    KeyStore,
    format_recovery_key,
)
from crm_whatsapp.session import InboxSession
from crm_whatsapp.ui.audit_settings import AuditPage
from crm_whatsapp.ui.keys_wiring import NewCodeNotice
from crm_whatsapp.ui.mainwindow import MainWindow
from crm_whatsapp.ui.unlock_dialog import UnlockDialog
from crm_whatsapp.ui.wizard import SetupWizard
from crm_whatsapp.workspace import Workspace, enroll, save_device
from relay.devices import revoke
from tests.desktop.sqlpeek import rows

if TYPE_CHECKING:
    from crm_whatsapp.demo import DemoStack

ANA = "5511987654321"


def top_level(kind: type[Any]) -> Any:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
    return found[-1] if found else None


def texts(widget: Any) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))


def enrolled_profile(office: DemoStack, root: Path, backend: Any) -> tuple[Profile, str]:
    """A profile set up and enrolled on this PC, closed; returns it and its recovery key."""
    profile = Profile(root).ensure()
    device = enroll(office.relay_url, office.new_code("Recepção"), "Recepção")
    workspace, recovery = Workspace.create(profile, backend)
    save_device(profile, workspace.keys, device, backend)
    workspace.close()
    return profile, recovery.formatted


def type_key(qtbot: Any, dialog: UnlockDialog, text: str) -> None:
    dialog.key_edit.clear()
    dialog.key_edit.setText(text)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("problem", [KeyringEntryMissing(), KeyringLocked()])
def test_the_window_explains_a_closed_keyring_in_plain_words(
    qtbot: Any, problem: Exception, memory_keyring: Any, tmp_path: Path
) -> None:
    dialog = UnlockDialog(KeyStore(Profile(tmp_path), memory_keyring), problem)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    words = texts(dialog).lower()
    assert "chaveiro do sistema" in words
    assert "digite abaixo a chave de recuperação" in words
    assert "use a chave" not in words and "usar a chave" not in words
    assert not dialog.open_button.isEnabled()  # nothing typed yet


def test_a_missing_keyring_entry_opens_the_history_with_the_recovery_key(
    office: DemoStack, qloop: Any, qtbot: Any, tmp_path: Path, real_keyring: Any
) -> None:
    profile, recovery = enrolled_profile(office, tmp_path / "perfil", real_keyring)
    office.say(ANA, text="Bom dia, ainda estão abertos?")
    store = KeyStore(profile, real_keyring)
    real_keyring.delete_password(SERVICE, store.keyring_username())  # a wiped keyring
    keys_before = profile.keys_file.read_bytes()
    with pytest.raises(KeyringEntryMissing) as missing:
        store.unlock()

    task = asyncio.ensure_future(unlock_in_window(profile, real_keyring, missing.value))
    qtbot.waitUntil(lambda: top_level(UnlockDialog) is not None)
    dialog = top_level(UnlockDialog)

    # A valid key of another profile: one sentence, try again, nothing overwritten.
    type_key(qtbot, dialog, format_recovery_key(os.urandom(32)))
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert dialog.error_label.text().count(".") == 1
    assert "não pertence a este perfil" in dialog.error_label.text()
    assert profile.keys_file.read_bytes() == keys_before
    assert dialog.isVisible() and dialog.key_edit.isEnabled()

    # A typo is caught before any unlock, in one sentence too.
    type_key(qtbot, dialog, recovery[:-2])
    qtbot.waitUntil(lambda: "caracteres" in dialog.error_label.text())
    assert profile.keys_file.read_bytes() == keys_before

    type_key(qtbot, dialog, recovery.lower().replace("-", " "))  # as people type it
    qtbot.waitUntil(task.done, timeout=20_000)
    opened = task.result()
    assert opened is not None
    workspace, device = opened
    # The keyring has a key again: the next start needs nothing typed.
    assert store.unlock() == workspace.keys
    session = InboxSession(workspace, device)
    window = MainWindow(session, "light", sound=False)
    qtbot.addWidget(window)
    window.show()
    session.start()
    try:
        qtbot.waitUntil(lambda: shows_connected(window), timeout=15_000)
        qtbot.waitUntil(lambda: len(session.history.conversations(10, view="all")) == 1)
        # The restore is in the audit trail, and reaches the relay once connected.
        qtbot.waitUntil(
            lambda: (
                rows(session.history, "SELECT kind, pending FROM audit_log")
                == [("recovery_key_restored", 0)]
            ),
            timeout=10_000,
        )
    finally:
        finish(qtbot, session.stop())
        window.close()
        workspace.close()


def test_cancelling_the_recovery_key_opens_nothing(
    office: DemoStack, qloop: Any, qtbot: Any, tmp_path: Path, real_keyring: Any
) -> None:
    profile, _ = enrolled_profile(office, tmp_path / "perfil", real_keyring)
    store = KeyStore(profile, real_keyring)
    real_keyring.delete_password(SERVICE, store.keyring_username())
    task = asyncio.ensure_future(unlock_in_window(profile, real_keyring, KeyringEntryMissing()))
    qtbot.waitUntil(lambda: top_level(UnlockDialog) is not None)
    top_level(UnlockDialog).reject()
    qtbot.waitUntil(task.done)
    assert task.result() is None


def test_a_revoked_pc_takes_a_new_code_and_keeps_its_history(
    office: DemoStack, desk: Desk, qtbot: Any
) -> None:
    for text in ("Oi!", "Tudo bem?"):
        office.say(ANA, text=text)
    history = desk.session.history
    qtbot.waitUntil(lambda: history.totals() == (1, 2), timeout=15_000)
    cursor = history.cursor()
    new_device: list[Any] = []
    desk.window.keys_wiring.device_ready.connect(new_device.append)

    engine = office.relay_server.server.config.app.relay.engine
    assert revoke(engine, desk.session.device.device_id)  # crm-whatsapp-relay device revoke
    qtbot.waitUntil(lambda: top_level(NewCodeNotice) is not None, timeout=15_000)
    notice = top_level(NewCodeNotice)
    assert "precisa de um novo código de ativação" in notice.text_label.text()
    assert "o histórico fica como está" in notice.text_label.text()
    qtbot.mouseClick(notice.enter_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: top_level(SetupWizard) is not None)
    wizard = top_level(SetupWizard)
    page = wizard.connect_page
    assert page.url_edit.text() == office.relay_url
    assert "novo código de ativação" in page.subTitle()
    page.code_edit.setText(office.new_code("Ana"))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(new_device), timeout=20_000)
    qtbot.waitUntil(lambda: not desk.window.isVisible())
    assert wizard.recovery is None  # the same history: no new key, no new sheet
    finish(qtbot, desk.session.stop())

    # What the app does next: the same history, on the new device.
    session = InboxSession(desk.workspace, new_device[0])
    window = MainWindow(session, "light", sound=False)
    qtbot.addWidget(window)
    window.show()
    session.start()
    try:
        qtbot.waitUntil(lambda: shows_connected(window), timeout=15_000)
        office.say(ANA, text="Chegou?")
        qtbot.waitUntil(lambda: history.totals() == (1, 3), timeout=15_000)
        assert history.cursor() > cursor
        texts_in_thread = [
            m["text"]
            for m in history.messages(session.history.conversations(1, view="all")[0]["id"])
        ]
        assert texts_in_thread == ["Oi!", "Tudo bem?", "Chegou?"]  # nothing twice
    finally:
        finish(qtbot, session.stop())
        window.close()


def test_the_audit_page_lists_newest_first_filters_and_exports_privately(
    office: DemoStack, desk: Desk, qtbot: Any, tmp_path: Path
) -> None:
    office.say(ANA, text="Quero meus dados")
    history = desk.session.history
    qtbot.waitUntil(lambda: history.totals()[0] == 1, timeout=15_000)
    conversation_id = desk.conversation_for(ANA)
    assert conversation_id is not None
    finish(qtbot, desk.session.team(conversation_id, "assign", assignee="Ana"))
    finish(qtbot, desk.session.team(conversation_id, "assign", assignee="Bruno"))
    audit.record_phone(desk.workspace, "export", ANA, "1 mensagens, em claro")
    desk.window.keys_wiring.send_audit()
    qtbot.waitUntil(
        lambda: rows(history, "SELECT count(*) FROM audit_log WHERE pending = 0") == [(3,)],
        timeout=10_000,
    )

    page = AuditPage(desk.workspace)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)
    kinds = [page.table.item(r, 1).text() for r in range(3)]
    assert kinds == ["Exportação de contato", "Conversa transferida", "Conversa atribuída"]
    assert page.table.item(1, 3).text() == "+55 11 •••••-4321"
    assert page.table.item(1, 4).text() == "Ana → Bruno"
    assert all(page.table.item(r, 2).text() == "Ana" for r in range(3))

    page.kind_box.setCurrentIndex(page.kind_box.findData("export"))
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)

    target = tmp_path / "auditoria.csv"
    assert page.export_to(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Data e hora;Ação;Quem;Sobre;Detalhe"
    assert lines[1].split(";")[1:] == [
        "Exportação de contato",
        "Ana",
        "+55 11 •••••-4321",
        "1 mensagens, em claro",
    ]
    assert "Quero meus dados" not in target.read_text(encoding="utf-8-sig")
    json.dumps(lines)  # plain text only


def test_the_wizard_records_that_it_showed_the_recovery_key(
    office: DemoStack, qloop: Any, qtbot: Any, tmp_path: Path, memory_keyring: Any
) -> None:
    profile = Profile(tmp_path / "perfil")
    wizard = SetupWizard(profile, memory_keyring, relay_url=office.relay_url)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.connect_page.code_edit.setText(office.new_code("Recepção"))
    wizard.connect_page.name_edit.setText("Recepção")
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.recovery_id, timeout=20_000)
    workspace = Workspace.open(profile, memory_keyring)
    try:
        assert rows(workspace.history, "SELECT kind, who FROM audit_log") == [
            ("recovery_key_shown", "Recepção")
        ]
    finally:
        workspace.close()
    wizard.recovery_page.confirm.setChecked(True)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.result_workspace is not None)
    wizard.result_workspace.close()


def test_a_locked_keyring_is_never_answered_with_use_the_recovery_key(
    office: DemoStack, qloop: Any, qtbot: Any, tmp_path: Path, memory_keyring: Any
) -> None:
    """The key typed is right but the keyring stays shut: the sentence asks for no key again."""
    import keyring.errors

    profile, recovery = enrolled_profile(office, tmp_path / "perfil", memory_keyring)

    class LockedKeyring(type(memory_keyring)):  # type: ignore[misc]
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    locked = LockedKeyring()
    with pytest.raises(KeyringLocked) as problem:
        KeyStore(profile, locked).unlock()
    task = asyncio.ensure_future(unlock_in_window(profile, locked, problem.value))
    qtbot.waitUntil(lambda: top_level(UnlockDialog) is not None)
    dialog = top_level(UnlockDialog)
    assert "trancado" in dialog.what_label.text()
    type_key(qtbot, dialog, recovery)
    qtbot.waitUntil(task.done, timeout=20_000)
    error = task.exception()
    assert error is not None
    sentence = str(error)
    assert "está certa" in sentence and "chave de recuperação" in sentence
    assert "use a chave" not in sentence and "informe a chave" not in sentence


def test_the_crm_page_saving_records_plugin_connections(
    tmp_path: Path, memory_keyring: Any
) -> None:
    """What Settings → CRM saves (on, off, a setting) is in the trail, by plugin name only."""
    from crm_whatsapp.crm.config import PluginConfig
    from crm_whatsapp.crm.office import PluginSettings

    workspace, _ = Workspace.create(Profile(tmp_path / "perfil"), memory_keyring)
    try:
        backend = PluginSettings(workspace)
        config = backend.config()
        config.set_enabled("hubspot", True)
        config.set_enabled("pipedrive", True)
        backend.save(config, {})
        config = backend.config()
        config.set_enabled("pipedrive", False)
        config.values["hubspot"] = {"portal": "123"}
        backend.save(config, {})
        assert PluginConfig.load(workspace.profile.root).enabled == {"hubspot"}
        kept = rows(workspace.history, "SELECT kind, subject, pending FROM audit_log")
        assert sorted(kept) == [
            ("plugin_disabled", "pipedrive", 1),
            ("plugin_enabled", "hubspot", 1),
            ("plugin_enabled", "pipedrive", 1),
            ("plugin_settings", "hubspot", 1),
        ]
    finally:
        workspace.close()
