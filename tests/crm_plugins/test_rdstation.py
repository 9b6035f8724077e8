"""The RD Station CRM plugin against a loopback RD Station CRM speaking API v1.

Vendor documentation the server and these tests follow:
- https://developers.rdstation.com/reference/crm-v1-introducao-e-requisitos (token in the
  query string, 120 requests a minute, lists paged with page/limit and has_more)
- https://developers.rdstation.com/reference/crm-v1-mensagens-de-erro (401 "Permission
  denied.", 429 RATE_LIMIT_EXCEDDED, 422 validation errors)
- https://developers.rdstation.com/reference/crm-v1-list-contacts (phone filter, the
  contacts' phones, emails, custom fields and deal summaries),
  https://developers.rdstation.com/reference/crm-v1-get-contact (organization, deal_ids),
  https://developers.rdstation.com/reference/crm-v1-create-contact,
  https://developers.rdstation.com/reference/crm-v1-update-contact
- https://developers.rdstation.com/reference/crm-v1-create-deal,
  https://developers.rdstation.com/reference/crm-v1-get-deal (deal_stage, amount_total, user)
- https://developers.rdstation.com/reference/crm-v1-create-activity (notes on deals)
- https://developers.rdstation.com/reference/crm-v1-list-custom-fields,
  https://developers.rdstation.com/reference/crm-v1-token-check,
  https://developers.rdstation.com/reference/crm-v1-list-users
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest

from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.plugin_api import Card, Context, Created, Customer, PluginError, Transcript
from crm_whatsapp_crms.rdstation import RDStation
from tests.crm_plugins.rdstation_server import TOKEN, RDStationServer

ANA = Customer("5511987654321", "Ana Souza")
ANA_OLD_ID = Customer("551187654321", "Ana Souza")  # WhatsApp id without the ninth digit
T = TypeVar("T")


@pytest.fixture
def rd() -> Iterator[RDStationServer]:
    with RDStationServer() as server:
        yield server


def run(rd: RDStationServer, call: Callable[[RDStation], Awaitable[T]], **settings: str) -> T:
    """One plugin coroutine against the server, the plugin closed afterwards."""

    async def go() -> T:
        plugin = RDStation(Context(settings={"base_url": rd.base_url, "token": TOKEN, **settings}))
        try:
            return await call(plugin)
        finally:
            await plugin.aclose()

    return asyncio.run(go())


def lookup(rd: RDStationServer, customer: Customer = ANA) -> Card | None:
    return run(rd, lambda p: p.lookup(customer))


def contact_queries(rd: RDStationServer) -> list[str]:
    return [r.arg("phone") for r in rd.requests if r.path == "/api/v1/contacts"]


# -- lookup -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    [
        "+5511987654321",
        "5511987654321",
        "11987654321",
        "(11) 98765-4321",
        "+551187654321",  # saved before the ninth digit
        "(11) 8765-4321",
    ],
)
def test_number_stored_in_any_format_is_found(rd: RDStationServer, stored: str) -> None:
    contact_id = rd.add_contact("Ana Souza", [stored])
    card = lookup(rd)
    assert card is not None
    assert card.record_id == contact_id
    assert card.name == "Ana Souza"
    assert card.phones == (stored,)
    assert card.url == f"{rd.base_url}/app/contacts/{contact_id}"
    # the token travels in the query string of every request
    assert all(r.arg("token") == TOKEN for r in rd.requests)


def test_whatsapp_id_without_ninth_digit_finds_the_contact(rd: RDStationServer) -> None:
    contact_id = rd.add_contact("Ana Souza", ["+5511987654321"])
    card = lookup(rd, ANA_OLD_ID)
    assert card is not None and card.record_id == contact_id


def test_decoy_in_another_area_code_never_matches(rd: RDStationServer) -> None:
    rd.add_contact("Outra Pessoa", ["+5521987654321", "+552187654321"])
    assert lookup(rd) is None


def test_decoy_returned_by_a_loose_filter_is_filtered_out(rd: RDStationServer) -> None:
    """A filter matching the last digits hands back the decoy; same_phone drops it."""
    rd.loose = True
    rd.add_contact("Outra Pessoa", ["+55 21 98765-4321"])
    assert lookup(rd) is None


def test_nobody_found_is_none_after_asking_each_form(rd: RDStationServer) -> None:
    rd.add_contact("Bruno", ["+5531999990000"])
    assert lookup(rd) is None
    asked = contact_queries(rd)
    assert "+5511987654321" in asked and "(11) 8765-4321" in asked


def test_card_has_company_deals_owner_emails_and_custom_fields(rd: RDStationServer) -> None:
    cpf = rd.add_custom_field("CPF")
    origem = rd.add_custom_field("Origem")
    vazio = rd.add_custom_field("Vazio")
    contact_id = rd.add_contact(
        " Ana Souza ",
        ["+5511987654321", "+55 11 3333-4444"],
        emails=["ana@exemplo.com.br", "ana.souza@empresa.com.br"],
        organization="Souza Advocacia",
        custom={cpf: "123.456.789-00", origem: ["Indicação", "Site"], vazio: None},
        title="Sócia",
    )
    open_deal = rd.add_deal(
        contact_id, "Contrato anual", stage="Proposta enviada", amount=12500.5, owner="Carla"
    )
    rd.add_deal(contact_id, "Antigo", stage="Fechado", amount=99, win=True, closed_at="2025-01-01")
    card = lookup(rd)
    assert card is not None
    assert card.name == "Ana Souza"
    assert card.phones == ("+5511987654321", "+55 11 3333-4444")
    assert card.email == "ana@exemplo.com.br"
    assert card.company == "Souza Advocacia"
    assert card.owner == "Carla"
    assert len(card.deals) == 1  # only the open one
    deal = card.deals[0]
    assert (deal.title, deal.stage, deal.value, deal.currency) == (
        "Contrato anual",
        "Proposta enviada",
        12500.5,
        "BRL",
    )
    assert deal.url == f"{rd.base_url}/app/deals/{open_deal}"
    assert card.fields == {
        "CPF": "123.456.789-00",
        "Origem": "Indicação, Site",
        "E-mails": "ana@exemplo.com.br, ana.souza@empresa.com.br",
        "Cargo": "Sócia",
    }


def test_pagination_reaches_the_contact_on_a_later_page(rd: RDStationServer) -> None:
    """400 decoys the loose filter returns first; the customer is on page 3."""
    rd.loose = True
    for i in range(400):
        rd.add_contact(f"Outro {i}", [f"+55{21 + i % 60}987654321"])
    target = rd.add_contact("Ana Souza", ["011 98765-4321"])
    card = lookup(rd)
    assert card is not None and card.record_id == target
    listed = [r for r in rd.requests if r.path == "/api/v1/contacts"]
    assert [r.arg("page") for r in listed] == ["1", "2", "3"]
    assert all(r.arg("limit") == "200" for r in listed)


def test_rate_limit_is_waited_out_then_answered(rd: RDStationServer) -> None:
    rd.add_contact("Ana Souza", ["+5511987654321"])
    rd.fail_next(
        429,
        {"errors": {"error_type": "RATE_LIMIT_EXCEDDED", "error_message": "API usage limit"}},
        {"Retry-After": "0"},
    )
    card = lookup(rd)
    assert card is not None and card.name == "Ana Souza"
    assert [r.path for r in rd.requests[:2]] == ["/api/v1/contacts", "/api/v1/contacts"]


def test_rate_limit_beyond_the_budget_is_one_sentence(rd: RDStationServer) -> None:
    rd.fail_next(429, None, {"Retry-After": "3600"})
    with pytest.raises(PluginError) as caught:
        lookup(rd)
    assert caught.value.kind == "rate_limited"
    assert "RD Station CRM" in str(caught.value)


def test_refused_token_asks_to_reconnect(rd: RDStationServer) -> None:
    with pytest.raises(PluginError) as caught:
        run(rd, lambda p: p.lookup(ANA), token="tok-velho-999")
    assert caught.value.kind == "auth"
    assert "reconecte" in str(caught.value)
    assert "tok-velho-999" not in str(caught.value)


def test_missing_token_is_a_sentence_not_a_request(rd: RDStationServer) -> None:
    with pytest.raises(PluginError) as caught:
        run(rd, lambda p: p.lookup(ANA), token="  ")
    assert caught.value.kind == "auth"
    assert rd.requests == []


# -- actions ------------------------------------------------------------------------------


def test_create_contact_sends_name_and_number(rd: RDStationServer) -> None:
    made = run(rd, lambda p: p.create_contact(ANA))
    assert isinstance(made, Created) and made.kind == "contact"
    assert made.url == f"{rd.base_url}/app/contacts/{made.id}"
    sent = next(r for r in rd.requests if r.method == "POST")
    assert sent.path == "/api/v1/contacts"
    assert sent.body == {"contact": {"name": "Ana Souza", "phones": [{"phone": "+5511987654321"}]}}
    assert lookup(rd) is not None  # the new contact is found by its number


def test_create_contact_without_a_name_uses_the_number(rd: RDStationServer) -> None:
    run(rd, lambda p: p.create_contact(Customer("5511987654321")))
    sent = next(r for r in rd.requests if r.method == "POST")
    assert sent.body["contact"]["name"] == "+5511987654321"


def test_create_lead_for_unknown_number_creates_deal_with_contact(rd: RDStationServer) -> None:
    made = run(rd, lambda p: p.create_lead(ANA, "Orçamento WhatsApp", None))
    assert made.kind == "deal"
    assert made.url == f"{rd.base_url}/app/deals/{made.id}"
    sent = next(r for r in rd.requests if r.method == "POST")
    assert sent.path == "/api/v1/deals"
    assert sent.body == {
        "deal": {"name": "Orçamento WhatsApp"},
        "contacts": [{"name": "Ana Souza", "phones": [{"phone": "+5511987654321"}]}],
    }
    card = lookup(rd)
    assert card is not None and [d.title for d in card.deals] == ["Orçamento WhatsApp"]


def test_create_lead_for_known_contact_links_the_deal(rd: RDStationServer) -> None:
    contact_id = rd.add_contact("Ana Souza", ["+5511987654321"])
    old = rd.add_deal(contact_id, "Primeira compra", win=True, closed_at="2025-02-02")
    card = lookup(rd)
    assert card is not None
    made = run(rd, lambda p: p.create_lead(ANA, "Renovação", card))
    writes = [(r.method, r.path, r.body) for r in rd.requests if r.method in ("POST", "PUT")]
    assert writes == [
        ("POST", "/api/v1/deals", {"deal": {"name": "Renovação"}}),
        ("PUT", f"/api/v1/contacts/{contact_id}", {"contact": {"deal_ids": [old, made.id]}}),
    ]
    assert len(rd.contacts) == 1  # no duplicate contact
    again = lookup(rd)
    assert again is not None and [d.title for d in again.deals] == ["Renovação"]


def test_create_lead_refused_link_says_the_deal_exists(rd: RDStationServer) -> None:
    contact_id = rd.add_contact("Ana Souza", ["+5511987654321"])
    card = Card(record_id=contact_id, name="Ana Souza")
    rd.contacts.pop(contact_id)  # deleted in RD meanwhile
    with pytest.raises(PluginError) as caught:
        run(rd, lambda p: p.create_lead(ANA, "Renovação", card))
    assert "negociação foi criada" in str(caught.value)


def test_log_conversation_posts_a_note_on_the_open_deal(rd: RDStationServer) -> None:
    me = rd.add_user("Vendas", "vendas@escritorio.com.br")
    rd.add_user("Outra", "outra@escritorio.com.br")
    contact_id = rd.add_contact("Ana Souza", ["+5511987654321"])
    deal_id = rd.add_deal(contact_id, "Contrato", stage="Negociação", owner="Carla")
    transcript = Transcript(
        ANA,
        (
            (1_780_000_000.0, "Ana Souza", "Oi, quero um orçamento"),
            (1_780_000_060.0, "Atendente", "Claro! Para quando?"),
        ),
    )
    made = run(rd, lambda p: p.log_conversation(transcript, None))
    assert made.kind == "note"
    assert made.url == f"{rd.base_url}/app/deals/{deal_id}"
    sent = next(r for r in rd.requests if r.path == "/api/v1/activities")
    assert sent.body == {
        "activity": {"deal_id": deal_id, "text": transcript.as_text(), "user_id": me}
    }
    assert made.id == rd.activities[0]["_id"]
    assert "Oi, quero um orçamento" in rd.activities[0]["text"]


def test_log_conversation_without_open_deal_says_so(rd: RDStationServer) -> None:
    contact_id = rd.add_contact("Ana Souza", ["+5511987654321"])
    rd.add_deal(contact_id, "Antiga", win=False, closed_at="2025-03-03")
    with pytest.raises(PluginError) as caught:
        run(rd, lambda p: p.log_conversation(Transcript(ANA, ()), None))
    assert "negociação" in str(caught.value)
    assert str(caught.value).count(".") <= 1  # one sentence
    assert rd.activities == [] and len(rd.deals) == 1  # nothing invented


def test_log_conversation_for_unknown_number_says_so(rd: RDStationServer) -> None:
    with pytest.raises(PluginError) as caught:
        run(rd, lambda p: p.log_conversation(Transcript(ANA, ()), None))
    assert caught.value.kind == "refused"
    assert rd.activities == []


# -- in the host --------------------------------------------------------------------------


def test_runs_in_the_plugin_host(rd: RDStationServer) -> None:
    contact_id = rd.add_contact("Ana Souza", ["(11) 98765-4321"], organization="Souza ME")
    rd.add_deal(contact_id, "Contrato", stage="Proposta", amount=900, owner="Carla")
    settings = {"base_url": rd.base_url, "token": TOKEN}

    async def go() -> None:
        host = PluginHost([Enabled(RDStation, settings)])
        try:
            assert RDStation.capabilities() == {
                "lookup",
                "create_contact",
                "create_lead",
                "log_conversation",
            }
            [result] = await host.lookup(ANA)
            assert result.error == "" and result.card is not None
            assert result.title == "RD Station CRM"
            assert result.card.company == "Souza ME"
            [lead] = await host.create_lead(ANA, "Nova proposta")
            assert lead.error == "" and lead.created is not None
            logged = await host.log_conversation(
                Transcript(ANA, ((1_780_000_000.0, "Ana Souza", "Olá"),))
            )
            assert logged[0].error == "" and logged[0].created is not None
            refused = PluginHost([Enabled(RDStation, {**settings, "token": "errado"})])
            try:
                [bad] = await refused.lookup(ANA)
            finally:
                await refused.aclose()
            assert "reconecte" in bad.error
        finally:
            await host.aclose()

    asyncio.run(go())
    assert any(r.path == "/api/v1/activities" for r in rd.requests)
