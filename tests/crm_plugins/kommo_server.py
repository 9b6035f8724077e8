"""A Kommo account (API v4) on loopback, speaking the documented shapes, for the plugin's tests.

What it follows (developers.kommo.com / kommo.com/developers):
- ``GET /api/v4/contacts?query=&with=leads&page=&limit=`` answers HAL JSON
  (``application/hal+json``): ``_page``, ``_links.self`` / ``_links.next``
  and ``_embedded.contacts[]``, each with ``custom_fields_values`` (PHONE /
  EMAIL by ``field_code``, several ``values``), ``responsible_user_id``,
  ``_embedded.companies[{id}]`` and, with ``with=leads``,
  ``_embedded.leads[{id}]``; 204 No Content when nothing matches
  (https://developers.kommo.com/reference/contacts-list).
- ``GET /api/v4/leads?filter[id][]=`` → ``_embedded.leads[]`` with name,
  price, status_id, pipeline_id (https://developers.kommo.com/reference/leads-list);
  ``GET /api/v4/leads/pipelines`` → ``_embedded.pipelines[]._embedded.statuses[]``.
- ``GET /api/v4/companies/{id}`` → the company.
- ``POST /api/v4/contacts`` and ``POST /api/v4/leads`` take an array and answer
  ``_embedded.contacts|leads[{id, request_id}]``; ``POST
  /api/v4/contacts/{id}/notes`` takes ``[{"note_type": "common", "params":
  {"text": ...}}]`` and answers ``_embedded.notes[{id, entity_id}]``
  (https://kommo.com/developers/content/api_v4/contacts-api,
  https://kommo.com/developers/content/api_v4/events-and-notes).
- Errors are ``application/problem+json`` (``title``, ``type``, ``status``,
  ``detail``); a wrong token is 401.

How ``query`` matches is not documented beyond "searches by custom field
values": ``match`` picks the double's rule. ``"digits"`` (default) finds a
phone whose digits contain the query's; ``"text"`` only a stored string
containing the query as typed (a strict CRM: only the right variant finds
it); ``"lenient"`` any phone sharing the query's last 8 digits (so numbers
in other area codes come back and the plugin must drop them). Any other
text field matches by substring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tests.crm_plugins.vendor_server import Reply, Request, VendorServer

TOKEN = "kommo-long-lived-token"
HAL = {"Content-Type": "application/hal+json"}
PROBLEM = {"Content-Type": "application/problem+json"}


def problem(status: int, title: str, detail: str) -> Reply:
    """An error as Kommo sends it."""
    body = {"title": title, "type": "https://httpstatus.es/" + str(status), "status": status}
    return status, {**body, "detail": detail}, PROBLEM


def phone_field(*numbers: str) -> dict[str, Any]:
    """A contact's PHONE field with these values."""
    return {
        "field_id": 264911,
        "field_name": "Telefone",
        "field_code": "PHONE",
        "field_type": "multitext",
        "values": [{"value": n, "enum_id": 193200, "enum_code": "WORK"} for n in numbers],
    }


def email_field(*emails: str) -> dict[str, Any]:
    """A contact's EMAIL field with these values."""
    return {
        "field_id": 264913,
        "field_name": "E-mail",
        "field_code": "EMAIL",
        "field_type": "multitext",
        "values": [{"value": e, "enum_id": 193212, "enum_code": "WORK"} for e in emails],
    }


