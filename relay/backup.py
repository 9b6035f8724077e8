"""``crm-whatsapp-relay backup PATH``: a consistent copy of a SQLite log while the relay serves.

SQLite's online backup API (Python's :meth:`sqlite3.Connection.backup`) copies
the database page by page inside one read transaction. In WAL mode a reader
never blocks the relay's writer, so webhooks keep being answered; the copy is
the database as of the moment that transaction began: every event committed
(and so answered 200) before the backup started is in it. It is copied in one
step on purpose: a stepwise copy restarts each time the relay commits, which
under steady webhook traffic could never finish.

The copy is written beside its destination, checked with ``PRAGMA
integrity_check``, flushed to disk and only then renamed into place, so PATH
is never a half-written file. A PostgreSQL relay is backed up with
``pg_dump``; this command says so instead of pretending.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url


class BackupError(Exception):
    """The backup could not be made; the message is one sentence with the fix."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    head_seq: int


def sqlite_file(database_url: str) -> Path:
    """The SQLite file behind a URL, or :class:`BackupError` for any other backend."""
    parsed = make_url(database_url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            "The relay's database is PostgreSQL: back it up with pg_dump "
            "(e.g. pg_dump --format=custom --file=relay.dump DBNAME), not with this command."
        )
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("RELAY_DATABASE_URL names no SQLite file to back up.")
    return Path(parsed.database)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform opens folders
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_sqlite(source: Path, destination: Path) -> BackupResult:
    """Copy ``source`` to ``destination`` online, verified, atomically."""
    if not source.is_file():
        raise BackupError(
            f"There is no relay database at {source}: check RELAY_DATA_DIR or RELAY_DATABASE_URL."
        )
    if destination.is_dir():
        destination = destination / f"relay-backup-{_stamp()}.db"
    if destination.resolve() == source.resolve():
        raise BackupError("The backup path is the live database itself: choose another path.")
    folder = destination.parent
    if not folder.is_dir():
        raise BackupError(f"The folder {folder} does not exist: create it or choose another path.")
    partial = folder / f".{destination.name}.partial"
    partial.unlink(missing_ok=True)
    try:
        # The copy holds messages and token hashes: readable by its owner only.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        # A read-only handle: the backup never writes to the live database.
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # pages=-1: one read transaction, one snapshot
                (verdict,) = dst.execute("PRAGMA integrity_check").fetchone()
                if verdict != "ok":
                    raise BackupError(
                        f"The copy failed SQLite's integrity check ({verdict}): the live "
                        "database may be damaged; stop the relay and run PRAGMA integrity_check."
                    )
                row = dst.execute("SELECT max(seq) FROM events").fetchone()
                head = int(row[0] or 0)
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(partial, destination)
        _fsync_dir(folder)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"SQLite could not copy {source} ({type(exc).__name__}): check that the file is a "
            "relay database and that this user can read it and write to the backup folder."
        ) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"The backup could not be written to {folder} ({exc.strerror or type(exc).__name__}): "
            "check free space and permissions there."
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(destination, destination.stat().st_size, head)


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


# Seqs the restored log skips: more than a relay can have appended between the
# backup and the restore, so every event stored from now on has a seq above any
# cursor a desktop took from the lost events (the desktop would skip those seqs).
RESTORE_SEQ_GAP = 1_000_000_000


def restore_sqlite(backup: Path, live: Path) -> BackupResult:
    """Put ``backup`` in place of the live database (the relay must be stopped).

    The copy is checked first, and its seq counter moved past
    :data:`RESTORE_SEQ_GAP`: desktops that took events the backup does not hold
    have cursors beyond its head; they are told ``cursor_ahead`` and replay
    (duplicates are dropped on the desktop), and no new event can hide under
    one of their cursors. The old WAL files go, as they belong to the old file.
    """
    if not backup.is_file():
        raise BackupError(f"There is no backup at {backup}: give the path `backup` printed.")
    folder = live.parent
    if not folder.is_dir():
        raise BackupError(
            f"The folder {folder} does not exist: create it, owned by the relay's user."
        )
    partial = folder / f".{live.name}.restoring"
    partial.unlink(missing_ok=True)
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)
                (verdict,) = dst.execute("PRAGMA integrity_check").fetchone()
                if verdict != "ok":
                    raise BackupError(
                        f"The backup {backup} failed SQLite's integrity check ({verdict}): "
                        "restore an older one."
                    )
                head = int(dst.execute("SELECT max(seq) FROM events").fetchone()[0] or 0)
                dst.execute(
                    "UPDATE sqlite_sequence SET seq = max(seq, ?) + ? WHERE name = 'events'",
                    (head, RESTORE_SEQ_GAP),
                )
                dst.commit()
            finally:
                dst.close()
        finally:
            src.close()
        with partial.open("rb") as fh:
            os.fsync(fh.fileno())
        for stale in (Path(f"{live}-wal"), Path(f"{live}-shm")):
            stale.unlink(missing_ok=True)
        os.replace(partial, live)
        _fsync_dir(folder)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"{backup} is not a relay database SQLite can read ({type(exc).__name__}): "
            "restore a file written by `crm-whatsapp-relay backup`."
        ) from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            f"The database could not be written to {folder} "
            f"({exc.strerror or type(exc).__name__}): check free space and permissions there."
        ) from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupResult(live, live.stat().st_size, head)


def skip_seqs_after_pg_restore(database_url: str) -> int:
    """After ``pg_restore``: move the events' seq past the gap, as :func:`restore_sqlite` does.

    Returns the restored log's head seq.
    """
    from sqlalchemy import text

    from relay.db import make_engine

    engine = make_engine(database_url)
    try:
        with engine.begin() as connection:
            head = int(
                connection.execute(text("SELECT coalesce(max(seq), 0) FROM events")).scalar()
            )
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('events', 'seq'), :value)"),
                {"value": head + RESTORE_SEQ_GAP},
            )
    finally:
        engine.dispose()
    return head
