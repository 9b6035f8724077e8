"""Baseline: the schema every relay up to 0.1.0 made with ``create_all``.

Each table and index is created only where it is missing, so a database made
before migrations existed (all of these tables, no ``alembic_version``) is
adopted as it is, rows and all, instead of failing on "table exists".

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# BigInteger on PostgreSQL, but SQLite only autoincrements an "INTEGER PRIMARY KEY".
SeqType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _tables() -> list[tuple[str, list[sa.Column[object]], dict[str, object]]]:
    """Today's tables, spelled out: a script must not follow later edits of relay/db.py."""
    return [
        (
            "events",
            [
                sa.Column("seq", SeqType, primary_key=True, autoincrement=True),
                sa.Column("dedupe_key", sa.String(300), nullable=False, unique=True),
                sa.Column("kind", sa.String(64), nullable=False),
                sa.Column("received_at", sa.Float, nullable=False),
                sa.Column("body", sa.Text, nullable=False),
            ],
            {"sqlite_autoincrement": True},
        ),
        (
            "devices",
            [
                sa.Column("id", sa.String(32), primary_key=True),
                sa.Column("name", sa.String(200), nullable=False),
                sa.Column("token_hash", sa.String(64), unique=True),
                sa.Column("code_hash", sa.String(64), unique=True),
                sa.Column("code_expires_at", sa.Float),
                sa.Column("created_at", sa.Float, nullable=False),
                sa.Column("enrolled_at", sa.Float),
                sa.Column("revoked_at", sa.Float),
                sa.Column("acked_seq", sa.BigInteger, nullable=False),
                sa.Column("last_seen_at", sa.Float),
            ],
            {},
        ),
        (
            "sends",
            [
                sa.Column("client_id", sa.String(200), primary_key=True),
                sa.Column("device_id", sa.String(32), nullable=False),
                sa.Column("state", sa.String(16), nullable=False),
                sa.Column("request", sa.Text, nullable=False),
                sa.Column("response", sa.Text),
                sa.Column("wamid", sa.String(200)),
                sa.Column("error_name", sa.String(64)),
                sa.Column("attempts", sa.Integer, nullable=False),
                sa.Column("created_at", sa.Float, nullable=False),
                sa.Column("updated_at", sa.Float, nullable=False),
            ],
            {},
        ),
        (
            "enroll_attempts",
            [
                sa.Column("client", sa.String(64), primary_key=True),
                sa.Column("window_start", sa.Float, nullable=False),
                sa.Column("attempts", sa.Integer, nullable=False),
            ],
            {},
        ),
        (
            "relay_meta",
            [
                sa.Column("key", sa.String(64), primary_key=True),
                sa.Column("value", sa.Text, nullable=False),
            ],
            {},
        ),
    ]


INDEXES = (
    ("ix_events_received_at", "events", "received_at"),
    ("ix_sends_wamid", "sends", "wamid"),
    ("ix_enroll_attempts_window_start", "enroll_attempts", "window_start"),
)


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, columns, options in _tables():
        if not inspector.has_table(name):
            op.create_table(name, *columns, **options)
    for index, table, column in INDEXES:
        if index not in {ix["name"] for ix in inspector.get_indexes(table)}:
            op.create_index(index, table, [column])


def downgrade() -> None:
    for index, table, _ in INDEXES:
        op.drop_index(index, table_name=table)
    for name, _, _ in reversed(_tables()):
        op.drop_table(name)
