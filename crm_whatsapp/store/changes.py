"""What a write to the history changed, so the window refreshes exactly that."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ApplyResult:
    """What one batch (or one local change) changed, for the UI's models to refresh precisely."""

    applied: int = 0
    cursor: int = 0
    conversations: set[int] = field(default_factory=set)
    added: list[int] = field(default_factory=list)  # message ids
    updated: list[int] = field(default_factory=list)  # message ids whose status changed
    quick_replies: bool = False  # the team's quick replies changed
    started: set[int] = field(default_factory=set)  # conversations that did not exist before

    def merge(self, other: ApplyResult) -> None:
        """Add what ``other`` changed (one event applied on its own) to this batch's result."""
        self.conversations |= other.conversations
        self.added += other.added
        self.updated += other.updated
        self.quick_replies = self.quick_replies or other.quick_replies
        self.started |= other.started
