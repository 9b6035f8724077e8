"""What comes from outside (a desktop, a sender, Meta) is checked in one place.

A client that hangs up mid-body is logged as such (499) on every endpoint,
never as a 500 with a traceback; a device name holding NUL or terminal escape
codes is refused at enrollment and printed escaped by ``device list``; only
ASCII digits count as a number in an id that goes into a Graph URL; a read
receipt is counted as a read, not a failed send; and a webhook's field name
never reaches a log line.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from relay_support import (
    Harness,
    cli_env,
    messages_payload,
    meta_bytes,
    run_cli,
    sqlite_only,
    text_message,
)
from sqlalchemy import select
from waiting import wait_until

from relay.db import devices, enroll_attempts
from relay.devices import ENROLL_LIMIT, add_device, enroll_from

ANA = "5511987654321"


def _request_lines(caplog: pytest.LogCaptureFixture, path: str) -> list[int]:
    return [
        r.__dict__["fields"]["status"]
        for r in list(caplog.records)
        if r.name == "relay.request" and r.__dict__.get("fields", {}).get("path") == path
    ]


def _hang_up_mid_body(harness: Harness, target: bytes, headers: bytes = b"") -> None:
    """Promise 1,000 bytes, send a few, and close: nothing can be answered."""
    host, port = harness.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST " + target + b" HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n" + headers + b"\r\n" + b'{"a": '
        )


@sqlite_only
@pytest.mark.parametrize(
    ("target", "path", "authorised"),
    [
        (b"/v1/messages", "/v1/messages", True),
        (b"/v1/events", "/v1/events", True),
        (b"/v1/enroll", "/v1/enroll", False),
        (b"/v1/media?phone_number_id=1", "/v1/media", True),
    ],
)
def test_a_client_hanging_up_mid_body_is_logged_499_without_a_traceback(
    harness: Harness,
    caplog: pytest.LogCaptureFixture,
    target: bytes,
    path: str,
    authorised: bool,
) -> None:
    """The admin's log says the client left, not that the relay failed."""
    caplog.set_level(logging.INFO)
    token, _ = harness.enroll()
    auth = f"Authorization: Bearer {token}\r\n".encode() if authorised else b""
    # The enrollment's own line is logged just after its answer went out: wait for
    # it, or it could be counted as the hang-up's.
    wait_until(lambda: _request_lines(caplog, "/v1/enroll"), timeout=10)
    before = len(_request_lines(caplog, path))
    _hang_up_mid_body(harness, target, auth)
    wait_until(lambda: len(_request_lines(caplog, path)) > before, timeout=10)
    assert _request_lines(caplog, path)[before:] == [499]
    errors = [r for r in list(caplog.records) if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


# -- device names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["nul\x00name", "ctl\x1b]0;pwn\x07", "bell\x07", "c1\x9b31m"], ids=repr
)
def test_enrolling_with_a_control_character_in_the_name_is_400_and_no_wrong_code(
    harness: Harness, name: str
) -> None:
    """A bad name is the desktop's mistake, said once; the code stays usable and unthrottled."""
    _, code, _ = add_device(harness.relay.engine, "pending")
    url = harness.url + "/v1/enroll"
    for _ in range(ENROLL_LIMIT + 1):
        refused = harness.http.post(url, json={"code": code, "name": name})
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["name"] == "bad_request"
    good = harness.http.post(url, json={"code": code, "name": "PC recepção"})
    assert good.status_code == 200, good.text
    with harness.relay.engine.connect() as conn:
        names = conn.execute(select(devices.c.name)).scalars().all()
    assert names == ["PC recepção"]


def test_an_enrollment_with_a_bad_name_gives_its_attempt_back(harness: Harness) -> None:
    """Only wrong codes use up the allowance; on PostgreSQL a NUL used to be a DataError."""
    engine = harness.relay.engine
    _, code, _ = add_device(engine, "pending")
    with pytest.raises(ValueError):
        enroll_from(engine, "10.0.0.9", code, "nul\x00name")
    with engine.connect() as conn:
        attempts = conn.execute(select(enroll_attempts.c.attempts)).scalars().all()
    assert attempts == [0]


