"""HubSpot: the contact's card by WhatsApp number, new contacts, deals and conversation notes.

HubSpot is widely used (WhatsApp inside HubSpot only on Professional and
Enterprise tiers, so many offices on lower tiers want the inbox beside it).
The plugin speaks CRM API v3 with a private app's access token in
``Authorization: Bearer``.

Finding the customer: the search endpoint compares the stored text of
``phone`` and ``mobilephone`` exactly (``EQ``), and people store numbers
every way ("+55 11 98765-4321", "(11) 8765-4321", "11987654321"). So the
plugin asks for the forms of :func:`phone_variants` on both properties, one
filter per filter group (groups are OR'd, filters inside a group AND'd),
at most five groups per request as the search allows; forms most people
type go first, and the search stops at the first contact whose stored
number is :func:`same_phone` as the customer's. A contact whose number only
looks alike (the same eight digits in another area code) is never shown.
Contacts made in the last seconds are not searchable yet (HubSpot indexes
them within about 10 s).

The card: names, both phones, e-mails, company, owner (the owner's name,
the id when the token may not read owners), open deals with the stage's
label and the amount (associations v4, then one batch read of the deals),
and the record's address in HubSpot's web app. The portal id and web
domain for that address come once from the account-info endpoint.

Rate limits: a 429 ``RATE_LIMITS`` answer carries ``Retry-After`` or the
``X-HubSpot-RateLimit-*`` headers; a response hook turns those headers into
``Retry-After`` so :class:`Http` waits out a short burst, and a spent daily
limit becomes one sentence at once (waiting cannot help before tomorrow).

Vendor documentation:
https://developers.hubspot.com/docs/guides/api/crm/search (search, filterGroups, paging),
https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api
(5 filter groups, 10 filters per group, 25 filters per request),
https://developers.hubspot.com/docs/guides/api/crm/objects/contacts,
https://developers.hubspot.com/docs/guides/api/crm/objects/deals,
https://developers.hubspot.com/docs/guides/api/crm/engagements/notes,
https://developers.hubspot.com/docs/guides/api/crm/associations/associations-v4,
https://developers.hubspot.com/docs/guides/api/crm/pipelines,
https://developers.hubspot.com/docs/guides/api/crm/owners,
https://developers.hubspot.com/docs/api-reference/latest/account/account-information/guide
(``GET /account-info/v3/details``: portalId, uiDomain),
https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details (rate limits),
https://developers.hubspot.com/docs/api-reference/error-handling (errors).
"""

from __future__ import annotations

import html
import time
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any, Final

import httpx

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
    phone_variants,
    plain_text,
    retry_after,
    same_phone,
)

VENDOR: Final = "HubSpot"
DEFAULT_URL: Final = "https://api.hubapi.com"
DEFAULT_UI: Final = "app.hubspot.com"
PHONE_PROPERTIES: Final = ("phone", "mobilephone")
CONTACT_PROPERTIES: Final = (
    "firstname",
    "lastname",
    "phone",
    "mobilephone",
    "email",
    "hs_additional_emails",
    "company",
    "jobtitle",
    "lifecyclestage",
    "hubspot_owner_id",
    "notes_last_updated",
)
DEAL_PROPERTIES: Final = (
    "dealname",
    "dealstage",
    "pipeline",
    "amount",
    "deal_currency_code",
    "hs_is_closed",
)
GROUPS_PER_SEARCH: Final = 5  # HubSpot's limit of filter groups per search request
PAGE_SIZE: Final = 100
MAX_PAGES: Final = 5  # a number on more than 500 contacts is a search gone wrong
MAX_DEALS: Final = 50
NOTE_LIMIT: Final = 65_536  # hs_note_body's documented maximum, in characters
DEAL_TO_CONTACT: Final = 3  # HUBSPOT_DEFINED association type ids
NOTE_TO_CONTACT: Final = 202
DAILY_LIMIT: Final = (
    "A conta do HubSpot atingiu o limite diário de uso da API; "
    "as consultas voltam a funcionar quando o limite renovar, amanhã."
)
MISSING_SCOPES: Final = (
    "O HubSpot recusou o pedido: o aplicativo privado não tem as permissões necessárias "
    "(contatos, negócios e anotações); ajuste os escopos do app no HubSpot."
)
LIFECYCLE: Final = {
    "subscriber": "Assinante",
    "lead": "Lead",
    "marketingqualifiedlead": "Lead qualificado para marketing",
    "salesqualifiedlead": "Lead qualificado para vendas",
    "opportunity": "Oportunidade",
    "customer": "Cliente",
    "evangelist": "Evangelista",
    "other": "Outro",
}


