"""Retention: deleting history older than N months, leaving nothing recoverable.

An office may promise its customers (LGPD) that conversations are kept only
for a while. Pruning removes, for every message older than the cutoff, its
row, its search-index entries, its status history and reactions, and the
outbox rows that carried it (their request holds the text); the list
columns of each conversation (time, preview, 24-hour window, unread) are
recomputed from what remains, so the inbox never shows a preview of a
message that no longer exists. ``secure_delete`` (always on) zeroes freed
content; the full-text index is then merged so deleted terms leave its old
segments, and the WAL is truncated so no old page image lingers beside the
file. Messages still waiting in the outbox are never pruned: they have not
been sent yet.

Work goes in chunks of conversations, each its own transaction, so the
writer lock is released between chunks and the inbox keeps syncing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass, field

from crm_whatsapp.store.content import preview_of
from crm_whatsapp.store.folding import Folder
from crm_whatsapp.store.keys import conversation_range, second_base
from crm_whatsapp.store.writer import Writer

CONVERSATIONS_PER_TRANSACTION = 200
MAX_MONTHS = 1200  # a hundred years: anything larger is a typo, not a policy


@dataclass
class PruneResult:
    """What a prune removed; ``message_ids`` lets the caller drop cached media files."""

    cutoff: float
    messages: int = 0
    conversations: set[int] = field(default_factory=set)
    message_ids: list[int] = field(default_factory=list)


def months_before(months: int, now: float | None = None) -> float:
    """The instant ``months`` calendar months before ``now`` (local time, day clamped).

    "Older than 3 months" on 31 May means before 28 (or 29) February, the
    way a person reads a calendar, not 90 days.
    """
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError("months must be between 1 and 1200")
    moment = dt.datetime.fromtimestamp(time.time() if now is None else now)
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day).timestamp()


def prune_before(writer: Writer, folder: Folder, cutoff: float) -> PruneResult:
    """Delete every message with a timestamp before ``cutoff`` and all that refers to it."""
    result = PruneResult(cutoff=cutoff)
    with writer.lock:
        conversation_ids = [
            int(r[0]) for r in writer.execute("SELECT id FROM conversations ORDER BY id")
        ]
    for start in range(0, len(conversation_ids), CONVERSATIONS_PER_TRANSACTION):
        chunk = conversation_ids[start : start + CONVERSATIONS_PER_TRANSACTION]
        with writer.lock:
            # Under the lock nothing new arrives: every message is in the
            # clustered table for the chunk's range deletes.
            folder.fold_all()
            with writer.transaction():
                waiting = {
                    int(r[0])
                    for r in writer.execute(
                        "SELECT message_id FROM outbox WHERE state NOT IN ('done', 'failed')"
                    )
                }
                for conversation_id in chunk:
                    _prune_conversation(writer, conversation_id, int(cutoff), waiting, result)
    with writer.lock:
        with writer.transaction():
            # Statuses and reactions are never older than their message: what
            # is older than the cutoff belonged to pruned (or never seen) ones.
            writer.execute("DELETE FROM status_history WHERE timestamp < ?", (cutoff,))
            writer.execute("DELETE FROM reactions WHERE timestamp < ?", (cutoff,))
            writer.execute(
                "DELETE FROM outbox WHERE state IN ('done', 'failed') AND created_at < ?",
                (cutoff,),
            )
        # The caches may name rows that are gone.
        writer.forget_caches()
        if result.messages:
            writer.compact()  # deleted terms and page images must not linger
        else:
            writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return result


def _prune_conversation(
    db: Writer, conversation_id: int, cutoff: int, waiting: set[int], result: PruneResult
) -> None:
    low, high = conversation_range(conversation_id)
    end = second_base(conversation_id, cutoff) - 1  # keys of seconds before the cutoff
    if end < low:
        return
    rows = [
        r
        for r in db.execute(
            "SELECT id, seq, wamid FROM messages WHERE id BETWEEN ? AND ?", (low, end)
        ).fetchall()
        if int(r[0]) not in waiting
    ]
    if not rows:
        return
    db.executemany("DELETE FROM messages_fts WHERE rowid = ?", [(r[1],) for r in rows])
    wamids = [(r[2],) for r in rows if r[2]]
    db.executemany("DELETE FROM status_history WHERE wamid = ?", wamids)
    db.executemany("DELETE FROM reactions WHERE wamid = ?", wamids)
    if any(low <= key <= end for key in waiting):
        db.executemany("DELETE FROM messages WHERE id = ?", [(r[0],) for r in rows])
    else:
        db.execute("DELETE FROM messages WHERE id BETWEEN ? AND ?", (low, end))
    result.messages += len(rows)
    result.message_ids += [int(r[0]) for r in rows]
    result.conversations.add(conversation_id)
    _recompute_list_columns(db, conversation_id, low, high)


def _recompute_list_columns(db: Writer, conversation_id: int, low: int, high: int) -> None:
    """Time, preview, window and unread from the messages that remain."""
    last = db.execute(
        "SELECT timestamp, type, text, direction FROM messages WHERE id BETWEEN ? AND ? "
        "AND direction != 'note' ORDER BY id DESC LIMIT 1",
        (low, high),
    ).fetchone()
    if last is None:
        db.execute(
            "UPDATE conversations SET last_message_at = NULL, last_preview = NULL, "
            "last_type = NULL, last_direction = NULL, last_inbound_at = NULL, unread = 0 "
            "WHERE id = ?",
            (conversation_id,),
        )
        return
    preview = preview_of(str(last[1]), str(last[3]), str(last[2] or ""))
    inbound = db.execute(
        "SELECT timestamp FROM messages WHERE id BETWEEN ? AND ? AND direction = 'in' "
        "ORDER BY id DESC LIMIT 1",
        (low, high),
    ).fetchone()
    remaining_inbound = db.execute(
        "SELECT count(*) FROM messages WHERE id BETWEEN ? AND ? AND direction = 'in'", (low, high)
    ).fetchone()[0]
    db.execute(
        "UPDATE conversations SET last_message_at = ?, last_type = ?, last_direction = ?, "
        "last_preview = ?, last_inbound_at = ?, unread = min(unread, ?) WHERE id = ?",
        (
            last[0],
            preview.type,
            preview.direction,
            preview.text,
            inbound[0] if inbound else None,
            remaining_inbound,
            conversation_id,
        ),
    )
