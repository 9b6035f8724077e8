"""Defects a new attendant hit in the first hour, each driven the way the attendant met it.

The first-run wizard's texts, enrolling a PC when the keyring is missing, and the
inbox window (relay and Meta simulator on loopback): resolving the open
conversation, the list re-sorting under the mouse, and messages read behind a
dialog.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Stack
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget, QWizard
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp import cli
from crm_whatsapp.demo import DemoStack
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.models.conversations import Role as ListRole
from crm_whatsapp.ui.models.thread import Role as ThreadRole
from crm_whatsapp.ui.wizard import SetupWizard
from relay.devices import add_device, list_devices

# -- the first-run wizard: every explanation is read to its last word -----------------------


@pytest.fixture(params=["pt_BR", "en"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    i18n.install(qapp, request.param)
    yield request.param
    i18n.install(qapp, "pt_BR")


def cut_labels(wizard: QWizard) -> list[str]:
    """The visible texts that need more lines than their label has room for."""
    cut = []
    for label in wizard.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        needed = label.heightForWidth(label.width()) if label.wordWrap() else -1
        if needed > label.height() or label.sizeHint().width() > label.width() + 1:
            cut.append(label.text())
    return cut


def test_the_recovery_page_warning_wraps_and_is_shown_to_its_last_word(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    wizard = SetupWizard(Profile(tmp_path / "perfil"), MemoryKeyring())
    qtbot.addWidget(wizard)
    wizard.setStartId(wizard.recovery_id)
    wizard.show()
    wizard.restart()
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.recovery_id)
    qtbot.waitExposed(wizard)
    warning = QApplication.translate(
        "RecoveryPage",
        "Esta chave abre o histórico num computador novo ou se o cofre de senhas do "
        "sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num "
        "pendrive guardado, nunca no próprio computador.",
    )
    shown = [
        label
        for label in wizard.findChildren(QLabel)
        if label.isVisible() and label.text() == warning
    ]
    assert len(shown) == 1, "the warning is shown once on the recovery page"
    label = shown[0]
    assert label.wordWrap()
    assert label.height() >= label.heightForWidth(label.width())  # every line, to "computador."
    assert wizard.rect().contains(label.mapTo(wizard, label.rect().bottomRight()))
    assert cut_labels(wizard) == []


@pytest.mark.parametrize("reconnecting", [False, True])
def test_the_connect_page_texts_are_shown_whole(
    qtbot: QtBot, tmp_path: Path, language: str, reconnecting: bool
) -> None:
    profile = Profile(tmp_path / "perfil")
    backend = MemoryKeyring()
    if reconnecting:
        from crm_whatsapp.workspace import Workspace

        Workspace.create(profile, backend)[0].close()
    wizard = SetupWizard(profile, backend)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    assert cut_labels(wizard) == []


# -- enrolling: the one-time code is spent only once everything local is known to work ------

CLI = str(Path(sys.executable).with_name("crm-whatsapp"))


def run_cli(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "CRM_WHATSAPP_HOME": str(home), **env}
    return subprocess.run([CLI, *args], env=environment, capture_output=True, text=True, timeout=60)


def device_state(stack: Stack, device_id: str) -> str:
    engine = stack.relay.server.config.app.relay.engine
    return next(d.state for d in list_devices(engine) if d.id == device_id)


def test_enroll_without_a_keyring_keeps_the_code_for_a_retry(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    device, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC caixa")
    home = tmp_path / "pc"
    failed = run_cli(
        home, "enroll", stack.url, code, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring"
    )
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    assert "cofre de senhas" in failed.stderr
    assert device_state(stack, device.id) == "pending"  # the relay did not spend the code
    assert not Profile(home).keys_file.exists()

    done = run_cli(home, "enroll", stack.url, code)  # the keyring is back: same code
    assert done.returncode == 0, done.stderr
    assert "CHAVE DE RECUPERAÇÃO" in done.stdout
    assert device_state(stack, device.id) == "enrolled"


def test_enroll_into_a_folder_that_cannot_be_written_keeps_the_code(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    device, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC caixa")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # even root cannot make a folder inside a file
    failed = run_cli(blocker / "pc", "enroll", stack.url, code)
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    assert "pasta do perfil" in failed.stderr
    assert device_state(stack, device.id) == "pending"


class TokenRefusingKeyring(MemoryKeyring):
    """Passes every probe but refuses the relay token: a keyring failing mid-enrollment."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if username.startswith("relay-token:"):
            raise OSError("keyring write failed")
        super().set_password(service, username, password)


