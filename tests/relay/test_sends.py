"""Sending through the relay: once per ``client_id``, visible to all, errors explained.

The desktop's outbox retries until it hears back, so the relay must make a
repeated ``client_id`` harmless; Graph errors must come back with a stable
name the desktop can explain in Portuguese, keeping Meta's code.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from relay_support import (
    META_SAMPLES,
    Harness,
    events_until,
    read_backlog,
    run,
    sqlite_only,
    take_events,
    wait_until,
)

ANA = "5511987654321"


def _text(harness: Harness, client_id: str, to: str = ANA, body: str = "Sim, está!") -> dict:
    return {
        "phone_number_id": harness.sim.phone_number_id,
        "client_id": client_id,
        "to": to,
        "type": "text",
        "text": {"body": body},
    }


def _send(harness: Harness, token: str, payload: Any) -> httpx.Response:
    return harness.api("POST", "/v1/messages", token, json=payload)


def test_same_client_id_sends_once(harness: Harness) -> None:
    """A retried send (same client_id) reaches the customer once and says it was a replay."""
    token, _ = harness.enroll()
    harness.say(ANA, "text", text="Oi")
    first = _send(harness, token, _text(harness, "c-1"))
    assert first.status_code == 200, first.text
    assert first.json()["status"] == "accepted"
    assert first.json()["replayed"] is False
    second = _send(harness, token, _text(harness, "c-1", body="texto diferente"))
    assert second.status_code == 200
    assert second.json()["replayed"] is True
    assert second.json()["wamid"] == first.json()["wamid"]
    assert len(harness.sim.accepted) == 1
    assert harness.sim.accepted[0]["body"]["text"] == {"body": "Sim, está!"}


def test_concurrent_sends_with_one_client_id_send_once(harness: Harness) -> None:
    """Two desktops' retries racing each other still produce one message."""
    token, _ = harness.enroll()
    harness.say(ANA, "text", text="Oi")

    async def body() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        harness.url + "/v1/messages",
                        headers={"Authorization": f"Bearer {token}"},
                        json=_text(harness, "race-1"),
                    )
                    for _ in range(8)
                )
            )

    responses = run(body())
    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
    answers = [r.json() for r in responses]
    assert len({a["wamid"] for a in answers}) == 1
    assert sorted(a["replayed"] for a in answers) == [False] + [True] * 7
    assert len(harness.sim.accepted) == 1


def test_outbound_event_and_its_statuses_reach_every_device(harness: Harness) -> None:
    """Other attendants see the sent message (with its wamid), then its ticks."""
    token, device_id = harness.enroll("PC Ana")
    other, _ = harness.enroll("PC Bruno")
    harness.say(ANA, "text", text="Bom dia")

    async def body() -> None:
        async with harness.stream(other) as ws:
            await read_backlog(ws)
            response = await asyncio.to_thread(_send, harness, token, _text(harness, "c-out"))
            assert response.status_code == 200, response.text
            wamid = response.json()["wamid"]
            # Meta's "sent" may race the relay's own outbound event: wait for both.
            frames = await take_events(ws, 4)
            events = [f["event"] for f in frames]
            (outbound,) = [e for e in events if e["kind"] == "outbound"]
            assert outbound["data"]["wamid"] == wamid
            assert outbound["data"]["client_id"] == "c-out"
            assert outbound["data"]["device_id"] == device_id
            assert outbound["data"]["message"]["text"] == {"body": "Sim, está!"}
            assert outbound["phone_number_id"] == harness.sim.phone_number_id
            statuses = [e["data"] for e in events if e["kind"] == "status"]
            assert [s["id"] for s in statuses] == [wamid] * 3
            assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
            # The relay tags sends so Meta echoes which client_id they belong to.
            assert statuses[0]["biz_opaque_callback_data"] == "crmw:c-out"

    run(body())


@sqlite_only
def test_expired_access_token_is_reported_as_token_expired(harness: Harness) -> None:
    """The admin's Meta token expired: the desktop says so instead of 'unknown error'."""
    token, _ = harness.enroll()
    harness.sim.token_expired = True
    response = _send(harness, token, _text(harness, "c-expired"))
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["name"] == "token_expired"
    assert error["code"] == 190
    assert harness.sim.accepted == []


@sqlite_only
def test_pair_rate_limit_is_reported_quickly_as_rate_limited(
    make_relay: Callable[..., Harness],
) -> None:
    """Too many messages to one customer: 429 rate_limited with Meta's 131056, no hang."""
    harness = make_relay(sim={"pair_burst": 1}, send_retry_budget=0.5)
    token, _ = harness.enroll()
    harness.say(ANA, "text", text="Oi")
    assert _send(harness, token, _text(harness, "c-a")).status_code == 200
    started = time.monotonic()
    response = _send(harness, token, _text(harness, "c-b"))
    assert time.monotonic() - started < 5
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["name"] == "rate_limited"
    assert error["code"] == 131056
    assert error["retryable"] is True
    assert error["retry_after"] > 0
    assert len(harness.sim.accepted) == 1


