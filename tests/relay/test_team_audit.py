"""The audit trail as team events: ``action: "audit"`` is checked and bounded like the others.

An entry names a kind the desktops know, a subject and a detail of at most 200
characters each, and nothing else (never a message's text); no conversation.
"""

from __future__ import annotations

from typing import Any

from relay_support import Harness, sqlite_only

ENTRY = {"action": "audit", "kind": "erase", "subject": "+55 11 •••••-4321", "detail": "2"}


def _post(harness: Harness, token: str, event_id: str, data: Any) -> Any:
    return harness.api(
        "POST", "/v1/events", token, json={"id": event_id, "kind": "team", "data": data}
    )


@sqlite_only
def test_an_audit_entry_is_stored_once_without_a_conversation(harness: Harness) -> None:
    token, _ = harness.enroll("PC caixa")
    head = harness.head()
    for data in (
        ENTRY,
        {"action": "audit", "kind": "plugin_enabled", "subject": "hello"},
        {"action": "audit", "kind": "recovery_key_shown", "subject": "", "detail": "x" * 200},
    ):
        response = _post(harness, token, f"audit-{data['kind']}", data)
        assert response.status_code == 200, response.text
    again = _post(harness, token, "audit-erase", ENTRY)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert harness.head() == head + 3


@sqlite_only
def test_a_malformed_audit_entry_is_refused_and_stores_nothing(harness: Harness) -> None:
    token, _ = harness.enroll("PC caixa")
    head = harness.head()
    for case, data in (
        ("unknown kind", {**ENTRY, "kind": "read_messages"}),
        ("no kind", {"action": "audit", "subject": "x"}),
        ("subject too long", {**ENTRY, "subject": "x" * 201}),
        ("detail not text", {**ENTRY, "detail": 3}),
        ("message text smuggled in", {**ENTRY, "text": "Olá, meu CPF é 123"}),
    ):
        response = _post(harness, token, "bad", data)
        assert response.status_code == 400, (case, response.text)
        assert response.json()["detail"].endswith("."), case
    assert harness.head() == head
