"""Defects a new attendant hit in the first hour, each driven the way the attendant met it.

The first-run wizard's texts, enrolling a PC when the keyring is missing, and the
inbox window (relay and Meta simulator on loopback): resolving the open
conversation, the list re-sorting under the mouse, and messages read behind a
dialog.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWizard
from pytestqt.qtbot import QtBot

from crm_whatsapp.profile import Profile
from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.wizard import SetupWizard

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
