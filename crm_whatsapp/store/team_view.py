"""Reads of team state beyond the list rows: the label palette, the views' counts, snoozes.

A snoozed conversation wakes by itself: its status is read as ``open`` once
its time has come (:data:`EFFECTIVE_STATUS`), so every desktop reopens it at
the same moment without anyone sending an event, and a desktop that was off
does too. A customer writing wakes it as it is applied, in stream order, as
it reopens a resolved one (``store.writer``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

# The status a conversation is shown with (``c`` is the conversations table).
EFFECTIVE_STATUS = (
    "(CASE WHEN c.status = 'snoozed' AND c.snoozed_until <= unixepoch('subsec') "
    "THEN 'open' ELSE c.status END)"
)
# Unread for the "Não lidas" view and its count: customer messages, or marked by hand.
UNREAD = "(c.unread > 0 OR c.marked_unread = 1)"
# A conversation carrying a label (its labels are a JSON list).
HAS_LABEL = "EXISTS (SELECT 1 FROM json_each(c.labels) WHERE json_each.value = ?)"


@dataclass(frozen=True)
class Label:
    """A label of the team's palette."""

    name: str
    color: str  # #RRGGBB


@dataclass(frozen=True)
class Counts:
    """How many conversations each view of the list holds, under the same filters."""

    mine: int
    unassigned: int
    all: int
    unread: int

    def of(self, view: str) -> int:
        return int(getattr(self, view))


def _rows(engine: Engine, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.exec_driver_sql(sql, params).fetchall())


def palette(engine: Engine) -> list[Label]:
    """The team's labels, in the order the team arranged them."""
    return [
        Label(str(r[0]), str(r[1]))
        for r in _rows(engine, "SELECT name, color FROM label_palette ORDER BY position, name")
    ]


def count_table(engine: Engine, me: str, label: str | None = None) -> dict[str, Counts]:
    """Every view's count per status, in one grouped pass (a few ms at 10,000 conversations).

    The tabs show one status's row (or the sum, for "every status"); the
    status filter shows one view's column.
    """
    params: list[Any] = [me]
    sql = (
        f"SELECT {EFFECTIVE_STATUS}, coalesce(sum(c.assignee = ?), 0), "
        f"coalesce(sum(c.assignee IS NULL), 0), count(*), coalesce(sum({UNREAD}), 0) "
        "FROM conversations c"
    )
    if label:
        sql += " WHERE " + HAS_LABEL
        params.append(label)
    sql += " GROUP BY 1"
    return {
        str(status): Counts(int(mine), int(unassigned), int(total), int(unread))
        for status, mine, unassigned, total, unread in _rows(engine, sql, tuple(params))
    }


def counts(engine: Engine, me: str, status: str | None, label: str | None = None) -> Counts:
    """The views' counts under one status (None: every status)."""
    return total(count_table(engine, me, label), status)


def total(table: dict[str, Counts], status: str | None) -> Counts:
    """One status's counts from :func:`count_table`, or all statuses added up (None)."""
    if status is not None:
        return table.get(status, Counts(0, 0, 0, 0))
    rows = list(table.values())
    return Counts(
        sum(r.mine for r in rows),
        sum(r.unassigned for r in rows),
        sum(r.all for r in rows),
        sum(r.unread for r in rows),
    )


def next_wake(engine: Engine, now: float | None = None) -> float | None:
    """When the next snoozed conversation wakes (None: nothing is snoozed)."""
    now = time.time() if now is None else now
    rows = _rows(
        engine,
        "SELECT min(snoozed_until) FROM conversations WHERE status = 'snoozed' "
        "AND snoozed_until > ?",
        (now,),
    )
    return float(rows[0][0]) if rows and rows[0][0] is not None else None
