"""Team work in the history: assignment, status, labels, private notes, quick replies, palette.

These arrive as the relay's ``team`` events, so every desktop ends in the
same state in stream order. The desktop that makes a change also applies it
at once (the attendant sees it without waiting for the echo); the echo then
changes nothing, because every change is idempotent and a note carries its
event id as ``client_id``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from crm_whatsapp.store.activity import note_activity
from crm_whatsapp.store.audit import apply_audit, note_assignment
from crm_whatsapp.store.changes import ApplyResult
from crm_whatsapp.store.fields import as_dict, as_id, as_json, as_phone, as_text, as_timestamp
from crm_whatsapp.store.palette import apply_palette
from crm_whatsapp.store.writer import Writer

STATUSES = ("open", "pending", "resolved", "snoozed")
# Actions on a conversation (a quick reply belongs to the whole team).
ACTIONS = ("assign", "status", "labels", "note")


def apply_team(writer: Writer, event: dict[str, Any], result: ApplyResult) -> bool:
    """Apply one team event inside the caller's write transaction.

    Returns False, changing nothing, for an event missing what its action
    needs or of an action this version does not know (the caller keeps it).
    """
    data = as_dict(event.get("data"))
    action = data.get("action")
    now = as_timestamp(event.get("at")) or time.time()
    if action == "quick_reply":
        return _apply_quick_reply(writer, event, data, now, result)
    if action == "audit":
        return apply_audit(writer, event)
    if action == "palette":
        return apply_palette(writer, data, result)
    if action not in ACTIONS or not _well_formed(action, event, data):
        return False
    ref = as_dict(data.get("conversation"))
    wa_id, user_id = as_phone(ref.get("wa_id")) or "", as_id(ref.get("user_id"))
    if not (wa_id or user_id):
        return False
    contact_id = writer.contact(wa_id, user_id, None, now)
    conversation_id = writer.conversation(as_id(ref.get("phone_number_id")) or "", contact_id)
    writer.flush_conversation(conversation_id)  # after the messages before it in the stream
    if action in ("assign", "status", "labels"):
        # Before the change: the line says what it changed from.
        note_activity(writer, event, data, conversation_id, now, result)
    if action == "assign":
        note_assignment(writer, event, conversation_id, now)  # the audit trail's line
        writer.execute(
            "UPDATE conversations SET assignee = ? WHERE id = ?",
            (as_text(data.get("assignee")), conversation_id),
        )
    elif action == "status":
        snoozed = data["status"] == "snoozed"
        writer.execute(
            "UPDATE conversations SET status = ?, snoozed_until = ? WHERE id = ?",
            (data["status"], as_timestamp(data.get("until")) if snoozed else None, conversation_id),
        )
    elif action == "labels":
        labels = sorted({label for label in map(as_text, data["labels"]) if label})
        writer.execute(
            "UPDATE conversations SET labels = ? WHERE id = ?",
            (json.dumps(labels, ensure_ascii=False), conversation_id),
        )
    else:
        _apply_note(writer, event, data, conversation_id, now, result)
    result.conversations.add(conversation_id)
    return True


def _well_formed(action: str, event: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether a conversation action holds what it needs, of the type it needs.

    Checked before the conversation is looked up, so a rejected event
    creates no contact or conversation.
    """
    if action == "assign":
        return data.get("assignee") is None or isinstance(data.get("assignee"), str)
    if action == "status":
        if data.get("status") == "snoozed":
            return as_timestamp(data.get("until")) is not None
        return data.get("status") in STATUSES
    if action == "labels":
        return isinstance(data.get("labels"), list)
    return as_id(event.get("id")) is not None  # a note: its id keeps its echo from repeating it


def _apply_quick_reply(
    writer: Writer, event: dict[str, Any], data: dict[str, Any], now: float, result: ApplyResult
) -> bool:
    shortcut = as_id(data.get("shortcut"))
    text = data.get("text")
    if shortcut is None or not (text is None or isinstance(text, str)):
        return False
    if text is None:
        writer.execute("DELETE FROM quick_replies WHERE shortcut = ?", (shortcut,))
    else:
        writer.execute(
            "INSERT INTO quick_replies (shortcut, text, updated_at, author) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (shortcut) DO UPDATE SET text = excluded.text, "
            "updated_at = excluded.updated_at, author = excluded.author "
            "WHERE excluded.updated_at >= quick_replies.updated_at",
            (shortcut, as_text(text), now, as_text(event.get("device_name"))),
        )
    result.quick_replies = True
    return True


def _apply_note(
    writer: Writer,
    event: dict[str, Any],
    data: dict[str, Any],
    conversation_id: int,
    now: float,
    result: ApplyResult,
) -> None:
    """A private note, once: its event id is its ``client_id`` (the echo finds it)."""
    client_id = f"team:{as_id(event.get('device_id'))}:{as_id(event.get('id'))}"
    if writer.message_row("1", "client_id = ?", (client_id,)):
        return
    text = as_text(data.get("text")) or ""
    message_id, seq = writer.new_message_key(conversation_id, now)
    writer.insert_message(
        "messages",
        {
            "id": message_id,
            "seq": seq,
            "conversation_id": conversation_id,
            "client_id": client_id,
            "direction": "note",
            "type": "note",
            "timestamp": now,
            "text": text,
            "payload": as_json(data),
            "author": as_text(event.get("device_name")),
        },
    )
    result.added.append(message_id)
