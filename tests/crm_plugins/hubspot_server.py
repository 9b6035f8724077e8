"""A HubSpot account (CRM API v3, associations v4) on loopback, for the plugin's tests.

What it follows (developers.hubspot.com):
- Every call needs ``Authorization: Bearer <private app token>``; a wrong one
  is 401 ``{"status": "error", "message", "correlationId", "category":
  "INVALID_AUTHENTICATION"}``; a token without the scope is 403
  ``MISSING_SCOPES`` (https://developers.hubspot.com/docs/api-reference/error-handling).
- ``POST /crm/v3/objects/contacts/search`` with ``{filterGroups: [{filters:
  [{propertyName, operator, value}]}], properties, limit, after}``: groups
  OR'd, filters in a group AND'd; at most 5 groups, 10 filters per group, 25
  in all (400 ``VALIDATION_ERROR`` beyond); ``limit`` ≤ 200; answers
  ``{total, results: [{id, properties, createdAt, updatedAt, archived}],
  paging: {next: {after}}}`` (https://developers.hubspot.com/docs/guides/api/crm/search,
  https://developers.hubspot.com/changelog/breaking-change-expanded-filtering-capabilities-and-error-messaging-in-hubspots-search-api).
  ``EQ`` compares the stored string.
- ``POST /crm/v3/objects/contacts`` / ``deals`` / ``notes`` take
  ``{properties, associations: [{to: {id}, types: [{associationCategory,
  associationTypeId}]}]}`` and answer 201 with the record; a note needs
  ``hs_timestamp``; deal→contact is type 3, note→contact 202
  (…/objects/contacts, …/objects/deals, …/engagements/notes,
  …/associations/associations-v4).
- ``GET /crm/v4/objects/contacts/{id}/associations/deals?limit&after`` →
  ``{results: [{toObjectId, associationTypes: [{category, typeId, label}]}],
  paging}``; ``POST /crm/v3/objects/deals/batch/read {inputs: [{id}],
  properties}`` → ``{status: "COMPLETE", results}``.
- ``GET /crm/v3/pipelines/deals`` → ``{results: [{id, label, displayOrder,
  stages: [{id, label, displayOrder, metadata: {isClosed, probability}}]}]}``
  (…/pipelines); ``GET /crm/v3/owners/{id}`` → ``{id, email, firstName,
  lastName}`` (…/owners).
- ``GET /account-info/v3/details`` → ``{portalId, accountType, timeZone,
  companyCurrency, uiDomain, dataHostingLocation}`` (account information guide).
- Rate limits: 429 ``{status, message, errorType: "RATE_LIMIT", category:
  "RATE_LIMITS", correlationId, policyName}`` with ``X-HubSpot-RateLimit-*``
  headers (https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details).

``match`` picks how ``EQ`` compares phones: ``"exact"`` (default, the stored
string as documented) or ``"tail"`` (the last eight digits, a sloppier search,
so the plugin's own check against decoys is what the tests see).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.crm_plugins.vendor_server import Reply, Request, VendorServer

TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"
PORTAL = 24681357
PHONE_PROPS = ("phone", "mobilephone")


def error(status: int, message: str, category: str, **extra: Any) -> Reply:
    """An error as HubSpot sends it."""
    body = {
        "status": "error",
        "message": message,
        "correlationId": str(uuid.uuid4()),
        "category": category,
        **extra,
    }
    return status, body, {}


def rate_limited(retry_after: str | None = "1", **headers: str) -> Reply:
    """The 429 of a burst over the ten-second rolling limit."""
    status, body, _ = error(
        429,
        "You have reached your ten_secondly_rolling limit.",
        "RATE_LIMITS",
        errorType="RATE_LIMIT",
        policyName="TEN_SECONDLY_ROLLING",
    )
    out = {
        "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
        "X-HubSpot-RateLimit-Max": "100",
        "X-HubSpot-RateLimit-Remaining": "0",
        **headers,
    }
    if retry_after is not None:
        out["Retry-After"] = retry_after
    return status, body, out


def daily_limit() -> Reply:
    """The 429 once the account's daily allowance is spent."""
    status, body, _ = error(
        429,
        "You have reached your daily limit.",
        "RATE_LIMITS",
        errorType="RATE_LIMIT",
        policyName="DAILY",
    )
    return (
        status,
        body,
        {"X-HubSpot-RateLimit-Daily": "250000", "X-HubSpot-RateLimit-Daily-Remaining": "0"},
    )


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass
class HubSpotServer(VendorServer):
    """One HubSpot account: contacts, deals, pipelines, owners, notes and associations."""

    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)  # contact id → deal ids
    owners: dict[str, dict[str, Any]] = field(default_factory=dict)
    pipelines: list[dict[str, Any]] = field(default_factory=list)
    match: str = "exact"
    owners_forbidden: bool = False
    page_size: int = 500  # the most associations one page holds
    next_id: int = 51000

    def __post_init__(self) -> None:
        self.route("POST", r"/crm/v3/objects/contacts/search", self._search)
        self.route("POST", r"/crm/v3/objects/contacts", self._create("contacts"))
        self.route("POST", r"/crm/v3/objects/deals", self._create("deals"))
        self.route("POST", r"/crm/v3/objects/notes", self._create("notes"))
        self.route("POST", r"/crm/v3/objects/deals/batch/read", self._read_deals)
        self.route("GET", r"/crm/v4/objects/contacts/(\d+)/associations/deals", self._links)
        self.route("GET", r"/crm/v3/pipelines/deals", self._pipelines)
        self.route("GET", r"/crm/v3/owners/(\d+)", self._owner)
        self.route("GET", r"/account-info/v3/details", self._details)
        self.owners["7001"] = {
            "id": "7001",
            "email": "carla@souza.com.br",
            "firstName": "Carla",
            "lastName": "Mendes",
            "userId": 9001,
            "archived": False,
        }
        self.pipelines = [
            {
                "id": "default",
                "label": "Pipeline de vendas",
                "displayOrder": 0,
                "archived": False,
                "stages": [
                    self._stage("closedwon", "Ganho", 5, closed=True),
                    self._stage("appointmentscheduled", "Reunião agendada", 0),
                    self._stage("qualifiedtobuy", "Qualificado", 1),
                    self._stage("closedlost", "Perdido", 6, closed=True),
                ],
            }
        ]

    @staticmethod
    def _stage(sid: str, label: str, order: int, closed: bool = False) -> dict[str, Any]:
        return {
            "id": sid,
            "label": label,
            "displayOrder": order,
            "archived": False,
            "metadata": {"isClosed": "true" if closed else "false", "probability": "0.2"},
        }

    # -- data -----------------------------------------------------------------------

    def add_contact(self, cid: str, first: str, last: str = "", **props: str) -> dict[str, Any]:
        """A contact as the account stores it (every property a string or absent)."""
        contact = {
            "id": cid,
            "properties": {
                "firstname": first,
                "lastname": last or None,
                "hs_object_id": cid,
                "createdate": "2024-05-02T13:04:11.000Z",
                "lastmodifieddate": "2024-05-02T13:04:11.000Z",
                **props,
            },
            "createdAt": "2024-05-02T13:04:11.000Z",
            "updatedAt": "2024-05-02T13:04:11.000Z",
            "archived": False,
        }
        self.contacts[cid] = contact
        return contact

    def add_deal(
        self, did: str, name: str, amount: str, stage: str, contact_id: str
    ) -> dict[str, Any]:
        """A deal associated with a contact."""
        deal = {
            "id": did,
            "properties": {
                "dealname": name,
                "amount": amount,
                "dealstage": stage,
                "pipeline": "default",
                "hs_is_closed": "true" if stage.startswith("closed") else "false",
                "deal_currency_code": "BRL",
            },
            "archived": False,
        }
        self.deals[did] = deal
        self.links.setdefault(contact_id, []).append(did)
        return deal

    # -- handlers -------------------------------------------------------------------

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    def _unauthorised(self) -> Reply:
        return error(
            401,
            "Authentication credentials not found. This API supports OAuth 2.0 authentication "
            "and you can find more details at https://developers.hubspot.com/docs/methods/auth/"
            "oauth-overview",
            "INVALID_AUTHENTICATION",
        )

    def _new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def _matches(self, stored: Any, value: str) -> bool:
        if not isinstance(stored, str) or not stored:
            return False
        if self.match == "tail":
            return _digits(stored)[-8:] == _digits(value)[-8:]
        return stored == value

    def _search(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        body = request.body if isinstance(request.body, dict) else {}
        groups = body.get("filterGroups") or []
        filters = [f for g in groups for f in g.get("filters", [])]
        if len(groups) > 5 or len(filters) > 25 or any(len(g["filters"]) > 10 for g in groups):
            return error(
                400,
                "Too many filter groups or filters in request.",
                "VALIDATION_ERROR",
            )
        limit = int(body.get("limit") or 10)
        if limit > 200:
            return error(400, "limit must be at most 200", "VALIDATION_ERROR")
        found = []
        for contact in self.contacts.values():
            props = contact["properties"]
            if any(
                all(
                    f["operator"] == "EQ"
                    and self._matches(props.get(f["propertyName"]), f["value"])
                    for f in g["filters"]
                )
                for g in groups
            ):
                found.append(contact)
        start = int(body.get("after") or 0)
        chunk = found[start : start + limit]
        wanted = body.get("properties") or ["firstname", "lastname", "email"]
        results = [
            {
                **c,
                "properties": {k: c["properties"].get(k) for k in [*wanted, "hs_object_id"]},
            }
            for c in chunk
        ]
        reply: dict[str, Any] = {"total": len(found), "results": results}
        if start + limit < len(found):
            reply["paging"] = {"next": {"after": str(start + limit), "link": "?after="}}
        return 200, reply, {}

    def _create(self, kind: str) -> Any:
        def handler(request: Request, _m: re.Match[str]) -> Reply:
            if not self._authorised(request):
                return self._unauthorised()
            body = request.body if isinstance(request.body, dict) else {}
            props = body.get("properties") or {}
            if kind == "notes" and not props.get("hs_timestamp"):
                return error(
                    400, "Property values were not valid: hs_timestamp", "VALIDATION_ERROR"
                )
            if kind == "deals" and not props.get("dealname"):
                return error(400, "Property values were not valid: dealname", "VALIDATION_ERROR")
            for link in body.get("associations") or []:
                to = str(link["to"]["id"])
                if to not in self.contacts:
                    return error(400, f"No contact with id {to}", "VALIDATION_ERROR")
            new = self._new_id()
            record = {
                "id": new,
                "properties": {**props, "hs_object_id": new},
                "createdAt": "2024-06-01T12:00:00.000Z",
                "updatedAt": "2024-06-01T12:00:00.000Z",
                "archived": False,
                "associations": body.get("associations") or [],
            }
            getattr(self, kind)[new] = record
            if kind == "deals":
                for link in record["associations"]:
                    self.links.setdefault(str(link["to"]["id"]), []).append(new)
            return 201, record, {}

        return handler

    def _read_deals(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        body = request.body if isinstance(request.body, dict) else {}
        wanted = body.get("properties") or ["dealname", "amount", "dealstage"]
        results = [
            {**d, "properties": {k: d["properties"].get(k) for k in wanted}}
            for i in body.get("inputs", [])
            if (d := self.deals.get(str(i["id"])))
        ]
        return 200, {"status": "COMPLETE", "results": results}, {}

    def _links(self, request: Request, m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        ids = self.links.get(m.group(1), [])
        limit = min(int(request.arg("limit", "500")), self.page_size)
        start = int(request.arg("after") or 0)
        results = [
            {
                "toObjectId": int(d),
                "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 4, "label": None}],
            }
            for d in ids[start : start + limit]
        ]
        reply: dict[str, Any] = {"results": results}
        if start + limit < len(ids):
            reply["paging"] = {"next": {"after": str(start + limit)}}
        return 200, reply, {}

    def _pipelines(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        return 200, {"results": self.pipelines}, {}

    def _owner(self, request: Request, m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        if self.owners_forbidden:
            return error(
                403,
                "This app hasn't been granted all required scopes to make this call.",
                "MISSING_SCOPES",
            )
        owner = self.owners.get(m.group(1))
        if owner is None:
            return error(404, "Owner not found", "OBJECT_NOT_FOUND")
        return 200, owner, {}

    def _details(self, request: Request, _m: re.Match[str]) -> Reply:
        if not self._authorised(request):
            return self._unauthorised()
        return (
            200,
            {
                "portalId": PORTAL,
                "accountType": "STANDARD",
                "timeZone": "America/Sao_Paulo",
                "companyCurrency": "BRL",
                "additionalCurrencies": [],
                "utcOffset": "-03:00",
                "utcOffsetMilliseconds": -10800000,
                "uiDomain": "app.hubspot.com",
                "dataHostingLocation": "na1",
            },
            {},
        )
