"""Graph accepted the message but its answer is not the documented shape.

Meta answers a send with ``{"messages": [{"id": "wamid..."}], "contacts": [...]}``.
A 200 means the message went out, whatever the body says: the send must be
recorded as accepted (with no wamid when Meta's is unusable), answered 200,
and never left ``sending`` behind a 500, where the desktop's retry would get
``send_in_progress`` and then ``send_uncertain`` for a message that was sent.
Runs on both backends: PostgreSQL refuses a NUL in the wamid column.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from relay_support import Harness
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from relay.db import sends
from relay.serving import BackgroundServer

ANA = "5511987654321"


@dataclass
class OddGraph:
    """Graph answering every send 200 with the bytes the test chose."""

    answer: bytes = b"{}"
    sends: list[Any] = field(default_factory=list)

    async def messages(self, request: Request) -> Response:
        self.sends.append(json.loads(await request.body()))
        return Response(self.answer, media_type="application/json")

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/{version}/{pnid}/messages", self.messages, methods=["POST"])]
        )


@pytest.fixture
def odd_graph(make_relay: Callable[..., Harness]) -> Iterator[tuple[Harness, OddGraph]]:
    graph = OddGraph()
    config = uvicorn.Config(graph.app(), host="127.0.0.1", port=0, log_config=None)
    server = BackgroundServer(config, "odd-graph").start()
    try:
        yield make_relay(graph_url=server.url), graph
    finally:
        server.stop()


def _deep(depth: int) -> Any:
    value: Any = "fundo"
    for _ in range(depth):
        value = [value]
    return value


ANSWERS = {
    "list-body": [{"id": "wamid.L"}],
    "id-is-object": {"messages": [{"id": {"a": 1}}]},
    "id-has-nul": {"messages": [{"id": "wamid.\u0000X"}]},
    "id-too-long": {"messages": [{"id": "w" * 5000}]},
    "messages-is-string": {"messages": "wamid.S"},
    "messages-empty": {"messages": []},
    "contacts-deep": {
        "messages": [{"id": "wamid.D"}],
        "contacts": [{"wa_id": _deep(300), "input": ANA}],
    },
    "contacts-object": {"messages": [{"id": "wamid.O"}], "contacts": {"wa_id": ANA}},
}


@pytest.mark.parametrize("answer", list(ANSWERS.values()), ids=list(ANSWERS))
def test_an_odd_answer_to_an_accepted_send_is_recorded_as_sent_once(
    odd_graph: tuple[Harness, OddGraph], answer: Any
) -> None:
    harness, graph = odd_graph
    graph.answer = json.dumps(answer).encode()
    token, _ = harness.enroll()
    request = {
        "phone_number_id": "1234567890",
        "client_id": "c-odd",
        "to": ANA,
        "type": "text",
        "text": {"body": "Olá"},
    }
    first = harness.api("POST", "/v1/messages", token, json=request)
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "accepted"
    wamid = first.json()["wamid"]
    assert wamid is None or (isinstance(wamid, str) and "\x00" not in wamid and len(wamid) <= 200)
    retry = harness.api("POST", "/v1/messages", token, json=request)
    assert retry.status_code == 200 and retry.json()["replayed"] is True, retry.text
    assert len(graph.sends) == 1  # exactly once: the retry is answered from the record
    with harness.relay.engine.connect() as conn:
        state = conn.execute(select(sends.c.state).where(sends.c.client_id == "c-odd")).scalar()
    assert state == "accepted"
