"""One CRM plugin's card in the side panel: waiting, the customer as the CRM knows them, or why not.

Every plugin's card is drawn by this widget from data (``plugin_api.Card``),
so the panel looks the same whatever the CRM. Everything in it came from
outside (the CRM's fields, names, deal titles) and is shown as plain text;
"Abrir no CRM" opens only http(s) addresses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.crm.host import CardResult
from crm_whatsapp.plugin_api import Card, Deal
from crm_whatsapp.ui.links import open_link

log = logging.getLogger(__name__)

# Field labels the bundled plugins give in Portuguese (plugins cannot use Qt's
# translation): the card shows them in the window's language. Others as given.
FIELD_LABELS = (
    QT_TRANSLATE_NOOP("CrmFields", "Telefones"),
    QT_TRANSLATE_NOOP("CrmFields", "E-mails"),
    QT_TRANSLATE_NOOP("CrmFields", "Cargo"),
    QT_TRANSLATE_NOOP("CrmFields", "Fase do ciclo de vida"),
)


def field_label(label: str) -> str:
    """A plugin's field label in the window's language when it is one of ours."""
    return QCoreApplication.translate("CrmFields", label) if label in FIELD_LABELS else label


def _money(deal: Deal) -> str:
    if deal.value is None:
        return ""
    whole = f"{deal.value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"R$ {whole}" if deal.currency == "BRL" else f"{deal.currency} {whole}"


class CrmCard(QFrame):
    """A plugin's card; ``create_contact`` asks for the customer to be added to that CRM."""

    create_contact = Signal(str)  # plugin name

    def __init__(
        self,
        plugin: str,
        title: str,
        can_create: bool,
        parent: QWidget | None = None,
        widget: Callable[[Card, QWidget], Any] | None = None,
    ):
        super().__init__(parent)
        self._make_widget = widget
        self.custom: QWidget | None = None
        self.setObjectName("crmCard")
        self.plugin = plugin
        self.url = ""
        self.heading = QLabel(title, self)
        self.heading.setObjectName("crmCardTitle")
        self.body = QLabel(self)
        self.body.setObjectName("crmCardBody")
        self.body.setWordWrap(True)
        self.heading.setWordWrap(True)  # a long CRM title wraps instead of widening the panel
        for label in (self.heading, self.body):  # wrap at the panel's width, never widen it
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(1)
        for label in (self.heading, self.body):
            label.setTextFormat(Qt.TextFormat.PlainText)  # CRM data: never markup
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Abrir no CRM"), self)
        self.open_button.clicked.connect(lambda: open_link(self.url))
        self.create_button = QPushButton(self.tr("Criar contato"), self)
        self.create_button.clicked.connect(lambda: self.create_contact.emit(self.plugin))
        self._can_create = can_create
        self._shown: CardResult | None = None  # the answer shown, redrawn in a new language
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.create_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        self._layout = layout
        layout.addLayout(buttons)
        self.show_waiting()

    def show_waiting(self) -> None:
        """The plugin was asked; its answer is on the way."""
        self._shown = None
        self.body.setText(self.tr("Consultando…"))
        self.open_button.hide()
        self.create_button.hide()

    def show_result(self, result: CardResult) -> None:
        """The plugin answered: its card, nobody, or its error sentence."""
        self._shown = result
        self.url = ""
        self.open_button.hide()
        self.create_button.hide()
        if self.custom is not None:
            self.custom.deleteLater()
            self.custom = None
        if result.error:
            self.body.setText(result.error)
            self.setProperty("failed", True)
            return
        self.setProperty("failed", False)
        if result.card is None:
            self.body.setText(self.tr("Nenhum cadastro com este número."))
            self.create_button.setVisible(self._can_create)
            return
        self.body.setText(self.describe(result.card))
        self._show_custom(result.card)
        self.url = result.card.url
        self.open_button.setVisible(self.url.lower().startswith(("https://", "http://")))

    def _show_custom(self, card: Card) -> None:
        """The plugin's own widget under the data, when it draws one; a failing one is left out."""
        if self.custom is not None:
            self.custom.deleteLater()
            self.custom = None
        if self._make_widget is None:
            return
        try:
            made = self._make_widget(card, self)
        except Exception as exc:
            log.warning("plugin %s card widget failed: %s", self.plugin, type(exc).__name__)
            return
        if isinstance(made, QWidget):
            self.custom = made
            self._layout.insertWidget(2, made)

    def describe(self, card: Card) -> str:
        """The card as lines of plain text, in the order an attendant reads them."""
        lines = [card.name or self.tr("(sem nome)")]
        for label, value in (
            (self.tr("Empresa"), card.company),
            (self.tr("E-mail"), card.email),
            (self.tr("Responsável"), card.owner),
            (self.tr("Telefones"), ", ".join(card.phones)),
        ):
            if value:
                lines.append(f"{label}: {value}")
        for deal in card.deals:
            parts = [deal.title, deal.stage, _money(deal)]
            lines.append(self.tr("Negócio: {0}").format(" · ".join(p for p in parts if p)))
        if card.last_activity:
            lines.append(self.tr("Última atividade: {0}").format(card.last_activity))
        for label, value in card.fields.items():
            if value:
                lines.append(f"{field_label(label)}: {value}")
        return "\n".join(lines)

    def retranslate(self) -> None:
        """Buttons and the shown answer in the window's language (after a change)."""
        self.open_button.setText(self.tr("Abrir no CRM"))
        self.create_button.setText(self.tr("Criar contato"))
        if self._shown is None:
            self.body.setText(self.tr("Consultando…"))
        elif self._shown.card is not None or not self._shown.error:
            self.body.setText(
                self.describe(self._shown.card)
                if self._shown.card is not None
                else self.tr("Nenhum cadastro com este número.")
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
