"""The conversation list's one-line preview, worded in the window's language.

The store keeps what the last message is (type, direction, text; see
``store.content``); this module words it when the list draws: "📷 Foto:
legenda", "Você: …". Kept out of the store so an English window shows
English previews of the same history.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP

CONTEXT = "Previews"
# The emoji stay outside the translated words.
LABELS = {
    "image": ("📷 ", QT_TRANSLATE_NOOP("Previews", "Foto")),
    "audio": ("🎤 ", QT_TRANSLATE_NOOP("Previews", "Áudio")),
    "video": ("🎥 ", QT_TRANSLATE_NOOP("Previews", "Vídeo")),
    "document": ("📄 ", QT_TRANSLATE_NOOP("Previews", "Documento")),
    "sticker": ("", QT_TRANSLATE_NOOP("Previews", "Figurinha")),
    "location": ("📍 ", QT_TRANSLATE_NOOP("Previews", "Localização")),
    "contacts": ("👤 ", QT_TRANSLATE_NOOP("Previews", "Contato")),
    "template": ("", QT_TRANSLATE_NOOP("Previews", "Modelo")),
    "request_welcome": ("", QT_TRANSLATE_NOOP("Previews", "Novo contato")),
    "revoke": ("🚫 ", QT_TRANSLATE_NOOP("Previews", "Mensagem apagada")),
    "unsupported": ("⚠️ ", QT_TRANSLATE_NOOP("Previews", "Mensagem não suportada")),
    "unknown": ("⚠️ ", QT_TRANSLATE_NOOP("Previews", "Mensagem não suportada")),
}
# A template shows what the customer read; its label only when that text is missing.
TEXT_FIRST = frozenset({"template"})
REACTED = {
    "in": QT_TRANSLATE_NOOP("Previews", "Reagiu {0} a: {1}"),
    "out": QT_TRANSLATE_NOOP("Previews", "Você reagiu {0} a: {1}"),
}
REACTED_TO_MESSAGE = {
    "in": QT_TRANSLATE_NOOP("Previews", "Reagiu {0} a uma mensagem"),
    "out": QT_TRANSLATE_NOOP("Previews", "Você reagiu {0} a uma mensagem"),
}
MESSAGE = QT_TRANSLATE_NOOP("Previews", "Mensagem")
YOU = QT_TRANSLATE_NOOP("Previews", "Você: {0}")


def preview_line(row: dict[str, Any]) -> str:
    """The list's preview of a conversation row ("" when it has no message yet)."""
    msg_type = row.get("preview_type")
    if msg_type is None:
        return ""
    text = str(row.get("preview_text") or "")
    direction = "out" if row.get("preview_direction") == "out" else "in"
    if msg_type == "reaction":
        return reaction_line(direction, text)
    label = LABELS.get(str(msg_type))
    if msg_type in TEXT_FIRST and text:
        line = text
    elif label is not None:
        words = label[0] + QCoreApplication.translate(CONTEXT, label[1])
        line = f"{words}: {text}" if text else words
    else:
        line = text or QCoreApplication.translate(CONTEXT, MESSAGE)
    if row.get("preview_direction") == "out":
        line = QCoreApplication.translate(CONTEXT, YOU).format(line)
    return line


def reaction_line(direction: str, text: str) -> str:
    """The line "Reagiu 👍 a: …" from the store's "👍 …" (the emoji, then the first words)."""
    emoji, _, words = text.partition(" ")
    if words:
        return QCoreApplication.translate(CONTEXT, REACTED[direction]).format(emoji, words)
    return QCoreApplication.translate(CONTEXT, REACTED_TO_MESSAGE[direction]).format(emoji)
