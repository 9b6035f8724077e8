"""What Meta's Cloud API takes as an attachment: kind, type and size, checked before sending.

Meta refuses a photo over 5 MB, a video or audio over 16 MB and a document
over 100 MB, and takes photos only as JPEG or PNG, videos only as MP4 or
3GPP, audio only as AAC, AMR, MP3, M4A or Ogg/Opus. A refused upload would
fail minutes later in the outbox; the attach preview says so at once, in one
sentence, and leaves that file out. Anything that is not a photo, video or
audio goes as a document (Meta takes any type of document).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Final

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP

MB: Final = 1024 * 1024
LIMITS: Final = {"image": 5 * MB, "video": 16 * MB, "audio": 16 * MB, "document": 100 * MB}
IMAGE_TYPES: Final = frozenset({"image/jpeg", "image/png"})
VIDEO_TYPES: Final = frozenset({"video/mp4", "video/3gpp"})
AUDIO_TYPES: Final = frozenset({"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"})
# What the system's table may not know, or names otherwise (x-m4a, x-aac…).
BY_SUFFIX: Final = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".mp4": "video/mp4",
    ".3gp": "video/3gpp",
    ".aac": "audio/aac",
    ".amr": "audio/amr",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".pdf": "application/pdf",
}
# Sentences the preview shows; the UI translates them (context "AttachDialog").
EMPTY: Final = QT_TRANSLATE_NOOP("AttachDialog", "O arquivo está vazio e não será enviado.")
UNREADABLE: Final = QT_TRANSLATE_NOOP(
    "AttachDialog", "Não foi possível ler este arquivo; ele não será enviado."
)
TOO_BIG: Final = {
    "image": QT_TRANSLATE_NOOP(
        "AttachDialog", "A Meta só aceita fotos de até 5 MB; esta não será enviada."
    ),
    "video": QT_TRANSLATE_NOOP(
        "AttachDialog", "A Meta só aceita vídeos de até 16 MB; este não será enviado."
    ),
    "audio": QT_TRANSLATE_NOOP(
        "AttachDialog", "A Meta só aceita áudios de até 16 MB; este não será enviado."
    ),
    "document": QT_TRANSLATE_NOOP(
        "AttachDialog", "A Meta só aceita documentos de até 100 MB; este não será enviado."
    ),
}
WRONG_TYPE: Final = {
    "image": QT_TRANSLATE_NOOP(
        "AttachDialog", "A Meta só aceita fotos JPEG ou PNG; esta não será enviada."
    ),
    "video": QT_TRANSLATE_NOOP(
        "AttachDialog", "A Meta só aceita vídeos MP4 ou 3GP; este não será enviado."
    ),
    "audio": QT_TRANSLATE_NOOP(
        "AttachDialog",
        "A Meta só aceita áudios AAC, AMR, MP3, M4A ou OGG; este não será enviado.",
    ),
}


def mime_type_of(name: str) -> str:
    """The MIME type a file is sent with, from its name (octet-stream if unknown)."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return BY_SUFFIX.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def kind_of(mime_type: str) -> str:
    """The message type Meta shows the file as: image, video, audio or document."""
    kind = mime_type.split("/")[0]
    return kind if kind in ("image", "video", "audio") else "document"


@dataclass(frozen=True)
class Attachment:
    """One file the attendant is about to send, with Meta's verdict on it.

    ``problem`` is ``None`` when Meta takes it, else the sentence saying why
    not (untranslated: the preview translates it).
    """

    name: str
    mime_type: str
    size: int
    problem: str | None

    @property
    def kind(self) -> str:
        return kind_of(self.mime_type)

    @property
    def takes_caption(self) -> bool:
        """Meta sends a caption with photos, videos and documents, never with audio."""
        return self.kind != "audio"


def check(name: str, size: int, mime_type: str | None = None) -> Attachment:
    """Meta's verdict on a file of ``size`` bytes named ``name``."""
    mime = (mime_type or mime_type_of(name)).split(";")[0].strip().lower()
    kind = kind_of(mime)
    allowed = {"image": IMAGE_TYPES, "video": VIDEO_TYPES, "audio": AUDIO_TYPES}.get(kind)
    problem: str | None = None
    if size <= 0:
        problem = EMPTY
    elif allowed is not None and mime not in allowed:
        problem = WRONG_TYPE[kind]
    elif size > LIMITS[kind]:
        problem = TOO_BIG[kind]
    return Attachment(name, mime_type or mime, size, problem)


def unreadable(name: str) -> Attachment:
    """A file that could not be read (gone, no permission): shown, flagged, never sent."""
    return Attachment(name, mime_type_of(name), 0, UNREADABLE)


def human_size(size: int) -> str:
    """ "820 KB", "4,2 MB": the size as the preview shows it (Brazilian decimal comma)."""
    if size < 1024:
        return f"{size} B"
    if size < MB:
        return f"{round(size / 1024)} KB"
    return f"{size / MB:.1f} MB".replace(".", ",")
