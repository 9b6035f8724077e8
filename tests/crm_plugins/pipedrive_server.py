"""A Pipedrive company (API v2, and v1 where v2 has nothing) on loopback, for the plugin's tests.

What it follows (developers.pipedrive.com, pipedrive.readme.io):
- Every call needs the API token in the ``x-api-token`` header; a wrong one
  is 401 ``{"success": false, "error": "unauthorized access", "errorCode":
  401, "error_info": ...}``
  (https://pipedrive.readme.io/docs/core-api-concepts-authentication).
- ``GET /api/v2/persons/search?term=&fields=phone&exact_match=&limit=&cursor=``
  → ``{"success": true, "data": {"items": [{"result_score", "item": {id, type,
  name, phones: [str], emails: [str], visible_to, owner: {id}, organization:
  {id, name, address}, custom_fields, notes, update_time}}]},
  "additional_data": {"next_cursor"}}``; the term is found anywhere inside the
  stored value unless ``exact_match=true``; ``limit`` ≤ 500
  (https://developers.pipedrive.com/docs/api/v1/Persons#searchPersons).
- ``GET /api/v2/persons/{id}`` → ``data`` with ``name``, ``first_name``,
  ``last_name``, ``owner_id``, ``org_id``, ``phones`` / ``emails`` as
  ``[{value, primary, label}]``; 404 when there is no such person
  (https://developers.pipedrive.com/docs/api/v1/Persons#getPerson).
- ``POST /api/v2/persons`` takes ``{name, phones: [{value, primary, label}]}``
  and answers the new person (…#addPerson).
- ``GET /api/v2/deals?person_id=&status=open&limit=&cursor=`` → ``data: [{id,
  title, value, currency, stage_id, pipeline_id, status, person_id}]`` with
  ``additional_data.next_cursor`` (…/Deals#getDeals); ``GET /api/v2/stages``
  → ``data: [{id, name, pipeline_id}]`` (…/Stages#getStages);
  ``GET /api/v2/organizations/{id}`` (…/Organizations#getOrganization).
- v1: ``GET /v1/users/{id}`` and ``/v1/users/me`` (``company_domain``)
  (…/Users#getUser); ``POST /v1/leads`` needs ``title`` and ``person_id`` or
  ``organization_id``, answers ``data.id`` as a UUID (…/Leads#addLead);
  ``POST /v1/notes`` needs ``content`` and one of ``person_id`` / ``deal_id``
  / ``lead_id`` / ``org_id`` (…/Notes#addNote).
- Errors are ``{"success": false, "error", "error_info", "data": null,
  "additional_data": null, "code"}``.
- Rate limits: a company's daily token budget, 429 until the next day when spent
  (https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting). The
  exact words of that 429 are not published; :func:`daily_budget_spent`
  answers in the documented error shape with a message naming the daily budget.

``match`` picks how the search compares: ``"text"`` (default) looks for the
term inside the stored string as typed, as Pipedrive documents;
``"digits"`` compares digits only (so any writing of the tail finds it).
"""

from __future__ import annotations

import base64
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.crm_plugins.vendor_server import Reply, Request, VendorServer

TOKEN = "pipedrive-api-token-0123456789abcdef"
INFO = "Please check developers.pipedrive.com for more information about Pipedrive API."


def error(status: int, message: str, code: str | None = None) -> Reply:
    """An error as Pipedrive sends it."""
    body = {
        "success": False,
        "error": message,
        "error_info": INFO,
        "data": None,
        "additional_data": None,
        "code": code,
    }
    return status, body, {}


def daily_budget_spent() -> Reply:
    """The 429 a company gets once its daily token budget is spent."""
    status, body, _ = error(429, "Daily API token budget exceeded for this company.")
    return status, body, {"Retry-After": "36000"}


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":")[1]) if cursor else 0


