"""The local history: applying relay events, and what the inbox asks of it.

Applying is idempotent and order-tolerant, because the relay delivers at
least once and Meta delivers statuses out of order: messages are unique by
wamid (and by our ``client_id`` for our own sends), statuses only move
forward, and a status that arrives before its message waits in the status
history until the message shows up. The cursor is stored in the same
transaction as the events it covers, so a crash at any instant neither loses
nor repeats an event.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from crm_whatsapp.store.fields import (
    as_dict,
    as_id,
    as_int,
    as_json,
    as_phone,
    as_text,
    as_timestamp,
    first_dict,
    kind_label,
)
from crm_whatsapp.store.keys import PER_SECOND, conversation_range, second_base
from crm_whatsapp.store.phones import phone_key
from crm_whatsapp.store.retention import PruneResult, months_before, prune_before
from crm_whatsapp.store.search import Query
from crm_whatsapp.store.team import apply_team

log = logging.getLogger("crm_whatsapp.store")

CHECKPOINT_EVERY = 1.0  # seconds
# Pages of WAL before the writer checkpoints itself, inside a commit. While a
# backlog replays without pause the background checkpoints cannot finish
# (frames keep coming), so this backstop is what limits the WAL; at 20,000
# pages it fired every dozen batches and each time stalled one commit for
# ~0.4 s (applying 10,000 events took 2.3 s instead of 1.8 s on a 1M-message
# profile). The WAL file shrinks back to WAL_KEEP once a checkpoint resets it.
WRITER_AUTOCHECKPOINT = 100_000  # ~400 MB of WAL at most, during long replays only
WAL_KEEP = 64 * 1024 * 1024  # bytes of WAL file kept after a reset
# The single writer's page cache, in KiB. Each new message lands on its
# conversation's last page, and a busy office writes to thousands of
# conversations: at 10,000 conversations those last pages (~40 MB) plus the
# indexes do not fit the readers' 32 MB, so the writer kept decrypting pages
# it had just encrypted. 128 MB holds them (applying 10k events ~15% faster
# at 1M messages); it is filled only as pages are used and costs at most
# ~100 MB more RSS than 32 MB (the window measured 234 MB; the bound is 400).
WRITER_CACHE_KIB = 128_000

# Folding the stream's new messages into the clustered table (see schema V5):
# when no batch was applied for FOLD_IDLE seconds, in transactions of
# FOLD_CHUNK rows; and right after a batch once RECENT_CAP rows wait, so a
# long replay keeps the unfolded table (and its indexes) bounded.
FOLD_IDLE = 2.0  # seconds
FOLD_CHUNK = 2_000  # rows per fold transaction (~0.1-0.2 s of writer lock at 1M messages)
RECENT_CAP = 50_000  # rows
# Where a message can be: unfolded first (the likelier place for a new one).
MESSAGE_TABLES = ("messages_recent", "messages")
FOLD_COLUMNS = (
    "id, seq, conversation_id, wamid, client_id, direction, type, timestamp, text, payload, "
    "status, status_at, error_code, reply_to, media_id, author"
)

# Batches at least this large (a backlog replay) fill the contact and
# conversation caches at once (see History._preload).
PRELOAD_BATCH = 100

WINDOW_SECONDS = 24 * 3600.0
STATUS_RANK = {"pending": 0, "accepted": 1, "sent": 2, "delivered": 3, "read": 4}
MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
# The kinds the store files itself; a log names any other kind "other" (a
# field-named kind comes from the webhook, and logs quote nothing received).
KNOWN_KINDS = ("message", "outbound", "status", "read", "team")


MESSAGE_KEYS = (
    "id",
    "wamid",
    "client_id",
    "direction",
    "type",
    "timestamp",
    "text",
    "status",
    "error_code",
    "reply_to",
    "media_id",
    "author",
    "payload",
)
MESSAGE_COLUMNS = ", ".join(MESSAGE_KEYS)


@dataclass
class ApplyResult:
    """What one batch changed, for the UI's models to refresh precisely."""

    applied: int = 0
    cursor: int = 0
    conversations: set[int] = field(default_factory=set)
    added: list[int] = field(default_factory=list)  # message ids
    updated: list[int] = field(default_factory=list)  # message ids whose status changed
    quick_replies: bool = False  # the team's quick replies changed


@dataclass(frozen=True)
class Window:
    """The 24-hour customer service window of one conversation."""

    open: bool
    expires_at: float | None


def message_text(msg_type: str, item: dict[str, Any]) -> str:
    """The searchable, displayable text of a Meta message item (only its string fields)."""
    body = item.get(msg_type)
    if isinstance(body, list) and msg_type == "contacts":
        names = [as_text(as_dict(as_dict(c).get("name")).get("formatted_name")) for c in body]
        return " ".join(n for n in names if n)
    if not isinstance(body, dict):
        return ""
    if msg_type == "text":
        return as_text(body.get("body")) or ""
    if msg_type in MEDIA_TYPES:
        return _words(body, ("caption", "filename"))
    if msg_type == "location":
        return _words(body, ("name", "address"))
    if msg_type == "interactive":
        for key in ("button_reply", "list_reply", "nfm_reply"):
            if body.get(key):
                return _words(as_dict(body[key]), ("title", "description", "body"))
        return ""
    if msg_type == "button":
        return as_text(body.get("text")) or ""
    if msg_type in ("order", "system"):
        return as_text(body.get("text")) or as_text(body.get("body")) or ""
    if msg_type == "template":
        return as_text(body.get("name")) or ""
    return ""


