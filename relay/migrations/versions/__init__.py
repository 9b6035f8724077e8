"""One Alembic script per schema change (a package so the wheel ships them)."""
