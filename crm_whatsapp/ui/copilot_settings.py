"""The settings dialog's Copilot page: engines, the model's address and key, notes, rates.

The page edits :class:`Preferences` fields like the other tabs; what is not
a preference goes through a :class:`CopilotBackend`: the API key (OS
keyring), the office's knowledge notes (the encrypted history), the
acceptance rates, and the "Testar conexão" button, which tries the form's
values before they are saved. Without a backend (a dialog opened before
the inbox is), those fields are hidden rather than shown doing nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.settings import Preferences
from crm_whatsapp.store.copilot_log import Acceptance

KNOWLEDGE_MAX_CHARS = 8000


class CopilotBackend(Protocol):
    """What the page needs beyond the preferences (see ``copilot.office.OfficeSettings``)."""

    def api_key(self) -> str: ...

    def save_api_key(self, key: str) -> None: ...

    def knowledge(self) -> str: ...

    def save_knowledge(self, text: str) -> None: ...

    def acceptance(self) -> list[Acceptance]: ...

    def test_connection(self, prefs: Preferences, api_key: str) -> Awaitable[str]: ...


class CopilotPage(QWidget):
    """The Copilot tab; :meth:`load`, :meth:`apply_to` and :meth:`save` follow the dialog."""

    def __init__(self, backend: CopilotBackend | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self._test: asyncio.Task[None] | None = None
        self.copilot_check = QCheckBox(self.tr("Sugerir respostas com o Copilot"), self)
        self.model_check = QCheckBox(
            self.tr("Usar também um modelo de IA (OpenAI ou compatível: Ollama, vLLM…)"), self
        )
        self.copilot_url_edit = QLineEdit(self)
        self.copilot_url_edit.setPlaceholderText(self.tr("https://api.exemplo.com/v1"))
        self.copilot_model_edit = QLineEdit(self)
        self.copilot_model_edit.setPlaceholderText(self.tr("nome do modelo"))
        self.key_edit = QLineEdit(self)
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("guardada no cofre de senhas do sistema"))
        self.redact_check = QCheckBox(
            self.tr("Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo"),
            self,
        )
        self.test_button = QPushButton(self.tr("Testar conexão"), self)
        self.test_button.clicked.connect(self.test_connection)
        self.test_label = QLabel(self)
        self.test_label.setTextFormat(Qt.TextFormat.PlainText)
        self.test_label.setWordWrap(True)
        self.knowledge_edit = QPlainTextEdit(self)
        self.knowledge_edit.setPlaceholderText(
            self.tr(
                "Horários, preços, endereços, políticas: o que o modelo pode citar. "
                "Ele não inventa o que não estiver aqui."
            )
        )
        self.knowledge_edit.setMaximumHeight(120)
        self.rates_label = QLabel(self)
        self.rates_label.setTextFormat(Qt.TextFormat.PlainText)
        self.rates_label.setWordWrap(True)

        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_label, 1)
        form = QFormLayout(self)
        form.addRow(self.copilot_check)
        form.addRow(self.model_check)
        form.addRow(self.tr("Endereço da API:"), self.copilot_url_edit)
        form.addRow(self.tr("Modelo:"), self.copilot_model_edit)
        form.addRow(self.tr("Chave da API:"), self.key_edit)
        form.addRow(self.redact_check)
        form.addRow(test_row)
        form.addRow(self.tr("Informações do escritório:"), self.knowledge_edit)
        form.addRow(self.rates_label)
        self.copilot_check.toggled.connect(self._toggled)
        self.model_check.toggled.connect(self._toggled)
        for widget in (self.key_edit, self.test_button, self.test_label, self.knowledge_edit):
            widget.setVisible(backend is not None)
        self.rates_label.setVisible(backend is not None)

    # -- the dialog's cycle ---------------------------------------------------------------

    def load(self, prefs: Preferences) -> None:
        self.copilot_check.setChecked(prefs.copilot_enabled)
        self.model_check.setChecked(prefs.copilot_model_enabled)
        self.copilot_url_edit.setText(prefs.copilot_base_url)
        self.copilot_model_edit.setText(prefs.copilot_model)
        self.redact_check.setChecked(prefs.redact_personal_data)
        if self.backend is not None:
            self.key_edit.setText(self.backend.api_key())
            self.knowledge_edit.setPlainText(self.backend.knowledge())
            self.rates_label.setText(self.rates_text(self.backend.acceptance()))
        self._toggled()

    def apply_to(self, prefs: Preferences) -> Preferences:
        """``prefs`` with this page's fields as the form shows them."""
        return dataclasses.replace(
            prefs,
            copilot_enabled=self.copilot_check.isChecked(),
            copilot_model_enabled=self.model_check.isChecked(),
            copilot_base_url=self.copilot_url_edit.text().strip(),
            copilot_model=self.copilot_model_edit.text().strip(),
            redact_personal_data=self.redact_check.isChecked(),
        )

    def save(self) -> None:
        """Keep the key and the notes (raises KeyProblem or a store error; the dialog says so)."""
        if self.backend is None:
            return
        self.backend.save_api_key(self.key_edit.text().strip())
        self.backend.save_knowledge(self.knowledge_edit.toPlainText()[:KNOWLEDGE_MAX_CHARS])

    def _toggled(self, _checked: bool = False) -> None:
        on = self.copilot_check.isChecked()
        self.model_check.setEnabled(on)
        model = on and self.model_check.isChecked()
        for widget in (
            self.copilot_url_edit,
            self.copilot_model_edit,
            self.key_edit,
            self.redact_check,
            self.test_button,
            self.knowledge_edit,
        ):
            widget.setEnabled(model)

    # -- what the page shows --------------------------------------------------------------

    def rates_text(self, rates: list[Acceptance]) -> str:
        """The acceptance rate per engine over the last 30 days, in one short paragraph."""
        if not rates:
            return self.tr("Nenhuma sugestão mostrada nos últimos 30 dias.")
        names = {"local": self.tr("histórico da equipe"), "model": self.tr("modelo de IA")}
        lines = [
            self.tr(
                "{0}: {1}% de {2} sugestões aproveitadas ({3} como estavam, {4} editadas)"
            ).format(names.get(r.engine, r.engine), round(100 * r.rate), r.shown, r.used, r.edited)
            for r in rates
        ]
        return self.tr("Últimos 30 dias — ") + "; ".join(lines) + "."

    def test_connection(self) -> None:
        """Try the form's values now (before OK), and say what happened beside the button."""
        if self.backend is None or (self._test is not None and not self._test.done()):
            return
        self.test_label.setText(self.tr("Testando…"))
        self._test = spawn(self._run_test(), "copilot-test")

    async def _run_test(self) -> None:
        assert self.backend is not None
        prefs = self.apply_to(Preferences())
        prefs = dataclasses.replace(prefs, copilot_enabled=True, copilot_model_enabled=True)
        sentence = await self.backend.test_connection(prefs, self.key_edit.text().strip())
        self.test_label.setText(sentence)
