"""The durable, ordered event log every desktop streams from.

Three promises live here:

* **Durable before answered.** :meth:`EventLog.append` returns only after the
  transaction holding the events has committed. Concurrent webhooks are
  *group-committed*: while one transaction is being written, newcomers queue up
  and go together in the next one, so durability costs one fsync per group,
  not per webhook. Events arrive already encoded and checked, so one bad
  event cannot fail the webhooks grouped with it.
* **One order, no gaps.** ``seq`` grows in commit order and is dense: every
  number from the first to the head is an event, so a desktop (or an auditor)
  can prove it has everything. A retry Meta sends again is recognised before
  it is numbered, so it burns no number. SQLite has a single writer; on
  PostgreSQL several relay instances may append, so each group takes a
  transaction-scoped advisory lock, which makes sequence order equal commit
  order (a reader can never see ``seq`` N+1 before N). The one exception is
  the deliberate jump a restore makes (:data:`relay.backup.RESTORE_SEQ_GAP`).
* **No gap between replay and live.** Readers only ever ask "what is after my
  cursor?", answered from an in-memory tail of recent frames when it covers the
  cursor and from the database otherwise, and wait on a doorbell rung after
  each commit. A missed or merged ring cannot lose anything.
"""

from __future__ import annotations

import asyncio
import bisect
import collections
import contextlib
import logging
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, func, select

from relay.db import events, is_sqlite, settings_kv
from relay.webhook import NewEvent

log = logging.getLogger("relay.eventlog")

ADVISORY_LOCK_ID = 0x63726D77  # "crmw": serialises appends across relay instances
NOTIFY_CHANNEL = "crm_whatsapp_relay_events"
FRAMES_CHANNEL = "crm_whatsapp_relay_frames"  # "PID BASE HEAD [frames]" (migration 0004)
# How long a fill waits for an announcement in flight to bring the frames instead.
FILL_GRACE = 0.005
INSERT_CHUNK = 400
# A SQLite group whose writer had waited this long for it, with nothing else queued, commits
# on the loop itself: the loop is idle, and two thread hand-offs cost more than the fsync.
INLINE_COMMIT_IDLE = 0.0005
# ... and only while commits are fast: a disk that stalls must stall the webhooks, never the
# loop (streams, pings, health checks). One slow commit sends the next ones to the thread.
INLINE_COMMIT_MAX = 0.002
# What one read_after may return at most (one frame always goes, however large).
READ_MAX_BYTES = 4 * 1024 * 1024
SQLITE_INSERT = "INSERT INTO events (seq, dedupe_key, kind, received_at, body) VALUES %s"
SQLITE_STORED = "SELECT dedupe_key FROM events WHERE dedupe_key IN (%s)"
# The log's high-water mark: AUTOINCREMENT's counter outlives pruned rows and carries a
# restore's jump; max(seq) covers a database that has never had a row inserted.
SQLITE_HEAD = (
    "SELECT max(coalesce((SELECT max(seq) FROM events), 0), "
    "coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0))"
)
# A page after a cursor, in one query: the rows that fit in the byte budget (one always).
PG_READ = (
    "SELECT seq, body FROM (SELECT seq, body, "
    "sum(octet_length(body)) OVER (ORDER BY seq) - octet_length(body) AS before "
    "FROM events WHERE seq > %s ORDER BY seq LIMIT %s) page "
    "WHERE before < %s ORDER BY seq"
)
# One statement, one round trip, one transaction per group (migration 0004).
PG_APPEND = "SELECT out_seq, out_key FROM relay_append(%s::json)"


def frame_text(seq: int, body: str) -> str:
    """The stream frame for one event; the body is already JSON text."""
    return f'{{"type":"event","seq":{seq},"event":{body}}}'


def wire_frame(seq: int, body: str) -> bytes:
    """The event frame as websocket bytes (RFC 6455 text frame, unmasked, final).

    Built once per event and written to every live device: framing the same
    payload again for each of ten desktops was most of the streaming cost.
    """
    payload = frame_text(seq, body).encode("utf-8")
    n = len(payload)
    if n < 126:
        header = bytes((0x81, n))
    elif n < 65536:
        header = struct.pack("!BBH", 0x81, 126, n)
    else:
        header = struct.pack("!BBQ", 0x81, 127, n)
    return header + payload


def _last_fitting(sizes: Sequence[Any], max_bytes: int) -> int:
    """The last seq of ``(seq, length)`` rows whose lengths add up to ``max_bytes`` (one always).

    Lengths are the database's, in characters: at most the bytes, so this
    never cuts short what :func:`within_bytes` would keep.
    """
    total = 0
    last = int(sizes[0][0])
    for seq, length in sizes:
        total += int(length or 0)
        if total > max_bytes:
            break
        last = int(seq)
    return last


def wire_payload(wire: bytes) -> bytes:
    """The JSON text inside a frame made by :func:`wire_frame`."""
    marker = wire[1]
    return wire[2:] if marker < 126 else wire[4:] if marker == 126 else wire[10:]


