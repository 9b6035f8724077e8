"""Click-to-chat requests: ``crm-whatsapp open PHONE --text TEXT`` and ``crm-whatsapp://chat?…``.

Any web page can open a ``crm-whatsapp://`` link, so a request only ever
names a number and some text for the composer: it never sends, never
changes a setting. The number must read as a phone number; the text is
plain, without control characters, at most :data:`MAX_TEXT` characters.
What goes between the second launch and the running window is the same
request as one JSON line.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs, urlsplit

from crm_whatsapp.domain.phones import typed_phone

SCHEME: Final = "crm-whatsapp"
MAX_TEXT: Final = 2000
MAX_LINE: Final = 16 * 1024  # a handed-over request's JSON, bounded


class ChatLinkError(ValueError):
    """A link or request that cannot open a chat; ``str()`` is one Portuguese sentence."""


@dataclass(frozen=True)
class ChatRequest:
    """Open the conversation with ``phone`` (Meta's digits) and put ``text`` in the composer."""

    phone: str
    text: str = ""

    def to_line(self) -> bytes:
        """The request as the JSON line the running window reads."""
        return json.dumps({"phone": self.phone, "text": self.text}).encode() + b"\n"


def _clean(text: str) -> str:
    """Plain text for the composer: no control or format characters but line breaks."""
    kept = [
        ch
        for ch in text.replace("\r\n", "\n")
        if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
    ]
    return "".join(kept)[:MAX_TEXT]


def chat_request(phone: str, text: str = "") -> ChatRequest:
    """A request from a number as typed (any format) and a text; ChatLinkError if not a number."""
    digits = typed_phone(phone or "")
    if digits is None:
        raise ChatLinkError("O número do link não é um telefone válido.")
    return ChatRequest(digits, _clean(text or ""))


def parse_chat_url(url: str) -> ChatRequest:
    """``crm-whatsapp://chat?phone=…&text=…`` as a request (``crm-whatsapp:chat?…`` too)."""
    if len(url) > MAX_LINE:
        raise ChatLinkError("O link é longo demais.")
    parts = urlsplit(url.strip())
    target = (parts.netloc or parts.path).strip("/").lower()
    if parts.scheme.lower() != SCHEME or target != "chat":
        raise ChatLinkError("Este link não é de conversa do CRM WhatsApp.")
    query = parse_qs(parts.query, keep_blank_values=True, max_num_fields=10)
    return chat_request(query.get("phone", [""])[0], query.get("text", [""])[0])


def parse_line(line: bytes) -> ChatRequest:
    """A handed-over JSON line as a request, validated as if it came from a link."""
    if len(line) > MAX_LINE:
        raise ChatLinkError("O pedido é longo demais.")
    try:
        data = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ChatLinkError("O pedido não pôde ser lido.") from exc
    if not isinstance(data, dict):
        raise ChatLinkError("O pedido não pôde ser lido.")
    return chat_request(str(data.get("phone") or ""), str(data.get("text") or ""))
