"""RD Station CRM (API v1): the contact card, new contacts and deals, conversations as notes.

API v1 authenticates with the user's token in the query string (``token=``)
and answers JSON; every list is paged with ``page``/``limit`` and says
``has_more``. Reference: https://developers.rdstation.com/reference/crm-v1-introducao-e-requisitos
(limits: 120 requests a minute, 429 when spent), the contacts resource
(``GET/POST /api/v1/contacts``, ``GET/PUT /api/v1/contacts/{id}``), deals
(``POST /api/v1/deals``, ``GET /api/v1/deals/{id}``), notes
(``POST /api/v1/activities``), custom fields (``GET /api/v1/custom_fields``)
and the token owner (``GET /api/v1/token/check``, ``GET /api/v1/users``).

Why the calls are shaped as they are:

- The ``phone`` filter of "Listar contatos" compares the stored text, and
  offices type numbers every way, so each form of :func:`phone_variants` is
  asked in turn and every candidate is confirmed with :func:`same_phone`
  (a number with the same last digits in another area code never matches).
- The contact list carries each contact's deals only as summaries (name,
  ``win``, ``closed_at``); stage, amount and responsible user come from
  "Obter negociação", asked only for the open deals, a few at most.
- Organisation name and custom-field values come from "Obter contato", the
  labels of custom fields from "Listar campos personalizados" (kept for the
  life of the plugin: they change rarely and cost a request each time).
- RD notes ("anotações") belong to deals, not contacts: a conversation is
  logged on the contact's open deal. With no open deal the plugin says so
  instead of inventing a deal, which would add a fake opportunity to the
  office's sales funnel and its reports.
- API v1 documents no field to attach an existing contact while creating a
  deal (its ``contacts`` list creates new contacts), so a lead for a known
  contact is a new deal followed by "Atualizar contato" with the contact's
  ``deal_ids`` plus the new one; for an unknown number the deal is created
  with the contact in one call.
- The web addresses are RD Station CRM's app routes (``/app/deals/{id}``,
  ``/app/contacts/{id}``) on the same host as the API: RD documents no
  record URL for API v1, and these are the addresses its app shows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, ClassVar, Final

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
    same_phone,
)

VENDOR: Final = "RD Station CRM"
DEFAULT_BASE_URL: Final = "https://crm.rdstation.com"
PAGE_LIMIT: Final = 200  # the documented maximum of "limit"
MAX_PAGES: Final = 5  # more than 1,000 contacts sharing one number is not a person
MAX_DEALS: Final = 5  # open deals detailed on a card (each is one request)

JSON = dict[str, Any]


def _text(value: Any) -> str:
    """A value from the CRM as plain, stripped text ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return str(value).strip()


def _record_id(record: Mapping[str, Any]) -> str:
    """RD answers carry the id as ``id`` and as ``_id``; either will do."""
    return _text(record.get("id") or record.get("_id"))


