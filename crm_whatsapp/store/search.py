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