def _words(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The string fields ``keys`` of ``item`` that are set, joined by spaces."""
    return " ".join(w for w in (as_text(item.get(k)) for k in keys) if w)


PREVIEW_LABELS = {
    "image": "📷 Foto",
    "audio": "🎤 Áudio",
    "video": "🎥 Vídeo",
    "document": "📄 Documento",
    "sticker": "Figurinha",
    "location": "📍 Localização",
    "contacts": "👤 Contato",
    "template": "Modelo",
    "request_welcome": "Novo contato",
}


def preview(msg_type: str, text: str) -> str:
    label = PREVIEW_LABELS.get(msg_type)
    if label and text:
        return f"{label}: {text}"[:200]
    return (text or label or "Mensagem")[:200]


class History:
    """The history of one profile, over an (encrypted) engine.

    Writes go through one dedicated connection (SQLite has one writer);
    reads use the engine's pool.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.RLock()
        self._fairy = engine.raw_connection()
        self._db: Any = self._fairy.driver_connection
        # The writer leaves checkpoints to a background thread (a backstop
        # remains if that thread falls far behind).
        self._db.execute(f"PRAGMA wal_autocheckpoint = {WRITER_AUTOCHECKPOINT}")
        self._db.execute(f"PRAGMA journal_size_limit = {WAL_KEEP}")
        self._db.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        self._closing = threading.Event()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_forever, name="history-checkpoint", daemon=True
        )
        self._checkpointer.start()
        # Caches valid inside this process (one writer): they spare a read and
        # a write per event when applying thousands of them.
        self._contact_ids: dict[str, int] = {}
        self._contact_state: dict[int, tuple[Any, Any, Any]] = {}
        self._conversation_ids: dict[tuple[str, int], int] = {}
        # Conversation list columns, folded per batch and written once each.
        self._touched: dict[int, list[Any]] = {}
        # Search index rows of the batch, written after its messages: FTS5
        # writes out its pending rows whenever a statement opens a savepoint,
        # which the thread-end triggers (schema V6) make every message insert
        # do, so indexing each message as it came wrote one tiny index
        # segment per message (applying 10,000 events took 4 s, not 1).
        self._search_rows: list[tuple[int, str]] = []
        # The writer numbers messages itself (see store.keys); the arrival
        # counter is read once per write transaction, inside its lock.
        self._next_seq: int | None = None
        # The highest message key each conversation has (or may have): a new
        # message later than all of them, the common case, takes the next
        # slot without a lookup. Too high is harmless (a rolled-back or
        # replayed key only makes the next message ask the table); too low
        # would collide, so it is dropped whenever another connection commits
        # (``PRAGMA data_version``, checked at each write transaction).
        self._tail_keys: dict[int, int] = {}
        self._data_version: int | None = None
        # Rows waiting in messages_recent (None: unknown, counted when needed)
        # and when the stream last wrote, for the idle fold.
        self._recent_rows: int | None = None
        self._last_apply = 0.0
        # Where the fold's sweep over the waiting rows' keys stands.
        self._fold_from = -1
        # Whether the contact and conversation caches hold every row (see _preload).
        self._preloaded = False

    def _begin_write(self) -> None:
        """``BEGIN IMMEDIATE`` on the writer, dropping caches another process made stale."""
        self._db.execute("BEGIN IMMEDIATE")
        self._next_seq = None
        version = int(self._one("PRAGMA data_version"))
        if version != self._data_version:
            if self._data_version is not None:
                self._forget_caches()
            self._data_version = version

    def _new_message_key(self, conversation_id: int, timestamp: float) -> tuple[int, int]:
        """A fresh (id, seq) for a message of ``conversation_id`` written at ``timestamp``."""
        if self._next_seq is None:
            self._next_seq = int(
                self._one(
                    "SELECT max((SELECT coalesce(max(seq), 0) FROM messages), "
                    "(SELECT coalesce(max(seq), 0) FROM messages_recent))"
                )
            )
        self._next_seq += 1
        base = second_base(conversation_id, timestamp)
        low, last_key = conversation_range(conversation_id)
        tail = self._tail_keys.get(conversation_id)
        if tail is None:  # the conversation row knows (schema V6), no descent to its last page
            stored = self._one(
                "SELECT last_key FROM conversations WHERE id = ?", (conversation_id,)
            )
            tail = stored if stored is not None and stored >= low else low - 1
        if tail < base:  # later than everything in the conversation: no lookup
            self._tail_keys[conversation_id] = base
            return base, self._next_seq
        if tail < min(base + PER_SECOND - 1, last_key):  # same second as the latest
            self._tail_keys[conversation_id] = tail + 1
            return tail + 1, self._next_seq
        key = self._free_key(base, last_key)
        self._tail_keys[conversation_id] = max(tail, key)
        return key, self._next_seq

    def _free_key(self, base: int, last_key: int) -> int:
        """The first unused key from ``base``'s second on (an older or crowded second)."""
        while True:
            top = min(base + PER_SECOND - 1, last_key)
            used = self._max_key(base, top)
            if used is None:
                return base
            if used < top:
                return int(used) + 1
            base = top + 1  # 512 messages in one second: borrow the next second's slots

    def _max_key(self, low: int, high: int) -> int | None:
        """The highest message key in ``[low, high]``, folded or not."""
        keys = [
            self._one(f"SELECT max(id) FROM {table} WHERE id BETWEEN ? AND ?", (low, high))
            for table in MESSAGE_TABLES
        ]
        found = [int(k) for k in keys if k is not None]
        return max(found) if found else None

    def _forget_caches(self) -> None:
        self._recent_rows = None
        self._contact_ids.clear()
        self._contact_state.clear()
        self._conversation_ids.clear()
        self._preloaded = False
        self._touched.clear()
        self._search_rows.clear()
        self._tail_keys.clear()
        self._next_seq = None

    def _checkpoint_forever(self) -> None:
        """Fold the WAL back into the file off the writer's path.

        SQLite checkpoints inside the commit that crosses the threshold, so
        the transaction applying a batch would also copy pages and fsync.
        A passive checkpoint never blocks the writer or the readers.
        """
        fairy = self.engine.raw_connection()
        try:
            while not self._closing.wait(CHECKPOINT_EVERY):
                self._fold_while_idle()
                fairy.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # a closed or broken file: the writer will report it
            log.warning("background checkpoint stopped")
        finally:
            fairy.close()

    def _idle(self) -> bool:
        return time.monotonic() - self._last_apply >= FOLD_IDLE

    def _fold_while_idle(self) -> None:
        """Fold chunk after chunk while the stream stays quiet (the lock is let go between)."""
        while self._recent_rows != 0 and self._idle() and not self._closing.is_set():
            try:
                if self.fold() == 0:
                    return
            except Exception as exc:  # logged by kind only: no message content in logs
                log.warning("folding new messages failed: %s", type(exc).__name__)
                return

    def fold(self, limit: int | None = None) -> int:
        """Move up to ``limit`` unfolded messages into the clustered table.

        The fold sweeps the waiting rows in key order, from where the last
        fold stopped, wrapping at the end. Keys group a conversation's
        messages, so the rows one fold takes sit on few pages of the
        clustered table (its tail pages, for new messages), and each of them
        is decrypted and re-encrypted once for several rows instead of once
        per row, as taking the oldest rows across every conversation did.
        Ids and seqs do not change, so the window, the search index and the
        outbox never notice. Returns the rows moved (0: nothing waits).
        """
        limit = limit or FOLD_CHUNK
        with self._lock:
            db = self._db
            self._begin_write()
            try:
                start, upto = self._fold_range(limit)
                moved = 0
                if upto is not None:
                    db.execute(
                        f"INSERT INTO messages ({FOLD_COLUMNS}) SELECT {FOLD_COLUMNS} "
                        "FROM messages_recent WHERE id > ? AND id <= ? ORDER BY id",
                        (start, upto),
                    )
                    moved = db.execute(
                        "DELETE FROM messages_recent WHERE id > ? AND id <= ?", (start, upto)
                    ).rowcount
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                self._forget_caches()
                raise
            if upto is None:
                self._recent_rows = 0
            else:
                self._fold_from = upto
                if self._recent_rows is not None:
                    self._recent_rows = max(0, self._recent_rows - moved)
            return moved

    def _fold_range(self, limit: int) -> tuple[int, int | None]:
        """The key range ``(start, upto]`` of the next fold (``upto`` None: nothing waits)."""
        start = self._fold_from
        while True:
            upto = self._one(
                "SELECT id FROM messages_recent WHERE id > ? ORDER BY id LIMIT 1 OFFSET ?",
                (start, limit - 1),
            )
            if upto is None:  # fewer than ``limit`` left before the end: take them all
                upto = self._one("SELECT max(id) FROM messages_recent WHERE id > ?", (start,))
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
        with self._lock:
            if self._recent_rows is None:
                self._recent_rows = int(self._one("SELECT count(*) FROM messages_recent"))
            return self._recent_rows

    def close(self) -> None:
        self._closing.set()
        self._checkpointer.join(timeout=10)
        # A write still running in a worker thread (a cancelled task's
        # to_thread call keeps going) finishes before its connection closes.
        with self._lock:
            self._fairy.close()
        self.engine.dispose()

    # -- small helpers -------------------------------------------------------------

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self._db.execute(sql, tuple(params)).fetchone()
        return row[0] if row else None

    def read(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.exec_driver_sql(sql, tuple(params)).fetchall())

    # -- sync cursor ------------------------------------------------------------------

    def cursor(self) -> int:
        rows = self.read("SELECT value FROM sync_state WHERE key = 'cursor'")
        return int(rows[0][0]) if rows else 0

    def reset_cursor(self, value: int) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._set_cursor(value)
            self._db.execute("COMMIT")

    def _set_cursor(self, value: int) -> None:
        self._db.execute(
            "INSERT INTO sync_state (key, value) VALUES ('cursor', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(value),),
        )

    # -- contacts and conversations -------------------------------------------------------

    def _contact(
        self, wa_id: str, user_id: str | None, profile_name: str | None, now: float
    ) -> int:
        key = phone_key(wa_id) if wa_id else ""
        cache_key = f"p:{key}" if key else f"u:{user_id}"
        contact_id = self._contact_ids.get(cache_key)
        if contact_id is None:
            if key:
                contact_id = self._one("SELECT id FROM contacts WHERE phone_key = ?", (key,))
            if contact_id is None and user_id:
                contact_id = self._one("SELECT id FROM contacts WHERE user_id = ?", (user_id,))
            if contact_id is None:
                cur = self._db.execute(
                    "INSERT INTO contacts (wa_id, phone_key, user_id, profile_name, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (wa_id or None, key or None, user_id, profile_name, now, now),
                )
                contact_id = int(cur.lastrowid)
                self._index_contact(contact_id)
                self._contact_ids[cache_key] = contact_id
                self._contact_state[contact_id] = (profile_name, user_id, wa_id or None)
                return contact_id
            self._contact_ids[cache_key] = contact_id
        known = self._contact_state.get(contact_id)
        wanted = (profile_name, user_id, wa_id or None)
        if known is not None and all(
            w is None or w == k for w, k in zip(wanted, known, strict=True)
        ):
            return contact_id  # nothing new about them: the common case, no write
        if profile_name or user_id or wa_id:
            changed = self._db.execute(
                "UPDATE contacts SET profile_name = coalesce(?, profile_name), "
                "user_id = coalesce(?, user_id), wa_id = coalesce(?, wa_id), "
                "phone_key = coalesce(?, phone_key), updated_at = ? "
                "WHERE id = ? AND (profile_name IS NOT coalesce(?, profile_name) "
                "OR user_id IS NOT coalesce(?, user_id) OR wa_id IS NOT coalesce(?, wa_id))",
                (
                    profile_name,
                    user_id,
                    wa_id or None,
                    key or None,
                    now,
                    contact_id,
                    profile_name,
                    user_id,
                    wa_id or None,
                ),
            ).rowcount
            if changed:
                self._index_contact(contact_id)
        row = self._db.execute(
            "SELECT profile_name, user_id, wa_id FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()
        self._contact_state[contact_id] = (row[0], row[1], row[2])
        return contact_id

    def _preload(self) -> None:
        """Fill the contact, conversation and thread-end caches with one query per table.

        A desktop back online replays its backlog with empty caches, and
        looking each customer up as their first message comes is three
        queries, each reading (and decrypting) a page the cache does not
        hold yet: at 10,000 conversations that was ~15% of applying 10,000
        events. Reading both tables whole costs ~15 ms at that size. Only for
        backlog-sized batches: a message or two at a time never pays it back.
        """
        for contact_id, phone, user_id, profile_name, wa_id in self._db.execute(
            "SELECT id, phone_key, user_id, profile_name, wa_id FROM contacts"
        ):
            if phone:
                self._contact_ids.setdefault(f"p:{phone}", contact_id)
            if user_id:
                self._contact_ids.setdefault(f"u:{user_id}", contact_id)
            self._contact_state[contact_id] = (profile_name, user_id, wa_id)
        for conversation_id, phone_number_id, contact_id, last_key in self._db.execute(
            "SELECT id, phone_number_id, contact_id, last_key FROM conversations"
        ):
            self._conversation_ids[(phone_number_id, contact_id)] = conversation_id
            if last_key is not None and conversation_id not in self._tail_keys:
                self._tail_keys[conversation_id] = last_key
        self._preloaded = True

    def _index_contact(self, contact_id: int) -> None:
        row = self._db.execute(
            "SELECT name, profile_name, wa_id FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()
        names = " ".join(n for n in (row[0], row[1]) if n)
        phones = ""
        if row[2]:
            from crm_whatsapp.store.phones import with_ninth_digit

            phones = " ".join({row[2], with_ninth_digit(row[2]), phone_key(row[2])})
        self._db.execute("DELETE FROM contacts_fts WHERE rowid = ?", (contact_id,))
        self._db.execute(
            "INSERT INTO contacts_fts (rowid, names, phones) VALUES (?, ?, ?)",
            (contact_id, names, phones),
        )

    def _conversation(self, phone_number_id: str, contact_id: int) -> int:
        key = (phone_number_id, contact_id)
        conversation_id = self._conversation_ids.get(key)
        if conversation_id is None:
            conversation_id = self._one(
                "SELECT id FROM conversations WHERE phone_number_id = ? AND contact_id = ?", key
            )
            if conversation_id is None:
                cur = self._db.execute(
                    "INSERT INTO conversations (phone_number_id, contact_id, unread, status) "
                    "VALUES (?, ?, 0, 'open')",
                    key,
                )
                conversation_id = int(cur.lastrowid)
            self._conversation_ids[key] = conversation_id
        return int(conversation_id)

    # -- applying events ------------------------------------------------------------------------

    def apply(self, frames: list[tuple[int, Any]]) -> ApplyResult:
        """Apply stream events (seq, event) and advance the cursor, atomically.

        Never raises for what an event holds: an event the store cannot file
        is set aside in ``other_events`` and the cursor moves past it, since
        raising would make the sync replay the same frame for ever. Only the
        storage failing (disk full, locked, corrupt) raises, with nothing
        applied.
        """
        result = ApplyResult()
        if not frames:
            result.cursor = self.cursor()
            return result
        with self._lock:
            try:
                self._apply_batch(frames, result, self._apply_one)
            except Exception as exc:
                if self._storage_failed(exc):
                    raise
                # Some event broke the batch: apply it again event by event,
                # each in a savepoint, so only that event is set aside.
                # Savepoints cost the fast path (FTS5 flushes at each one),
                # hence only now.
                result = ApplyResult()
                self._apply_batch(frames, result, self._apply_guarded)
            self._last_apply = time.monotonic()
            while self.unfolded() > RECENT_CAP:  # a long replay: keep the unfolded rows bounded
                self.fold()
        return result

    def _apply_batch(
        self,
        frames: list[tuple[int, Any]],
        result: ApplyResult,
        apply_one: Callable[[int, Any, ApplyResult], None],
    ) -> None:
        """One write transaction: every frame through ``apply_one``, then the cursor."""
        db = self._db
        self._begin_write()
        try:
            if len(frames) >= PRELOAD_BATCH and not self._preloaded:
                self._preload()
            for seq, event in frames:
                apply_one(seq, event, result)
                result.applied += 1
            self._flush_touched()
            self._flush_search()
            result.cursor = max(seq for seq, _ in frames)
            current = self._one("SELECT value FROM sync_state WHERE key = 'cursor'")
            if current is None or int(current) < result.cursor:
                self._set_cursor(result.cursor)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            self._forget_caches()
            raise

    def _apply_guarded(self, seq: int, event: Any, result: ApplyResult) -> None:
        """Apply one event in a savepoint; if it fails, roll back only it and set it aside.

        The caches of contacts, conversations and thread ends may name rows
        the rollback removed, so they are dropped (the rest of the batch
        reads them again).
        """
        db = self._db
        own = ApplyResult()
        db.execute("SAVEPOINT event")
        try:
            self._apply_one(seq, event, own)
            self._flush_touched()
            self._flush_search()
        except Exception as exc:
            if self._storage_failed(exc):
                raise
            db.execute("ROLLBACK TO event")
            db.execute("RELEASE event")
            self._forget_caches()
            kind = event.get("kind") if isinstance(event, dict) else None
            # Kind and exception type only: the message would quote the event's content.
            log.warning(
                "set aside a %s event the history could not apply (%s)",
                kind if kind in KNOWN_KINDS else "other",
                type(exc).__name__,
            )
            self._set_aside(seq, event)
            return
        db.execute("RELEASE event")
        result.conversations |= own.conversations
        result.added += own.added
        result.updated += own.updated
        result.quick_replies = result.quick_replies or own.quick_replies

    def _storage_failed(self, exc: BaseException) -> bool:
        """Whether ``exc`` is the storage failing, not an event it was given.

        Such a failure (disk full, database locked or corrupt) would set
        every event aside; the batch is left for the next attempt instead.
        """
        db = self._db
        return isinstance(exc, db.OperationalError | db.InternalError | MemoryError) or (
            type(exc) is db.DatabaseError
        )

    def _set_aside(self, seq: int, event: Any) -> None:
        """Keep an event the store does not file (an unknown kind, a malformed item), whole."""
        kind = event.get("kind") if isinstance(event, dict) else None
        self._db.execute(
            "INSERT OR IGNORE INTO other_events (seq, kind, body) VALUES (?, ?, ?)",
            (seq, kind_label(kind), as_json(event)),
        )

    def apply_local(self, event: dict[str, Any]) -> ApplyResult:
        """Apply an event this desktop made itself (a team change), cursor untouched.

        The same event comes back through the relay later and changes nothing.
        """
        result = ApplyResult()
        with self._lock:
            db = self._db
            self._begin_write()
            try:
                self._apply_one(0, event, result)
                self._flush_touched()
                self._flush_search()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                self._forget_caches()
                raise
        return result

    def _apply_one(self, seq: int, event: Any, result: ApplyResult) -> None:
        """File one event by kind; one of no known kind, or missing what its kind needs, is kept."""
        event = as_dict(event)
        kind = event.get("kind")
        data = as_dict(event.get("data"))
        filed = False
        if kind == "message":
            filed = self._apply_inbound(event, data, result)
        elif kind == "outbound":
            filed = self._apply_outbound(event, data, result)
        elif kind == "status":
            filed = self._apply_status(data, result)
        elif kind == "read":
            filed = self._apply_read(data, result)
        elif kind == "team":
            filed = apply_team(self, event, result)
        if not filed:
            self._set_aside(seq, event)

    def _apply_inbound(
        self, event: dict[str, Any], item: dict[str, Any], result: ApplyResult
    ) -> bool:
        now = time.time()
        wamid = as_id(item.get("id"))
        profile = first_dict(event.get("contacts"))
        wa_id = as_phone(item.get("from")) or as_phone(profile.get("wa_id")) or ""
        user_id = as_id(item.get("from_user_id")) or as_id(profile.get("user_id"))
        if wamid is None or not (wa_id or user_id):
            return False  # no way to tell a replay from a new message, or whose it is
        msg_type = as_id(item.get("type")) or "unknown"
        name = as_text(as_dict(profile.get("profile")).get("name"))
        contact_id = self._contact(wa_id, user_id, name, now)
        conversation_id = self._conversation(as_id(event.get("phone_number_id")) or "", contact_id)
        ts = as_timestamp(item.get("timestamp")) or now
        if msg_type == "reaction":
            self._apply_reaction(item, wa_id or user_id or "?", ts)
            result.conversations.add(conversation_id)
            return True
        if self._one("SELECT 1 FROM messages WHERE wamid = ?", (wamid,)):
            return True  # a replay of a message already folded
        text = message_text(msg_type, item)
        media = as_dict(item.get(msg_type)) if msg_type in MEDIA_TYPES else {}
        message_id, seq = self._new_message_key(conversation_id, ts)
        cur = self._db.execute(
            "INSERT INTO messages_recent (id, seq, conversation_id, wamid, direction, type, "
            "timestamp, text, payload, reply_to, media_id) "
            "VALUES (?, ?, ?, ?, 'in', ?, ?, ?, ?, ?, ?) ON CONFLICT (wamid) DO NOTHING",
            (
                message_id,
                seq,
                conversation_id,
                wamid,
                msg_type,
                ts,
                text,
                as_json(item),
                as_id(as_dict(item.get("context")).get("id")),
                as_id(media.get("id")),
            ),
        )
        if cur.rowcount == 0:
            self._next_seq = seq - 1
            return True  # a replay: already applied
        self._count_recent()
        self._search_rows.append((seq, text))
        self._touch(conversation_id, ts, preview(msg_type, text), inbound=True)
        result.conversations.add(conversation_id)
        result.added.append(message_id)
        return True

    def _apply_reaction(self, item: dict[str, Any], author: str, ts: float) -> None:
        reaction = as_dict(item.get("reaction"))
        target = as_id(reaction.get("message_id"))
        if not target:
            return
        emoji = as_text(reaction.get("emoji"))
        if emoji:
            self._db.execute(
                "INSERT INTO reactions (wamid, author, emoji, timestamp) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (wamid, author) DO UPDATE SET emoji = excluded.emoji, "
                "timestamp = excluded.timestamp WHERE excluded.timestamp >= reactions.timestamp",
                (target, author, emoji, ts),
            )
        else:  # Meta omits the emoji when a reaction is removed
            self._db.execute(
                "DELETE FROM reactions WHERE wamid = ? AND author = ? AND timestamp <= ?",
                (target, author, ts),
            )

    def _apply_outbound(
        self, event: dict[str, Any], data: dict[str, Any], result: ApplyResult
    ) -> bool:
        """A message any attendant sent: ours gets its wamid, a colleague's appears."""
        client_id, wamid = as_id(data.get("client_id")), as_id(data.get("wamid"))
        if client_id is None and wamid is None:
            return False  # a replay could not be told from a new message
        if client_id:
            row = self._message_row("id, conversation_id", "client_id = ?", (client_id,))
            if row is not None:
                self._update_message(int(row[0]), "wamid = coalesce(wamid, ?)", (wamid,))
                self._settle_status(int(row[0]), wamid, "accepted", result)
                result.conversations.add(int(row[1]))
                return True
        if wamid and self._message_row("id", "wamid = ?", (wamid,)) is not None:
            return True
        to = as_phone(data.get("wa_id")) or as_phone(data.get("to"))
        if to is None:
            return False
        now = time.time()
        body = as_dict(data.get("message"))
        contact_id = self._contact(to, None, None, now)
        conversation_id = self._conversation(as_id(event.get("phone_number_id")) or "", contact_id)
        msg_type = as_id(body.get("type")) or "text"
        text = message_text(msg_type, body)
        ts = as_timestamp(data.get("timestamp")) or now
        message_id, seq = self._new_message_key(conversation_id, ts)
        self._db.execute(
            "INSERT INTO messages_recent (id, seq, conversation_id, wamid, client_id, direction, "
            "type, timestamp, text, payload, status, status_at, author) "
            "VALUES (?, ?, ?, ?, ?, 'out', ?, ?, ?, ?, 'accepted', ?, ?)",
            (
                message_id,
                seq,
                conversation_id,
                wamid,
                client_id,
                msg_type,
                ts,
                text,
                as_json(body),
                ts,
                as_text(data.get("device_name")),
            ),
        )
        self._count_recent()
        self._search_rows.append((seq, text))
        self._touch(conversation_id, ts, "Você: " + preview(msg_type, text), inbound=False)
        self._settle_status(message_id, wamid, "accepted", result)
        result.conversations.add(conversation_id)
        result.added.append(message_id)
        return True

    def _count_recent(self) -> None:
        if self._recent_rows is not None:
            self._recent_rows += 1

    def _message_row(self, columns: str, where: str, params: tuple[Any, ...]) -> Any:
        """The first row, folded or not, matching ``where`` (writer connection)."""
        for table in MESSAGE_TABLES:
            row = self._db.execute(
                f"SELECT {columns} FROM {table} WHERE {where}", params
            ).fetchone()
            if row is not None:
                return row
        return None

    def _update_message(self, message_id: int, assignments: str, params: tuple[Any, ...]) -> None:
        """``UPDATE … SET assignments`` on message ``message_id``, wherever it is."""
        for table in MESSAGE_TABLES:
            cur = self._db.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", (*params, message_id)
            )
            if cur.rowcount:
                return

    def _touch(self, conversation_id: int, ts: float, text: str, *, inbound: bool) -> None:
        """Fold a message into its conversation's list columns (written at commit)."""
        entry = self._touched.get(conversation_id)
        if entry is None:
            entry = self._touched[conversation_id] = [0.0, 0.0, None, 0]
        if ts >= entry[0]:
            entry[0], entry[2] = ts, text
        if inbound:
            entry[1] = max(entry[1], ts)
            entry[3] += 1

    def _flush_touched(self, conversation_id: int | None = None) -> None:
        """Write the list columns the batch's messages changed: of every conversation, or one.

        A read mark or a team change to a conversation writes its pending
        columns first, so it lands after the messages before it in the
        stream: written at commit instead, those messages would count as
        unread and reopen the conversation after the change.
        """
        if conversation_id is None:
            pending = list(self._touched.items())
            self._touched.clear()
        else:
            entry = self._touched.pop(conversation_id, None)
            pending = [(conversation_id, entry)] if entry is not None else []
        for touched_id, (last_at, inbound_at, text, unread) in pending:
            self._db.execute(
                "UPDATE conversations SET "
                "last_preview = CASE WHEN ? >= coalesce(last_message_at, 0) THEN ? "
                "ELSE last_preview END, "
                "last_message_at = max(coalesce(last_message_at, 0), ?), "
                "last_inbound_at = CASE WHEN ? > 0 THEN max(coalesce(last_inbound_at, 0), ?) "
                "ELSE last_inbound_at END, unread = unread + ?, "
                "status = CASE WHEN ? > 0 AND status = 'resolved' THEN 'open' ELSE status END "
                "WHERE id = ?",
                (last_at, text, last_at, inbound_at, inbound_at, unread, unread, touched_id),
            )

    def _flush_search(self) -> None:
        self._db.executemany(
            "INSERT INTO messages_fts (rowid, body) VALUES (?, ?)", self._search_rows
        )
        self._search_rows.clear()

    def _touch_outgoing(self, conversation_id: int, ts: float, msg_type: str, text: str) -> None:
        self._db.execute(
            "UPDATE conversations SET last_message_at = max(coalesce(last_message_at, 0), ?), "
            "last_preview = CASE WHEN ? >= coalesce(last_message_at, 0) THEN ? "
            "ELSE last_preview END WHERE id = ?",
            (ts, ts, "Você: " + preview(msg_type, text), conversation_id),
        )

    def _apply_status(self, item: dict[str, Any], result: ApplyResult) -> bool:
        wamid, status = as_id(item.get("id")), as_id(item.get("status"))
        if not wamid or not status:
            return False
        ts = as_timestamp(item.get("timestamp")) or 0.0
        self._db.execute(
            "INSERT OR IGNORE INTO status_history (wamid, status, timestamp, payload) "
            "VALUES (?, ?, ?, ?)",
            (wamid, status, ts, as_json(item)),
        )
        row = self._message_row("id, conversation_id", "wamid = ?", (wamid,))
        if row is not None:
            self._settle_status(int(row[0]), wamid, None, result)
            result.conversations.add(int(row[1]))
        return True

    def _settle_status(
        self, message_id: int, wamid: str | None, floor: str | None, result: ApplyResult
    ) -> None:
        """Set the message's status to the furthest one known; never backwards."""
        best, best_at, error_code = floor, None, None
        if wamid:
            for status, ts, payload in self._db.execute(
                "SELECT status, timestamp, payload FROM status_history WHERE wamid = ?", (wamid,)
            ):
                if status == "failed":
                    if best not in ("delivered", "read"):
                        best, best_at = "failed", ts
                        error = first_dict(as_dict(json.loads(payload)).get("errors"))
                        error_code = as_int(error.get("code"))
                elif best != "failed" and STATUS_RANK.get(status, -1) > STATUS_RANK.get(
                    best or "", -1
                ):
                    best, best_at = status, ts
        if best is None:
            return
        current = self._message_row("status", "id = ?", (message_id,))[0]
        moves = (
            current != best
            and current not in ("read",)
            and not (current == "failed" and best != "failed")
            and (best == "failed" or STATUS_RANK.get(best, -1) > STATUS_RANK.get(current or "", -1))
        )
        if moves:
            self._update_message(
                message_id,
                "status = ?, status_at = coalesce(?, status_at), error_code = ?",
                (best, best_at, error_code),
            )
            result.updated.append(message_id)

    def _apply_read(self, data: dict[str, Any], result: ApplyResult) -> bool:
        """A read receipt an attendant sent: the thread is read up to and including its message.

        A receipt for a message the store does not hold changes nothing.
        """
        wamid = as_id(data.get("message_id"))
        if wamid is None:
            return False
        row = self._message_row("id, conversation_id", "wamid = ?", (wamid,))
        if row is not None:
            conversation_id = int(row[1])
            self._flush_touched(conversation_id)
            self._read_through(conversation_id, int(row[0]))
            result.conversations.add(conversation_id)
        return True

    def _read_through(self, conversation_id: int, message_id: int) -> None:
        """Leave unread only the customer's messages after ``message_id`` in the thread.

        The receipt names one message: those after it were not on the screen
        of whoever sent it, so zeroing the count would hide them. The count
        only ever goes down (a late receipt for an older message reads
        nothing the conversation had not read), and is computed only when
        something is unread: one range scan of the thread after the message,
        folded and new rows alike.
        """
        _, last_key = conversation_range(conversation_id)
        after = " + ".join(
            f"(SELECT count(*) FROM {table} WHERE id > ? AND id <= ? AND direction = 'in')"
            for table in MESSAGE_TABLES
        )
        self._db.execute(
            f"UPDATE conversations SET unread = min(unread, {after}) WHERE id = ? AND unread > 0",
            (*(message_id, last_key) * len(MESSAGE_TABLES), conversation_id),
        )

    # -- what the inbox reads ---------------------------------------------------------

    def window(self, conversation_id: int, now: float | None = None) -> Window:
        now = time.time() if now is None else now
        rows = self.read(
            "SELECT last_inbound_at FROM conversations WHERE id = ?", (conversation_id,)
        )
        last = rows[0][0] if rows else None
        if not last:
            return Window(False, None)
        expires = float(last) + WINDOW_SECONDS
        return Window(now < expires, expires)

    CONVERSATION_KEYS = (
        "id",
        "phone_number_id",
        "last_message_at",
        "last_inbound_at",
        "preview",
        "unread",
        "status",
        "assignee",
        "labels",
        "contact_id",
        "name",
        "wa_id",
        "user_id",
    )

    def conversations(
        self,
        limit: int = 100,
        offset: int = 0,
        *,
        view: str = "all",
        me: str | None = None,
        status: str | None = None,
        ids: Iterable[int] | None = None,
        contact_ids: Iterable[int] | None = None,
    ) -> list[dict[str, Any]]:
        """The conversation list, most recent first.

        ``view`` is ``all``, ``mine`` (assigned to ``me``), ``unassigned`` or
        ``unread``; ``status`` one of open/pending/resolved; ``ids`` or
        ``contact_ids`` restrict to those (search results, changed rows).
        """
        where: list[str] = []
        params: list[Any] = []
        if view == "mine":
            where.append("c.assignee = ?")
            params.append(me or "")
        elif view == "unassigned":
            where.append("c.assignee IS NULL")
        elif view == "unread":
            where.append("c.unread > 0")
        if status:
            where.append("c.status = ?")
            params.append(status)
        for column, values in (("c.id", ids), ("c.contact_id", contact_ids)):
            if values is not None:
                chosen = [int(v) for v in values]
                where.append(f"{column} IN ({','.join('?' * len(chosen)) or 'NULL'})")
                params += chosen
        sql = (
            "SELECT c.id, c.phone_number_id, c.last_message_at, c.last_inbound_at, "
            "c.last_preview, c.unread, c.status, c.assignee, c.labels, k.id, "
            "coalesce(k.name, k.profile_name), k.wa_id, k.user_id "
            "FROM conversations c JOIN contacts k ON k.id = c.contact_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY c.last_message_at DESC NULLS LAST, c.id DESC LIMIT ? OFFSET ?"
        rows = self.read(sql, [*params, limit, offset])
        out = []
        for r in rows:
            row = dict(zip(self.CONVERSATION_KEYS, r, strict=True))
            row["labels"] = json.loads(row["labels"]) if row["labels"] else []
            out.append(row)
        return out

    def unread_total(self) -> int:
        return int(self.read("SELECT coalesce(sum(unread), 0) FROM conversations")[0][0])

    def _read_both(self, sql: str, params: Iterable[Any]) -> list[Any]:
        """``sql`` (with ``{table}``) on the folded and unfolded messages, in one snapshot.

        One read transaction covers both, so a fold committing in between
        can neither hide a message nor show it twice.
        """
        params = tuple(params)
        with self.engine.connect() as conn:
            rows: list[Any] = []
            for table in MESSAGE_TABLES:
                rows += conn.exec_driver_sql(sql.format(table=table), params).fetchall()
            return rows

    def message(self, message_id: int) -> dict[str, Any] | None:
        rows = self._read_both(
            f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE id = ?", (message_id,)
        )
        return dict(zip(MESSAGE_KEYS, rows[0], strict=True)) if rows else None

    def message_by_wamid(self, wamid: str) -> dict[str, Any] | None:
        rows = self._read_both(f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE wamid = ?", (wamid,))
        return dict(zip(MESSAGE_KEYS, rows[0], strict=True)) if rows else None

    def messages(
        self, conversation_id: int, limit: int = 50, before: int | None = None
    ) -> list[dict[str, Any]]:
        """The latest ``limit`` messages (oldest first), or those before message ``before``.

        Keys order a conversation by time (store.keys), so this is one range
        scan over neighbouring pages.
        """
        low, high = conversation_range(conversation_id)
        if before is not None:
            high = min(high, before - 1)
        rows = self._read_both(
            f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE id BETWEEN ? AND ? "
            "ORDER BY id DESC LIMIT ?",
            (low, high, limit),
        )
        rows.sort(key=lambda r: r[0])
        return [dict(zip(MESSAGE_KEYS, r, strict=True)) for r in rows[-limit:]]

    def messages_after(
        self, conversation_id: int, after: int, limit: int = 50
    ) -> list[dict[str, Any]]:
        """The ``limit`` messages right after message ``after``, oldest first."""
        low, high = conversation_range(conversation_id)
        rows = self._read_both(
            f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?",
            (max(low, after + 1), high, limit),
        )
        rows.sort(key=lambda r: r[0])
        return [dict(zip(MESSAGE_KEYS, r, strict=True)) for r in rows[:limit]]

    def reactions(self, wamids: list[str]) -> dict[str, list[str]]:
        if not wamids:
            return {}
        marks = ",".join("?" * len(wamids))
        out: dict[str, list[str]] = {}
        for wamid, emoji in self.read(
            f"SELECT wamid, emoji FROM reactions WHERE wamid IN ({marks})", wamids
        ):
            out.setdefault(wamid, []).append(emoji)
        return out

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Messages matching every word (prefixes, accents folded), newest first.

        FTS5 walks the index newest first (by arrival) and stops at the limit;
        sorting by timestamp instead would sort every match first. When a
        word is longer than the indexed prefixes the hits are checked
        against their text, a chunk at a time, until ``limit`` are found.
        """
        parsed = Query.parse(query)
        if not parsed:
            return []
        hits_sql = (
            "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid < ? "
            "ORDER BY rowid DESC LIMIT ?"
        )
        keys = ("id", "conversation_id", "timestamp", "text")
        found: list[dict[str, Any]] = []
        before, chunk = 2**62, limit if not parsed.needs_check else max(limit, 100)
        with self.engine.connect() as conn:
            while len(found) < limit:
                seqs = [r[0] for r in conn.exec_driver_sql(hits_sql, (parsed.match, before, chunk))]
                rows: list[Any] = []
                if seqs:
                    marks = ",".join("?" * len(seqs))
                    for table in MESSAGE_TABLES:
                        rows += conn.exec_driver_sql(
                            f"SELECT seq, id, conversation_id, timestamp, text FROM {table} "
                            f"WHERE seq IN ({marks})",
                            tuple(seqs),
                        ).fetchall()
                rows.sort(key=lambda r: r[0], reverse=True)
                found += [
                    dict(zip(keys, r[1:], strict=True))
                    for r in rows
                    if not parsed.needs_check or parsed.matches(r[4])
                ]
                if len(seqs) < chunk or not parsed.needs_check:
                    break
                before = seqs[-1]
                chunk = min(chunk * 2, 2000)
        return found[:limit]

    def search_contacts(self, query: str, limit: int = 20) -> list[int]:
        """Contacts whose name starts with the words, or whose number contains the digits.

        Attendants type numbers any way (``(11) 98765-4321``, the last
        digits, with or without the ninth digit), so digits match anywhere
        in the number; a few thousand short strings scan in milliseconds.
        """
        digits = "".join(ch for ch in query if ch.isdigit())
        words = [w for w in Query.parse(query).words if not w.isdigit()]
        if words:
            match = " AND ".join(f'names : "{w}"*' for w in words)
            return [
                r[0]
                for r in self.read(
                    "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? LIMIT ?",
                    (match, limit),
                )
            ]
        if len(digits) < 3:
            return []
        variants = {digits}
        if len(digits) >= 9 and digits[-9] == "9":  # typed with the ninth digit
            variants.add(digits[:-9] + digits[-8:])
        if len(digits) == 8 or (len(digits) >= 10 and digits[-9] != "9"):  # typed without it
            variants.add(digits[:-8] + "9" + digits[-8:])
        where = " OR ".join("wa_id LIKE ?" for _ in variants)
        return [
            r[0]
            for r in self.read(
                f"SELECT id FROM contacts WHERE {where} ORDER BY updated_at DESC LIMIT ?",
                [f"%{v}%" for v in sorted(variants)] + [limit],
            )
        ]

    def message_ids_of_contact(self, key: str) -> list[int]:
        """Every message id of the contact with phone key ``key`` (their cached media's names)."""
        ids: list[int] = []
        for (conversation_id,) in self.read(
            "SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id "
            "WHERE k.phone_key = ?",
            (key,),
        ):
            ids += [
                int(r[0])
                for r in self._read_both(
                    "SELECT id FROM {table} WHERE id BETWEEN ? AND ?",
                    conversation_range(conversation_id),
                )
            ]
        return ids

    def contact_by_phone(self, phone: str) -> int | None:
        rows = self.read("SELECT id FROM contacts WHERE phone_key = ?", (phone_key(phone),))
        return int(rows[0][0]) if rows else None

    def mark_read(self, conversation_id: int) -> str | None:
        """Zero the badge and name the newest customer message it covered.

        Both happen under the writer's lock, so a message stored a moment
        later is neither zeroed nor named: the read receipt built from the
        answer never gives blue ticks for a message nobody had on screen.
        """
        low, high = conversation_range(conversation_id)
        with self._lock:
            self._db.execute("UPDATE conversations SET unread = 0 WHERE id = ?", (conversation_id,))
            newest: tuple[int, str] | None = None
            for table in MESSAGE_TABLES:
                row = self._db.execute(
                    f"SELECT id, wamid FROM {table} WHERE id BETWEEN ? AND ? "
                    "AND direction = 'in' AND wamid IS NOT NULL ORDER BY id DESC LIMIT 1",
                    (low, high),
                ).fetchone()
                if row is not None and (newest is None or row[0] > newest[0]):
                    newest = (int(row[0]), str(row[1]))
        return newest[1] if newest else None

    def save_draft(self, conversation_id: int, text: str) -> None:
        """Keep what the attendant was typing (encrypted like everything else)."""
        with self._lock:
            if text.strip():
                self._db.execute(
                    "INSERT INTO drafts (conversation_id, text, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    (conversation_id, text, time.time()),
                )
            else:
                self._db.execute("DELETE FROM drafts WHERE conversation_id = ?", (conversation_id,))

    def draft(self, conversation_id: int) -> str:
        rows = self.read("SELECT text FROM drafts WHERE conversation_id = ?", (conversation_id,))
        return str(rows[0][0]) if rows else ""

    # -- LGPD ---------------------------------------------------------------------------

    def prune_older_than(self, months: int, *, now: float | None = None) -> PruneResult:
        """Retention: delete messages older than ``months`` calendar months (store.retention).

        Returns what went, with the message ids whose cached media the caller
        removes (``Workspace.prune`` does).
        """
        return prune_before(self, months_before(months, now))

    def export_contact(self, phone: str) -> dict[str, Any] | None:
        """Everything kept about one contact, as plain data (the caller encrypts the file)."""
        contact_id = self.contact_by_phone(phone)
        if contact_id is None:
            return None
        keys = ("id", "wa_id", "user_id", "name", "profile_name", "created_at")
        contact = dict(
            zip(
                keys,
                self.read(
                    "SELECT id, wa_id, user_id, name, profile_name, created_at FROM contacts "
                    "WHERE id = ?",
                    (contact_id,),
                )[0],
                strict=True,
            )
        )
        conversations = []
        for (conversation_id,) in self.read(
            "SELECT id FROM conversations WHERE contact_id = ?", (contact_id,)
        ):
            msgs = self.messages(conversation_id, limit=10**9)
            for m in msgs:
                m["payload"] = json.loads(m["payload"])
            conversations.append({"id": conversation_id, "messages": msgs})
        return {"contact": contact, "conversations": conversations, "exported_at": time.time()}

    def erase_contact(self, phone: str) -> int:
        """Delete one contact and everything about them; returns messages erased.

        ``secure_delete`` overwrites the freed pages, and the FTS rows go too,
        so nothing of them stays in the file.
        """
        contact_id = self.contact_by_phone(phone)
        if contact_id is None:
            return 0
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                ids: list[int] = []
                wamids: list[str] = []
                conversations = db.execute(
                    "SELECT id FROM conversations WHERE contact_id = ?", (contact_id,)
                ).fetchall()
                for (conversation_id,) in conversations:
                    low, high = conversation_range(conversation_id)
                    for table in MESSAGE_TABLES:
                        for seq, wamid in db.execute(
                            f"SELECT seq, wamid FROM {table} WHERE id BETWEEN ? AND ?", (low, high)
                        ).fetchall():
                            ids.append(seq)
                            if wamid:
                                wamids.append(wamid)
                        db.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (low, high))
                db.executemany("DELETE FROM messages_fts WHERE rowid = ?", [(i,) for i in ids])
                db.executemany("DELETE FROM status_history WHERE wamid = ?", [(w,) for w in wamids])
                db.executemany("DELETE FROM reactions WHERE wamid = ?", [(w,) for w in wamids])
                db.execute("DELETE FROM contacts_fts WHERE rowid = ?", (contact_id,))
                db.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))  # + conversations
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._forget_caches()
            # FTS5 keeps deleted terms in old index segments until they merge:
            # merge now. Then fold the WAL back so erased pages do not linger.
            db.execute("INSERT INTO messages_fts (messages_fts) VALUES ('optimize')")
            db.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('optimize')")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return len(ids)


class Outgoing:
    """Outbox rows: what the attendant sent, kept until the relay has it."""

    def __init__(self, history: History) -> None:
        self.history = history

    def queue(self, conversation_id: int, body: dict[str, Any], client_id: str) -> int:
        """Store the message as pending and its outbox row, atomically; returns the message id."""
        h = self.history
        now = time.time()
        with h._lock:
            db = h._db
            h._begin_write()
            try:
                row = db.execute(
                    "SELECT c.phone_number_id, k.wa_id, k.user_id, k.id FROM conversations c "
                    "JOIN contacts k ON k.id = c.contact_id WHERE c.id = ?",
                    (conversation_id,),
                ).fetchone()
                if row is None:
                    raise LookupError("no such conversation")
                phone_number_id, wa_id, user_id, _contact_id = row
                request = {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": wa_id or user_id,
                    **body,
                }
                msg_type = str(body.get("type", "text"))
                text = message_text(msg_type, body)
                reply_to = (body.get("context") or {}).get("message_id")
                message_id, seq = h._new_message_key(conversation_id, now)
                # Straight into the folded table: the outbox row references it
                # (and one row is one page, not a batch's worth).
                db.execute(
                    "INSERT INTO messages (id, seq, conversation_id, client_id, direction, type, "
                    "timestamp, text, payload, status, status_at, reply_to, author) "
                    "VALUES (?, ?, ?, ?, 'out', ?, ?, ?, ?, 'pending', ?, ?, 'me')",
                    (
                        message_id,
                        seq,
                        conversation_id,
                        client_id,
                        msg_type,
                        now,
                        text,
                        json.dumps(body, ensure_ascii=False),
                        now,
                        reply_to,
                    ),
                )
                db.execute(
                    "INSERT INTO messages_fts (rowid, body) VALUES (?, ?)",
                    (seq, text),
                )
                db.execute(
                    "INSERT INTO outbox (client_id, message_id, phone_number_id, request, state, "
                    "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)",
                    (
                        client_id,
                        message_id,
                        phone_number_id,
                        json.dumps(request, ensure_ascii=False),
                        now,
                        now,
                    ),
                )
                h._touch_outgoing(conversation_id, now, msg_type, text)
                db.execute("DELETE FROM drafts WHERE conversation_id = ?", (conversation_id,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return message_id

    def due(self, now: float, limit: int = 20) -> list[tuple[str, str, dict[str, Any], int]]:
        rows = self.history.read(
            "SELECT client_id, phone_number_id, request, attempts FROM outbox "
            "WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY created_at LIMIT ?",
            (now, limit),
        )
        return [(r[0], r[1], json.loads(r[2]), int(r[3])) for r in rows]

    def pending_count(self) -> int:
        return int(self.history.read("SELECT count(*) FROM outbox WHERE state = 'queued'")[0][0])

    def next_due_at(self) -> float | None:
        rows = self.history.read("SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'")
        return float(rows[0][0]) if rows and rows[0][0] is not None else None

    def _finish(
        self,
        client_id: str,
        outbox_sql: str,
        outbox_params: tuple[Any, ...],
        message_sql: str,
        message_params: tuple[Any, ...],
    ) -> None:
        h = self.history
        with h._lock:
            db = h._db
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(outbox_sql, outbox_params)
                db.execute(message_sql, message_params)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def update_request(self, client_id: str, request: dict[str, Any]) -> None:
        """Remember progress inside a send (the uploaded media id), so a retry resumes."""
        with self.history._lock:
            self.history._db.execute(
                "UPDATE outbox SET request = ? WHERE client_id = ?",
                (json.dumps(request, ensure_ascii=False), client_id),
            )

    def message_id(self, client_id: str) -> int:
        return int(
            self.history.read("SELECT message_id FROM outbox WHERE client_id = ?", (client_id,))[0][
                0
            ]
        )

    def accepted(self, client_id: str, wamid: str | None) -> None:
        self._finish(
            client_id,
            "UPDATE outbox SET state = 'done', last_error = NULL WHERE client_id = ?",
            (client_id,),
            "UPDATE messages SET wamid = coalesce(wamid, ?), status = CASE WHEN status IN "
            "('pending') THEN 'accepted' ELSE status END WHERE client_id = ?",
            (wamid, client_id),
        )

    def retry_later(self, client_id: str, delay: float, error: str) -> None:
        self._finish(
            client_id,
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
            "WHERE client_id = ?",
            (time.time() + delay, error, client_id),
            "SELECT ?",
            (client_id,),
        )

    def failed(self, client_id: str, code: int | None, name: str) -> None:
        self._finish(
            client_id,
            "UPDATE outbox SET state = 'failed', last_error = ? WHERE client_id = ?",
            (name, client_id),
            "UPDATE messages SET status = 'failed', error_code = ?, status_at = ? "
            "WHERE client_id = ? AND status IN ('pending', 'accepted')",
            (code, time.time(), client_id),
        )
