"""The history's one write connection, and what every writer of the history shares.

SQLite has one writer at a time, so the history keeps one dedicated
connection and a lock around it: applying relay events, folding, team
changes, the outbox, read marks, retention and erasure all write through a
:class:`Writer`, inside :meth:`Writer.transaction`. Readers never touch it;
they use the engine's pool (``store.reader``).

The writer also keeps the caches that spare a read and a write per event
when applying thousands of them (which contact a number is, which
conversation a contact has on a business number, the last message key of a
conversation). They are valid only while this process is the only writer,
so they are dropped whenever another connection has committed
(``PRAGMA data_version``) or a transaction rolls back.

Blocking: every method runs SQL on the calling thread and may wait for the
lock; the window calls them through ``asyncio.to_thread`` or a worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

from crm_whatsapp.store.content import Preview
from crm_whatsapp.store.keys import PER_SECOND, conversation_range, second_base
from crm_whatsapp.store.phones import phone_key
from crm_whatsapp.store.schema import MESSAGE_TABLES

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

# The columns a new message row may set (the rest keep their defaults).
MESSAGE_ROW_COLUMNS = frozenset(
    (
        "id",
        "seq",
        "conversation_id",
        "wamid",
        "client_id",
        "direction",
        "type",
        "timestamp",
        "text",
        "payload",
        "status",
        "status_at",
        "error_code",
        "reply_to",
        "media_id",
        "author",
    )
)


class Writer:
    """The history's write connection, its lock, its caches and its checkpoints."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lock = threading.RLock()
        self._fairy = engine.raw_connection()
        self._db: Any = self._fairy.driver_connection
        # The writer leaves checkpoints to a background thread (a backstop
        # remains if that thread falls far behind).
        self._db.execute(f"PRAGMA wal_autocheckpoint = {WRITER_AUTOCHECKPOINT}")
        self._db.execute(f"PRAGMA journal_size_limit = {WAL_KEEP}")
        self._db.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB}")
        self._closing = threading.Event()
        self._idle_work: Callable[[], None] | None = None
        self._forget_hooks: list[Callable[[], None]] = []
        self._contact_ids: dict[str, int] = {}
        self._contact_state: dict[int, tuple[Any, Any, Any]] = {}
        self._conversation_ids: dict[tuple[str, int], int] = {}
        self._started: list[int] = []  # conversations made since the last take_started()
        # Conversation list columns, folded per transaction and written once each.
        self._touched: dict[int, list[Any]] = {}
        # Search index rows of the transaction, written after its messages:
        # FTS5 writes out its pending rows whenever a statement opens a
        # savepoint, which the thread-end triggers (schema V6) make every
        # message insert do, so indexing each message as it came wrote one
        # tiny index segment per message (applying 10,000 events took 4 s, not 1).
        self._search_rows: list[tuple[int, str]] = []
        self._insert_sql: dict[tuple[str, tuple[str, ...], str], str] = {}
        # Messages are numbered here (see store.keys); the arrival counter is
        # read once per write transaction, inside the lock.
        self._next_seq: int | None = None
        # The highest message key each conversation has (or may have): a new
        # message later than all of them, the common case, takes the next
        # slot without a lookup. Too high is harmless (a rolled-back or
        # replayed key only makes the next message ask the table); too low
        # would collide, so it is dropped whenever another connection commits.
        self._tail_keys: dict[int, int] = {}
        self._data_version: int | None = None
        # Whether the contact and conversation caches hold every row (see preload).
        self._preloaded = False
        self._checkpointer = threading.Thread(
            target=self._checkpoint_forever, name="history-checkpoint", daemon=True
        )
        self._checkpointer.start()

    # -- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Writer]:
        """One write transaction under the lock: committed on exit, rolled back on any error.

        Pending list columns and search rows are written just before the
        commit; a rollback drops every cache, since they may name rows that
        no longer exist.
        """
        with self.lock:
            self._begin()
            try:
                yield self
                self.flush()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self.forget_caches()
                raise

    @contextmanager
    def savepoint(self) -> Iterator[Writer]:
        """A nested step of the current transaction that can fail alone.

        Savepoints cost the fast path (FTS5 flushes its pending rows at
        each), so the applier uses them only to isolate a failing event.
        """
        self._db.execute("SAVEPOINT step")
        try:
            yield self
            self.flush()
        except BaseException:
            self._db.execute("ROLLBACK TO step")
            self._db.execute("RELEASE step")
            self.forget_caches()
            raise
        self._db.execute("RELEASE step")

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, dropping caches another connection made stale."""
        self._db.execute("BEGIN IMMEDIATE")
        self._next_seq = None
        version = int(self.one("PRAGMA data_version"))
        if version != self._data_version:
            if self._data_version is not None:
                self.forget_caches()
            self._data_version = version

    def is_storage_failure(self, exc: BaseException) -> bool:
        """Whether ``exc`` is the storage failing (disk full, locked, corrupt), not bad data."""
        db = self._db
        return isinstance(exc, db.OperationalError | db.InternalError | MemoryError) or (
            type(exc) is db.DatabaseError
        )

    # -- SQL on the write connection ----------------------------------------------------

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """Run one statement on the write connection (inside :meth:`transaction`)."""
        return self._db.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> Any:
        """Run one statement for each row of ``rows`` (inside :meth:`transaction`)."""
        return self._db.executemany(sql, rows)

    def one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        row = self._db.execute(sql, tuple(params)).fetchone()
        return row[0] if row else None

    def set_cursor(self, value: int) -> None:
        """Store the sync cursor (in the transaction of the events it covers)."""
        self._db.execute(
            "INSERT INTO sync_state (key, value) VALUES ('cursor', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(value),),
        )

    # -- caches ---------------------------------------------------------------------------

    def on_forget(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` whenever the caches are dropped (others keep caches of their own)."""
        self._forget_hooks.append(hook)

    def forget_caches(self) -> None:
        """Drop every cache and pending write: after a rollback, or another writer's commit."""
        self._contact_ids.clear()
        self._contact_state.clear()
        self._conversation_ids.clear()
        self._started.clear()
        self._preloaded = False
        self._touched.clear()
        self._search_rows.clear()
        self._tail_keys.clear()
        self._next_seq = None
        for hook in self._forget_hooks:
            hook()

    @property
    def preloaded(self) -> bool:
        """Whether the contact and conversation caches hold every row (see :meth:`preload`)."""
        return self._preloaded

    def preload(self) -> None:
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

    # -- contacts and conversations -----------------------------------------------------------

    def contact(self, wa_id: str, user_id: str | None, profile_name: str | None, now: float) -> int:
        """The contact with this number (ninth digit or not) or user id, made or updated."""
        key = phone_key(wa_id) if wa_id else ""
        cache_key = f"p:{key}" if key else f"u:{user_id}"
        contact_id = self._contact_ids.get(cache_key)
        if contact_id is None:
            if key:
                contact_id = self.one("SELECT id FROM contacts WHERE phone_key = ?", (key,))
            if contact_id is None and user_id:
                contact_id = self.one("SELECT id FROM contacts WHERE user_id = ?", (user_id,))
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

    def _index_contact(self, contact_id: int) -> None:
        """The contact's names in the name index (numbers are matched on ``contacts``)."""
        row = self._db.execute(
            "SELECT name, profile_name FROM contacts WHERE id = ?", (contact_id,)
        ).fetchone()
        names = " ".join(n for n in (row[0], row[1]) if n)
        self._db.execute("DELETE FROM contacts_fts WHERE rowid = ?", (contact_id,))
        self._db.execute(
            "INSERT INTO contacts_fts (rowid, names) VALUES (?, ?)", (contact_id, names)
        )

    def conversation(self, phone_number_id: str, contact_id: int) -> int:
        """The conversation of a contact on a business number, made if new (status open)."""
        key = (phone_number_id, contact_id)
        conversation_id = self._conversation_ids.get(key)
        if conversation_id is None:
            conversation_id = self.one(
                "SELECT id FROM conversations WHERE phone_number_id = ? AND contact_id = ?", key
            )
            if conversation_id is None:
                cur = self._db.execute(
                    "INSERT INTO conversations (phone_number_id, contact_id, unread, status) "
                    "VALUES (?, ?, 0, 'open')",
                    key,
                )
                conversation_id = int(cur.lastrowid)
                self._started.append(conversation_id)
            self._conversation_ids[key] = conversation_id
        return int(conversation_id)

    def take_started(self) -> list[int]:
        """The conversations made since the last call (a new customer, a chat started here)."""
        started, self._started = self._started, []
        return started

    # -- messages ---------------------------------------------------------------------------

    def new_message_key(self, conversation_id: int, timestamp: float) -> tuple[int, int]:
        """A fresh (id, seq) for a message of ``conversation_id`` written at ``timestamp``."""
        if self._next_seq is None:
            self._next_seq = int(
                self.one(
                    "SELECT max((SELECT coalesce(max(seq), 0) FROM messages), "
                    "(SELECT coalesce(max(seq), 0) FROM messages_recent))"
                )
            )
        self._next_seq += 1
        base = second_base(conversation_id, timestamp)
        low, last_key = conversation_range(conversation_id)
        tail = self._tail_keys.get(conversation_id)
        if tail is None:  # the conversation row knows (schema V6), no descent to its last page
            stored = self.one("SELECT last_key FROM conversations WHERE id = ?", (conversation_id,))
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

    def give_back_key(self, seq: int) -> None:
        """The message numbered ``seq`` was not stored (a replay): reuse its number."""
        self._next_seq = seq - 1

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
            self.one(f"SELECT max(id) FROM {table} WHERE id BETWEEN ? AND ?", (low, high))
            for table in MESSAGE_TABLES
        ]
        found = [int(k) for k in keys if k is not None]
        return max(found) if found else None

    def insert_message(self, table: str, row: dict[str, Any], *, on_conflict: str = "") -> bool:
        """Insert a message row into ``table`` and queue its text for search.

        ``on_conflict`` is an SQL ``ON CONFLICT`` clause (a replay). Returns
        whether the row went in. The search row is written at the end of
        the transaction with the others (see ``_search_rows``).
        """
        # The statement is built once per shape (the applier has three): building
        # and checking it per row cost ~5% of applying a backlog.
        shape = (table, tuple(row), on_conflict)
        sql = self._insert_sql.get(shape)
        if sql is None:
            if table not in MESSAGE_TABLES or not set(row) <= MESSAGE_ROW_COLUMNS:
                raise ValueError("not a message table or column")
            columns = ", ".join(row)
            marks = ", ".join("?" * len(row))
            sql = self._insert_sql[shape] = (
                f"INSERT INTO {table} ({columns}) VALUES ({marks}) {on_conflict}"
            )
        cur = self._db.execute(sql, tuple(row.values()))
        if cur.rowcount == 0:
            return False
        self._search_rows.append((int(row["seq"]), str(row.get("text") or "")))
        return True

    def message_row(self, columns: str, where: str, params: Iterable[Any]) -> Any:
        """The first row, folded or not, matching ``where`` (on the write connection)."""
        params = tuple(params)
        for table in MESSAGE_TABLES:
            row = self._db.execute(
                f"SELECT {columns} FROM {table} WHERE {where}", params
            ).fetchone()
            if row is not None:
                return row
        return None

    def update_message(self, message_id: int, assignments: str, params: Iterable[Any]) -> None:
        """``UPDATE … SET assignments`` on message ``message_id``, wherever it is."""
        for table in MESSAGE_TABLES:
            cur = self._db.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", (*params, message_id)
            )
            if cur.rowcount:
                return

    # -- the conversation list's columns ------------------------------------------------

    def touch(self, conversation_id: int, ts: float, preview: Preview) -> None:
        """Fold a message into its conversation's list columns (written at commit).

        A customer's message also opens the 24-hour window, counts as
        unread and reopens a resolved or snoozed conversation.
        """
        entry = self._touched.get(conversation_id)
        if entry is None:
            entry = self._touched[conversation_id] = [0.0, 0.0, None, 0]
        if ts >= entry[0]:
            entry[0], entry[2] = ts, preview
        if preview.direction == "in":
            entry[1] = max(entry[1], ts)
            entry[3] += 1

    def flush_conversation(self, conversation_id: int) -> None:
        """Write one conversation's pending list columns now.

        A read mark or a team change writes its conversation's pending
        columns first, so it lands after the messages before it in the
        stream: written at commit instead, those messages would count as
        unread and reopen the conversation after the change.
        """
        entry = self._touched.pop(conversation_id, None)
        if entry is not None:
            self._write_touched([(conversation_id, entry)])

    def flush(self) -> None:
        """Write every pending list column and search row (done at commit and savepoints)."""
        if self._touched:
            pending = list(self._touched.items())
            self._touched.clear()
            self._write_touched(pending)
        if self._search_rows:
            self._db.executemany(
                "INSERT INTO messages_fts (rowid, body) VALUES (?, ?)", self._search_rows
            )
            self._search_rows.clear()

    def _write_touched(self, pending: list[tuple[int, list[Any]]]) -> None:
        for touched_id, (last_at, inbound_at, preview, unread) in pending:
            self._db.execute(
                "UPDATE conversations SET "
                "last_type = CASE WHEN ? >= coalesce(last_message_at, 0) THEN ? "
                "ELSE last_type END, "
                "last_direction = CASE WHEN ? >= coalesce(last_message_at, 0) THEN ? "
                "ELSE last_direction END, "
                "last_preview = CASE WHEN ? >= coalesce(last_message_at, 0) THEN ? "
                "ELSE last_preview END, "
                "last_message_at = max(coalesce(last_message_at, 0), ?), "
                "last_inbound_at = CASE WHEN ? > 0 THEN max(coalesce(last_inbound_at, 0), ?) "
                "ELSE last_inbound_at END, unread = unread + ?, "
                "status = CASE WHEN ? > 0 AND status IN ('resolved', 'snoozed') THEN 'open' "
                "ELSE status END "
                "WHERE id = ?",
                (
                    last_at,
                    preview.type,
                    last_at,
                    preview.direction,
                    last_at,
                    preview.text,
                    last_at,
                    inbound_at,
                    inbound_at,
                    unread,
                    unread,
                    touched_id,
                ),
            )

    # -- checkpoints and closing ------------------------------------------------------------

    def when_idle(self, work: Callable[[], None]) -> None:
        """Run ``work`` on the checkpoint thread before each checkpoint (the idle fold)."""
        self._idle_work = work

    @property
    def closing(self) -> bool:
        """Whether :meth:`close` has begun (background work stops)."""
        return self._closing.is_set()

    def _checkpoint_forever(self) -> None:
        """Fold the WAL back into the file off the writer's path.

        SQLite checkpoints inside the commit that crosses the threshold, so
        the transaction applying a batch would also copy pages and fsync.
        A passive checkpoint never blocks the writer or the readers.
        """
        fairy = self.engine.raw_connection()
        try:
            while not self._closing.wait(CHECKPOINT_EVERY):
                if self._idle_work is not None:
                    self._idle_work()
                fairy.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # a closed or broken file: the writer will report it
            log.warning("background checkpoint stopped")
        finally:
            fairy.close()

    def compact(self) -> None:
        """After deleting: merge the search indexes and truncate the WAL.

        FTS5 keeps deleted terms in old index segments until they merge, and
        the WAL keeps old page images: neither may outlive an erasure.
        """
        with self.lock:
            self._db.execute("INSERT INTO messages_fts (messages_fts) VALUES ('optimize')")
            self._db.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('optimize')")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Stop the checkpoints and close the connection once a running write ends."""
        self._closing.set()
        self._checkpointer.join(timeout=10)
        # A write still running in a worker thread (a cancelled task's
        # to_thread call keeps going) finishes before its connection closes.
        with self.lock:
            self._fairy.close()