def test_enroll_that_fails_after_the_exchange_says_exactly_what_to_do(
    stack: Stack,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pin_keyring: Any,
) -> None:
    device, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC caixa")
    home = tmp_path / "pc"
    monkeypatch.setenv("CRM_WHATSAPP_HOME", str(home))
    with pin_keyring(TokenRefusingKeyring()):
        status = cli.main(["enroll", stack.url, code])
    out, err = capsys.readouterr()
    assert status != 0
    assert "Traceback" not in err and "CHAVE" not in out
    sentence = err.strip()
    assert len(sentence.splitlines()) == 1
    assert "já foi usado" in sentence
    assert "crm-whatsapp-relay device add" in sentence
    assert f"crm-whatsapp-relay device revoke {device.id}" in sentence
    assert device_state(stack, device.id) == "enrolled"  # what the sentence tells to revoke
    # Nothing half-made stays behind: a retry with a new code starts afresh and shows the key.
    assert not Profile(home).keys_file.exists()


def test_the_wizard_without_a_keyring_keeps_the_code_for_a_retry(
    stack: Stack, qloop: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    device, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC recepção")
    profile = Profile(tmp_path / "perfil")
    wizard = SetupWizard(profile, FailKeyring(), relay_url=stack.url)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.connect_page
    page.code_edit.setText(code)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=20_000)
    assert "cofre de senhas" in page.error_label.text()
    assert device_state(stack, device.id) == "pending"
    assert not profile.keys_file.exists()


# -- the inbox window: nothing opens or is read that the attendant did not choose -----------

ANA, BRUNO, CARLA = "5511911110001", "5511922220002", "5511933330003"


@pytest.fixture
def desk_name() -> str:
    """The ``desk`` fixture's window belongs to this story's attendant."""
    return "Atendente"


def customers_write(qtbot: QtBot, office: DemoStack, desk: Desk, *wa_ids: str) -> list[str]:
    """Each customer sends one message, a minute apart, oldest first (Meta's clock counts
    seconds); returns the wamids once all are listed."""
    start = time.time() - 60 * (len(wa_ids) + 1)
    wamids = [
        office.say(wa_id, text=f"Oi, aqui é {wa_id[-4:]}", timestamp=start + 60 * n)
        for n, wa_id in enumerate(wa_ids)
    ]
    qtbot.waitUntil(lambda: desk.window.list_model.rowCount() == len(wa_ids), timeout=15_000)
    return wamids


def unread(desk: Desk, wa_id: str) -> int:
    conversation_id = desk.conversation_for(wa_id)
    assert conversation_id is not None
    return int(desk.session.history.conversations(1, ids=[conversation_id])[0]["unread"])


def list_rect(desk: Desk, wa_id: str) -> Any:
    row = desk.window.list_model.row_of(desk.conversation_for(wa_id) or -1)
    assert row >= 0
    return desk.window.list_view.visualRect(desk.window.list_model.index(row))


def click_row(qtbot: QtBot, desk: Desk, wa_id: str) -> None:
    viewport = desk.window.list_view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=list_rect(desk, wa_id).center())


