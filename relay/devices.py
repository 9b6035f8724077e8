"""Enrolled desktops: one-time codes, bearer tokens stored hashed, revocation.

These are plain synchronous functions over an engine so the admin CLI and the
server share them; the server calls them from a worker thread.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
import time
from dataclasses import dataclass

import orjson
from sqlalchemy import Engine, bindparam, case, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from relay.db import devices, enroll_attempts
from relay.textcheck import clean_text

log = logging.getLogger("relay.devices")

CODE_LIFETIME = 24 * 3600.0
# Wrong enrollment codes allowed per client address per window.
ENROLL_LIMIT = 10
ENROLL_WINDOW = 60.0
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a phone
MAX_NAME = 200  # the devices table's name column


class EnrollmentError(Exception):
    """The code is unknown, used or expired (deliberately not saying which)."""


class TooManyAttempts(Exception):
    """This client address used up its enrollment attempts for the current window."""


class BadDeviceName(ValueError):
    """The name holds a control character (NUL, an escape code) or is empty."""


def device_name(raw: str) -> str:
    """The name as stored: trimmed, cut to the column, free of control characters.

    PostgreSQL refuses NUL, and ``device list`` prints names in an admin's
    terminal, where escape codes would run as commands.
    """
    name = clean_text(raw.strip()[:MAX_NAME], MAX_NAME)
    if name is None:
        raise BadDeviceName("a device name must be text without control characters")
    return name


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True)
class Device:
    """A device's row as the CLI and the server see it; the token and code hashes stay put."""

    id: str
    name: str
    created_at: float
    enrolled_at: float | None
    revoked_at: float | None
    acked_seq: int
    last_seen_at: float | None

    @property
    def state(self) -> str:
        """``pending`` until its code is used, then ``enrolled``; ``revoked`` overrides both."""
        if self.revoked_at is not None:
            return "revoked"
        return "enrolled" if self.enrolled_at is not None else "pending"


def _row_to_device(row: object) -> Device:
    return Device(
        id=row.id,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        created_at=row.created_at,  # type: ignore[attr-defined]
        enrolled_at=row.enrolled_at,  # type: ignore[attr-defined]
        revoked_at=row.revoked_at,  # type: ignore[attr-defined]
        acked_seq=int(row.acked_seq or 0),  # type: ignore[attr-defined]
        last_seen_at=row.last_seen_at,  # type: ignore[attr-defined]
    )


def add_device(engine: Engine, name: str, now: float | None = None) -> tuple[Device, str, float]:
    """Create a pending device and its one-time code; returns (device, code, expires_at)."""
    now = time.time() if now is None else now
    name = device_name(name)
    device_id = secrets.token_hex(4)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    expires = now + CODE_LIFETIME
    with engine.begin() as conn:
        conn.execute(
            devices.insert().values(
                id=device_id,
                name=name,
                code_hash=_hash(_normalise_code(code)),
                code_expires_at=expires,
                created_at=now,
                acked_seq=0,
            )
        )
    device = Device(device_id, name, now, None, None, 0, None)
    return device, code, expires


def enroll(
    engine: Engine, code: str, name: str | None, now: float | None = None
) -> tuple[str, str]:
    """Exchange a code, once, for a token; returns (token, device_id).

    A blank ``name`` keeps the one given at ``device add``; a name with control
    characters is :class:`BadDeviceName`, before the code is looked at.
    """
    now = time.time() if now is None else now
    new_name = device_name(name) if name and name.strip() else None
    code_hash = _hash(_normalise_code(code))
    token = "crmw_" + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        row = conn.execute(
            select(devices.c.id, devices.c.code_expires_at, devices.c.revoked_at).where(
                devices.c.code_hash == code_hash
            )
        ).first()
        if row is None or row.revoked_at is not None or (row.code_expires_at or 0) < now:
            raise EnrollmentError("unknown, used or expired enrollment code")
        values: dict[str, object] = {
            "token_hash": _hash(token),
            "code_hash": None,
            "code_expires_at": None,
            "enrolled_at": now,
        }
        if new_name is not None:
            values["name"] = new_name
        # The WHERE on code_hash makes a concurrent second use update nothing.
        updated = conn.execute(
            devices.update()
            .where(devices.c.id == row.id, devices.c.code_hash == code_hash)
            .values(**values)
        ).rowcount
        if updated != 1:
            raise EnrollmentError("unknown, used or expired enrollment code")
    return token, row.id


def enroll_from(
    engine: Engine, client: str, code: str, name: str | None, now: float | None = None
) -> tuple[str, str]:
    """:func:`enroll`, throttled per client address in the database.

    The attempt is counted *before* the code is checked, in one statement, so
    concurrent guesses (on this instance or another one on the same database)
    cannot all pass a check that none of them has recorded yet. A right code
    gives its attempt back, and so does any failure that is not a wrong code
    (a bad name, the database refusing the update): only wrong codes use up
    the allowance.
    """
    now = time.time() if now is None else now
    _evict_attempts(engine, now)
    if not _reserve_attempt(engine, client[:64], now):
        raise TooManyAttempts(client)
    try:
        result = enroll(engine, code, name, now)
    except EnrollmentError:
        raise
    except BaseException:
        _give_back_attempt(engine, client[:64])
        raise
    _give_back_attempt(engine, client[:64])
    return result


