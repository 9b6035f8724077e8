"""Meta's side of the door: the verification handshake, signatures, size limit.

An admin pastes the verify token into Meta's dashboard and expects the
handshake to pass; anyone without the app secret must get nothing into the
log (desktops must never see a forged message).
"""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from relay_support import (
    VERIFY_TOKEN,
    Harness,
    events_until,
    messages_payload,
    meta_bytes,
    read_backlog,
    run,
    signature,
    sqlite_only,
    text_message,
)
from waiting import wait_until

from relay.config import MAX_WEBHOOK_BYTES
from relay.simulator import payloads as p


@sqlite_only
def test_verification_handshake_answers_the_challenge_as_plain_text(harness: Harness) -> None:
    """Meta's dashboard only accepts the URL if the challenge comes back verbatim."""
    response = harness.http.get(
        harness.url + "/webhook",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


@sqlite_only
@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
    ],
    ids=["wrong-token", "wrong-mode", "no-mode", "no-token"],
)
def test_verification_handshake_refuses_wrong_token_or_mode(
    harness: Harness, params: dict[str, str]
) -> None:
    """Someone guessing the URL must not be able to subscribe it elsewhere."""
    response = harness.http.get(harness.url + "/webhook", params=params)
    assert response.status_code == 403
    assert response.text != "1"


def _bad_deliveries(harness: Harness) -> Iterator[tuple[str, bytes, dict[str, str]]]:
    """Forged or damaged deliveries of one real-looking message, each with its headers."""
    payload = messages_payload(harness.sim, [text_message("wamid.FORGED1", body="Pix: 123")])
    body = meta_bytes(payload)
    good = signature(body)
    yield "garbage", body, {"X-Hub-Signature-256": "sha256=" + "0" * 64}
    yield "missing", body, {}
    yield "no-prefix", body, {"X-Hub-Signature-256": good.removeprefix("sha256=")}
    yield "sha1-prefix", body, {"X-Hub-Signature-256": "sha1=" + good.removeprefix("sha256=")}
    yield "wrong-key", body, {"X-Hub-Signature-256": signature(body, "some-other-app-secret")}
    tampered = body.replace(b"Pix: 123", b"Pix: 999")
    assert tampered != body
    yield "tampered", tampered, {"X-Hub-Signature-256": good}
    yield "empty", body, {"X-Hub-Signature-256": ""}


def test_signatures_good_accepted_bad_refused_and_nothing_stored(harness: Harness) -> None:
    """Every forged delivery gets 401 and leaves no trace; the genuine one arrives."""
    token, _ = harness.enroll()
    head_before = harness.head()

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            for name, raw, headers in _bad_deliveries(harness):
                response = harness.http.post(
                    harness.url + "/webhook",
                    content=raw,
                    headers={"Content-Type": "application/json", **headers},
                )
                assert response.status_code == 401, name
                assert response.json()["error"]["name"] == "bad_signature"
            assert harness.head() == head_before
            # The first thing the stream sees after the forgeries is the genuine one.
            genuine = messages_payload(harness.sim, [text_message("wamid.GENUINE1")])
            assert harness.post_payload(genuine).status_code == 200
            frames = await events_until(ws, lambda ev: True)
            assert [f["event"]["data"]["id"] for f in frames] == ["wamid.GENUINE1"]

    run(body())
    assert harness.head() == head_before + 1


def test_non_ascii_body_is_verified_over_the_exact_escaped_bytes(harness: Harness) -> None:
    """Meta signs ``\\u00e7``-escaped JSON; accented Portuguese must verify and arrive intact.

    The same JSON re-serialised as raw UTF-8 is different bytes, so the original
    signature must not match it.
    """
    token, _ = harness.enroll()
    text = "Olá, ainda está disponível? Ação até sábado 😊"
    payload = messages_payload(harness.sim, [text_message("wamid.ACCENT1", body=text)])
    escaped = meta_bytes(payload)
    assert b"\\u00e7" in escaped and "ç".encode() not in escaped
    original_sig = signature(escaped)
    reserialised = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    assert reserialised != escaped

    head_before = harness.head()
    refused = harness.post_webhook(reserialised, original_sig)
    assert refused.status_code == 401
    assert harness.head() == head_before

    accepted = harness.post_webhook(escaped, original_sig)
    assert accepted.status_code == 200

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, events, _ = await read_backlog(ws)
            assert [f["event"]["data"]["text"]["body"] for f in events] == [text]

    run(body())