def _amount(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _is_open(deal: Mapping[str, Any]) -> bool:
    """A deal still in play: neither won nor lost (``win`` null) and not closed."""
    return deal.get("win") is None and not deal.get("closed_at")


class RDStation(Plugin):
    """RD Station CRM through API v1 with the user's token."""

    name: ClassVar[str] = "rdstation"
    title: ClassVar[str] = "RD Station CRM"
    settings: ClassVar[tuple[Setting, ...]] = (
        Setting(
            key="base_url",
            label="Endereço do RD Station CRM",
            default=DEFAULT_BASE_URL,
            help="Deixe como está, a menos que o suporte indique outro endereço.",
        ),
        Setting(
            key="token",
            label="Token da API",
            secret=True,
            required=True,
            help="No RD Station CRM: seu nome › Perfil › Token da instância.",
        ),
    )

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.base_url = context.get("base_url", DEFAULT_BASE_URL).rstrip("/")
        self.token = context.get("token")
        self.http = Http(
            VENDOR,
            self.base_url + "/api/v1",
            params={"token": self.token},
            timeout=context.timeout,
            budget=context.timeout,
        )
        self._labels: dict[str, str] | None = None
        self._user_id: str | None = None

    # -- helpers ------------------------------------------------------------------------

    def _need_token(self) -> None:
        if not self.token:
            raise PluginError(
                "auth", "Informe o token da API do RD Station CRM nas configurações do plugin."
            )

    def _contact_url(self, contact_id: str) -> str:
        return f"{self.base_url}/app/contacts/{contact_id}"

    def _deal_url(self, deal_id: str) -> str:
        return f"{self.base_url}/app/deals/{deal_id}"

    async def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return await self.http.json("GET", path, params=params)

    async def _object(self, method: str, path: str, body: JSON) -> JSON:
        """A write whose answer must be the record made or changed."""
        answer = await self.http.json(method, path, json=body)
        if not isinstance(answer, dict) or not _record_id(answer):
            raise PluginError(
                "answer", f"O {VENDOR} não devolveu o registro criado (erro de integração)."
            )
        return answer

    async def _matches(self, phone: str) -> list[JSON]:
        """Contacts whose stored number is this WhatsApp number, asking each written form.

        Stops at the first form that finds someone: the others would find the
        same person again at the cost of the office's request budget.
        """
        for variant in phone_variants(phone):
            found: dict[str, JSON] = {}
            for page in range(1, MAX_PAGES + 1):
                answer = await self._get(
                    "/contacts", {"phone": variant, "page": page, "limit": PAGE_LIMIT}
                )
                if not isinstance(answer, dict):
                    break
                for contact in map(json_object, json_array(answer.get("contacts"))):
                    phones = [
                        _text(p.get("phone"))
                        for p in map(json_object, json_array(contact.get("phones")))
                    ]
                    if any(same_phone(p, phone) for p in phones if p):
                        found.setdefault(_record_id(contact), contact)
                if not answer.get("has_more"):
                    break
            if found:
                return list(found.values())
        return []

    async def _field_labels(self) -> dict[str, str]:
        """Custom-field id → label for contacts (asked once per plugin instance)."""
        if self._labels is None:
            answer = await self._get("/custom_fields", {"for": "contact"})
            rows = answer.get("custom_fields", []) if isinstance(answer, dict) else answer
            self._labels = {
                _record_id(row): _text(row.get("label"))
                for row in json_array(rows)
                if isinstance(row, dict) and _record_id(row)
            }
        return self._labels

    async def _deal(self, deal_id: str) -> JSON | None:
        answer = await self._get(f"/deals/{deal_id}")
        return answer if isinstance(answer, dict) else None

    async def _token_user_id(self) -> str:
        """The id of the token's owner, so notes are signed by who configured the plugin.

        "Obter token" gives the owner's e-mail, "Listar usuários" the ids;
        "" when they cannot be matched (the note is then sent without it).
        """
        if self._user_id is None:
            me = await self._get("/token/check")
            email = _text(me.get("email")).lower() if isinstance(me, dict) else ""
            users = await self._get("/users") if email else None
            rows = json_array(users.get("users") if isinstance(users, dict) else users)
            self._user_id = next(
                (
                    _record_id(u)
                    for u in rows
                    if isinstance(u, dict) and _text(u.get("email")).lower() == email
                ),
                "",
            )
        return self._user_id

    # -- capabilities -------------------------------------------------------------------

    async def lookup(self, customer: Customer) -> Card | None:
        """The first contact with this number, with company, open deals and custom fields."""
        self._need_token()
        matches = await self._matches(customer.phone)
        if not matches:
            return None
        summary = matches[0]
        contact_id = _record_id(summary)
        detail = await self._get(f"/contacts/{contact_id}")
        contact: JSON = {**summary, **detail} if isinstance(detail, dict) else summary

        open_ids = [
            _record_id(d)
            for d in json_array(summary.get("deals"))
            if isinstance(d, dict) and _is_open(d) and _record_id(d)
        ][:MAX_DEALS]
        details = await asyncio.gather(*(self._deal(i) for i in open_ids))
        deals: list[Deal] = []
        owners: list[str] = []
        for deal_id, deal in zip(open_ids, details, strict=True):
            if deal is None:
                continue
            stage = json_object(deal.get("deal_stage"))
            user = json_object(deal.get("user"))
            owners.append(_text(user.get("name")))
            deals.append(
                Deal(
                    title=_text(deal.get("name")),
                    stage=_text(stage.get("name")),
                    value=_amount(deal.get("amount_total")),
                    url=self._deal_url(deal_id),
                )
            )

        fields: dict[str, str] = {}
        values = [
            (_text(cf.get("custom_field_id")), _text(cf.get("value")))
            for cf in json_array(contact.get("contact_custom_fields"))
            if isinstance(cf, dict)
        ]
        if any(value for _, value in values):
            labels = await self._field_labels()
            for field_id, value in values:
                if value and labels.get(field_id):
                    fields[labels[field_id]] = value
        emails = [
            _text(e.get("email")) for e in map(json_object, json_array(contact.get("emails")))
        ]
        emails = [e for e in emails if e]
        if len(emails) > 1:
            fields["E-mails"] = ", ".join(emails)
        title = _text(contact.get("title"))
        if title:
            fields.setdefault("Cargo", title)

        organization = json_object(contact.get("organization"))
        user = json_object(contact.get("user"))
        # API v1 contacts have no responsible user; the open deal's responsible is who
        # handles this customer, which is what the attendant wants to know.
        owner = _text(user.get("name"))
        owner = owner or next((o for o in owners if o), "")
        return Card(
            record_id=contact_id,
            name=_text(contact.get("name")),
            phones=tuple(
                p
                for p in (
                    _text(ph.get("phone"))
                    for ph in map(json_object, json_array(contact.get("phones")))
                )
                if p
            ),
            email=emails[0] if emails else "",
            company=_text(organization.get("name")),
            owner=owner,
            url=self._contact_url(contact_id),
            deals=tuple(deals),
            fields=fields,
        )

    def _new_contact(self, customer: Customer) -> JSON:
        """The contact object RD expects: a name and the number in E.164."""
        return {
            "name": customer.name.strip() or f"+{customer.phone}",
            "phones": [{"phone": f"+{customer.phone}"}],
        }

    async def create_contact(self, customer: Customer) -> Created:
        """A contact with the customer's WhatsApp name and number ("Criar contato")."""
        self._need_token()
        made = await self._object("POST", "/contacts", {"contact": self._new_contact(customer)})
        contact_id = _record_id(made)
        return Created("contact", contact_id, self._contact_url(contact_id))

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        """A deal ("negociação") for the customer, linked to their contact.

        Unknown number: one "Criar negociação" carrying the new contact. Known
        contact: the deal, then the contact's ``deal_ids`` gain it.
        """
        self._need_token()
        name = title.strip() or f"WhatsApp {customer.name or '+' + customer.phone}".strip()
        if card is None:
            body: JSON = {"deal": {"name": name}, "contacts": [self._new_contact(customer)]}
            made = await self._object("POST", "/deals", body)
            deal_id = _record_id(made)
            return Created("deal", deal_id, self._deal_url(deal_id))

        made = await self._object("POST", "/deals", {"deal": {"name": name}})
        deal_id = _record_id(made)
        try:
            contact = await self._get(f"/contacts/{card.record_id}")
            if not isinstance(contact, dict):
                raise PluginError("answer", f"O contato não foi encontrado no {VENDOR}.")
            deal_ids = [_text(i) for i in json_array(contact.get("deal_ids")) if _text(i)]
            await self._object(
                "PUT",
                f"/contacts/{card.record_id}",
                {"contact": {"deal_ids": [*deal_ids, deal_id]}},
            )
        except PluginError as exc:
            raise PluginError(
                exc.kind,
                f"A negociação foi criada no {VENDOR}, mas não foi possível ligá-la ao "
                "contato; abra a negociação e vincule o contato por lá.",
            ) from exc
        return Created("deal", deal_id, self._deal_url(deal_id))

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        """The conversation as a note ("anotação") on the contact's open deal."""
        self._need_token()
        if card is None:
            card = await self.lookup(transcript.customer)
        if card is None:
            raise PluginError(
                "refused",
                f"Este número não está em nenhum contato do {VENDOR}; crie o contato e uma "
                "negociação antes de registrar a conversa.",
            )
        deal_ids = [d.url.rstrip("/").rsplit("/", 1)[-1] for d in card.deals if d.url]
        if not deal_ids:
            raise PluginError(
                "refused",
                f"No {VENDOR} as anotações ficam nas negociações, e este contato não tem "
                "nenhuma aberta; crie uma negociação e registre a conversa de novo.",
            )
        activity: JSON = {"deal_id": deal_ids[0], "text": transcript.as_text()}
        user_id = await self._token_user_id()
        if user_id:
            activity["user_id"] = user_id
        made = await self._object("POST", "/activities", {"activity": activity})
        return Created("note", _record_id(made), self._deal_url(deal_ids[0]))

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self.http.aclose()
