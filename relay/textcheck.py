"""Checks for text and numbers that come from outside the relay (desktops, Meta).

One place decides what outside text may hold before it reaches the database
or an admin's terminal, and what counts as a number in an id. Hand-rolled
checks drifted: one refused only NUL, another used ``str.isdigit``, which
also accepts ``²`` and ``١٢٣``.
"""

from __future__ import annotations

import re
import unicodedata

# NUL and the other C0 controls, DEL and the C1 controls, and lone surrogates.
# PostgreSQL refuses NUL and anything that is not UTF-8 (a lone surrogate);
# ESC, BEL and the C1 CSI start sequences that rewrite an admin's terminal.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

# Harmless in a name (emoji sequences, scripts that need them), though "format" characters.
_JOINERS = frozenset("\u200c\u200d")


def clean_text(value: object, max_len: int, *, printable: bool = False) -> str | None:
    """``value`` if it is a string of 1 to ``max_len`` characters safe to store and show.

    Safe means no control character and no lone surrogate, so every backend
    stores it as sent and a terminal prints it as text. ``printable`` also
    refuses what ``str.isprintable`` does (line breaks, format characters,
    non-ASCII spaces), for ids that become keys. Anything else gives None.
    """
    if not isinstance(value, str) or not 1 <= len(value) <= max_len:
        return None
    if printable:
        return value if value.isprintable() else None
    return None if _UNSAFE.search(value) else value


def ascii_digits(value: object, max_len: int = 32) -> str | None:
    """``value`` if it is 1 to ``max_len`` ASCII digits (an id or a number), else None.

    ``str.isdigit`` alone accepts superscripts and other scripts' digits,
    which ``int`` may refuse and Graph's URLs do not name.
    """
    if isinstance(value, str) and 1 <= len(value) <= max_len and value.isascii():
        return value if value.isdigit() else None
    return None


def for_terminal(value: str) -> str:
    """``value`` with every control, format or unassigned character shown as an escape.

    For printing stored text (e.g. device names from older relays) to an
    admin's terminal: ``\\x1b]0;...`` appears as written, not as a command.
    """
    return "".join(_shown(ch) for ch in value)


def _shown(ch: str) -> str:
    if ch in _JOINERS:
        return ch
    category = unicodedata.category(ch)
    if category[0] == "C" or category in ("Zl", "Zp"):
        return ch.encode("unicode_escape", "backslashreplace").decode("ascii")
    return ch
