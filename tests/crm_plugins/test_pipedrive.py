"""The Pipedrive plugin against a Pipedrive company on loopback (``pipedrive_server.py``).

The double speaks Pipedrive's API as documented:
https://developers.pipedrive.com/docs/api/v1/Persons#searchPersons (v2 search:
substring match, ``additional_data.next_cursor``),
https://developers.pipedrive.com/docs/api/v1/Persons#getPerson and #addPerson
(v2 ``phones`` / ``emails`` as ``[{value, primary, label}]``),
https://developers.pipedrive.com/docs/api/v1/Deals#getDeals,
https://developers.pipedrive.com/docs/api/v1/Stages#getStages,
https://developers.pipedrive.com/docs/api/v1/Users#getUser,
https://developers.pipedrive.com/docs/api/v1/Leads#addLead (v1 only),
https://developers.pipedrive.com/docs/api/v1/Notes#addNote (v1, HTML content),
https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting (daily token
budget, 429), errors as ``{success: false, error, error_info, ...}``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.plugin_api import Card, Context, Customer, PluginError, Transcript
from crm_whatsapp_crms.pipedrive import DAILY_LIMIT, Pipedrive, web_url
from tests.crm_plugins.pipedrive_server import TOKEN, PipedriveServer, daily_budget_spent, error

T = TypeVar("T")
ANA = Customer("5511987654321", "Ana Souza")
ANA_OLD_ID = Customer("551187654321", "Ana Souza")  # Meta's id without the ninth digit


def settings(server: PipedriveServer, token: str = TOKEN) -> dict[str, str]:
    return {"base_url": server.base_url, "api_token": token}


def call(
    server: PipedriveServer, act: Callable[[Pipedrive], Awaitable[T]], token: str = TOKEN
) -> T:
    """One plugin instance, one call, closed after: what the host does per profile."""

    async def go() -> T:
        plugin = Pipedrive(Context(settings=settings(server, token)))
        try:
            return await act(plugin)
        finally:
            await plugin.aclose()

    return asyncio.run(go())


def searches(server: PipedriveServer) -> list[str]:
    return [r.arg("term") for r in server.requests if r.path == "/api/v2/persons/search"]


# -- finding the customer -----------------------------------------------------------------


@pytest.mark.parametrize(
    "stored",
    [
        "+55 11 98765-4321",
        "+5511987654321",
        "5511987654321",
        "11987654321",
        "(11) 98765-4321",
        "011 98765 4321",
        "+55 (11) 8765-4321",  # saved before the ninth digit
        "551187654321",
    ],
)
@pytest.mark.parametrize("customer", [ANA, ANA_OLD_ID], ids=["wa-13", "wa-12"])
@pytest.mark.parametrize("match", ["text", "digits"])
def test_finds_the_customer_whatever_the_format(
    stored: str, customer: Customer, match: str
) -> None:
    with PipedriveServer(match=match) as server:
        server.add_person(406, "Ana Souza", stored)
        card = call(server, lambda p: p.lookup(customer))
    assert card is not None
    assert card.record_id == "406" and card.name == "Ana Souza"
    assert card.phones == (stored,)
    assert card.url == f"{server.base_url}/person/406"


def test_the_search_asks_for_phones_by_substring_with_the_token_in_a_header() -> None:
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+55 11 98765-4321")
        call(server, lambda p: p.lookup(ANA))
        first = server.requests[0]
    assert first.path == "/api/v2/persons/search"
    assert first.arg("fields") == "phone" and first.arg("exact_match") == "false"
    assert first.headers["x-api-token"] == TOKEN
    assert "api_token" not in first.query  # the token stays out of URLs and access logs


def test_a_decoy_in_another_area_code_is_never_the_customer() -> None:
    with PipedriveServer() as server:
        server.add_person(77, "Outra Pessoa", "+55 21 98765-4321")
        server.add_person(78, "Mais Uma", "(31) 8765-4321")
        server.add_person(79, "Sem DDD", "98765-4321")
        card = call(server, lambda p: p.lookup(ANA))
        asked = searches(server)
    assert card is None
    assert asked == ["87654321", "8765-4321", "8765 4321"]  # each writing tried once
    details = [r.path for r in server.requests if r.path.startswith("/api/v2/persons/7")]
    assert details == []  # the decoys' details were never read


def test_the_customer_beside_decoys_is_found() -> None:
    with PipedriveServer() as server:
        server.add_person(77, "Outra Pessoa", "+55 21 98765-4321")
        server.add_person(406, "Ana Souza", "+55 11 98765-4321")
        card = call(server, lambda p: p.lookup(ANA_OLD_ID))
    assert card is not None and card.record_id == "406"


def test_nobody_with_the_number_is_none() -> None:
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+55 11 91234-5678")
        card = call(server, lambda p: p.lookup(ANA))
    assert card is None


def test_the_customer_on_a_later_page_is_found() -> None:
    with PipedriveServer(page_size=2) as server:
        for i, area in enumerate(("21", "31", "41", "51", "61")):
            server.add_person(100 + i, f"Decoy {area}", f"{area}987654321")
        server.add_person(406, "Ana Souza", "5511987654321")
        card = call(server, lambda p: p.lookup(ANA))
        cursors = [r.arg("cursor") for r in server.requests if r.path.endswith("/search")]
    assert card is not None and card.record_id == "406"
    assert len(cursors) == 3 and cursors[0] == "" and all(cursors[1:])


def test_a_foreign_number_is_searched_whole() -> None:
    with PipedriveServer() as server:
        server.add_person(5, "John Smith", "+15551234567")
        card = call(server, lambda p: p.lookup(Customer("15551234567")))
        asked = searches(server)
    assert card is not None and card.name == "John Smith"
    assert asked == ["+15551234567"]


# -- the card -------------------------------------------------------------------------------


def test_the_card_shows_phones_emails_company_owner_and_open_deals() -> None:
    with PipedriveServer() as server:
        server.default_pipeline()
        server.organizations[50] = {"id": 50, "name": "Souza Contabilidade", "owner_id": 1001}
        server.add_person(
            406,
            "Ana Souza",
            ("+55 11 98765-4321", "mobile"),
            ("(11) 3333-4444", "work"),
            emails=(("ana@souza.com.br", "work"), ("ana.souza@gmail.com", "home")),
            org_id=50,
        )
        server.add_deal(801, "Abertura de empresa", 3500, 3, 406)
        server.add_deal(802, "Imposto de renda 2023", 900, 4, 406, status="won")
        server.add_deal(803, "", 0, 1, 406)
        server.add_deal(804, "De outra pessoa", 100, 1, 999)
        card = call(server, lambda p: p.lookup(ANA))
        deal_asks = [r for r in server.requests if r.path == "/api/v2/deals"]
    assert card is not None
    assert card.phones == ("+55 11 98765-4321", "(11) 3333-4444")
    assert card.email == "ana@souza.com.br"
    assert card.company == "Souza Contabilidade"
    assert card.owner == "Carla Mendes"
    assert card.fields == {
        "Telefones": "+55 11 98765-4321 (celular), (11) 3333-4444 (trabalho)",
        "E-mails": "ana@souza.com.br (trabalho), ana.souza@gmail.com (pessoal)",
    }
    assert [(d.title, d.stage, d.value, d.currency) for d in card.deals] == [
        ("Abertura de empresa", "Proposta enviada", 3500.0, "BRL"),
        ("Negócio #803", "Qualificado", None, "BRL"),
    ]
    assert card.deals[0].url == f"{server.base_url}/deal/801"
    (asked,) = deal_asks
    assert asked.arg("person_id") == "406" and asked.arg("status") == "open"


def test_deals_on_several_pages_all_show() -> None:
    with PipedriveServer() as server:
        server.default_pipeline()
        server.add_person(406, "Ana Souza", "+5511987654321")
        for i in range(60):
            server.add_deal(1000 + i, f"Negócio {i}", 10, 1, 406)
        card = call(server, lambda p: p.lookup(ANA))
        pages = [r for r in server.requests if r.path == "/api/v2/deals"]
    assert card is not None and len(card.deals) == 50  # capped: a card is not a report
    assert len(pages) == 1


def test_a_person_without_deals_or_organization_asks_little() -> None:
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+5511987654321")
        card = call(server, lambda p: p.lookup(ANA))
        paths = [r.path for r in server.requests]
    assert card is not None and card.deals == () and card.company == "" and card.email == ""
    assert paths == [
        "/api/v2/persons/search",
        "/api/v2/persons/406",
        "/v1/users/1001",
        "/api/v2/deals",
    ]


def test_records_open_in_the_company_address_when_the_default_api_is_used() -> None:
    assert web_url("https://api.pipedrive.com", "souzacontabil") == (
        "https://souzacontabil.pipedrive.com"
    )
    assert web_url("https://souzacontabil.pipedrive.com", "") == (
        "https://souzacontabil.pipedrive.com"
    )
    plugin = Pipedrive(Context(settings={"api_token": TOKEN}))
    assert plugin.base_url == "https://api.pipedrive.com"
    typed = Pipedrive(
        Context(settings={"base_url": "souza.pipedrive.com/api/v2/", "api_token": "x"})
    )
    assert typed.base_url == "https://souza.pipedrive.com"


# -- failures -------------------------------------------------------------------------------


def test_a_short_rate_limit_is_waited_out_then_the_card_comes() -> None:
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+5511987654321")
        status, body, _ = error(429, "Too many requests")
        server.fail_next(status, body, {"Retry-After": "0"})
        card = call(server, lambda p: p.lookup(ANA))
        asked = searches(server)
    assert card is not None and card.name == "Ana Souza"
    assert asked == ["87654321", "87654321"]


def test_a_spent_daily_budget_says_so_at_once() -> None:
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+5511987654321")
        server.fail_next(*daily_budget_spent())
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.lookup(ANA))
        asked = len(server.requests)
    assert caught.value.kind == "rate_limited"
    assert str(caught.value) == DAILY_LIMIT
    assert "limite diário" in str(caught.value)
    assert asked == 1  # not retried: every refused call still costs the company tokens


def test_a_daily_budget_body_without_retry_after_is_not_retried() -> None:
    with PipedriveServer() as server:
        status, body, _ = daily_budget_spent()
        server.fail_next(status, body, {})
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.create_contact(ANA))
    assert str(caught.value) == DAILY_LIMIT
    assert len(server.requests) == 1


def test_a_retry_after_longer_than_the_call_is_the_daily_limit() -> None:
    with PipedriveServer() as server:
        status, body, _ = error(429, "Too many requests")
        server.fail_next(status, body, {"Retry-After": "3600"})
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.lookup(ANA))
    assert str(caught.value) == DAILY_LIMIT


def test_a_wrong_token_asks_to_reconnect() -> None:
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+5511987654321")
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.lookup(ANA), token="revoked-token")
    assert caught.value.kind == "auth"
    assert "reconecte" in str(caught.value)
    assert "revoked-token" not in str(caught.value)


def test_a_missing_token_is_one_sentence() -> None:
    with pytest.raises(PluginError) as caught:
        asyncio.run(Pipedrive(Context(settings={})).lookup(ANA))
    assert caught.value.kind == "auth"
    assert "token da API do Pipedrive" in str(caught.value)


def test_a_refused_request_is_a_sentence() -> None:
    with PipedriveServer() as server:
        server.fail_next(*error(400, "Name must be given."))
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.create_contact(ANA))
    assert caught.value.kind == "refused"
    assert str(caught.value) == "O Pipedrive recusou o pedido (erro 400)."


def test_pipedrive_down_is_a_sentence() -> None:
    with PipedriveServer() as server:
        server.fail_next(*error(502, "Bad gateway"))
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.lookup(ANA))
    assert caught.value.kind == "unreachable"


# -- actions --------------------------------------------------------------------------------


def test_create_contact_sends_name_and_mobile() -> None:
    with PipedriveServer() as server:
        created = call(server, lambda p: p.create_contact(ANA_OLD_ID))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/api/v2/persons"
    assert post.body == {
        "name": "Ana Souza",
        "phones": [{"value": "+5511987654321", "primary": True, "label": "mobile"}],
    }
    assert created.kind == "contact" and int(created.id) in server.persons
    assert created.url == f"{server.base_url}/person/{created.id}"


def test_a_new_contact_is_found_by_the_next_lookup() -> None:
    with PipedriveServer() as server:
        created = call(server, lambda p: p.create_contact(Customer("5511987654321")))
        card = call(server, lambda p: p.lookup(ANA_OLD_ID))
    assert card is not None and card.record_id == created.id
    assert card.name == "+5511987654321"


def test_create_lead_links_the_known_person() -> None:
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+5511987654321")
        card = Card(record_id="406", name="Ana Souza")
        created = call(server, lambda p: p.create_lead(ANA, "Abertura de empresa", card))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/v1/leads"
    assert post.body == {"title": "Abertura de empresa", "person_id": 406}
    assert created.kind == "lead" and created.id in server.leads
    assert created.url == f"{server.base_url}/leads/inbox/{created.id}"


def test_create_lead_for_a_stranger_makes_the_person_first() -> None:
    with PipedriveServer() as server:
        created = call(server, lambda p: p.create_lead(ANA, "", None))
        posts = [(r.path, r.body) for r in server.requests if r.method == "POST"]
    (person_path, _), (lead_path, lead_body) = posts
    assert (person_path, lead_path) == ("/api/v2/persons", "/v1/leads")
    new_person = max(server.persons)
    assert lead_body == {"title": "WhatsApp: Ana Souza", "person_id": new_person}
    assert server.leads[created.id]["person_id"] == new_person


def test_log_conversation_posts_a_note_on_the_person() -> None:
    transcript = Transcript(
        ANA,
        (
            (1_700_000_000.0, "Ana Souza", "Bom dia, preciso abrir uma empresa <urgente> & rápido"),
            (1_700_000_060.0, "Carla", "Bom dia! Vamos agendar uma conversa?"),
        ),
    )
    with PipedriveServer() as server:
        server.add_person(406, "Ana Souza", "+5511987654321")
        created = call(server, lambda p: p.log_conversation(transcript, Card(record_id="406")))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/v1/notes"
    lines = transcript.as_text().split("\n")
    assert post.body["person_id"] == 406
    assert post.body["content"].split("<br>") == [
        line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for line in lines
    ]
    assert "&lt;urgente&gt; &amp; rápido" in post.body["content"]
    assert created.kind == "note" and created.id == str(server.notes[0]["id"])
    assert created.url == f"{server.base_url}/person/406"


def test_log_conversation_for_a_stranger_says_to_create_the_contact() -> None:
    with PipedriveServer() as server, pytest.raises(PluginError) as caught:
        call(server, lambda p: p.log_conversation(Transcript(ANA, ()), None))
    assert "crie o contato" in str(caught.value)
    assert server.requests == []


# -- in the host ----------------------------------------------------------------------------


def test_runs_in_the_plugin_host() -> None:
    async def session(server: PipedriveServer) -> tuple[Any, Any, Any, Any]:
        host = PluginHost([Enabled(Pipedrive, settings(server))])
        try:
            cards = await host.lookup(ANA)
            leads = await host.create_lead(ANA, "Abertura de empresa")
            notes = await host.log_conversation(Transcript(ANA, ((1.7e9, "Ana", "Oi"),)))
            stranger = await host.lookup(Customer("5521912345678"))
        finally:
            await host.aclose()
        return cards, leads, notes, stranger

    with PipedriveServer() as server:
        server.default_pipeline()
        server.add_person(406, "Ana Souza", "+55 (11) 98765-4321")
        server.add_deal(801, "Folha de pagamento", 1200, 2, 406)
        cards, leads, notes, stranger = asyncio.run(session(server))
    (card,) = cards
    assert card.error == "" and card.title == "Pipedrive"
    assert card.card.name == "Ana Souza"
    assert [(d.title, d.stage) for d in card.card.deals] == [
        ("Folha de pagamento", "Contato feito")
    ]
    (lead,) = leads
    assert lead.error == "" and lead.created is not None
    assert lead.created.url == f"{server.base_url}/leads/inbox/{lead.created.id}"
    assert server.leads[lead.created.id]["person_id"] == 406
    (note,) = notes
    assert note.error == "" and server.notes[0]["person_id"] == 406
    (nobody,) = stranger
    assert nobody.error == "" and nobody.card is None
