"""The relay's tables and how to open them on SQLite or PostgreSQL.

One schema serves both backends. ``events.seq`` is the stream cursor, so it
must never be reused: on SQLite that needs ``AUTOINCREMENT`` (a plain rowid
restarts after retention deletes the newest rows), on PostgreSQL an identity.

The tables below are what the code reads and writes; the database gets them
from the migration scripts (:mod:`relay.migrations`), run by
:func:`create_schema`. A change here needs a new script beside them.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.pool import NullPool

from relay.migrate import upgrade

metadata = MetaData()

# BigInteger on PostgreSQL, but SQLite only autoincrements an "INTEGER PRIMARY KEY".
SeqType = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(300), nullable=False, unique=True),
    Column("kind", String(64), nullable=False),
    Column("received_at", Float, nullable=False),
    # The event object as JSON text, exactly what goes inside the stream frame.
    Column("body", Text, nullable=False),
    sqlite_autoincrement=True,
)
Index("ix_events_received_at", events.c.received_at)

devices = Table(
    "devices",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), unique=True),
    Column("code_hash", String(64), unique=True),
    Column("code_expires_at", Float),
    Column("created_at", Float, nullable=False),
    Column("enrolled_at", Float),
    Column("revoked_at", Float),
    Column("acked_seq", BigInteger, nullable=False, default=0),
    Column("last_seen_at", Float),
    # Renewed by every instance while it streams to the device (relay.presence).
    Column("online_until", Float),
)

sends = Table(
    "sends",
    metadata,
    Column("client_id", String(200), primary_key=True),
    Column("device_id", String(32), nullable=False),
    # sending -> accepted | failed | uncertain (sent but no answer seen)
    Column("state", String(16), nullable=False),
    Column("request", Text, nullable=False),
    Column("response", Text),
    Column("wamid", String(200)),
    Column("error_name", String(64)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)
Index("ix_sends_wamid", sends.c.wamid)

# Enrollment attempts per client address in the current one-minute window, kept
# here (not in memory) so every instance on the database counts the same guesses.
enroll_attempts = Table(
    "enroll_attempts",
    metadata,
    Column("client", String(64), primary_key=True),
    Column("window_start", Float, nullable=False),
    Column("attempts", Integer, nullable=False),
)
Index("ix_enroll_attempts_window_start", enroll_attempts.c.window_start)

settings_kv = Table(
    "relay_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)


def normalise_url(url: str) -> str:
    """Pick the psycopg 3 driver for bare ``postgresql://`` URLs (we ship it, not psycopg2)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(engine: Engine) -> bool:
    """True on SQLite: a single writer, so the event log commits inline and checkpoints itself."""
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, pool_size: int = 8) -> Engine:
    """Open the log database with the settings durability depends on.

    SQLite runs in WAL mode with ``synchronous=FULL``: a commit is on disk
    before the webhook is answered, and readers never block the single writer.
    """
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,
            max_overflow=pool_size,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    if url.startswith("postgresql"):
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)
    return create_engine(url, poolclass=NullPool)


def create_schema(engine: Engine) -> None:
    """Bring the database to this release's schema (see :mod:`relay.migrate`)."""
    upgrade(engine)
