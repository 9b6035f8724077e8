"""Raw SQL on a history, for tests that check what is stored (the app has no such call)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crm_whatsapp.store.history import History


def rows(history: History, sql: str, params: Iterable[Any] = ()) -> list[Any]:
    """Every row of ``sql`` read through the history's own engine (same key, same file)."""
    with history.engine.connect() as conn:
        return list(conn.exec_driver_sql(sql, tuple(params)).fetchall())
