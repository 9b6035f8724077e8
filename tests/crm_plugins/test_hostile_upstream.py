"""Every HTTP plugin against a CRM answering garbage: a sentence or nobody, never a crash.

One loopback server answers every request, whatever the path, with the same
hostile body; each built-in plugin looks a customer up, creates a lead and
logs a conversation against it. What comes back is ``None``, a ``Created``,
or a :class:`PluginError` (one sentence); any other exception is a bug.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from crm_whatsapp.plugin_api import Context, Customer, Plugin, PluginError, Transcript
from crm_whatsapp_crms.hubspot import HubSpot
from crm_whatsapp_crms.kommo import Kommo
from crm_whatsapp_crms.pipedrive import Pipedrive
from crm_whatsapp_crms.rdstation import RDStation
from crm_whatsapp_crms.rest import GenericREST
from tests.crm_plugins.vendor_server import VendorServer

ANA = Customer("5511987654321", "Ana")
PLUGINS: list[tuple[type[Plugin], dict[str, str]]] = [
    (RDStation, {"token": "t"}),
    (Kommo, {"token": "t"}),
    (Pipedrive, {"api_token": "t"}),
    (HubSpot, {"token": "t"}),
    (GenericREST, {"preset": "agendor", "auth_value": "t"}),
    (GenericREST, {"preset": "ploomes", "auth_value": "t"}),
    (GenericREST, {"preset": "odoo", "auth_value": "t"}),
]
BODIES: list[Any] = [
    None,
    [],
    "just a string",
    12345,
    {"data": "x", "contacts": 7, "results": {"a": 1}, "_embedded": [], "value": None},
    {"data": [1, "two", None, [3]], "results": [None, 5], "contacts": [{"phones": 9}]},
    {"contacts": [{"id": {"x": 1}, "phones": [{"phone": ["+5511987654321"]}], "name": 4}]},
    {"data": {"items": [{"item": {"id": 1, "phones": ["+55 11 98765-4321"], "name": None}}]}},
]


def run(plugin: Plugin, call: Any) -> Any:
    async def go() -> Any:
        try:
            return await call(plugin)
        finally:
            await plugin.aclose()

    return asyncio.run(go())


@pytest.mark.parametrize("body", BODIES, ids=lambda b: type(b).__name__)
@pytest.mark.parametrize(("cls", "settings"), PLUGINS, ids=lambda p: getattr(p, "name", ""))
def test_a_crm_answering_garbage_gets_a_sentence_or_nobody(
    cls: type[Plugin], settings: dict[str, str], body: Any
) -> None:
    with VendorServer() as server:
        for method in ("GET", "POST", "PUT", "PATCH"):
            server.route(method, r"/.*", lambda _r, _m, b=body: (200, b, {}))
        values = {"base_url": server.base_url, **settings}
        transcript = Transcript(ANA, ((1.0, "Ana", "oi"),))
        for call in (
            lambda p: p.lookup(ANA),
            lambda p: p.create_lead(ANA, "Orçamento", None),
            lambda p: p.log_conversation(transcript, None),
        ):
            try:
                run(cls(Context(settings=values)), call)
            except PluginError as exc:
                assert re.fullmatch(r"[^\n]+[.!?]", str(exc)), str(exc)
            except NotImplementedError:
                pass
