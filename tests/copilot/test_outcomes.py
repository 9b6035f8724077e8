"""What became of the suggestions shown: the ranking's memory and the settings' rate."""

from __future__ import annotations

from crm_whatsapp.copilot.outcomes import REPEATS, Tracker
from crm_whatsapp.copilot.suggestions import Suggestion, diversify

HOURS = Suggestion("Abrimos de segunda a sexta, das 9h às 18h.", "local", "history", 3.0, 14)
PIX = Suggestion("Aceitamos Pix e cartão.", "local", "quick_reply", 2.0)
ASK = Suggestion("Qual dia fica melhor para você?", "model", "model", 1.0)


def outcomes(rows: list) -> dict[str, str]:
    return {row.key: row.outcome for row in rows}


def test_a_suggestion_sent_as_it_was_is_used_and_the_others_ignored() -> None:
    tracker = Tracker()
    assert tracker.shown(7, [HOURS, PIX, ASK], now=1.0) == []
    tracker.inserted(7, HOURS)
    rows = tracker.sent(7, "  Abrimos de segunda a sexta,  das 9h às 18h. ")
    assert outcomes(rows) == {HOURS.text: "used", PIX.text: "ignored", ASK.text: "ignored"}
    assert {row.engine for row in rows} == {"local", "model"}
    assert tracker.sent(7, "again") == []  # settled once


def test_a_suggestion_changed_before_sending_is_edited_and_a_rewrite_is_not() -> None:
    tracker = Tracker()
    tracker.shown(7, [HOURS], now=1.0)
    tracker.inserted(7, HOURS)
    assert outcomes(tracker.sent(7, "Abrimos de segunda a sábado, das 9h às 18h!")) == {
        HOURS.text: "edited"
    }
    tracker.shown(7, [HOURS], now=2.0)
    tracker.inserted(7, HOURS)
    assert outcomes(tracker.sent(7, "Pode vir amanhã cedo, o doutor atende.")) == {
        HOURS.text: "ignored"
    }


def test_a_newer_set_settles_the_unsent_one_as_ignored_per_conversation() -> None:
    tracker = Tracker()
    tracker.shown(7, [HOURS], now=1.0)
    tracker.shown(8, [PIX], now=1.0)
    tracker.inserted(7, HOURS)  # clicked, then the customer wrote again
    assert outcomes(tracker.shown(7, [ASK], now=2.0)) == {HOURS.text: "ignored"}
    assert outcomes(tracker.sent(8, "Aceitamos Pix e cartão.")) == {PIX.text: "ignored"}


def test_typing_nearly_the_same_reply_again_and_again_proposes_a_quick_reply_once() -> None:
    tracker = Tracker()
    reply = "Seu pedido sai para entrega amanhã até as 18h, qualquer coisa me chama."
    for n in range(REPEATS - 1):
        tracker.sent(n, reply)
        assert tracker.repeated(reply, set()) is None
    tracker.sent(99, reply.replace("18h", "18h!"))
    assert tracker.repeated(reply, set()) == reply
    assert tracker.repeated(reply, set()) is None  # proposed once
    assert Tracker().repeated("ok", set()) is None


def test_a_habit_already_saved_as_a_quick_reply_is_not_proposed() -> None:
    tracker = Tracker()
    reply = "Seu pedido sai para entrega amanhã até as 18h, qualquer coisa me chama."
    for n in range(REPEATS):
        tracker.sent(n, reply)
    assert tracker.repeated(reply, {reply}) is None


def test_three_wordings_of_one_answer_leave_room_for_different_ones() -> None:
    same = [
        Suggestion("Abrimos às 8h e fechamos às 18h.", "local", "history", 5.0),
        Suggestion("abrimos as 8h e fechamos as 18h", "local", "history", 4.9),
        Suggestion("Abrimos às 8h e fechamos às 18h!!", "local", "history", 4.8),
        Suggestion("Qual serviço você precisa?", "local", "history", 1.0),
        Suggestion("Posso agendar para amanhã às 9h?", "local", "history", 0.5),
    ]
    chosen = [s.text for s in diversify(same)]
    assert chosen == [
        "Abrimos às 8h e fechamos às 18h.",
        "Qual serviço você precisa?",
        "Posso agendar para amanhã às 9h?",
    ]
