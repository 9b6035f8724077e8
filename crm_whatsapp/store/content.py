"""What a message says: its searchable text, and what the conversation list previews.

The store keeps a message's text once (``messages.text``) and, for the list,
the last message's type, direction and text. The words the list shows
around them ("📷 Foto", "Você: ") belong to the interface, which composes
and translates them when it draws (``ui.previews``): a profile opened in
English then shows English previews.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm_whatsapp.domain.templates import fallback_text
from crm_whatsapp.store.fields import as_dict, as_text

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
PREVIEW_CHARS = 200  # the list shows one line; the rest of a long text is never read


@dataclass(frozen=True)
class Preview:
    """The last message of a conversation, as the list needs it."""

    type: str
    direction: str  # "in" | "out"
    text: str


def preview_of(msg_type: str, direction: str, text: str) -> Preview:
    """The list's record of a message: its kind, who wrote it, its first characters."""
    return Preview(msg_type, direction, (text or "")[:PREVIEW_CHARS])


def message_text(msg_type: str, item: dict[str, Any]) -> str:
    """The searchable, displayable text of a Meta message item (only its string fields)."""
    body = item.get(msg_type)
    if isinstance(body, list) and msg_type == "contacts":
        names = [as_text(as_dict(as_dict(c).get("name")).get("formatted_name")) for c in body]
        return " ".join(n for n in names if n)
    if not isinstance(body, dict):
        return ""
    if msg_type == "text":
        return as_text(body.get("body")) or ""
    if msg_type in MEDIA_TYPES:
        return _words(body, ("caption", "filename"))
    if msg_type == "location":
        return _words(body, ("name", "address"))
    if msg_type == "interactive":
        for key in ("button_reply", "list_reply", "nfm_reply"):
            if body.get(key):
                return _words(as_dict(body[key]), ("title", "description", "body"))
        return ""
    if msg_type == "button":
        return as_text(body.get("text")) or ""
    if msg_type in ("order", "system"):
        return as_text(body.get("text")) or as_text(body.get("body")) or ""
    if msg_type == "reaction":  # the list's "Você reagiu 👍" until the relay has it
        return as_text(body.get("emoji")) or ""
    if msg_type == "template":
        # The name and the values sent; the applier files the filled text
        # instead when it knows the template (store.template_book).
        return fallback_text(item)
    return ""


def _words(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The string fields ``keys`` of ``item`` that are set, joined by spaces."""
    return " ".join(w for w in (as_text(item.get(k)) for k in keys) if w)
