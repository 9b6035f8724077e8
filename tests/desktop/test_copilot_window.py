"""The Copilot in the real window: when suggestions come, what a click does, what never happens.

A relay and the Meta simulator on loopback (``office``), an attendant's
window on them (``desk``), and for the model an OpenAI-compatible server on
loopback. The Copilot never sends: the simulator's count of messages
accepted must not move however the attendant uses the bar.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from copilot.openai_server import OpenAIServer, suggestions_json
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from qtsupport import Desk, close_desk, open_desk

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.settings import Preferences, save_preferences

ANA, BRUNO = "5511911110001", "5511922220002"
PAYMENT = "Aceitamos Pix, cartão de débito e cartão de crédito em até 3x sem juros."
QUICK = {
    "pagamento": PAYMENT,
    "horario": "Nosso horário é de segunda a sexta, das 9h às 18h.",
    "endereco": "Estamos na Rua Domingos de Morais, 1234, Vila Mariana.",
}


@pytest.fixture
def model() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


def ready(qtbot: QtBot, desk: Desk, pause_ms: int = 300) -> Any:
    """The window's Copilot with its index built and a short pause; the team's quick replies in."""
    wiring = desk.window.copilot
    wiring.pause.setInterval(pause_ms)
    qtbot.waitUntil(lambda: wiring.copilot.local.ready, timeout=15_000)
    for shortcut, text in QUICK.items():
        desk.window.team_actions.save_quick_reply(shortcut, text)
    qtbot.waitUntil(lambda: len(desk.session.history.quick_replies()) == len(QUICK))
    qtbot.waitUntil(lambda: wiring.copilot.local.suggest(["aceita pix?"], None) != [])
    return wiring


def open_customer(
    qtbot: QtBot, office: DemoStack, desk: Desk, wa_id: str, text: str, **kw: Any
) -> int:
    office.say(wa_id, text=text, **kw)
    qtbot.waitUntil(lambda: desk.conversation_for(wa_id) is not None, timeout=15_000)
    conversation_id = desk.conversation_for(wa_id)
    assert conversation_id is not None
    qtbot.waitUntil(lambda: desk.window.list_model.row_of(conversation_id) >= 0, timeout=15_000)
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    return conversation_id


def chips(desk: Desk) -> list[str]:
    return [s.text for s in desk.window.copilot_bar.suggestions]


def test_suggestions_come_from_the_team_and_alt_2_puts_the_second_in_the_composer_unsent(
    qtbot: QtBot, office: DemoStack, desk: Desk
) -> None:
    wiring = ready(qtbot, desk)
    open_customer(qtbot, office, desk, ANA, "Oi, vcs aceitam pix? e qual o horario?")
    qtbot.waitUntil(lambda: len(chips(desk)) >= 2, timeout=10_000)
    assert set(chips(desk)) == {PAYMENT, QUICK["horario"]}
    accepted = len(office.sim.accepted)
    second = chips(desk)[1]
    desk.window.composer.edit.setFocus()
    qtbot.keyClick(desk.window.composer.edit, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert desk.window.composer.edit.toPlainText() == second
    # The draft it replaced comes back with Ctrl+Z (one undoable edit).
    qtbot.keyClick(desk.window.composer.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert desk.window.composer.edit.toPlainText() == ""
    qtbot.mouseClick(desk.window.copilot_bar.chips[0], Qt.MouseButton.LeftButton)
    assert desk.window.composer.edit.toPlainText() == chips(desk)[0]
    assert len(office.sim.accepted) == accepted  # nothing sent by the Copilot
    assert wiring.bar.isVisible()


def test_a_new_customer_message_clears_the_bar_and_suggestions_return_after_the_pause(
    qtbot: QtBot, office: DemoStack, desk: Desk
) -> None:
    wiring = ready(qtbot, desk, pause_ms=400)
    open_customer(qtbot, office, desk, ANA, "bom dia")
    qtbot.waitUntil(lambda: not wiring._task or wiring._task.done())
    office.say(ANA, text="qual o horario de vcs?")
    qtbot.waitUntil(wiring.pause.isActive, timeout=10_000)  # waiting for a next message
    assert chips(desk) == []
    started = time.monotonic()
    with qtbot.waitSignal(wiring.shown, timeout=10_000) as shown:
        pass
    assert time.monotonic() - started >= 0.3
    assert QUICK["horario"] in [s.text for s in shown.args[0]]


def test_switching_conversation_drops_the_request_in_flight(
    qtbot: QtBot, office: DemoStack, desk: Desk, model: OpenAIServer
) -> None:
    def answer(body: dict[str, Any]) -> str:
        if "apartamento" in json.dumps(body, ensure_ascii=False):
            return suggestions_json(["Sobre o apartamento: ainda disponível", "Quer visitar?", "x"])
        return suggestions_json(["Remarcado para amanhã", "Qual horário?", "Confirmo já"])

    model.answer = answer
    model.hold_after = "apartamento"
    save_preferences(
        desk.workspace.profile.root,
        Preferences(copilot_base_url=model.root_url, copilot_model="modelo-teste"),
    )
    ready(qtbot, desk)
    first = open_customer(qtbot, office, desk, ANA, "o apartamento ainda esta disponivel?")
    qtbot.waitUntil(lambda: len(model.chat_requests()) == 1, timeout=10_000)
    held = model.chat_requests()[0]
    qtbot.waitUntil(lambda: bool(held.chunks))
    open_customer(qtbot, office, desk, BRUNO, "preciso remarcar a consulta")
    qtbot.waitUntil(lambda: "Remarcado para amanhã" in chips(desk), timeout=10_000)
    model.release.set()
    qtbot.waitUntil(held.aborted.is_set, timeout=10_000)  # the PC hung up on the old request
    assert not any("apartamento" in text for text in chips(desk))
    assert desk.window.current != first


def test_a_closed_window_offers_the_approved_template_that_fits(
    qtbot: QtBot, office: DemoStack, desk: Desk
) -> None:
    ready(qtbot, desk)
    two_days_ago = time.time() - 2 * 86400
    open_customer(
        qtbot, office, desk, ANA, "o orçamento do conserto ficou pronto?", timestamp=two_days_ago
    )
    qtbot.waitUntil(lambda: desk.window.copilot_bar.suggestions != [], timeout=10_000)
    (only,) = desk.window.copilot_bar.suggestions
    assert (only.source, only.template) == ("template", "orcamento_pronto")
    accepted = len(office.sim.accepted)
    qtbot.keyClick(desk.window, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: getattr(desk.window, "template_dialog", None) is not None)
    dialog = desk.window.template_dialog
    assert dialog.current is not None and dialog.current["name"] == "orcamento_pronto"
    dialog.reject()
    assert len(office.sim.accepted) == accepted


def test_a_failing_model_leaves_the_teams_suggestions_and_says_why(
    qtbot: QtBot, office: DemoStack, desk: Desk, model: OpenAIServer
) -> None:
    model.api_key = "the-right-key"
    save_preferences(
        desk.workspace.profile.root,
        Preferences(copilot_base_url=model.base_url, copilot_model="modelo-teste"),
    )
    ready(qtbot, desk)
    open_customer(qtbot, office, desk, ANA, "vocês aceitam pix?")
    bar = desk.window.copilot_bar
    qtbot.waitUntil(lambda: bar.notice.isVisible(), timeout=10_000)
    assert "401" in bar.notice.text() and chips(desk)[0] == PAYMENT


def test_a_colleagues_reply_on_another_pc_is_suggested_here_at_once_and_counted_once(
    qtbot: QtBot, office: DemoStack, desk: Desk, tmp_path: Path
) -> None:
    wiring = ready(qtbot, desk)
    bruno = open_desk(qtbot, office, tmp_path, "Bruno")
    try:
        reply = "A garantia da troca de tela é de 90 dias, é só trazer a nota."
        question = "Qual a garantia da troca de tela?"
        assert wiring.copilot.local.suggest([question], None) == []
        office.say(BRUNO, text="Oi, qual é a garantia da troca de tela do celular?")
        qtbot.waitUntil(lambda: bruno.conversation_for(BRUNO) is not None, timeout=15_000)
        theirs = bruno.conversation_for(BRUNO)
        assert theirs is not None
        bruno.session.send_text(theirs, reply)

        def learned() -> list[str]:
            return [s.text for s in wiring.copilot.local.suggest([question], None)]

        qtbot.waitUntil(lambda: reply in learned(), timeout=15_000)
        (found,) = [s for s in wiring.copilot.local.suggest([question], None) if s.text == reply]
        assert found.uses == 1  # the echo of the same reply did not count twice

        # A customer of Ana's asks the same: the chip is Bruno's words, unsent.
        accepted = len(office.sim.accepted)
        open_customer(qtbot, office, desk, ANA, "e a garantia da tela trocada, quanto tempo?")
        qtbot.waitUntil(lambda: reply in chips(desk), timeout=10_000)
        assert len(office.sim.accepted) == accepted
    finally:
        close_desk(qtbot, bruno)
