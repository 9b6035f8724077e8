"""The simulator's control endpoint (docs/meta-simulator.md): what tests in another process use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from crm_whatsapp.demo import DemoStack, start_stack


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DemoStack]:
    running = start_stack(tmp_path / "stack", auto_reply=False)
    yield running
    running.stop()


def test_a_customer_writes_edits_and_deletes_through_the_control_endpoint(
    stack: DemoStack,
) -> None:
    url = f"{stack.sim_server.url}/_sim/inbound"
    said = httpx.post(url, json={"wa_id": "5511976543210", "text": "Oi", "name": "Rui"}).json()
    edit = {"wa_id": "5511976543210", "type": "edit", "original": said["wamid"], "text": "Olá"}
    assert httpx.post(url, json=edit).status_code == 200
    revoke = {"wa_id": "5511976543210", "type": "revoke", "original": said["wamid"]}
    assert httpx.post(url, json=revoke).status_code == 200
    assert stack.sim.customers["5511976543210"].name == "Rui"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"not json", "JSON object"),
        (b"[1, 2]", "JSON object"),
        (b'{"text": "no number"}', "wa_id"),
        (b'{"wa_id": "55 11 9"}', "wa_id"),
        (b'{"wa_id": "5511976543210", "type": 3}', "type"),
        (b'{"wa_id": "5511976543210", "colour": "red"}', "unknown fields: colour"),
        (b'{"wa_id": "5511976543210", "type": "hologram"}', "hologram"),
        (b'{"wa_id": "5511976543210", "type": "edit"}', "original"),
        (b'{"wa_id": "5511976543210", "timestamp": "yesterday"}', ""),
    ],
)
def test_a_malformed_request_gets_a_400_that_says_what_is_wrong(
    stack: DemoStack, body: bytes, says: str
) -> None:
    answer = httpx.post(f"{stack.sim_server.url}/_sim/inbound", content=body)
    assert answer.status_code == 400
    assert says in answer.json()["error"]
