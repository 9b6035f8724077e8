"""A loopback RD Station CRM (API v1) speaking the documented shapes, for the plugin's tests.

Shapes follow RD's reference (https://developers.rdstation.com/reference/
crm-v1-introducao-e-requisitos and the resource pages it links): the user's
token in the query string, 401 ``{"error": "Permission denied."}`` without
it; "Listar contatos" answers ``{"contacts": [...], "has_more", "total"}``
paged by ``page``/``limit`` and filtered by ``phone``, each contact with
``phones[{phone, type, whatsapp}]``, ``emails[{email}]``,
``contact_custom_fields[{custom_field_id, value}]``, ``organization_id`` and
its deals as summaries (``id``, ``name``, ``win``, ``closed_at``); "Obter
contato" adds ``organization{name}`` and ``deal_ids``; "Obter negociação"
gives ``deal_stage{name}``, ``amount_total`` and ``user{name}``;
"Listar campos personalizados" is a bare array. The ``phone`` filter here
compares the stored text exactly by default — the strictest reading, so
the plugin must ask each written form of a number; ``loose`` makes it match
the last eight digits, as a substring search would (decoys come back).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from tests.crm_plugins.vendor_server import Reply, Request, VendorServer

TOKEN = "rd-token-123"
_ids = itertools.count(0x64A000000000000000000001)


def new_id() -> str:
    """A 24-hex-digit id like RD's (MongoDB ObjectIds)."""
    return f"{next(_ids):024x}"


