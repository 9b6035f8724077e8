"""Team events: attendants share assignment, status, labels, notes and quick replies.

``POST /v1/events`` appends them to the same ordered log as webhooks, so every
desktop (the sender too) applies them in one order; a retried POST with the
same id must be stored once, and anything malformed must store nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from relay_support import (
    Harness,
    is_message,
    read_backlog,
    run,
    sqlite_only,
    take_events,
)
from sqlalchemy import func, select

from relay.db import events
from relay.devices import revoke

ANA = "5511987654321"
NOTE = "Cliente VIP: não oferecer desconto antes de falar com a gerência."


def _conversation(harness: Harness, **ids: str) -> dict[str, str]:
    return {"phone_number_id": harness.sim.phone_number_id, **(ids or {"wa_id": ANA})}


def _post(harness: Harness, token: str | None, body: Any) -> httpx.Response:
    return harness.api("POST", "/v1/events", token, json=body)


def _team(event_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"id": event_id, "kind": "team", "data": data}


def _team_rows(harness: Harness) -> int:
    with harness.relay.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(events).where(events.c.kind == "team")
            ).scalar()
            or 0
        )


def test_assignment_reaches_every_streaming_device_in_order(harness: Harness) -> None:
    """Both desktops (sender included) see the team events, in log order, with who did it."""
    token_a, device_a = harness.enroll("PC Ana")
    token_b, device_b = harness.enroll("PC Bruno")
    harness.say(ANA, "text", text="Oi, quero um orçamento")
    assign = {
        "action": "assign",
        "conversation": _conversation(harness),
        "assignee": "Ana",
    }
    note = {"action": "note", "conversation": _conversation(harness), "text": NOTE}

    async def body() -> None:
        async with harness.stream(token_a) as a, harness.stream(token_b) as b:
            await read_backlog(a)
            await read_backlog(b)
            first = await asyncio.to_thread(_post, harness, token_a, _team("evt-1", assign))
            assert first.status_code == 200, first.text
            assert first.json() == {"seq": first.json()["seq"], "duplicate": False}
            wamid = await asyncio.to_thread(harness.say, ANA, "text", text="Obrigado!")
            second = await asyncio.to_thread(_post, harness, token_b, _team("evt-2", note))
            assert second.status_code == 200, second.text
            assert second.json()["duplicate"] is False
            assert first.json()["seq"] < second.json()["seq"]
            for ws in (a, b):
                frames = await take_events(ws, 3)
                assert [f["seq"] for f in frames] == sorted(f["seq"] for f in frames)
                kinds = [f["event"]["kind"] for f in frames]
                assert kinds == ["team", "message", "team"], kinds
                assert is_message(wamid)(frames[1]["event"])
                got_assign, got_note = frames[0], frames[2]
                assert got_assign["seq"] == first.json()["seq"]
                assert got_note["seq"] == second.json()["seq"]
                ev = got_assign["event"]
                assert ev["data"] == assign
                assert ev["id"] == "evt-1"
                assert ev["device_id"] == device_a
                assert ev["device_name"] == "PC Ana"
                assert isinstance(ev["at"], float)
                assert set(ev) == {"kind", "data", "id", "device_id", "device_name", "at"}
                ev = got_note["event"]
                assert ev["data"] == note
                assert (ev["id"], ev["device_id"], ev["device_name"]) == (
                    "evt-2",
                    device_b,
                    "PC Bruno",
                )

    run(body())
    assert 'relay_events_stored_total{kind="team"} 2.0' in harness.metrics()


def test_same_id_posted_twice_is_stored_once(harness: Harness) -> None:
    """A retried POST (even racing itself) stores one event and points at its seq."""
    token, _ = harness.enroll("PC Ana")
    other, _ = harness.enroll("PC Bruno")
    status = {"action": "status", "conversation": _conversation(harness), "status": "pending"}
    first = _post(harness, token, _team("retry-1", status))
    assert first.status_code == 200, first.text
    seq = first.json()["seq"]
    head = harness.head()
    again = _post(harness, token, _team("retry-1", {**status, "status": "resolved"}))
    assert again.status_code == 200, again.text
    assert again.json() == {"seq": seq, "duplicate": True}
    assert harness.head() == head

    async def racing() -> list[httpx.Response]:
        async with httpx.AsyncClient(timeout=30) as client:
            return await asyncio.gather(
                *(
                    client.post(
                        harness.url + "/v1/events",
                        headers={"Authorization": f"Bearer {token}"},
                        json=_team("race-1", status),
                    )
                    for _ in range(6)
                )
            )

    answers = [r.json() for r in run(racing())]
    assert sorted(a["duplicate"] for a in answers) == [False] + [True] * 5, answers
    assert len({a["seq"] for a in answers}) == 1, answers
    # The id is the sender's: another device may use the same one.
    theirs = _post(harness, other, _team("retry-1", status))
    assert theirs.json()["duplicate"] is False
    assert _team_rows(harness) == 3

    async def backlog() -> list[dict[str, Any]]:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
            return frames

    ids = [(f["event"]["device_name"], f["event"]["id"]) for f in run(backlog())]
    assert ids == [("PC Ana", "retry-1"), ("PC Ana", "race-1"), ("PC Bruno", "retry-1")]


def test_unstorable_id_or_data_is_refused_alone_with_400(harness: Harness) -> None:
    """A NUL in the id (PostgreSQL refuses it in a key) or data nested 300 deep: a clear 400.

    Before, the first stored nothing and answered 503 on PostgreSQL (200 on
    SQLite), the second failed the whole group commit it landed in.
    """
    token, _ = harness.enroll()
    note = {"action": "note", "conversation": _conversation(harness), "text": "Oi"}
    deep: Any = "fundo"
    for _ in range(300):
        deep = [deep]
    poisoned = [_team("nul\x00id", note), _team("deep", {**note, "extra": deep})]
    head = harness.head()
    for body in poisoned:
        response = harness.api("POST", "/v1/events", token, content=json.dumps(body))
        assert response.status_code == 400, response.text
        answer = response.json()
        assert answer["error"] == "bad_request", answer
        assert isinstance(answer["detail"], str) and answer["detail"].endswith("."), answer
    assert harness.head() == head
    assert _post(harness, token, _team("fine", note)).status_code == 200
    assert _team_rows(harness) == 1


@sqlite_only
def test_unknown_missing_or_revoked_token_is_refused(harness: Harness) -> None:
    token, device_id = harness.enroll("PC a revogar")
    valid = _team("t-1", {"action": "quick_reply", "shortcut": "oi", "text": "Olá!"})
    revoke(harness.relay.engine, device_id)
    for bad in ("crmw_not-a-real-token", None, token):
        response = _post(harness, bad, valid)
        assert response.status_code == 401, (bad, response.text)
        assert response.json() == {"error": "unauthorized"}
    assert _team_rows(harness) == 0


def _invalid_cases(harness: Harness) -> Iterator[tuple[str, Any]]:
    conv = _conversation(harness)
    pnid = harness.sim.phone_number_id
    ok_assign = {"action": "assign", "conversation": conv, "assignee": "Ana"}
    yield "not an object", [1, 2]
    yield "missing id", {"kind": "team", "data": ok_assign}
    yield "empty id", _team("", ok_assign)
    yield "numeric id", {"id": 7, "kind": "team", "data": ok_assign}
    yield "id too long", _team("x" * 101, ok_assign)
    yield "missing kind", {"id": "a", "data": ok_assign}
    yield "other kind", {"id": "a", "kind": "message", "data": ok_assign}
    yield "data not object", _team("a", ["assign"])
    yield "missing data", {"id": "a", "kind": "team"}
    yield "missing action", _team("a", {"conversation": conv, "assignee": "Ana"})
    yield "unknown action", _team("a", {**ok_assign, "action": "delete"})
    yield "action not string", _team("a", {**ok_assign, "action": ["assign"]})
    # the conversation
    yield "no conversation", _team("a", {"action": "assign", "assignee": "Ana"})
    yield "conversation not object", _team("a", {**ok_assign, "conversation": ANA})
    yield "no phone_number_id", _team("a", {**ok_assign, "conversation": {"wa_id": ANA}})
    yield (
        "numeric phone_number_id",
        _team("a", {**ok_assign, "conversation": {"phone_number_id": 1, "wa_id": ANA}}),
    )
    yield "no customer id", _team("a", {**ok_assign, "conversation": {"phone_number_id": pnid}})
    yield (
        "numeric wa_id",
        _team("a", {**ok_assign, "conversation": {"phone_number_id": pnid, "wa_id": 55}}),
    )
    # assign
    yield "assignee missing", _team("a", {"action": "assign", "conversation": conv})
    yield "assignee not string", _team("a", {**ok_assign, "assignee": 3})
    yield "assignee too long", _team("a", {**ok_assign, "assignee": "A" * 201})
    # status
    status = {"action": "status", "conversation": conv}
    yield "status missing", _team("a", status)
    yield "status unknown", _team("a", {**status, "status": "closed"})
    # labels
    labels = {"action": "labels", "conversation": conv}
    yield "labels missing", _team("a", labels)
    yield "labels not list", _team("a", {**labels, "labels": "vip"})
    yield "too many labels", _team("a", {**labels, "labels": [f"l{n}" for n in range(21)]})
    yield "label too long", _team("a", {**labels, "labels": ["x" * 41]})
    yield "label not string", _team("a", {**labels, "labels": ["vip", 2]})
    # note
    note = {"action": "note", "conversation": conv}
    yield "note text missing", _team("a", note)
    yield "note text empty", _team("a", {**note, "text": ""})
    yield "note text null", _team("a", {**note, "text": None})
    yield "note text too long", _team("a", {**note, "text": "x" * 4097})
    # quick_reply
    qr = {"action": "quick_reply", "text": "Olá!"}
    yield "shortcut missing", _team("a", qr)
    yield "shortcut empty", _team("a", {**qr, "shortcut": ""})
    yield "shortcut too long", _team("a", {**qr, "shortcut": "x" * 41})
    yield "shortcut with space", _team("a", {**qr, "shortcut": "bom dia"})
    yield "shortcut with slash", _team("a", {**qr, "shortcut": "/oi"})
    yield "quick reply text missing", _team("a", {"action": "quick_reply", "shortcut": "oi"})
    yield "quick reply text number", _team("a", {**qr, "shortcut": "oi", "text": 1})
    yield "quick reply text too long", _team("a", {**qr, "shortcut": "oi", "text": "x" * 4097})


@sqlite_only
def test_each_validation_rule_answers_400_and_stores_nothing(harness: Harness) -> None:
    token, _ = harness.enroll()
    head = harness.head()
    for raw in (b"", b"not json", b'{"id": "a", "kind": "team", "data": {'):
        response = harness.api("POST", "/v1/events", token, content=raw)
        assert response.status_code == 400, (raw, response.text)
        assert response.json() == {"error": "bad_request", "detail": "The body must be JSON."}
    for case, body in _invalid_cases(harness):
        response = _post(harness, token, body)
        assert response.status_code == 400, (case, response.text)
        answer = response.json()
        assert set(answer) == {"error", "detail"}, (case, answer)
        assert answer["error"] == "bad_request", case
        assert isinstance(answer["detail"], str) and answer["detail"].endswith("."), (case, answer)
    assert harness.head() == head
    assert _team_rows(harness) == 0


@sqlite_only
def test_boundary_values_are_accepted(harness: Harness) -> None:
    """The limits themselves, nulls that mean 'clear', and username-only customers."""
    token, _ = harness.enroll()
    conv = _conversation(harness)
    pnid = harness.sim.phone_number_id
    accepted = [
        {"action": "assign", "conversation": conv, "assignee": None},
        {"action": "assign", "conversation": conv, "assignee": "A" * 200},
        {
            "action": "assign",
            "conversation": {"phone_number_id": pnid, "user_id": "BR.13491208655302741918"},
            "assignee": "Bruno",
        },
        {"action": "status", "conversation": conv, "status": "open"},
        {"action": "status", "conversation": conv, "status": "resolved"},
        {"action": "labels", "conversation": conv, "labels": []},
        {"action": "labels", "conversation": conv, "labels": ["x" * 40] * 20},
        {"action": "note", "conversation": conv, "text": "é" * 4096},
        {"action": "quick_reply", "shortcut": "x" * 40, "text": "t" * 4096},
        {"action": "quick_reply", "shortcut": "saudação-2_b", "text": "Olá!"},
        {"action": "quick_reply", "shortcut": "saudação-2_b", "text": None},
    ]
    for n, data in enumerate(accepted):
        response = _post(harness, token, _team(f"ok-{n}", data))
        assert response.status_code == 200, (data, response.text)
        assert response.json()["duplicate"] is False
    assert _team_rows(harness) == len(accepted)


@sqlite_only
def test_body_over_64_kib_is_refused(harness: Harness) -> None:
    token, _ = harness.enroll()
    big = _team("big", {"action": "labels", "conversation": {}, "padding": "x" * 70_000})
    response = _post(harness, token, big)
    assert response.status_code == 413, response.text
    assert response.json() == {"error": "too_large"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
        yield b'{"id": "big2", "kind": "team", "data": {"padding": "'
        for _ in range(70):
            yield b"x" * 1024
        yield b'"}}'

    response = harness.api("POST", "/v1/events", token, content=chunks())
    assert response.status_code == 413, response.text
    assert response.json() == {"error": "too_large"}
    assert _team_rows(harness) == 0


@sqlite_only
def test_notes_and_labels_never_reach_the_logs(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    token, _ = harness.enroll()
    caplog.set_level(logging.DEBUG)
    conv = _conversation(harness)
    for n, data in enumerate(
        (
            {"action": "note", "conversation": conv, "text": NOTE},
            {"action": "labels", "conversation": conv, "labels": ["inadimplente-secreto"]},
            {"action": "note", "conversation": conv, "text": NOTE, "oops": 1, "text2": 2},
        )
    ):
        assert _post(harness, token, _team(f"log-{n}", data)).status_code == 200
    assert _post(harness, token, _team("bad", {"action": "note", "text": NOTE})).status_code == 400
    dumped = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "/v1/events" in dumped  # the request lines were captured
    assert "gerência" not in dumped
    assert "inadimplente-secreto" not in dumped
