"""Pipedrive: the person's card by WhatsApp number, new persons, leads and conversation notes.

Pipedrive is common among Brazilian offices (Portuguese help centre, ERP
integrations such as Bling). The plugin speaks API v2 where it exists
(persons, deals, stages: v2 costs fewer of the account's daily tokens) and v1
where v2 has nothing yet (leads, notes, users). The API token goes in the
``x-api-token`` header, never in the query string, so it stays out of any
proxy's access log.

Finding the customer: ``GET /api/v2/persons/search`` matches the term
anywhere inside the stored text (``exact_match=false``), and people store
numbers every way ("+55 11 98765-4321", "(11) 8765-4321", "11987654321").
Every one of those contains the last eight digits written as "87654321",
"8765-4321" or "8765 4321", so the plugin searches those few tails (three
searches at most instead of one per full form: each search costs tokens of
the account's daily budget) and accepts a person only when one of their
phones is :func:`same_phone` as the customer's. A tail also finds the same
eight digits in other area codes: those decoys are dropped locally, never
shown. Non-Brazilian numbers are searched in the forms of
:func:`phone_variants`.

Rate limits: Pipedrive gives each company a daily budget of tokens; once
spent, every call gets 429 until the next day. Waiting cannot help then, so
such a 429 (its body says so, or its ``Retry-After`` is longer than the
call may take) becomes one sentence saying the account's daily limit was
reached; a short burst 429 is waited out by :class:`Http`.

Vendor documentation:
https://developers.pipedrive.com/docs/api/v1/Persons#searchPersons (v2 search),
https://developers.pipedrive.com/docs/api/v1/Persons#getPerson,
https://developers.pipedrive.com/docs/api/v1/Persons#addPerson,
https://developers.pipedrive.com/docs/api/v1/Deals#getDeals,
https://developers.pipedrive.com/docs/api/v1/Stages#getStages,
https://developers.pipedrive.com/docs/api/v1/Organizations#getOrganization,
https://developers.pipedrive.com/docs/api/v1/Users#getUser,
https://developers.pipedrive.com/docs/api/v1/Leads#addLead,
https://developers.pipedrive.com/docs/api/v1/Notes#addNote,
https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting,
https://pipedrive.readme.io/docs/core-api-concepts-about-pipedrive-api (errors).
"""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from typing import Any, Final
from urllib.parse import urlsplit

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
    same_phone,
)
from crm_whatsapp.plugin_api import retry_after as _retry_after

VENDOR: Final = "Pipedrive"
DEFAULT_URL: Final = "https://api.pipedrive.com"
PUBLIC_API_HOST: Final = "api.pipedrive.com"
PAGE_SIZE: Final = 100
MAX_PAGES: Final = 5  # a number matching more than 500 persons is a search gone wrong
MAX_DEALS: Final = 50
DAILY_LIMIT: Final = (
    "A conta do Pipedrive atingiu o limite diário de uso da API; "
    "as consultas voltam a funcionar quando o limite renovar, amanhã."
)
DAILY_WORDS: Final = ("daily", "budget", "per day", "diári")
EMAIL_LABELS: Final = {"work": "trabalho", "home": "pessoal", "other": "outro"}
PHONE_LABELS: Final = {
    "work": "trabalho",
    "home": "residencial",
    "mobile": "celular",
    "other": "outro",
}


def _search_terms(phone: str) -> list[str]:
    """What to hand Pipedrive's substring search for this WhatsApp number, cheapest first.

    A Brazilian number's last eight digits, bare and in the two usual
    writings, are inside every way of storing it (with or without +55, the
    area code and the ninth digit); other numbers go as :func:`phone_variants`.
    """
    digits = "".join(ch for ch in phone if ch.isdigit())  # Meta's ids carry the country code
    if not (digits.startswith("55") and len(digits) in (12, 13)):
        return phone_variants(phone)
    tail = digits[-8:]
    return [tail, f"{tail[:4]}-{tail[4:]}", f"{tail[:4]} {tail[4:]}"]


def _values(items: Any) -> list[tuple[str, str]]:
    """``(value, label)`` of a v2 ``phones``/``emails`` array, primary first, blanks dropped."""
    entries = [json_object(e) for e in json_array(items)]
    entries.sort(key=lambda e: not e.get("primary"))
    out = [(plain_text(e.get("value")), plain_text(e.get("label"))) for e in entries]
    return [(v, label) for v, label in out if v]


