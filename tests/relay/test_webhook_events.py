"""What desktops receive for each thing Meta sends.

The contract: each ``messages[]``, ``statuses[]`` or ``errors[]`` item becomes
one event whose ``data`` is the Meta item exactly as posted, with the business
number and the sender's profile beside it, so nothing is lost when Meta adds
fields and an attendant always sees who wrote.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from relay_support import (
    META_SAMPLES,
    Harness,
    envelope,
    events_until,
    is_message,
    meta_bytes,
    read_backlog,
    run,
    sqlite_only,
    take_events,
    text_message,
)

from relay.simulator import customers as script
from relay.simulator import payloads as p

ANA = "5511987654321"


def _value(payload: dict[str, Any]) -> dict[str, Any]:
    return payload["entry"][0]["changes"][0]["value"]


def _inbound_cases(harness: Harness) -> list[tuple[str, str, dict[str, Any]]]:
    """(label, wamid, payload) for every inbound type the simulator plays."""
    sim = harness.sim
    cases: list[tuple[str, str, dict[str, Any]]] = []
    for msg_type in ("text", "image", "audio", "video", "document", "sticker"):
        wamid, payload = sim.build_inbound(ANA, msg_type)
        cases.append((msg_type, wamid, payload))
    for msg_type in ("location", "contacts", "button", "request_welcome"):
        wamid, payload = sim.build_inbound("5521998761234", msg_type)
        cases.append((msg_type, wamid, payload))
    wamid, payload = sim.build_inbound(ANA, "interactive", content=script.button_reply_content())
    cases.append(("interactive-button-reply", wamid, payload))
    wamid, payload = sim.build_inbound(ANA, "interactive", content=script.list_reply_content())
    cases.append(("interactive-list-reply", wamid, payload))
    first = cases[0][1]
    wamid, payload = sim.build_inbound(
        ANA, "reaction", content={"message_id": first, "emoji": "👍"}
    )
    cases.append(("reaction", wamid, payload))
    wamid, payload = sim.build_inbound(ANA, "reaction", content={"message_id": first})
    cases.append(("reaction-removed", wamid, payload))
    wamid, payload = sim.build_inbound(
        ANA, "text", text="Sobre essa mensagem:", context={"from": ANA, "id": first}
    )
    cases.append(("reply-with-context", wamid, payload))
    wamid, payload = sim.build_inbound(
        "5531991234567", "text", text="Oi, sou usuária sem número", username_only=True
    )
    cases.append(("username-only", wamid, payload))
    return cases


def test_every_inbound_type_arrives_with_the_item_as_posted(harness: Harness) -> None:
    """Each type (media, location, reactions, replies, username users …) is delivered whole."""
    token, _ = harness.enroll()
    cases = _inbound_cases(harness)
    for label, _, payload in cases:
        assert harness.post_payload(payload).status_code == 200, label

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        assert len(frames) == len(cases)
        for (label, wamid, payload), frame in zip(cases, frames, strict=True):
            event = frame["event"]
            value = _value(payload)
            assert event["kind"] == "message", label
            assert event["data"] == value["messages"][0], label
            assert event["data"]["id"] == wamid
            assert event["phone_number_id"] == harness.sim.phone_number_id, label
            assert event["display_phone_number"] == harness.sim.display_phone_number, label
            assert event["contacts"] == value["contacts"], label

    run(body())


def test_removed_reaction_and_username_user_keep_their_quirks(harness: Harness) -> None:
    """A removed reaction has no emoji; a username user has empty ``from`` and only user_id."""
    token, _ = harness.enroll()
    target = harness.say(ANA, "text", text="Oi")
    removed = harness.sim_server.call(harness.sim.customer_reacts(ANA, target, None))
    user_wamid = harness.say("5541996543210", "text", text="Olá", username_only=True)

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        by_id = {f["event"]["data"]["id"]: f["event"] for f in frames}
        reaction = by_id[removed]["data"]["reaction"]
        assert reaction == {"message_id": target}
        user = by_id[user_wamid]
        assert user["data"]["from"] == ""
        assert user["data"]["from_user_id"]
        assert user["contacts"][0]["wa_id"] == ""
        assert user["contacts"][0]["user_id"] == user["data"]["from_user_id"]

    run(body())


@sqlite_only
def test_statuses_errors_and_mixed_values(harness: Harness) -> None:
    """Statuses, value-level errors, and messages with errors in one value all arrive."""
    sim = harness.sim
    token, _ = harness.enroll()
    ts = int(time.time())
    statuses = [
        p.status("wamid.OUT1", "sent", ANA, timestamp=ts, with_pricing=True),
        p.status("wamid.OUT1", "delivered", ANA, timestamp=ts + 1),
        p.status("wamid.OUT1", "read", ANA, timestamp=ts + 2),
        p.status("wamid.OUT2", "failed", ANA, timestamp=ts + 3, errors=[p.REENGAGEMENT]),
    ]
    rate_error = p.error_object(130429, "Rate limit hit", "Too many messages")
    mixed_message = text_message("wamid.MIXED1")
    payloads = [
        envelope({"statuses": statuses}, sim),
        envelope({"errors": [rate_error]}, sim),
        envelope(
            {
                "contacts": [p.contact("Ana Souza", ANA)],
                "messages": [mixed_message],
                "errors": [p.UNDELIVERABLE],
            },
            sim,
        ),
    ]
    for payload in payloads:
        assert harness.post_payload(payload).status_code == 200

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        events = [f["event"] for f in frames]
        assert [e["kind"] for e in events] == ["status"] * 4 + ["error", "message", "error"]
        assert [e["data"] for e in events[:4]] == statuses
        assert events[3]["data"]["errors"][0]["code"] == 131047
        assert events[4]["data"] == rate_error
        assert events[4]["phone_number_id"] == sim.phone_number_id
        assert events[5]["data"] == mixed_message
        assert events[6]["data"] == p.UNDELIVERABLE
        assert all(e["phone_number_id"] == sim.phone_number_id for e in events)

    run(body())


def test_batch_of_1000_items_becomes_1000_events_in_order(harness: Harness) -> None:
    """Meta batches up to 1,000 updates across entries and changes in one POST."""
    sim = harness.sim
    token, _ = harness.enroll()
    entries = []
    expected: list[str] = []
    for e in range(4):
        changes = []
        for c in range(5):
            items = []
            for i in range(50):
                wamid = f"wamid.BATCH.{e}.{c}.{i}"
                expected.append(wamid)
                items.append(text_message(wamid, body=f"mensagem {e}-{c}-{i}"))
            value = envelope({"contacts": [p.contact("Ana", ANA)], "messages": items}, sim)
            changes.append(value["entry"][0]["changes"][0])
        entries.append({"id": sim.waba_id, "changes": changes})
    payload = {"object": "whatsapp_business_account", "entry": entries}
    assert len(meta_bytes(payload)) < 1024 * 1024
    assert harness.post_payload(payload).status_code == 200

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, ready = await read_backlog(ws, timeout=20)
        assert [f["event"]["data"]["id"] for f in frames] == expected
        seqs = [f["seq"] for f in frames]
        assert seqs == sorted(set(seqs))
        assert ready["seq"] == seqs[-1]

    run(body())


@sqlite_only
def test_other_fields_and_uninterpretable_bodies_are_kept(harness: Harness) -> None:
    """Template updates get their own kind; signed junk is stored raw and answered 200."""
    sim = harness.sim
    token, _ = harness.enroll()
    template_value = {
        "event": "APPROVED",
        "message_template_id": 1200000000000009,
        "message_template_name": "retomar_conversa",
        "message_template_language": "pt_BR",
        "reason": "NONE",
    }
    template_update = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": sim.waba_id,
                "time": 1_750_000_000,
                "changes": [{"value": template_value, "field": "message_template_status_update"}],
            }
        ],
    }
    not_json = b"this is not json \xc3\xa7"
    not_meta = {"hello": "mundo", "entry": "not a list"}
    assert harness.post_payload(template_update).status_code == 200
    assert harness.post_webhook(not_json).status_code == 200
    assert harness.post_payload(not_meta).status_code == 200
    assert harness.post_payload([1, 2, 3]).status_code == 200

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        events = [f["event"] for f in frames]
        assert [e["kind"] for e in events] == [
            "message_template_status_update",
            "raw",
            "raw",
            "raw",
        ]
        assert events[0]["data"] == template_value
        assert events[1]["data"]["body"] == not_json.decode("utf-8")
        assert json.loads(events[2]["data"]["body"]) == not_meta
        assert json.loads(events[3]["data"]["body"]) == [1, 2, 3]

    run(body())


def _sample_files() -> list[Path]:
    if not META_SAMPLES.is_dir():
        return []
    out = []
    for path in sorted(META_SAMPLES.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(payload, dict) and isinstance(payload.get("entry"), list):
            out.append(path)
    return out


@sqlite_only
@pytest.mark.skipif(not META_SAMPLES.is_dir(), reason="../shared/meta-samples is absent")
def test_meta_sample_webhooks_arrive_item_for_item(harness: Harness) -> None:
    """Real payloads from Meta's docs and the field: every item arrives, exactly as sent."""
    files = _sample_files()
    assert files, "no webhook-shaped samples found"
    token, _ = harness.enroll()
    expected: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    seen: set[str] = set()
    for path in files:
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert harness.post_payload(payload).status_code == 200, path.name
        for entry in payload["entry"]:
            for change in entry["changes"]:
                value = change["value"]
                for list_key, kind in (
                    ("messages", "message"),
                    ("statuses", "status"),
                    ("errors", "error"),
                ):
                    for item in value.get(list_key, []):
                        # Samples from different doc pages reuse ids: the relay
                        # rightly keeps the first and treats the rest as retries.
                        if kind == "message":
                            parts: list[Any] = [kind, item.get("id")]
                        elif kind == "status":
                            parts = [kind, item.get("id"), item.get("status"), item["timestamp"]]
                        else:
                            parts = [kind, item]
                        key = json.dumps(parts, sort_keys=True)
                        if key not in seen:
                            seen.add(key)
                            expected.append((path.name, kind, item, value))

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        assert len(frames) == len(expected)
        for (name, kind, item, value), frame in zip(expected, frames, strict=True):
            event = frame["event"]
            assert event["kind"] == kind, name
            assert event["data"] == item, name
            assert event["phone_number_id"] == value["metadata"]["phone_number_id"], name
            if kind == "message" and value.get("contacts"):
                assert event["contacts"] == value["contacts"], name

    run(body())


@sqlite_only
def test_live_event_reaches_a_connected_device(harness: Harness) -> None:
    """A customer's message shows up on an already open stream, not only on replay."""
    token, _ = harness.enroll()

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            wamid = harness.say(ANA, "text", text="Oi, tudo bem?")
            frames = await events_until(ws, is_message(wamid))
            assert len(frames) == 1
            assert frames[0]["event"]["data"]["text"]["body"] == "Oi, tudo bem?"
            harness.say(ANA, "image")
            (image,) = await take_events(ws, 1)
            assert image["event"]["data"]["type"] == "image"
            assert image["seq"] > frames[0]["seq"]

    run(body())
