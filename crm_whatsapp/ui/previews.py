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
}
MESSAGE = QT_TRANSLATE_NOOP("Previews", "Mensagem")
YOU = QT_TRANSLATE_NOOP("Previews", "Você: {0}")


def preview_line(row: dict[str, Any]) -> str:
    """The list's preview of a conversation row ("" when it has no message yet)."""
    msg_type = row.get("preview_type")
    if msg_type is None:
        return ""
    text = str(row.get("preview_text") or "")
    label = LABELS.get(str(msg_type))
    if label is not None:
        words = label[0] + QCoreApplication.translate(CONTEXT, label[1])
        line = f"{words}: {text}" if text else words
    else:
        line = text or QCoreApplication.translate(CONTEXT, MESSAGE)
    if row.get("preview_direction") == "out":
        line = QCoreApplication.translate(CONTEXT, YOU).format(line)
    return line
