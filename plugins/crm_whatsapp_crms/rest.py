"""CRM via REST: any CRM with an HTTP JSON API, configured by settings instead of code.

An office whose CRM has no plugin of its own describes its API here: where to
ask for a number, how the answer is shaped, and (optionally) how to create a
contact, a lead and a note. Presets fill every default for Agendor, Ploomes
and a self-hosted Odoo 19, so for those only the key is needed.

Settings (every JSON one may be left blank to take the preset's):

- ``preset``: ``agendor``, ``ploomes``, ``odoo`` or blank (describe it all).
- ``base_url``: the API's address; paths in the templates are relative to it.
- ``auth_header`` / ``auth_value`` (secret): the header that carries the key,
  e.g. ``Authorization`` and ``Token abc``. With a preset the scheme word
  (``Token``, ``bearer``) is added when the value is the bare key.
- ``lookup``: ``{"method", "url", "body", "phones"}`` — how to ask for a
  number. ``{phone}`` in the URL or body is the number; ``phones`` chooses its
  forms: ``all`` (every written form of :func:`phone_variants`), ``digits``
  (only the all-digit forms, for APIs that compare numbers) or ``e164`` (the
  ``+55…`` forms). The forms are asked in turn until one finds someone.
- ``mapping``: dotted paths into the answer: ``records`` (the list of records;
  blank when the answer is the list), ``id``, ``name``, ``phones`` (a path or
  a list of paths), ``email``, ``company``, ``next`` (the next page's URL),
  ``fields`` (label → path, extra lines on the card) and ``url`` (the record's
  web address, a template with ``{id}`` and ``{base_url}``).
- ``contact``, ``lead``, ``log``: ``{"method", "url", "body", "id", "url_template"}``
  — the request that creates a contact, a lead, a note; ``id`` is the path of
  the new record's id in the answer and ``url_template`` its web address
  (``{new_id}``). Blank (and no preset): the action is not offered.

Why it is built this way:

- Placeholders (``{name}``, ``{phone}``, ``{title}``, ``{text}``, ``{id}``) are
  replaced inside the *parsed* JSON body and the body is serialised after, so a
  customer's quote or newline is always JSON-escaped — never text pasted into
  JSON. A string that is exactly ``"{id}"`` becomes the id itself (a number
  when it is one: Odoo and Ploomes want integer ids). In URLs each value is
  percent-encoded in its place.
- A path that does not exist gives an empty field, never an error: CRMs omit
  empty fields. A path walks through lists (``Phones.PhoneNumber`` collects
  every phone) and a key may itself contain dots (``@odata.nextLink``).
- Every record the CRM returns is confirmed with :func:`same_phone`: many
  APIs match substrings, so a number with the same last digits in another
  area code would otherwise open the wrong customer.
- A next-page link is followed only on the API's own host: the key travels in
  a header and must not be sent elsewhere.

Vendor facts behind the presets:

- Agendor (https://api.agendor.com.br/docs/): ``Authorization: Token …``;
  ``GET /v3/people?mobile_phone=`` answers ``{"data": [...], "links": {"next"}}``,
  each person with ``contact{email, mobile, whatsapp, work}`` and
  ``organization{name}``; ``POST /v3/people``, ``POST /v3/people/{id}/deals``
  and ``POST /v3/people/{id}/tasks`` answer ``{"data": {"id": …}}``.
- Ploomes (https://developers.ploomes.com/): ``User-Key`` header; OData
  ``GET /Contacts?$filter=Phones/any(p: p/SearchPhoneNumber eq 5511…)`` with
  ``$expand=Phones,Company`` answers ``{"value": [...], "@odata.nextLink"}``;
  ``POST /Contacts``, ``/Deals`` and ``/InteractionRecords`` answer
  ``{"value": [{"Id": …}]}``. ``SearchPhoneNumber`` is a number, so only the
  all-digit forms are asked.
- Odoo 19 JSON-2 (https://www.odoo.com/documentation/19.0/developer/reference/external_api.html):
  ``POST /json/2/<model>/<method>`` with ``Authorization: bearer <API key>``
  and the method's arguments as the body's keys; ``search_read`` answers a
  bare list. Odoo 19's ``res.partner`` has ``phone`` (no ``mobile`` any more),
  matched with ``ilike`` on the number's last digits (Odoo saves numbers
  formatted, "+55 11 98765-4321", which no whole form would match);
  ``create`` takes ``vals_list`` and answers the new ids; ``message_post``
  on the partner logs the conversation in its chatter as an internal note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final, Literal
from urllib.parse import parse_qsl, quote, urlsplit

from crm_whatsapp.plugin_api import (
    Card,
    Context,
    Created,
    Customer,
    Http,
    Plugin,
    PluginError,
    Setting,
    Transcript,
    phone_variants,
    same_phone,
)

JSON = dict[str, Any]
MAX_PAGES: Final = 5  # more pages than this for one number is not one person
PLACEHOLDER: Final = re.compile(r"\{(name|phone|title|text|id|new_id|base_url)\}")
PHONE_FORMS: Final = ("all", "digits", "e164", "tail")

AGENDOR: Final[JSON] = {
    "vendor": "Agendor",
    "base_url": "https://api.agendor.com.br/v3",
    "auth_header": "Authorization",
    "auth_scheme": "Token",
    "lookup": {"method": "GET", "url": "/people?mobile_phone={phone}", "phones": "all"},
    "mapping": {
        "records": "data",
        "id": "id",
        "name": "name",
        "phones": ["contact.mobile", "contact.whatsapp", "contact.work"],
        "email": "contact.email",
        "company": "organization.name",
        "next": "links.next",
        "fields": {"Cargo": "role"},
    },
    "contact": {
        "method": "POST",
        "url": "/people",
        "body": {"name": "{name}", "contact": {"mobile": "{phone}", "whatsapp": "{phone}"}},
        "id": "data.id",
    },
    "lead": {
        "method": "POST",
        "url": "/people/{id}/deals",
        "body": {"title": "{title}"},
        "id": "data.id",
    },
    "log": {
        "method": "POST",
        "url": "/people/{id}/tasks",
        "body": {"text": "{text}"},
        "id": "data.id",
    },
}

PLOOMES: Final[JSON] = {
    "vendor": "Ploomes",
    "base_url": "https://public-api2.ploomes.com",
    "auth_header": "User-Key",
    "auth_scheme": "",
    "lookup": {
        "method": "GET",
        "url": "/Contacts?$filter=Phones/any(p: p/SearchPhoneNumber eq {phone})"
        "&$expand=Phones,Company&$top=50",
        "phones": "digits",
    },
    "mapping": {
        "records": "value",
        "id": "Id",
        "name": "Name",
        "phones": "Phones.PhoneNumber",
        "email": "Email",
        "company": "Company.Name",
        "next": "@odata.nextLink",
    },
    "contact": {
        "method": "POST",
        "url": "/Contacts",
        "body": {"Name": "{name}", "Phones": [{"PhoneNumber": "{phone}"}]},
        "id": "value.0.Id",
    },
    "lead": {
        "method": "POST",
        "url": "/Deals",
        "body": {"Title": "{title}", "ContactId": "{id}"},
        "id": "value.0.Id",
    },
    "log": {
        "method": "POST",
        "url": "/InteractionRecords",
        "body": {"ContactId": "{id}", "Content": "{text}"},
        "id": "value.0.Id",
    },
}

ODOO: Final[JSON] = {
    "vendor": "Odoo",
    "base_url": "",  # self-hosted: the office's own address
    "auth_header": "Authorization",
    "auth_scheme": "bearer",
    "lookup": {
        "method": "POST",
        "url": "/json/2/res.partner/search_read",
        "body": {
            "domain": [["phone", "ilike", "{phone}"]],
            "fields": ["name", "phone", "email", "commercial_company_name", "function"],
            "limit": 80,
        },
        "phones": "tail",
    },
    "mapping": {
        "records": "",
        "id": "id",
        "name": "name",
        "phones": "phone",
        "email": "email",
        "company": "commercial_company_name",
        "fields": {"Cargo": "function"},
        "url": "{base_url}/odoo/contacts/{id}",
    },
    "contact": {
        "method": "POST",
        "url": "/json/2/res.partner/create",
        "body": {"vals_list": [{"name": "{name}", "phone": "{phone}"}]},
        "id": "0",
        "url_template": "{base_url}/odoo/contacts/{new_id}",
    },
    "lead": {
        "method": "POST",
        "url": "/json/2/crm.lead/create",
        "body": {"vals_list": [{"name": "{title}", "partner_id": "{id}", "type": "opportunity"}]},
        "id": "0",
        "url_template": "{base_url}/odoo/crm/{new_id}",
    },
    "log": {
        "method": "POST",
        "url": "/json/2/res.partner/message_post",
        "body": {
            "ids": ["{id}"],
            "body": "{text}",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_note",
        },
        "id": "",
    },
}

PRESETS: Final[Mapping[str, JSON]] = {"agendor": AGENDOR, "ploomes": PLOOMES, "odoo": ODOO}
ACTION_KINDS: Final[Mapping[str, Literal["contact", "lead", "note"]]] = {
    "contact": "contact",
    "lead": "lead",
    "log": "note",
}


# -- reading answers --------------------------------------------------------------------


def values_at(data: Any, path: str) -> list[Any]:
    """Every value at a dotted ``path`` (lists are walked through); [] when it is absent.

    A blank path is ``data`` itself. At a mapping, the longest run of segments
    that is a key wins, so keys holding dots (``@odata.nextLink``) still work.
    """
    segments = path.split(".") if path.strip() else []
    return _walk(data, segments)


def _walk(data: Any, segments: Sequence[str]) -> list[Any]:
    if not segments:
        if data is None or data is False:  # Odoo says false for an empty field
            return []
        return list(data) if isinstance(data, list) else [data]
    if isinstance(data, Mapping):
        for size in range(len(segments), 0, -1):
            key = ".".join(segments[:size])
            if key in data:
                return _walk(data[key], segments[size:])
        return []
    if isinstance(data, list):
        head = segments[0]
        if head.lstrip("-").isdigit():
            index = int(head)
            return _walk(data[index], segments[1:]) if -len(data) <= index < len(data) else []
        found: list[Any] = []
        for item in data:
            found += _walk(item, segments)
        return found
    return []


def _text(value: Any) -> str:
    """A value from the CRM as plain, stripped text ("" for nothing or a structure)."""
    if value is None or value is False or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _texts(data: Any, paths: Any) -> list[str]:
    """The non-empty texts at one path or a list of paths, without repeats, in order."""
    chosen = [paths] if isinstance(paths, str) else list(paths or [])
    out: list[str] = []
    for path in chosen:
        if isinstance(path, str) and path.strip():
            out += [t for t in (_text(v) for v in values_at(data, path)) if t]
    return list(dict.fromkeys(out))


def _first(data: Any, path: Any) -> str:
    found = _texts(data, path)
    return found[0] if found else ""


# -- filling templates -------------------------------------------------------------------


def _typed(value: str) -> Any:
    """An id as JSON wants it: CRMs with integer ids reject "42"."""
    return int(value) if value.isdigit() and len(value) < 16 else value


def fill_json(template: Any, values: Mapping[str, str]) -> Any:
    """The body template with placeholders replaced inside its strings (escaped on dumping)."""
    if isinstance(template, str):
        whole = PLACEHOLDER.fullmatch(template)
        if whole and whole.group(1) in ("id", "new_id"):
            return _typed(values.get(whole.group(1), ""))
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)
    if isinstance(template, list):
        return [fill_json(item, values) for item in template]
    if isinstance(template, dict):
        return {key: fill_json(item, values) for key, item in template.items()}
    return template


def fill_text(template: str, values: Mapping[str, str]) -> str:
    """A web-address template filled as text (``{base_url}``, ``{id}``, ``{new_id}``)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), template)


