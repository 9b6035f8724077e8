"""Enrolling desktops with one-time codes, and cutting them off on revocation.

The admin uses the CLI (a real subprocess on the same database the relay
serves); the desktop uses HTTP and the websocket.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from pathlib import Path

import pytest
import websockets
from relay_support import (
    Harness,
    cli_env,
    read_backlog,
    recv_frame,
    run,
    run_cli,
    sqlite_only,
)

from relay.devices import add_device


def _enroll(harness: Harness, code: str, name: str = "PC balcão") -> tuple[int, dict]:
    response = harness.http.post(harness.url + "/v1/enroll", json={"code": code, "name": name})
    return response.status_code, response.json()


def test_cli_code_enrolls_once_and_device_list_shows_it(harness: Harness, tmp_path: Path) -> None:
    """``device add --json`` gives a code that works once; ``device list`` shows the device."""
    env = cli_env(harness.db_url)
    added = run_cli(["device", "add", "Recepção 1", "--json"], env, tmp_path)
    assert added.returncode == 0, added.stderr
    info = json.loads(added.stdout)
    expires = dt.datetime.fromisoformat(info["expires_at"])
    hours_left = (expires - dt.datetime.now(dt.UTC)).total_seconds() / 3600
    assert 23 < hours_left <= 24
    assert info["code"]

    status, body = _enroll(harness, info["code"])
    assert status == 200, body
    assert body["device_id"] == info["device_id"]
    assert body["token"]

    status, body = _enroll(harness, info["code"])
    assert status == 403
    assert body["error"]["name"] == "invalid_code"

    listed = run_cli(["device", "list", "--json"], env, tmp_path)
    assert listed.returncode == 0, listed.stderr
    (device,) = json.loads(listed.stdout)
    assert device["device_id"] == info["device_id"]
    assert device["state"] == "enrolled"
    assert device["name"] == "PC balcão"  # the desktop's name replaces the placeholder

    table = run_cli(["device", "list"], env, tmp_path)
    assert info["device_id"] in table.stdout and "enrolled" in table.stdout


def test_expired_or_unknown_code_is_refused(harness: Harness) -> None:
    """A code older than its lifetime, or never issued, enrolls nothing."""
    _, code, expires = add_device(harness.relay.engine, "Old PC", now=time.time() - 25 * 3600)
    assert expires < time.time()
    status, body = _enroll(harness, code)
    assert status == 403
    assert body["error"]["name"] == "invalid_code"
    status, _ = _enroll(harness, "ABCD-EFGH-JKLM")
    assert status == 403
    for bad in (b"not json", b'{"name": "x"}', b"[]"):
        response = harness.http.post(harness.url + "/v1/enroll", content=bad)
        assert response.status_code == 400


@sqlite_only
def test_code_is_accepted_without_dashes_and_in_lower_case(harness: Harness) -> None:
    """Attendants type the code from a phone screen; formatting must not matter."""
    _, code, _ = add_device(harness.relay.engine, "PC")
    status, body = _enroll(harness, code.replace("-", "").lower())
    assert status == 200, body


@sqlite_only
def test_repeated_wrong_codes_are_throttled(harness: Harness) -> None:
    """Guessing codes is slowed down: after ten misses even a right code waits."""
    for _ in range(10):
        status, _ = _enroll(harness, "WRNG-WRNG-WRNG")
        assert status == 403
    _, code, _ = add_device(harness.relay.engine, "PC")
    status, body = _enroll(harness, code)
    assert status == 429
    assert body["error"]["name"] == "too_many_attempts"


def test_revoke_cuts_open_stream_and_refuses_the_token(harness: Harness, tmp_path: Path) -> None:
    """``device revoke`` closes the desktop's stream within a second (4403) and for good."""
    token, device_id = harness.enroll("PC a revogar")
    env = cli_env(harness.db_url)

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            revoked = await asyncio.to_thread(
                run_cli, ["device", "revoke", device_id], env, tmp_path
            )
            assert revoked.returncode == 0, revoked.stderr
            cut_from = time.monotonic()
            with pytest.raises(websockets.ConnectionClosed):
                while True:
                    frame = await recv_frame(ws, 3.0)
                    assert frame["type"] != "event", frame
            elapsed = time.monotonic() - cut_from
            assert ws.close_code == 4403
            assert elapsed < 1.5, elapsed

        with pytest.raises(websockets.InvalidStatus) as refused:
            async with harness.stream(token):
                pass
        assert refused.value.response.status_code == 403

    run(body())
    response = harness.api(
        "POST",
        "/v1/messages",
        token,
        json={
            "phone_number_id": harness.sim.phone_number_id,
            "client_id": "after-revoke",
            "to": "5511987654321",
            "type": "text",
            "text": {"body": "oi"},
        },
    )
    assert response.status_code == 401
    assert harness.sim.accepted == []
    listed = json.loads(run_cli(["device", "list", "--json"], env, tmp_path).stdout)
    assert listed[0]["state"] == "revoked"


def test_unknown_or_missing_token_is_refused_before_any_event(harness: Harness) -> None:
    """No stream, no API, no media without a valid device token."""
    harness.say("5511987654321", "text", text="segredo comercial")

    async def body() -> None:
        for token in ("crmw_not-a-real-token", ""):
            with pytest.raises(websockets.InvalidStatus) as refused:
                async with harness.stream(token) as ws:
                    await recv_frame(ws, 2.0)
            assert refused.value.response.status_code == 403

    run(body())
    for method, path in (
        ("POST", "/v1/messages"),
        ("GET", "/v1/media/123"),
        ("POST", "/v1/media?phone_number_id=1"),
        ("GET", "/v1/templates"),
    ):
        for token in ("crmw_not-a-real-token", None):
            response = harness.api(method, path, token, content=b"{}")
            assert response.status_code == 401, (method, path)
            assert response.json()["error"]["name"] == "unauthorized"


@sqlite_only
def test_cli_revoke_of_unknown_device_fails_clearly(harness: Harness, tmp_path: Path) -> None:
    """A typo in the id must not look like success to the admin."""
    result = run_cli(["device", "revoke", "nope1234"], cli_env(harness.db_url), tmp_path)
    assert result.returncode != 0
    assert "nope1234" in result.stderr
    assert "Traceback" not in result.stderr
