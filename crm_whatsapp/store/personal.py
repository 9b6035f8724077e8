"""What one attendant keeps for themself: pinned conversations and "mark as unread".

Never sent to the relay (WhatsApp keeps both per phone, too): small writes
on the history's writer, safe from a worker thread.
"""

from __future__ import annotations

import time

from crm_whatsapp.store.writer import Writer

MAX_PINNED = 3  # as WhatsApp


class TooManyPinned(Exception):
    """Pinning one more would pass :data:`MAX_PINNED`."""


def pin(writer: Writer, conversation_id: int, pinned: bool, now: float | None = None) -> None:
    """Pin (first in the list) or unpin; :class:`TooManyPinned` past the limit."""
    with writer.transaction() as w:
        if not pinned:
            w.execute("UPDATE conversations SET pinned_at = NULL WHERE id = ?", (conversation_id,))
            return
        already = w.one("SELECT pinned_at FROM conversations WHERE id = ?", (conversation_id,))
        if already is not None:
            return
        if int(w.one("SELECT count(*) FROM conversations WHERE pinned_at IS NOT NULL")) >= (
            MAX_PINNED
        ):
            raise TooManyPinned
        w.execute(
            "UPDATE conversations SET pinned_at = ? WHERE id = ?",
            (time.time() if now is None else now, conversation_id),
        )


def mark_unread(writer: Writer, conversation_id: int, unread: bool = True) -> None:
    """Show the unread dot again (True), or clear it once the attendant opened it."""
    with writer.transaction() as w:
        w.execute(
            "UPDATE conversations SET marked_unread = ? WHERE id = ?",
            (1 if unread else 0, conversation_id),
        )
