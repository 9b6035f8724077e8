"""Turning what an attendant types into a full-text query over the history.

Every word is matched as the start of a word ("apart" finds "apartamento"),
accents and case folded the way the index folds them ("nao" finds "não").
The message index keeps prefix indexes for 3 to 6 letters, so each typed
word is a single lazy lookup that FTS5 walks newest first and stops at the
limit. A word longer than six letters is looked up by its first six and the
few candidates are checked against their text here; one or two letters
match whole words only (as a prefix they would match most of the index).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

INDEXED_PREFIX = 6
_TOKEN = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without diacritics, as ``unicode61 remove_diacritics 2`` indexes."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The words of ``text``, folded, as the index splits them (letters and digits)."""
    return _TOKEN.findall(fold(text))


@dataclass(frozen=True)
class Query:
    """A typed search: its distinct folded words, and the FTS5 query that finds them."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Query:
        """The query for what was typed (punctuation and repeated words dropped)."""
        return cls(tuple(dict.fromkeys(tokens(text))))

    def __bool__(self) -> bool:
        return bool(self.words)

    @property
    def match(self) -> str:
        """The FTS5 MATCH expression."""
        parts = []
        for word in self.words:
            if len(word) <= 2:
                parts.append(f'"{word}"')
            else:
                parts.append(f'"{word[:INDEXED_PREFIX]}"*')
        return " AND ".join(parts)

    @property
    def needs_check(self) -> bool:
        """Whether index hits may be wider than the query (a word over six letters)."""
        return any(len(w) > INDEXED_PREFIX for w in self.words)

    def matches(self, text: str | None) -> bool:
        """Every word starts some word of ``text`` (whole words for one or two letters)."""
        found = tokens(text or "")
        for word in self.words:
            if len(word) <= 2:
                if word not in found:
                    return False
            elif not any(t.startswith(word) for t in found):
                return False
        return True


SNIPPET = 90  # characters of context a search result shows around its match


def snippet(text: str | None, query: Query, width: int = SNIPPET) -> list[tuple[str, bool]]:
    """A piece of ``text`` around the first word that matches, as (part, is_match) pairs.

    The parts, joined, are a slice of the text itself (one line, spaces
    squeezed): the caller shows them as plain text and marks the matches.
    A match cut off mid-text gets "…" on the cut side.
    """
    flat = " ".join((text or "").split())
    spans = [
        m.span()
        for m in _TOKEN.finditer(flat)
        if any(_word_matches(fold(m.group()), word) for word in query.words)
    ]
    start = 0
    if spans and spans[0][1] > width:
        start = max(0, spans[0][0] - width // 3)
    end = min(len(flat), start + width)
    parts: list[tuple[str, bool]] = [("…", False)] if start else []
    at = start
    for low, high in spans:
        if low < start or high > end:
            continue
        if low > at:
            parts.append((flat[at:low], False))
        parts.append((flat[low:high], True))
        at = high
    if at < end:
        parts.append((flat[at:end], False))
    if end < len(flat):
        parts.append(("…", False))
    return parts


def _word_matches(token: str, word: str) -> bool:
    """``token`` (folded) is what ``word`` finds: whole for one or two letters, else a prefix."""
    return token == word if len(word) <= 2 else token.startswith(word)
