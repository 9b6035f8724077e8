"""Uncertain sends settle from status webhooks whatever else the same webhook holds.

A send Graph answered 504 may have gone out; Meta's status webhook echoing our
``biz_opaque_callback_data`` later proves it did. Statuses whose fields have
shapes Meta does not document (an id that is a number, a list, an object, null,
holds a NUL or is too long; a callback that is not a string) are stored and
streamed like any other, but settle nothing, and must not stop the good
statuses beside them from settling their sends.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from relay_support import Harness, envelope, read_backlog, run
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from waiting import wait_until

from relay.serving import BackgroundServer
from relay.simulator import payloads as p

CUSTOMER = "5511987654321"


async def _gateway_timeout(request: Request) -> JSONResponse:
    """Graph's 504: the message may or may not have been accepted."""
    await request.body()
    return JSONResponse({"error": {"message": "gateway timeout"}}, status_code=504)


@pytest.fixture
def timing_out_graph() -> Iterator[str]:
    """A Graph API on loopback whose /messages always answers 504."""
    app = Starlette(
        routes=[Route("/{version}/{pnid}/messages", _gateway_timeout, methods=["POST"])]
    )
    server = BackgroundServer(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False),
        "graph-504",
    ).start()
    try:
        yield server.url
    finally:
        server.stop()


def _send(harness: Harness, token: str, client_id: str) -> Any:
    body = {
        "phone_number_id": harness.sim.phone_number_id,
        "client_id": client_id,
        "to": CUSTOMER,
        "type": "text",
        "text": {"body": "Seu pedido saiu para entrega"},
    }
    return harness.api("POST", "/v1/messages", token, json=body)


def _status(wamid: Any, callback: Any) -> dict[str, Any]:
    item = p.status("wamid.placeholder", "sent", CUSTOMER, timestamp=int(time.time()))
    item["id"] = wamid
    item["biz_opaque_callback_data"] = callback
    return item


MALFORMED: list[tuple[str, Any, Any]] = [
    ("c-number", 12345, "crmw:c-number"),
    ("c-list", ["wamid.in-a-list"], "crmw:c-list"),
    ("c-dict", {"id": "wamid.in-a-dict"}, "crmw:c-dict"),
    ("c-null", None, "crmw:c-null"),
    ("c-nul", "wamid.with\x00nul", "crmw:c-nul"),
    ("c-long", "wamid." + "9" * 300, "crmw:c-long"),
    ("c-tag-number", "wamid.tag-number", 7),
    ("c-tag-list", "wamid.tag-list", ["crmw:c-tag-list"]),
    ("c-tag-nul", "wamid.tag-nul", "crmw:c-tag-nul\x00"),
]


def test_malformed_statuses_settle_nothing_and_good_ones_beside_them_still_settle(
    make_relay: Callable[..., Harness],
    timing_out_graph: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="relay")
    harness = make_relay(graph_url=timing_out_graph)
    token, _ = harness.enroll()
    client_ids = [cid for cid, _, _ in MALFORMED] + ["c-good-1", "c-good-2"]
    for client_id in client_ids:
        answer = _send(harness, token, client_id)
        assert answer.status_code == 502, answer.text
        assert answer.json()["error"]["name"] == "send_uncertain"

    statuses = [_status(wamid, callback) for _, wamid, callback in MALFORMED]
    statuses.insert(3, _status("wamid.good-1", "crmw:c-good-1"))
    statuses.append(_status("wamid.good-2", "crmw:c-good-2"))
    assert harness.post_payload(envelope({"statuses": statuses}, harness.sim)).status_code == 200

    def settled(client_id: str) -> Any:
        answer = _send(harness, token, client_id)
        return answer.json() if answer.status_code == 200 else None

    for n in (1, 2):
        body = wait_until(lambda n=n: settled(f"c-good-{n}"), 10)
        assert body["status"] == "accepted" and body["wamid"] == f"wamid.good-{n}"
    for client_id, _, _ in MALFORMED:
        answer = _send(harness, token, client_id)
        assert answer.status_code == 502 and answer.json()["error"]["name"] == "send_uncertain"

    async def streamed() -> list[dict[str, Any]]:
        async with harness.stream(token) as ws:
            _, events, _ = await read_backlog(ws)
            return [frame["event"] for frame in events]

    events = run(streamed())
    outbound = [ev["data"] for ev in events if ev["kind"] == "outbound"]
    assert sorted((ev["client_id"], ev["wamid"]) for ev in outbound) == [
        ("c-good-1", "wamid.good-1"),
        ("c-good-2", "wamid.good-2"),
    ]
    assert sum(ev["kind"] == "status" for ev in events) == len(statuses)
    failures = [r for r in caplog.records if r.name.startswith("relay") and r.levelno >= 40]
    failures += [r for r in caplog.records if "settling sends failed" in r.getMessage()]
    assert failures == []
