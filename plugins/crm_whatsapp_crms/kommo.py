"""Kommo (API v4): the contact card by WhatsApp number, contacts, leads and conversation notes.

Kommo is popular with Brazilian offices that sell over WhatsApp; each account
lives at its own ``https://SUBDOMAIN.kommo.com``, so ``base_url`` has no
usable default and is required. The token is a long-lived token an admin
makes in the account's integrations (sent as ``Authorization: Bearer``).

Kommo's contact search (``GET /api/v4/contacts?query=``) matches the values
people stored, so the plugin asks with each form of the number in
:func:`phone_variants` and accepts a contact only when one of its PHONE
values is :func:`same_phone` as the customer's: a search hit on another
field, or a number with the same last digits in another area code, is never
the customer. Leads come as ids only, so their name, sale value and stage
are read in one more request (and the stage names once per instance).

Vendor documentation:
https://developers.kommo.com/reference/contacts-list,
https://developers.kommo.com/reference/leads-list,
https://kommo.com/developers/content/api_v4/contacts-api,
https://kommo.com/developers/content/api_v4/leads-api,
https://kommo.com/developers/content/api_v4/events-and-notes,
https://developers.kommo.com/reference/notes-types,
https://developers.kommo.com/reference/custom-fields.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any, Final

from crm_whatsapp.plugin_api import (
    Card,
    Context,
    Created,
    Customer,
    Deal,
    Http,
    Plugin,
    PluginError,
    Setting,
    Transcript,
    json_array,
    json_object,
    normalised_phone,
    phone_variants,
    same_phone,
)

VENDOR: Final = "Kommo"
PAGE_SIZE: Final = 50
MAX_PAGES: Final = 5  # a number matching more than 250 contacts is a search gone wrong
MAX_LEADS: Final = 50
CLOSED_STATUSES: Final = frozenset({142, 143})  # Kommo's fixed "won" and "lost" stages
DATE_TYPES: Final = frozenset({"date", "birthday"})


def _embedded(data: Any, key: str) -> list[dict[str, Any]]:
    """The objects of a HAL ``_embedded`` collection."""
    return [
        item
        for item in json_array(json_object(json_object(data).get("_embedded")).get(key))
        if json_object(item)
    ]


def _as_text(value: Any, field_type: str = "") -> str:
    """One custom field value as the card shows it (plain text, dates in Brazilian order)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sim" if value else "Não"
    if isinstance(value, int | float) and field_type in DATE_TYPES | {"date_time"}:
        pattern = "%d/%m/%Y %H:%M" if field_type == "date_time" else "%d/%m/%Y"
        return time.strftime(pattern, time.localtime(value))
    if isinstance(value, dict):  # legal_entity and similar: several named parts
        return ", ".join(_as_text(v) for v in value.values() if _as_text(v))
    return str(value).strip()


def _field_values(field: dict[str, Any]) -> list[str]:
    """The non-empty values of one ``custom_fields_values`` entry."""
    kind = str(field.get("field_type") or "")
    out = [_as_text(json_object(v).get("value"), kind) for v in json_array(field.get("values"))]
    return [v for v in out if v]


def _coded(contact: dict[str, Any], code: str) -> list[str]:
    """Every value of the contact's fields with ``field_code`` (PHONE, EMAIL), in order."""
    return [
        value
        for field in map(json_object, json_array(contact.get("custom_fields_values")))
        if field.get("field_code") == code
        for value in _field_values(field)
    ]


def _new_id(data: Any, key: str) -> str:
    """The id of the first record a create call returned (``_embedded.KEY[0].id``)."""
    items = _embedded(data, key)
    new = items[0].get("id") if items else None
    if new is None:
        raise PluginError(
            "answer", "O Kommo não devolveu o número do registro criado (erro de integração)."
        )
    return str(new)


def _account_url(text: str) -> str:
    """The account's address as typed in settings, made usable.

    People paste ``subdominio.kommo.com`` or a page of the account; the API
    and the record links both hang off ``https://SUBDOMAIN.kommo.com``.
    """
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url
    for tail in ("/api/v4", "/api"):
        if url.endswith(tail):
            url = url[: -len(tail)]
    return url