def text_field(name: str, *values: Any, field_type: str = "text") -> dict[str, Any]:
    """Any other custom field."""
    return {
        "field_id": 300000 + len(name),
        "field_name": name,
        "field_code": None,
        "field_type": field_type,
        "values": [{"value": v} for v in values],
    }


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass
class KommoServer(VendorServer):
    """One Kommo account: contacts, companies, leads, pipelines and notes in memory."""

    contacts: list[dict[str, Any]] = field(default_factory=list)
    companies: dict[int, dict[str, Any]] = field(default_factory=dict)
    leads: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    pipelines: list[dict[str, Any]] = field(default_factory=list)
    match: str = "digits"
    page_size: int = 250
    next_id: int = 9000

    def __post_init__(self) -> None:
        self.route("GET", r"/api/v4/contacts", self._list_contacts)
        self.route("POST", r"/api/v4/contacts", self._add_contacts)
        self.route("POST", r"/api/v4/contacts/(\d+)/notes", self._add_notes)
        self.route("GET", r"/api/v4/companies/(\d+)", self._company)
        self.route("GET", r"/api/v4/leads", self._list_leads)
        self.route("POST", r"/api/v4/leads", self._add_leads)
        self.route("GET", r"/api/v4/leads/pipelines", self._pipelines)

    # -- data -----------------------------------------------------------------------

    def add_contact(
        self,
        cid: int,
        name: str,
        *phones: str,
        fields: list[dict[str, Any]] | None = None,
        company: int | None = None,
        leads: tuple[int, ...] = (),
        owner: int = 8375357,
    ) -> dict[str, Any]:
        """A contact as the account stores it."""
        contact = {
            "id": cid,
            "name": name,
            "first_name": name.split(" ")[0],
            "last_name": " ".join(name.split(" ")[1:]),
            "responsible_user_id": owner,
            "group_id": 0,
            "created_by": owner,
            "updated_by": owner,
            "created_at": 1686670710,
            "updated_at": 1686670710,
            "closest_task_at": None,
            "is_deleted": False,
            "custom_fields_values": ([phone_field(*phones)] if phones else []) + (fields or []),
            "account_id": 31234567,
            "_company": company,
            "_leads": list(leads),
        }
        self.contacts.append(contact)
        return contact

    def add_lead(self, lid: int, name: str, price: int, status_id: int) -> None:
        """A lead in the main pipeline."""
        self.leads[lid] = {
            "id": lid,
            "name": name,
            "price": price,
            "responsible_user_id": 8375357,
            "status_id": status_id,
            "pipeline_id": 7000,
            "closed_at": None,
            "account_id": 31234567,
        }

    def default_pipeline(self) -> None:
        """The main pipeline with Kommo's fixed won/lost stages."""
        names = {
            61001: "Leads de entrada",
            61002: "Contato inicial",
            61003: "Proposta enviada",
            142: "Venda ganha",
            143: "Venda perdida",
        }
        self.pipelines = [
            {
                "id": 7000,
                "name": "Funil de vendas",
                "is_main": True,
                "_embedded": {
                    "statuses": [
                        {"id": i, "name": n, "pipeline_id": 7000} for i, n in names.items()
                    ]
                },
            }
        ]

    # -- handlers -------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    def _public(self, contact: dict[str, Any], with_leads: bool) -> dict[str, Any]:
        out = {k: v for k, v in contact.items() if not k.startswith("_")}
        embedded: dict[str, Any] = {"tags": [], "companies": []}
        if contact["_company"] is not None:
            embedded["companies"] = [{"id": contact["_company"], "_links": {}}]
        if with_leads:
            embedded["leads"] = [{"id": i, "_links": {}} for i in contact["_leads"]]
        out["_embedded"] = embedded
        out["_links"] = {"self": {"href": f"/api/v4/contacts/{contact['id']}"}}
        return out

    def _matches(self, contact: dict[str, Any], query: str) -> bool:
        for cf in contact["custom_fields_values"]:
            for value in cf["values"]:
                stored = str(value["value"])
                if cf["field_code"] != "PHONE":
                    if query.lower() in stored.lower():
                        return True
                elif self.match == "text":
                    if query in stored:
                        return True
                elif self.match == "lenient":
                    if len(_digits(query)) >= 8 and _digits(query)[-8:] in _digits(stored):
                        return True
                elif _digits(query) and _digits(query) in _digits(stored):
                    return True
        return query.lower() in contact["name"].lower()

    def _list_contacts(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return problem(401, "Unauthorized", "Authorization failed")
        query = request.arg("query")
        found = [c for c in self.contacts if not query or self._matches(c, query)]
        page = int(request.arg("page", "1"))
        limit = min(int(request.arg("limit", "50")), 250, self.page_size)
        chunk = found[(page - 1) * limit : page * limit]
        if not chunk:
            return 204, None, {}
        links: dict[str, Any] = {"self": {"href": f"/api/v4/contacts?page={page}"}}
        if page * limit < len(found):
            links["next"] = {"href": f"/api/v4/contacts?page={page + 1}"}
        with_leads = "leads" in request.arg("with").split(",")
        contacts = [self._public(c, with_leads) for c in chunk]
        return 200, {"_page": page, "_links": links, "_embedded": {"contacts": contacts}}, HAL

    def _company(self, request: Request, m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return problem(401, "Unauthorized", "Authorization failed")
        company = self.companies.get(int(m.group(1)))
        if company is None:
            return 204, None, {}
        return 200, company, HAL

    def _list_leads(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return problem(401, "Unauthorized", "Authorization failed")
        ids = [int(i) for i in request.query.get("filter[id][]", [])]
        leads = [self.leads[i] for i in ids if i in self.leads]
        if not leads:
            return 204, None, {}
        return 200, {"_page": 1, "_links": {}, "_embedded": {"leads": leads}}, HAL

    def _pipelines(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return problem(401, "Unauthorized", "Authorization failed")
        body = {"_total_items": len(self.pipelines), "_embedded": {"pipelines": self.pipelines}}
        return 200, body, HAL

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _add_contacts(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return problem(401, "Unauthorized", "Authorization failed")
        if not isinstance(request.body, list) or not request.body:
            return problem(400, "Bad Request", "Request validation failed")
        made = []
        for i, item in enumerate(request.body):
            cid = self._new_id()
            contact = {
                "id": cid,
                "name": item.get("name", ""),
                "responsible_user_id": 8375357,
                "custom_fields_values": item.get("custom_fields_values", []),
                "_company": None,
                "_leads": [],
            }
            self.contacts.append(contact)
            made.append({"id": cid, "is_deleted": False, "request_id": str(i), "_links": {}})
        return 200, {"_links": {}, "_embedded": {"contacts": made}}, HAL

    def _add_leads(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return problem(401, "Unauthorized", "Authorization failed")
        if not isinstance(request.body, list) or not request.body:
            return problem(400, "Bad Request", "Request validation failed")
        made = []
        for i, item in enumerate(request.body):
            lid = self._new_id()
            self.add_lead(lid, item.get("name", ""), item.get("price", 0), 61001)
            for linked in item.get("_embedded", {}).get("contacts", []):
                for contact in self.contacts:
                    if contact["id"] == linked["id"]:
                        contact["_leads"].append(lid)
            made.append({"id": lid, "request_id": str(i), "_links": {}})
        return 200, {"_links": {}, "_embedded": {"leads": made}}, HAL

    def _add_notes(self, request: Request, m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return problem(401, "Unauthorized", "Authorization failed")
        cid = int(m.group(1))
        if not any(c["id"] == cid for c in self.contacts):
            return problem(404, "Not Found", "Entity not found")
        if not isinstance(request.body, list) or not request.body:
            return problem(400, "Bad Request", "Request validation failed")
        made = []
        for i, item in enumerate(request.body):
            nid = self._new_id()
            self.notes.append({"id": nid, "entity_id": cid, **item})
            made.append({"id": nid, "entity_id": cid, "request_id": str(i), "_links": {}})
        return 200, {"_links": {}, "_embedded": {"notes": made}}, HAL
