"""Bring a relay database to the newest schema, safely when several relays start at once.

Every start (``serve``, the CLI's device commands, the demo) calls
:func:`upgrade` through :func:`relay.db.create_schema`. It takes a lock held
by the database itself, so instances starting together run the scripts once
and the others find the work done:

* PostgreSQL: a transaction-level advisory lock (``pg_advisory_xact_lock``);
  the scripts run in that transaction, so the lock goes with the commit or
  rollback, and a failed migration leaves the schema as it was.
* SQLite: ``BEGIN IMMEDIATE``, the database's write lock, for the same span.

A database made before migrations (tables, no ``alembic_version``) is
adopted: the baseline script creates only what is missing.
"""

from __future__ import annotations

import logging
import time

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import OperationalError

log = logging.getLogger("relay.migrate")

# Any fixed 64-bit number that no other code on the same PostgreSQL uses as an advisory lock.
LOCK_KEY = 0x72656C61795F6D67  # "relay_mg"
SQLITE_START_ATTEMPTS = 20  # about 10 s of retries in all


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration without an ``alembic.ini``: the scripts ship in the package."""
    config = Config()
    config.set_main_option("script_location", "relay:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision this release knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision a database is at (None: empty, or made before migrations)."""
    return MigrationContext.configure(connection).get_current_revision()


def _lock(connection: Connection) -> None:
    """Take the migration lock for the rest of the connection's transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif connection.dialect.name == "sqlite":
        # The driver would only begin before the first write; the lock must come first.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine) -> None:
    """Run the migrations this database lacks, under the lock, in one transaction.

    On SQLite, relays opening a brand-new file together can be refused at
    once ("database is locked": turning a fresh file to WAL does not wait
    for the busy timeout); those starts try again, a bounded number of times.
    """
    for attempt in range(SQLITE_START_ATTEMPTS):
        try:
            _upgrade_once(engine)
            return
        except OperationalError as exc:
            locked = engine.dialect.name == "sqlite" and "locked" in str(exc.orig)
            if not locked or attempt == SQLITE_START_ATTEMPTS - 1:
                raise
            log.info("Relay database busy at start; trying again.")
            time.sleep(0.05 * (attempt + 1))


def _upgrade_once(engine: Engine) -> None:
    with engine.connect() as connection:
        _lock(connection)
        found = current_revision(connection)
        head = head_revision()
        if found == head:
            connection.rollback()
            return
        if found is None and inspect(connection).has_table("events"):
            log.info("Adopting a relay database made before schema migrations.")
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
        log.info(
            "Relay database schema upgraded.",
            extra={"fields": {"from": found or "none", "to": head}},
        )
