"""Forget the ``schema_version`` row: ``alembic_version`` says which schema a database has.

Releases before migrations wrote ``relay_meta.schema_version = 1`` and
promised migrations would key off it; nothing ever read it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

relay_meta = sa.table("relay_meta", sa.column("key", sa.String), sa.column("value", sa.Text))


def upgrade() -> None:
    op.execute(relay_meta.delete().where(relay_meta.c.key == "schema_version"))


def downgrade() -> None:
    op.execute(relay_meta.insert().values(key="schema_version", value="1"))