# An announcement heard from another instance: (base, head, frames or None); base -1 for
# the plain head of relays from before migration 0004.
_Note = tuple[int, int, list[tuple[int, bytes]] | None]


@dataclass(slots=True)
class _Pending:
    events: Sequence[NewEvent]
    future: asyncio.Future[list[int | None]]


def within_bytes(rows: list[tuple[int, bytes]], max_bytes: int) -> list[tuple[int, bytes]]:
    """The leading ``rows`` whose frames add up to at most ``max_bytes`` (always one)."""
    size = 0
    for n, (_, frame) in enumerate(rows):
        size += len(frame)
        if size > max_bytes and n:
            return rows[:n]
    return rows


class TailCache:
    """Recent frames, authoritative for every seq in ``(floor, head]``.

    Live devices read from here instead of querying the database once per
    commit each. The cache only claims ranges it saw committed contiguously.
    It is bounded in frames and in bytes: with large events a frame count
    alone let it hold gigabytes. Dropping the oldest moves ``floor`` up, and a
    reader below ``floor`` is answered from the database.
    """

    #: Commits held back waiting for the frames before them; more and the cache starts over.
    MAX_PENDING = 256

    def __init__(self, capacity: int, max_bytes: int) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.floor = -1  # nothing is authoritative until the first append
        self.head = -1
        self.bytes = 0
        self._seqs: list[int] = []
        self._frames: list[bytes] = []
        # Commits that follow a range not cached yet (another instance's), by prev_head.
        self._pending: dict[int, tuple[list[tuple[int, bytes]], int]] = {}

    def start_at(self, head: int) -> None:
        """Vouch for the empty range after ``head``: everything up to it is committed."""
        self._seqs.clear()
        self._frames.clear()
        self._pending.clear()
        self.bytes = 0
        self.floor = self.head = head

    @property
    def next_pending(self) -> int | None:
        """Where the first held-back commit starts: what a fill must reach and not pass."""
        return min(self._pending) if self._pending else None

    def extend(self, prev_head: int, rows: list[tuple[int, bytes]], new_head: int) -> None:
        """Add one commit's frames, which follow ``prev_head``, and move the head.

        A commit after the cached head (another instance committed in between)
        is held back until the frames in between are added (a fill from the
        database), then joins: this instance's own frames stay in memory. With
        nothing cached yet, or too much held back, the cache starts over from
        ``prev_head`` instead.
        """
        if self.floor >= 0 and prev_head < self.head:
            # A fill read this commit's rows before the writer brought them: keep what is new.
            if new_head <= self.head:
                return
            rows = [row for row in rows if row[0] > self.head]
            prev_head = self.head
        if prev_head > self.head and self.floor >= 0 and len(self._pending) < self.MAX_PENDING:
            self._pending[prev_head] = (rows, new_head)
            return
        if prev_head != self.head:
            self.start_at(prev_head)
        self._add(rows, new_head)
        while self.head in self._pending:
            self._add(*self._pending.pop(self.head))
        if len(self._seqs) > 2 * self.capacity or self.bytes > self.max_bytes:
            self._drop_oldest()

    def forget_through(self, seq: int) -> None:
        """Retention deleted every event up to ``seq``: stop serving them from memory."""
        cut = bisect.bisect_right(self._seqs, seq)
        if cut:
            self.bytes -= sum(len(frame) for frame in self._frames[:cut])
            del self._seqs[:cut]
            del self._frames[:cut]
        if self.floor >= 0:
            self.floor = max(self.floor, min(seq, self.head))

    def _add(self, rows: list[tuple[int, bytes]], new_head: int) -> None:
        for seq, frame in rows:
            self._seqs.append(seq)
            self._frames.append(frame)
            self.bytes += len(frame)
        self.head = new_head

    def _drop_oldest(self) -> None:
        """Keep at most ``capacity`` frames in three quarters of ``max_bytes``.

        Dropping a run at a time, not a frame per commit, keeps the list shift
        off most commits. ``floor`` becomes the newest seq dropped.
        """
        cut = max(0, len(self._seqs) - self.capacity)
        dropped = sum(len(frame) for frame in self._frames[:cut])
        keep = self.max_bytes * 3 // 4
        while cut < len(self._seqs) and self.bytes - dropped > keep:
            dropped += len(self._frames[cut])
            cut += 1
        if cut:
            self.floor = self._seqs[cut - 1]
            del self._seqs[:cut]
            del self._frames[:cut]
            self.bytes -= dropped

    def after(self, cursor: int, limit: int, max_bytes: int) -> list[tuple[int, bytes]]:
        """Cached frames after ``cursor``: at most ``limit``, within ``max_bytes`` (one always).

        Only meaningful when ``floor <= cursor``; :meth:`EventLog.read_after` checks.
        """
        start = bisect.bisect_right(self._seqs, cursor)
        end = min(start + limit, len(self._seqs))
        rows = list(zip(self._seqs[start:end], self._frames[start:end], strict=True))
        return within_bytes(rows, max_bytes)