def fill_url(template: str, values: Mapping[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The path (each value percent-encoded) and the query pairs (httpx encodes them)."""
    split = urlsplit(template.strip())
    path = PLACEHOLDER.sub(lambda m: quote(values.get(m.group(1), ""), safe=""), split.path)
    if split.scheme and split.netloc:
        path = f"{split.scheme}://{split.netloc}{path}"
    query = [
        (key, PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), value))
        for key, value in parse_qsl(split.query, keep_blank_values=True)
    ]
    return path, query


class GenericREST(Plugin):
    """A CRM described by settings: a lookup, a field mapping and optional actions."""

    name: ClassVar[str] = "rest"
    title: ClassVar[str] = "CRM via REST"
    settings: ClassVar[tuple[Setting, ...]] = (
        Setting(
            key="preset",
            label="Modelo",
            help="agendor, ploomes ou odoo preenchem tudo; em branco, descreva a API abaixo.",
        ),
        Setting(
            key="base_url",
            label="Endereço da API",
            help="Em branco usa o do modelo (no Odoo, o endereço do seu servidor).",
        ),
        Setting(key="auth_header", label="Cabeçalho da chave", help="Ex.: Authorization."),
        Setting(
            key="auth_value",
            label="Chave de acesso",
            secret=True,
            required=True,
            help="Ex.: Token abc123 (com modelo, basta a chave).",
        ),
        Setting(
            key="lookup",
            label="Consulta por telefone (JSON)",
            help='Ex.: {"method": "GET", "url": "/contatos?tel={phone}", "phones": "all"}.',
        ),
        Setting(
            key="mapping",
            label="Mapeamento da resposta (JSON)",
            help='Ex.: {"records": "data", "id": "id", "name": "nome", "phones": ["tel"]}.',
        ),
        Setting(key="contact", label="Criar contato (JSON)", help="Em branco usa o do modelo."),
        Setting(key="lead", label="Criar negócio (JSON)", help="Em branco usa o do modelo."),
        Setting(key="log", label="Registrar conversa (JSON)", help="Em branco usa o do modelo."),
    )

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.problem: PluginError | None = None
        preset_name = context.get("preset").lower()
        preset = PRESETS.get(preset_name, {})
        if preset_name and not preset:
            self.problem = PluginError(
                "broken",
                "O modelo do plugin CRM via REST deve ser agendor, ploomes, odoo ou ficar "
                "em branco.",
            )
        self.vendor: str = preset.get("vendor", "CRM")
        self.base_url = context.get("base_url", preset.get("base_url", "")).rstrip("/")
        header = context.get("auth_header", preset.get("auth_header", "Authorization"))
        value = context.get("auth_value")
        scheme = preset.get("auth_scheme", "")
        if value and scheme and " " not in value:
            value = f"{scheme} {value}"
        self.has_key = bool(value)
        self.lookup_spec: JSON = self._setting_json("lookup", preset)
        self.mapping: JSON = self._setting_json("mapping", preset)
        self.actions: dict[str, JSON] = {
            key: self._setting_json(key, preset) for key in ("contact", "lead", "log")
        }
        self.http = Http(
            self.vendor,
            self.base_url or "http://invalid.invalid",
            headers={header: value} if value else {},
            timeout=context.timeout,
            budget=context.timeout,
        )

    # -- settings -----------------------------------------------------------------------

    def _setting_json(self, key: str, preset: Mapping[str, Any]) -> JSON:
        """One JSON setting (an object), the preset's when blank; a bad one is remembered."""
        raw = self.context.get(key)
        if not raw:
            default = preset.get(key, {})
            return dict(default) if isinstance(default, dict) else {}
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            if self.problem is None:
                self.problem = PluginError(
                    "broken",
                    f"A configuração «{key}» do plugin CRM via REST não é um JSON válido "
                    "(um objeto entre chaves); corrija-a nas configurações.",
                )
            return {}
        return parsed

    def _ready(self) -> None:
        """Say what is missing before asking the CRM anything."""
        if self.problem is not None:
            raise self.problem
        if not self.base_url:
            raise PluginError(
                "broken", "Informe o endereço da API nas configurações do plugin CRM via REST."
            )
        if not self.has_key:
            raise PluginError(
                "auth", "Informe a chave de acesso nas configurações do plugin CRM via REST."
            )

    def _values(self, customer: Customer, **extra: str) -> dict[str, str]:
        values = {
            "name": customer.name.strip() or f"+{customer.phone}",
            "phone": f"+{customer.phone}",
            "base_url": self.base_url,
        }
        values.update(extra)
        return values

    # -- requests -----------------------------------------------------------------------

    async def _send(self, spec: Mapping[str, Any], values: Mapping[str, str]) -> Any:
        """One templated request; the answer's JSON (None when empty or 404)."""
        method = str(spec.get("method") or "GET").upper()
        path, query = fill_url(str(spec.get("url") or ""), values)
        body = spec.get("body")
        payload = fill_json(body, values) if body is not None else None
        return await self.http.json(method, path, params=dict(query) or None, json=payload)

    def _same_host(self, url: str) -> bool:
        """Whether a next-page link points at the API itself (the key goes with it)."""
        ours, theirs = urlsplit(self.base_url), urlsplit(url)
        if not theirs.netloc:
            return True
        return (theirs.scheme, theirs.netloc) == (ours.scheme, ours.netloc)

    def _forms(self, phone: str) -> list[str]:
        forms = phone_variants(phone)
        kind = str(self.lookup_spec.get("phones") or "all").lower()
        if kind == "tail":
            # The last eight digits as people write them: a substring search with these
            # finds every way the number was typed (decoys are dropped by same_phone).
            tail = "".join(c for c in phone if c.isdigit())[-8:]
            return list(dict.fromkeys([f"{tail[:4]}-{tail[4:]}", tail, f"{tail[:4]} {tail[4:]}"]))
        if kind == "digits":
            forms = [f for f in forms if f.isdigit()]
        elif kind == "e164":
            forms = [f for f in forms if f.startswith("+")]
        return forms

    async def _matches(self, customer: Customer) -> list[Any]:
        """Records whose stored phone is this number, asking each chosen form in turn."""
        if not self.lookup_spec.get("url"):
            raise PluginError(
                "broken",
                "Preencha a configuração «lookup» do plugin CRM via REST (a consulta por "
                "telefone).",
            )
        kind = str(self.lookup_spec.get("phones") or "all").lower()
        if kind not in PHONE_FORMS:
            raise PluginError(
                "broken",
                "Em «lookup», «phones» deve ser all, digits, e164 ou tail (plugin CRM via REST).",
            )
        records_path = str(self.mapping.get("records") or "")
        next_path = str(self.mapping.get("next") or "")
        phones_path = self.mapping.get("phones") or ""
        for form in self._forms(customer.phone):
            values = self._values(customer, phone=form)
            found: dict[str, Any] = {}
            answer = await self._send(self.lookup_spec, values)
            for _page in range(MAX_PAGES):
                for record in values_at(answer, records_path):
                    if not isinstance(record, Mapping):
                        continue
                    stored = _texts(record, phones_path)
                    if any(same_phone(p, customer.phone) for p in stored):
                        found.setdefault(_first(record, self.mapping.get("id", "id")), record)
                link = _first(answer, next_path) if next_path else ""
                if not link or not self._same_host(link):
                    break
                answer = await self.http.json("GET", link)
            if found:
                return list(found.values())
        return []

    # -- capabilities -------------------------------------------------------------------

    async def lookup(self, customer: Customer) -> Card | None:
        """The first record whose phone is this number, mapped onto the card."""
        self._ready()
        matches = await self._matches(customer)
        if not matches:
            return None
        record = matches[0]
        m = self.mapping
        record_id = _first(record, m.get("id", "id"))
        emails = _texts(record, m.get("email", ""))
        fields: dict[str, str] = {}
        if len(emails) > 1:
            fields["E-mails"] = ", ".join(emails)
        extra = m.get("fields") or {}
        if isinstance(extra, Mapping):
            for label, path in extra.items():
                value = ", ".join(_texts(record, path))
                if value:
                    fields[str(label)] = value
        url_template = str(m.get("url") or "")
        return Card(
            record_id=record_id,
            name=_first(record, m.get("name", "")),
            phones=tuple(_texts(record, m.get("phones", ""))),
            email=emails[0] if emails else "",
            company=_first(record, m.get("company", "")),
            url=fill_text(url_template, {"id": record_id, "base_url": self.base_url})
            if url_template and record_id
            else "",
            fields=fields,
        )

    async def _act(self, key: str, values: Mapping[str, str]) -> Created:
        """Send one action's template and read the new record's id and address."""
        spec = self.actions[key]
        if not spec.get("url"):
            raise PluginError(
                "refused",
                f"A ação não está configurada: preencha «{key}» nas configurações do plugin "
                "CRM via REST.",
            )
        answer = await self._send(spec, values)
        id_path = str(spec.get("id") or "")
        # A blank path is the answer itself (Odoo's message_post answers the bare id).
        new_id = _first(answer, id_path) if id_path.strip() else _text(answer)
        if not new_id:
            raise PluginError(
                "answer", f"O {self.vendor} não devolveu o registro criado (erro de integração)."
            )
        template = str(spec.get("url_template") or "")
        if template:
            url = fill_text(template, {**values, "new_id": new_id})
        elif key == "log" and values.get("id") and self.mapping.get("url"):
            # A note has no page of its own: it is read on the customer's record.
            url = fill_text(str(self.mapping["url"]), values)
        else:
            url = ""
        return Created(ACTION_KINDS[key], new_id, url)

    def _needs_record(self, key: str) -> bool:
        spec = self.actions[key]
        return "{id}" in json.dumps([spec.get("url"), spec.get("body")])

    async def _record_of(self, customer: Customer, card: Card | None, key: str) -> str:
        """The customer's record id for an action whose template needs ``{id}``."""
        if not self._needs_record(key):
            return card.record_id if card else ""
        if card is None:
            card = await self.lookup(customer)
        if card is None or not card.record_id:
            raise PluginError(
                "refused",
                f"Este número não está em nenhum contato do {self.vendor}; crie o contato antes.",
            )
        return card.record_id

    async def create_contact(self, customer: Customer) -> Created:
        """A contact with the customer's WhatsApp name and number (``contact`` template)."""
        self._ready()
        return await self._act("contact", self._values(customer))

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        """A lead or deal for the customer (``lead`` template; ``{id}`` is their record)."""
        self._ready()
        record_id = await self._record_of(customer, card, "lead")
        name = title.strip() or f"WhatsApp {customer.name or '+' + customer.phone}".strip()
        return await self._act("lead", self._values(customer, id=record_id, title=name))

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        """The conversation as a note on the customer's record (``log`` template)."""
        self._ready()
        customer = transcript.customer
        record_id = await self._record_of(customer, card, "log")
        values = self._values(customer, id=record_id, text=transcript.as_text())
        return await self._act("log", values)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self.http.aclose()
