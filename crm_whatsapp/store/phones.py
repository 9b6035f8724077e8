"""Brazilian phone numbers: the same customer with and without the ninth digit.

Many Brazilian WhatsApp accounts were registered before mobiles gained the
extra leading 9, so Meta may send ``55 DD 8XXXXXXX`` (12 digits) for a person
the CRM knows as ``55 DD 98XXXXXXX`` (13 digits). Chatwoot shipped duplicate
contacts for years over this. Contacts are matched on a key that drops that
9; mobiles' local part starts with 6–9 and landlines' with 2–5, so the key
never merges a mobile with a landline.
"""

from __future__ import annotations

import functools


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@functools.lru_cache(maxsize=1 << 16)
def phone_key(number: str) -> str:
    """The matching key: digits only, Brazilian mobiles without the ninth digit.

    Memoised: every applied message asks it for its sender, and a busy office
    has a few thousand senders (about 15 µs each time, 10% of applying).
    """
    d = digits(number)
    if len(d) == 13 and d.startswith("55") and d[4] == "9" and d[5] in "6789":
        return d[:4] + d[5:]
    return d


def with_ninth_digit(number: str) -> str:
    """The 13-digit form of a Brazilian mobile (what people type and CRMs store)."""
    d = digits(number)
    if len(d) == 12 and d.startswith("55") and d[4] in "6789":
        return d[:4] + "9" + d[4:]
    return d
