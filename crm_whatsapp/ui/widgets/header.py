"""The bar over the thread: who the customer is, the 24-hour window, and team actions."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.domain.window import format_left, window_state
from crm_whatsapp.ui.resources import icon


class ThreadHeader(QFrame):
    assign_to_me = Signal()
    transfer = Signal(object)  # assignee name or None (back to the queue)
    transfer_other = Signal()
    labels_clicked = Signal()
    note_clicked = Signal()
    status_chosen = Signal(str)  # open | pending | resolved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadHeader")
        self.title = QLabel(self)
        self.title.setObjectName("threadTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("threadSubtitle")
        # The customer's own WhatsApp name, labels and colleagues' names: never rich text.
        for label in (self.title, self.subtitle):
            label.setTextFormat(Qt.TextFormat.PlainText)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)

        self.assign_button = QToolButton(self)
        self.assign_button.setIcon(icon("assign"))
        self.assign_button.setToolButtonStyle(
            self.assign_button.toolButtonStyle().ToolButtonTextBesideIcon
        )
        self.assign_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.assign_menu = QMenu(self)
        self.assign_button.setMenu(self.assign_menu)

        self.labels_button = QToolButton(self)
        self.labels_button.setIcon(icon("label"))
        self.labels_button.clicked.connect(self.labels_clicked)
        self.note_button = QToolButton(self)
        self.note_button.setIcon(icon("note"))
        self.note_button.clicked.connect(self.note_clicked)
        # Filled by the CRM plugins (ui.crm_wiring); hidden while none is enabled.
        self.crm_button = QToolButton(self)
        self.crm_button.setObjectName("crmButton")
        self.crm_button.hide()
        self.pending_button = QToolButton(self)
        self.pending_button.clicked.connect(lambda: self.status_chosen.emit("pending"))
        self.resolve_button = QToolButton(self)
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.setToolButtonStyle(self.assign_button.toolButtonStyle())
        self.resolve_button.clicked.connect(self._resolve_or_reopen)

        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addLayout(names, 1)
        for button in (
            self.assign_button,
            self.labels_button,
            self.note_button,
            self.crm_button,
            self.pending_button,
            self.resolve_button,
        ):
            row.addWidget(button)
        self._status = "open"
        self._shown: tuple[dict[str, Any] | None, list[str], str] = (None, [], "")
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the window's language (again after a change in the settings)."""
        self.assign_button.setText(self.tr("Atribuir"))
        self.labels_button.setToolTip(self.tr("Etiquetas"))
        self.note_button.setToolTip(self.tr("Nota interna (só a equipe vê)"))
        self.pending_button.setText(self.tr("Pendente"))
        self.set_conversation(*self._shown)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _resolve_or_reopen(self) -> None:
        self.status_chosen.emit("open" if self._status == "resolved" else "resolved")

    def set_conversation(self, row: dict[str, Any] | None, colleagues: list[str], me: str) -> None:
        self._shown = (row, colleagues, me)
        for widget in (self.assign_button, self.labels_button, self.note_button):
            widget.setEnabled(row is not None)
        self.pending_button.setEnabled(row is not None)
        self.resolve_button.setEnabled(row is not None)
        if row is None:
            self.title.setText(self.tr("Nenhuma conversa aberta"))
            self.subtitle.setText("")
            return
        tr = QCoreApplication.translate
        self.title.setText(row["name"] or display_phone(row["wa_id"]) or row["user_id"] or "")
        parts = []
        if row["wa_id"]:
            parts.append(display_phone(row["wa_id"]))
        state = window_state(row["last_inbound_at"], time.time())
        if state.kind in ("open", "closing"):
            parts.append(
                self.tr("janela aberta: {0}").format(format_left(state.seconds_left, translate=tr))
            )
        elif state.kind == "closed":
            parts.append(self.tr("janela de 24 h fechada"))
        if row["assignee"]:
            parts.append(self.tr("com {0}").format(row["assignee"]))
        else:
            parts.append(self.tr("sem responsável"))
        if row["labels"]:
            parts.append(" ".join("#" + x for x in row["labels"]))
        self.subtitle.setText(" · ".join(parts))
        self._status = row["status"]
        resolved = row["status"] == "resolved"
        self.resolve_button.setText(self.tr("Reabrir") if resolved else self.tr("Resolver"))
        self.resolve_button.setIcon(icon("reopen" if resolved else "resolve"))
        self.pending_button.setEnabled(row["status"] != "pending")
        self.assign_menu.clear()
        self.assign_menu.addAction(self.tr("Atribuir a mim"), self.assign_to_me.emit)
        self.assign_menu.addAction(
            self.tr("Devolver para a fila"), lambda: self.transfer.emit(None)
        )
        others = [c for c in colleagues if c and c != me]
        if others:
            self.assign_menu.addSeparator()
            for name in others:
                self.assign_menu.addAction(
                    self.tr("Transferir para {0}").format(_literal_mnemonic(name)),
                    lambda n=name: self.transfer.emit(n),
                )
        self.assign_menu.addSeparator()
        self.assign_menu.addAction(self.tr("Transferir para…"), self.transfer_other.emit)


def _literal_mnemonic(text: str) -> str:
    """``text`` for a menu entry: a single ``&`` would underline the next letter and vanish."""
    return text.replace("&", "&&")