class EventLog:
    """Append events durably and read them back by cursor."""

    def __init__(
        self,
        engine: Engine,
        *,
        cache_size: int = 20_000,
        cache_bytes: int = 64 * 1024 * 1024,
        on_commit: Callable[[list[NewEvent], list[int | None], float], None] | None = None,
    ) -> None:
        self.engine = engine
        self._sqlite = is_sqlite(engine)
        self._queue: asyncio.Queue[_Pending] | None = None
        self._writer_task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._stopping = threading.Event()
        # One thread writes (SQLite's single writer; on PostgreSQL it keeps our
        # own appends ordered too); readers use a small pool.
        self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="relay-writer")
        self._read_pool = ThreadPoolExecutor(4, thread_name_prefix="relay-reader")
        self._commit_pool = ThreadPoolExecutor(1, thread_name_prefix="relay-commit")
        # A group is being written (the writer task), or none and since when (loop time).
        self._busy = False
        self._idle_since = 0.0
        self.inline_commits = 0  # webhooks committed in their own task (_commit_here)
        self._last_commit = 0.0  # seconds the last SQLite COMMIT took, on whichever thread
        self._bell = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.cache = TailCache(cache_size, cache_bytes)
        self.db_head = 0
        self.pruned_through = 0
        self._on_commit = on_commit
        self.duplicates = 0
        self._raw: sqlite3.Connection | None = None
        self._checkpointer: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._raw_fairy: Any = None
        self._pg: Any = None  # psycopg.AsyncConnection, opened by the first PostgreSQL group
        self._heard = 0  # the newest head another instance announced (PostgreSQL)
        self._appending = False  # a group is being written: its own notification may come first
        self._pg_reader: Any = None  # psycopg.AsyncConnection for fills from other instances
        self._writer_pid = 0  # the writer connection's backend, to skip our own announcements
        # Announcements heard from other instances, waiting for one pass (_hand_over).
        self._notes: collections.deque[_Note] = collections.deque()
        self._notes_scheduled = False
        # Seconds the last group held the appends' lock before its commit (PostgreSQL only).
        self.last_lock_held = 0.0
        self._filler: asyncio.Task[None] | None = None

    # -- lifecycle -----------------------------------------------------------

    async def start(self) -> None:
        """Read the heads and start the group-commit writer and its helpers.

        SQLite gets the loop's own write connection and a checkpoint task;
        PostgreSQL a task listening for other instances' commits. Safe to
        cancel: its only wait is the first read, before anything is started.
        """
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self.db_head, self.pruned_through = await self._in_reader(self._read_heads)
        self.cache.start_at(self.db_head)
        if self._sqlite:
            self._raw_fairy = self.engine.raw_connection()
            self._raw = self._raw_fairy.driver_connection
            self._raw.execute("PRAGMA busy_timeout=0")
            # Checkpoints copy the WAL into the database and fsync it: tens of
            # milliseconds that must not land on a webhook's commit. They run
            # on the writer thread instead (see _checkpoint_forever).
            self._raw.execute("PRAGMA wal_autocheckpoint=0")
            self._checkpointer = asyncio.create_task(self._checkpoint_forever())
        self._writer_task = asyncio.create_task(self._writer(), name="relay-group-commit")
        self._heartbeat = asyncio.create_task(self._ring_forever(), name="relay-bell")
        if not self._sqlite:
            self._listener = asyncio.create_task(self._listen_pg(), name="relay-pg-listen")

    async def stop(self) -> None:
        """Stop the background work, wait for the threads and close the write connection.

        Call it once the server has stopped taking requests: an append still
        waiting then is never answered. Do not cancel it: stopped half-way, it
        leaves the threads and the connection open.
        """
        self._stopping.set()
        for task in (self._checkpointer, self._heartbeat, self._filler, self._listener):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self._writer_task is not None:
            self._writer_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer_task
        self._write_pool.shutdown(wait=True)
        self._read_pool.shutdown(wait=True)
        for conn in (self._pg, self._pg_reader):
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close()
        self._pg = self._pg_reader = None
        if self._raw_fairy is not None:
            self._raw_fairy.close()
            self._raw = self._raw_fairy = None
        self._ring()

    async def _ring_forever(self, every: float = 2.0) -> None:
        """A safety net: readers re-check their cursor even if a ring was lost."""
        while True:
            await asyncio.sleep(every)
            self._ring()

    async def _checkpoint_forever(self, every: float = 1.0) -> None:
        def checkpoint() -> None:
            """Copy the WAL into the database without waiting for readers (PASSIVE)."""
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

        while True:
            await asyncio.sleep(every)
            try:
                await asyncio.get_running_loop().run_in_executor(self._write_pool, checkpoint)
            except Exception as exc:
                log.warning("checkpoint failed: %s", type(exc).__name__)

    def _read_heads(self) -> tuple[int, int]:
        """The newest seq stored, and pruned_through.

        Not the counter's high-water mark: after a restore's jump, a desktop whose
        cursor is past what the backup holds must still be told ``cursor_ahead``.
        """
        with self.engine.connect() as conn:
            head = conn.execute(select(func.max(events.c.seq))).scalar() or 0
            pruned = conn.execute(
                select(settings_kv.c.value).where(settings_kv.c.key == "pruned_through")
            ).scalar()
        return int(head), int(pruned or 0)

    async def _in_reader(self, fn: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._read_pool, fn, *args)

    # -- the doorbell ----------------------------------------------------------

    def _ring(self) -> None:
        bell, self._bell = self._bell, asyncio.Event()
        bell.set()

    @property
    def bell(self) -> asyncio.Event:
        """The event the next commit will set; take it *before* reading."""
        return self._bell

    @property
    def head(self) -> int:
        """The newest seq committed, by this instance or (PostgreSQL) another one."""
        return max(self.db_head, self.cache.head)

    # -- appending -------------------------------------------------------------

    async def append(self, new_events: Sequence[NewEvent]) -> list[int | None]:
        """Commit ``new_events``; returns each one's seq, ``None`` for a duplicate.

        Cancelling does not withdraw the events: they are committed with their
        group all the same, and only the caller's answer is lost.
        """
        if not new_events:
            return []
        assert self._queue is not None, "EventLog.start() was not awaited"
        if self._may_commit_here():
            seqs = await self._commit_here(list(new_events))
            if seqs is not None:
                return seqs
        future: asyncio.Future[list[int | None]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(new_events, future))
        return await future

    def _may_commit_here(self) -> bool:
        """Whether a webhook may commit in its own task: SQLite, writer idle for a while.

        Nothing is being written or waiting, and nothing arrived for
        :data:`INLINE_COMMIT_IDLE`: no other webhook is being parsed that a
        commit on the thread could overlap. Then the hand-off to the writer
        task, its turn of the loop and the answer's turn back were most of a
        lone webhook's latency, beside one fsync. Only while commits are fast
        (:data:`INLINE_COMMIT_MAX`): a stalling disk must stall the webhooks,
        never the loop.
        """
        return (
            self._raw is not None
            and not self._busy
            and self._queue is not None
            and self._queue.empty()
            and self._loop is not None
            and self._loop.time() - self._idle_since >= INLINE_COMMIT_IDLE
            and self._last_commit < INLINE_COMMIT_MAX
        )

    async def _commit_here(self, flat: list[NewEvent]) -> list[int | None] | None:
        """SQLite: number, insert and commit ``flat`` without leaving the caller's task.

        :meth:`_write_inline` with the commit on the loop: nothing is awaited
        between ``BEGIN`` and ``COMMIT``, so the writer task cannot interleave.
        None, with nothing written, if another connection holds the write lock
        (the ack flusher, retention): the events then queue for the writer like
        any group.
        """
        began = time.perf_counter()
        try:
            done = await self._write_inline(flat, on_loop=True)
        except Exception as exc:
            log.error("append failed: %s", type(exc).__name__)
            raise
        finally:
            assert self._loop is not None
            self._idle_since = self._loop.time()
        if done is None:
            return None
        self.inline_commits += 1
        self._publish(flat, done, began)
        return done[0]

    def _publish(
        self,
        flat: list[NewEvent],
        done: tuple[list[int | None], int, int, list[tuple[int, bytes]]],
        began: float,
    ) -> None:
        """After a commit: the tail cache, the heads, the commit hook, then the bell."""
        seqs, prev_head, new_head, frames = done
        self.cache.extend(prev_head, frames, new_head)
        self.db_head = max(self.db_head, new_head)
        # Another instance committed before this group, or announced more meanwhile.
        self._other_committed(prev_head)
        if self._on_commit is not None:
            self._on_commit(flat, seqs, time.perf_counter() - began)
        self._ring()

    async def _writer(self) -> None:
        assert self._queue is not None
        while True:
            first = await self._queue.get()
            self._busy = True
            # No waiting window: while a group is being committed (its fsync), the
            # webhooks that arrive queue up and go together in the next group, so
            # a webhook waits at most for the commit in flight and its own.
            await asyncio.sleep(0)  # webhooks parsed in this same turn of the loop join
            group = [first]
            count = len(first.events)
            while count < 5_000:
                try:
                    nxt = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
                group.append(nxt)
                count += len(nxt.events)
            flat = [ev for pending in group for ev in pending.events]
            began = time.perf_counter()
            self._appending = True
            try:
                done = await self._write(flat)
            except Exception as exc:  # the database is gone: fail these webhooks (Meta retries)
                log.error("append failed: %s", type(exc).__name__)
                for pending in group:
                    if not pending.future.done():
                        pending.future.set_exception(exc)
                continue
            finally:
                self._appending = self._busy = False
                self._idle_since = asyncio.get_running_loop().time()
            seqs = done[0]
            offset = 0
            for pending in group:
                n = len(pending.events)
                if not pending.future.done():
                    pending.future.set_result(seqs[offset : offset + n])
                offset += n
            self._publish(flat, done, began)

    async def _write(
        self, flat: list[NewEvent]
    ) -> tuple[list[int | None], int, int, list[tuple[int, bytes]]]:
        """Commit one group on the backend's fastest path."""
        if not self._sqlite:
            return await self._write_pg(flat)
        done = await self._write_inline(flat)
        if done is None:
            loop = asyncio.get_running_loop()
            done = await loop.run_in_executor(self._write_pool, self._write_group, flat)
        return done

    @staticmethod
    def _prepare(flat: list[NewEvent]) -> list[tuple[str, str, float, str]]:
        """The rows to insert, one per distinct key.

        Every event was checked and encoded when it was built (:class:`NewEvent`),
        so a group can only fail for a reason that concerns all of it.
        """
        now = time.time()
        seen: set[str] = set()  # keys repeated inside one group keep their first occurrence
        rows: list[tuple[str, str, float, str]] = []
        for ev in flat:
            if ev.dedupe_key not in seen:
                seen.add(ev.dedupe_key)
                rows.append((ev.dedupe_key, ev.kind, now, ev.text))
        return rows

    @staticmethod
    def _sqlite_insert(
        dbapi_conn: Any, rows: list[tuple[str, str, float, str]]
    ) -> tuple[int, dict[str, int]]:
        """Number and insert the new rows on a raw sqlite3 connection, in the caller's transaction.

        Keys already stored are found first, so they take no number; the rest
        get the numbers after the head, in order. One multi-row statement per
        chunk: SQLAlchemy's per-statement overhead would be most of a group's cost.
        """
        cursor = dbapi_conn.cursor()
        prev_head = int(cursor.execute(SQLITE_HEAD).fetchone()[0])
        stored: set[str] = set()
        for start in range(0, len(rows), INSERT_CHUNK):
            keys = [row[0] for row in rows[start : start + INSERT_CHUNK]]
            sql = SQLITE_STORED % ",".join("?" * len(keys))
            stored.update(key for (key,) in cursor.execute(sql, keys))
        fresh = [row for row in rows if row[0] not in stored]
        inserted = {row[0]: prev_head + n for n, row in enumerate(fresh, start=1)}
        for start in range(0, len(fresh), INSERT_CHUNK):
            chunk = fresh[start : start + INSERT_CHUNK]
            first = prev_head + start + 1
            params = [v for n, row in enumerate(chunk, start=first) for v in (n, *row)]
            cursor.execute(SQLITE_INSERT % ",".join(["(?,?,?,?,?)"] * len(chunk)), params)
        cursor.close()
        return prev_head, inserted

    async def _write_inline(
        self, flat: list[NewEvent], *, on_loop: bool = False
    ) -> tuple[list[int | None], int, int, list[tuple[int, bytes]]] | None:
        """SQLite on the event loop's own connection; None if another writer holds the lock.

        A group commits in about a millisecond, so doing it here beats two
        thread hand-offs and the GIL convoy a busy loop inflicts on a worker
        thread. The connection never waits for a lock (busy_timeout 0): if the
        ack flusher or retention is writing, the group goes to the thread.
        Only the commit (its fsync) leaves the loop: the loop parses the next
        group's webhooks meanwhile. ``on_loop`` commits here too, with no
        ``await`` at all: a webhook alone at an idle relay (:meth:`_commit_here`).
        """
        raw = self._raw
        if raw is None:
            return None
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return None
        try:
            rows = self._prepare(flat)
            prev_head, inserted = self._sqlite_insert(raw, rows)
            if on_loop:
                self._timed_commit(raw)
            else:
                await asyncio.get_running_loop().run_in_executor(
                    self._commit_pool, self._timed_commit, raw
                )
        except BaseException:
            raw.rollback()
            raise
        return self._result(flat, prev_head, inserted)

    def _timed_commit(self, raw: sqlite3.Connection) -> None:
        """COMMIT (the fsync), noting how long it took: whether the next may run on the loop."""
        began = time.perf_counter()
        try:
            raw.commit()
        finally:
            self._last_commit = time.perf_counter() - began

    def _write_group(
        self, flat: list[NewEvent]
    ) -> tuple[list[int | None], int, int, list[tuple[int, bytes]]]:
        """SQLite on the writer thread, when the loop's connection found the lock taken.

        ``BEGIN IMMEDIATE`` waits for the write lock before the head is read:
        sqlite3's implicit transaction would start only at the INSERT, after
        reading a head another writer could move in between.
        """
        rows = self._prepare(flat)
        fairy = self.engine.raw_connection()
        try:
            raw = fairy.driver_connection
            raw.execute("BEGIN IMMEDIATE")
            try:
                prev_head, inserted = self._sqlite_insert(raw, rows)
                raw.commit()
            except BaseException:
                raw.rollback()
                raise
        finally:
            fairy.close()
        return self._result(flat, prev_head, inserted)

    async def _write_pg(
        self, flat: list[NewEvent]
    ) -> tuple[list[int | None], int, int, list[tuple[int, bytes]]]:
        """PostgreSQL: the whole group in one statement on the loop's own connection.

        ``relay_append`` (migration 0004) locks, deduplicates, numbers, inserts
        and notifies; the connection is in autocommit, so the statement is its
        own transaction and its answer arrives after the commit is durable.
        Nothing waits on a thread or a pool: psycopg's async connection runs on
        the event loop. A failed connection is dropped and opened again for the
        next group (these webhooks fail, and Meta retries them).
        """
        rows = self._prepare(flat)
        conn = self._pg
        if conn is None or conn.closed:
            import psycopg

            conn = self._pg = await psycopg.AsyncConnection.connect(self._pg_dsn(), autocommit=True)
            self._writer_pid = conn.info.backend_pid
        group = orjson.dumps([list(column) for column in zip(*rows, strict=True)]).decode()
        try:
            cursor = await conn.execute(PG_APPEND, (group,), prepare=True)
            answer = await cursor.fetchall()
        except BaseException:
            self._pg = None
            with contextlib.suppress(Exception):
                await conn.close()
            raise
        prev_head = int(answer[0][0])
        self.last_lock_held = int(answer[-1][0]) / 1e6  # the '#held_us' row
        inserted = {str(key): int(seq) for seq, key in answer[1:-1]}
        return self._result(flat, prev_head, inserted)

    async def _gap_open_after(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for announcements to close the gap; True if still open.

        The other instance's announcement of the range usually lands within a
        millisecond, frames included, and a read would fetch the same rows again.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._heard > self.cache.head:
            left = deadline - loop.time()
            if left <= 0:
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.bell.wait(), left)
        return False

    async def _read_others(
        self, cursor: int, limit: int, max_bytes: int
    ) -> list[tuple[int, bytes]]:
        """Frames after ``cursor`` for a fill: one query on the loop's own reading connection.

        Under two busy instances a fill runs for nearly every commit of the other
        one; through the pool (a ping, two queries, a rollback, on a thread) it
        cost more CPU than the webhooks it served. SQLite has no other instance.
        """
        if self._sqlite:
            return await self._in_reader(self._read_db, cursor, limit, max_bytes)
        conn = self._pg_reader
        if conn is None or conn.closed:
            import psycopg

            conn = self._pg_reader = await psycopg.AsyncConnection.connect(
                self._pg_dsn(), autocommit=True
            )
        try:
            cur = await conn.execute(PG_READ, (cursor, limit, max_bytes), prepare=True)
            rows = await cur.fetchall()
        except BaseException:
            self._pg_reader = None
            with contextlib.suppress(Exception):
                await conn.close()
            raise
        return [(int(seq), wire_frame(int(seq), body)) for seq, body in rows]

    def _pg_dsn(self) -> str:
        """The engine's URL as libpq wants it (psycopg, not SQLAlchemy's dialect name)."""
        url = self.engine.url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def _result(
        self, flat: list[NewEvent], prev_head: int, inserted: dict[str, int]
    ) -> tuple[list[int | None], int, int, list[tuple[int, bytes]]]:
        new_head = max(inserted.values(), default=prev_head)
        seqs: list[int | None] = []
        frames: list[tuple[int, bytes]] = []
        claimed: set[str] = set()
        for ev in flat:
            seq = inserted.get(ev.dedupe_key)
            if seq is None or ev.dedupe_key in claimed:
                seqs.append(None)
                self.duplicates += 1
                continue
            claimed.add(ev.dedupe_key)
            seqs.append(seq)
            frames.append((seq, wire_frame(seq, ev.text)))
        frames.sort()
        return seqs, prev_head, new_head, frames

    # -- PostgreSQL: hear other instances' commits -------------------------------

    async def _listen_pg(self) -> None:
        """Hear other instances' commits, on the loop (psycopg's async ``notifies``).

        An announcement on :data:`FRAMES_CHANNEL` carries the group's events
        when they are small. This instance's own announcements are skipped by
        the writer connection's backend PID, and the plain head on
        :data:`NOTIFY_CHANNEL` (for relays from before migration 0004) only
        when it tells nothing new. A listener thread did this before: under two
        busy instances its wake-ups, hand-offs and GIL switches with the loop
        cost more than decoding the announcements here.
        """
        import psycopg

        dsn = self._pg_dsn()
        while not self._stopping.is_set():
            try:
                async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {FRAMES_CHANNEL}")
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    known = 0
                    # Ends only when the connection fails, or the task is cancelled by stop().
                    async for note in conn.notifies():
                        with contextlib.suppress(ValueError):  # not ours: ignored
                            known = self._decode_note(note.channel, note.payload, known)
            except Exception as exc:
                log.warning("listen connection lost: %s", type(exc).__name__)
                await asyncio.sleep(1.0)

    def _decode_note(self, channel: str, payload: str, known: int) -> int:
        """Decode one notification; returns the newest head known now."""
        if channel != FRAMES_CHANNEL:
            head = int(payload)
            if head > known:
                self._hand_over((-1, head, None))
            return max(known, head)
        pid, base, head, *rest = payload.split(" ", 3)
        if int(pid) == self._writer_pid:
            return max(known, int(head))
        frames = None
        if rest:
            frames = [(int(seq), wire_frame(int(seq), body)) for seq, body in orjson.loads(rest[0])]
        self._hand_over((int(base), int(head), frames))
        return max(known, int(head))

    def _hand_over(self, note: _Note) -> None:
        """Queue a decoded announcement; schedule one pass over the queue if none is pending.

        Under two busy instances the other one commits hundreds of times a
        second, and psycopg hands over every notification of one read in turn:
        a fan-out pass to every device per announcement cost more than the
        frames. Those heard together are applied in one pass
        (:meth:`_take_announcements`), in order, with one ring.
        """
        self._notes.append(note)
        if not self._notes_scheduled:
            self._notes_scheduled = True
            asyncio.get_running_loop().call_soon(self._take_announcements)

    def _take_announcements(self) -> None:
        """Apply every announcement queued so far, then ring once."""
        self._notes_scheduled = False
        extended = False
        newest = 0
        notes = self._notes
        while notes:
            base, head, frames = notes.popleft()
            if frames is not None and self.cache.floor >= 0:
                self.cache.extend(base, frames, head)
                extended = True
            newest = max(newest, head)
        if extended:
            self._ring()
        if newest:
            self._other_committed(newest)

    def _other_committed(self, head: int) -> None:
        """On the loop: another instance committed up to ``head``; fetch its frames once.

        Every device streaming from this instance needs those frames. Read once
        into the tail cache, they are served from memory to all of them, where
        moving ``db_head`` at once sent each stream to the database on its own
        (ten devices: ten reads of the same rows per commit of the other instance).
        """
        self._heard = max(self._heard, head)
        if self._appending:
            # Most likely our own commit's notification, heard before the group's answer:
            # the writer looks again once its frames are in the tail.
            return
        if self._heard > self.cache.head and self._filler is None and not self._stopping.is_set():
            self._filler = asyncio.get_running_loop().create_task(
                self._fill_from_others(), name="relay-tail-fill"
            )

    async def _fill_from_others(self) -> None:
        """Bring the tail cache up to what other instances committed, then ring.

        ``seq`` order is commit order (the advisory lock is held to the commit),
        so every row up to the highest one read is committed: the cache may vouch
        for that whole range. If this instance appended while the rows were being
        read, they are read again after its head. If the database cannot be read,
        ``db_head`` moves instead, and readers go to the database themselves.
        """
        try:
            for _ in range(1000):  # bounded: each pass moves the head or stops
                cache = self.cache
                if self._heard <= cache.head or cache.floor < 0 or self._stopping.is_set():
                    break
                if not await self._gap_open_after(FILL_GRACE):
                    continue  # announcements brought (some of) it: look again
                before = cache.head
                read = await self._read_others(before, 2_000, READ_MAX_BYTES)
                if cache.head != before:  # the cache moved meanwhile: read after it
                    continue
                # Up to where the read vouches: its last row, or (nothing more is stored
                # before it: a restore's jump, pruned rows) the next commit held back,
                # else the head announced, which was committed before this read began.
                stop = cache.next_pending  # this instance's own commits are cached already
                rows = read if stop is None else [row for row in read if row[0] <= stop]
                if rows and (stop is None or len(rows) == len(read)):
                    new_head = rows[-1][0]
                else:
                    new_head = stop if stop is not None else self._heard
                cache.extend(before, rows, new_head)
                self._ring()
        except Exception as exc:
            log.warning("reading other instances' events failed: %s", type(exc).__name__)
            self.db_head = max(self.db_head, self._heard)
            self._ring()
        finally:
            self._filler = None
            if self._heard > self.cache.head and not self._stopping.is_set():
                self.db_head = max(self.db_head, self._heard)  # not caught up: readers read
                self._ring()

    # -- reading ------------------------------------------------------------------

    async def read_after(
        self, cursor: int, limit: int = 500, max_bytes: int = READ_MAX_BYTES
    ) -> list[tuple[int, bytes]]:
        """Frames (websocket bytes) with ``seq > cursor``, in order, without a gap.

        At most ``limit`` of them and ``max_bytes`` in all (one frame always,
        however large): a page of large events read from the database would
        otherwise be held whole, whatever the caller can send. Safe to cancel:
        a database read finishes on its thread and is dropped.
        """
        cache = self.cache
        if 0 <= cache.floor <= cursor and self.db_head > cache.head and self._filler is not None:
            # Another instance's frames are being read once for every stream: wait for them
            # rather than read them again (shielded: a cancelled reader stops only its wait).
            await asyncio.shield(self._filler)
        rows = self.cached_after(cursor, limit, max_bytes)
        if rows is not None:
            return rows
        return await self._in_reader(self._read_db, cursor, limit, max_bytes)

    def cached_after(
        self, cursor: int, limit: int, max_bytes: int = READ_MAX_BYTES
    ) -> list[tuple[int, bytes]] | None:
        """The frames after ``cursor`` if the tail cache holds them all, else None.

        Without an ``await``: the streams' fan-out pass reads and writes in one
        step of the loop, so no commit can land between what it read and wrote.
        """
        cache = self.cache
        if 0 <= cache.floor <= cursor and self.db_head <= cache.head:
            return cache.after(cursor, limit, max_bytes)
        return None

    def _read_db(self, cursor: int, limit: int, max_bytes: int) -> list[tuple[int, bytes]]:
        """Sizes first, then only the bodies that fit, in one read transaction."""
        after = events.c.seq > cursor
        with self.engine.connect() as conn:
            sizes = conn.execute(
                select(events.c.seq, func.length(events.c.body))
                .where(after)
                .order_by(events.c.seq)
                .limit(limit)
            ).all()
            if not sizes:
                return []
            rows = conn.execute(
                select(events.c.seq, events.c.body)
                .where(after, events.c.seq <= _last_fitting(sizes, max_bytes))
                .order_by(events.c.seq)
            ).all()
        frames = [(int(seq), wire_frame(int(seq), body)) for seq, body in rows]
        return within_bytes(frames, max_bytes)

    async def pruned_past(self, cursor: int) -> bool:
        """Whether retention deleted events after ``cursor``, read from the database.

        This process's ``pruned_through`` follows only its own prunes; another
        instance on the same database prunes on its own timer. A stream that
        finds a gap after its cursor (``seq`` is dense, so a gap is deleted
        events or a restore's jump) asks here, and the stored value, which
        every instance's prune moves, tells which. Safe to cancel.
        """

        def query() -> int:
            with self.engine.connect() as conn:
                value = conn.execute(
                    select(settings_kv.c.value).where(settings_kv.c.key == "pruned_through")
                ).scalar()
            return int(value or 0)

        self.pruned_through = max(self.pruned_through, int(await self._in_reader(query)))
        return cursor < self.pruned_through

    async def oldest_seq(self) -> int:
        """The smallest seq still stored, 0 for an empty log (for a ``reset`` frame).

        Safe to cancel: the read finishes on its thread and its answer is dropped.
        """

        def query() -> int:
            """``min(seq)`` on a pooled connection."""
            with self.engine.connect() as conn:
                return int(conn.execute(select(func.min(events.c.seq))).scalar() or 0)

        return int(await self._in_reader(query))

    # -- retention -------------------------------------------------------------------

    async def prune(self, older_than: float, keep_from_seq: int | None) -> int:
        """Delete events received before ``older_than``.

        ``keep_from_seq``: never delete seq above it (a connected device is still
        draining them). Returns how many rows went. Cancelling stops the wait,
        not the deletion, which commits with ``pruned_through``; this process's
        copy of it then lags until the next prune, so cancel only when stopping.
        """
        loop = asyncio.get_running_loop()
        deleted, through = await loop.run_in_executor(
            self._write_pool, self._prune, older_than, keep_from_seq
        )
        if through:
            self.pruned_through = max(self.pruned_through, through)
            self.cache.forget_through(through)
        return deleted

    def _prune(self, older_than: float, keep_from_seq: int | None) -> tuple[int, int]:
        with self.engine.begin() as conn:
            cond = events.c.received_at < older_than
            if keep_from_seq is not None:
                cond = cond & (events.c.seq <= keep_from_seq)
            through = conn.execute(select(func.max(events.c.seq)).where(cond)).scalar()
            if through is None:
                return 0, 0
            deleted = conn.execute(events.delete().where(events.c.seq <= through)).rowcount
            current = conn.execute(
                select(settings_kv.c.value).where(settings_kv.c.key == "pruned_through")
            ).scalar()
            if current is None:
                conn.execute(settings_kv.insert().values(key="pruned_through", value=str(through)))
            elif int(current) < through:
                conn.execute(
                    settings_kv.update()
                    .where(settings_kv.c.key == "pruned_through")
                    .values(value=str(through))
                )
        return int(deleted or 0), int(through)

    async def run_in_writer(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a small write (acks, device rows) on the writer thread, in order.

        Cancelling stops the wait, not the write: ``fn`` still runs, in its turn.
        """
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._write_pool, fn, *args)

    async def run_in_reader(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a blocking read on the reader pool (four threads) and return its result.

        Cancelling stops the wait, not the call: ``fn`` runs to its end on its
        thread, so it must be a read (or a write that may complete unobserved).
        """
        return await self._in_reader(fn, *args)
