"""Words as the local Copilot compares them: how customers write meets how attendants write."""

from __future__ import annotations

from crm_whatsapp.copilot.text import concepts, fold, language_of, sequence, tokens


def test_folding_drops_case_and_accents() -> None:
    assert fold("Não É Possível, AÇÃO!") == "nao e possivel, acao!"


def test_abbreviations_accents_and_inflections_meet_the_same_terms() -> None:
    assert tokens("Vcs aceitam cartão?") == tokens("voces aceita cartao")
    assert tokens("declaração") == tokens("declaracao") == tokens("DECLARAÇÕES")
    assert tokens("agendar") == tokens("agendamento")
    assert tokens("qto custa hj?") == tokens("quanto custa hoje")


def test_stopwords_and_numbers_say_nothing() -> None:
    assert tokens("eu e você, de novo, 2024") == tokens("novo")
    assert tokens("a o de que") == []


def test_unrelated_words_keep_their_own_stems() -> None:
    # Snowball reduces "saber" and "sábado" to the same stem; "sobre" is not "sobrado".
    assert set(tokens("sábado")).isdisjoint(tokens("saber"))
    assert set(tokens("sobre")).isdisjoint(tokens("sobrado"))


def test_questions_without_a_common_word_meet_on_a_concept() -> None:
    price = set(concepts(sequence("qto fica?")))
    assert price & set(concepts(sequence("qual o valor?"))) == {"~preco"}
    assert "~prazo" in concepts(sequence("quanto tempo demora?"))
    # Inside the phrase, "quanto" asks how long, not how much.
    assert "~preco" not in concepts(sequence("quanto tempo demora?"))
    # A phrase keeps its little words: "não paga" is free, "pagar" is a payment.
    assert concepts(sequence("vou pagar no pix")) == ["~pagamento"]
    assert set(concepts(sequence("a entrega não paga?"))) == {"~entrega", "~gratis"}


def test_the_language_is_told_by_its_own_words_or_not_at_all() -> None:
    assert language_of("oi, vc tem horário amanhã?") == "pt"
    assert language_of(["hola", "cuánto cuesta la cita?"]) == "es"
    assert language_of("hi, how much is the appointment?") == "en"
    assert language_of("ok 👍") == ""
    assert language_of("") == ""