def _labelled(pairs: list[tuple[str, str]], names: dict[str, str]) -> str:
    """``"a@x.com (trabalho), b@y.com"``: each value with its label in Portuguese."""
    return ", ".join(
        f"{value} ({names.get(label, label)})" if label else value for value, label in pairs
    )


def _body_says_daily(response: httpx.Response) -> bool:
    """Whether a 429's answer says the daily budget is spent (not a short burst)."""
    if response.headers.get("x-daily-requests-left", "").strip() == "0":
        return True
    try:
        body = json_object(response.json())
    except ValueError:
        return False
    said = " ".join(plain_text(body.get(k)) for k in ("error", "error_info", "code")).lower()
    return any(word in said for word in DAILY_WORDS)


def _account_url(text: str) -> str:
    """The address from settings, made usable: a scheme, no API path, no trailing slash.

    People paste ``empresa.pipedrive.com``, a page of the account or the
    API's address with ``/api/v2`` or ``/v1``; every call here names its
    version, so the base is the host alone.
    """
    url = text.strip().rstrip("/") or DEFAULT_URL
    if "://" not in url:
        url = "https://" + url
    for tail in ("/api/v2", "/api/v1", "/v1", "/api"):
        if url.endswith(tail):
            url = url[: -len(tail)]
    return url


def web_url(base_url: str, company_domain: str = "") -> str:
    """Where records open in the browser: the company's own address.

    ``api.pipedrive.com`` answers the API but shows no records, so with
    that default the company's subdomain (``company_domain`` of
    ``/v1/users/me``) makes the address; any other base is the company's.
    """
    if urlsplit(base_url).hostname == PUBLIC_API_HOST and company_domain:
        return f"https://{company_domain}.pipedrive.com"
    return base_url


