"""Device cursors survive a database that refuses writes for a while.

The relay notes each desktop's acks in memory and writes them once a second.
When that write fails, the acks must wait for the database, not vanish: a
cursor left behind means a larger replay after the next reconnect or restart.
The outage is real: the database itself refuses updates of ``devices`` (a
trigger), while the relay keeps serving.
"""

from __future__ import annotations

import logging
import re

import pytest
from relay_support import Harness, ack, messages_payload, read_backlog, run, text_message
from sqlalchemy import Engine
from waiting import async_wait_until

from relay.db import is_sqlite, make_engine
from relay.devices import list_devices

SQLITE_REFUSE = (
    "CREATE TRIGGER refuse_device_writes BEFORE UPDATE ON devices "
    "BEGIN SELECT RAISE(ABORT, 'devices are read-only'); END",
)
PG_REFUSE = (
    "CREATE FUNCTION refuse_device_writes() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'devices are read-only'; END $$",
    "CREATE TRIGGER refuse_device_writes BEFORE UPDATE ON devices "
    "FOR EACH ROW EXECUTE FUNCTION refuse_device_writes()",
)
SQLITE_ALLOW = ("DROP TRIGGER refuse_device_writes",)
PG_ALLOW = (
    "DROP TRIGGER refuse_device_writes ON devices",
    "DROP FUNCTION refuse_device_writes()",
)


def _run_ddl(engine: Engine, statements: tuple[str, ...]) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def _saved_cursor(engine: Engine, device_id: str) -> int:
    return next(d.acked_seq for d in list_devices(engine) if d.id == device_id)


def _lag(harness: Harness, device_id: str) -> float | None:
    """``relay_stream_lag_events`` for the device, as an admin's dashboard reads it."""
    pattern = rf'^relay_stream_lag_events\{{device="{re.escape(device_id)}"\}} (\S+)$'
    found = re.search(pattern, harness.metrics(), re.MULTILINE)
    return float(found.group(1)) if found else None


def test_acks_taken_while_the_database_refuses_writes_are_saved_once_it_recovers(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="relay")
    token, device_id = harness.enroll()
    for n in range(5):
        payload = messages_payload(harness.sim, [text_message(f"wamid.outage.{n}")])
        assert harness.post_payload(payload).status_code == 200
    admin = make_engine(harness.db_url)
    sqlite = is_sqlite(admin)

    async def body() -> list[int]:
        async with harness.stream(token) as ws:
            _, events, _ = await read_backlog(ws)
            seqs = [frame["seq"] for frame in events]
            head = seqs[-1]
            await ack(ws, seqs[0])
            await async_wait_until(lambda: _saved_cursor(admin, device_id) == seqs[0], 10)
            _run_ddl(admin, SQLITE_REFUSE if sqlite else PG_REFUSE)
            try:
                # Each ack waits for a flush that saw it (the lag gauge moves
                # every flush): at least three flushes fail in this outage.
                for seq in seqs[1:]:
                    await ack(ws, seq)
                    await async_wait_until(lambda s=seq: _lag(harness, device_id) == head - s, 10)
                assert _saved_cursor(admin, device_id) == seqs[0]
            finally:
                _run_ddl(admin, SQLITE_ALLOW if sqlite else PG_ALLOW)
            # Still connected and acking nothing new: the relay saves what it kept.
            await async_wait_until(lambda: _saved_cursor(admin, device_id) == head, 10)
            return seqs

    try:
        seqs = run(body())
    finally:
        admin.dispose()
    assert _saved_cursor(harness.relay.engine, device_id) == seqs[-1]
    relay_lines = [r for r in caplog.records if r.name == "relay"]
    failures = [r for r in relay_lines if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in failures] == [
        "Device cursors could not be saved to the database; "
        "they are kept in memory and retried every second."
    ]
    assert token not in failures[0].getMessage()
    assert any(r.getMessage().endswith("saved to the database again.") for r in relay_lines)