@dataclass
class PipedriveServer(VendorServer):
    """One Pipedrive company: persons, organizations, users, deals, stages, leads and notes."""

    persons: dict[int, dict[str, Any]] = field(default_factory=dict)
    organizations: dict[int, dict[str, Any]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    deals: dict[int, dict[str, Any]] = field(default_factory=dict)
    stages: list[dict[str, Any]] = field(default_factory=list)
    leads: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    match: str = "text"
    page_size: int = 500
    company_domain: str = "souzacontabil"
    next_id: int = 9000

    def __post_init__(self) -> None:
        self.route("GET", r"/api/v2/persons/search", self._search)
        self.route("GET", r"/api/v2/persons/(\d+)", self._person)
        self.route("POST", r"/api/v2/persons", self._add_person)
        self.route("GET", r"/api/v2/deals", self._list_deals)
        self.route("GET", r"/api/v2/stages", self._list_stages)
        self.route("GET", r"/api/v2/organizations/(\d+)", self._organization)
        self.route("GET", r"/v1/users/me", self._me)
        self.route("GET", r"/v1/users/(\d+)", self._user)
        self.route("POST", r"/v1/leads", self._add_lead)
        self.route("POST", r"/v1/notes", self._add_note)
        self.users[1001] = {"id": 1001, "name": "Carla Mendes", "email": "carla@souza.com.br"}

    # -- data -----------------------------------------------------------------------

    def add_person(
        self,
        pid: int,
        name: str,
        *phones: str | tuple[str, str],
        emails: tuple[tuple[str, str], ...] = (),
        org_id: int | None = None,
        owner_id: int = 1001,
    ) -> dict[str, Any]:
        """A person as the company stores them (a phone may be ``(value, label)``)."""
        pairs = [p if isinstance(p, tuple) else (p, "work") for p in phones]
        person = {
            "id": pid,
            "name": name,
            "first_name": name.split(" ")[0],
            "last_name": " ".join(name.split(" ")[1:]) or None,
            "owner_id": owner_id,
            "org_id": org_id,
            "add_time": "2024-05-02T13:04:11Z",
            "update_time": "2024-05-02T13:04:11Z",
            "is_deleted": False,
            "visible_to": 3,
            "phones": [
                {"value": v, "primary": i == 0, "label": label}
                for i, (v, label) in enumerate(pairs)
            ],
            "emails": [
                {"value": v, "primary": i == 0, "label": label}
                for i, (v, label) in enumerate(emails)
            ],
            "label_ids": [],
            "custom_fields": {},
        }
        self.persons[pid] = person
        return person

    def add_deal(
        self,
        did: int,
        title: str,
        value: float,
        stage_id: int,
        person_id: int,
        status: str = "open",
    ) -> None:
        """A deal linked to a person."""
        self.deals[did] = {
            "id": did,
            "title": title,
            "value": value,
            "currency": "BRL",
            "stage_id": stage_id,
            "pipeline_id": 1,
            "status": status,
            "person_id": person_id,
            "org_id": None,
            "owner_id": 1001,
            "is_deleted": False,
        }

    def default_pipeline(self) -> None:
        """The first pipeline's stages."""
        names = {1: "Qualificado", 2: "Contato feito", 3: "Proposta enviada", 4: "Negociação"}
        self.stages = [
            {"id": i, "name": n, "pipeline_id": 1, "order_nr": i} for i, n in names.items()
        ]

    # -- handlers -------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("x-api-token") == TOKEN and "api_token" not in request.query

    def _unauthorised(self) -> Reply:
        status, body, headers = error(401, "unauthorized access")
        body["errorCode"] = 401
        return status, body, headers

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def _matches(self, stored: str, term: str, exact: bool) -> bool:
        if exact:
            return stored.lower() == term.lower()
        if self.match == "digits":
            return bool(_digits(term)) and _digits(term) in _digits(stored)
        return term.lower() in stored.lower()

    def _search(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        term = request.arg("term")
        exact = request.arg("exact_match") == "true"
        if len(term) < (1 if exact else 2):
            return error(400, "Search term must be at least 2 characters long")
        fields = request.arg("fields", "name,email,phone,notes,custom_fields").split(",")
        found = []
        for person in self.persons.values():
            texts = [p["value"] for p in person["phones"]] if "phone" in fields else []
            texts += [e["value"] for e in person["emails"]] if "email" in fields else []
            texts += [person["name"]] if "name" in fields else []
            if any(self._matches(t, term, exact) for t in texts):
                found.append(person)
        limit = min(int(request.arg("limit", "100")), 500, self.page_size)
        start = _offset(request.arg("cursor"))
        chunk = found[start : start + limit]
        items = []
        for person in chunk:
            org = self.organizations.get(person["org_id"] or 0)
            items.append(
                {
                    "result_score": 0.52,
                    "item": {
                        "id": person["id"],
                        "type": "person",
                        "name": person["name"],
                        "phones": [p["value"] for p in person["phones"]],
                        "emails": [e["value"] for e in person["emails"]],
                        "visible_to": 3,
                        "owner": {"id": person["owner_id"]},
                        "organization": (
                            {"id": org["id"], "name": org["name"], "address": None} if org else None
                        ),
                        "custom_fields": [],
                        "notes": [],
                        "update_time": person["update_time"],
                    },
                }
            )
        more = start + limit < len(found)
        return (
            200,
            {
                "success": True,
                "data": {"items": items},
                "additional_data": {"next_cursor": _cursor(start + limit) if more else None},
            },
            {},
        )

    def _person(self, request: Request, m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        person = self.persons.get(int(m.group(1)))
        if person is None:
            return error(404, "Person not found")
        return 200, {"success": True, "data": person}, {}

    def _add_person(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        body = request.body if isinstance(request.body, dict) else {}
        if not str(body.get("name") or "").strip():
            return error(400, "Name must be given.")
        pid = self._new_id()
        person = self.add_person(pid, body["name"])
        person["phones"] = [
            {"value": p["value"], "primary": bool(p.get("primary")), "label": p.get("label")}
            for p in body.get("phones", [])
        ]
        return 200, {"success": True, "data": person}, {}

    def _list_deals(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        person_id = request.arg("person_id")
        status = request.arg("status")
        found = [
            d
            for d in self.deals.values()
            if (not person_id or str(d["person_id"]) == person_id)
            and (not status or d["status"] == status)
        ]
        limit = min(int(request.arg("limit", "100")), 500)
        start = _offset(request.arg("cursor"))
        more = start + limit < len(found)
        return (
            200,
            {
                "success": True,
                "data": found[start : start + limit],
                "additional_data": {"next_cursor": _cursor(start + limit) if more else None},
            },
            {},
        )

    def _list_stages(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        body = {"success": True, "data": self.stages, "additional_data": {"next_cursor": None}}
        return 200, body, {}

    def _organization(self, request: Request, m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        org = self.organizations.get(int(m.group(1)))
        if org is None:
            return error(404, "Organization not found")
        return 200, {"success": True, "data": org}, {}

    def _me(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        me = {**self.users[1001], "company_domain": self.company_domain}
        return 200, {"success": True, "data": me}, {}

    def _user(self, request: Request, m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        user = self.users.get(int(m.group(1)))
        if user is None:
            return error(404, "User not found")
        return 200, {"success": True, "data": user}, {}

    def _add_lead(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        body = request.body if isinstance(request.body, dict) else {}
        if not str(body.get("title") or "").strip():
            return error(400, "Validation failed: title: Required")
        person_id = body.get("person_id")
        if body.get("organization_id") is None and person_id not in self.persons:
            return error(400, "A lead must be linked to a person or an organization.")
        lid = str(uuid.uuid4())
        self.leads[lid] = {
            "id": lid,
            "title": body["title"],
            "person_id": person_id,
            "organization_id": body.get("organization_id"),
            "owner_id": 1001,
            "source_name": "API",
            "is_archived": False,
            "was_seen": False,
        }
        return 201, {"success": True, "data": self.leads[lid]}, {}

    def _add_note(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        body = request.body if isinstance(request.body, dict) else {}
        if not str(body.get("content") or "").strip():
            return error(400, "Note content is required.")
        person_id = body.get("person_id")
        if person_id is not None and person_id not in self.persons:
            return error(404, "Person not found")
        if not any(body.get(k) is not None for k in ("person_id", "deal_id", "lead_id", "org_id")):
            return error(400, "Note must be attached to a deal, person, organization or lead.")
        note = {"id": self._new_id(), "content": body["content"], "person_id": person_id}
        self.notes.append(note)
        return 200, {"success": True, "data": note}, {}
