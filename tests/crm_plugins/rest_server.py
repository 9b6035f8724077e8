"""A loopback CRM speaking the three APIs the ``rest`` plugin's presets describe.

One store of people answers in three documented shapes, so one test can
point the plugin at Agendor, Ploomes or Odoo by its preset:

- Agendor v3 (https://api.agendor.com.br/docs/): ``Authorization: Token KEY``;
  ``GET /v3/people?mobile_phone=`` compares the stored text, paged by
  ``page``/``per_page`` with ``links.next``; a person is
  ``{id, name, role, contact{email, mobile, whatsapp, work}, organization{name}}``;
  ``POST /v3/people``, ``/v3/people/{id}/deals``, ``/v3/people/{id}/tasks``
  answer ``{"data": {...}}`` (201).
- Ploomes (https://developers.ploomes.com/): ``User-Key: KEY``; OData
  ``GET /Contacts?$filter=Phones/any(p: p/SearchPhoneNumber eq N)`` where
  ``SearchPhoneNumber`` is the stored number's digits, ``$top``/``$skip``
  and ``@odata.nextLink``; ``{"value": [...]}`` everywhere.
- Odoo 19 JSON-2 (https://www.odoo.com/documentation/19.0/developer/reference/external_api.html):
  ``Authorization: bearer KEY``; ``POST /json/2/<model>/<method>`` with the
  method's arguments as keys; ``search_read`` with ``[["phone", "ilike", X]]``
  (case-insensitive substring) answers a bare list with ``false`` for empty
  fields; ``create`` takes ``vals_list`` and answers ids; ``message_post``
  answers the message id. A wrong key is 401 with Odoo's error object.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from tests.crm_plugins.vendor_server import Reply, Request, VendorServer

KEY = "chave-123"
_ids = itertools.count(1001)


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@dataclass
class RestServer(VendorServer):
    """People (with their phones, e-mails, company), deals and notes, in three dialects."""

    key: str = KEY
    people: dict[int, dict[str, Any]] = field(default_factory=dict)
    deals: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 50
    loose: bool = False  # filters match the last 8 digits, as a substring search would
    foreign_next: str = ""  # Agendor's next link pointing elsewhere (must not be followed)

    def _same(self, stored: str, asked: str, *, text: bool) -> bool:
        """The vendor's filter: the stored text (Agendor) or its digits (Ploomes), or loose."""
        if self.loose:
            wanted = digits(asked)
            return len(wanted) >= 8 and digits(stored).endswith(wanted[-8:])
        return stored == asked if text else digits(stored) == asked

    def __post_init__(self) -> None:
        r = self.route
        r("GET", r"/v3/people", self._auth("Token", self._agendor_people))
        r("POST", r"/v3/people", self._auth("Token", self._agendor_create))
        r("POST", r"/v3/people/(\d+)/deals", self._auth("Token", self._agendor_deal))
        r("POST", r"/v3/people/(\d+)/tasks", self._auth("Token", self._agendor_task))
        r("GET", r"/Contacts", self._auth("", self._ploomes_contacts))
        r("POST", r"/Contacts", self._auth("", self._ploomes_create))
        r("POST", r"/Deals", self._auth("", self._ploomes_deal))
        r("POST", r"/InteractionRecords", self._auth("", self._ploomes_note))
        r("POST", r"/json/2/([\w.]+)/(\w+)", self._auth("bearer", self._odoo))

    # -- the store ------------------------------------------------------------------------

    def add_person(
        self,
        name: str,
        phones: list[str],
        emails: list[str] | None = None,
        company: str = "",
        role: str = "",
    ) -> int:
        person_id = next(_ids)
        self.people[person_id] = {
            "id": person_id,
            "name": name,
            "phones": list(phones),
            "emails": list(emails or []),
            "company": company,
            "role": role,
        }
        return person_id

    def _auth(self, scheme: str, handler: Any) -> Any:
        """401 unless the key comes in the vendor's header and form."""

        def guarded(request: Request, match: re.Match[str]) -> Reply:
            if scheme:
                sent = request.headers.get("authorization", "")
                ok = sent.lower() == f"{scheme} {self.key}".lower()
            else:
                ok = request.headers.get("user-key", "") == self.key
            if not ok:
                if scheme == "bearer":
                    body: Any = {
                        "name": "werkzeug.exceptions.Unauthorized",
                        "message": "Invalid apikey",
                        "arguments": ["Invalid apikey", 401],
                        "context": {},
                    }
                else:
                    body = {"errors": ["Unauthorized"]}
                return 401, body, {}
            return handler(request, match)

        return guarded

    def _page(self, rows: list[Any], start: int, size: int) -> tuple[list[Any], bool]:
        return rows[start : start + size], start + size < len(rows)

    # -- Agendor --------------------------------------------------------------------------

    def _agendor_person(self, p: dict[str, Any]) -> dict[str, Any]:
        phones = p["phones"] + ["", "", ""]
        return {
            "id": p["id"],
            "name": p["name"],
            "role": p["role"] or None,
            "contact": {
                "email": p["emails"][0] if p["emails"] else None,
                "mobile": phones[0] or None,
                "whatsapp": phones[1] or None,
                "work": phones[2] or None,
            },
            "organization": {"name": p["company"]} if p["company"] else None,
        }

    def _agendor_people(self, request: Request, _m: re.Match[str]) -> Reply:
        asked = request.arg("mobile_phone")
        page = int(request.arg("page", "1"))
        size = int(request.arg("per_page", str(self.page_size)))
        rows = [
            self._agendor_person(p)
            for p in self.people.values()
            if not asked or any(self._same(ph, asked, text=True) for ph in p["phones"][:3])
        ]
        chunk, more = self._page(rows, (page - 1) * size, size)
        links: dict[str, Any] = {"next": None}
        if more and self.foreign_next:
            links["next"] = self.foreign_next
        elif more:
            links["next"] = (
                f"{self.base_url}/v3/people?mobile_phone={asked}&page={page + 1}&per_page={size}"
            )
        return 200, {"data": chunk, "links": links, "meta": {"totalCount": len(rows)}}, {}

    def _agendor_create(self, request: Request, _m: re.Match[str]) -> Reply:
        body = request.body or {}
        contact = body.get("contact") or {}
        phones = [contact.get("mobile") or "", contact.get("whatsapp") or ""]
        person_id = self.add_person(body.get("name", ""), [p for p in phones if p])
        return 201, {"data": self._agendor_person(self.people[person_id])}, {}

    def _agendor_deal(self, request: Request, m: re.Match[str]) -> Reply:
        if int(m.group(1)) not in self.people:
            return 404, {"errors": ["Not found"]}, {}
        deal = {"id": next(_ids), "person": int(m.group(1)), **(request.body or {})}
        self.deals.append(deal)
        return 201, {"data": deal}, {}

    def _agendor_task(self, request: Request, m: re.Match[str]) -> Reply:
        if int(m.group(1)) not in self.people:
            return 404, {"errors": ["Not found"]}, {}
        task = {"id": next(_ids), "person": int(m.group(1)), **(request.body or {})}
        self.notes.append(task)
        return 201, {"data": task}, {}

    # -- Ploomes --------------------------------------------------------------------------

    def _ploomes_contact(self, p: dict[str, Any], expand: str) -> dict[str, Any]:
        row: dict[str, Any] = {
            "Id": p["id"],
            "Name": p["name"],
            "Email": p["emails"][0] if p["emails"] else None,
        }
        if "Phones" in expand:
            row["Phones"] = [
                {"PhoneNumber": ph, "SearchPhoneNumber": int(digits(ph))} for ph in p["phones"]
            ]
        if "Company" in expand:
            row["Company"] = {"Name": p["company"]} if p["company"] else None
        return row

    def _ploomes_contacts(self, request: Request, _m: re.Match[str]) -> Reply:
        flt = request.arg("$filter")
        wanted = re.fullmatch(r"Phones/any\(p: p/SearchPhoneNumber eq (\d+)\)", flt)
        if flt and not wanted:
            return 400, {"error": {"message": "The query specified in the URI is not valid."}}, {}
        expand = request.arg("$expand")
        top = int(request.arg("$top", "300"))
        skip = int(request.arg("$skip", "0"))
        rows = [
            self._ploomes_contact(p, expand)
            for p in self.people.values()
            if not wanted or any(self._same(ph, wanted.group(1), text=False) for ph in p["phones"])
        ]
        chunk, more = self._page(rows, skip, min(top, self.page_size))
        body: dict[str, Any] = {"value": chunk}
        if more:
            body["@odata.nextLink"] = (
                f"{self.base_url}/Contacts?$filter={flt}&$expand={expand}"
                f"&$top={top}&$skip={skip + len(chunk)}"
            )
        return 200, body, {}

    def _ploomes_create(self, request: Request, _m: re.Match[str]) -> Reply:
        body = request.body or {}
        phones = [ph.get("PhoneNumber", "") for ph in body.get("Phones") or []]
        person_id = self.add_person(body.get("Name", ""), phones)
        return 200, {"value": [self._ploomes_contact(self.people[person_id], "")]}, {}

    def _ploomes_deal(self, request: Request, _m: re.Match[str]) -> Reply:
        deal = {"Id": next(_ids), **(request.body or {})}
        self.deals.append(deal)
        return 200, {"value": [deal]}, {}

    def _ploomes_note(self, request: Request, _m: re.Match[str]) -> Reply:
        note = {"Id": next(_ids), **(request.body or {})}
        self.notes.append(note)
        return 200, {"value": [note]}, {}

    # -- Odoo -----------------------------------------------------------------------------

    def _odoo_partner(self, p: dict[str, Any], fields: list[str]) -> dict[str, Any]:
        full = {
            "id": p["id"],
            "name": p["name"],
            "phone": p["phones"][0] if p["phones"] else False,
            "email": ",".join(p["emails"]) or False,
            "commercial_company_name": p["company"] or False,
            "function": p["role"] or False,
        }
        return {k: v for k, v in full.items() if k == "id" or not fields or k in fields}

    def _odoo(self, request: Request, m: re.Match[str]) -> Reply:
        model, method = m.group(1), m.group(2)
        body = request.body or {}
        if (model, method) == ("res.partner", "search_read"):
            rows = []
            for p in self.people.values():
                ok = True
                for term in body.get("domain") or []:
                    name, op, value = term
                    phone = p["phones"][0] if p["phones"] else ""
                    if name != "phone" or op != "ilike":
                        return 422, {"name": "ValueError", "message": "bad domain"}, {}
                    ok = ok and str(value).lower() in phone.lower()
                if ok:
                    rows.append(self._odoo_partner(p, body.get("fields") or []))
            return 200, rows[: int(body.get("limit") or len(rows) or 1)], {}
        if method == "create":
            made = []
            for vals in body.get("vals_list") or []:
                if model == "res.partner":
                    made.append(self.add_person(vals["name"], [vals.get("phone", "")]))
                elif model == "crm.lead":
                    deal = {"id": next(_ids), **vals}
                    self.deals.append(deal)
                    made.append(deal["id"])
            return 200, made, {}
        if (model, method) == ("res.partner", "message_post"):
            note = {"id": next(_ids), **body}
            self.notes.append(note)
            return 200, note["id"], {}
        return 404, {"name": "werkzeug.exceptions.NotFound", "message": "Not Found"}, {}
