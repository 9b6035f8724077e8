"""Meta retries deliveries for days and repeats statuses: the inbox must show each once."""

from __future__ import annotations

import time

from relay_support import (
    Harness,
    envelope,
    events_until,
    messages_payload,
    meta_bytes,
    read_backlog,
    run,
    text_message,
)

from relay.simulator import payloads as p

ANA = "5511987654321"


def test_retries_and_repeats_collapse_to_one_event_each(harness: Harness) -> None:
    """Identical retries, repeated statuses and a known wamid in a new body: one event each."""
    sim = harness.sim
    token, _ = harness.enroll()
    ts = int(time.time())
    message = text_message("wamid.DUP1", body="Quero agendar")
    delivery = meta_bytes(messages_payload(sim, [message]))
    sent = p.status("wamid.OUT1", "sent", ANA, timestamp=ts)
    delivered = p.status("wamid.OUT1", "delivered", ANA, timestamp=ts + 1)
    read = p.status("wamid.OUT1", "read", ANA, timestamp=ts + 2)

    async def body() -> None:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            posts = [
                delivery,
                delivery,  # Meta's retry of the same delivery
                meta_bytes(envelope({"statuses": [sent]}, sim)),
                meta_bytes(envelope({"statuses": [sent]}, sim)),  # status repeated
                meta_bytes(envelope({"statuses": [delivered, sent]}, sim)),  # inside a batch
                # the same message id inside a different body (other profile, extra item)
                meta_bytes(
                    envelope(
                        {
                            "contacts": [p.contact("Ana S.", ANA)],
                            "messages": [message, text_message("wamid.DUP2")],
                        },
                        sim,
                    )
                ),
                delivery,
                meta_bytes(envelope({"statuses": [read]}, sim)),  # later read: new
                meta_bytes(envelope({"statuses": [read, read]}, sim)),  # twice in one batch
            ]
            for raw in posts:
                assert harness.post_webhook(raw).status_code == 200
            sentinel = text_message("wamid.SENTINEL")
            assert harness.post_payload(messages_payload(sim, [sentinel])).status_code == 200
            frames = await events_until(ws, lambda ev: ev["data"].get("id") == "wamid.SENTINEL")
        seen = [
            (f["event"]["kind"], f["event"]["data"]["id"], f["event"]["data"].get("status"))
            for f in frames
        ]
        assert seen == [
            ("message", "wamid.DUP1", None),
            ("status", "wamid.OUT1", "sent"),
            ("status", "wamid.OUT1", "delivered"),
            ("message", "wamid.DUP2", None),
            ("status", "wamid.OUT1", "read"),
            ("message", "wamid.SENTINEL", None),
        ]
        # The first body wins: the retry with another profile does not rewrite history.
        assert frames[0]["event"]["contacts"][0]["profile"]["name"] == "Ana Souza"

    run(body())
    metrics = harness.metrics()
    assert "relay_events_duplicate_total" in metrics


def test_duplicate_delivery_does_not_move_the_head(harness: Harness) -> None:
    """A retry is answered 200 (so Meta stops) without growing the log."""
    raw = meta_bytes(messages_payload(harness.sim, [text_message("wamid.ONCE")]))
    assert harness.post_webhook(raw).status_code == 200
    head = harness.head()
    for _ in range(3):
        assert harness.post_webhook(raw).status_code == 200
    assert harness.head() == head
