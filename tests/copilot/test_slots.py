"""A past reply's customer-specific parts become slots; filled for the current customer only."""

from __future__ import annotations

from crm_whatsapp.copilot.slots import OfficeValues, fill, first_name, slot, values_from


def test_the_customers_name_and_values_become_slots() -> None:
    slotted = slot(
        "Oi Ana Souza, seu pedido 84512 sai amanhã! Total R$ 1.234,56, entrega dia 15 às 14h30.",
        "Ana Souza",
    )
    assert slotted.template == (
        "Oi {nome}, seu pedido {numero} sai amanhã! Total {valor}, entrega dia {data} às {hora}."
    )
    assert slotted.values == {
        "numero": "84512",
        "valor": "R$ 1.234,56",
        "data": "15",
        "hora": "14h30",
    }


def test_documents_contacts_and_repeated_kinds_each_get_a_slot() -> None:
    slotted = slot(
        "CPF 123.456.789-09, CEP 01310-100, rastreio QB123456789BR, 150 reais em 12/03/2025. "
        "Fale com (11) 3333-4444 ou ana@exemplo.com.br",
    )
    assert slotted.template == (
        "CPF {numero}, CEP {numero_2}, rastreio {numero_3}, {valor} em {data}. "
        "Fale com {telefone} ou {email}"
    )


def test_words_that_mean_the_same_for_everyone_stay() -> None:
    text = "Abrimos amanhã e sábado; o prazo é de 3 dias úteis, 10% de desconto no pix."
    assert slot(text).template == text


def test_a_surname_or_a_colour_that_is_not_the_person_stays() -> None:
    template = slot("Oi Rosa! Ficamos na Rua das Flores. Temos a camisa rosa.", "Rosa Flores")
    assert template.template == "Oi {nome}! Ficamos na Rua das Flores. Temos a camisa rosa."
    assert slot("oi rosa, temos sim", "Rosa Flores").template == "oi {nome}, temos sim"
    assert slot("Obrigada, Rosa Flores!", "Rosa Flores").template == "Obrigada, {nome}!"


def test_a_greeted_name_is_a_slot_even_when_the_contact_has_another_name() -> None:
    assert slot("Bom dia Carlos! Tudo certo?", "Maria").template == "Bom dia {nome}! Tudo certo?"
    assert slot("Bom dia pessoal!", None).template == "Bom dia pessoal!"


def test_literal_braces_survive() -> None:
    slotted = slot("Use {cupom} no site")
    assert fill(slotted.template, {}) == "Use {cupom} no site"


def test_filling_uses_the_current_first_name_or_leaves_the_name_out() -> None:
    template = slot("Oi Ana, tudo bem? Obrigada, Ana.", "Ana").template
    assert fill(template, {"nome": "Bruno"}) == "Oi Bruno, tudo bem? Obrigada, Bruno."
    assert fill(template, {}) == "Oi, tudo bem? Obrigada."
    assert fill("{nome}, seu pedido saiu.", {}) == "Seu pedido saiu."


def test_a_value_without_an_owner_here_shows_a_visible_blank() -> None:
    template = slot("Seu pedido 84512 chega dia 15.").template
    assert fill(template, {}) == "Seu pedido [número] chega dia [data]."
    assert fill(template, {"numero": "90210"}) == "Seu pedido 90210 chega dia [data]."
    assert fill(slot("84512").template, {}) is None  # nothing but a blank


def test_the_customers_own_values_fill_only_when_unambiguous() -> None:
    assert values_from(["meu pedido 90210 nao chegou", "era pra dia 20"]) == {
        "numero": "90210",
        "data": "20",
    }
    assert "numero" not in values_from(["pedido 90210", "ou 90211?"])


def test_a_value_sent_to_three_conversations_is_the_offices_and_the_latest_wins() -> None:
    office = OfficeValues()
    for conversation in (1, 1, 1, 2):
        office.observe({"valor": "R$ 250"}, conversation, 100.0)
    assert office.office_wide() == {}  # one customer three times, and a second: not yet
    office.observe({"valor": "R$ 250"}, 3, 100.0)
    assert office.office_wide() == {"valor": "R$ 250"}
    for conversation in (4, 5, 6):  # the price changed
        office.observe({"valor": "R$ 280"}, conversation, 200.0)
    assert office.office_wide() == {"valor": "R$ 280"}


def test_order_numbers_never_become_the_offices() -> None:
    office = OfficeValues()
    for n in range(50):
        office.observe({"numero": f"{80000 + n}"}, n, float(n))
    assert office.office_wide() == {}


def test_a_first_name_skips_titles() -> None:
    assert first_name("Dr. João Silva") == "João"
    assert first_name("❤️ Mari 🌸") == "Mari"
    assert first_name(None) is None
