"""Image and sticker previews for the thread, kept in memory only.

A photo is worth showing in its bubble, as WhatsApp does, but the bytes on
disk are sealed (guarantee 3): a preview is decoded from the sealed cache
file and scaled in a worker thread, then held in a small in-memory LRU. No
preview is ever written to disk.

Previews are asked for by the delegate while it paints, so only rows the
attendant actually sees download anything; a handful of downloads run at
once, and a failure is remembered (one failed fetch does not turn into a
request per repaint) until the attendant asks again by opening the media.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.sync.media import MediaCache

log = logging.getLogger("crm_whatsapp.ui.thumbnails")

PREVIEW_TYPES = ("image", "sticker")
IMAGE_BOX = QSize(240, 180)  # photos fill it (cropped to the centre), as WhatsApp does
STICKER_BOX = QSize(128, 128)  # stickers fit inside it, transparent corners kept
CAPACITY = 150  # previews kept decoded: about 25 MB at most
PARALLEL = 3


def preview_box(msg_type: str) -> QSize:
    """The fixed size a preview takes in its bubble, loaded or not (no jump when it arrives)."""
    return STICKER_BOX if msg_type == "sticker" else IMAGE_BOX


def scaled_preview(data: bytes, msg_type: str) -> QImage | None:
    """Decode ``data`` and scale it to its box; ``None`` if it is not an image Qt can read."""
    image = QImage()
    if not image.loadFromData(data) or image.isNull():
        return None
    box = preview_box(msg_type)
    if msg_type == "sticker":
        return image.scaled(
            box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
    filled = image.scaled(
        box,
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    left = (filled.width() - box.width()) // 2
    top = (filled.height() - box.height()) // 2
    return filled.copy(left, top, box.width(), box.height())


class Thumbnails(QObject):
    """Previews by message id: ``image(row)`` answers at once, ``changed`` says when to repaint."""

    changed = Signal(object)  # a message id (over 32 bits) whose preview arrived or failed

    def __init__(
        self, media: MediaCache | None, parent: QObject | None = None, capacity: int = CAPACITY
    ) -> None:
        super().__init__(parent)
        self.media = media
        self.capacity = capacity
        self._images: OrderedDict[int, QImage] = OrderedDict()
        self._loading: set[int] = set()
        self._failed: set[int] = set()
        self._slots: asyncio.Semaphore | None = None

    def image(self, row: dict[str, Any]) -> QImage | None:
        """The preview of ``row`` if decoded; otherwise starts loading it and returns None."""
        message_id = int(row["id"])
        found = self._images.get(message_id)
        if found is not None:
            self._images.move_to_end(message_id)
            return found
        if message_id not in self._loading and message_id not in self._failed:
            self._loading.add(message_id)
            spawn(self._load(message_id, row["type"], row.get("media_id")), "thumbnail")
        return None

    def failed(self, message_id: int) -> bool:
        return message_id in self._failed

    def retry(self, message_id: int) -> None:
        """Forget a failure (the attendant opened the media, which fetches it again)."""
        self._failed.discard(message_id)

    def forget(self) -> None:
        """Drop every decoded preview (another profile, a theme change, memory pressure)."""
        self._images.clear()
        self._failed.clear()

    async def _load(self, message_id: int, msg_type: str, media_id: str | None) -> None:
        image: QImage | None = None
        try:
            if self._slots is None:
                self._slots = asyncio.Semaphore(PARALLEL)
            async with self._slots:
                image = await self._fetch_and_scale(message_id, msg_type, media_id)
        except Exception as exc:  # no relay, media expired, unreadable bytes
            log.info("preview unavailable for a message: %s", type(exc).__name__)
        finally:
            self._loading.discard(message_id)
        if image is None:
            self._failed.add(message_id)
        else:
            self._images[message_id] = image
            while len(self._images) > self.capacity:
                self._images.popitem(last=False)
        if shiboken6.isValid(self):  # the window may have closed while the preview loaded
            self.changed.emit(message_id)

    async def _fetch_and_scale(
        self, message_id: int, msg_type: str, media_id: str | None
    ) -> QImage | None:
        data = await self.media.load(message_id, media_id) if self.media is not None else None
        if data is None:
            return None
        return await asyncio.to_thread(scaled_preview, data, msg_type)
