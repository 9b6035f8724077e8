"""Failures the relay survives are logged with their kind and counted, never swallowed.

Each test breaks the database for real (a table renamed away, a trigger that
refuses writes) while the relay runs, then checks what an admin sees: one log
line naming where it failed and the exception class (never the exception's
text, which can quote data), ``relay_internal_errors_total{where,kind}`` going
up, and the relay working again once the database is repaired.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from typing import Any

import pytest
import websockets
from relay_support import (
    Harness,
    messages_payload,
    read_backlog,
    recv_frame,
    run,
    text_message,
)
from sqlalchemy import Engine, select
from waiting import async_wait_until, wait_until

from relay.db import is_sqlite, make_engine, settings_kv
from relay.devices import revoke

SECRET_TEXT = "Olá, meu CPF é 123.456.789-00"
AT = re.compile(r"^\w+\.[\w<>]+:\d+$")  # module.function:line


def _run_ddl(engine: Engine, statements: tuple[str, ...]) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def _refuse_inserts(engine: Engine, table: str) -> None:
    if is_sqlite(engine):
        _run_ddl(
            engine,
            (
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END",
            ),
        )
    else:
        _run_ddl(
            engine,
            (
                f"CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused'; END $$",
                f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION refuse_{table}()",
            ),
        )


def _allow_inserts(engine: Engine, table: str) -> None:
    if is_sqlite(engine):
        _run_ddl(engine, (f"DROP TRIGGER refuse_{table}",))
    else:
        _run_ddl(
            engine, (f"DROP TRIGGER refuse_{table} ON {table}", f"DROP FUNCTION refuse_{table}()")
        )


def _internal_errors(harness: Harness, where: str) -> dict[str, float]:
    """``relay_internal_errors_total`` for one place, by kind, as a scrape shows it."""
    found: dict[str, float] = {}
    for labels, value in re.findall(
        r"^relay_internal_errors_total\{(.*)\} (\S+)$", harness.metrics(), re.MULTILINE
    ):
        named = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        if named.get("where") == where:
            found[named["kind"]] = float(value)
    return found


def _failures(caplog: pytest.LogCaptureFixture, where: str) -> list[dict[str, Any]]:
    """The fields of the warning/error lines logged for failures at ``where``."""
    return [
        dict(r.fields)  # type: ignore[attr-defined]
        for r in list(caplog.records)
        if r.name.startswith("relay")
        and r.levelno >= logging.WARNING
        and isinstance(getattr(r, "fields", None), dict)
        and r.fields.get("where") == where  # type: ignore[attr-defined]
    ]


def _assert_named_not_quoted(fields: dict[str, Any], kind: str, where: str) -> None:
    assert fields["where"] == where
    assert fields["error"] == kind
    assert AT.match(fields["at"]), fields
    assert set(fields) <= {"where", "error", "at", "device"}, fields


def test_a_failing_revocation_check_is_logged_counted_and_recovers(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Before: ``suppress(Exception)`` — revoked devices stayed connected and nothing said why."""
    caplog.set_level(logging.INFO, logger="relay")
    token, device_id = harness.enroll()
    admin = make_engine(harness.db_url)

    async def body() -> dict[str, float]:
        async with harness.stream(token) as ws:
            await read_backlog(ws)
            _run_ddl(admin, ("ALTER TABLE devices RENAME TO devices_away",))
            try:
                counted = await async_wait_until(
                    lambda: _internal_errors(harness, "revocations"), 10
                )
                # Still failing, still counting: the watcher did not die on the first one.
                await async_wait_until(
                    lambda: (
                        sum(_internal_errors(harness, "revocations").values())
                        >= sum(counted.values()) + 2
                    ),
                    10,
                )
            finally:
                _run_ddl(admin, ("ALTER TABLE devices_away RENAME TO devices",))
            await asyncio.to_thread(revoke, admin, device_id)
            with pytest.raises(websockets.ConnectionClosed):
                while True:
                    frame = await recv_frame(ws, 5.0)
                    assert frame["type"] != "event", frame
            assert ws.close_code == 4403
            return counted

    try:
        counted = run(body())
    finally:
        admin.dispose()
    (kind,) = counted
    failures = _failures(caplog, "revocations")
    assert len(failures) == 1, failures  # once per outage, not every 0.3 s
    _assert_named_not_quoted(failures[0], kind, "revocations")
    assert any(r.getMessage() == "Revoked devices are being read again." for r in caplog.records)


