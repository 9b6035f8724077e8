"""Schema migrations: an existing relay's database is upgraded in place, never recreated.

``db_at_1e58469.py`` is ``relay/db.py`` exactly as the last release before
migrations shipped it (``git show 1e58469:relay/db.py``): its ``create_schema``
makes the database an admin has today.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, inspect, select, text
from waiting import wait_until

from relay.db import create_schema, events, make_engine, metadata
from relay.migrate import LOCK_KEY, current_revision, head_revision

OLD_RELEASE = Path(__file__).with_name("db_at_1e58469.py")
TABLES = ("events", "devices", "sends", "enroll_attempts", "relay_meta")
# Columns later migrations added to the old release's tables (0003: presence).
ADDED = {("devices", "online_until")}


def _old_release() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relay_db_at_1e58469", OLD_RELEASE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _schema(conn: Connection) -> dict[str, Any]:
    """Tables, columns, keys and indexes as the database reports them."""
    found = inspect(conn)
    return {
        table: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"])
                for c in found.get_columns(table)
                if (table, c["name"]) not in ADDED
            ],
            "primary": found.get_pk_constraint(table)["constrained_columns"],
            "unique": sorted(tuple(u["column_names"]) for u in found.get_unique_constraints(table)),
            "indexes": sorted(
                (ix["name"], tuple(ix["column_names"]), bool(ix["unique"]))
                for ix in found.get_indexes(table)
            ),
        }
        for table in sorted(found.get_table_names())
        if table != "alembic_version"
    }


def _rows(conn: Connection, tables: MetaData) -> dict[str, list[tuple[Any, ...]]]:
    return {
        name: sorted(tuple(row) for row in conn.execute(select(tables.tables[name])))
        for name in TABLES
    }


def _differences(engine: Engine, target: MetaData) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, target))


def _besides_added(differences: list[Any]) -> list[Any]:
    """Differences from the old release other than the columns added since (``ADDED``)."""
    return [d for d in differences if not (d[0] == "remove_column" and (d[2], d[3].name) in ADDED)]


def test_a_database_made_by_the_release_before_migrations_is_upgraded_with_its_rows(
    database_url: str,
) -> None:
    old = _old_release()
    before_engine: Engine = old.make_engine(database_url)
    old.create_schema(before_engine)
    with before_engine.begin() as conn:
        for n in range(3):
            conn.execute(
                old.events.insert().values(
                    dedupe_key=f"wamid.old.{n}", kind="message", received_at=1.0 + n, body="{}"
                )
            )
        conn.execute(old.events.delete().where(old.events.c.dedupe_key == "wamid.old.2"))
        conn.execute(
            old.devices.insert().values(
                id="d1", name="Recepção", token_hash="t" * 64, created_at=1.0, acked_seq=2
            )
        )
        conn.execute(
            old.sends.insert().values(
                client_id="c1",
                device_id="d1",
                state="accepted",
                request="{}",
                wamid="wamid.out",
                attempts=1,
                created_at=1.0,
                updated_at=2.0,
            )
        )
        conn.execute(
            old.enroll_attempts.insert().values(client="127.0.0.1", window_start=1.0, attempts=2)
        )
        conn.execute(old.settings_kv.insert().values(key="waba_id", value="123"))
    with before_engine.connect() as conn:
        schema_before = _schema(conn)
        rows_before = _rows(conn, old.metadata)
    before_engine.dispose()
    assert ("schema_version", "1") in rows_before["relay_meta"]

    engine = make_engine(database_url)
    try:
        create_schema(engine)
        with engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            assert _schema(conn) == schema_before
            rows_after = _rows(conn, old.metadata)
        # The dead schema_version row is the one thing the upgrade removes.
        rows_before["relay_meta"].remove(("schema_version", "1"))
        assert rows_after == rows_before
        assert _differences(engine, metadata) == []
        # The seq counter survived too: a deleted newest seq is never handed out again.
        with engine.begin() as conn:
            conn.execute(
                events.insert().values(dedupe_key="new", kind="message", received_at=9.0, body="{}")
            )
            assert (
                conn.execute(select(events.c.seq).where(events.c.dedupe_key == "new")).scalar() == 4
            )
    finally:
        engine.dispose()


def test_a_fresh_database_at_head_has_exactly_the_tables_the_code_declares(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        create_schema(engine)
        assert _differences(engine, metadata) == []
        # …and the ones the release before migrations made with create_all.
        assert _besides_added(_differences(engine, _old_release().metadata)) == []
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM relay_meta")).scalar() == 0
    finally:
        engine.dispose()


def _migrate_in_threads(database_url: str, count: int) -> tuple[list[threading.Thread], list[Any]]:
    """Start ``count`` relay starts' migrations at once; their errors land in the list."""
    errors: list[Any] = []
    gate = threading.Barrier(count)

    def start() -> None:
        engine = make_engine(database_url)
        try:
            gate.wait(10)
            create_schema(engine)
        except Exception as exc:
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start, name=f"relay-start-{n}") for n in range(count)]
    for thread in threads:
        thread.start()
    return threads, errors


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_relays_starting_together_on_postgresql_migrate_once_and_all_start(
    database_url: str,
) -> None:
    admin = make_engine(database_url)
    try:
        with admin.connect() as holder:
            # Hold the migration lock so both starts are surely waiting on it at once.
            holder.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            threads, errors = _migrate_in_threads(database_url, 2)

            def waiting_starts() -> int:
                with admin.connect() as conn:
                    return int(
                        conn.execute(
                            text(
                                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                "AND NOT granted AND database = "
                                "(SELECT oid FROM pg_database WHERE datname = current_database())"
                            )
                        ).scalar()
                    )

            assert wait_until(lambda: waiting_starts() == 2, 20), errors
            holder.rollback()  # both race for the lock now
        for thread in threads:
            thread.join(60)
        assert not any(thread.is_alive() for thread in threads)
        assert errors == []
        with admin.connect() as conn:
            assert current_revision(conn) == head_revision()
        assert _differences(admin, metadata) == []
    finally:
        admin.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_relays_starting_together_on_sqlite_all_start(database_url: str) -> None:
    threads, errors = _migrate_in_threads(database_url, 3)
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    engine = make_engine(database_url)
    try:
        assert _differences(engine, metadata) == []
    finally:
        engine.dispose()
