"""The once-a-second flush of device cursors is one statement, however many desktops acked.

It runs on the writer every group commit may fall back to. As one parameter set
per device (sqlite3 retaking the GIL around each row while the event loop was
busy) a flush for 1,000 desktops held that writer for 15-45 ms, and the commits
queued behind it were the slowest frames of the second.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from relay.db import create_schema, devices, make_engine
from relay.devices import record_acks

DEVICES = 300


def test_a_flush_of_many_acks_is_one_statement_and_never_moves_a_cursor_back(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        create_schema(engine)
        ids = [f"dev{n:04d}" for n in range(DEVICES)]
        with engine.begin() as conn:
            conn.execute(
                devices.insert(),
                [{"id": i, "name": i, "created_at": 0.0, "acked_seq": 50} for i in ids],
            )
        statements: list[tuple[str, bool]] = []

        def seen(*args: Any) -> None:
            statements.append((args[2], args[5]))  # statement, executemany

        event.listen(engine, "before_cursor_execute", seen)
        # Every other device moves forward; the rest report an older ack (a stale
        # stream's), which must leave cursor and last_seen_at alone.
        acks = {i: (80 + n if n % 2 == 0 else 10) for n, i in enumerate(ids)}
        record_acks(engine, acks, now=1234.0)
        event.remove(engine, "before_cursor_execute", seen)

        updates = [
            (sql, many) for sql, many in statements if sql.lstrip().upper().startswith("UPDATE")
        ]
        assert len(updates) == 1, updates
        assert updates[0][1] is False
        with engine.connect() as conn:
            rows = {r.id: r for r in conn.execute(select(devices)).all()}
        for n, i in enumerate(ids):
            if n % 2 == 0:
                assert (rows[i].acked_seq, rows[i].last_seen_at) == (80 + n, 1234.0)
            else:
                assert (rows[i].acked_seq, rows[i].last_seen_at) == (50, None)
    finally:
        engine.dispose()
