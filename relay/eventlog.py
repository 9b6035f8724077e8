"""The durable, ordered event log every desktop streams from.

Three promises live here:

* **Durable before answered.** :meth:`EventLog.append` returns only after the
  transaction holding the events has committed. Concurrent webhooks are
  *group-committed*: while one transaction is being written, newcomers queue up
  and go together in the next one, so durability costs one fsync per group,
  not per webhook.
* **One order.** ``seq`` grows in commit order. SQLite has a single writer; on
  PostgreSQL several relay instances may append, so each append takes a
  transaction-scoped advisory lock, which makes sequence order equal commit
  order (a reader can never see ``seq`` N+1 before N).
* **No gap between replay and live.** Readers only ever ask "what is after my
  cursor?", answered from an in-memory tail of recent frames when it covers the
  cursor and from the database otherwise, and wait on a doorbell rung after
  each commit. A missed or merged ring cannot lose anything.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Engine, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from relay.db import events, is_sqlite, settings_kv
from relay.webhook import NewEvent

log = logging.getLogger("relay.eventlog")

ADVISORY_LOCK_ID = 0x63726D77  # "crmw": serialises appends across relay instances
NOTIFY_CHANNEL = "crm_whatsapp_relay_events"
INSERT_CHUNK = 400
SQLITE_INSERT = (
    "INSERT INTO events (dedupe_key, kind, received_at, body) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (dedupe_key) DO NOTHING RETURNING seq"
)


def frame_text(seq: int, body: str) -> str:
    """The stream frame for one event; the body is already JSON text."""
    return f'{{"type":"event","seq":{seq},"event":{body}}}'


@dataclass(slots=True)
class _Pending:
    events: Sequence[NewEvent]
    future: asyncio.Future[list[int | None]]


class TailCache:
    """Recent frames, authoritative for every seq in ``(floor, head]``.

    Live devices read from here instead of querying the database once per
    commit each. The cache only claims ranges it saw committed contiguously.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.floor = -1  # nothing is authoritative until the first append
        self.head = -1
        self._seqs: list[int] = []
        self._frames: list[str] = []

    def extend(self, prev_head: int, rows: list[tuple[int, str]], new_head: int) -> None:
        if prev_head != self.head:
            # Someone else appended in between (another instance): start anew.
            self._seqs.clear()
            self._frames.clear()
            self.floor = prev_head
        for seq, frame in rows:
            self._seqs.append(seq)
            self._frames.append(frame)
        self.head = new_head
        if len(self._seqs) > 2 * self.capacity:
            cut = len(self._seqs) - self.capacity
            self.floor = self._seqs[cut - 1]
            del self._seqs[:cut]
            del self._frames[:cut]

    def after(self, cursor: int, limit: int) -> list[tuple[int, str]]:
        start = bisect.bisect_right(self._seqs, cursor)
        end = min(start + limit, len(self._seqs))
        return list(zip(self._seqs[start:end], self._frames[start:end], strict=True))