def test_storage_failures_behind_503s_are_logged_and_counted(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """``POST /webhook`` and ``POST /v1/events`` answered 503 with no line for the admin."""
    caplog.set_level(logging.INFO, logger="relay")
    token, _ = harness.enroll()
    admin = make_engine(harness.db_url)
    payload = messages_payload(harness.sim, [text_message("wamid.refused", body=SECRET_TEXT)])
    team = {
        "id": "note-1",
        "kind": "team",
        "data": {
            "action": "note",
            "conversation": {
                "phone_number_id": harness.sim.phone_number_id,
                "wa_id": "5511987654321",
            },
            "text": SECRET_TEXT,
        },
    }
    _refuse_inserts(admin, "events")
    try:
        assert harness.post_payload(payload).status_code == 503
        assert harness.api("POST", "/v1/events", token, json=team).status_code == 503
    finally:
        _allow_inserts(admin, "events")
        admin.dispose()
    for where in ("webhook", "events"):
        counted = _internal_errors(harness, where)
        assert list(counted.values()) == [1.0], (where, counted)
        (failure,) = _failures(caplog, where)
        _assert_named_not_quoted(failure, next(iter(counted)), where)
    assert not any(SECRET_TEXT in r.getMessage() for r in caplog.records)
    # Repaired: the retries are stored.
    assert harness.post_payload(payload).status_code == 200
    assert harness.api("POST", "/v1/events", token, json=team).status_code == 200


def test_a_business_account_id_that_cannot_be_saved_is_logged_counted_and_saved_later(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Before: the storing task's exception was fetched and dropped, and never retried."""
    caplog.set_level(logging.INFO, logger="relay")
    admin = make_engine(harness.db_url)

    def saved() -> str | None:
        with admin.connect() as conn:
            return conn.execute(
                select(settings_kv.c.value).where(settings_kv.c.key == "waba_id")
            ).scalar()

    try:
        _refuse_inserts(admin, "relay_meta")
        try:
            first = messages_payload(harness.sim, [text_message("wamid.waba.1")])
            assert harness.post_payload(first).status_code == 200
            counted = wait_until(lambda: _internal_errors(harness, "waba_id"), 10)
        finally:
            _allow_inserts(admin, "relay_meta")
        (failure,) = _failures(caplog, "waba_id")
        _assert_named_not_quoted(failure, next(iter(counted)), "waba_id")
        assert saved() is None
        second = messages_payload(harness.sim, [text_message("wamid.waba.2")])
        assert harness.post_payload(second).status_code == 200
        assert wait_until(saved, 10) == harness.sim.waba_id
    finally:
        admin.dispose()


def test_a_stream_that_fails_logs_the_kind_and_place_not_the_error_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Before: the log line carried ``str(exc)[:80]``, which can quote stored text."""
    caplog.set_level(logging.INFO, logger="relay")
    token, device_id = harness.enroll()
    admin = make_engine(harness.db_url)

    async def body() -> int | None:
        async with harness.stream(token) as ws:
            hello = await recv_frame(ws)
            assert hello["type"] == "hello"
            with pytest.raises(websockets.ConnectionClosed):
                while True:
                    await recv_frame(ws, 5.0)
            return ws.close_code

    # Retention took the only event: a stream from 0 is behind the tail the relay keeps in
    # memory, so it reads the database.
    sent = harness.post_payload(messages_payload(harness.sim, [text_message("wamid.GONE")]))
    assert sent.status_code == 200
    assert harness.server.call(harness.relay.prune_once(now=time.time() + 400 * 86400)) == 1
    _run_ddl(admin, ("ALTER TABLE events RENAME TO events_away",))
    try:
        assert run(body()) == 1011
    finally:
        _run_ddl(admin, ("ALTER TABLE events_away RENAME TO events",))
        admin.dispose()
    counted = _internal_errors(harness, "stream")
    assert list(counted.values()) == [1.0], counted
    (failure,) = _failures(caplog, "stream")
    _assert_named_not_quoted(failure, next(iter(counted)), "stream")
    assert failure["device"] == device_id
