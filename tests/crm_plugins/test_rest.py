"""The generic REST plugin against a loopback CRM speaking Agendor, Ploomes and Odoo JSON-2.

Vendor documentation the server and these tests follow:
- Agendor API v3: https://api.agendor.com.br/docs/ (``Authorization: Token``,
  ``GET /v3/people?mobile_phone=``, ``{"data": [...], "links": {"next"}}``,
  ``POST /v3/people``, ``/v3/people/{id}/deals``, ``/v3/people/{id}/tasks``)
- Ploomes API: https://developers.ploomes.com/ (``User-Key`` header, OData
  ``$filter=Phones/any(p: p/SearchPhoneNumber eq N)``, ``value``, ``@odata.nextLink``)
- Odoo 19 External JSON-2 API:
  https://www.odoo.com/documentation/19.0/developer/reference/external_api.html
  (``POST /json/2/<model>/<method>``, ``Authorization: bearer``, 401 "Invalid apikey")
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest

from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.plugin_api import Card, Context, Created, Customer, PluginError, Transcript
from crm_whatsapp_crms.rest import GenericREST, fill_json, values_at
from tests.crm_plugins.rest_server import KEY, RestServer

ANA = Customer("5511987654321", 'Ana "Souza"')
ANA_OLD_ID = Customer("551187654321", "Ana Souza")  # WhatsApp id without the ninth digit
T = TypeVar("T")


@pytest.fixture
def crm() -> Iterator[RestServer]:
    with RestServer() as server:
        yield server


def preset_settings(crm: RestServer, preset: str) -> dict[str, str]:
    base = {"agendor": "/v3", "ploomes": "", "odoo": ""}[preset]
    return {"preset": preset, "base_url": crm.base_url + base, "auth_value": KEY}


def run(
    crm: RestServer, which: str, call: Callable[[GenericREST], Awaitable[T]], **settings: str
) -> T:
    """One plugin coroutine against the server, the plugin closed afterwards."""

    async def go() -> T:
        plugin = GenericREST(Context(settings={**preset_settings(crm, which), **settings}))
        try:
            return await call(plugin)
        finally:
            await plugin.aclose()

    return asyncio.run(go())


def lookup(crm: RestServer, which: str, customer: Customer = ANA, **s: str) -> Card | None:
    return run(crm, which, lambda p: p.lookup(customer), **s)


PRESETS = ["agendor", "ploomes", "odoo"]


# -- lookup -------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
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
def test_number_stored_in_any_format_is_found(crm: RestServer, preset: str, stored: str) -> None:
    crm.add_person("Ana Souza", [stored], ["ana@souza.com.br"], company="Souza ME")
    card = lookup(crm, preset)
    assert card is not None
    assert (card.name, card.email, card.company) == ("Ana Souza", "ana@souza.com.br", "Souza ME")
    assert card.phones == (stored,)
    assert lookup(crm, preset, ANA_OLD_ID) is not None


@pytest.mark.parametrize("preset", PRESETS)
def test_decoy_in_another_area_code_never_matches(crm: RestServer, preset: str) -> None:
    # Same eight last digits, other area code (and one without any): never Ana.
    crm.add_person("Decoy", ["(21) 98765-4321", "2198765-4321", "87654321"])
    assert lookup(crm, preset) is None
    # With Ana stored too, the decoy still comes back from substring searches and is dropped.
    crm.add_person("Ana Souza", ["+55 11 98765-4321", "5511987654321"])
    card = lookup(crm, preset)
    assert card is not None and card.name == "Ana Souza"


@pytest.mark.parametrize("preset", PRESETS)
def test_nobody_found_is_none(crm: RestServer, preset: str) -> None:
    crm.add_person("Outro", ["(11) 91111-2222"])
    assert lookup(crm, preset) is None


def test_asks_each_form_until_someone_answers(crm: RestServer) -> None:
    crm.add_person("Ana Souza", ["(11) 98765-4321"])
    assert lookup(crm, "agendor") is not None
    asked = [r.arg("mobile_phone") for r in crm.requests]
    assert asked[-1] == "(11) 98765-4321" and asked[0] == "+5511987654321"


def test_ploomes_asks_only_numeric_forms(crm: RestServer) -> None:
    crm.add_person("Ana Souza", ["+55 (11) 8765-4321"])
    card = lookup(crm, "ploomes")
    assert card is not None and card.name == "Ana Souza"
    numbers = [r.arg("$filter").rsplit("eq ", 1)[1].rstrip(")") for r in crm.requests]
    assert numbers and all(n.isdigit() for n in numbers)
    assert crm.requests[0].headers["user-key"] == KEY


@pytest.mark.parametrize("preset", ["agendor", "ploomes"])
def test_pagination_finds_the_person_after_a_page_of_decoys(crm: RestServer, preset: str) -> None:
    crm.page_size = 2
    crm.loose = True  # the filter matches the last eight digits, as substring searches do
    for area in (21, 31, 41):
        crm.add_person(f"Decoy {area}", [f"55{area}987654321"])
    crm.add_person("Ana Souza", ["5511987654321"])
    card = lookup(crm, preset)
    assert card is not None and card.name == "Ana Souza"
    assert len(crm.requests) == 2  # the first form's two pages, the link followed


def test_next_link_to_another_host_is_not_followed(crm: RestServer) -> None:
    crm.page_size = 1
    crm.loose = True
    crm.add_person("Decoy", ["5521987654321"])
    crm.add_person("Ana Souza", ["5511987654321"])
    crm.foreign_next = "http://example.invalid/v3/people?page=2"
    assert lookup(crm, "agendor") is None
    assert all(r.path == "/v3/people" and r.arg("page", "1") == "1" for r in crm.requests)


def test_several_phones_emails_and_custom_fields(crm: RestServer) -> None:
    crm.loose = True  # "+55 11 98765-4321" is no form the plugin asks; a loose search finds it
    crm.add_person(
        "Ana Souza",
        ["(11) 3333-4444", "+55 11 98765-4321", "11 4002-8922"],
        ["ana@souza.com.br", "financeiro@souza.com.br"],
        company="Souza ME",
        role="Diretora",
    )
    card = lookup(crm, "agendor")
    assert card is not None
    assert card.phones == ("(11) 3333-4444", "+55 11 98765-4321", "11 4002-8922")
    assert card.email == "ana@souza.com.br"
    assert card.fields == {"Cargo": "Diretora"}
    crm.people.clear()
    pid = crm.add_person("Ana", ["+55 11 98765-4321"], ["a@b.c", "d@e.f"], role="Diretora")
    card = lookup(crm, "odoo")
    assert card is not None
    assert card.email == "a@b.c,d@e.f"  # Odoo stores them in one field, as typed
    assert card.fields == {"Cargo": "Diretora"}
    assert card.company == ""  # false in Odoo: empty, not "False"
    assert card.url == f"{crm.base_url}/odoo/contacts/{pid}"
    assert crm.requests[-1].headers["authorization"] == f"bearer {KEY}"


def test_missing_paths_give_empty_fields(crm: RestServer) -> None:
    crm.add_person("Ana Souza", ["5511987654321"])
    mapping = {
        "records": "data",
        "id": "id",
        "name": "nome.completo",
        "phones": ["contact.mobile", "nada.aqui", "contact.mobile.0.x"],
        "email": "contact.emails.0",
        "company": "organization.name.deep",
        "fields": {"Sem valor": "custom.missing"},
        "url": "https://crm.example/p/{id}",
    }
    card = lookup(crm, "agendor", mapping=json.dumps(mapping))
    assert card is not None
    assert (card.name, card.email, card.company, dict(card.fields)) == ("", "", "", {})
    assert card.url.startswith("https://crm.example/p/")


@pytest.mark.parametrize("key", ["mapping", "lookup", "lead"])
def test_bad_json_setting_is_one_sentence_naming_it(crm: RestServer, key: str) -> None:
    with pytest.raises(PluginError) as raised:
        lookup(crm, "agendor", **{key: '{"records": "data",'})
    assert raised.value.kind == "broken"
    assert f"«{key}»" in str(raised.value) and str(raised.value).count(".") == 1
    assert crm.requests == []


def test_unknown_preset_and_missing_key(crm: RestServer) -> None:
    with pytest.raises(PluginError, match="modelo"):
        lookup(crm, "agendor", preset="salesforce")
    with pytest.raises(PluginError) as raised:
        lookup(crm, "agendor", auth_value="")
    assert raised.value.kind == "auth"


@pytest.mark.parametrize("preset", PRESETS)
def test_wrong_key_is_auth_error(crm: RestServer, preset: str) -> None:
    crm.add_person("Ana Souza", ["5511987654321"])
    with pytest.raises(PluginError) as raised:
        lookup(crm, preset, auth_value="errada")
    assert raised.value.kind == "auth"
    assert "reconecte" in str(raised.value)


def test_rate_limit_then_success(crm: RestServer) -> None:
    crm.add_person("Ana Souza", ["+5511987654321"])
    crm.fail_next(429, {"errors": ["Too Many Requests"]}, {"Retry-After": "0"})
    card = lookup(crm, "agendor")
    assert card is not None and card.name == "Ana Souza"
    assert len(crm.requests) == 2


def test_fully_custom_configuration_without_preset(crm: RestServer) -> None:
    crm.add_person("Ana Souza", ["(11) 98765-4321"], ["ana@souza.com.br"])
    settings = {
        "preset": "",
        "base_url": crm.base_url,
        "auth_header": "Authorization",
        "auth_value": f"Token {KEY}",
        "lookup": json.dumps({"url": "/v3/people?mobile_phone={phone}", "phones": "all"}),
        "mapping": json.dumps(
            {"records": "data", "id": "id", "name": "name", "phones": "contact.mobile"}
        ),
        "log": json.dumps(
            {
                "method": "POST",
                "url": "/v3/people/{id}/tasks",
                "body": {"text": "{text}", "quem": "{name}"},
                "id": "data.id",
            }
        ),
    }

    async def go() -> tuple[Card | None, Created]:
        plugin = GenericREST(Context(settings=settings))
        try:
            card = await plugin.lookup(ANA)
            note = await plugin.log_conversation(
                Transcript(ANA, ((1_700_000_000.0, "Ana", 'Oi, "preço"?\nObrigada'),)), card
            )
            return card, note
        finally:
            await plugin.aclose()

    card, note = asyncio.run(go())
    assert card is not None and card.email == ""  # email not mapped
    assert note.kind == "note" and note.id
    sent = crm.notes[-1]
    assert 'Oi, "preço"?' in sent["text"] and sent["quem"] == 'Ana "Souza"'
    with pytest.raises(PluginError, match="«lead»"):
        asyncio.run(_lead_without_template(settings))


async def _lead_without_template(settings: dict[str, str]) -> Created:
    plugin = GenericREST(Context(settings=settings))
    try:
        return await plugin.create_lead(ANA, "x", None)
    finally:
        await plugin.aclose()


# -- actions ------------------------------------------------------------------------------


def test_agendor_actions_send_documented_bodies(crm: RestServer) -> None:
    made = run(crm, "agendor", lambda p: p.create_contact(ANA))
    assert made.kind == "contact" and made.id
    sent = crm.requests[-1]
    assert (sent.method, sent.path) == ("POST", "/v3/people")
    assert sent.body == {
        "name": 'Ana "Souza"',
        "contact": {"mobile": "+5511987654321", "whatsapp": "+5511987654321"},
    }
    lead = run(crm, "agendor", lambda p: p.create_lead(ANA, "Proposta", None))
    assert lead.kind == "lead" and lead.id
    assert crm.requests[-1].path == f"/v3/people/{made.id}/deals"
    assert crm.requests[-1].body == {"title": "Proposta"}
    note = run(
        crm,
        "agendor",
        lambda p: p.log_conversation(Transcript(ANA, ((1_700_000_000.0, "Ana", "Oi"),)), None),
    )
    assert note.kind == "note" and crm.requests[-1].path == f"/v3/people/{made.id}/tasks"
    assert "Ana: Oi" in crm.requests[-1].body["text"]


def test_ploomes_actions_send_documented_bodies(crm: RestServer) -> None:
    pid = crm.add_person("Ana Souza", ["5511987654321"])
    card = lookup(crm, "ploomes")
    assert card is not None and card.record_id == str(pid)
    lead = run(crm, "ploomes", lambda p: p.create_lead(ANA, "", card))
    assert crm.requests[-1].body == {"Title": 'WhatsApp Ana "Souza"', "ContactId": pid}
    assert lead.id == str(crm.deals[-1]["Id"])
    run(
        crm,
        "ploomes",
        lambda p: p.log_conversation(Transcript(ANA, ((1_700_000_000.0, "Ana", "Oi"),)), card),
    )
    assert crm.requests[-1].path == "/InteractionRecords"
    assert crm.requests[-1].body["ContactId"] == pid


def test_odoo_actions_send_documented_bodies(crm: RestServer) -> None:
    made = run(crm, "odoo", lambda p: p.create_contact(ANA))
    assert crm.requests[-1].path == "/json/2/res.partner/create"
    assert crm.requests[-1].body == {
        "vals_list": [{"name": 'Ana "Souza"', "phone": "+5511987654321"}]
    }
    assert made.url == f"{crm.base_url}/odoo/contacts/{made.id}"
    lead = run(crm, "odoo", lambda p: p.create_lead(ANA, "Orçamento", None))
    assert crm.requests[-1].body == {
        "vals_list": [{"name": "Orçamento", "partner_id": int(made.id), "type": "opportunity"}]
    }
    assert lead == Created("lead", lead.id, f"{crm.base_url}/odoo/crm/{lead.id}")
    note = run(
        crm,
        "odoo",
        lambda p: p.log_conversation(Transcript(ANA, ((1_700_000_000.0, "Ana", "Oi"),)), None),
    )
    body = crm.requests[-1].body
    assert crm.requests[-1].path == "/json/2/res.partner/message_post"
    assert body["ids"] == [int(made.id)] and body["subtype_xmlid"] == "mail.mt_note"
    assert note.url == f"{crm.base_url}/odoo/contacts/{made.id}"


def test_log_for_unknown_number_is_refused(crm: RestServer) -> None:
    with pytest.raises(PluginError) as raised:
        run(
            crm,
            "agendor",
            lambda p: p.log_conversation(Transcript(ANA, ((1.0, "Ana", "Oi"),)), None),
        )
    assert raised.value.kind == "refused"
    assert not any(r.method == "POST" for r in crm.requests)


def test_templates_are_filled_as_json_never_concatenated() -> None:
    body = fill_json(
        {"t": "Lead {title}", "id": "{id}", "ids": ["{id}"], "n": 3, "x": None},
        {"title": '"}, "admin": true, {"', "id": "42"},
    )
    assert body == {"t": 'Lead "}, "admin": true, {"', "id": 42, "ids": [42], "n": 3, "x": None}
    assert values_at({"@odata.nextLink": "u", "a": [{"b": 1}, {"b": 2}]}, "a.b") == [1, 2]
    assert values_at({"@odata.nextLink": "u"}, "@odata.nextLink") == ["u"]
    assert values_at({"a": [1]}, "a.5") == [] and values_at("text", "a.b") == []


# -- in the host --------------------------------------------------------------------------


def test_runs_in_the_plugin_host(crm: RestServer) -> None:
    crm.add_person("Ana Souza", ["(11) 98765-4321"], ["ana@souza.com.br"], company="Souza ME")
    settings = preset_settings(crm, "agendor")

    async def go() -> None:
        host = PluginHost([Enabled(GenericREST, settings)])
        try:
            assert GenericREST.capabilities() == {
                "lookup",
                "create_contact",
                "create_lead",
                "log_conversation",
            }
            [result] = await host.lookup(ANA)
            assert result.error == "" and result.card is not None
            assert result.card.company == "Souza ME"
            [lead] = await host.create_lead(ANA, "Proposta")
            assert lead.error == "" and lead.created is not None and lead.created.kind == "lead"
        finally:
            await host.aclose()

    asyncio.run(go())
