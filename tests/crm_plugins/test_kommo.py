"""The Kommo plugin against a Kommo account on loopback (tests/crm_plugins/kommo_server.py).

The double speaks Kommo API v4 as documented:
https://developers.kommo.com/reference/contacts-list (search by phone, HAL
``_embedded.contacts``, 204 when nothing matches),
https://developers.kommo.com/reference/leads-list,
https://kommo.com/developers/content/api_v4/contacts-api (adding contacts),
https://kommo.com/developers/content/api_v4/leads-api (adding leads linked
through ``_embedded.contacts``),
https://kommo.com/developers/content/api_v4/events-and-notes and
https://developers.kommo.com/reference/notes-types (``common`` notes),
errors as ``application/problem+json``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.plugin_api import Card, Context, Customer, PluginError, Transcript
from crm_whatsapp_crms.kommo import Kommo
from tests.crm_plugins.kommo_server import (
    TOKEN,
    KommoServer,
    email_field,
    problem,
    text_field,
)

T = TypeVar("T")
ANA = Customer("5511987654321", "Ana Souza")
ANA_OLD_ID = Customer("551187654321", "Ana Souza")  # Meta's id without the ninth digit


def settings(server: KommoServer, token: str = TOKEN) -> dict[str, str]:
    return {"base_url": server.base_url, "token": token}


def call(server: KommoServer, act: Callable[[Kommo], Awaitable[T]], token: str = TOKEN) -> T:
    """One plugin instance, one call, closed after: what the host does per profile."""

    async def go() -> T:
        plugin = Kommo(Context(settings=settings(server, token)))
        try:
            return await act(plugin)
        finally:
            await plugin.aclose()

    return asyncio.run(go())


def searches(server: KommoServer) -> list[str]:
    return [r.arg("query") for r in server.requests if r.path == "/api/v4/contacts"]


# -- finding the customer -----------------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    [
        "+55 11 98765-4321",
        "+5511987654321",
        "5511987654321",
        "11987654321",
        "(11) 98765-4321",
        "011 98765-4321",
        "+55 (11) 8765-4321",  # saved before the ninth digit
        "551187654321",
    ],
)
@pytest.mark.parametrize("customer", [ANA, ANA_OLD_ID], ids=["wa-13", "wa-12"])
def test_finds_the_customer_whatever_the_format(stored: str, customer: Customer) -> None:
    with KommoServer() as server:
        server.add_contact(406322, "Ana Souza", stored)
        card = call(server, lambda p: p.lookup(customer))
    assert card is not None
    assert card.record_id == "406322"
    assert card.name == "Ana Souza"
    assert card.phones == (stored,)
    assert card.url == f"{server.base_url}/contacts/detail/406322"


@pytest.mark.parametrize("stored", ["(11) 98765-4321", "11987654321", "+55 11 8765 4321"])
def test_a_crm_matching_typed_text_is_asked_each_form_until_one_finds(stored: str) -> None:
    with KommoServer(match="text") as server:
        server.add_contact(406322, "Ana Souza", stored)
        card = call(server, lambda p: p.lookup(ANA))
        asked = searches(server)
    if stored == "+55 11 8765 4321":  # no variant is a substring of this writing
        assert card is None
    else:
        assert card is not None and card.record_id == "406322"
        assert asked[-1] in stored  # it stopped at the form that found her
        assert len(asked) == len(set(asked))


def test_the_usual_case_costs_one_search_with_leads() -> None:
    with KommoServer() as server:
        server.add_contact(406322, "Ana Souza", "+5511987654321")
        call(server, lambda p: p.lookup(ANA))
    (search,) = [r for r in server.requests if r.path == "/api/v4/contacts"]
    assert search.arg("query") == "+5511987654321"
    assert search.arg("with") == "leads"
    assert search.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_decoy_in_another_area_code_is_never_the_customer() -> None:
    with KommoServer(match="lenient") as server:
        server.add_contact(1, "Decoy Rio", "+55 21 98765-4321")
        server.add_contact(2, "Decoy Campinas", "(19) 8765-4321")
        server.add_contact(3, "Sem DDD", "98765-4321")
        server.add_contact(4, "Cita o número", "+55 31 3333-4444", fields=[
            text_field("Observações", "indicada por 5511987654321"),
        ])  # fmt: skip
        card = call(server, lambda p: p.lookup(ANA))
        assert card is None
        server.add_contact(406322, "Ana Souza", "+55 11 98765-4321")
        card = call(server, lambda p: p.lookup(ANA))
    assert card is not None and card.name == "Ana Souza"


def test_nobody_found_is_none_after_asking_every_form() -> None:
    with KommoServer() as server:
        server.add_contact(1, "Outro", "+55 11 3333-4444")
        card = call(server, lambda p: p.lookup(ANA))
        asked = searches(server)
    assert card is None
    assert "+5511987654321" in asked and "551187654321" in asked  # both ninth-digit forms
    assert len(asked) == len(set(asked))


def test_the_customer_on_a_later_page_is_found() -> None:
    with KommoServer(match="lenient", page_size=2) as server:
        for i, area in enumerate(("21", "31", "41", "51", "61")):
            server.add_contact(100 + i, f"Decoy {area}", f"+55 {area} 98765-4321")
        server.add_contact(406322, "Ana Souza", "+55 11 98765-4321")
        card = call(server, lambda p: p.lookup(ANA))
        pages = [r.arg("page") for r in server.requests if r.path == "/api/v4/contacts"]
    assert card is not None and card.record_id == "406322"
    assert pages == ["1", "2", "3"]


# -- the card -------------------------------------------------------------------------------


def test_the_card_shows_phones_emails_company_owner_leads_and_fields() -> None:
    with KommoServer() as server:
        server.default_pipeline()
        server.companies[5001] = {"id": 5001, "name": "Souza Contabilidade", "_links": {}}
        server.add_lead(801, "Abertura de empresa", 3500, 61003)
        server.add_lead(802, "Imposto de renda 2023", 900, 142)  # won: not open any more
        server.add_lead(803, "", 0, 61001)
        server.add_contact(
            406322,
            "Ana Souza",
            "+55 11 98765-4321",
            "(11) 3333-4444",
            fields=[
                email_field("ana@souza.com.br", "financeiro@souza.com.br"),
                text_field("CPF", "123.456.789-09"),
                text_field("Cliente VIP", True, field_type="checkbox"),
                text_field("Serviços", "Folha", "Fiscal", field_type="multiselect"),
                text_field("Vazio"),
            ],
            company=5001,
            leads=(801, 802, 803),
            owner=777,
        )
        card = call(server, lambda p: p.lookup(ANA))
    assert card is not None
    assert card.phones == ("+55 11 98765-4321", "(11) 3333-4444")
    assert card.email == "ana@souza.com.br"
    assert card.company == "Souza Contabilidade"
    assert card.owner == "777"
    assert card.fields == {
        "E-mails": "ana@souza.com.br, financeiro@souza.com.br",
        "CPF": "123.456.789-09",
        "Cliente VIP": "Sim",
        "Serviços": "Folha, Fiscal",
    }
    assert [(d.title, d.stage, d.value) for d in card.deals] == [
        ("Abertura de empresa", "Proposta enviada", 3500.0),
        ("Lead #803", "Leads de entrada", None),
    ]
    assert card.deals[0].url == f"{server.base_url}/leads/detail/801"
    (leads,) = [r for r in server.requests if r.path == "/api/v4/leads"]
    assert leads.query["filter[id][]"] == ["801", "802", "803"]


def test_a_contact_without_leads_or_company_asks_nothing_more() -> None:
    with KommoServer() as server:
        server.add_contact(406322, "Ana Souza", "+5511987654321")
        card = call(server, lambda p: p.lookup(ANA))
    assert card is not None and card.deals == () and card.company == ""
    assert [r.path for r in server.requests] == ["/api/v4/contacts"]


# -- failures -------------------------------------------------------------------------------


def test_a_rate_limit_is_waited_out_then_the_card_comes() -> None:
    with KommoServer() as server:
        server.add_contact(406322, "Ana Souza", "+5511987654321")
        status, body, headers = problem(429, "Too Many Requests", "Too many requests")
        server.fail_next(status, body, {**headers, "Retry-After": "0"})
        card = call(server, lambda p: p.lookup(ANA))
        asked = searches(server)
    assert card is not None and card.name == "Ana Souza"
    assert asked == ["+5511987654321", "+5511987654321"]


def test_a_wrong_token_asks_to_reconnect() -> None:
    with KommoServer() as server:
        server.add_contact(406322, "Ana Souza", "+5511987654321")
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.lookup(ANA), token="revoked")
    assert caught.value.kind == "auth"
    assert "reconecte" in str(caught.value)
    assert "revoked" not in str(caught.value)


def test_missing_settings_are_one_sentence_each() -> None:
    async def lookup(values: dict[str, str]) -> Card | None:
        return await Kommo(Context(settings=values)).lookup(ANA)

    with pytest.raises(PluginError) as no_url:
        asyncio.run(lookup({"token": TOKEN}))
    assert "kommo.com" in str(no_url.value)
    with pytest.raises(PluginError) as no_token:
        asyncio.run(lookup({"base_url": "https://conta.kommo.com"}))
    assert no_token.value.kind == "auth"


def test_an_account_address_without_scheme_still_works_for_links() -> None:
    plugin = Kommo(Context(settings={"base_url": "souza.kommo.com/", "token": TOKEN}))
    assert plugin.base_url == "https://souza.kommo.com"


def test_a_refused_request_is_a_sentence() -> None:
    with KommoServer() as server:
        server.fail_next(*problem(400, "Bad Request", "Request validation failed"))
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.create_contact(ANA))
    assert caught.value.kind == "refused"
    assert str(caught.value) == "O Kommo recusou o pedido (erro 400)."


# -- actions --------------------------------------------------------------------------------


def test_create_contact_sends_name_and_mobile() -> None:
    with KommoServer() as server:
        created = call(server, lambda p: p.create_contact(ANA_OLD_ID))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/api/v4/contacts"
    assert post.body == [
        {
            "name": "Ana Souza",
            "custom_fields_values": [
                {
                    "field_code": "PHONE",
                    "values": [{"value": "+5511987654321", "enum_code": "MOB"}],
                }
            ],
        }
    ]
    assert created.kind == "contact"
    assert created.url == f"{server.base_url}/contacts/detail/{created.id}"


def test_a_new_contact_is_found_by_the_next_lookup() -> None:
    with KommoServer() as server:
        created = call(server, lambda p: p.create_contact(Customer("5511987654321")))
        card = call(server, lambda p: p.lookup(ANA_OLD_ID))
    assert card is not None and card.record_id == created.id
    assert card.name == "+5511987654321"


def test_create_lead_links_the_known_contact() -> None:
    with KommoServer() as server:
        server.add_contact(406322, "Ana Souza", "+5511987654321")
        card = Card(record_id="406322", name="Ana Souza")
        created = call(server, lambda p: p.create_lead(ANA, "Abertura de empresa", card))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/api/v4/leads"
    assert post.body == [
        {"name": "Abertura de empresa", "_embedded": {"contacts": [{"id": 406322}]}}
    ]
    assert created.kind == "lead"
    assert created.url == f"{server.base_url}/leads/detail/{created.id}"


def test_create_lead_for_a_stranger_makes_the_contact_first() -> None:
    with KommoServer() as server:
        created = call(server, lambda p: p.create_lead(ANA, "", None))
        posts = [(r.path, r.body) for r in server.requests if r.method == "POST"]
    (contact_path, _), (lead_path, lead_body) = posts
    assert (contact_path, lead_path) == ("/api/v4/contacts", "/api/v4/leads")
    new_contact = server.contacts[-1]["id"]
    assert lead_body == [
        {"name": "WhatsApp: Ana Souza", "_embedded": {"contacts": [{"id": new_contact}]}}
    ]
    assert created.id == str(server.leads[int(created.id)]["id"])


def test_log_conversation_posts_a_common_note_on_the_contact() -> None:
    transcript = Transcript(
        ANA,
        (
            (1_700_000_000.0, "Ana Souza", "Bom dia, preciso abrir uma empresa"),
            (1_700_000_060.0, "Carla", "Bom dia! Vamos agendar uma conversa?"),
        ),
    )
    with KommoServer() as server:
        server.add_contact(406322, "Ana Souza", "+5511987654321")
        card = Card(record_id="406322")
        created = call(server, lambda p: p.log_conversation(transcript, card))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/api/v4/contacts/406322/notes"
    assert post.body == [{"note_type": "common", "params": {"text": transcript.as_text()}}]
    assert created.kind == "note"
    assert created.id == str(server.notes[0]["id"])
    assert created.url == f"{server.base_url}/contacts/detail/406322"


def test_log_conversation_for_a_stranger_says_to_create_the_contact() -> None:
    with KommoServer() as server, pytest.raises(PluginError) as caught:
        call(server, lambda p: p.log_conversation(Transcript(ANA, ()), None))
    assert "crie o contato" in str(caught.value)
    assert server.requests == []


# -- in the host ----------------------------------------------------------------------------


def test_runs_in_the_plugin_host() -> None:
    async def session(server: KommoServer) -> tuple[Any, Any, Any]:
        host = PluginHost([Enabled(Kommo, settings(server))])
        try:
            cards = await host.lookup(ANA)
            leads = await host.create_lead(ANA, "Abertura de empresa")
            again = await host.lookup(ANA)
        finally:
            await host.aclose()
        return cards, leads, again

    with KommoServer() as server:
        server.default_pipeline()
        server.add_contact(406322, "Ana Souza", "+55 (11) 98765-4321")
        cards, leads, again = asyncio.run(session(server))
    (card,) = cards
    assert card.error == "" and card.title == "Kommo"
    assert card.card.name == "Ana Souza"
    (lead,) = leads
    assert lead.error == "" and lead.created is not None
    assert lead.created.url.startswith(f"{server.base_url}/leads/detail/")
    (fresh,) = again  # the cache was dropped: the new lead shows on the card
    assert [d.title for d in fresh.card.deals] == ["Abertura de empresa"]
    assert fresh.card.deals[0].stage == "Leads de entrada"