class Kommo(Plugin):
    """Contact card, new contacts, leads and conversation notes in a Kommo account."""

    name = "kommo"
    title = "Kommo"
    settings = (
        Setting(
            "base_url",
            "Endereço da conta Kommo",
            help="O endereço da sua conta, como https://suaempresa.kommo.com.",
            required=True,
        ),
        Setting(
            "token",
            "Token de longa duração",
            secret=True,
            help="Crie em Configurações → Integrações → Criar integração → Chaves e escopos.",
            required=True,
        ),
    )

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._client: Http | None = None
        self._stages: dict[int, str] | None = None  # status id → stage name, read once

    # -- plumbing -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The account's web address (records open under it)."""
        return _account_url(self.context.get("base_url"))

    def _http(self) -> Http:
        """The client, made on first use so a missing setting is a sentence, not a crash."""
        if self._client is None:
            if not self.base_url:
                raise PluginError(
                    "broken",
                    "Informe o endereço da sua conta Kommo (https://suaempresa.kommo.com) "
                    "nas configurações do plugin.",
                )
            token = self.context.get("token")
            if not token:
                raise PluginError(
                    "auth", "Informe o token de longa duração do Kommo nas configurações do plugin."
                )
            self._client = Http(
                VENDOR,
                self.base_url,
                headers={"Authorization": f"Bearer {token}"},
                timeout=self.context.timeout,
                budget=self.context.timeout,
            )
        return self._client

    def _contact_url(self, contact_id: str) -> str:
        return f"{self.base_url}/contacts/detail/{contact_id}"

    def _lead_url(self, lead_id: str) -> str:
        return f"{self.base_url}/leads/detail/{lead_id}"

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- lookup -------------------------------------------------------------------------

    async def lookup(self, customer: Customer) -> Card | None:
        """The card of the first contact whose PHONE is this number, or None.

        Each form of the number is asked in turn (most common first) and the
        search stops at the first form that finds the customer, so the usual
        case costs one search.
        """
        http = self._http()
        seen: set[str] = set()
        for variant in phone_variants(customer.phone):
            async for contact in self._search(http, variant):
                key = str(contact.get("id"))
                if key in seen:
                    continue
                seen.add(key)
                if any(same_phone(p, customer.phone) for p in _coded(contact, "PHONE")):
                    return await self._card(http, contact)
        return None

    async def _search(self, http: Http, query: str) -> AsyncIterator[dict[str, Any]]:
        """Contacts Kommo's search finds for ``query``, page after page (204: none)."""
        for page in range(1, MAX_PAGES + 1):
            params = {"query": query, "with": "leads", "limit": PAGE_SIZE, "page": page}
            data = await http.json("GET", "/api/v4/contacts", params=params)
            if data is None:
                return
            for contact in _embedded(data, "contacts"):
                yield contact
            if not json_object(json_object(data).get("_links")).get("next"):
                return

    async def _card(self, http: Http, contact: dict[str, Any]) -> Card:
        """Everything the side panel shows for one contact."""
        record_id = str(contact.get("id"))
        emails = _coded(contact, "EMAIL")
        fields: dict[str, str] = {}
        if len(emails) > 1:
            fields["E-mails"] = ", ".join(emails)
        for field in map(json_object, json_array(contact.get("custom_fields_values"))):
            if field.get("field_code") in ("PHONE", "EMAIL"):
                continue
            values = _field_values(field)
            label = str(field.get("field_name") or field.get("field_code") or "").strip()
            if values and label:
                fields[label] = ", ".join(values)
        name = (
            str(contact.get("name") or "").strip()
            or " ".join(
                str(contact.get(k) or "").strip() for k in ("first_name", "last_name")
            ).strip()
        )
        owner = contact.get("responsible_user_id")
        return Card(
            record_id=record_id,
            name=name,
            phones=tuple(_coded(contact, "PHONE")),
            email=emails[0] if emails else "",
            company=await self._company(http, contact),
            owner=str(owner) if owner else "",
            url=self._contact_url(record_id),
            deals=await self._deals(http, contact),
            fields=fields,
        )

    async def _company(self, http: Http, contact: dict[str, Any]) -> str:
        """The linked company's name (the contact list embeds only its id)."""
        companies = _embedded(contact, "companies")
        if not companies:
            return ""
        company = companies[0]
        name = str(company.get("name") or "").strip()
        if name or company.get("id") is None:
            return name
        data = await http.json("GET", f"/api/v4/companies/{int(company['id'])}")
        return str(json_object(data).get("name") or "").strip()

    async def _deals(self, http: Http, contact: dict[str, Any]) -> tuple[Deal, ...]:
        """The contact's open leads with name, sale value and stage."""
        ids = [str(lead["id"]) for lead in _embedded(contact, "leads") if lead.get("id")]
        if not ids:
            return ()
        params = {"filter[id][]": ids[:MAX_LEADS], "limit": MAX_LEADS}
        data = await http.json("GET", "/api/v4/leads", params=params)
        leads = [lead for lead in _embedded(data, "leads") if lead.get("id") is not None]
        open_leads = [lead for lead in leads if lead.get("status_id") not in CLOSED_STATUSES]
        if not open_leads:
            return ()
        stages = await self._stage_names(http)
        deals = []
        for lead in open_leads:
            price = lead.get("price")
            deals.append(
                Deal(
                    title=str(lead.get("name") or "").strip() or f"Lead #{lead['id']}",
                    stage=stages.get(lead.get("status_id") or 0, ""),
                    value=float(price) if isinstance(price, int | float) and price else None,
                    url=self._lead_url(str(lead["id"])),
                )
            )
        return tuple(deals)

    async def _stage_names(self, http: Http) -> dict[int, str]:
        """Stage names of every pipeline, asked once per instance (they rarely change)."""
        if self._stages is None:
            data = await http.json("GET", "/api/v4/leads/pipelines")
            stages: dict[int, str] = {}
            for pipeline in _embedded(data, "pipelines"):
                for status in _embedded(pipeline, "statuses"):
                    if isinstance(status.get("id"), int):
                        stages[status["id"]] = str(status.get("name") or "").strip()
            self._stages = stages
        return self._stages

    # -- actions ------------------------------------------------------------------------

    async def create_contact(self, customer: Customer) -> Created:
        """A contact with the customer's name and mobile number (with the ninth digit)."""
        number = phone_variants(customer.phone)[0]  # "+55DD9XXXXXXXX", as people dial it
        body = [
            {
                "name": customer.name.strip() or f"+{normalised_phone(number)}",
                "custom_fields_values": [
                    {"field_code": "PHONE", "values": [{"value": number, "enum_code": "MOB"}]}
                ],
            }
        ]
        data = await self._http().json("POST", "/api/v4/contacts", json=body)
        new = _new_id(data, "contacts")
        return Created("contact", new, self._contact_url(new))

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        """A lead linked to the customer's contact (made first when Kommo has none)."""
        contact_id = card.record_id if card else (await self.create_contact(customer)).id
        name = title.strip() or f"WhatsApp: {customer.name.strip() or '+' + customer.phone}"
        body = [{"name": name, "_embedded": {"contacts": [{"id": self._int_id(contact_id)}]}}]
        data = await self._http().json("POST", "/api/v4/leads", json=body)
        new = _new_id(data, "leads")
        return Created("lead", new, self._lead_url(new))

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        """The conversation as a text ("common") note on the customer's contact."""
        if card is None:
            raise PluginError(
                "refused",
                "O Kommo não tem um contato com este número; crie o contato antes de "
                "registrar a conversa.",
            )
        contact_id = self._int_id(card.record_id)
        body = [{"note_type": "common", "params": {"text": transcript.as_text()}}]
        data = await self._http().json("POST", f"/api/v4/contacts/{contact_id}/notes", json=body)
        return Created("note", _new_id(data, "notes"), self._contact_url(str(contact_id)))

    @staticmethod
    def _int_id(record_id: str) -> int:
        """A Kommo record id (an integer) from a card's ``record_id``."""
        try:
            return int(record_id)
        except ValueError as exc:
            raise PluginError(
                "broken", "O contato do Kommo tem um identificador inválido (erro de integração)."
            ) from exc
