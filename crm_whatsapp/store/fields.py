"""Typed readers for the fields of relay events, where they enter the store.

An event's ``data`` is Meta's item exactly as received, so any field may be
missing, of another type than documented, huge, or hold characters SQLite
refuses to bind (lone surrogates) or C strings cut short (NUL). Every value
the store files goes through one of these readers: a value of the wrong type
reads as absent instead of raising deep inside a write, and text is made
safe to bind, index and show. ``History.apply`` sets aside an event whose
required fields read as absent (see ``other_events``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from crm_whatsapp.store.keys import MAX_SECOND
from crm_whatsapp.store.phones import phone_key

_SURROGATES = re.compile("[\ud800-\udfff]")
INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # what SQLite's INTEGER holds
KIND_LIMIT = 64  # other_events.kind


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is an object, else an empty one (a field that is absent)."""
    return value if isinstance(value, dict) else {}


def first_dict(value: Any) -> dict[str, Any]:
    """The first element of a list of objects (Meta's ``contacts[]``, ``errors[]``)."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return value[0]
    return {}


def clean(value: str) -> str:
    """``value`` without NUL and with lone surrogates replaced, so SQLite binds it whole."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    if not value.isascii():
        try:
            value.encode("utf-8")  # no lone surrogate (the common case): no regex pass
        except UnicodeEncodeError:
            value = _SURROGATES.sub("\ufffd", value)
    return value


def as_text(value: Any) -> str | None:
    """A string field, made safe; anything else reads as absent."""
    if type(value) is not str:
        return None
    if value.isascii() and "\x00" not in value:  # nearly every id and many texts: as they are
        return value
    return clean(value)


def as_id(value: Any) -> str | None:
    """An id (wamid, client id, phone number id, type): a non-empty string, else absent."""
    if type(value) is str and value.isascii() and "\x00" not in value:  # inlined: per event
        return value or None
    return as_text(value) or None


def as_phone(value: Any) -> str | None:
    """A WhatsApp id (``wa_id``, ``from``): an id with digits in it, else absent.

    Contacts are matched on the number's digits (``phone_key``), so an id
    without any would file every such customer under one contact.
    """
    found = as_id(value)
    return found if found and phone_key(found) else None


def as_int(value: Any) -> int | None:
    """An integer SQLite can hold (Meta's error codes); booleans and huge ints read as absent."""
    if isinstance(value, int) and not isinstance(value, bool) and INT_MIN <= value <= INT_MAX:
        return value
    return None


def as_timestamp(value: Any) -> float | None:
    """Seconds since the epoch, as Meta sends them (a string of digits) or a number.

    Absent unless finite and within what message keys can place (store.keys);
    callers fall back to the time of arrival.
    """
    if type(value) is str:  # Meta's form
        if len(value) > 32:
            return None
        try:
            value = float(value)
        except ValueError:
            return None
    elif type(value) is int:
        if not 0 <= value <= MAX_SECOND:  # float() of a huge int raises
            return None
    elif type(value) is not float:  # booleans, containers, None
        return None
    return float(value) if 0 <= value <= MAX_SECOND else None  # NaN compares false


def as_json(value: Any) -> str:
    """``value`` as JSON that SQLite always binds (payloads, set-aside events).

    orjson is the fast path; it refuses lone surrogates, integers beyond 64
    bits and nesting deeper than 255, which the standard library writes
    (escaped to ASCII, so the text binds). Nesting too deep for either is
    kept as a note of what it was.
    """
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:
        pass
    try:
        return json.dumps(value, ensure_ascii=True, default=repr)
    except (ValueError, TypeError, RecursionError) as exc:
        return json.dumps({"unstorable": type(value).__name__, "reason": type(exc).__name__})


def kind_label(kind: Any) -> str:
    """An event's ``kind`` as other_events stores it: short, bindable, ``invalid`` if not text."""
    found = as_id(kind)
    return found[:KIND_LIMIT] if found else "invalid"
