"""The desktop engine against the real relay and the Meta simulator on loopback.

A customer writes, the desktop syncs it into the encrypted history; the
attendant answers through the outbox, the relay sends once, and Meta's
statuses move the message's ticks forward only.
"""

from __future__ import annotations

import asyncio
import os
import time

import httpx
import pytest
from conftest import Stack
from waiting import wait_until

from crm_whatsapp.sync.client import DeviceRejected, SyncClient, SyncListeners
from crm_whatsapp.sync.outbox import Outbox
from relay.devices import revoke

SECRET, TOKEN = "desk-app-secret", "desk-access-token"
ANA = "5511987654321"


def test_customer_message_lands_in_history_once(stack: Stack) -> None:
    wamid = stack.say(ANA, text="Olá, o apartamento ainda está disponível?")
    stack.say(ANA, "image")
    assert stack.sync() == 2
    conversations = stack.history.conversations()
    assert len(conversations) == 1 and conversations[0]["unread"] == 2
    thread = stack.history.messages(conversations[0]["id"])
    assert [m["type"] for m in thread] == ["text", "image"]
    assert thread[0]["wamid"] == wamid
    assert stack.history.window(conversations[0]["id"]).open
    # A second sync (a reconnect) replays nothing and duplicates nothing.
    assert stack.sync() == 0
    stack.history.reset_cursor(0)
    assert stack.sync() == 2
    assert len(stack.history.messages(conversations[0]["id"])) == 2


def test_reply_is_sent_once_and_ticks_only_move_forward(stack: Stack) -> None:
    stack.say(ANA, text="Bom dia!")
    stack.sync()
    conversation = stack.history.conversations()[0]["id"]
    outbox = Outbox(stack.history, stack.url, stack.token)
    message_id = outbox.send_text(conversation, "Bom dia, Ana! Sim, está disponível.")
    pending = next(m for m in stack.history.messages(conversation) if m["id"] == message_id)
    assert pending["status"] == "pending"
    assert asyncio.run(outbox.drain(timeout=20)) == 0
    # Statuses come out of order and twice (chaos); the message ends read, never back.
    wait_until(
        lambda: (
            stack.sync() >= 0
            and next(m for m in stack.history.messages(conversation) if m["id"] == message_id)[
                "status"
            ]
            == "read"
        )
    )
    sent = [a for a in stack.sim.accepted if a["to"] == ANA]
    assert len(sent) == 1
    mine = [m for m in stack.history.messages(conversation) if m["direction"] == "out"]
    assert len(mine) == 1  # the relay's outbound event matched our own row by client_id


def test_restart_mid_send_sends_once(stack: Stack) -> None:
    stack.say(ANA, text="Oi")
    stack.sync()
    conversation = stack.history.conversations()[0]["id"]
    outbox = Outbox(stack.history, stack.url, stack.token)
    outbox.send_text(conversation, "Resposta")
    # First attempt reaches the relay, but the app "crashes" before recording it.
    client_id, pnid, request, _ = outbox.rows.due(time.time())[0]
    response = httpx.post(
        stack.url + "/v1/messages",
        headers={"Authorization": f"Bearer {stack.token}"},
        json={**request, "phone_number_id": pnid, "client_id": client_id},
    )
    assert response.status_code == 200
    # After the restart the outbox still has it queued and sends it again…
    assert asyncio.run(Outbox(stack.history, stack.url, stack.token).drain(timeout=20)) == 0
    # …but the customer got exactly one message.
    assert len([a for a in stack.sim.accepted if a["to"] == ANA]) == 1


def test_free_text_outside_the_window_fails_with_meta_reason(stack: Stack) -> None:
    stack.say(ANA, text="Oi", timestamp=time.time() - 30 * 3600)
    stack.sync()
    conversation = stack.history.conversations()[0]["id"]
    assert not stack.history.window(conversation).open
    outbox = Outbox(stack.history, stack.url, stack.token)
    message_id = outbox.send_text(conversation, "Ainda tem interesse?")
    asyncio.run(outbox.drain(timeout=20))

    def failed() -> bool:
        stack.sync()
        row = next(m for m in stack.history.messages(conversation) if m["id"] == message_id)
        return row["status"] == "failed" and row["error_code"] == 131047

    wait_until(failed)


def test_ninth_digit_variants_are_one_conversation(stack: Stack) -> None:
    stack.say("5511987654321", text="com nove")
    stack.say("551187654321", text="sem nove")
    stack.sync()
    assert len(stack.history.conversations()) == 1
    assert stack.history.contact_by_phone("+55 (11) 98765-4321") is not None


def test_revoked_device_gets_a_clear_error(stack: Stack) -> None:
    revoke(stack.relay.server.config.app.relay.engine, stack.device_id)
    client = SyncClient(stack.url, stack.token, stack.history, SyncListeners())
    with pytest.raises(DeviceRejected) as caught:
        asyncio.run(client.run_until_idle(timeout=10))
    assert "revogado" in str(caught.value)


def test_media_is_fetched_through_the_relay_and_sealed_on_disk(stack: Stack) -> None:
    from crm_whatsapp.sync.media import MediaCache

    stack.say(ANA, "image")
    stack.sync()
    conversation = stack.history.conversations()[0]["id"]
    image = stack.history.messages(conversation)[0]
    original = stack.sim.media[image["media_id"]].data
    cache = MediaCache(stack.home / "media", os.urandom(32), stack.url, stack.token)
    path = asyncio.run(cache.fetch(image["id"], image["media_id"]))
    assert cache.read(image["id"]) == original
    assert b"PNG" not in path.read_bytes()  # sealed, not a PNG on disk
    # Bound to its message: the same file under another message's name does not open.
    from crm_whatsapp.security.files import SealedFileError

    path.replace(cache.path(image["id"] + 1))
    with pytest.raises(SealedFileError):
        cache.read(image["id"] + 1)


def test_photo_is_uploaded_first_then_sent_once(stack: Stack) -> None:
    from crm_whatsapp.sync.media import MediaCache
    from relay.simulator.customers import png_bytes

    stack.say(ANA, text="Pode mandar a foto do imóvel?")
    stack.sync()
    conversation = stack.history.conversations()[0]["id"]
    cache = MediaCache(stack.home / "media", os.urandom(32), stack.url, stack.token)
    outbox = Outbox(stack.history, stack.url, stack.token, media=cache)
    photo = png_bytes(seed=42)
    message_id = outbox.send_media(conversation, photo, "image/png", "sala.png", "A sala")
    assert b"PNG" not in cache.path(message_id).read_bytes()  # queued sealed, offline-safe
    assert asyncio.run(outbox.drain(timeout=20)) == 0
    sent = [a for a in stack.sim.accepted if a["to"] == ANA]
    assert len(sent) == 1 and sent[0]["body"]["type"] == "image"
    assert sent[0]["body"]["image"]["caption"] == "A sala"
    assert stack.sim.media[sent[0]["body"]["image"]["id"]].data == photo
