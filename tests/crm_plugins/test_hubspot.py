"""The HubSpot plugin against a HubSpot account on loopback (``hubspot_server.py``).

The double speaks HubSpot's CRM API as documented:
https://developers.hubspot.com/docs/guides/api/crm/search (filterGroups OR'd,
filters AND'd, ``paging.next.after``),
https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api
(5 groups, 10 filters per group, 25 per request),
https://developers.hubspot.com/docs/guides/api/crm/objects/contacts,
https://developers.hubspot.com/docs/guides/api/crm/objects/deals,
https://developers.hubspot.com/docs/guides/api/crm/engagements/notes,
https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4,
https://developers.hubspot.com/docs/guides/api/crm/pipelines,
https://developers.hubspot.com/docs/guides/api/crm/owners,
https://developers.hubspot.com/docs/api-reference/latest/account/account-information/guide,
https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details (429
``RATE_LIMITS``, ``X-HubSpot-RateLimit-*``),
https://developers.hubspot.com/docs/api-reference/error-handling.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

import pytest

from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.plugin_api import Card, Context, Customer, PluginError, Transcript
from crm_whatsapp_crms.hubspot import DAILY_LIMIT, MISSING_SCOPES, NOTE_LIMIT, HubSpot
from tests.crm_plugins.hubspot_server import (
    PORTAL,
    TOKEN,
    HubSpotServer,
    daily_limit,
    error,
    rate_limited,
)

T = TypeVar("T")
ANA = Customer("5511987654321", "Ana Souza")
ANA_OLD_ID = Customer("551187654321", "Ana Souza")  # Meta's id without the ninth digit
WEB = f"https://app.hubspot.com/contacts/{PORTAL}"


def settings(server: HubSpotServer, token: str = TOKEN) -> dict[str, str]:
    return {"base_url": server.base_url, "token": token}


def call(server: HubSpotServer, act: Callable[[HubSpot], Awaitable[T]], token: str = TOKEN) -> T:
    """One plugin instance, one call, closed after: what the host does per profile."""

    async def go() -> T:
        plugin = HubSpot(Context(settings=settings(server, token)))
        try:
            return await act(plugin)
        finally:
            await plugin.aclose()

    return asyncio.run(go())


def searches(server: HubSpotServer) -> list[dict[str, Any]]:
    return [r.body for r in server.requests if r.path == "/crm/v3/objects/contacts/search"]


def card_of(server: HubSpotServer, customer: Customer = ANA) -> Card | None:
    return call(server, lambda p: p.lookup(customer))


# -- finding the customer -----------------------------------------------------------------


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
@pytest.mark.parametrize("prop", ["phone", "mobilephone"])
@pytest.mark.parametrize("customer", [ANA, ANA_OLD_ID], ids=["wa-13", "wa-12"])
def test_finds_the_customer_whatever_the_format(stored: str, prop: str, customer: Customer) -> None:
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", **{prop: stored})
        card = card_of(server, customer)
    assert card is not None
    assert card.record_id == "406" and card.name == "Ana Souza"
    assert card.phones == (stored,)
    assert card.url == f"{WEB}/record/0-1/406"


def test_the_search_sends_or_groups_within_hubspots_limits_with_a_bearer_token() -> None:
    with HubSpotServer() as server:
        card_of(server)  # nobody: every form is asked
        bodies = searches(server)
        first = next(r for r in server.requests if r.path.endswith("/search"))
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert all(len(b["filterGroups"]) <= 5 for b in bodies)
    asked = [
        (f["propertyName"], f["value"])
        for b in bodies
        for g in b["filterGroups"]
        for f in g["filters"]
    ]
    assert all(len(g["filters"]) == 1 for b in bodies for g in b["filterGroups"])
    assert {f["operator"] for b in bodies for g in b["filterGroups"] for f in g["filters"]} == {
        "EQ"
    }
    for form in ("+5511987654321", "11987654321", "(11) 98765-4321", "(11) 8765-4321"):
        assert ("phone", form) in asked and ("mobilephone", form) in asked
    assert len(asked) == len(set(asked))  # no form asked twice
    assert (
        "mobilephone" in bodies[0]["properties"] and "hubspot_owner_id" in bodies[0]["properties"]
    )


def test_the_search_stops_at_the_first_confirmed_contact() -> None:
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        card_of(server)
        assert len(searches(server)) == 1


def test_a_decoy_in_another_area_code_is_never_the_customer() -> None:
    with HubSpotServer(match="tail") as server:  # a search sloppier than documented
        server.add_contact("77", "Outra", "Pessoa", phone="+55 21 98765-4321")
        server.add_contact("78", "Mais", "Uma", mobilephone="(31) 8765-4321")
        server.add_contact("79", "Sem", "DDD", phone="98765-4321")
        card = card_of(server)
        read = [r.path for r in server.requests if "/associations/" in r.path]
    assert card is None
    assert read == []  # the decoys' deals were never read


def test_the_customer_beside_decoys_is_found() -> None:
    with HubSpotServer(match="tail") as server:
        server.add_contact("77", "Outra", "Pessoa", phone="+55 21 98765-4321")
        server.add_contact("406", "Ana", "Souza", mobilephone="+55 11 98765-4321")
        card = card_of(server, ANA_OLD_ID)
    assert card is not None and card.record_id == "406"


def test_nobody_with_the_number_is_none() -> None:
    with HubSpotServer() as server:
        server.add_contact("9", "Bruno", "Lima", phone="+5511912345678")
        assert card_of(server) is None


def test_the_customer_on_a_later_page_is_found() -> None:
    with HubSpotServer(match="tail") as server:
        for n in range(150):  # decoys in other area codes fill the first page
            server.add_contact(
                str(1000 + n), "Decoy", str(n), phone=f"+55 {21 + n % 60} 98765-4321"
            )
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        card = card_of(server)
        afters = [b.get("after") for b in searches(server)]
    assert card is not None and card.record_id == "406"
    assert afters[:2] == [None, "100"]  # the second page asked with paging.next.after


def test_a_foreign_number_is_searched_whole() -> None:
    with HubSpotServer() as server:
        server.add_contact("55", "John", "Smith", phone="+14155550123")
        card = card_of(server, Customer("14155550123"))
    assert card is not None and card.record_id == "55"


# -- the card ---------------------------------------------------------------------------


def test_the_card_shows_phones_emails_company_owner_and_open_deals() -> None:
    with HubSpotServer() as server:
        server.add_contact(
            "406",
            "Ana",
            "Souza",
            phone="(11) 3456-7890",
            mobilephone="+55 11 98765-4321",
            email="ana@souza.com.br",
            hs_additional_emails="ana.souza@gmail.com;financeiro@souza.com.br",
            company="Souza Contabilidade",
            jobtitle="Sócia",
            lifecyclestage="customer",
            hubspot_owner_id="7001",
            notes_last_updated="2024-05-20T15:30:00.000Z",
        )
        server.contacts["406"]["properties"]["mobilephone"] = "+5511987654321"
        server.add_deal("801", "Folha de pagamento", "1200.50", "qualifiedtobuy", "406")
        server.add_deal("802", "Abertura", "3000", "closedwon", "406")
        server.add_deal("803", "IRPF 2024", "", "appointmentscheduled", "406")
        card = card_of(server)
    assert card is not None
    assert card.phones == ("(11) 3456-7890", "+5511987654321")
    assert card.email == "ana@souza.com.br"
    assert card.fields["E-mails"] == (
        "ana@souza.com.br, ana.souza@gmail.com, financeiro@souza.com.br"
    )
    assert card.fields["Cargo"] == "Sócia"
    assert card.fields["Fase do ciclo de vida"] == "Cliente"
    assert card.company == "Souza Contabilidade"
    assert card.owner == "Carla Mendes"
    assert card.last_activity == "20/05/2024"
    assert [(d.title, d.stage, d.value, d.currency, d.url) for d in card.deals] == [
        ("Folha de pagamento", "Qualificado", 1200.5, "BRL", f"{WEB}/record/0-3/801"),
        ("IRPF 2024", "Reunião agendada", None, "BRL", f"{WEB}/record/0-3/803"),
    ]


def test_the_portal_id_and_stages_are_asked_once_per_plugin() -> None:
    async def twice(plugin: HubSpot) -> None:
        await plugin.lookup(ANA)
        await plugin.lookup(ANA)

    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321", hubspot_owner_id="7001")
        server.add_deal("801", "Folha", "100", "qualifiedtobuy", "406")
        call(server, twice)
        paths = [r.path for r in server.requests]
    assert paths.count("/account-info/v3/details") == 1
    assert paths.count("/crm/v3/pipelines/deals") == 1
    assert paths.count("/crm/v3/owners/7001") == 1


def test_an_owner_the_token_may_not_read_shows_as_its_id() -> None:
    with HubSpotServer(owners_forbidden=True) as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321", hubspot_owner_id="7001")
        card = card_of(server)
    assert card is not None and card.owner == "7001"


def test_a_contact_without_deals_asks_no_deal_details() -> None:
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "", phone="+5511987654321")
        card = card_of(server)
        paths = [r.path for r in server.requests]
    assert card is not None and card.deals == () and card.name == "Ana"
    assert "/crm/v3/objects/deals/batch/read" not in paths


def test_deals_on_several_association_pages_all_show() -> None:
    with HubSpotServer(page_size=20) as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        for n in range(30):
            server.add_deal(str(900 + n), f"Negócio {n}", "10", "qualifiedtobuy", "406")
        card = card_of(server)
        pages = [r for r in server.requests if "/associations/deals" in r.path]
    assert card is not None and len(card.deals) == 30
    assert [r.arg("after") for r in pages] == ["", "20"]


def test_a_contact_on_many_deals_shows_at_most_fifty() -> None:
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        for n in range(60):
            server.add_deal(str(900 + n), f"Negócio {n}", "10", "qualifiedtobuy", "406")
        card = card_of(server)
        (read,) = [r for r in server.requests if r.path.endswith("/batch/read")]
    assert card is not None and len(card.deals) == 50
    assert len(read.body["inputs"]) == 50


def test_text_from_hubspot_stays_plain_text() -> None:
    with HubSpotServer() as server:
        server.add_contact(
            "406", "<b>Ana</b>", "Souza", phone="+5511987654321", company="A & B <Ltda>"
        )
        card = card_of(server)
    assert card is not None
    assert card.name == "<b>Ana</b> Souza" and card.company == "A & B <Ltda>"


# -- errors -------------------------------------------------------------------------------


def test_a_rate_limit_is_waited_out_then_the_card_comes() -> None:
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        server.fail_next(*rate_limited("0"))
        card = card_of(server)
        assert len(searches(server)) == 2  # the same search again after the pause
    assert card is not None and card.record_id == "406"


def test_a_rate_limit_without_retry_after_follows_the_secondly_header() -> None:
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        server.fail_next(
            *rate_limited(
                None,
                **{
                    "X-HubSpot-RateLimit-Remaining": "40",
                    "X-HubSpot-RateLimit-Secondly": "10",
                    "X-HubSpot-RateLimit-Secondly-Remaining": "0",
                },
            )
        )
        card = card_of(server)
    assert card is not None and card.record_id == "406"


def test_a_rolling_window_longer_than_the_call_is_a_sentence_at_once() -> None:
    with HubSpotServer() as server:
        server.fail_next(*rate_limited(None))  # 10 s window, the call may take 8
        with pytest.raises(PluginError) as caught:
            card_of(server)
        assert len(server.requests) == 1
    assert caught.value.kind == "rate_limited"
    assert "limite" in str(caught.value)


def test_a_spent_daily_limit_says_so_without_retrying() -> None:
    with HubSpotServer() as server:
        server.fail_next(*daily_limit())
        with pytest.raises(PluginError) as caught:
            card_of(server)
        assert len(server.requests) == 1
    assert caught.value.kind == "rate_limited" and str(caught.value) == DAILY_LIMIT


def test_a_wrong_token_asks_to_reconnect() -> None:
    with HubSpotServer() as server, pytest.raises(PluginError) as caught:
        call(server, lambda p: p.lookup(ANA), token="pat-na1-revoked")
    assert caught.value.kind == "auth"
    assert "reconecte" in str(caught.value)
    assert "pat-na1" not in str(caught.value)


def test_missing_scopes_say_which_permissions() -> None:
    with HubSpotServer() as server:
        server.fail_next(
            *error(403, "This app hasn't been granted all required scopes.", "MISSING_SCOPES")
        )
        with pytest.raises(PluginError) as caught:
            card_of(server)
    assert caught.value.kind == "auth" and str(caught.value) == MISSING_SCOPES


def test_a_missing_token_is_one_sentence() -> None:
    with pytest.raises(PluginError) as caught:
        asyncio.run(HubSpot(Context(settings={"token": " "})).lookup(ANA))
    assert caught.value.kind == "auth" and "token" in str(caught.value)


def test_a_refused_request_is_a_sentence() -> None:
    with HubSpotServer() as server:
        server.fail_next(*error(400, "Invalid input JSON", "VALIDATION_ERROR"))
        with pytest.raises(PluginError) as caught:
            card_of(server)
    assert caught.value.kind == "refused" and "400" in str(caught.value)


def test_hubspot_down_is_a_sentence() -> None:
    with HubSpotServer() as server:
        server.fail_next(*error(502, "Bad gateway", "INTERNAL_ERROR"))
        with pytest.raises(PluginError) as caught:
            card_of(server)
    assert caught.value.kind == "unreachable"


def test_the_default_address_is_hubspots_public_api() -> None:
    names = {s.key: s for s in HubSpot.settings}
    assert set(names) == {"base_url", "token"}
    assert names["base_url"].default == "https://api.hubapi.com"
    assert names["token"].secret and names["token"].required
    assert HubSpot.capabilities() == {
        "lookup",
        "create_contact",
        "create_lead",
        "log_conversation",
    }


# -- actions ------------------------------------------------------------------------------


def test_create_contact_sends_name_and_number() -> None:
    with HubSpotServer() as server:
        created = call(server, lambda p: p.create_contact(ANA_OLD_ID))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/crm/v3/objects/contacts"
    assert post.body == {
        "properties": {"firstname": "Ana", "lastname": "Souza", "phone": "+5511987654321"}
    }
    assert created.kind == "contact"
    assert created.url == f"{WEB}/record/0-1/{created.id}"
    assert server.contacts[created.id]["properties"]["phone"] == "+5511987654321"


def test_a_new_contact_is_found_by_the_next_lookup() -> None:
    with HubSpotServer() as server:
        created = call(server, lambda p: p.create_contact(Customer("5511987654321")))
        card = card_of(server, ANA_OLD_ID)
    assert card is not None and card.record_id == created.id


def test_create_lead_makes_a_deal_in_the_first_open_stage_linked_to_the_contact() -> None:
    card = Card(record_id="406", name="Ana Souza")
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        created = call(server, lambda p: p.create_lead(ANA, "Abertura de empresa", card))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/crm/v3/objects/deals"
    assert post.body == {
        "properties": {
            "dealname": "Abertura de empresa",
            "pipeline": "default",
            "dealstage": "appointmentscheduled",
        },
        "associations": [
            {
                "to": {"id": "406"},
                "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}],
            }
        ],
    }
    assert created.kind == "deal" and created.url == f"{WEB}/record/0-3/{created.id}"


def test_create_lead_for_a_stranger_makes_the_contact_first() -> None:
    with HubSpotServer() as server:
        created = call(server, lambda p: p.create_lead(ANA, "", None))
        posts = [r for r in server.requests if r.method == "POST"]
    assert [p.path for p in posts] == ["/crm/v3/objects/contacts", "/crm/v3/objects/deals"]
    (contact_id,) = server.contacts
    deal = server.deals[created.id]
    assert deal["properties"]["dealname"] == "WhatsApp: Ana Souza"
    assert deal["associations"][0]["to"]["id"] == contact_id


def test_log_conversation_posts_a_note_on_the_contact() -> None:
    when = datetime(2024, 5, 20, 14, 30).timestamp()
    transcript = Transcript(
        ANA, ((when - 60, "Ana Souza", "Oi, tudo bem? <3"), (when, "Carla", "Tudo & você?"))
    )
    card = Card(record_id="406")
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        created = call(server, lambda p: p.log_conversation(transcript, card))
        (post,) = [r for r in server.requests if r.method == "POST"]
    assert post.path == "/crm/v3/objects/notes"
    props = post.body["properties"]
    assert datetime.fromisoformat(props["hs_timestamp"].replace("Z", "+00:00")).timestamp() == when
    assert props["hs_note_body"].split("<br>") == [
        "Conversa no WhatsApp com Ana Souza",
        f"{datetime.fromtimestamp(when - 60):%d/%m/%Y %H:%M} — Ana Souza: Oi, tudo bem? &lt;3",
        f"{datetime.fromtimestamp(when):%d/%m/%Y %H:%M} — Carla: Tudo &amp; você?",
    ]
    assert post.body["associations"] == [
        {
            "to": {"id": "406"},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}],
        }
    ]
    assert created.kind == "note" and created.id in server.notes
    assert created.url == f"{WEB}/record/0-1/406"


def test_a_long_conversation_keeps_the_latest_messages_within_the_note_limit() -> None:
    lines = tuple((1.7e9 + n, "Ana", f"mensagem {n} " + "x" * 200) for n in range(600))
    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="+5511987654321")
        call(server, lambda p: p.log_conversation(Transcript(ANA, lines), Card(record_id="406")))
        (post,) = [r for r in server.requests if r.method == "POST"]
    body = post.body["properties"]["hs_note_body"]
    assert len(body) <= NOTE_LIMIT
    assert "mensagem 599 " in body and "mensagem 0 " not in body
    assert "(mensagens anteriores omitidas)" in body


def test_log_conversation_for_a_stranger_says_to_create_the_contact() -> None:
    with HubSpotServer() as server:
        with pytest.raises(PluginError) as caught:
            call(server, lambda p: p.log_conversation(Transcript(ANA, ()), None))
        assert server.requests == []
    assert caught.value.kind == "refused" and "crie o contato" in str(caught.value)


# -- in the host --------------------------------------------------------------------------


def test_runs_in_the_plugin_host() -> None:
    async def session(server: HubSpotServer) -> tuple[Any, Any, Any, Any]:
        host = PluginHost([Enabled(HubSpot, settings(server))])
        try:
            cards = await host.lookup(ANA)
            leads = await host.create_lead(ANA, "Abertura de empresa")
            notes = await host.log_conversation(Transcript(ANA, ((1.7e9, "Ana", "Oi"),)))
            stranger = await host.lookup(Customer("5521912345678"))
        finally:
            await host.aclose()
        return cards, leads, notes, stranger

    with HubSpotServer() as server:
        server.add_contact("406", "Ana", "Souza", phone="(11) 98765-4321")
        server.add_deal("801", "Folha de pagamento", "1200", "qualifiedtobuy", "406")
        cards, leads, notes, stranger = asyncio.run(session(server))
    (card,) = cards
    assert card.error == "" and card.title == "HubSpot"
    assert card.card.name == "Ana Souza" and card.card.url == f"{WEB}/record/0-1/406"
    assert [(d.title, d.stage, d.value) for d in card.card.deals] == [
        ("Folha de pagamento", "Qualificado", 1200.0)
    ]
    (lead,) = leads
    assert lead.error == "" and lead.created is not None
    assert server.deals[lead.created.id]["associations"][0]["to"]["id"] == "406"
    (note,) = notes
    assert note.error == "" and note.created is not None and note.created.kind == "note"
    assert server.notes[note.created.id]["properties"]["hs_note_body"].endswith("Ana: Oi")
    (nobody,) = stranger
    assert nobody.error == "" and nobody.card is None
