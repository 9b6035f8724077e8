"""What the Copilot keeps in the history: outcomes of suggestions, and knowledge notes.

An outcome says what the attendant did with one suggestion shown: sent it
as it was (``used``), changed it before sending (``edited``), or let it go
(``ignored``). The local engine reads them back to rank (``outcomes``), the
settings page reads the acceptance rate per engine (``acceptance``). The
knowledge notes are the office's own text (opening hours, prices,
policies) the model may quote; nothing else in the app writes them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine

from crm_whatsapp.store.writer import Writer

Outcome = Literal["used", "edited", "ignored"]
OUTCOMES: tuple[Outcome, ...] = ("used", "edited", "ignored")
# Outcomes older than this no longer steer the ranking nor the rate shown.
KEEP_SECONDS = 90 * 24 * 3600.0


@dataclass(frozen=True)
class Shown:
    """One suggestion the bar showed, and what became of it."""

    conversation_id: int | None
    engine: str
    source: str
    key: str
    outcome: Outcome
    shown_at: float


@dataclass(frozen=True)
class Acceptance:
    """How one engine's suggestions fared over a period."""

    engine: str
    shown: int
    used: int
    edited: int

    @property
    def rate(self) -> float:
        """Share of suggestions shown that went out, as is or edited (0 when none shown)."""
        return (self.used + self.edited) / self.shown if self.shown else 0.0


class CopilotLog:
    """The Copilot's rows, written through the history's writer, read from its pool."""

    def __init__(self, writer: Writer, engine: Engine) -> None:
        self._writer = writer
        self._engine = engine

    def record(self, shown: Iterable[Shown]) -> None:
        """Keep outcomes, and forget those past :data:`KEEP_SECONDS` in the same write."""
        rows = [
            (s.conversation_id, s.shown_at, s.engine, s.source, s.key, s.outcome)
            for s in shown
            if s.outcome in OUTCOMES
        ]
        if not rows:
            return
        with self._writer.transaction() as writer:
            writer.executemany(
                "INSERT INTO copilot_outcomes "
                "(conversation_id, shown_at, engine, source, suggestion_key, outcome) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            writer.execute(
                "DELETE FROM copilot_outcomes WHERE shown_at < ?", (time.time() - KEEP_SECONDS,)
            )

    def outcomes(self, engine: str = "local") -> list[tuple[str, Outcome]]:
        """Every kept (key, outcome) of one engine, oldest first (the ranking's memory)."""
        with self._engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT suggestion_key, outcome FROM copilot_outcomes WHERE engine = ? ORDER BY id",
                (engine,),
            ).fetchall()
        return [(str(r[0]), r[1]) for r in rows if r[1] in OUTCOMES]

    def acceptance(self, days: int = 30, now: float | None = None) -> list[Acceptance]:
        """Per engine, over the last ``days``: shown, used as is, edited (for settings)."""
        since = (time.time() if now is None else now) - days * 24 * 3600.0
        with self._engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT engine, count(*), sum(outcome = 'used'), sum(outcome = 'edited') "
                "FROM copilot_outcomes WHERE shown_at >= ? GROUP BY engine ORDER BY engine",
                (since,),
            ).fetchall()
        return [Acceptance(str(r[0]), int(r[1]), int(r[2] or 0), int(r[3] or 0)) for r in rows]

    def knowledge(self) -> str:
        """The office's knowledge notes ("" until someone writes them)."""
        with self._engine.connect() as conn:
            row = conn.exec_driver_sql("SELECT text FROM copilot_knowledge WHERE id = 1").fetchone()
        return str(row[0]) if row else ""

    def save_knowledge(self, text: str) -> None:
        """Replace the knowledge notes (blank removes them)."""
        with self._writer.transaction() as writer:
            if text.strip():
                writer.execute(
                    "INSERT INTO copilot_knowledge (id, text, updated_at) VALUES (1, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    (text, time.time()),
                )
            else:
                writer.execute("DELETE FROM copilot_knowledge")