def _reserve_attempt(engine: Engine, client: str, now: float) -> bool:
    """Count one attempt for ``client`` unless its window's allowance is used up."""
    expired = enroll_attempts.c.window_start <= now - ENROLL_WINDOW
    with engine.begin() as conn:
        conn.execute(_insert_missing(engine).values(client=client, window_start=now, attempts=0))
        counted = conn.execute(
            update(enroll_attempts)
            .where(
                enroll_attempts.c.client == client,
                expired | (enroll_attempts.c.attempts < ENROLL_LIMIT),
            )
            .values(
                attempts=case((expired, 1), else_=enroll_attempts.c.attempts + 1),
                window_start=case((expired, now), else_=enroll_attempts.c.window_start),
            )
        ).rowcount
    return counted == 1


def _insert_missing(engine: Engine) -> postgresql.Insert | sqlite.Insert:
    """INSERT … ON CONFLICT DO NOTHING: two instances may create the same row at once."""
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(enroll_attempts).on_conflict_do_nothing(index_elements=["client"])


def _give_back_attempt(engine: Engine, client: str) -> None:
    """Uncount a right code's attempt; failing here must not lose the device its token."""
    try:
        with engine.begin() as conn:
            conn.execute(
                update(enroll_attempts)
                .where(enroll_attempts.c.client == client, enroll_attempts.c.attempts > 0)
                .values(attempts=enroll_attempts.c.attempts - 1)
            )
    except DBAPIError as exc:
        log.warning(
            "enrollment attempt not given back", extra={"fields": {"error": type(exc).__name__}}
        )


def _evict_attempts(engine: Engine, now: float) -> None:
    """Forget windows that are over, so addresses seen once do not pile up forever."""
    try:
        with engine.begin() as conn:
            conn.execute(
                delete(enroll_attempts).where(enroll_attempts.c.window_start <= now - ENROLL_WINDOW)
            )
    except DBAPIError as exc:  # e.g. two instances evicting at once: the next call retries
        log.warning("enrollment eviction skipped", extra={"fields": {"error": type(exc).__name__}})


def authenticate(engine: Engine, token: str) -> Device | None:
    """The live device owning ``token``, or None (unknown or revoked)."""
    if not token:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(devices).where(devices.c.token_hash == _hash(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    return _row_to_device(row)


def list_devices(engine: Engine) -> list[Device]:
    """Every device, oldest first, revoked ones included (for ``device list``)."""
    with engine.connect() as conn:
        rows = conn.execute(select(devices).order_by(devices.c.created_at)).all()
    return [_row_to_device(r) for r in rows]


def revoke(engine: Engine, device_id: str, now: float | None = None) -> bool:
    """Revoke a device (its token and any unused code); False if no such device."""
    now = time.time() if now is None else now
    with engine.begin() as conn:
        updated = conn.execute(
            devices.update()
            .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
            .values(revoked_at=now, code_hash=None)
        ).rowcount
        if updated:
            return True
        exists = conn.execute(select(devices.c.id).where(devices.c.id == device_id)).first()
    return exists is not None


def revoked_among(engine: Engine, device_ids: list[str]) -> list[str]:
    """Which of these (connected) devices have been revoked, e.g. by the CLI."""
    if not device_ids:
        return []
    with engine.connect() as conn:
        # Every revoked id, filtered here: revoked devices are few, and an IN list of every
        # connected id made a new statement per length, each kept in SQLite's cache (RSS
        # grew by megabytes per thousand connections).
        rows = conn.execute(select(devices.c.id).where(devices.c.revoked_at.is_not(None))).all()
    wanted = set(device_ids)
    return [r.id for r in rows if r.id in wanted]


# Every noted ack in one statement whatever their number: one JSON object {device id: seq}
# joined to the table. SQLite's UPDATE … FROM needs 3.33 and json_each the JSON1
# functions (built in since 3.38); older builds use the many-parameter-sets form.
SQLITE_ACKS = text(
    "UPDATE devices SET acked_seq = j.value, last_seen_at = :now"
    " FROM json_each(:acks) AS j"
    " WHERE devices.id = j.key AND devices.acked_seq < j.value"
)
PG_ACKS = text(
    "UPDATE devices SET acked_seq = CAST(j.value AS BIGINT), last_seen_at = :now"
    " FROM jsonb_each_text(CAST(:acks AS JSONB)) AS j"
    " WHERE devices.id = j.key AND devices.acked_seq < CAST(j.value AS BIGINT)"
)


def record_acks(engine: Engine, acks: dict[str, int], now: float | None = None) -> None:
    """Persist the latest acknowledged seq per device (never moves backwards).

    One statement with one parameter for every device, not one parameter set per
    device: sqlite3 releases and retakes the GIL around every row of an
    ``executemany``, and with the event loop busy each retake waited up to the
    switch interval, so a flush for 1,000 desktops held the writer (and the group
    commits that fell back to it) for 15-45 ms and slowed the loop all along.
    """
    if not acks:
        return
    now = time.time() if now is None else now
    payload = orjson.dumps(acks).decode()
    dialect = engine.dialect.name
    with engine.begin() as conn:
        if dialect == "postgresql":
            conn.execute(PG_ACKS, {"acks": payload, "now": now})
        elif dialect == "sqlite" and sqlite3.sqlite_version_info >= (3, 38):
            conn.execute(SQLITE_ACKS, {"acks": payload, "now": now})
        else:
            stmt = (
                devices.update()
                .where(
                    devices.c.id == bindparam("b_device"),
                    devices.c.acked_seq < bindparam("b_seq"),
                )
                .values(acked_seq=bindparam("b_seq"), last_seen_at=now)
            )
            conn.execute(stmt, [{"b_device": d, "b_seq": seq} for d, seq in acks.items()])