class Pipedrive(Plugin):
    """Contact card, new persons, leads and conversation notes in a Pipedrive company."""

    name = "pipedrive"
    title = "Pipedrive"
    settings = (
        Setting(
            "base_url",
            "Endereço da empresa no Pipedrive",
            default=DEFAULT_URL,
            help="O endereço da sua empresa, como https://suaempresa.pipedrive.com.",
        ),
        Setting(
            "api_token",
            "Token da API",
            secret=True,
            help="Em Configurações pessoais → API, copie o seu token pessoal.",
            required=True,
        ),
    )

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._client: Http | None = None
        self._stages: dict[int, str] | None = None  # stage id → name, read once
        self._users: dict[int, str] = {}  # owner id → name, read once each
        self._web: str | None = None

    # -- plumbing -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The API's address (the company's own, or Pipedrive's public one)."""
        return _account_url(self.context.get("base_url"))

    def _http(self) -> Http:
        """The client, made on first use so a missing token is a sentence, not a crash."""
        if self._client is None:
            token = self.context.get("api_token")
            if not token:
                raise PluginError(
                    "auth", "Informe o token da API do Pipedrive nas configurações do plugin."
                )
            self._client = Http(
                VENDOR,
                self.base_url,
                headers={"x-api-token": token},
                timeout=self.context.timeout,
                budget=self.context.timeout,
                rate_limit=self._daily_limit,
            )
        return self._client

    def _daily_limit(self, response: httpx.Response) -> float | None:
        """Turn a 429 that will not clear today into the daily-limit sentence at once.

        :class:`Http` asks before retrying, so a spent budget is neither
        retried (each refused call costs more) nor reported as a short pause.
        """
        wait = _retry_after(response)
        if _body_says_daily(response) or (wait is not None and wait > self.context.timeout):
            raise PluginError("rate_limited", DAILY_LIMIT)
        return wait

    async def _web_url(self) -> str:
        """The company's web address for record links (asked once when it is not in settings)."""
        if self._web is None:
            domain = ""
            if urlsplit(self.base_url).hostname == PUBLIC_API_HOST:
                data = await self._http().json("GET", "/v1/users/me")
                domain = plain_text(
                    json_object(json_object(data).get("data")).get("company_domain")
                )
            self._web = web_url(self.base_url, domain)
        return self._web

    async def _person_url(self, person_id: str) -> str:
        return f"{await self._web_url()}/person/{person_id}"

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- lookup -------------------------------------------------------------------------

    async def lookup(self, customer: Customer) -> Card | None:
        """The card of the first person with a phone that is this number, or None.

        The search hands back each person's phones, so candidates are
        checked before any detail is read; the details (labels, owner,
        deals) are asked only for the customer.
        """
        http = self._http()
        seen: set[str] = set()
        for term in _search_terms(customer.phone):
            async for item in self._search(http, term):
                key = plain_text(item.get("id"))
                if not key or key in seen:
                    continue
                seen.add(key)
                if any(
                    same_phone(plain_text(p), customer.phone)
                    for p in json_array(item.get("phones"))
                ):
                    card = await self._card(http, item)
                    if card is not None:
                        return card
        return None

    async def _search(self, http: Http, term: str) -> AsyncIterator[dict[str, Any]]:
        """The persons Pipedrive finds with ``term`` in a phone, page after page."""
        cursor = ""
        for _ in range(MAX_PAGES):
            params = {"term": term, "fields": "phone", "exact_match": "false", "limit": PAGE_SIZE}
            if cursor:
                params["cursor"] = cursor
            data = json_object(await http.json("GET", "/api/v2/persons/search", params=params))
            for found in json_array(json_object(data.get("data")).get("items")):
                item = json_object(json_object(found).get("item"))
                if item:
                    yield item
            cursor = plain_text(json_object(data.get("additional_data")).get("next_cursor"))
            if not cursor:
                return

    async def _card(self, http: Http, item: dict[str, Any]) -> Card | None:
        """Everything the side panel shows for one person (None if they were just deleted)."""
        record_id = plain_text(item.get("id"))
        data = await http.json("GET", f"/api/v2/persons/{int(record_id)}")
        person = json_object(json_object(data).get("data"))
        if not person:
            return None
        phones = _values(person.get("phones")) or [
            (plain_text(p), "") for p in json_array(item.get("phones"))
        ]
        emails = _values(person.get("emails"))
        fields: dict[str, str] = {}
        if any(label for _, label in phones):
            fields["Telefones"] = _labelled(phones, PHONE_LABELS)
        if emails:
            fields["E-mails"] = _labelled(emails, EMAIL_LABELS)
        name = plain_text(person.get("name")) or " ".join(
            plain_text(person.get(k))
            for k in ("first_name", "last_name")
            if plain_text(person.get(k))
        )
        return Card(
            record_id=record_id,
            name=name,
            phones=tuple(value for value, _ in phones),
            email=emails[0][0] if emails else "",
            company=await self._company(http, person, item),
            owner=await self._owner(http, person.get("owner_id")),
            url=await self._person_url(record_id),
            deals=await self._deals(http, record_id),
            fields=fields,
        )

    async def _company(self, http: Http, person: dict[str, Any], item: dict[str, Any]) -> str:
        """The organization's name: the search hit carries it, else one more read."""
        name = plain_text(json_object(item.get("organization")).get("name"))
        org_id = person.get("org_id")
        if name or not isinstance(org_id, int):
            return name
        data = await http.json("GET", f"/api/v2/organizations/{org_id}")
        return plain_text(json_object(json_object(data).get("data")).get("name"))

    async def _owner(self, http: Http, owner_id: Any) -> str:
        """The owner's name (their id when Pipedrive will not say), read once per owner."""
        if not isinstance(owner_id, int):
            return ""
        if owner_id not in self._users:
            data = await http.json("GET", f"/v1/users/{owner_id}")
            self._users[owner_id] = plain_text(
                json_object(json_object(data).get("data")).get("name")
            )
        return self._users[owner_id] or str(owner_id)

    async def _deals(self, http: Http, person_id: str) -> tuple[Deal, ...]:
        """The person's open deals with stage and value."""
        deals: list[dict[str, Any]] = []
        cursor = ""
        while len(deals) < MAX_DEALS:
            params = {"person_id": person_id, "status": "open", "limit": MAX_DEALS}
            if cursor:
                params["cursor"] = cursor
            data = json_object(await http.json("GET", "/api/v2/deals", params=params))
            deals += [
                json_object(d)
                for d in json_array(data.get("data"))
                if json_object(d).get("id") is not None
            ]
            cursor = plain_text(json_object(data.get("additional_data")).get("next_cursor"))
            if not cursor:
                break
        open_deals = [d for d in deals[:MAX_DEALS] if d.get("status", "open") == "open"]
        if not open_deals:
            return ()
        stages = await self._stage_names(http)
        web = await self._web_url()
        out = []
        for deal in open_deals:
            value = deal.get("value")
            out.append(
                Deal(
                    title=plain_text(deal.get("title")) or f"Negócio #{deal['id']}",
                    stage=stages.get(deal.get("stage_id") or 0, ""),
                    value=float(value) if isinstance(value, int | float) and value else None,
                    currency=plain_text(deal.get("currency")) or "BRL",
                    url=f"{web}/deal/{deal['id']}",
                )
            )
        return tuple(out)

    async def _stage_names(self, http: Http) -> dict[int, str]:
        """Every pipeline's stage names, asked once per instance (they rarely change)."""
        if self._stages is None:
            stages: dict[int, str] = {}
            cursor = ""
            for _ in range(MAX_PAGES):
                params: dict[str, Any] = {"limit": 500}
                if cursor:
                    params["cursor"] = cursor
                data = json_object(await http.json("GET", "/api/v2/stages", params=params))
                for stage in map(json_object, json_array(data.get("data"))):
                    if isinstance(stage.get("id"), int):
                        stages[stage["id"]] = plain_text(stage.get("name"))
                cursor = plain_text(json_object(data.get("additional_data")).get("next_cursor"))
                if not cursor:
                    break
            self._stages = stages
        return self._stages

    # -- actions ------------------------------------------------------------------------

    async def create_contact(self, customer: Customer) -> Created:
        """A person with the customer's name and mobile number (with the ninth digit)."""
        number = phone_variants(customer.phone)[0]  # "+55DD9XXXXXXXX", as people dial it
        body = {
            "name": customer.name.strip() or number,
            "phones": [{"value": number, "primary": True, "label": "mobile"}],
        }
        data = await self._http().json("POST", "/api/v2/persons", json=body)
        new = self._new_id(data, "da pessoa criada")
        return Created("contact", new, await self._person_url(new))

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        """A lead in the Leads Inbox linked to the customer's person (made first when new)."""
        person_id = card.record_id if card else (await self.create_contact(customer)).id
        name = title.strip() or f"WhatsApp: {customer.name.strip() or '+' + customer.phone}"
        body = {"title": name, "person_id": self._int_id(person_id)}
        data = await self._http().json("POST", "/v1/leads", json=body)
        new = self._new_id(data, "do lead criado")
        return Created("lead", new, f"{await self._web_url()}/leads/inbox/{new}")

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        """The conversation as a note on the customer's person.

        A note's ``content`` is HTML that Pipedrive sanitises, so the text is
        escaped (a "<" a customer typed stays a "<") and lines become ``<br>``.
        """
        if card is None:
            raise PluginError(
                "refused",
                "O Pipedrive não tem uma pessoa com este número; crie o contato antes de "
                "registrar a conversa.",
            )
        person_id = self._int_id(card.record_id)
        content = "<br>".join(html.escape(line) for line in transcript.as_text().split("\n"))
        body = {"content": content, "person_id": person_id}
        data = await self._http().json("POST", "/v1/notes", json=body)
        new = self._new_id(data, "da nota criada")
        return Created("note", new, await self._person_url(str(person_id)))

    @staticmethod
    def _new_id(data: Any, what: str) -> str:
        """The id of the record a create call returned (``data.id``)."""
        new = json_object(json_object(data).get("data")).get("id")
        if new is None or new == "":
            raise PluginError(
                "answer",
                f"O Pipedrive não devolveu o número {what} (erro de integração).",
            )
        return str(new)

    @staticmethod
    def _int_id(record_id: str) -> int:
        """A Pipedrive person id (an integer) from a card's ``record_id``."""
        try:
            return int(record_id)
        except ValueError as exc:
            raise PluginError(
                "broken",
                "A pessoa do Pipedrive tem um identificador inválido (erro de integração).",
            ) from exc