@sqlite_only
def test_device_list_prints_control_characters_escaped(harness: Harness, tmp_path: Path) -> None:
    """A name stored by an older relay cannot retitle or recolour the admin's terminal."""
    add_device(harness.relay.engine, "pending")
    with harness.relay.engine.begin() as conn:
        conn.execute(devices.update().values(name="ctl\x1b]0;pwn\x07 \x9b31m"))
    listed = run_cli(["device", "list"], cli_env(harness.db_url), tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert "\x9b" not in listed.stdout
    assert "ctl\\x1b]0;pwn\\x07 \\x9b31m" in listed.stdout


# -- ASCII digits -------------------------------------------------------------------------


@sqlite_only
@pytest.mark.parametrize("pnid", ["²", "١٢٣", "12\u0663"])
def test_media_upload_with_non_ascii_digits_is_400_and_never_reaches_graph(
    harness: Harness, pnid: str
) -> None:
    token, _ = harness.enroll()
    response = harness.api(
        "POST",
        "/v1/media",
        token,
        params={"phone_number_id": pnid},
        content=b"\x89PNG",
        headers={"Content-Type": "image/png"},
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"]["name"] == "bad_request"
    assert harness.sim.media == {}


@sqlite_only
def test_a_webhook_entry_id_in_other_digits_is_not_taken_as_the_business_account(
    harness: Harness,
) -> None:
    """Templates are never asked for at ``/١٢٣/message_templates``."""
    before = harness.relay.waba_id
    payload: dict[str, Any] = messages_payload(harness.sim, [text_message("wamid.AR1")])
    payload["entry"][0]["id"] = "١٢٣"
    assert harness.post_webhook(meta_bytes(payload)).status_code == 200
    assert harness.relay.waba_id == before
    payload["entry"][0]["id"] = "²"
    assert harness.post_webhook(meta_bytes(payload)).status_code == 200
    assert harness.relay.waba_id == before


# -- read receipts in the metrics ------------------------------------------------------------


@sqlite_only
def test_a_read_receipt_is_counted_as_read_not_as_a_failed_send(harness: Harness) -> None:
    token, _ = harness.enroll()
    wamid = harness.say(ANA, "text", text="Oi")
    read = harness.api(
        "POST",
        "/v1/messages",
        token,
        json={
            "phone_number_id": harness.sim.phone_number_id,
            "status": "read",
            "message_id": wamid,
        },
    )
    assert read.status_code == 200, read.text
    counted = [line for line in harness.metrics().splitlines() if "relay_sends_total{" in line]
    assert any('result="read"' in line and line.endswith(" 1.0") for line in counted), counted
    assert not any('result="failed"' in line for line in counted), counted


# -- webhook field names stay out of the logs -------------------------------------------------


@sqlite_only
def test_a_webhook_field_name_never_reaches_a_log_line(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    odd = "f" * 5000
    deep: Any = "fundo"
    for _ in range(1000):
        deep = [deep]
    payloads = [
        {"entry": [{"id": "1", "changes": [{"field": odd, "value": {}}]}]},
        {"entry": [{"id": "1", "changes": [{"field": "segredo_x", "value": {"v": deep}}]}]},
    ]
    for payload in payloads:
        body = meta_bytes(payload) if payload is payloads[0] else _deep_bytes()
        assert harness.post_webhook(body).status_code == 200
    warnings = wait_until(
        lambda: [r for r in list(caplog.records) if r.name == "relay.webhook"] or None
    )
    text = " ".join(str(r.__dict__.get("fields")) + r.getMessage() for r in warnings)
    assert "ffff" not in text and "segredo" not in text, text


def _deep_bytes() -> bytes:
    return (
        b'{"entry":[{"id":"1","changes":[{"field":"segredo_x","value":'
        + b"[" * 1000
        + b"]" * 1000
        + b"}]}]}"
    )
