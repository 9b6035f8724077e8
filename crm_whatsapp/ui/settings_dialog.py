"""The settings dialog: language, theme, notifications, relay, quick replies, Copilot.

It edits a :class:`Preferences` value and, on OK, saves it to the profile and
emits :attr:`SettingsDialog.preferences_changed` with the new value; the
window applies the language and theme from that signal at once. Cancel
changes nothing.

Quick replies are shared by the whole team, so they are not preferences: the
dialog edits a copy of the injected list and, on OK, calls the injected
``save_quick_reply(shortcut, text)`` once per added or changed reply and
``save_quick_reply(shortcut, None)`` per removed one (a renamed shortcut is
one removal and one addition). The window turns those calls into team events.

Secrets (the relay token, a model's API key) are never shown or kept here.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.domain.richtext import plain_as_rich
from crm_whatsapp.settings import Preferences, save_preferences
from crm_whatsapp.ui.audit_settings import AuditPage
from crm_whatsapp.ui.copilot_settings import CopilotBackend, CopilotPage
from crm_whatsapp.ui.plugins_settings import PluginsBackend, PluginsPage
from crm_whatsapp.updates import DEFAULT_MANIFEST_URL, allowed_url
from crm_whatsapp.workspace import Workspace

log = logging.getLogger(__name__)

SaveQuickReply = Callable[[str, str | None], object]

ERROR_STYLE = "color: #D93025;"


def quick_reply_changes(
    before: Iterable[tuple[str, str]], after: Iterable[tuple[str, str]]
) -> list[tuple[str, str | None]]:
    """The ``(shortcut, text or None)`` calls that turn ``before`` into ``after``."""
    old, new = dict(before), dict(after)
    removed: list[tuple[str, str | None]] = [(s, None) for s in old if s not in new]
    changed: list[tuple[str, str | None]] = [(s, t) for s, t in new.items() if old.get(s) != t]
    return removed + changed


def normalise_shortcut(text: str) -> str:
    """A shortcut as stored: no surrounding or inner spaces (it is typed after "/")."""
    return "".join(text.split())


class SettingsDialog(QDialog):
    """Preferences in tabs; emits :attr:`preferences_changed` (a :class:`Preferences`) on OK."""

    preferences_changed = Signal(object)
    plugins_saved = Signal()  # the CRM tab's choices were written: the plugins restart

    def __init__(
        self,
        preferences: Preferences,
        profile_root: Path,
        *,
        relay_url: str = "",
        device_name: str = "",
        quick_replies: Iterable[tuple[str, str]] = (),
        save_quick_reply: SaveQuickReply | None = None,
        copilot: CopilotBackend | None = None,
        plugins: PluginsBackend | None = None,
        audit: Workspace | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Configurações"))
        self.initial = preferences
        self.profile_root = Path(profile_root)
        self.save_quick_reply = save_quick_reply
        self.initial_replies = [(str(s), str(t)) for s, t in quick_replies]
        self.result_preferences: Preferences | None = None

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._general_tab(), self.tr("Geral"))
        self.tabs.addTab(self._notifications_tab(), self.tr("Notificações"))
        self.tabs.addTab(self._relay_tab(relay_url, device_name), self.tr("Relay"))
        self.tabs.addTab(self._replies_tab(), self.tr("Respostas rápidas"))
        self.copilot_page = CopilotPage(copilot, self)
        # The page's widgets, under the names the other tabs' widgets have.
        self.copilot_check = self.copilot_page.copilot_check
        self.copilot_url_edit = self.copilot_page.copilot_url_edit
        self.copilot_model_edit = self.copilot_page.copilot_model_edit
        self.redact_check = self.copilot_page.redact_check
        self.tabs.addTab(self.copilot_page, self.tr("Copilot"))
        self.plugins_page = PluginsPage(plugins, self)
        self.tabs.addTab(self.plugins_page, self.tr("CRM"))
        self.audit_page = AuditPage(audit, self)
        self.tabs.addTab(self.audit_page, self.tr("Auditoria"))

        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("OK"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancelar"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.load(preferences)
        self.resize(560, 440)

    # -- tabs

    def _general_tab(self) -> QWidget:
        page = QWidget(self)
        self.language_combo = QComboBox(page)
        self.language_combo.addItem(self.tr("Sistema"), "system")
        # Language names in their own language, so anyone can find theirs.
        self.language_combo.addItem("Português (Brasil)", "pt_BR")
        self.language_combo.addItem("English", "en")
        self.theme_combo = QComboBox(page)
        self.theme_combo.addItem(self.tr("Sistema"), "system")
        self.theme_combo.addItem(self.tr("Claro"), "light")
        self.theme_combo.addItem(self.tr("Escuro"), "dark")
        # The office's retention policy (LGPD): older history is erased for good.
        self.retention_combo = QComboBox(page)
        self.retention_combo.setObjectName("retention")
        self.retention_combo.addItem(self.tr("Para sempre"), 0)
        for months in (6, 12, 24, 60):
            self.retention_combo.addItem(self.tr("{0} meses").format(months), months)
        form = QFormLayout(page)
        form.addRow(self.tr("Idioma:"), self.language_combo)
        form.addRow(self.tr("Tema:"), self.theme_combo)
        form.addRow(self.tr("Guardar o histórico:"), self.retention_combo)
        return page

    def _notifications_tab(self) -> QWidget:
        page = QWidget(self)
        self.notifications_check = QCheckBox(
            self.tr("Mostrar notificação na área de trabalho quando chegar mensagem"), page
        )
        self.sound_check = QCheckBox(self.tr("Tocar som ao chegar mensagem"), page)
        layout = QVBoxLayout(page)
        layout.addWidget(self.notifications_check)
        layout.addWidget(self.sound_check)
        layout.addStretch(1)
        return page

    def _relay_tab(self, relay_url: str, device_name: str) -> QWidget:
        page = QWidget(self)
        self.relay_edit = QLineEdit(relay_url, page)
        self.relay_edit.setReadOnly(True)
        self.device_edit = QLineEdit(device_name, page)
        self.device_edit.setReadOnly(True)
        note = QLabel(
            self.tr(
                "Para conectar este computador a outro relay, ou de novo ao mesmo, é preciso "
                "um código de ativação novo, gerado pelo administrador."
            ),
            page,
        )
        note.setWordWrap(True)
        # Where signed updates are announced (crm_whatsapp.updates); empty: the build's own.
        self.update_url_edit = QLineEdit(page)
        self.update_url_edit.setObjectName("update_url")
        self.update_url_edit.setPlaceholderText(DEFAULT_MANIFEST_URL or self.tr("Desligado"))
        form = QFormLayout(page)
        form.addRow(self.tr("Endereço do relay:"), self.relay_edit)
        form.addRow(self.tr("Nome deste computador:"), self.device_edit)
        form.addRow(note)
        form.addRow(self.tr("Endereço de atualizações:"), self.update_url_edit)
        return page

    def _replies_tab(self) -> QWidget:
        page = QWidget(self)
        self.replies_table = QTableWidget(0, 2, page)
        self.replies_table.setHorizontalHeaderLabels([self.tr("Atalho"), self.tr("Texto")])
        self.replies_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.replies_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.replies_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.replies_table.verticalHeader().hide()
        header = self.replies_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for shortcut, text in sorted(self.initial_replies):
            self._put_reply(shortcut, text)

        self.shortcut_edit = QLineEdit(page)
        self.shortcut_edit.setObjectName("quick_reply_shortcut")
        self.shortcut_edit.setPlaceholderText(self.tr("ex.: bomdia"))
        self.reply_text_edit = QPlainTextEdit(page)
        self.reply_text_edit.setObjectName("quick_reply_text")
        self.reply_text_edit.setPlaceholderText(self.tr("Texto enviado ao digitar /atalho"))
        self.reply_text_edit.setFixedHeight(80)

        self.new_reply_button = QPushButton(self.tr("Nova"), page)
        self.save_reply_button = QPushButton(self.tr("Salvar resposta"), page)
        self.remove_reply_button = QPushButton(self.tr("Remover"), page)
        self.new_reply_button.clicked.connect(self.new_reply)
        self.save_reply_button.clicked.connect(self.save_reply)
        self.remove_reply_button.clicked.connect(self.remove_reply)
        self.replies_table.itemSelectionChanged.connect(self._reply_selected)
        self.shortcut_edit.textChanged.connect(self._update_reply_buttons)
        self.reply_text_edit.textChanged.connect(self._update_reply_buttons)

        form = QFormLayout()
        form.addRow(self.tr("Atalho:"), self.shortcut_edit)
        form.addRow(self.tr("Texto:"), self.reply_text_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_reply_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_reply_button)
        buttons.addWidget(self.save_reply_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.replies_table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._editing: str | None = None
        self._update_reply_buttons()
        return page

    # -- preferences in and out

    def load(self, prefs: Preferences) -> None:
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(prefs.language)))
        self.theme_combo.setCurrentIndex(max(0, self.theme_combo.findData(prefs.theme)))
        if self.retention_combo.findData(prefs.retention_months) < 0:  # set by hand in the file
            self.retention_combo.addItem(
                self.tr("{0} meses").format(prefs.retention_months), prefs.retention_months
            )
        self.retention_combo.setCurrentIndex(self.retention_combo.findData(prefs.retention_months))
        self.notifications_check.setChecked(prefs.notifications)
        self.sound_check.setChecked(prefs.sound)
        self.update_url_edit.setText(prefs.update_url)
        self.copilot_page.load(prefs)

    def preferences(self) -> Preferences:
        """The preferences as the form shows them now."""
        prefs = dataclasses.replace(
            self.initial,
            language=self.language_combo.currentData(),
            theme=self.theme_combo.currentData(),
            retention_months=int(self.retention_combo.currentData()),
            notifications=self.notifications_check.isChecked(),
            sound=self.sound_check.isChecked(),
            update_url=self.update_url_edit.text().strip(),
        )
        return self.copilot_page.apply_to(prefs)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    # -- quick replies

    def quick_replies(self) -> list[tuple[str, str]]:
        """The replies as the table shows them now, by shortcut."""
        out = []
        for row in range(self.replies_table.rowCount()):
            shortcut = self.replies_table.item(row, 0)
            text = self.replies_table.item(row, 1)
            if shortcut is not None and text is not None:
                out.append((shortcut.text(), text.data(Qt.ItemDataRole.UserRole)))
        return sorted(out)

    def _row_of(self, shortcut: str) -> int:
        for row in range(self.replies_table.rowCount()):
            item = self.replies_table.item(row, 0)
            if item is not None and item.text() == shortcut:
                return row
        return -1

    def _put_reply(self, shortcut: str, text: str) -> int:
        row = self._row_of(shortcut)
        if row < 0:
            row = self.replies_table.rowCount()
            self.replies_table.insertRow(row)
            self.replies_table.setItem(row, 0, QTableWidgetItem(shortcut))
        shown = QTableWidgetItem(" ".join(text.split()))  # one line in the table
        shown.setData(Qt.ItemDataRole.UserRole, text)
        shown.setToolTip(plain_as_rich(text))  # the whole reply, as typed (never as HTML)
        self.replies_table.setItem(row, 1, shown)
        return row

    def _reply_selected(self) -> None:
        rows = {index.row() for index in self.replies_table.selectedIndexes()}
        if len(rows) != 1:
            return
        row = rows.pop()
        shortcut = self.replies_table.item(row, 0)
        text = self.replies_table.item(row, 1)
        if shortcut is None or text is None:
            return
        self._editing = shortcut.text()
        self.shortcut_edit.setText(shortcut.text())
        self.reply_text_edit.setPlainText(text.data(Qt.ItemDataRole.UserRole))
        self._update_reply_buttons()

    def _update_reply_buttons(self) -> None:
        shortcut = normalise_shortcut(self.shortcut_edit.text())
        text = self.reply_text_edit.toPlainText().strip()
        self.save_reply_button.setEnabled(bool(shortcut and text))
        self.remove_reply_button.setEnabled(self._editing is not None)

    def new_reply(self) -> None:
        self.replies_table.clearSelection()
        self._editing = None
        self.shortcut_edit.clear()
        self.reply_text_edit.clear()
        self.shortcut_edit.setFocus()
        self._update_reply_buttons()

    def save_reply(self) -> None:
        """Add the reply in the fields, or change the selected one (its shortcut too)."""
        shortcut = normalise_shortcut(self.shortcut_edit.text()).lstrip("/")
        text = self.reply_text_edit.toPlainText().strip()
        if not shortcut or not text:
            return
        if self._editing is not None and self._editing != shortcut:
            old_row = self._row_of(self._editing)
            if old_row >= 0:
                self.replies_table.removeRow(old_row)
        row = self._put_reply(shortcut, text)
        self.replies_table.selectRow(row)
        self._editing = shortcut
        self._update_reply_buttons()

    def remove_reply(self) -> None:
        if self._editing is None:
            return
        row = self._row_of(self._editing)
        if row >= 0:
            self.replies_table.removeRow(row)
        self.new_reply()

    # -- OK

    def accept(self) -> None:
        prefs = self.preferences()
        url = prefs.copilot_base_url
        if (
            prefs.copilot_enabled
            and prefs.copilot_model_enabled
            and url
            and not url.startswith(("https://", "http://"))
        ):
            self.tabs.setCurrentWidget(self.copilot_page)
            self._show_error(self.tr("O endereço da API do Copilot deve começar com https://."))
            return
        if prefs.update_url and not allowed_url(prefs.update_url):
            self.tabs.setCurrentWidget(self.update_url_edit.parentWidget())
            self._show_error(self.tr("O endereço de atualizações deve começar com https://."))
            return
        try:
            save_preferences(self.profile_root, prefs)
        except OSError:
            log.warning("could not save preferences in %s", self.profile_root)
            self._show_error(
                self.tr(
                    "Não foi possível salvar as configurações; verifique o espaço em disco e "
                    "tente de novo."
                )
            )
            return
        try:
            self.copilot_page.save()
        except Exception as exc:  # the keyring locked, the history refusing a write
            log.warning("copilot settings not saved: %s", type(exc).__name__)
            self.tabs.setCurrentWidget(self.copilot_page)
            self._show_error(
                self.tr(
                    "Não foi possível guardar a chave da API ou as informações do escritório; "
                    "confira o cofre de senhas do sistema e tente de novo."
                )
            )
            return
        try:
            self.plugins_page.save()
        except Exception as exc:  # the keyring locked, the disk full, a key the plugin lacks
            log.warning("plugin settings not saved: %s", type(exc).__name__)
            self.tabs.setCurrentWidget(self.plugins_page)
            self._show_error(
                self.tr(
                    "Não foi possível salvar as configurações dos plugins de CRM; confira o "
                    "cofre de senhas do sistema e o espaço em disco e tente de novo."
                )
            )
            return
        if self.save_quick_reply is not None:
            for shortcut, text in quick_reply_changes(self.initial_replies, self.quick_replies()):
                self.save_quick_reply(shortcut, text)
        self.result_preferences = prefs
        self._show_error("")
        super().accept()
        self.preferences_changed.emit(prefs)
        self.plugins_saved.emit()
