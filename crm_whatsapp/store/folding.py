"""Folding: moving new messages from ``messages_recent`` into the clustered table.

Messages from the stream land in ``messages_recent`` keyed by arrival, so
a batch appends to the last pages instead of writing into one page per
conversation of the clustered ``messages`` table (schema V5). The folder
moves them across when the sync is idle, in small transactions so the
writer's lock is let go between them, and right after a batch once too
many wait, so a long replay keeps the unfolded table (and its indexes)
bounded. Ids and seqs never change, so the window, the search index and
the outbox never notice.
"""

from __future__ import annotations

import logging
import time

from crm_whatsapp.store.writer import Writer

log = logging.getLogger("crm_whatsapp.store")

FOLD_IDLE = 2.0  # seconds without an applied batch before the idle fold
FOLD_CHUNK = 2_000  # rows per fold transaction (~0.1-0.2 s of writer lock at 1M messages)
RECENT_CAP = 50_000  # rows waiting before a fold right after a batch
FOLD_COLUMNS = (
    "id, seq, conversation_id, wamid, client_id, direction, type, timestamp, text, payload, "
    "status, status_at, error_code, reply_to, media_id, author"
)


class Folder:
    """Keeps ``messages_recent`` small: folds while idle, and when too many rows wait."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer
        # Rows waiting in messages_recent (None: unknown, counted when needed).
        self._recent_rows: int | None = None
        self._last_apply = 0.0
        # Where the sweep over the waiting rows' keys stands.
        self._fold_from = -1
        writer.on_forget(self._forget)
        writer.when_idle(self.fold_while_idle)

    def _forget(self) -> None:
        self._recent_rows = None

    def added(self, rows: int = 1) -> None:
        """``rows`` more messages wait (the applier stored them in messages_recent)."""
        if self._recent_rows is not None:
            self._recent_rows += rows

    def batch_applied(self) -> None:
        """A batch was applied: postpone the idle fold, and fold now if too many rows wait."""
        self._last_apply = time.monotonic()
        while self.unfolded() > RECENT_CAP:
            self.fold()

    def fold_while_idle(self) -> None:
        """Fold chunk after chunk while the stream stays quiet (the lock is let go between)."""
        writer = self._writer
        while self._recent_rows != 0 and self._idle() and not writer.closing:
            try:
                if self.fold() == 0:
                    return
            except Exception as exc:  # logged by kind only: no message content in logs
                log.warning("folding new messages failed: %s", type(exc).__name__)
                return

    def _idle(self) -> bool:
        return time.monotonic() - self._last_apply >= FOLD_IDLE

    def fold(self, limit: int | None = None) -> int:
        """Move up to ``limit`` unfolded messages into the clustered table.

        The fold sweeps the waiting rows in key order, from where the last
        fold stopped, wrapping at the end. Keys group a conversation's
        messages, so the rows one fold takes sit on few pages of the
        clustered table (its tail pages, for new messages), and each of them
        is decrypted and re-encrypted once for several rows instead of once
        per row, as taking the oldest rows across every conversation did.
        Returns the rows moved (0: nothing waits).
        """
        limit = limit or FOLD_CHUNK
        writer = self._writer
        with writer.lock:
            with writer.transaction():
                start, upto = self._fold_range(limit)
                moved = 0
                if upto is not None:
                    writer.execute(
                        f"INSERT INTO messages ({FOLD_COLUMNS}) SELECT {FOLD_COLUMNS} "
                        "FROM messages_recent WHERE id > ? AND id <= ? ORDER BY id",
                        (start, upto),
                    )
                    moved = writer.execute(
                        "DELETE FROM messages_recent WHERE id > ? AND id <= ?", (start, upto)
                    ).rowcount
            if upto is None:
                self._recent_rows = 0
            else:
                self._fold_from = upto
                if self._recent_rows is not None:
                    self._recent_rows = max(0, self._recent_rows - moved)
            return moved

    def _fold_range(self, limit: int) -> tuple[int, int | None]:
        """The key range ``(start, upto]`` of the next fold (``upto`` None: nothing waits)."""
        writer = self._writer
        start = self._fold_from
        while True:
            upto = writer.one(
                "SELECT id FROM messages_recent WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?",
                (start, limit - 1),
            )
            if upto is None:  # fewer than ``limit`` left before the end: take them all
                upto = writer.one("SELECT max(id) FROM messages_recent WHERE id > ?", (start,))
            if upto is not None or start < 0:
                return start, upto
            start = -1  # the sweep reached the end: start again from the lowest key

    def fold_all(self) -> int:
        """Fold every waiting message now (retention, benchmarks); returns the rows moved."""
        total = 0
        while moved := self.fold():
            total += moved
        return total

    def unfolded(self) -> int:
        """How many applied messages still wait in messages_recent."""
        with self._writer.lock:
            if self._recent_rows is None:
                self._recent_rows = int(self._writer.one("SELECT count(*) FROM messages_recent"))
            return self._recent_rows
