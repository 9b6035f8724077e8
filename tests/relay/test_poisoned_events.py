"""One poisoned event must not fail the webhooks committed beside it.

orjson refuses to encode nesting of 255 levels or more and PostgreSQL refuses a
NUL (or a value longer than its column) in a text key. Webhooks are
group-committed, so before each event was checked on its own, one such event
made every innocent webhook in its group answer 503, and a signed Meta batch
holding one was refused on every retry. These tests post them side by side
through a real relay, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any

import httpx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relay_support import (
    Harness,
    envelope,
    messages_payload,
    meta_bytes,
    read_backlog,
    run,
    signature,
    sqlite_only,
    text_message,
)
from sqlalchemy import func, select

from relay.db import events
from relay.simulator import payloads as p
from relay.webhook import split_webhook

INNOCENT = 150
POISONED_TEAM = 30
POISONED_META = 15


def _nested(depth: int, leaf: Any = "fundo") -> Any:
    """``depth`` lists around ``leaf``: deeper than orjson encodes when depth >= 255."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def _depth(value: Any) -> tuple[int, Any]:
    """How many single-element lists wrap the leaf, counted without recursion."""
    depth = 0
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
        depth += 1
    return depth, value


def _deep_message(wamid: str, depth: int = 300) -> dict[str, Any]:
    return {**text_message(wamid), "text": {"body": _nested(depth)}}


def _team_rows(harness: Harness) -> int:
    with harness.relay.engine.connect() as conn:
        query = select(func.count()).select_from(events).where(events.c.kind == "team")
        return int(conn.execute(query).scalar() or 0)


def _poisoned_team(harness: Harness, n: int) -> dict[str, Any]:
    """A team event that cannot be stored: NUL in its id, or data nested 300 deep."""
    conv = {"phone_number_id": harness.sim.phone_number_id, "wa_id": "5511987654321"}
    if n % 2:
        data = {"action": "note", "conversation": conv, "text": "Oi"}
        return {"id": f"nul\x00{n}", "kind": "team", "data": data}
    data = {"action": "note", "conversation": conv, "text": "Oi", "extra": _nested(300)}
    return {"id": f"deep-{n}", "kind": "team", "data": data}


