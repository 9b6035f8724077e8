"""What this desktop writes on its own: read marks, drafts, the cursor, chats it starts.

None of these come from the stream; each is a small write on the history's
writer, safe to call from a worker thread.
"""

from __future__ import annotations

import time

from crm_whatsapp.store.keys import conversation_range
from crm_whatsapp.store.phones import phone_key
from crm_whatsapp.store.schema import MESSAGE_TABLES
from crm_whatsapp.store.writer import Writer


def mark_read(writer: Writer, conversation_id: int) -> str | None:
    """Zero the badge and name the newest customer message it covered.

    Both happen under the writer's lock, so a message stored a moment later
    is neither zeroed nor named: the read receipt built from the answer
    never gives blue ticks for a message nobody had on screen.
    """
    low, high = conversation_range(conversation_id)
    with writer.lock:
        writer.execute("UPDATE conversations SET unread = 0 WHERE id = ?", (conversation_id,))
        newest: tuple[int, str] | None = None
        for table in MESSAGE_TABLES:
            row = writer.execute(
                f"SELECT id, wamid FROM {table} WHERE id BETWEEN ? AND ? "
                "AND direction = 'in' AND wamid IS NOT NULL ORDER BY id DESC LIMIT 1",
                (low, high),
            ).fetchone()
            if row is not None and (newest is None or row[0] > newest[0]):
                newest = (int(row[0]), str(row[1]))
    return newest[1] if newest else None


def save_draft(writer: Writer, conversation_id: int, text: str) -> None:
    """Keep what the attendant was typing (encrypted like everything else); blank removes it."""
    with writer.lock:
        if text.strip():
            writer.execute(
                "INSERT INTO drafts (conversation_id, text, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (conversation_id, text, time.time()),
            )
        else:
            writer.execute("DELETE FROM drafts WHERE conversation_id = ?", (conversation_id,))


def reset_cursor(writer: Writer, value: int) -> None:
    """Move the sync cursor (the relay no longer holds what came after it)."""
    with writer.transaction():
        writer.set_cursor(value)


def start_conversation(writer: Writer, wa_id: str, now: float | None = None) -> int | None:
    """The conversation to open for a number (click-to-chat), made when the number never wrote.

    A known customer (ninth digit or not) gets their most recent
    conversation. A new one is made on the business number the office used
    last, so it shows at the top of the list; None when no business number
    is known yet (nothing ever arrived), since every send names one.
    """
    now = time.time() if now is None else now
    with writer.transaction() as w:
        existing = w.one(
            "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id "
            "WHERE k.phone_key = ? ORDER BY c.last_message_at DESC LIMIT 1",
            (phone_key(wa_id),),
        )
        if existing is not None:
            return int(existing)
        business = w.one(
            "SELECT phone_number_id FROM conversations ORDER BY last_message_at DESC LIMIT 1"
        )
        if business is None:
            return None
        conversation_id = w.conversation(str(business), w.contact(wa_id, None, None, now))
        w.execute(
            "UPDATE conversations SET last_message_at = coalesce(last_message_at, ?) WHERE id = ?",
            (now, conversation_id),
        )
        return conversation_id
