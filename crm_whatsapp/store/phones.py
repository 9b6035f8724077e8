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
    """Only the digits of ``text`` (what people type around a number goes)."""
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


def typed_fragments(typed: str) -> set[str]:
    """The digit strings to look for in stored numbers when a person types part of one.

    Attendants type numbers any way: whole, with or without the country
    code, the last digits, with or without the ninth digit. Stored numbers
    are as Meta sent them (12 or 13 digits for Brazil), so a typed number
    is looked for in both forms, by the same rule as :func:`phone_key`: a
    mobile's local part (starting 6–9) may have lost its leading 9; a
    landline's (2–5) never had one. Fewer than 3 digits match nothing.
    """
    d = digits(typed)
    if len(d) < 3:
        return set()
    found = {d}
    if len(d) >= 12 and d.startswith("55"):
        found |= {phone_key(d), with_ninth_digit(d)}
    elif len(d) in (10, 11):  # area code and local part, no country code
        found |= {phone_key("55" + d)[2:], with_ninth_digit("55" + d)[2:]}
    elif len(d) == 9 and d[0] == "9" and d[1] in "6789":  # a local part with the ninth digit
        found.add(d[1:])
    elif len(d) == 8 and d[0] in "6789":  # a mobile's local part without it
        found.add("9" + d)
    return found


def normalised_phone(text: str) -> str:
    """A number as typed in a CRM, in Meta's form: country code, no formatting.

    "+55 (11) 98765-4321", "011 98765-4321", "0xx11 98765 4321" and
    "5511987654321" all give ``5511987654321``; a Brazilian number written
    with its area code but no country code gains 55 (a trunk 0 and a
    carrier code go). A number without an area code stays as its digits: it
    cannot be told from the same digits in another area code.
    """
    d = digits(text)
    if text.strip().startswith("+"):
        return d
    if d.startswith("00"):
        return d[2:]
    if d.startswith("0") and len(d) in (13, 14):  # 0 + carrier + area code + number
        d = d[3:]
    elif d.startswith("0") and len(d) in (11, 12):  # trunk 0 + area code + number
        d = d[1:]
    if len(d) in (10, 11) and d[0] != "0" and d[1] != "0":
        return "55" + d
    return d


def same_phone(stored: str, wa_id: str) -> bool:
    """Whether a number as a CRM stores it is this WhatsApp number (the ninth digit both ways).

    Never true for a number missing the area code, nor for another area
    code with the same last eight digits.
    """
    a, b = normalised_phone(stored), digits(wa_id)  # Meta's ids carry their country code
    if len(a) < 12 or len(b) < 12:
        return a == b and len(a) >= 8 and not a.startswith("55")  # foreign short forms
    return phone_key(a) == phone_key(b)


def phone_variants(wa_id: str) -> list[str]:
    """The forms of a number worth asking a CRM that matches stored text, most common first.

    For a Brazilian mobile: with and without the ninth digit, each as
    E.164 with "+", bare digits, the national digits and the usual
    "(11) 98765-4321" writing. Results must still be checked with
    :func:`same_phone` (a CRM's search may match substrings).
    """
    d = digits(wa_id)
    if not (d.startswith("55") and len(d) in (12, 13)):
        return [f"+{d}", d]
    forms: list[str] = []
    for full in dict.fromkeys((with_ninth_digit(d), phone_key(d), d)):
        national = full[2:]
        area, local = national[:2], national[2:]
        written = f"({area}) {local[:-4]}-{local[-4:]}"
        forms += [f"+{full}", full, national, written]
    return list(dict.fromkeys(forms))