def _number(value: Any) -> float | None:
    """A HubSpot number property (sent as a string) as a float; None when blank or zero."""
    try:
        number = float(plain_text(value))
    except ValueError:
        return None
    return number or None


def _date(value: Any) -> str:
    """An ISO 8601 timestamp as ``dd/mm/aaaa`` (what the card shows); "" when unreadable."""
    text = plain_text(value)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).strftime("%d/%m/%Y")
    except ValueError:
        return ""


def phone_filters(phone: str) -> list[dict[str, str]]:
    """One ``EQ`` filter per number form and phone property, the forms people type first."""
    return [
        {"propertyName": prop, "operator": "EQ", "value": form}
        for form in phone_variants(phone)
        for prop in PHONE_PROPERTIES
    ]


def _chunks(items: list[dict[str, str]], size: int) -> Iterable[list[dict[str, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _rate_limited(response: httpx.Response) -> float | None:
    """A 429 read before :class:`Http` retries: a spent daily limit ends the call at once;
    otherwise ``Retry-After``, or HubSpot's rate-limit headers when it names none."""
    if daily_limit_spent(response):
        raise PluginError("rate_limited", DAILY_LIMIT)
    wait = retry_after(response)
    if wait is None and (header := rate_limit_wait(response)) is not None:
        wait = float(header)
    return wait


def rate_limit_wait(response: httpx.Response) -> str | None:
    """``Retry-After`` seconds for a 429 that names none, from HubSpot's rate-limit headers.

    The per-second window clears within a second; the rolling window says
    its length in ``X-HubSpot-RateLimit-Interval-Milliseconds``. None when
    the headers say nothing usable (then :class:`Http` waits one second).
    """
    headers = response.headers
    if headers.get("x-hubspot-ratelimit-secondly-remaining", "").strip() == "0":
        return "1"
    if headers.get("x-hubspot-ratelimit-remaining", "").strip() == "0":
        try:
            return str(max(0.0, int(headers["x-hubspot-ratelimit-interval-milliseconds"]) / 1000))
        except (KeyError, ValueError):
            return None
    return None


def daily_limit_spent(response: httpx.Response) -> bool:
    """Whether a 429 means the account's daily allowance is gone (not a short burst)."""
    if response.headers.get("x-hubspot-ratelimit-daily-remaining", "").strip() == "0":
        return True
    try:
        body = json_object(response.json())
    except ValueError:
        return False
    said = " ".join(plain_text(body.get(k)) for k in ("policyName", "message")).lower()
    return "daily" in said


def note_body(transcript: Transcript) -> str:
    """The note's HTML body: escaped lines joined by ``<br>``, within HubSpot's limit.

    ``hs_note_body`` is rich text, so a "<" a customer typed is escaped and
    stays a "<". A conversation longer than the limit keeps its heading and
    its most recent messages, with a line saying the older ones were left out.
    """
    heading, *lines = transcript.as_text().split("\n")
    escaped = [html.escape(line) for line in lines]
    head = html.escape(heading)
    body = "<br>".join([head, *escaped])
    if len(body) <= NOTE_LIMIT:
        return body
    marker = "(mensagens anteriores omitidas)"
    kept: list[str] = []
    size = len(head) + len("<br>") + len(marker)
    for line in reversed(escaped):
        if size + len("<br>") + len(line) > NOTE_LIMIT:
            break
        kept.append(line)
        size += len("<br>") + len(line)
    return "<br>".join([head, marker, *reversed(kept)])[:NOTE_LIMIT]


class HubSpot(Plugin):
    """Contact card, new contacts, deals and conversation notes in a HubSpot account."""

    name = "hubspot"
    title = "HubSpot"
    settings = (
        Setting(
            "base_url",
            "Endereço da API do HubSpot",
            default=DEFAULT_URL,
            help="Deixe como está, a não ser que use um endereço diferente da API.",
        ),
        Setting(
            "token",
            "Token de acesso do aplicativo privado",
            secret=True,
            help=(
                "Em Configurações → Integrações → Aplicativos privados, crie um app com os "
                "escopos de contatos, negócios e anotações e copie o token de acesso."
            ),
            required=True,
        ),
    )

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._client: Http | None = None
        self._web: str | None = None  # https://{uiDomain}/contacts/{portalId}, read once
        self._pipelines: list[dict[str, Any]] | None = None  # deal pipelines, read once
        self._owners: dict[str, str] = {}  # owner id → name, read once each

    # -- plumbing -----------------------------------------------------------------------

    def _http(self) -> Http:
        """The client, made on first use so a missing token is a sentence, not a crash."""
        if self._client is None:
            token = self.context.get("token")
            if not token:
                raise PluginError(
                    "auth",
                    "Informe o token de acesso do aplicativo privado do HubSpot nas "
                    "configurações do plugin.",
                )
            self._client = Http(
                VENDOR,
                self.context.get("base_url", DEFAULT_URL),
                headers={"Authorization": f"Bearer {token}"},
                timeout=self.context.timeout,
                budget=self.context.timeout,
                statuses={403: ("auth", MISSING_SCOPES)},
                rate_limit=_rate_limited,
            )
        return self._client

    async def _web_base(self) -> str:
        """``https://app.hubspot.com/contacts/{portalId}``, from the account's details once."""
        if self._web is None:
            data = json_object(await self._http().json("GET", "/account-info/v3/details"))
            portal = plain_text(data.get("portalId"))
            if not portal:
                raise PluginError(
                    "answer",
                    "O HubSpot não informou o número da conta (erro de integração).",
                )
            ui = plain_text(data.get("uiDomain")) or DEFAULT_UI
            self._web = f"https://{ui}/contacts/{portal}"
        return self._web

    async def _contact_url(self, contact_id: str) -> str:
        return f"{await self._web_base()}/record/0-1/{contact_id}"

    async def _deal_url(self, deal_id: str) -> str:
        return f"{await self._web_base()}/record/0-3/{deal_id}"

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- lookup -------------------------------------------------------------------------

    async def lookup(self, customer: Customer) -> Card | None:
        """The card of the first contact with a phone that is this number, or None."""
        http = self._http()
        seen: set[str] = set()
        for filters in _chunks(phone_filters(customer.phone), GROUPS_PER_SEARCH):
            async for contact in self._search(http, filters):
                key = plain_text(contact.get("id"))
                if not key or key in seen:
                    continue
                seen.add(key)
                props = json_object(contact.get("properties"))
                if any(
                    same_phone(plain_text(props.get(p)), customer.phone) for p in PHONE_PROPERTIES
                ):
                    return await self._card(http, key, props)
        return None

    async def _search(
        self, http: Http, filters: list[dict[str, str]]
    ) -> AsyncIterator[dict[str, Any]]:
        """The contacts matching any of ``filters`` (one per group), page after page."""
        after = ""
        for _ in range(MAX_PAGES):
            body: dict[str, Any] = {
                "filterGroups": [{"filters": [f]} for f in filters],
                "properties": list(CONTACT_PROPERTIES),
                "limit": PAGE_SIZE,
            }
            if after:
                body["after"] = after
            data = json_object(
                await http.json("POST", "/crm/v3/objects/contacts/search", json=body)
            )
            for contact in json_array(data.get("results")):
                if json_object(contact):
                    yield contact
            after = plain_text(
                json_object(json_object(data.get("paging")).get("next")).get("after")
            )
            if not after:
                return

    async def _card(self, http: Http, contact_id: str, props: dict[str, Any]) -> Card:
        """Everything the side panel shows for one contact."""
        name = " ".join(plain_text(props.get(k)) for k in ("firstname", "lastname") if props.get(k))
        phones = tuple(
            dict.fromkeys(v for p in PHONE_PROPERTIES if (v := plain_text(props.get(p))))
        )
        emails = [plain_text(props.get("email"))] + [
            e.strip() for e in plain_text(props.get("hs_additional_emails")).split(";")
        ]
        emails = list(dict.fromkeys(e for e in emails if e))
        fields: dict[str, str] = {}
        if len(emails) > 1:
            fields["E-mails"] = ", ".join(emails)
        if jobtitle := plain_text(props.get("jobtitle")):
            fields["Cargo"] = jobtitle
        if stage := plain_text(props.get("lifecyclestage")):
            fields["Fase do ciclo de vida"] = LIFECYCLE.get(stage, stage)
        return Card(
            record_id=contact_id,
            name=name,
            phones=phones,
            email=emails[0] if emails else "",
            company=plain_text(props.get("company")),
            owner=await self._owner(http, plain_text(props.get("hubspot_owner_id"))),
            url=await self._contact_url(contact_id),
            deals=await self._deals(http, contact_id),
            last_activity=_date(props.get("notes_last_updated")),
            fields=fields,
        )

    async def _owner(self, http: Http, owner_id: str) -> str:
        """The owner's name, read once per owner; their id when the token may not read owners."""
        if not owner_id:
            return ""
        if owner_id not in self._owners:
            try:
                data = json_object(await http.json("GET", f"/crm/v3/owners/{owner_id}"))
            except PluginError as exc:
                if exc.kind != "auth":  # no crm.objects.owners.read scope: the id will do
                    raise
                data = {}
            name = " ".join(
                plain_text(data.get(k)) for k in ("firstName", "lastName") if data.get(k)
            )
            self._owners[owner_id] = name or plain_text(data.get("email"))
        return self._owners[owner_id] or owner_id

    async def _deals(self, http: Http, contact_id: str) -> tuple[Deal, ...]:
        """The contact's open deals with the stage's label and the amount."""
        ids: list[str] = []
        after = ""
        while len(ids) < MAX_DEALS:
            params: dict[str, Any] = {"limit": MAX_DEALS}
            if after:
                params["after"] = after
            url = f"/crm/v4/objects/contacts/{contact_id}/associations/deals"
            data = json_object(await http.json("GET", url, params=params))
            for link in map(json_object, json_array(data.get("results"))):
                deal_id = plain_text(link.get("toObjectId"))
                if deal_id and deal_id not in ids:
                    ids.append(deal_id)
            after = plain_text(
                json_object(json_object(data.get("paging")).get("next")).get("after")
            )
            if not after:
                break
        if not ids:
            return ()
        body = {
            "inputs": [{"id": i} for i in ids[:MAX_DEALS]],
            "properties": list(DEAL_PROPERTIES),
        }
        data = json_object(await http.json("POST", "/crm/v3/objects/deals/batch/read", json=body))
        stages = self._stage_index(await self._deal_pipelines(http))
        out = []
        for deal in map(json_object, json_array(data.get("results"))):
            props = json_object(deal.get("properties"))
            deal_id = plain_text(deal.get("id"))
            label, closed = stages.get(plain_text(props.get("dealstage")), ("", False))
            if not deal_id or closed or plain_text(props.get("hs_is_closed")) == "true":
                continue
            out.append(
                Deal(
                    title=plain_text(props.get("dealname")) or f"Negócio #{deal_id}",
                    stage=label or plain_text(props.get("dealstage")),
                    value=_number(props.get("amount")),
                    currency=plain_text(props.get("deal_currency_code")) or "BRL",
                    url=await self._deal_url(deal_id),
                )
            )
        return tuple(out)

    async def _deal_pipelines(self, http: Http) -> list[dict[str, Any]]:
        """Every deal pipeline with its stages, asked once per instance (they rarely change)."""
        if self._pipelines is None:
            data = json_object(await http.json("GET", "/crm/v3/pipelines/deals"))
            pipelines = [
                json_object(p) for p in json_array(data.get("results")) if json_object(p).get("id")
            ]
            pipelines.sort(key=lambda p: (p.get("id") != "default", p.get("displayOrder") or 0))
            self._pipelines = pipelines
        return self._pipelines

    @staticmethod
    def _stage_index(pipelines: list[dict[str, Any]]) -> dict[str, tuple[str, bool]]:
        """Stage id → (label, closed) across pipelines."""
        index: dict[str, tuple[str, bool]] = {}
        for pipeline in pipelines:
            for stage in map(json_object, json_array(pipeline.get("stages"))):
                closed = (
                    plain_text(json_object(stage.get("metadata")).get("isClosed")).lower() == "true"
                )
                index[plain_text(stage.get("id"))] = (plain_text(stage.get("label")), closed)
        return index

    # -- actions ------------------------------------------------------------------------

    async def create_contact(self, customer: Customer) -> Created:
        """A contact with the customer's name and number (E.164 with the ninth digit)."""
        number = phone_variants(customer.phone)[0]  # "+55DD9XXXXXXXX", as people dial it
        first, _, last = customer.name.strip().partition(" ")
        properties = {"firstname": first or number, "phone": number}
        if last.strip():
            properties["lastname"] = last.strip()
        data = await self._http().json(
            "POST", "/crm/v3/objects/contacts", json={"properties": properties}
        )
        new = self._new_id(data, "do contato criado")
        return Created("contact", new, await self._contact_url(new))

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        """A deal in the first stage of the default pipeline, associated with the contact
        (made first when the customer is new)."""
        contact_id = card.record_id if card else (await self.create_contact(customer)).id
        name = title.strip() or f"WhatsApp: {customer.name.strip() or '+' + customer.phone}"
        properties = {"dealname": name}
        pipelines = await self._deal_pipelines(self._http())
        if pipelines:
            pipeline = pipelines[0]
            stages = sorted(
                (json_object(s) for s in json_array(pipeline.get("stages"))),
                key=lambda s: s.get("displayOrder") or 0,
            )
            open_stages = [
                s
                for s in stages
                if plain_text(json_object(s.get("metadata")).get("isClosed")).lower() != "true"
            ]
            properties["pipeline"] = plain_text(pipeline.get("id"))
            if open_stages or stages:
                properties["dealstage"] = plain_text((open_stages or stages)[0].get("id"))
        body = {
            "properties": properties,
            "associations": [self._association(contact_id, DEAL_TO_CONTACT)],
        }
        data = await self._http().json("POST", "/crm/v3/objects/deals", json=body)
        new = self._new_id(data, "do negócio criado")
        return Created("deal", new, await self._deal_url(new))

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        """The conversation as a note on the contact's timeline, dated at its last message."""
        if card is None:
            raise PluginError(
                "refused",
                "O HubSpot não tem um contato com este número; crie o contato antes de "
                "registrar a conversa.",
            )
        when = transcript.lines[-1][0] if transcript.lines else time.time()
        stamp = datetime.fromtimestamp(when, UTC).isoformat(timespec="milliseconds")
        body = {
            "properties": {
                "hs_timestamp": stamp.replace("+00:00", "Z"),
                "hs_note_body": note_body(transcript),
            },
            "associations": [self._association(card.record_id, NOTE_TO_CONTACT)],
        }
        data = await self._http().json("POST", "/crm/v3/objects/notes", json=body)
        new = self._new_id(data, "da anotação criada")
        return Created("note", new, await self._contact_url(card.record_id))

    @staticmethod
    def _association(contact_id: str, type_id: int) -> dict[str, Any]:
        """An ``associations`` entry linking a new record to the contact (HubSpot's own type)."""
        return {
            "to": {"id": contact_id},
            "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}],
        }

    @staticmethod
    def _new_id(data: Any, what: str) -> str:
        """The id of the record a create call returned."""
        new = plain_text(json_object(data).get("id"))
        if not new:
            raise PluginError(
                "answer", f"O HubSpot não devolveu o número {what} (erro de integração)."
            )
        return new
