"""The team list (who the colleagues are, who is online) and the newer team actions.

``GET /v1/team`` lists the enrolled devices with ``online`` true while one
of their streams is open on any relay instance on the database; the label
palette and snoozing are validated like every other team event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from relay_support import Harness, read_backlog, run, sqlite_only
from waiting import async_wait_until

from relay.devices import add_device, revoke

ANA = "5511987654321"


def _team_list(harness: Harness, token: str | None) -> httpx.Response:
    return harness.api("GET", "/v1/team", token)


def _online(harness: Harness, token: str) -> dict[str, bool]:
    response = _team_list(harness, token)
    assert response.status_code == 200, response.text
    return {d["name"]: d["online"] for d in response.json()["devices"]}


def _post(harness: Harness, token: str, event_id: str, data: dict[str, Any]) -> httpx.Response:
    return harness.api(
        "POST", "/v1/events", token, json={"id": event_id, "kind": "team", "data": data}
    )


@sqlite_only
def test_team_list_needs_a_live_device_token(harness: Harness) -> None:
    token, device_id = harness.enroll("PC Ana")
    revoke(harness.relay.engine, device_id)
    for bad in ("crmw_not-a-real-token", None, token):
        response = _team_list(harness, bad)
        assert response.status_code == 401, (bad, response.text)
        assert response.json()["error"]["name"] == "unauthorized"


def test_colleagues_show_online_while_their_stream_is_open(harness: Harness) -> None:
    """Names of enrolled devices only (not pending, not revoked), online as streams come and go."""
    token_a, _ = harness.enroll("Ana")
    token_b, _ = harness.enroll("Bruno")
    _, gone = harness.enroll("Carla")
    revoke(harness.relay.engine, gone)
    add_device(harness.relay.engine, "Pendente sem código usado")
    answer = _team_list(harness, token_a).json()
    assert [d["name"] for d in answer["devices"]] == ["Ana", "Bruno"]
    assert all(set(d) == {"id", "name", "online"} for d in answer["devices"])
    assert _online(harness, token_a) == {"Ana": False, "Bruno": False}

    async def body() -> None:
        async with harness.stream(token_b) as ws:
            await read_backlog(ws)
            await async_wait_until(
                lambda: _online(harness, token_a) == {"Ana": False, "Bruno": True}, timeout=5
            )
        await async_wait_until(
            lambda: _online(harness, token_a) == {"Ana": False, "Bruno": False}, timeout=5
        )

    run(body())


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"])
def test_presence_agrees_across_two_instances(make_relay: Callable[..., Harness]) -> None:
    """A desktop streaming from one instance is online for a colleague asking the other."""
    first, second = make_relay(), make_relay()
    token_a, _ = first.enroll("Ana")
    token_b, _ = first.enroll("Bruno")

    async def body() -> None:
        async with first.stream(token_b) as ws:
            await read_backlog(ws)
            await async_wait_until(lambda: _online(second, token_a)["Bruno"], timeout=5)
        await async_wait_until(lambda: not _online(second, token_a)["Bruno"], timeout=5)

    run(body())


def _conv(harness: Harness) -> dict[str, str]:
    return {"phone_number_id": harness.sim.phone_number_id, "wa_id": ANA}


@sqlite_only
def test_palette_and_snooze_are_accepted_when_well_formed(harness: Harness) -> None:
    token, _ = harness.enroll()
    accepted = [
        {"action": "palette", "labels": []},
        {
            "action": "palette",
            "labels": [{"name": "VIP", "color": "#1E88E5"}, {"name": "x" * 40, "color": "#abcdef"}],
            "renamed": {"Vip antigo": "VIP"},
        },
        {"action": "status", "conversation": _conv(harness), "status": "snoozed", "until": 1.9e9},
        {"action": "status", "conversation": _conv(harness), "status": "pending"},
    ]
    for n, data in enumerate(accepted):
        response = _post(harness, token, f"ok-{n}", data)
        assert response.status_code == 200, (data, response.text)


@sqlite_only
def test_hostile_palette_or_snooze_is_a_clear_400_and_stores_nothing(harness: Harness) -> None:
    token, _ = harness.enroll()
    head = harness.head()
    ok = {"name": "VIP", "color": "#1E88E5"}
    snooze = {"action": "status", "conversation": _conv(harness), "status": "snoozed"}
    cases: list[dict[str, Any]] = [
        {"action": "palette"},
        {"action": "palette", "labels": "VIP"},
        {"action": "palette", "labels": [ok] * 51},
        {"action": "palette", "labels": [{"name": "VIP"}]},
        {"action": "palette", "labels": [{**ok, "extra": 1}]},
        {"action": "palette", "labels": [{"name": "", "color": "#000000"}]},
        {"action": "palette", "labels": [{"name": " VIP", "color": "#000000"}]},
        {"action": "palette", "labels": [{"name": "x" * 41, "color": "#000000"}]},
        {"action": "palette", "labels": [{"name": "VIP", "color": "red"}]},
        {"action": "palette", "labels": [{"name": "VIP", "color": "#12345"}]},
        {"action": "palette", "labels": [{"name": "VIP", "color": "#1234567"}]},
        {"action": "palette", "labels": [{"name": "VIP", "color": "<b>#123456</b>"}]},
        {"action": "palette", "labels": [ok, {"name": "vip", "color": "#000000"}]},
        {"action": "palette", "labels": [ok], "renamed": ["VIP"]},
        {"action": "palette", "labels": [ok], "renamed": {"VIP": 3}},
        snooze,
        {**snooze, "until": "amanhã"},
        {**snooze, "until": True},
        {**snooze, "until": -5},
        {**snooze, "until": 1e300},
    ]
    for n, data in enumerate(cases):
        response = _post(harness, token, f"bad-{n}", data)
        assert response.status_code == 400, (data, response.text)
        detail = response.json()["detail"]
        assert isinstance(detail, str) and detail.endswith("."), (data, detail)
    # NaN cannot be written as standard JSON: sent raw, it is refused too.
    raw = (
        b'{"id": "nan", "kind": "team", "data": {"action": "status", "status": "snoozed", '
        b'"until": NaN, "conversation": {"phone_number_id": "1", "wa_id": "5511"}}}'
    )
    response = harness.api("POST", "/v1/events", token, content=raw)
    assert response.status_code == 400, response.text
    assert harness.head() == head
