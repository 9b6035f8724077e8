"""The "CRM" tab of the settings: each installed plugin on or off, its settings, logging on resolve.

Rendered from each plugin's settings schema (``plugin_api.Setting``), so a
third party's plugin gets its page without any UI code. A secret field
never shows what is saved: it says it holds something, and left blank it
keeps it. A plugin that cannot load is listed with its reason and cannot be
turned on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.crm.config import PluginConfig
from crm_whatsapp.crm.registry import Available


class PluginsBackend(Protocol):
    """What the page reads and saves (``crm.office.PluginSettings`` in the window)."""

    def installed(self) -> list[Available]: ...
    def config(self) -> PluginConfig: ...
    def has_secret(self, plugin: str, key: str) -> bool: ...
    def save(self, config: PluginConfig, values: Mapping[str, Mapping[str, str]]) -> None: ...


class PluginsPage(QScrollArea):
    """One group per installed plugin; :meth:`save` writes what the person changed."""

    def __init__(self, backend: PluginsBackend | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setWidgetResizable(True)
        content = QWidget()
        layout = QVBoxLayout(content)
        self.groups: dict[str, QGroupBox] = {}
        self.fields: dict[str, dict[str, QLineEdit]] = {}
        self.log_checks: dict[str, QCheckBox] = {}
        self.config = backend.config() if backend is not None else None
        installed = backend.installed() if backend is not None else []
        if not installed:
            empty = QLabel(
                self.tr(
                    "Nenhum plugin de CRM instalado. Os plugins do RD Station CRM, Kommo, "
                    "Pipedrive e HubSpot vêm com o programa; veja docs/plugins.md."
                ),
                content,
            )
            empty.setWordWrap(True)
            layout.addWidget(empty)
        for entry in installed:
            layout.addWidget(self._group(entry, content))
        layout.addStretch(1)
        self.setWidget(content)

    def _group(self, entry: Available, parent: QWidget) -> QGroupBox:
        group = QGroupBox(entry.title, parent)
        group.setCheckable(True)
        group.setChecked(self.config is not None and entry.name in self.config.enabled)
        self.groups[entry.name] = group
        form = QFormLayout(group)
        if entry.plugin is None:
            reason = QLabel(self.tr("Este plugin não pode ser usado: {0}.").format(entry.error))
            reason.setTextFormat(Qt.TextFormat.PlainText)
            reason.setWordWrap(True)
            form.addRow(reason)
            group.setChecked(False)
            group.setCheckable(False)
            return group
        saved = self.config.values.get(entry.name, {}) if self.config is not None else {}
        edits: dict[str, QLineEdit] = {}
        for setting in entry.plugin.settings:
            edit = QLineEdit(group)
            if setting.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                stored = self.backend is not None and self.backend.has_secret(
                    entry.name, setting.key
                )
                edit.setPlaceholderText(
                    self.tr("salvo no cofre do sistema (deixe em branco para manter)")
                    if stored
                    else ""
                )
            else:
                edit.setText(saved.get(setting.key, ""))
                edit.setPlaceholderText(setting.default)
            edit.setToolTip(setting.help)
            form.addRow(setting.label, edit)
            edits[setting.key] = edit
        self.fields[entry.name] = edits
        if "log_conversation" in entry.plugin.capabilities():
            check = QCheckBox(self.tr("Registrar a conversa no CRM ao resolver"), group)
            check.setChecked(self.config is not None and entry.name in self.config.log_on_resolve)
            form.addRow(check)
            self.log_checks[entry.name] = check
        return group

    def save(self) -> None:
        """Write the choices and values; raises what the keyring or the disk raised."""
        if self.backend is None or self.config is None:
            return
        for name, group in self.groups.items():
            if group.isCheckable():
                self.config.set_enabled(name, group.isChecked())
        for name, check in self.log_checks.items():
            if check.isChecked():
                self.config.log_on_resolve.add(name)
            else:
                self.config.log_on_resolve.discard(name)
        values = {
            name: {key: edit.text() for key, edit in edits.items()}
            for name, edits in self.fields.items()
        }
        self.backend.save(self.config, values)