def test_innocent_webhooks_beside_poisoned_events_all_get_200(harness: Harness) -> None:
    """Poisoned team events get 400 alone; poisoned Meta items are kept raw; no 503 for others."""
    token, _ = harness.enroll()
    sim = harness.sim
    innocent = [f"wamid.INNOCENT{n}" for n in range(INNOCENT)]

    async def post_webhook(client: httpx.AsyncClient, tag: str, raw: bytes) -> tuple[str, int, Any]:
        headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature(raw)}
        response = await client.post(harness.url + "/webhook", content=raw, headers=headers)
        return tag, response.status_code, response.text

    async def post_team(client: httpx.AsyncClient, n: int) -> tuple[str, int, Any]:
        response = await client.post(
            harness.url + "/v1/events",
            content=json.dumps(_poisoned_team(harness, n)),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        return "team", response.status_code, response.json()

    async def scenario() -> None:
        limits = httpx.Limits(max_connections=48, max_keepalive_connections=48)
        async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
            requests: list[Coroutine[Any, Any, tuple[str, int, Any]]] = []
            for n, wamid in enumerate(innocent):
                # Interleaved, so poisoned requests land in the innocents' group commits.
                good = meta_bytes(messages_payload(sim, [text_message(wamid)]))
                requests.append(post_webhook(client, "innocent", good))
                if n % (INNOCENT // POISONED_TEAM) == 0:
                    requests.append(post_team(client, n))
                if n % (INNOCENT // POISONED_META) == 0:
                    deep = meta_bytes(messages_payload(sim, [_deep_message(f"wamid.DEEP{n}")]))
                    requests.append(post_webhook(client, "meta", deep))
            answers = await asyncio.gather(*requests)
        innocent_codes = [status for tag, status, _ in answers if tag == "innocent"]
        assert innocent_codes == [200] * INNOCENT, sorted(innocent_codes)
        meta_codes = [status for tag, status, _ in answers if tag == "meta"]
        assert meta_codes == [200] * POISONED_META, meta_codes
        team = [(status, body) for tag, status, body in answers if tag == "team"]
        assert len(team) == POISONED_TEAM
        for status, body in team:
            assert (status, body["error"]) == (400, "bad_request"), body

        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws, timeout=30.0)
        stored = [f["event"] for f in frames]
        messages = [e["data"]["id"] for e in stored if e["kind"] == "message"]
        assert sorted(messages) == sorted(innocent)
        assert len([e for e in stored if e["kind"] == "raw"]) == POISONED_META
        assert len(stored) == INNOCENT + POISONED_META

    run(scenario(), timeout=120.0)
    assert _team_rows(harness) == 0


def _poisoned_batch(harness: Harness) -> dict[str, Any]:
    """A signed Meta batch whose items include every unstorable shape we know of."""
    sim = harness.sim
    value = {
        "contacts": [p.contact("Ana Souza", "5511987654321")],
        "messages": [
            text_message("wamid.GOOD_A"),
            _deep_message("wamid.DEEP"),
            text_message("wamid.NUL\x00ID"),
            text_message("wamid." + "L" * 400),
            text_message("wamid.GOOD_B"),
        ],
        "statuses": [p.status("wamid.S\x00", "delivered", "5511987654321", timestamp=1)],
    }
    payload = envelope(value, sim)
    entry = payload["entry"][0]
    entry["changes"].append({"field": "account_update\x00", "value": {"event": "x"}})
    entry["changes"].append({"field": "f" * 400, "value": {"event": "long"}})
    errors = {"metadata": {"phone_number_id": "1\x00"}, "errors": [{"code": 1}]}
    entry["changes"].append({"field": "messages", "value": errors})
    return payload


def test_meta_batch_with_unstorable_items_stores_the_others(harness: Harness) -> None:
    """Every item arrives (the unencodable one raw); the retry stores nothing new."""
    token, _ = harness.enroll()
    raw_body = meta_bytes(_poisoned_batch(harness))
    first = harness.post_webhook(raw_body)
    assert first.status_code == 200, first.text
    head = harness.head()
    retry = harness.post_webhook(raw_body)
    assert retry.status_code == 200, retry.text
    assert harness.head() == head

    async def scenario() -> list[dict[str, Any]]:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        return [f["event"] for f in frames]

    stored = run(scenario())
    assert [e["kind"] for e in stored] == [
        "message",
        "raw",
        "message",
        "message",
        "message",
        "status",
        "raw",
        "f" * 64,
        "error",
    ]
    ids = [e["data"].get("id") for e in stored[:6]]
    assert ids[0] == "wamid.GOOD_A" and ids[4] == "wamid.GOOD_B"
    assert ids[2:4] == ["wamid.NUL\x00ID", "wamid." + "L" * 400]
    assert ids[5] == "wamid.S\x00"
    kept = stored[1]
    assert kept["data"]["encoding"] == "json"
    item = json.loads(kept["data"]["body"])
    assert item["id"] == "wamid.DEEP"
    assert _depth(item["text"]["body"]) == (300, "fundo")
    assert stored[6]["field"] == "account_update\x00" and stored[6]["data"] == {"event": "x"}
    assert stored[7]["data"] == {"event": "long"}
    assert stored[8]["phone_number_id"] == "1\x00" and stored[8]["data"] == {"code": 1}


@sqlite_only
def test_item_nested_1000_deep_is_kept_raw_beside_the_others(harness: Harness) -> None:
    """1,000 levels (orjson reads up to 1,024): the item is kept, readable, beside the others."""
    token, _ = harness.enroll()
    placeholder = "__DEEP__"
    payload = messages_payload(
        harness.sim,
        [
            text_message("wamid.BEFORE"),
            _deep_message("wamid.ABYSS", 0),
            text_message("wamid.AFTER"),
        ],
    )
    payload["entry"][0]["changes"][0]["value"]["messages"][1]["text"]["body"] = placeholder
    raw_body = meta_bytes(payload).replace(
        f'"{placeholder}"'.encode(), b"[" * 1000 + b'"fundo"' + b"]" * 1000
    )
    assert harness.post_webhook(raw_body).status_code == 200

    async def scenario() -> list[dict[str, Any]]:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        return [f["event"] for f in frames]

    stored = run(scenario())
    assert [e["kind"] for e in stored] == ["message", "raw", "message"]
    item = orjson.loads(stored[1]["data"]["body"])
    assert item["id"] == "wamid.ABYSS"
    assert _depth(item["text"]["body"]) == (1000, "fundo")


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["wamid.\x00", "L" * 400, "messages", ""])
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    item=_values,
    wamid=_values,
    pnid=_values,
    field=_values,
    depth=st.integers(0, 600),
)
def test_any_signed_body_splits_into_events_the_log_can_hold(
    item: Any, wamid: Any, pnid: Any, field: Any, depth: int
) -> None:
    """Whatever Meta (or a bug on its side) puts where, splitting yields storable events.

    Building a NewEvent checks its key and kind and encodes its body, so an
    exception here is exactly what used to fail a whole group commit.
    """
    deep = _nested(depth, item)
    message = {"id": wamid, "from": wamid, "text": deep}
    value = {
        "metadata": {"phone_number_id": pnid},
        "contacts": [{"wa_id": wamid}],
        "messages": [message, deep],
        "statuses": [{"id": wamid, "status": item, "timestamp": deep}],
        "errors": [deep],
    }
    changes = [{"field": "messages", "value": value}, {"field": field, "value": deep}]
    body = json.dumps({"entry": [{"id": pnid, "changes": changes}, deep]}).encode()
    for event in split_webhook(body, now=1.0):
        assert orjson.loads(event.text)["kind"] == event.kind
