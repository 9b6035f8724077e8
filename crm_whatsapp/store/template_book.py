"""The business's approved templates, kept in the history so sent templates read offline.

A template message carries only the template's name and the values put in
it; what the customer read (the body with the values, the header, the
buttons) comes from the template's definition, which only the relay
lists. The desktop keeps the last list it fetched (in ``sync_state``, as
one JSON value: a few kilobytes), so a colleague's template and one sent
while offline both show their text, and the applier files a template
message's text as the customer read it, which search then finds.
"""

from __future__ import annotations

import json
from typing import Any

from crm_whatsapp.store.writer import Writer

KEY = "templates"


def parse(value: object) -> list[dict[str, Any]]:
    """The stored list, or none when it is missing or not a list of objects."""
    if not isinstance(value, str):
        return []
    try:
        items = json.loads(value)
    except ValueError:
        return []
    return [t for t in items if isinstance(t, dict)] if isinstance(items, list) else []


def remember(writer: Writer, templates: list[dict[str, Any]]) -> None:
    """Keep ``templates`` (the relay's approved list) as the book. Blocking: off the window."""
    value = json.dumps([t for t in templates if isinstance(t, dict)], ensure_ascii=False)
    with writer.transaction():
        writer.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (KEY, value),
        )


def known(writer: Writer) -> list[dict[str, Any]]:
    """The templates last remembered (inside a transaction of the writer)."""
    return parse(writer.one("SELECT value FROM sync_state WHERE key = ?", (KEY,)))
