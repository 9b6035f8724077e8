"""Team work in the history: assignment, status, labels, private notes, quick replies.

These arrive as the relay's ``team`` events, so every desktop ends in the
same state in stream order. The desktop that makes a change also applies it
at once (the attendant sees it without waiting for the echo); the echo then
changes nothing, because every change is idempotent and a note carries its
event id as ``client_id``.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm_whatsapp.store.history import ApplyResult, History

STATUSES = ("open", "pending", "resolved")


def conversation_ref(history: History, conversation_id: int) -> dict[str, str]:
    """How other desktops find a conversation: business number plus customer id."""
    rows = history.read(
        "SELECT c.phone_number_id, k.wa_id, k.user_id FROM conversations c "
        "JOIN contacts k ON k.id = c.contact_id WHERE c.id = ?",
        (conversation_id,),
    )
    if not rows:
        raise LookupError("no such conversation")
    phone_number_id, wa_id, user_id = rows[0]
    ref = {"phone_number_id": phone_number_id}
    if wa_id:
        ref["wa_id"] = wa_id
    else:
        ref["user_id"] = user_id
    return ref


def apply_team(history: History, event: dict[str, Any], result: ApplyResult) -> None:
    """Apply one team event inside the caller's write transaction."""
    data = event.get("data") or {}
    action = data.get("action")
    db = history._db
    now = float(event.get("at") or time.time())
    if action == "quick_reply":
        shortcut = str(data.get("shortcut") or "")
        if not shortcut:
            return
        if data.get("text") is None:
            db.execute("DELETE FROM quick_replies WHERE shortcut = ?", (shortcut,))
        else:
            db.execute(
                "INSERT INTO quick_replies (shortcut, text, updated_at, author) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (shortcut) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at, author = excluded.author "
                "WHERE excluded.updated_at >= quick_replies.updated_at",
                (shortcut, str(data["text"]), now, event.get("device_name")),
            )
        result.quick_replies = True
        return
    ref = data.get("conversation") or {}
    wa_id, user_id = str(ref.get("wa_id") or ""), ref.get("user_id")
    if not (wa_id or user_id):
        return
    contact_id = history._contact(wa_id, user_id, None, now)
    conversation_id = history._conversation(str(ref.get("phone_number_id") or ""), contact_id)
    if action == "assign":
        db.execute(
            "UPDATE conversations SET assignee = ? WHERE id = ?",
            (data.get("assignee"), conversation_id),
        )
    elif action == "status" and data.get("status") in STATUSES:
        db.execute(
            "UPDATE conversations SET status = ? WHERE id = ?", (data["status"], conversation_id)
        )
    elif action == "labels":
        labels = sorted({str(x) for x in data.get("labels") or []})
        db.execute(
            "UPDATE conversations SET labels = ? WHERE id = ?",
            (json.dumps(labels, ensure_ascii=False), conversation_id),
        )
    elif action == "note":
        text = str(data.get("text") or "")
        client_id = f"team:{event.get('device_id')}:{event.get('id')}"
        if history._message_row("1", "client_id = ?", (client_id,)):
            return
        message_id, seq = history._new_message_key(conversation_id, now)
        db.execute(
            "INSERT INTO messages (id, seq, conversation_id, client_id, direction, type, "
            "timestamp, text, payload, author) VALUES (?, ?, ?, ?, 'note', 'note', ?, ?, ?, ?)",
            (
                message_id,
                seq,
                conversation_id,
                client_id,
                now,
                text,
                json.dumps(data, ensure_ascii=False),
                event.get("device_name"),
            ),
        )
        db.execute("INSERT INTO messages_fts (rowid, body) VALUES (?, ?)", (seq, text))
        result.added.append(message_id)
    else:
        return
    result.conversations.add(conversation_id)


def quick_replies(history: History) -> list[tuple[str, str]]:
    return [
        (r[0], r[1]) for r in history.read("SELECT shortcut, text FROM quick_replies ORDER BY 1")
    ]