def test_resolving_the_open_conversation_opens_no_other_customer(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    wamids = dict(zip((ANA, BRUNO), customers_write(qtbot, office, desk, ANA, BRUNO), strict=True))
    click_row(qtbot, desk, ANA)
    ana = desk.conversation_for(ANA)
    qtbot.waitUntil(lambda: window.current == ana)
    qtbot.waitUntil(lambda: wamids[ANA] in office.sim.read_receipts, timeout=10_000)

    window.header.status_chosen.emit("resolved")  # the view shows open conversations only
    qtbot.waitUntil(lambda: window.list_model.row_of(ana or -1) < 0, timeout=10_000)
    assert window.current is None  # an empty thread, not Bruno's conversation
    assert window.thread_model.rowCount() == 0
    assert not window.composer.isEnabled()
    assert not window.list_view.currentIndex().isValid()
    assert unread(desk, BRUNO) == 1
    assert wamids[BRUNO] not in office.sim.read_receipts

    click_row(qtbot, desk, BRUNO)  # the attendant chooses the next one
    qtbot.waitUntil(lambda: window.current == desk.conversation_for(BRUNO))
    qtbot.waitUntil(lambda: wamids[BRUNO] in office.sim.read_receipts, timeout=10_000)


def preview(desk: Desk, wa_id: str) -> str:
    model = desk.window.list_model
    row = model.row_of(desk.conversation_for(wa_id) or -1)
    return str(model.index(row).data(ListRole.Row)["preview"]) if row >= 0 else ""


def test_the_row_under_the_pointer_stays_put_until_the_pointer_leaves_the_list(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    customers_write(qtbot, office, desk, ANA, BRUNO, CARLA)  # listed Carla, Bruno, Ana
    viewport = window.list_view.viewport()
    aim = list_rect(desk, BRUNO).center()
    qtbot.mouseMove(viewport, aim)

    office.say(ANA, text="Mais uma pergunta")  # Ana's row would jump to the top
    qtbot.waitUntil(lambda: preview(desk, ANA) == "Mais uma pergunta", timeout=15_000)
    assert list_rect(desk, BRUNO).contains(aim)  # updated in place, nothing moved
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=aim)
    qtbot.waitUntil(lambda: window.current is not None)
    assert window.current == desk.conversation_for(BRUNO)

    qtbot.mouseMove(window.thread_view.viewport(), window.thread_view.viewport().rect().center())
    qtbot.waitUntil(lambda: window.list_model.row_of(desk.conversation_for(ANA) or -1) == 0)
    assert window.list_view.currentIndex().data(ListRole.Id) == window.current  # still Bruno


def test_a_pointer_resting_on_the_list_holds_the_order_only_for_a_while(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    window.list_hold.setInterval(300)  # ten seconds in use; the rule, not the figure
    customers_write(qtbot, office, desk, ANA, BRUNO)
    qtbot.mouseMove(window.list_view.viewport(), list_rect(desk, BRUNO).center())
    office.say(ANA, text="Alguém aí?")
    qtbot.waitUntil(lambda: preview(desk, ANA) == "Alguém aí?", timeout=15_000)
    assert window.list_model.row_of(desk.conversation_for(ANA) or -1) == 1  # held
    qtbot.waitUntil(lambda: window.list_model.row_of(desk.conversation_for(ANA) or -1) == 0)


def open_by_click(qtbot: QtBot, office: DemoStack, desk: Desk, wa_id: str) -> int:
    customers_write(qtbot, office, desk, wa_id)
    click_row(qtbot, desk, wa_id)
    conversation_id = desk.conversation_for(wa_id)
    assert conversation_id is not None
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    qtbot.waitUntil(lambda: unread(desk, wa_id) == 0)
    qtbot.waitUntil(lambda: len(office.sim.read_receipts) == 1, timeout=10_000)
    # The relay echoes the receipt to every desktop (it zeroes the badge): let it land first.
    head = office.relay_server.server.config.app.relay.log.head
    qtbot.waitUntil(lambda: desk.session.history.cursor() >= head, timeout=10_000)
    qtbot.mouseMove(desk.window.composer.edit)  # off the list
    return conversation_id


def arrives_unseen(qtbot: QtBot, office: DemoStack, desk: Desk, wa_id: str, text: str) -> str:
    """A message reaches the open thread while the window is not active: it stays unread."""
    assert not desk.window.isActiveWindow()
    wamid = office.say(wa_id, text=text)
    qtbot.waitUntil(lambda: preview(desk, wa_id) == text, timeout=15_000)
    assert any(
        desk.window.thread_model.index(i).data(ThreadRole.Row).get("text") == text
        for i in range(desk.window.thread_model.rowCount())
    )
    assert unread(desk, wa_id) == 1 and wamid not in office.sim.read_receipts
    return wamid


def test_a_message_that_arrived_behind_a_dialog_is_read_when_the_window_is_back(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    open_by_click(qtbot, office, desk, ANA)
    window.header.note_clicked.emit()  # "Nota interna": a dialog takes the focus
    dialog = window.team_actions.dialog
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and not window.isActiveWindow())
    wamid = arrives_unseen(qtbot, office, desk, ANA, "Vocês abrem sábado?")

    dialog.reject()
    window.activateWindow()  # what the window manager does when the dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: unread(desk, ANA) == 0)
    qtbot.waitUntil(lambda: wamid in office.sim.read_receipts, timeout=10_000)


def test_replying_reads_the_customers_messages(office: DemoStack, desk: Desk, qtbot: QtBot) -> None:
    window = desk.window
    open_by_click(qtbot, office, desk, ANA)
    elsewhere = QWidget()  # another program has the focus
    qtbot.addWidget(elsewhere)
    elsewhere.show()
    elsewhere.activateWindow()
    qtbot.waitUntil(lambda: not window.isActiveWindow())
    wamid = arrives_unseen(qtbot, office, desk, ANA, "Tem estacionamento?")

    window.composer.edit.setFocus()
    qtbot.keyClicks(window.composer.edit, "Temos sim, na rua de tras.")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: unread(desk, ANA) == 0)
    qtbot.waitUntil(lambda: wamid in office.sim.read_receipts, timeout=10_000)
