"""The Copilot bar as the attendant sees it: chips, the whole text on hover, plain text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from crm_whatsapp.copilot.suggestions import Suggestion
from crm_whatsapp.ui.widgets.suggestion_bar import SuggestionBar, chip_text

LONG = "Olá! Nosso horário de atendimento é de segunda a sexta, das 9h às 18h, e sábado até 13h."


def plain(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_a_chip_shows_the_first_words_and_hover_the_whole_text_with_its_origin(qtbot: Any) -> None:
    bar = SuggestionBar()
    qtbot.addWidget(bar)
    bar.show_suggestions(
        [
            Suggestion(LONG, "local", "history", uses=14),
            Suggestion("Aceitamos Pix.", "local", "quick_reply"),
            Suggestion("Qual dia fica melhor?", "model", "model"),
        ]
    )
    first, second, third = bar.chips
    assert first.text() == "1  " + chip_text(LONG)
    assert chip_text(LONG).endswith("…") and len(chip_text(LONG)) < len(LONG)
    assert LONG in plain(first.toolTip()) and "usada 14× pela equipe" in plain(first.toolTip())
    assert "resposta rápida" in plain(second.toolTip())
    assert third.text() == "3  Qual dia fica melhor?" and "modelo de IA" in plain(third.toolTip())


def test_hostile_text_is_shown_as_typed_never_as_html_or_a_mnemonic(qtbot: Any) -> None:
    bar = SuggestionBar()
    qtbot.addWidget(bar)
    hostile = '<img src="http://evil.example/x.png"> <b>Tom & Jerry</b>'
    bar.show_suggestions([Suggestion(hostile, "model", "model")])
    assert plain(bar.chips[0].toolTip()).startswith(hostile)
    assert "<img" not in bar.chips[0].toolTip()
    assert "&&" in bar.chips[0].text()  # "&" is not taken as a keyboard mnemonic


def test_clicking_a_chip_asks_for_that_suggestion_and_fewer_suggestions_hide_chips(
    qtbot: Any,
) -> None:
    bar = SuggestionBar()
    qtbot.addWidget(bar)
    bar.show()
    bar.show_suggestions(
        [Suggestion("Um", "local", "history"), Suggestion("Dois", "local", "history")]
    )
    assert [c.isVisible() for c in bar.chips] == [True, True, False]
    with qtbot.waitSignal(bar.chosen) as chosen:
        qtbot.mouseClick(bar.chips[1], Qt.MouseButton.LeftButton)
    assert chosen.args == [1]
    bar.show_notice("O modelo não respondeu a tempo; mostrando as sugestões da equipe.")
    assert bar.notice.isVisible()
    bar.clear()
    assert not any(c.isVisible() for c in bar.chips) and not bar.notice.isVisible()


def test_a_template_suggestion_says_it_is_a_template(qtbot: Any) -> None:
    bar = SuggestionBar()
    qtbot.addWidget(bar)
    bar.show_suggestions(
        [Suggestion("Olá {{1}}, podemos retomar?", "local", "template", template="retomar_contato")]
    )
    assert bar.chips[0].text() == "1  Modelo: retomar_contato"
    assert "modelo aprovado retomar_contato" in plain(bar.chips[0].toolTip())
