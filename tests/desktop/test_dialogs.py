"""The first-run wizard, the settings dialog, the template dialog and the preferences file.

The wizard is driven like a person would (typing, clicking) against a real
relay and Meta simulator on loopback (the ``stack`` fixture); its slow work
runs in a thread started from a task on a qasync loop that Qt drives
("Pattern A": the loop is registered as running, never run or stopped).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from pathlib import Path
from typing import Any

import pytest
import qasync
from conftest import MemoryKeyring, Stack
from keyring.compat import properties
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QWizard

from crm_whatsapp.domain.templates import (
    build_template_body,
    fill,
    needs_extra_parameters,
    placeholders,
)
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import SERVICE, KeyStore
from crm_whatsapp.settings import (
    SETTINGS_FILE,
    Preferences,
    load_preferences,
    save_preferences,
)
from crm_whatsapp.ui.settings_dialog import SettingsDialog, quick_reply_changes
from crm_whatsapp.ui.template_dialog import TemplateDialog
from crm_whatsapp.ui.wizard import SetupWizard, normalise_relay_url
from crm_whatsapp.workspace import DEVICE_FILE, Workspace, load_device
from relay.devices import add_device
from relay.simulator.server import TEMPLATES

WRONG_CODE_SENTENCE = "O código de ativação é inválido, já foi usado ou expirou."


def template(name: str) -> dict[str, Any]:
    return next(t for t in TEMPLATES if t["name"] == name)


def new_code(stack: Stack, name: str = "PC recepção") -> str:
    _, code, _ = add_device(stack.relay.server.config.app.relay.engine, name)
    return code


# -- preferences ---------------------------------------------------------------------------


def test_preferences_round_trip(tmp_path: Path) -> None:
    """What the attendant chose is what the next start reads."""
    prefs = Preferences(
        language="en",
        theme="dark",
        notifications=False,
        sound=False,
        copilot_enabled=False,
        copilot_base_url="https://modelo.exemplo.com.br/v1",
        copilot_model="sabiá-3",
        redact_personal_data=False,
    )
    save_preferences(tmp_path, prefs)
    assert load_preferences(tmp_path) == prefs
    assert json.loads((tmp_path / SETTINGS_FILE).read_text(encoding="utf-8"))["theme"] == "dark"
    assert [p.name for p in tmp_path.iterdir()] == [SETTINGS_FILE]  # no temp file left


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b'"texto"', b""],
    ids=["broken-json", "not-utf8", "list", "string", "empty"],
)
def test_damaged_preferences_fall_back_to_defaults(tmp_path: Path, content: bytes) -> None:
    """A damaged settings file never keeps the inbox from starting."""
    (tmp_path / SETTINGS_FILE).write_bytes(content)
    assert load_preferences(tmp_path) == Preferences()


def test_missing_preferences_and_bad_values_use_defaults(tmp_path: Path) -> None:
    """Missing file: defaults; a wrong value falls back for that field only."""
    assert load_preferences(tmp_path / "nada") == Preferences()
    (tmp_path / SETTINGS_FILE).write_text(
        json.dumps({"theme": "roxo", "language": "pt_BR", "sound": "sim", "extra": 1})
    )
    assert load_preferences(tmp_path) == Preferences(language="pt_BR")


# -- templates without a window ------------------------------------------------------------


def test_positional_template_body() -> None:
    """{{1}} placeholders become body parameters in number order."""
    t = template("retomar_conversa")
    assert placeholders(t) == ["1"]
    assert fill(t, {"1": "Ana"}) == "Olá Ana, podemos continuar nosso atendimento?"
    assert build_template_body(t, {"1": " Ana  Souza "}) == {
        "type": "template",
        "template": {
            "name": "retomar_conversa",
            "language": {"code": "pt_BR"},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": "Ana Souza"}]}],
        },
    }
    swapped = {
        "name": "x",
        "language": "pt_BR",
        "components": [{"type": "BODY", "text": "{{2}} {{1}} {{2}}"}],
    }
    assert placeholders(swapped) == ["1", "2"]
    assert not needs_extra_parameters(t)


def test_named_template_body() -> None:
    """{{nome}} placeholders carry their parameter_name, in the order of the text."""
    t = template("lembrete_visita")
    assert placeholders(t) == ["nome", "data", "hora"]
    body = build_template_body(t, {"nome": "Ana", "data": "12/12", "hora": "15h"})
    assert body["template"]["components"] == [
        {
            "type": "body",
            "parameters": [
                {"type": "text", "text": "Ana", "parameter_name": "nome"},
                {"type": "text", "text": "12/12", "parameter_name": "data"},
                {"type": "text", "text": "15h", "parameter_name": "hora"},
            ],
        }
    ]
    with pytest.raises(ValueError):
        build_template_body(t, {"nome": "Ana", "data": "  "})


def test_template_without_placeholders_and_with_a_location_header() -> None:
    """No placeholders: no components; a location header is flagged as not sendable here."""
    plain = {"name": "ok", "language": "pt_BR", "components": [{"type": "BODY", "text": "Oi!"}]}
    assert placeholders(plain) == []
    assert build_template_body(plain, {}) == {
        "type": "template",
        "template": {"name": "ok", "language": {"code": "pt_BR"}},
    }
    where = {
        **plain,
        "components": [{"type": "HEADER", "format": "LOCATION"}, *plain["components"]],
    }
    assert needs_extra_parameters(where)


# -- the template dialog -------------------------------------------------------------------


def test_template_dialog_sends_only_when_filled(qtbot: Any) -> None:
    """Send stays disabled until every placeholder has text; then the body is emitted."""
    dialog = TemplateDialog(TEMPLATES)
    qtbot.addWidget(dialog)
    dialog.show()
    row = [t["name"] for t in TEMPLATES].index("lembrete_visita")
    rect = dialog.list.visualItemRect(dialog.list.item(row))
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.current is not None and dialog.current["name"] == "lembrete_visita"
    assert list(dialog.fields) == ["nome", "data", "hora"]
    assert "{{nome}}" in dialog.body_label.text()
    assert not dialog.send_button.isEnabled()

    qtbot.keyClicks(dialog.fields["nome"], "Ana")
    qtbot.keyClicks(dialog.fields["data"], "12/12")
    assert not dialog.send_button.isEnabled()
    assert "Oi Ana, lembrando da sua visita em 12/12 às {{hora}}." in dialog.preview_label.text()
    qtbot.keyClicks(dialog.fields["hora"], "15h")
    assert dialog.send_button.isEnabled()
    assert dialog.preview_label.text() == "Oi Ana, lembrando da sua visita em 12/12 às 15h."

    with qtbot.waitSignal(dialog.template_chosen, timeout=2000) as sent:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert sent.args == [
        build_template_body(
            template("lembrete_visita"), {"nome": "Ana", "data": "12/12", "hora": "15h"}
        ),
        None,  # no header file to upload
    ]
    assert sent.args[0]["template"]["name"] == "lembrete_visita"
    assert not dialog.isVisible()


def test_template_dialog_positional(qtbot: Any) -> None:
    """The first template is selected at once; {{1}} gets one field labelled by it."""
    dialog = TemplateDialog(TEMPLATES)
    qtbot.addWidget(dialog)
    dialog.show()
    assert list(dialog.fields) == ["1"]
    label = dialog.form.labelForField(dialog.fields["1"])
    assert label is not None and label.text() == "{{1}}"
    assert not dialog.send_button.isEnabled()
    qtbot.keyClicks(dialog.fields["1"], "Ana")
    with qtbot.waitSignal(dialog.template_chosen, timeout=2000) as sent:
        qtbot.keyClick(dialog.fields["1"], Qt.Key.Key_Return)
    assert sent.args[0]["template"]["components"][0]["parameters"] == [
        {"type": "text", "text": "Ana"}
    ]


HOSTILE_TEMPLATE = {
    "name": "<img src=/nonexistent.png>",
    "language": "pt_BR",
    "category": "<b>MARKETING</b> &lt;",
    "status": "APPROVED",
    "components": [
        {"type": "BODY", "text": "Oi {{1}}, <a href=file:///etc/passwd>veja</a>"},
        {
            "type": "BUTTONS",
            "buttons": [
                {"type": "URL", "text": "<b>Pagar</b> & ver", "url": "https://x.example/{{1}}"}
            ],
        },
    ],
}


def shown_tooltip(tip: str) -> str:
    """What Qt shows for ``tip``: it guesses rich text, and then images and links must not be."""
    if not QtGui.Qt.mightBeRichText(tip):  # QtGui's Qt namespace has the guess
        return tip
    doc = QTextDocument()
    doc.setHtml(tip)
    assert not [f for f in doc.allFormats() if f.isImageFormat()], tip
    assert not [f for f in doc.allFormats() if f.isCharFormat() and f.toCharFormat().isAnchor()]
    return doc.toPlainText()


def test_template_dialog_shows_a_relayed_template_as_written(qtbot: Any) -> None:
    """Names, categories and button texts come from the relay: shown as text, never as HTML."""
    dialog = TemplateDialog([HOSTILE_TEMPLATE])
    qtbot.addWidget(dialog)
    tip = shown_tooltip(dialog.list.item(0).toolTip())
    assert tip == "<img src=/nonexistent.png> · pt_BR · <b>MARKETING</b> &lt;"
    assert dialog.body_label.textFormat() == Qt.TextFormat.PlainText
    label = dialog.form.labelForField(dialog.button_fields[0])
    assert isinstance(label, QLabel)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text().replace("&&", "&") == "Botão “<b>Pagar</b> & ver”"
    for caption in dialog.findChildren(QLabel):
        assert caption.textFormat() == Qt.TextFormat.PlainText, caption.text()


# -- the settings dialog -------------------------------------------------------------------


def test_settings_dialog_saves_and_emits(qtbot: Any, tmp_path: Path) -> None:
    """OK saves the preferences, emits them, and reports quick reply changes once each."""
    calls: list[tuple[str, str | None]] = []
    dialog = SettingsDialog(
        Preferences(),
        tmp_path,
        relay_url="https://relay.escritorio.com.br",
        device_name="Recepção",
        quick_replies=[("bomdia", "Bom dia! Como posso ajudar?"), ("pix", "Nossa chave Pix é…")],
        save_quick_reply=lambda s, t: calls.append((s, t)),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.relay_edit.isReadOnly() and dialog.relay_edit.text().startswith("https://")
    assert dialog.replies_table.rowCount() == 2

    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    dialog.retention_combo.setCurrentIndex(dialog.retention_combo.findData(24))
    qtbot.keyClick(dialog.sound_check, Qt.Key.Key_Space)
    assert not dialog.sound_check.isChecked()

    qtbot.keyClicks(dialog.shortcut_edit, "horario")
    qtbot.keyClicks(dialog.reply_text_edit, "Atendemos das 8h ")
    dialog.reply_text_edit.insertPlainText("às 18h.")  # QTest types ASCII only
    qtbot.mouseClick(dialog.save_reply_button, Qt.MouseButton.LeftButton)
    assert dialog.replies_table.rowCount() == 3

    dialog.replies_table.selectRow(dialog._row_of("pix"))
    assert dialog.shortcut_edit.text() == "pix"
    qtbot.mouseClick(dialog.remove_reply_button, Qt.MouseButton.LeftButton)
    assert dialog.replies_table.rowCount() == 2

    with qtbot.waitSignal(dialog.preferences_changed, timeout=2000) as changed:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    expected = Preferences(language="en", theme="dark", sound=False, retention_months=24)
    assert changed.args == [expected]
    assert load_preferences(tmp_path) == expected
    assert sorted(calls, key=str) == [("horario", "Atendemos das 8h às 18h."), ("pix", None)]


def test_a_quick_reply_shows_in_its_tooltip_as_written(qtbot: Any, tmp_path: Path) -> None:
    text = "<img src=/nonexistent.png> <b>oi</b> &lt;\nsegunda linha"
    dialog = SettingsDialog(
        Preferences(),
        tmp_path,
        relay_url="https://relay.escritorio.com.br",
        device_name="Recepção",
        quick_replies=[("oi", text)],
        save_quick_reply=lambda s, t: None,
    )
    qtbot.addWidget(dialog)
    item = dialog.replies_table.item(0, 1)
    assert item is not None
    assert shown_tooltip(item.toolTip()) == text


def test_settings_dialog_cancel_changes_nothing(qtbot: Any, tmp_path: Path) -> None:
    """Cancel writes no file, emits nothing and sends no quick reply change."""
    calls: list[tuple[str, str | None]] = []
    dialog = SettingsDialog(
        Preferences(),
        tmp_path,
        quick_replies=[("a", "b")],
        save_quick_reply=lambda s, t: calls.append((s, t)),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("light"))
    with qtbot.assertNotEmitted(dialog.preferences_changed):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel),
            Qt.MouseButton.LeftButton,
        )
    assert not (tmp_path / SETTINGS_FILE).exists()
    assert calls == []
    assert quick_reply_changes([("a", "b")], [("a", "c")]) == [("a", "c")]


# -- the first-run wizard against a real relay ---------------------------------------------


def fill_connect_page(qtbot: Any, wizard: SetupWizard, code: str, name: str) -> None:
    page = wizard.connect_page
    page.code_edit.clear()
    qtbot.keyClicks(page.code_edit, code)
    page.name_edit.clear()
    typed = next((i for i, ch in enumerate(name) if not ch.isascii()), len(name))
    qtbot.keyClicks(page.name_edit, name[:typed])
    page.name_edit.insert(name[typed:])  # QTest types ASCII only


def test_wizard_enrolls_and_shows_recovery_key(
    stack: Stack,
    qloop: qasync.QEventLoop,
    qtbot: Any,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    """Wrong code: a Portuguese sentence on page 1; right code: key shown, device saved."""
    profile = Profile(tmp_path / "perfil")
    wizard = SetupWizard(profile, memory_keyring, relay_url=stack.url)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.connect_page
    assert page.url_edit.text() == stack.url
    assert page.name_edit.text()  # prefilled with the user / computer name
    commit = wizard.button(QWizard.WizardButton.CommitButton)

    # A wrong code: the relay refuses, the page says why, nothing is created.
    fill_connect_page(qtbot, wizard, "AAAA-BBBB-CCCC", "Recepção")
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=20000)
    assert page.error_label.text() == WRONG_CODE_SENTENCE
    assert wizard.currentId() == wizard.connect_id
    assert not profile.keys_file.exists()
    assert commit.isEnabled()

    # The right code.
    code = new_code(stack)
    fill_connect_page(qtbot, wizard, code, "Recepção")
    qtbot.mouseClick(commit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentId() == wizard.recovery_id, timeout=20000)
    assert not page.error_label.isVisible()

    recovery = wizard.recovery_page
    shown = recovery.key_label.text()
    assert recovery.formatted
    assert shown.replace("\n", "-") == recovery.formatted  # two lines of seven groups
    # The key shown really opens this profile.
    keys = KeyStore(profile, memory_keyring).unlock_with_recovery(shown)
    assert keys == KeyStore(profile, memory_keyring).unlock()

    qtbot.mouseClick(recovery.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == recovery.formatted
    sheet = tmp_path / "chave.txt"
    assert recovery.save_to(sheet)
    assert recovery.formatted in sheet.read_text(encoding="utf-8")

    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible() and not finish.isEnabled()
    wizard.reject()  # Esc / close box: the key is shown once, so the wizard stays
    assert wizard.isVisible()
    qtbot.keyClick(recovery.confirm, Qt.Key.Key_Space)
    assert recovery.confirm.isChecked() and finish.isEnabled()
    with qtbot.waitSignal(wizard.finished_ok, timeout=5000):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)

    workspace, device = wizard.result_workspace, wizard.result_device
    assert workspace is not None and device is not None
    try:
        assert device.relay_url == stack.url and device.name == "Recepção"
        token_entry = (SERVICE, f"relay-token:{workspace.keys.profile_id}")
        assert memory_keyring.entries[token_entry] == device.token
        info = json.loads((profile.root / DEVICE_FILE).read_text())
        assert info == {"relay_url": stack.url, "device_id": device.device_id, "name": "Recepção"}
        assert device.token not in (profile.root / DEVICE_FILE).read_text()
        assert load_device(profile, workspace.keys, memory_keyring) == device
    finally:
        workspace.close()


def test_wizard_reconnects_an_existing_profile(
    stack: Stack,
    qloop: qasync.QEventLoop,
    qtbot: Any,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    """A profile that already has keys is opened, not recreated; page 1 finishes the wizard."""
    profile = Profile(tmp_path / "perfil")
    existing, _ = Workspace.create(profile, memory_keyring)
    existing.close()
    wizard = SetupWizard(profile, memory_keyring, relay_url=stack.url)
    qtbot.addWidget(wizard)
    wizard.show()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "Conectar"
    fill_connect_page(qtbot, wizard, new_code(stack), "Caixa")
    with qtbot.waitSignal(wizard.finished_ok, timeout=20000):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert wizard.recovery is None
    assert wizard.result_workspace is not None and wizard.result_device is not None
    try:
        assert wizard.result_workspace.keys == KeyStore(profile, memory_keyring).unlock()
        assert load_device(profile, wizard.result_workspace.keys, memory_keyring).name == "Caixa"
    finally:
        wizard.result_workspace.close()


class TokenRefusingKeyring(MemoryKeyring):
    """Stores the profile key but refuses the relay token, as a keyring failing mid-set-up."""

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test-only backend; set it explicitly")

    def set_password(self, service: str, username: str, password: str) -> None:
        if username.startswith("relay-token:"):
            raise OSError("keyring write failed")
        super().set_password(service, username, password)


def test_wizard_failure_after_profile_creation_is_rolled_back_on_cancel(
    stack: Stack, qloop: qasync.QEventLoop, qtbot: Any, tmp_path: Path
) -> None:
    """The keyring fails saving the token: a clear sentence; Cancel removes the empty profile."""
    backend = TokenRefusingKeyring()
    profile = Profile(tmp_path / "perfil")
    wizard = SetupWizard(profile, backend, relay_url=stack.url)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_connect_page(qtbot, wizard, new_code(stack), "Recepção")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CommitButton), Qt.MouseButton.LeftButton)
    page = wizard.connect_page
    qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=20000)
    assert "cofre de senhas" in page.error_label.text()
    assert "Traceback" not in page.error_label.text()
    assert wizard.currentId() == wizard.connect_id
    assert profile.keys_file.exists()  # created, but the device was not saved

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    assert wizard.result_workspace is None and wizard.result_device is None
    assert not profile.keys_file.exists()
    assert not profile.database.exists()
    assert not any(user.startswith("profile:") for _, user in backend.entries)


def test_relay_address_without_scheme_gets_https() -> None:
    assert normalise_relay_url(" relay.escritorio.com.br/ ") == "https://relay.escritorio.com.br"
    assert normalise_relay_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
