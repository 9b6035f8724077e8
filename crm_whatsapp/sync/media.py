"""The media cache: files fetched through the relay, sealed on disk.

Meta's media URLs need the access token and expire, so bytes come through
the relay's ``GET /v1/media/{id}``. They never touch the disk in clear: the
download is held in memory and written as an AES-256-GCM sealed file whose
associated data names its message, so a file moved onto another message's
name does not open.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from pathlib import Path

import httpx

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.security.files import aad_for_message, open_file, seal_stream

MAX_MEDIA = 100 * 1024 * 1024


class MediaUnavailable(Exception):
    """The media cannot be had; ``str()`` is one sentence in Portuguese."""


@dataclass
class MediaCache:
    """Received and sent media, sealed on disk by message id, fetched through the relay.

    Files are encrypted with the profile's file key and bound to their
    message id (a file moved to another id does not open).
    """

    folder: Path
    file_key: bytes
    relay_url: str
    token: str

    def path(self, message_id: int) -> Path:
        """Where the sealed file of a message's media lives (whether or not it exists)."""
        return self.folder / f"{message_id}.bin"

    def has(self, message_id: int) -> bool:
        """Whether the media is cached (no network needed to show it)."""
        return self.path(message_id).exists()

    def read(self, message_id: int) -> bytes:
        """The cached media in clear, in memory (blocking: decrypts the whole file)."""
        return open_file(self.file_key, self.path(message_id), self._aad(message_id))

    async def load(self, message_id: int, media_id: str | None) -> bytes | None:
        """A message's media in clear, in memory: fetched through the relay first if needed.

        ``None`` when the file is not cached and there is no media id to fetch
        it with (a send whose file went missing). Decrypting runs in a worker
        thread, off the window's.
        """
        if not self.has(message_id):
            if not media_id:
                return None
            await self.fetch(message_id, media_id)
        return await asyncio.to_thread(self.read, message_id)

    @staticmethod
    def _aad(message_id: int) -> bytes:
        return aad_for_message(str(message_id), "media")

    def store(self, message_id: int, data: bytes) -> Path:
        """Seal ``data`` as the cached file of ``message_id`` (atomic replace)."""
        target = self.path(message_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        with tmp.open("wb") as out:
            seal_stream(self.file_key, io.BytesIO(data), out, self._aad(message_id))
        tmp.replace(target)
        return target

    async def fetch(self, message_id: int, media_id: str) -> Path:
        """Download ``media_id`` through the relay into the cache (no-op if cached).

        Cancellation-safe: the file appears only whole (written to ``.part``
        and renamed), so a cancelled download leaves nothing half-cached.
        """
        if self.has(message_id):
            return self.path(message_id)
        buffer = io.BytesIO()
        async with httpx.AsyncClient(timeout=httpx.Timeout(120.0, connect=10.0)) as http:
            try:
                async with http.stream(
                    "GET",
                    f"{self.relay_url.rstrip('/')}/v1/media/{media_id}",
                    headers={"Authorization": f"Bearer {self.token}"},
                ) as response:
                    if response.status_code == 404:
                        raise MediaUnavailable(
                            QT_TRANSLATE_NOOP(
                                "Problems",
                                "A mídia não está mais disponível no WhatsApp (expira em 7 dias).",
                            )
                        )
                    if response.status_code != 200:
                        raise MediaUnavailable(
                            QT_TRANSLATE_NOOP(
                                "Problems", "O relay não conseguiu baixar a mídia agora."
                            )
                        )
                    async for chunk in response.aiter_bytes():
                        if buffer.tell() + len(chunk) > MAX_MEDIA:
                            raise MediaUnavailable(
                                QT_TRANSLATE_NOOP("Problems", "A mídia passa do limite de 100 MB.")
                            )
                        buffer.write(chunk)
            except httpx.HTTPError as exc:
                raise MediaUnavailable(
                    QT_TRANSLATE_NOOP("Problems", "Sem conexão com o relay para baixar a mídia.")
                ) from exc
        return self.store(message_id, buffer.getvalue())
