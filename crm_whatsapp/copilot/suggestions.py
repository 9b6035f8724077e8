"""What both engines hand the bar: a suggestion, and the rule that keeps three distinct.

Three wordings of one answer waste two of the attendant's three choices, so
near-duplicates collapse into the best-ranked of them, and the three are then
picked by maximal marginal relevance: each next one is the best remaining
candidate discounted by how much it resembles those already chosen (as
Gmail's Smart Reply forces semantic diversity).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

EngineName = Literal["local", "model"]

# Where a suggestion came from, shown on hover (the UI words and translates these).
Source = Literal["quick_reply", "history", "template", "model"]

MAX_SUGGESTIONS = 3
# token_set_ratio at or above this: the same answer worded a little differently.
NEAR_DUPLICATE = 85.0
# MMR trade-off: 1.0 ranks by score alone, 0.0 by difference alone.
RELEVANCE_WEIGHT = 0.6


@dataclass(frozen=True)
class Suggestion:
    """One reply the attendant may click into the composer.

    ``text`` is ready to show (slots filled, placeholders restored);
    ``score`` orders suggestions of one engine (higher is better) and has
    no meaning across engines. ``uses`` is how many times attendants sent
    this reply (the hover's "usada 14× pela equipe"); ``template`` names the
    approved template when the 24-hour window is closed (``source ==
    "template"``).
    """

    text: str
    engine: EngineName
    source: Source
    score: float = 0.0
    uses: int = 0
    template: str | None = None
    # Opaque to the bar: what the engine needs to learn from the outcome.
    key: str = field(default="", compare=False)


def similarity(a: str, b: str) -> float:
    """0–100: how alike two replies read, ignoring word order, case and repeats."""
    return float(fuzz.token_set_ratio(a.casefold(), b.casefold()))


def collapse(candidates: Iterable[Suggestion]) -> list[Suggestion]:
    """Best first, dropping each candidate that nearly repeats a better-ranked one."""
    kept: list[Suggestion] = []
    for candidate in sorted(candidates, key=lambda s: s.score, reverse=True):
        if candidate.text.strip() and all(
            similarity(candidate.text, other.text) < NEAR_DUPLICATE for other in kept
        ):
            kept.append(candidate)
    return kept


def diversify(candidates: Sequence[Suggestion], k: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Up to ``k`` suggestions, best first, that differ from each other.

    Scores are normalised to 0–1 within the candidates so the trade-off
    means the same for any engine's scale.
    """
    pool = collapse(candidates)
    if len(pool) <= k:
        return pool
    top = pool[0].score
    bottom = min(s.score for s in pool)
    spread = (top - bottom) or 1.0
    chosen = [pool.pop(0)]
    while pool and len(chosen) < k:

        def value(s: Suggestion) -> float:
            relevance = (s.score - bottom) / spread
            likeness = max(similarity(s.text, c.text) for c in chosen) / 100.0
            return RELEVANCE_WEIGHT * relevance - (1 - RELEVANCE_WEIGHT) * likeness

        best = max(pool, key=value)
        pool.remove(best)
        chosen.append(best)
    return chosen
