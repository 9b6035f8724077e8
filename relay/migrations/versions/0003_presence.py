"""Presence: ``devices.online_until``, renewed while a device has a stream open.

Every relay instance on the database renews it for the streams it serves,
so ``GET /v1/team`` answers the same whichever instance a desktop asks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("online_until", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_column("online_until")
