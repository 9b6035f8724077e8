"""The bar over the thread: who the customer is, the 24-hour window, status, labels, team actions.

The assign menu lists the colleagues the relay knows, online ones with a
green dot; the label menu is a checklist of the team's palette. Every
button is disabled while no conversation is open.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.domain.window import format_left, window_state
from crm_whatsapp.store.team_view import Label
from crm_whatsapp.ui.activity import status_text
from crm_whatsapp.ui.resources import icon
from crm_whatsapp.ui.snooze import PRESETS
from crm_whatsapp.ui.swatches import OFFLINE, ONLINE, chips_html, dot

STATUS_COLOURS = {
    "open": "#00A884",
    "pending": "#FFBC38",
    "resolved": "#8696A0",
    "snoozed": "#53BDEB",
}


def colleague(entry: Any) -> tuple[str, bool]:
    """``(name, online)`` of a roster entry (the relay's ``{"name", "online"}``, or a name)."""
    if isinstance(entry, dict):
        return str(entry.get("name") or ""), entry.get("online") is True
    return str(entry or ""), False


class ThreadHeader(QFrame):
    assign_to_me = Signal()
    transfer = Signal(object)  # a colleague's name, or None (no one)
    label_toggled = Signal(str, bool)  # a palette label put on or taken off
    manage_labels = Signal()
    note_clicked = Signal()
    status_chosen = Signal(str)  # open | pending | resolved
    snooze_chosen = Signal(float)  # until (seconds since 1970)
    snooze_pick = Signal()  # "Escolher…": the attendant picks the time
    mark_unread = Signal()
    pin_toggled = Signal(bool)
    roster_wanted = Signal()  # the assign menu opens: who is online now?

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadHeader")
        self.title = QLabel(self)
        self.title.setObjectName("threadTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("threadSubtitle")
        # The customer's own WhatsApp name and colleagues' names: never rich text.
        for label in (self.title, self.subtitle):
            label.setTextFormat(Qt.TextFormat.PlainText)
        # Status and label chips: rich text built from escaped names (swatches.chips_html).
        self.chips = QLabel(self)
        self.chips.setObjectName("threadChips")
        self.chips.setTextFormat(Qt.TextFormat.RichText)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        names.addWidget(self.chips)

        beside = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        self.assign_button = QToolButton(self)
        self.assign_button.setIcon(icon("assign"))
        self.assign_button.setToolButtonStyle(beside)
        self.assign_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.assign_menu = QMenu(self)
        # Menus are filled as they open: rebuilt under the pointer, an entry could vanish.
        self.assign_menu.aboutToShow.connect(self._fill_assign_menu)
        self.assign_menu.aboutToShow.connect(self.roster_wanted)
        self.assign_button.setMenu(self.assign_menu)

        self.labels_button = QToolButton(self)
        self.labels_button.setIcon(icon("label"))
        self.labels_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.labels_menu = QMenu(self)
        self.labels_menu.aboutToShow.connect(self._fill_labels_menu)
        self.labels_button.setMenu(self.labels_menu)
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
        self.resolve_button.setToolButtonStyle(beside)
        self.resolve_button.clicked.connect(self._resolve_or_reopen)
        self.more_button = QToolButton(self)
        self.more_button.setObjectName("moreButton")
        self.more_button.setText("⋮")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(self)
        self.more_menu.aboutToShow.connect(self._fill_more_menu)
        self.snooze_menu = QMenu(self)  # "Adiar": kept, put back in the menu each time
        self.snooze_menu.aboutToShow.connect(self._fill_snooze_menu)
        self.more_button.setMenu(self.more_menu)

        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addLayout(names, 1)
        self.buttons = (
            self.assign_button,
            self.labels_button,
            self.note_button,
            self.crm_button,
            self.pending_button,
            self.resolve_button,
            self.more_button,
        )
        for button in self.buttons:
            row.addWidget(button)
        self._status = "open"
        self._roster: list[Any] = []
        self._palette: list[Label] = []
        self._shown: tuple[dict[str, Any] | None, str] = (None, "")
        self.retranslate()

    def retranslate(self) -> None:
        """Every text in the window's language (again after a change in the settings)."""
        self.assign_button.setText(self.tr("Atribuir"))
        self.labels_button.setToolTip(self.tr("Etiquetas"))
        self.note_button.setToolTip(self.tr("Nota interna (só a equipe vê)"))
        self.pending_button.setText(self.tr("Pendente"))
        self.pending_button.setToolTip(
            self.tr("Aguardando o cliente ou a equipe: sai de Abertas e espera em Pendentes")
        )
        self.more_button.setToolTip(self.tr("Mais opções"))
        self.set_conversation(*self._shown)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _resolve_or_reopen(self) -> None:
        self.status_chosen.emit("open" if self._status in ("resolved", "snoozed") else "resolved")

    def set_roster(self, roster: list[Any]) -> None:
        """The colleagues the relay knows (``{"name", "online"}``); the menu follows at once."""
        self._roster = list(roster)
        if self.assign_menu.isVisible():
            self._fill_assign_menu()

    def set_palette(self, palette: list[Label]) -> None:
        if palette != self._palette:
            self._palette = list(palette)
            self.set_conversation(*self._shown)

    def set_conversation(self, row: dict[str, Any] | None, me: str) -> None:
        """Show ``row`` (None: nothing open, every button off) for attendant ``me``.

        Transfers offer the devices the relay knows (:meth:`set_roster`), never
        names merely found as assignees in the history, so a stale or mistyped
        name cannot be picked again.
        """
        self._shown = (row, me)
        for widget in self.buttons:
            widget.setEnabled(row is not None)
        if row is None:
            self.title.setText(self.tr("Nenhuma conversa aberta"))
            self.subtitle.setText("")
            self.chips.setText("")
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
        self.subtitle.setText(" · ".join(parts))
        status = str(row["status"])
        self._status = status
        colours = {label.name: label.color for label in self._palette}
        chips = [(status_text(status, row.get("snoozed_until")), STATUS_COLOURS.get(status, ""))]
        chips += [(name, colours.get(name, "#E9EDEF")) for name in row["labels"]]
        self.chips.setText(chips_html([c for c in chips if c[0]]))
        reopen = status in ("resolved", "snoozed")
        self.resolve_button.setText(self.tr("Reabrir") if reopen else self.tr("Resolver"))
        self.resolve_button.setIcon(icon("reopen" if reopen else "resolve"))
        self.pending_button.setEnabled(status != "pending")

    def _fill_assign_menu(self) -> None:
        row, me = self._shown
        self.assign_menu.clear()
        if row is None:
            return
        assignee = row["assignee"]
        mine = self.assign_menu.addAction(self.tr("Atribuir a mim"), self.assign_to_me.emit)
        mine.setEnabled(assignee != me)
        nobody = self.assign_menu.addAction(
            self.tr("Remover atribuição"), lambda: self.transfer.emit(None)
        )
        nobody.setEnabled(assignee is not None)
        people = [colleague(c) for c in self._roster]
        others = sorted(
            {(n, o) for n, o in people if n and n != me}, key=lambda p: (not p[1], p[0])
        )
        if not others:
            return
        self.assign_menu.addSeparator()
        heading = self.assign_menu.addAction(self.tr("Transferir para"))
        heading.setEnabled(False)
        for name, online in others:
            text = _literal_mnemonic(name)
            if online:
                text = self.tr("{0} — online").format(text)
            action = self.assign_menu.addAction(
                dot(ONLINE if online else OFFLINE), text, lambda n=name: self.transfer.emit(n)
            )
            action.setCheckable(True)
            action.setChecked(name == assignee)
            action.setData(name)

    def _fill_labels_menu(self) -> None:
        row = self._shown[0]
        self.labels_menu.clear()
        if row is None:
            return
        on = set(row["labels"])
        for label in self._palette:
            action = self.labels_menu.addAction(dot(label.color), _literal_mnemonic(label.name))
            action.setCheckable(True)
            action.setChecked(label.name in on)
            action.setData(label.name)
            action.toggled.connect(
                lambda checked, n=label.name: self.label_toggled.emit(n, checked)
            )
        if not self._palette:
            empty = self.labels_menu.addAction(self.tr("Nenhuma etiqueta criada ainda"))
            empty.setEnabled(False)
        self.labels_menu.addSeparator()
        self.labels_menu.addAction(self.tr("Gerenciar etiquetas…"), self.manage_labels.emit)

    def _fill_more_menu(self) -> None:
        row = self._shown[0]
        self.more_menu.clear()
        if row is None:
            return
        self.more_menu.addAction(self.tr("Marcar como não lida"), self.mark_unread.emit)
        pinned = bool(row.get("pinned"))
        self.more_menu.addAction(
            self.tr("Desafixar conversa") if pinned else self.tr("Fixar conversa"),
            lambda: self.pin_toggled.emit(not pinned),
        )
        self.snooze_menu.setTitle(self.tr("Adiar"))
        self.more_menu.addMenu(self.snooze_menu)

    def _fill_snooze_menu(self) -> None:
        self.snooze_menu.clear()
        labels = (self.tr("1 hora"), self.tr("Amanhã, 9h"), self.tr("Próxima segunda, 9h"))
        for label, preset in zip(labels, PRESETS, strict=True):
            self.snooze_menu.addAction(
                label, lambda p=preset: self.snooze_chosen.emit(p(datetime.now()).timestamp())
            )
        self.snooze_menu.addAction(self.tr("Escolher data e hora…"), self.snooze_pick.emit)


def _literal_mnemonic(text: str) -> str:
    """``text`` for a menu entry: a single ``&`` would underline the next letter and vanish."""
    return text.replace("&", "&&")
