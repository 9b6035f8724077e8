"""The Copilot bar above the composer: up to three suggestion chips and the Copilot menu.

A chip shows a suggestion's first words; hovering shows the whole text and
where it came from. A click (or Alt+1/2/3, wired by the window) only asks
for the text to go into the composer: this widget never sends. Suggestion
texts come from customers' threads and from a model, so they are shown as
plain text (tooltips escaped: Qt reads anything that looks like HTML as
HTML).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from crm_whatsapp.copilot.suggestions import MAX_SUGGESTIONS, Suggestion
from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP

CHIP_WORDS = 7
CHIP_CHARS = 48

# Rewrite styles the menu offers (the model's style names, the menu's words).
REWRITE_STYLES: tuple[tuple[str, str], ...] = (
    ("formal", QT_TRANSLATE_NOOP("SuggestionBar", "Mais formal")),
    ("friendly", QT_TRANSLATE_NOOP("SuggestionBar", "Mais simpática")),
    ("shorter", QT_TRANSLATE_NOOP("SuggestionBar", "Mais curta")),
    ("fix", QT_TRANSLATE_NOOP("SuggestionBar", "Corrigir")),
)


def chip_text(text: str) -> str:
    """A suggestion's first words, ending in "…" when there is more."""
    words = " ".join(text.split()).split(" ")
    short = " ".join(words[:CHIP_WORDS])
    if len(short) > CHIP_CHARS:
        short = short[: CHIP_CHARS - 1].rstrip()
    return short + ("…" if short != " ".join(words) else "")


def origin(suggestion: Suggestion) -> str:
    """Where a suggestion came from, in the interface's language."""
    if suggestion.source == "quick_reply":
        return QCoreApplication.translate("SuggestionBar", "resposta rápida")
    if suggestion.source == "template":
        return QCoreApplication.translate("SuggestionBar", "modelo aprovado {0}").format(
            suggestion.template or ""
        )
    if suggestion.source == "model":
        return QCoreApplication.translate("SuggestionBar", "modelo de IA")
    if suggestion.uses > 1:
        return QCoreApplication.translate("SuggestionBar", "usada {0}× pela equipe").format(
            suggestion.uses
        )
    return QCoreApplication.translate("SuggestionBar", "resposta da equipe")


def tooltip(suggestion: Suggestion) -> str:
    """The whole text and its origin, escaped (a tooltip would render HTML)."""
    body = html.escape(suggestion.text).replace("\n", "<br>")
    return f"<p>{body}</p><p><i>{html.escape(origin(suggestion))}</i></p>"


class SuggestionBar(QFrame):
    """Chips for the suggestions on screen, a sentence when one is due, the Copilot menu."""

    chosen = Signal(int)  # index of the chip clicked
    summarise_requested = Signal()
    rewrite_requested = Signal(str)  # style
    translate_requested = Signal()
    outgoing_requested = Signal()  # "O que sai deste computador"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("copilotBar")
        self.suggestions: list[Suggestion] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        self.chips: list[QToolButton] = []
        for index in range(MAX_SUGGESTIONS):
            chip = QToolButton(self)
            chip.setObjectName(f"copilotChip{index + 1}")
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            chip.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            chip.clicked.connect(lambda _checked=False, i=index: self.chosen.emit(i))
            chip.hide()
            layout.addWidget(chip)
            self.chips.append(chip)
        self.notice = QLabel(self)
        self.notice.setObjectName("copilotNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice, 1)
        layout.addStretch(0)
        self.menu_button = QToolButton(self)
        self.menu_button.setObjectName("copilotMenu")
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self)
        self.summarise_action = QAction(self)
        self.summarise_action.triggered.connect(self.summarise_requested)
        self.rewrite_menu = QMenu(self.menu)
        self.rewrite_actions: dict[str, QAction] = {}
        for style, _words in REWRITE_STYLES:
            action = QAction(self)
            action.triggered.connect(lambda _checked=False, s=style: self.rewrite_requested.emit(s))
            self.rewrite_menu.addAction(action)
            self.rewrite_actions[style] = action
        self.translate_action = QAction(self)
        self.translate_action.triggered.connect(self.translate_requested)
        self.outgoing_action = QAction(self)
        self.outgoing_action.triggered.connect(self.outgoing_requested)
        self.menu.addAction(self.summarise_action)
        self.menu.addMenu(self.rewrite_menu)
        self.menu.addAction(self.translate_action)
        self.menu.addSeparator()
        self.menu.addAction(self.outgoing_action)
        self.menu_button.setMenu(self.menu)
        layout.addWidget(self.menu_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.menu_button.setText(self.tr("Copilot"))
        self.menu_button.setToolTip(self.tr("Resumir, reescrever, traduzir"))
        self.summarise_action.setText(self.tr("Resumir a conversa"))
        self.rewrite_menu.setTitle(self.tr("Reescrever o rascunho"))
        for style, words in REWRITE_STYLES:
            self.rewrite_actions[style].setText(QCoreApplication.translate("SuggestionBar", words))
        self.translate_action.setText(self.tr("Traduzir a mensagem do cliente"))
        self.outgoing_action.setText(self.tr("O que sai deste computador"))
        self.show_suggestions(self.suggestions)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_suggestions(self, suggestions: list[Suggestion]) -> None:
        """Put these on the chips (at most three); fewer hide the rest."""
        self.suggestions = list(suggestions[:MAX_SUGGESTIONS])
        for index, chip in enumerate(self.chips):
            if index < len(self.suggestions):
                suggestion = self.suggestions[index]
                label = chip_text(suggestion.text)
                if suggestion.source == "template":
                    label = self.tr("Modelo: {0}").format(suggestion.template or label)
                chip.setText(f"{index + 1}  {label.replace('&', '&&')}")
                chip.setToolTip(tooltip(suggestion))
                chip.show()
            else:
                chip.hide()

    def show_notice(self, sentence: str | None) -> None:
        """One sentence beside the chips (why the model is not helping); None clears it."""
        self.notice.setText(sentence or "")
        self.notice.setVisible(bool(sentence))

    def clear(self) -> None:
        """No suggestions and no sentence (a conversation switched, a reply sent)."""
        self.show_suggestions([])
        self.show_notice(None)
