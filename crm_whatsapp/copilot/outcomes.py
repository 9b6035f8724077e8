"""What became of each suggestion shown: used as is, edited first, or ignored.

The bar reports three moments: a set of suggestions shown, one clicked into
the composer, and a message sent. A set is settled when the attendant
sends (the clicked one was ``used`` if it went out as it was, ``edited`` if
it was changed first; the rest ``ignored``) or when a newer set replaces it
unsent. Both engines learn from that, and the settings page shows it as an
acceptance rate.

The same moments also show an attendant typing nearly the same reply again
and again: after :data:`REPEATS` such sends, the Copilot proposes saving it
as a quick reply (once per text).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from crm_whatsapp.copilot.suggestions import Suggestion, similarity
from crm_whatsapp.store.copilot_log import Outcome, Shown

# A sent text this alike (0–100) to the one clicked in is the same reply, edited.
EDITED_AT_LEAST = 50.0
# Typed replies remembered to spot a repeated one, and how many make a habit.
RECENT_TYPED = 200
REPEATS = 3
NEARLY_SAME = 90.0
# Too short to be worth a quick reply ("ok", "obrigado!").
QUICK_REPLY_MIN_CHARS = 25


@dataclass
class _Pending:
    suggestions: list[Suggestion]
    shown_at: float
    inserted: Suggestion | None = None


@dataclass
class Tracker:
    """Per-conversation suggestions on screen, settled into :class:`Shown` rows."""

    _pending: dict[int, _Pending] = field(default_factory=dict)
    _typed: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT_TYPED))
    _proposed: set[str] = field(default_factory=set)

    def shown(
        self, conversation_id: int, suggestions: Sequence[Suggestion], now: float
    ) -> list[Shown]:
        """A new set on screen; the previous set of that conversation, unsent, is settled."""
        settled = self._settle(conversation_id, None)
        if suggestions:
            self._pending[conversation_id] = _Pending(list(suggestions), now)
        return settled

    def inserted(self, conversation_id: int, suggestion: Suggestion) -> None:
        """The attendant clicked ``suggestion`` into the composer (the last click counts)."""
        pending = self._pending.get(conversation_id)
        if pending is not None and suggestion in pending.suggestions:
            pending.inserted = suggestion

    def sent(self, conversation_id: int, text: str) -> list[Shown]:
        """The attendant sent ``text``; settles the conversation's set on screen."""
        pending = self._pending.get(conversation_id)
        if pending is None or pending.inserted is None:
            self._typed.append(text)
        return self._settle(conversation_id, text)

    def repeated(self, text: str, quick_replies: set[str]) -> str | None:
        """``text`` when it is a habit worth a quick reply, not one yet, not proposed before."""
        clean = text.strip()
        if len(clean) < QUICK_REPLY_MIN_CHARS or clean in self._proposed:
            return None
        if any(similarity(clean, q) >= NEARLY_SAME for q in quick_replies):
            return None
        alike = sum(1 for t in self._typed if similarity(clean, t) >= NEARLY_SAME)
        if alike < REPEATS:
            return None
        self._proposed.add(clean)
        return clean

    def _settle(self, conversation_id: int, sent: str | None) -> list[Shown]:
        pending = self._pending.pop(conversation_id, None)
        if pending is None:
            return []
        rows = []
        for suggestion in pending.suggestions:
            outcome: Outcome = "ignored"
            if sent is not None and suggestion == pending.inserted:
                outcome = _outcome(suggestion.text, sent)
            rows.append(
                Shown(
                    conversation_id=conversation_id,
                    engine=suggestion.engine,
                    source=suggestion.source,
                    key=suggestion.key or suggestion.text,
                    outcome=outcome,
                    shown_at=pending.shown_at,
                )
            )
        return rows


def _outcome(suggested: str, sent: str) -> Outcome:
    if " ".join(suggested.split()) == " ".join(sent.split()):
        return "used"
    return "edited" if similarity(suggested, sent) >= EDITED_AT_LEAST else "ignored"
