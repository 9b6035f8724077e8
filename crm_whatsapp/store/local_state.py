"""What this desktop writes on its own: read marks, drafts, the sync cursor's reset.

None of these come from the stream; each is a small write on the history's
writer, safe to call from a worker thread.
"""

from __future__ import annotations

import time

from crm_whatsapp.store.keys import conversation_range
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