class EventLog:
    """Append events durably and read them back by cursor."""

    def __init__(
        self,
        engine: Engine,
        *,
        cache_size: int = 20_000,
        on_commit: Callable[[list[NewEvent], list[int | None]], None] | None = None,
    ) -> None:
        self.engine = engine
        self._sqlite = is_sqlite(engine)
        self._queue: asyncio.Queue[_Pending] | None = None
        self._writer_task: asyncio.Task[None] | None = None
        self._listener: threading.Thread | None = None
        self._stopping = threading.Event()
        # One thread writes (SQLite's single writer; on PostgreSQL it keeps our
        # own appends ordered too); readers use a small pool.
        self._write_pool = ThreadPoolExecutor(1, thread_name_prefix="relay-writer")
        self._read_pool = ThreadPoolExecutor(4, thread_name_prefix="relay-reader")
        self._bell = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.cache = TailCache(cache_size)
        self.db_head = 0
        self.pruned_through = 0
        self._on_commit = on_commit
        self.duplicates = 0

    # -- lifecycle -----------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self.db_head, self.pruned_through = await self._in_reader(self._read_heads)
        self._writer_task = asyncio.create_task(self._writer(), name="relay-group-commit")
        if not self._sqlite:
            self._listener = threading.Thread(
                target=self._listen_pg, name="relay-pg-listen", daemon=True
            )
            self._listener.start()

    async def stop(self) -> None:
        self._stopping.set()
        if self._writer_task is not None:
            self._writer_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer_task
        self._write_pool.shutdown(wait=True)
        self._read_pool.shutdown(wait=True)
        self._ring()

    def _read_heads(self) -> tuple[int, int]:
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
        return max(self.db_head, self.cache.head)

    # -- appending -------------------------------------------------------------

    async def append(self, new_events: Sequence[NewEvent]) -> list[int | None]:
        """Commit ``new_events``; returns each one's seq, ``None`` for a duplicate."""
        if not new_events:
            return []
        assert self._queue is not None, "EventLog.start() was not awaited"
        future: asyncio.Future[list[int | None]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(new_events, future))
        return await future

    async def _writer(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            first = await self._queue.get()
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
            try:
                seqs, prev_head, new_head, frames = await loop.run_in_executor(
                    self._write_pool, self._write_group, flat
                )
            except Exception as exc:  # the database is gone: fail these webhooks (Meta retries)
                log.error("append failed: %s", type(exc).__name__)
                for pending in group:
                    if not pending.future.done():
                        pending.future.set_exception(exc)
                continue
            self.cache.extend(prev_head, frames, new_head)
            self.db_head = max(self.db_head, new_head)
            offset = 0
            for pending in group:
                n = len(pending.events)
                if not pending.future.done():
                    pending.future.set_result(seqs[offset : offset + n])
                offset += n
            if self._on_commit is not None:
                self._on_commit(flat, seqs)
            self._ring()

    def _insert_stmt(self, rows: list[dict[str, Any]]) -> Any:
        if self._sqlite:
            stmt = sqlite.insert(events).values(rows)
        else:
            stmt = postgresql.insert(events).values(rows)
        return stmt.on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(
            events.c.seq, events.c.dedupe_key
        )

    def _write_group(
        self, flat: list[NewEvent]
    ) -> tuple[list[int | None], int, int, list[tuple[int, str]]]:
        now = time.time()
        bodies = [orjson.dumps(ev.body).decode("utf-8") for ev in flat]
        inserted: dict[str, int] = {}
        with self.engine.begin() as conn:
            if not self._sqlite:
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_ID})
            prev_head = int(conn.execute(select(func.max(events.c.seq))).scalar() or 0)
            # Keys repeated inside one group keep their first occurrence.
            seen: set[str] = set()
            rows: list[dict[str, Any]] = []
            for ev, body in zip(flat, bodies, strict=True):
                if ev.dedupe_key in seen:
                    continue
                seen.add(ev.dedupe_key)
                rows.append(
                    {"dedupe_key": ev.dedupe_key, "kind": ev.kind, "received_at": now, "body": body}
                )
            if self._sqlite:
                # One prepared statement reused per row: SQLite runs in-process,
                # so this beats compiling a many-VALUES statement each group.
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                for row in rows:
                    cursor.execute(
                        SQLITE_INSERT,
                        (row["dedupe_key"], row["kind"], row["received_at"], row["body"]),
                    )
                    got = cursor.fetchone()
                    if got is not None:
                        inserted[row["dedupe_key"]] = int(got[0])
                cursor.close()
            else:
                for start in range(0, len(rows), INSERT_CHUNK):
                    chunk = rows[start : start + INSERT_CHUNK]
                    for seq, key in conn.execute(self._insert_stmt(chunk)):
                        inserted[key] = int(seq)
            new_head = max(inserted.values(), default=prev_head)
            if inserted and not self._sqlite:
                conn.execute(text(f"NOTIFY {NOTIFY_CHANNEL}, '{new_head}'"))
        seqs: list[int | None] = []
        frames: list[tuple[int, str]] = []
        claimed: set[str] = set()
        for ev, body in zip(flat, bodies, strict=True):
            seq = inserted.get(ev.dedupe_key)
            if seq is None or ev.dedupe_key in claimed:
                seqs.append(None)
                self.duplicates += 1
                continue
            claimed.add(ev.dedupe_key)
            seqs.append(seq)
            frames.append((seq, frame_text(seq, body)))
        frames.sort()
        return seqs, prev_head, new_head, frames

    # -- PostgreSQL: hear other instances' commits -------------------------------

    def _listen_pg(self) -> None:
        import psycopg

        url = self.engine.url.set(drivername="postgresql")
        dsn = url.render_as_string(hide_password=False)
        while not self._stopping.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    while not self._stopping.is_set():
                        for note in conn.notifies(timeout=0.5):
                            with contextlib.suppress(ValueError):
                                self._heard_head(int(note.payload))
                        # Periodic safety net: a lost notification only delays.
            except Exception as exc:
                log.warning("listen connection lost: %s", type(exc).__name__)
                self._stopping.wait(1.0)

    def _heard_head(self, head: int) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def apply() -> None:
            if head > self.db_head:
                self.db_head = head
                self._ring()

        loop.call_soon_threadsafe(apply)

    # -- reading ------------------------------------------------------------------

    async def read_after(self, cursor: int, limit: int = 500) -> list[tuple[int, str]]:
        """Up to ``limit`` frames with ``seq > cursor``, in order."""
        cache = self.cache
        if cache.floor >= 0 and cache.floor <= cursor and self.db_head <= cache.head:
            return cache.after(cursor, limit)
        return await self._in_reader(self._read_db, cursor, limit)

    def _read_db(self, cursor: int, limit: int) -> list[tuple[int, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(events.c.seq, events.c.body)
                .where(events.c.seq > cursor)
                .order_by(events.c.seq)
                .limit(limit)
            ).all()
        return [(int(seq), frame_text(int(seq), body)) for seq, body in rows]

    async def oldest_seq(self) -> int:
        def query() -> int:
            with self.engine.connect() as conn:
                return int(conn.execute(select(func.min(events.c.seq))).scalar() or 0)

        return int(await self._in_reader(query))

    # -- retention -------------------------------------------------------------------

    async def prune(self, older_than: float, keep_from_seq: int | None) -> int:
        """Delete events received before ``older_than``.

        ``keep_from_seq``: never delete seq above it (a connected device is still
        draining them). Returns how many rows went.
        """
        loop = asyncio.get_running_loop()
        deleted, through = await loop.run_in_executor(
            self._write_pool, self._prune, older_than, keep_from_seq
        )
        if through:
            self.pruned_through = max(self.pruned_through, through)
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
        """Run a small write (acks, device rows) on the writer thread, in order."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._write_pool, fn, *args)

    async def run_in_reader(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await self._in_reader(fn, *args)