@sqlite_only
@pytest.mark.parametrize("last_wrote_hours_ago", [None, 25])
def test_free_form_outside_the_24h_window_fails_with_131047(
    harness: Harness, last_wrote_hours_ago: int | None
) -> None:
    """Meta accepts, then fails the message by status: the inbox must see why."""
    token, _ = harness.enroll()
    to = "5571995556666"
    if last_wrote_hours_ago is not None:
        harness.say(to, "text", text="Oi", timestamp=time.time() - last_wrote_hours_ago * 3600)

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            response = await asyncio.to_thread(
                _send, harness, token, _text(harness, "c-late", to=to)
            )
            assert response.status_code == 200
            assert response.json()["status"] == "accepted"
            wamid = response.json()["wamid"]
            frames = await events_until(ws, lambda ev: ev["kind"] == "status")
            status = frames[-1]["event"]["data"]
            assert status["id"] == wamid
            assert status["status"] == "failed"
            assert status["errors"][0]["code"] == 131047

    run(body())


@sqlite_only
def test_read_receipt_is_forwarded_and_shared(harness: Harness) -> None:
    """Marking as read reaches Meta and the other desktops."""
    token, device_id = harness.enroll()
    wamid = harness.say(ANA, "text", text="Oi")
    response = _send(
        harness,
        token,
        {"phone_number_id": harness.sim.phone_number_id, "status": "read", "message_id": wamid},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    assert harness.sim.read_receipts == [wamid]

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        read = [f["event"] for f in frames if f["event"]["kind"] == "read"]
        assert len(read) == 1
        assert read[0]["data"]["message_id"] == wamid
        assert read[0]["data"]["device_id"] == device_id

    run(body())


@sqlite_only
@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1, 2]",
        {"client_id": "x", "to": ANA, "type": "text", "text": {"body": "a"}},
        {"phone_number_id": "abc", "client_id": "x", "to": ANA, "type": "text"},
        {"phone_number_id": "PNID", "to": ANA, "type": "text", "text": {"body": "a"}},
        {"phone_number_id": "PNID", "client_id": "", "to": ANA, "type": "text"},
        {"phone_number_id": "PNID", "client_id": "x" * 201, "to": ANA, "type": "text"},
        {"phone_number_id": "PNID", "client_id": "x", "type": "text"},
        {"phone_number_id": "PNID", "client_id": "x", "to": ANA},
        {"phone_number_id": "PNID", "status": "read"},
    ],
    ids=[
        "not-json",
        "array",
        "no-phone-number-id",
        "bad-phone-number-id",
        "no-client-id",
        "empty-client-id",
        "long-client-id",
        "no-to",
        "no-type",
        "read-without-message-id",
    ],
)
def test_malformed_send_requests_get_400_and_send_nothing(harness: Harness, payload: Any) -> None:
    """A buggy or outdated desktop gets a clear 400, and no customer gets anything."""
    token, _ = harness.enroll()
    if isinstance(payload, dict) and payload.get("phone_number_id") == "PNID":
        payload = {**payload, "phone_number_id": harness.sim.phone_number_id}
    content = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    response = harness.api("POST", "/v1/messages", token, content=content)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["name"] in ("bad_request", "bad_json")
    assert harness.sim.accepted == [] and harness.sim.read_receipts == []


@sqlite_only
def test_oversized_send_request_is_refused(harness: Harness) -> None:
    token, _ = harness.enroll()
    response = _send(harness, token, _text(harness, "c-big", body="x" * 70_000))
    assert response.status_code == 413
    assert harness.sim.accepted == []


@sqlite_only
@pytest.mark.skipif(not META_SAMPLES.is_dir(), reason="../shared/meta-samples is absent")
def test_meta_documented_send_bodies_reach_graph_unchanged(harness: Harness) -> None:
    """Bodies written as Meta documents them are forwarded as-is (plus our callback tag)."""
    token, _ = harness.enroll()
    samples = sorted(META_SAMPLES.glob("send_request_*.json"))
    assert samples
    sent = 0
    for n, path in enumerate(samples):
        body = json.loads(path.read_text(encoding="utf-8"))
        payload = {**body, "phone_number_id": harness.sim.phone_number_id}
        if body.get("status") == "read":
            response = _send(harness, token, payload)
            assert response.status_code == 200, (path.name, response.text)
            assert harness.sim.read_receipts[-1] == body["message_id"]
            continue
        payload["client_id"] = f"sample-{n}"
        response = _send(harness, token, payload)
        assert response.status_code == 200, (path.name, response.text)
        sent += 1
        forwarded = harness.sim.accepted[-1]["body"]
        assert forwarded == {**body, "biz_opaque_callback_data": f"crmw:sample-{n}"}, path.name
        assert response.json()["wamid"] == harness.sim.accepted[-1]["wamid"]
    wait_until(lambda: len(harness.sim.accepted) == sent)


def test_a_template_missing_its_photo_header_is_refused_with_metas_code(harness: Harness) -> None:
    """Meta checks a template's parameters against the approved one; the code comes back."""
    token, _ = harness.enroll()
    template = {
        "name": "oferta_com_foto",
        "language": {"code": "pt_BR"},
        "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Ana"}]},
            {
                "type": "button",
                "sub_type": "url",
                "index": "1",
                "parameters": [{"type": "text", "text": "augusta-500"}],
            },
        ],
    }
    payload = {
        "messaging_product": "whatsapp",
        "phone_number_id": harness.sim.phone_number_id,
        "client_id": "tpl-1",
        "to": ANA,
        "type": "template",
        "template": template,
    }
    response = _send(harness, token, payload)
    assert response.status_code >= 400
    assert response.json()["error"]["code"] == 132012
    assert not harness.sim.accepted
