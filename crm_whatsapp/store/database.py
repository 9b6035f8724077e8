"""Opening the history database: SQLCipher with a raw 256-bit key, checked.

Stock SQLite silently accepts ``PRAGMA key`` and then writes plaintext, so
every connection proves it is SQLCipher (``PRAGMA cipher_version`` answers)
and that the key is right (the first read fails on a wrong key) before
anything is written. ``plain=True`` exists only for the benchmark that
measures what the encryption costs.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.store.schema import migrate


class StoreError(Exception):
    """A problem opening the history; ``str()`` is one sentence in Portuguese."""


class NotEncrypted(StoreError):
    """The history file is not encrypted (never opened: guarantee 2)."""

    def __init__(self) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Problems",
                "O banco de dados criptografado (SQLCipher) não está disponível nesta instalação; "
                "reinstale o aplicativo.",
            )
        )


class WrongDatabaseKey(StoreError):
    """The key in the keyring does not open this history (another profile's, or replaced)."""

    def __init__(self) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Problems",
                "O histórico não pôde ser aberto com esta chave; nada foi alterado. "
                "Use a chave de recuperação.",
            )
        )


def _pragmas(conn: Any) -> None:
    conn.execute("PRAGMA journal_mode = WAL")
    # WAL + NORMAL survives an app crash (the cursor and the events it
    # covers commit together, so a lost tail is simply replayed by the relay).
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA secure_delete = ON")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    # Decrypted pages stay cached: re-opening a recent conversation costs no
    # decryption (32 MB per connection).
    conn.execute("PRAGMA cache_size = -32000")


# The MAC SQLCipher puts on every page (AES-256 encrypts it either way).
# Every page read from disk is checked and every page written is signed, so
# the MAC is most of what encryption costs: HMAC-SHA512 (SQLCipher 4's
# default) took 11 of the 14 µs a 4 KB page costs to decrypt here, and
# HMAC-SHA256 half that on a CPU with SHA extensions (building a 1M-message
# history: 1.23× the plain file's time instead of 1.31×). Without them,
# SHA-512 is the faster of the two on a 64-bit CPU. So a new file takes
# whichever this CPU computes faster, and keeps it for life (changing it
# means rewriting the file); opening an existing file tries both, so files
# made with the default, and profiles restored onto another PC, still open.
PAGE_MACS = ("HMAC_SHA256", "HMAC_SHA512")


@cache
def preferred_mac() -> str:
    """The page MAC this CPU computes faster (a few milliseconds, once per process)."""
    page = bytes(4096)

    def cost(name: str) -> float:
        """Best of three timings of 200 page hashes with ``name``."""
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            for _ in range(200):
                hashlib.new(name, page).digest()
            best = min(best, time.perf_counter() - t)
        return best

    return "HMAC_SHA256" if cost("sha256") < cost("sha512") else "HMAC_SHA512"


def connect_encrypted(path: Path, key: bytes, mac: str | None = None) -> Any:
    """A SQLCipher DB-API connection opened with ``key`` (32 raw bytes).

    ``mac`` is the file's page MAC when the caller knows it; otherwise a new
    file gets :func:`preferred_mac` and an existing one is tried with each
    of :data:`PAGE_MACS` (``PRAGMA cipher_hmac_algorithm`` on the returned
    connection tells which one opened it).
    """
    if mac is not None:
        candidates: tuple[str, ...] = (mac,)
    elif not path.exists() or path.stat().st_size == 0:
        candidates = (preferred_mac(),)
    else:
        candidates = (preferred_mac(), *(m for m in PAGE_MACS if m != preferred_mac()))
    for candidate in candidates[:-1]:
        with contextlib.suppress(WrongDatabaseKey):
            return _connect_with_mac(path, key, candidate)
    return _connect_with_mac(path, key, candidates[-1])


def _connect_with_mac(path: Path, key: bytes, mac: str) -> Any:
    try:
        import sqlcipher3
    except ImportError as exc:  # wheel missing for this platform
        raise NotEncrypted() from exc
    if len(key) != 32:
        raise ValueError("the database key must be 32 bytes")
    if mac not in PAGE_MACS:
        raise ValueError(f"unknown page MAC {mac!r}")
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not version[0]:
            raise NotEncrypted()
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our error to word
        # A raw key: no passphrase KDF on every open.
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {mac}")
        conn.execute("PRAGMA cipher_memory_security = OFF")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise WrongDatabaseKey() from exc
        _pragmas(conn)
    except BaseException:
        conn.close()
        raise
    conn.isolation_level = ""
    return conn


def page_mac(conn: Any) -> str:
    """The page MAC an open SQLCipher connection uses."""
    return str(conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0])


def connect_plain(path: Path) -> Any:
    """An unencrypted file, through the same SQLite build (benchmarks only)."""
    import sqlcipher3

    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    _pragmas(conn)
    conn.isolation_level = ""
    return conn


def open_engine(path: Path, key: bytes | None, *, plain: bool = False) -> Engine:
    """An engine over the history file, migrated to the current schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if plain:
        creator = lambda: connect_plain(path)  # noqa: E731
    else:
        if key is None:
            raise ValueError("an encrypted store needs its key")
        # Prove the key (and learn the file's page MAC) before the pool
        # hands out connections.
        probe = connect_encrypted(path, key)
        try:
            mac = page_mac(probe)
        finally:
            probe.close()
        creator = lambda: connect_encrypted(path, key, mac)  # noqa: E731
    engine = create_engine(
        "sqlite+pysqlite://", creator=creator, poolclass=QueuePool, pool_size=4, max_overflow=4
    )

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:  # SQLAlchemy's documented pysqlite transaction fix
        conn.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    fairy = engine.raw_connection()
    try:
        migrate(fairy.driver_connection)
    finally:
        fairy.close()
    return engine
