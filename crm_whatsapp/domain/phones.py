"""Phone numbers as people read and type them, around WhatsApp's digits-only form.

WhatsApp names a customer by digits with the country code and no ``+``
(``5541996543210``). Attendants read ``+55 41 99654-3210`` and type
``(41) 99654-3210``, ``+55 41 99654 3210`` or ``41996543210``. The
``phonenumbers`` package (Google's libphonenumber metadata) knows every
country's grouping; it does not know WhatsApp's Brazilian quirk: accounts
registered before mobiles gained their ninth digit arrive as 12 digits
(``554196543210``), which libphonenumber calls invalid. Both functions here
accept that form too. Matching one customer across the two forms is
``crm_whatsapp.store.phones.phone_key``'s job, not this module's.

Pure functions, no Qt: the window, notifications and the CLI share them.
"""

from __future__ import annotations

import functools
from types import ModuleType

#: What a typed phone number may hold besides digits (NBSP: pasted from web pages).
_PUNCTUATION = frozenset(" +-().,/\u00a0\t")
_MIN_DIGITS = 8  # shorter is an extension, a PIN or the tail of a number, not a whole number


@functools.cache
def _phonenumbers() -> ModuleType:
    """The package, imported on first use: it takes ~0.1 s, paid only once a number is shown."""
    import phonenumbers

    return phonenumbers


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def _old_brazilian_mobile(digits: str) -> bool:
    """``55 DD 8XXX XXXX``: a Brazilian mobile as WhatsApp may send it, without the ninth digit.

    Mobiles' local part starts with 6–9 and landlines' with 2–5, the rule
    ``store.phones`` uses for matching.
    """
    return len(digits) == 12 and digits.startswith("55") and digits[4] in "6789"


@functools.lru_cache(maxsize=4096)
def display_phone(wa_id: str | None) -> str:
    """A WhatsApp number as people read it: ``"5541996543210"`` -> ``"+55 41 99654-3210"``.

    A number libphonenumber cannot place is shown as ``+`` and its digits; an
    empty or digit-less value (a username-only contact) as ``""``. Cached:
    the conversation list asks for the visible rows on every paint.
    """
    digits = _digits(wa_id or "")
    if not digits:
        return ""
    if _old_brazilian_mobile(digits):
        return f"+55 {digits[2:4]} {digits[4:8]}-{digits[8:]}"
    return _international(digits)


def _international(digits: str) -> str:
    phonenumbers = _phonenumbers()
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return "+" + digits
    if not phonenumbers.is_valid_number(number):
        return "+" + digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def warm_up() -> None:
    """Import phonenumbers and load Brazil's metadata now (~0.15 s the first time).

    The window calls it on its reader thread at start, so neither start-up
    nor the first conversation opened waits for it.
    """
    _international("5511999999999")


def typed_phone(text: str, default_region: str = "BR") -> str | None:
    """The WhatsApp digits of a number a person typed, or None if ``text`` is not a number.

    ``"(81) 99777-8888"``, ``"+55 81 99777 8888"`` and ``"81997778888"`` all
    give ``"5581997778888"``; a number without a country code is read in
    ``default_region``. Words, too few digits, or digits no country numbers
    that way give None, so a search box can tell a number from a name.
    """
    stripped = text.strip()
    if not stripped or any(not ch.isdigit() and ch not in _PUNCTUATION for ch in stripped):
        return None
    if any(ch.isdigit() and not "0" <= ch <= "9" for ch in stripped):
        return None  # other scripts' digits: libphonenumber converts them, WhatsApp does not
    digits = _digits(stripped)
    if len(digits) < _MIN_DIGITS:
        return None
    phonenumbers = _phonenumbers()
    try:
        number = phonenumbers.parse(stripped, default_region)
    except phonenumbers.NumberParseException:
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]
    if phonenumbers.is_valid_number(number) or _old_brazilian_mobile(e164):
        return e164
    return None
