"""Alembic's entry point: run the scripts on the connection :mod:`relay.migrate` hands over.

The relay never reads an ``alembic.ini``: the connection (already inside the
transaction that holds the migration lock) comes in ``config.attributes``. A
developer's ``alembic`` command may instead name a database with
``-x url=…`` to write a new revision against it.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from relay.db import make_engine, metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters a table by copying it; batch mode writes scripts that way.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    engine = make_engine(context.get_x_argument(as_dictionary=True)["url"])
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