@dataclass
class RDStationServer(VendorServer):
    """An RD Station CRM account in memory: contacts, deals, notes, users, custom fields."""

    token: str = TOKEN
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    deals: dict[str, dict[str, Any]] = field(default_factory=dict)
    activities: list[dict[str, Any]] = field(default_factory=list)
    organizations: dict[str, str] = field(default_factory=dict)
    custom_fields: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=list)
    me: str = "vendas@escritorio.com.br"
    loose: bool = False  # match the last 8 digits, as a substring search would

    def _phone_matches(self, stored: str, asked: str) -> bool:
        if not self.loose:
            return stored == asked
        digits = "".join(c for c in stored if c.isdigit())
        wanted = "".join(c for c in asked if c.isdigit())
        return len(wanted) >= 8 and digits.endswith(wanted[-8:])

    def __post_init__(self) -> None:
        r = self.route
        r("GET", r"/api/v1/contacts", self._guard(self._list_contacts))
        r("POST", r"/api/v1/contacts", self._guard(self._create_contact))
        r("GET", r"/api/v1/contacts/(?P<id>\w+)", self._guard(self._get_contact))
        r("PUT", r"/api/v1/contacts/(?P<id>\w+)", self._guard(self._update_contact))
        r("POST", r"/api/v1/deals", self._guard(self._create_deal))
        r("GET", r"/api/v1/deals/(?P<id>\w+)", self._guard(self._get_deal))
        r("POST", r"/api/v1/activities", self._guard(self._create_activity))
        r("GET", r"/api/v1/custom_fields", self._guard(self._list_custom_fields))
        r("GET", r"/api/v1/token/check", self._guard(self._token_check))
        r("GET", r"/api/v1/users", self._guard(self._list_users))

    # -- seeding ------------------------------------------------------------------------

    def add_user(self, name: str, email: str) -> str:
        user_id = new_id()
        self.users.append({"_id": user_id, "id": user_id, "name": name, "email": email})
        return user_id

    def add_custom_field(self, label: str, for_: str = "contact") -> str:
        field_id = new_id()
        self.custom_fields.append(
            {"_id": field_id, "id": field_id, "label": label, "for": for_, "type": "text"}
        )
        return field_id

    def add_contact(
        self,
        name: str,
        phones: list[str],
        emails: list[str] | None = None,
        organization: str = "",
        custom: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> str:
        contact_id = new_id()
        org_id = ""
        if organization:
            org_id = new_id()
            self.organizations[org_id] = organization
        self.contacts[contact_id] = {
            "_id": contact_id,
            "id": contact_id,
            "name": name,
            "title": title,
            "phones": [
                {"phone": p, "type": "work", "whatsapp": True, "created_at": None} for p in phones
            ],
            "emails": [{"_id": new_id(), "email": e} for e in emails or []],
            "contact_custom_fields": [
                {"_id": new_id(), "custom_field_id": k, "value": v}
                for k, v in (custom or {}).items()
            ],
            "organization_id": org_id or None,
            "deal_ids": [],
            "legal_bases": [],
            "created_at": "2026-01-10T10:00:00.000-03:00",
        }
        return contact_id

    def add_deal(
        self,
        contact_id: str,
        name: str,
        stage: str = "Sem contato",
        amount: float = 0.0,
        owner: str = "",
        win: bool | None = None,
        closed_at: str | None = None,
    ) -> str:
        deal_id = new_id()
        self.deals[deal_id] = {
            "_id": deal_id,
            "id": deal_id,
            "name": name,
            "amount_total": amount,
            "amount_unique": amount,
            "amount_montly": 0,
            "deal_stage": {"_id": new_id(), "name": stage, "nickname": stage[:2].upper()},
            "user": {"_id": new_id(), "name": owner} if owner else None,
            "win": win,
            "closed_at": closed_at,
            "prediction_date": None,
            "deal_lost_reason_id": None,
        }
        self.contacts[contact_id]["deal_ids"].append(deal_id)
        return deal_id

    # -- the API ------------------------------------------------------------------------

    def _guard(self, handler: Any) -> Any:
        def guarded(request: Request, match: re.Match[str]) -> Reply:
            if request.arg("token") != self.token:
                return 401, {"error": "Permission denied."}, {}
            return handler(request, match)

        return guarded

    def _deal_summary(self, deal_id: str) -> dict[str, Any]:
        d = self.deals[deal_id]
        keys = ("_id", "id", "name", "win", "closed_at", "prediction_date", "deal_lost_reason_id")
        return {k: d[k] for k in keys}

    def _listed(self, contact: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in contact.items() if k != "deal_ids"}
        out["deals"] = [self._deal_summary(i) for i in contact["deal_ids"]]
        return out

    def _list_contacts(self, request: Request, _: re.Match[str]) -> Reply:
        page = int(request.arg("page", "1") or 1)
        limit = min(int(request.arg("limit", "20") or 20), 200)
        phone = request.arg("phone")
        rows = [
            c
            for c in self.contacts.values()
            if not phone or any(self._phone_matches(p["phone"], phone) for p in c["phones"])
        ]
        chunk = rows[(page - 1) * limit : page * limit]
        body = {
            "contacts": [self._listed(c) for c in chunk],
            "has_more": page * limit < len(rows),
            "total": len(rows),
        }
        return 200, body, {}

    def _get_contact(self, _: Request, match: re.Match[str]) -> Reply:
        contact = self.contacts.get(match["id"])
        if contact is None:
            return 404, {"errors": {"error_type": "RESOURCE_NOT_FOUND"}}, {}
        out = dict(contact)
        org_id = contact["organization_id"]
        out["organization"] = (
            {"_id": org_id, "name": self.organizations[org_id], "resume": None, "url": None}
            if org_id
            else None
        )
        return 200, out, {}

    def _new_contact(self, data: dict[str, Any]) -> str:
        phones = [p.get("phone", "") for p in data.get("phones") or []]
        emails = [e.get("email", "") for e in data.get("emails") or []]
        return self.add_contact(data.get("name", ""), phones, emails)

    def _create_contact(self, request: Request, _: re.Match[str]) -> Reply:
        data = (request.body or {}).get("contact")
        if not isinstance(data, dict) or len(data.get("name") or "") < 2:
            return 422, {"errors": {"name": ["Nome está muito curto"]}}, {}
        contact_id = self._new_contact(data)
        return 200, self.contacts[contact_id], {}

    def _update_contact(self, request: Request, match: re.Match[str]) -> Reply:
        contact = self.contacts.get(match["id"])
        data = (request.body or {}).get("contact")
        if contact is None:
            return 404, {"errors": {"error_type": "RESOURCE_NOT_FOUND"}}, {}
        if not isinstance(data, dict):
            return 400, {"errors": "Could not parse the body"}, {}
        if "deal_ids" in data:
            unknown = [i for i in data["deal_ids"] if i not in self.deals]
            if unknown:
                return 422, {"errors": {"deal_ids": ["inválido"]}}, {}
            contact["deal_ids"] = list(data["deal_ids"])
        return 200, contact, {}

    def _create_deal(self, request: Request, _: re.Match[str]) -> Reply:
        body = request.body or {}
        deal = body.get("deal")
        if not isinstance(deal, dict) or len(deal.get("name") or "") < 2:
            return 422, {"errors": {"name": ["Nome está muito curto"]}}, {}
        deal_id = new_id()
        self.deals[deal_id] = {
            "_id": deal_id,
            "id": deal_id,
            "name": deal["name"],
            "amount_total": 0,
            "deal_stage": {"_id": new_id(), "name": "Sem contato"},
            "user": None,
            "win": None,
            "closed_at": None,
            "prediction_date": None,
            "deal_lost_reason_id": None,
        }
        for data in body.get("contacts") or []:
            contact_id = self._new_contact(data)
            self.contacts[contact_id]["deal_ids"].append(deal_id)
        return 200, self.deals[deal_id], {}

    def _get_deal(self, _: Request, match: re.Match[str]) -> Reply:
        deal = self.deals.get(match["id"])
        if deal is None:
            return 404, {"errors": {"error_type": "RESOURCE_NOT_FOUND"}}, {}
        return 200, deal, {}

    def _create_activity(self, request: Request, _: re.Match[str]) -> Reply:
        data = (request.body or {}).get("activity")
        if not isinstance(data, dict) or data.get("deal_id") not in self.deals:
            return 422, {"errors": {"deal_id": ["inválido"]}}, {}
        if not data.get("text"):
            return 422, {"errors": {"text": ["não pode ficar em branco"]}}, {}
        activity_id = new_id()
        activity = {
            "_id": activity_id,
            "deal_id": data["deal_id"],
            "text": data["text"],
            "user_id": data.get("user_id"),
            "date": "2026-12-01T10:00:00.000-03:00",
        }
        self.activities.append(activity)
        return 200, activity, {}

    def _list_custom_fields(self, request: Request, _: re.Match[str]) -> Reply:
        for_ = request.arg("for")
        return 200, [f for f in self.custom_fields if not for_ or f["for"] == for_], {}

    def _token_check(self, _: Request, __: re.Match[str]) -> Reply:
        user = next((u for u in self.users if u["email"] == self.me), None)
        name = user["name"] if user else ""
        return 200, {"email": self.me, "name": name, "organization": "Escritório"}, {}

    def _list_users(self, _: Request, __: re.Match[str]) -> Reply:
        return 200, {"users": self.users}, {}