def test_body_over_the_cap_is_refused_with_413(harness: Harness) -> None:
    """A huge body is refused before it is stored, signed or not, declared or chunked."""
    head_before = harness.head()
    padding = "x" * MAX_WEBHOOK_BYTES
    payload = messages_payload(harness.sim, [text_message("wamid.HUGE1", body=padding)])
    raw = meta_bytes(payload)
    assert len(raw) > MAX_WEBHOOK_BYTES
    response = harness.post_webhook(raw)
    assert response.status_code == 413

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(raw), 64 * 1024):
            yield raw[start : start + 64 * 1024]

    chunked = harness.http.post(
        harness.url + "/webhook",
        content=chunks(),
        headers={"X-Hub-Signature-256": signature(raw), "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    assert harness.head() == head_before

    # A batch as big as Meta sends (up to 3 MB) is a normal delivery, as is one just under
    # the cap.
    batch = messages_payload(
        harness.sim,
        [text_message(f"wamid.BATCH{i}", body="y" * 3000) for i in range(1000)],
    )
    assert 3_000_000 <= len(meta_bytes(batch)) <= MAX_WEBHOOK_BYTES
    assert harness.post_payload(batch).status_code == 200
    assert harness.head() == head_before + 1000
    small = messages_payload(
        harness.sim, [text_message("wamid.BIG1", body="y" * (MAX_WEBHOOK_BYTES - 2000))]
    )
    assert len(meta_bytes(small)) <= MAX_WEBHOOK_BYTES
    assert harness.post_payload(small).status_code == 200
    assert harness.head() == head_before + 1001


@sqlite_only
def test_metrics_count_accepted_and_rejected_webhooks_by_reason(harness: Harness) -> None:
    """The admin's dashboard must tell forged traffic from oversized and from good."""
    from prometheus_client.parser import text_string_to_metric_families

    body = meta_bytes(messages_payload(harness.sim, [text_message("wamid.M1")]))
    assert harness.post_webhook(body).status_code == 200
    assert harness.post_webhook(body).status_code == 200  # a retry is still accepted
    assert harness.post_webhook(body, "sha256=" + "1" * 64).status_code == 401
    assert harness.post_webhook(body, signed=False).status_code == 401
    huge = b"{" + b" " * (MAX_WEBHOOK_BYTES + 10) + b"}"
    assert harness.post_webhook(huge).status_code == 413
    assert harness.http.get(harness.url + "/webhook", params={"hub.mode": "x"}).status_code == 403

    counts: dict[tuple[str, str], float] = {}
    for family in text_string_to_metric_families(harness.metrics()):
        if family.name == "relay_webhooks":
            for sample in family.samples:
                if sample.name == "relay_webhooks_total":
                    counts[(sample.labels["result"], sample.labels["reason"])] = sample.value
    assert counts[("accepted", "")] == 2
    assert counts[("rejected", "signature_bad")] == 1
    assert counts[("rejected", "signature_missing")] == 1
    assert counts[("rejected", "too_large")] == 1
    assert counts[("rejected", "verification")] == 1


def _hang_up_mid_body(harness: Harness) -> None:
    """A sender that promises 1,000 bytes, sends ten and closes: nothing can be answered."""
    host, port = harness.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n" + b'{"entry": '
        )


@sqlite_only
def test_request_log_records_the_status_actually_sent(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """The admin's log must not say 200 for a webhook that got something else.

    An item without an id nested 300 deep used to raise inside the handler:
    the sender got uvicorn's 500 while the request line said 200. A sender that
    hangs up mid-body gets nothing, and the line says so (499), not 200.
    """
    caplog.set_level(logging.INFO, logger="relay.request")
    deep: Any = "fundo"
    for _ in range(300):
        deep = [deep]
    anonymous = {k: v for k, v in text_message("wamid.X").items() if k != "id"}
    poisoned = meta_bytes(messages_payload(harness.sim, [{**anonymous, "text": deep}]))
    good = meta_bytes(messages_payload(harness.sim, [text_message("wamid.LOG1")]))
    sent = [
        harness.post_webhook(good).status_code,
        harness.post_webhook(good, "sha256=" + "1" * 64).status_code,
        harness.post_webhook(b"{" + b" " * (MAX_WEBHOOK_BYTES + 10) + b"}").status_code,
        harness.post_webhook(poisoned).status_code,
    ]
    assert sent == [200, 401, 413, 200]
    _hang_up_mid_body(harness)

    def logged() -> list[int]:
        return [
            r.__dict__["fields"]["status"]
            for r in list(caplog.records)
            if r.name == "relay.request" and r.__dict__.get("fields", {}).get("path") == "/webhook"
        ]

    wait_until(lambda: len(logged()) == len(sent) + 1, timeout=10)
    assert sorted(logged()) == sorted([*sent, 499])


def test_signed_status_only_delivery_is_stored(harness: Harness) -> None:
    """A minimal signed delivery (one status) is answered 200 only once it is readable."""
    payload = p.envelope(
        harness.sim.waba_id,
        harness.sim.phone_number_id,
        harness.sim.display_phone_number,
        {"statuses": [p.status("wamid.S1", "sent", "5511987654321", timestamp=1_700_000_000)]},
    )
    head_before = harness.head()
    assert harness.post_payload(payload).status_code == 200
    # Durable before answered: the head already moved when the 200 arrived.
    assert harness.head() == head_before + 1
    token, _ = harness.enroll()

    async def body() -> None:
        async with harness.stream(token) as ws:
            _, events, _ = await read_backlog(ws)
            assert [f["event"]["kind"] for f in events] == ["status"]
            assert events[0]["event"]["data"]["id"] == "wamid.S1"

    run(body())
