"""The settings dialog's "Auditoria" page: who exported, erased, restored, connected, assigned.

The office's manager (and the LGPD) asks who did what with the customers'
data. The page lists the trail newest first, filters it by kind and
exports what it shows as CSV, readable by this user only. Reads run off
the window's thread; the page never shows message text (entries hold
none).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp import audit
from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.readable import local_datetime_text
from crm_whatsapp.store.audit import AuditEntry
from crm_whatsapp.workspace import Workspace

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #D93025;"

# The filter's choices: a key (the combo's data) and the kinds it shows.
GROUPS: dict[str, tuple[str, ...]] = {
    "": (),
    "export": ("export",),
    "erase": ("erase",),
    "recovery": ("recovery_key_shown", "recovery_key_restored"),
    "plugins": ("plugin_enabled", "plugin_disabled", "plugin_settings"),
    "assignments": ("assign", "transfer", "unassign"),
}


class AuditPage(QWidget):
    """The trail, a filter by kind and "Exportar CSV…"; ``loaded`` follows each read."""

    loaded = Signal(int)

    def __init__(self, workspace: Workspace | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.entries: list[AuditEntry] = []
        self._reading = 0
        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("audit_kind")
        for key, label in (
            ("", self.tr("Tudo")),
            ("export", self.tr("Exportações")),
            ("erase", self.tr("Exclusões de contato")),
            ("recovery", self.tr("Chave de recuperação")),
            ("plugins", self.tr("Plugins de CRM")),
            ("assignments", self.tr("Atribuições e transferências")),
        ):
            self.kind_box.addItem(label, key)
        self.kind_box.currentIndexChanged.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Exportar CSV…"), self)
        self.export_button.setObjectName("audit_export")
        self.export_button.clicked.connect(self.choose_file)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("audit_table")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Data e hora"),
                self.tr("Ação"),
                self.tr("Quem"),
                self.tr("Sobre"),
                self.tr("Detalhe"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.empty_label = QLabel(self.tr("Nada registrado ainda."), self)
        self.empty_label.setObjectName("audit_empty")
        self.empty_label.hide()
        self.note_label = QLabel(self)
        self.note_label.setObjectName("audit_note")
        self.note_label.setWordWrap(True)
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
        self.note_label.hide()

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Mostrar:"), self))
        top.addWidget(self.kind_box, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Exportações, exclusões, chaves de recuperação, plugins e atribuições, "
                    "de todos os computadores do escritório; nunca o texto das mensagens."
                ),
                self,
            )
        )
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.note_label)
        if workspace is None:
            self.kind_box.setEnabled(False)
            self.export_button.setEnabled(False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def kinds(self) -> tuple[str, ...]:
        return GROUPS.get(str(self.kind_box.currentData() or ""), ())

    def refresh(self) -> None:
        """Read the trail again (off the window's thread) with the chosen filter."""
        if self.workspace is None:
            return
        self._reading += 1
        spawn(self._read(self._reading, self.kinds()), "audit-read")

    async def _read(self, ticket: int, kinds: tuple[str, ...]) -> None:
        assert self.workspace is not None
        try:
            found = await asyncio.to_thread(audit.entries, self.workspace, kinds)
        except Exception as exc:
            log.warning("audit trail not read (%s)", type(exc).__name__)
            self._say(self.tr("Não foi possível ler o registro de auditoria agora."), error=True)
            return
        if ticket != self._reading:
            return  # a newer filter was chosen meanwhile
        self.entries = found
        self._fill()
        self.loaded.emit(len(found))

    def _fill(self) -> None:
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            label = audit.KIND_LABELS.get(entry.kind, entry.kind)
            cells = (
                local_datetime_text(entry.at),
                QCoreApplication.translate("Audit", label),
                entry.who,
                entry.subject,
                entry.detail,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)  # plain text: names come from outside
                if entry.pending:
                    item.setToolTip(self.tr("Ainda não enviado ao relay."))
                self.table.setItem(row, column, item)
        self.empty_label.setVisible(not self.entries)

    def _say(self, sentence: str, error: bool = False) -> None:
        self.note_label.setStyleSheet(ERROR_STYLE if error else "")
        self.note_label.setText(sentence)
        self.note_label.show()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Exportar auditoria"), "auditoria.csv", self.tr("Planilha CSV (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> bool:
        """Write what the page shows to ``path`` (mode 600); one sentence says how it went."""
        try:
            audit.export_csv(self.entries, path, QCoreApplication.translate)
        except OSError as exc:
            log.warning("audit CSV not written (%s)", type(exc).__name__)
            self._say(
                self.tr("Não foi possível salvar o arquivo; escolha outra pasta."), error=True
            )
            return False
        self._say(self.tr("Registro salvo em {0}.").format(path))
        return True
