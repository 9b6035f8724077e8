"""Hostile input at the relay's door: a clear 4xx, before Graph is called, logged as sent.

A buggy or malicious desktop (or someone holding a stolen device token) must
not be able to make the relay answer 500, and must not get Meta called with a
request the relay will then fail to record. Where the database decides what a
string may hold (PostgreSQL refuses NUL and bounds column lengths), the
tests run on both backends.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from relay_support import Harness, signature, sqlite_only
from waiting import wait_until

ANA = "5511987654321"


def _logged_statuses(caplog: pytest.LogCaptureFixture, path: str) -> list[int]:
    return [
        r.__dict__["fields"]["status"]
        for r in list(caplog.records)
        if r.name == "relay.request" and r.__dict__.get("fields", {}).get("path") == path
    ]


def _nested(depth: int) -> Any:
    value: Any = "fundo"
    for _ in range(depth):
        value = {"a": value}
    return value


def _post(harness: Harness, token: str, payload: Any) -> Any:
    content = json.dumps(payload).encode()
    return harness.api("POST", "/v1/messages", token, content=content)


def _read_receipt(harness: Harness, message_id: str) -> dict[str, Any]:
    return {
        "phone_number_id": harness.sim.phone_number_id,
        "status": "read",
        "message_id": message_id,
    }


def _text(harness: Harness, client_id: str) -> dict[str, Any]:
    return {
        "phone_number_id": harness.sim.phone_number_id,
        "client_id": client_id,
        "to": ANA,
        "type": "text",
        "text": {"body": "Olá"},
    }


@pytest.mark.parametrize(
    "build",
    [
        lambda h: _read_receipt(h, "wamid." + "A" * 400),
        lambda h: _read_receipt(h, "wamid.ABC\u0000DEF"),
        lambda h: _read_receipt(h, ""),
        lambda h: _text(h, "c-\u0000-1"),
        lambda h: _text(h, "c-\ud800-1"),
        lambda h: _text(h, "c-\n-1"),
        lambda h: {**_text(h, "c-deep"), "text": _nested(300)},
        lambda h: {**_read_receipt(h, "wamid.OK"), "extra": _nested(300)},
        lambda h: {**_text(h, "c-digits"), "phone_number_id": "\u0661\u0662\u0663"},
    ],
    ids=[
        "read-400-char-message-id",
        "read-nul-message-id",
        "read-empty-message-id",
        "nul-client-id",
        "surrogate-client-id",
        "newline-client-id",
        "300-deep-send",
        "300-deep-read",
        "non-ascii-digits-phone-number-id",
    ],
)
def test_hostile_send_requests_get_400_before_graph_is_called(
    harness: Harness, caplog: pytest.LogCaptureFixture, build: Any
) -> None:
    """No 500, nothing sent to the customer, and the request log says 400 as well."""
    caplog.set_level(logging.INFO, logger="relay.request")
    token, _ = harness.enroll()
    harness.say(ANA, "text", text="Oi")
    response = _post(harness, token, build(harness))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["name"] in ("bad_request", "bad_json")
    assert harness.sim.accepted == [] and harness.sim.read_receipts == []
    assert wait_until(lambda: _logged_statuses(caplog, "/v1/messages")) == [400]
    # The relay is still healthy, and a good send with a fresh id still goes out.
    good = _post(harness, token, _text(harness, "c-after"))
    assert good.status_code == 200, good.text


@sqlite_only
def test_a_meta_shaped_interactive_list_is_not_too_deep(harness: Harness) -> None:
    """The nesting limit leaves room for Meta's deepest documented bodies."""
    token, _ = harness.enroll()
    harness.say(ANA, "text", text="Oi")
    payload = {
        "phone_number_id": harness.sim.phone_number_id,
        "client_id": "c-list",
        "to": ANA,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "Escolha"},
            "action": {
                "button": "Opções",
                "sections": [{"title": "A", "rows": [{"id": "1", "title": "Um"}]}],
            },
        },
    }
    response = _post(harness, token, payload)
    assert response.status_code == 200, response.text


@sqlite_only
def test_a_non_ascii_signature_is_401_and_logged_as_401(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A signature header with non-ASCII bytes is just a bad signature: 401, nothing stored."""
    caplog.set_level(logging.INFO, logger="relay.request")
    body = b'{"object": "whatsapp_business_account", "entry": []}'
    good = signature(body)
    for header in ("sha256=" + "é" * 64, good[:-1] + "é"):
        response = harness.http.post(
            harness.url + "/webhook",
            content=body,
            headers={"X-Hub-Signature-256": header.encode("utf-8")},
        )
        assert response.status_code == 401, response.text
        assert response.json()["error"]["name"] == "bad_signature"
    assert wait_until(lambda: len(_logged_statuses(caplog, "/webhook")) == 2)
    assert _logged_statuses(caplog, "/webhook") == [401, 401]
    assert harness.head() == 0
