"""Sending through the relay so that a send happens exactly once.

The message is written to the outbox (inside the encrypted history) with a
``client_id`` before any network traffic, and shown as pending. The relay
treats a repeated ``client_id`` as the same send, so the outbox may retry
after a crash, a timeout or hours offline without the customer ever getting
the message twice. Definitive refusals (outside the 24-hour window, invalid
number…) mark the message failed with Meta's code; everything else backs off
and retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from crm_whatsapp.domain.templates import media_path
from crm_whatsapp.security.files import SealedFileError
from crm_whatsapp.store.history import History, Outgoing
from crm_whatsapp.sync.backoff import backoff
from crm_whatsapp.sync.media import MediaCache

log = logging.getLogger("crm_whatsapp.outbox")

RETRYABLE_STATUS = {409, 429, 500, 502, 503, 504}
UPLOAD = "_upload"  # in a queued request: the file still has to be uploaded


@dataclass
class Outbox:
    """Sends what the attendant wrote through the relay, surviving crashes and outages.

    ``send_*`` store the message and its outbox row at once (the thread
    shows it pending) and wake :meth:`run`, which posts due rows with the
    ``client_id`` the relay dedupes on, so a retry after a crash or a lost
    answer never sends twice.
    """

    history: History
    relay_url: str
    token: str
    max_backoff: float = 300.0
    media: MediaCache | None = None
    # Told the message id whenever a send's state changes (accepted, failed,
    # retrying), so the thread can update its tick without polling.
    changed: Callable[[int], None] | None = None

    def __post_init__(self) -> None:
        self.rows: Outgoing = self.history.outbox
        self._wake = asyncio.Event()

    def send_text(self, conversation_id: int, text: str, reply_to: str | None = None) -> int:
        """Queue a text (a reply when ``reply_to`` names a wamid); returns the message id."""
        body: dict[str, Any] = {"type": "text", "text": {"body": text, "preview_url": True}}
        if reply_to:
            body["context"] = {"message_id": reply_to}
        return self.send(conversation_id, body)

    def send_media(
        self,
        conversation_id: int,
        data: bytes,
        mime_type: str,
        filename: str,
        caption: str = "",
        *,
        voice: bool = False,
    ) -> int:
        """Queue a photo, audio, video or document: sealed in the cache, uploaded when sent.

        ``voice`` marks a recorded Ogg/Opus audio as a voice message (Meta's ``voice: true``).
        """
        if self.media is None:
            raise RuntimeError("this outbox has no media cache")
        kind = mime_type.split("/")[0]
        kind = kind if kind in ("image", "audio", "video") else "document"
        content: dict[str, Any] = {}
        if caption and kind != "audio":
            content["caption"] = caption
        if kind == "document":
            content["filename"] = filename
        if voice and kind == "audio":
            content["voice"] = True
        body = {"type": kind, kind: content, UPLOAD: {"mime_type": mime_type, "filename": filename}}
        client_id = "crmw-" + uuid.uuid4().hex
        message_id = self.rows.queue(conversation_id, body, client_id)
        self.media.store(message_id, data)
        self._wake.set()
        return message_id

    def send_template(
        self,
        conversation_id: int,
        body: dict[str, Any],
        data: bytes,
        mime_type: str,
        filename: str,
    ) -> int:
        """Queue a template whose header is a file: sealed in the cache, uploaded when sent."""
        if self.media is None:
            raise RuntimeError("this outbox has no media cache")
        path = media_path(body)
        if path is None:
            raise ValueError("this template body has no media header to fill")
        queued = {**body, UPLOAD: {"mime_type": mime_type, "filename": filename, "path": path}}
        client_id = "crmw-" + uuid.uuid4().hex
        message_id = self.rows.queue(conversation_id, queued, client_id)
        self.media.store(message_id, data)
        self._wake.set()
        return message_id

    async def _upload(
        self, http: httpx.AsyncClient, client_id: str, pnid: str, request: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Upload the cached file first; returns the request with Meta's media id."""
        upload = request[UPLOAD]
        kind = request["type"]
        assert self.media is not None
        message_id = await asyncio.to_thread(self.rows.message_id, client_id)
        try:
            data = await asyncio.to_thread(self.media.read, message_id)
        except (FileNotFoundError, OSError, SealedFileError):
            await asyncio.to_thread(self.rows.failed, client_id, None, "media_missing")
            return None
        response = await http.post(
            "/v1/media",
            params={"phone_number_id": pnid, "filename": upload["filename"]},
            content=data,
            headers={"Content-Type": upload["mime_type"]},
        )
        if response.status_code != 200:
            raise httpx.HTTPError(f"upload answered {response.status_code}")
        ready = copy.deepcopy({k: v for k, v in request.items() if k != UPLOAD})
        # Where the id goes: the media object itself, or a template header's parameter.
        *parents, last = upload.get("path") or [kind]
        holder: Any = ready
        for step in parents:
            holder = holder[step]
        holder[last] = {**holder.get(last, {}), "id": response.json()["id"]}
        await asyncio.to_thread(self.rows.update_request, client_id, ready)
        return ready

    def send(self, conversation_id: int, body: dict[str, Any]) -> int:
        """Queue a Graph message body for this conversation; returns the message id."""
        message_id = self.rows.queue(conversation_id, body, "crmw-" + uuid.uuid4().hex)
        self._wake.set()
        return message_id

    async def _post(
        self,
        http: httpx.AsyncClient,
        client_id: str,
        pnid: str,
        request: dict[str, Any],
        attempts: int,
    ) -> None:
        try:
            if UPLOAD in request:
                uploaded = await self._upload(http, client_id, pnid, request)
                if uploaded is None:
                    return
                request = uploaded
            payload = {**request, "phone_number_id": pnid, "client_id": client_id}
            response = await http.post("/v1/messages", json=payload)
        except httpx.HTTPError as exc:
            await asyncio.to_thread(
                self.rows.retry_later, client_id, self._backoff(attempts), type(exc).__name__
            )
            return
        body = (
            response.json()
            if response.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if response.status_code == 200:
            await asyncio.to_thread(self.rows.accepted, client_id, body.get("wamid"))
            return
        error = body.get("error") or {}
        retryable = response.status_code in RETRYABLE_STATUS and error.get("name") not in (
            "send_uncertain",
            "token_expired",
            "permission_denied",
        )
        if retryable or error.get("retryable"):
            delay = max(float(error.get("retry_after") or 0), self._backoff(attempts))
            await asyncio.to_thread(
                self.rows.retry_later,
                client_id,
                delay,
                str(error.get("name", response.status_code)),
            )
        else:
            await asyncio.to_thread(
                self.rows.failed,
                client_id,
                error.get("code"),
                str(error.get("name", response.status_code)),
            )

    async def _report(self, client_id: str) -> None:
        if self.changed is None:
            return
        try:
            message_id = await asyncio.to_thread(self.rows.message_id, client_id)
            self.changed(message_id)
        except Exception:  # a listener's bug must not stop the sends
            log.exception("outbox listener failed")

    def _backoff(self, attempts: int) -> float:
        return backoff(attempts, base=1.0, cap=self.max_backoff, jitter=0.5)

    async def run(self, stop: asyncio.Event) -> None:
        """Send what is due until ``stop``; wakes on new messages.

        Cancellation-safe: a send interrupted between the post and its
        record is posted again with the same ``client_id`` next time, and
        the relay answers it from its dedupe record instead of sending twice.
        """
        async with httpx.AsyncClient(
            base_url=self.relay_url.rstrip("/"),
            timeout=httpx.Timeout(45.0, connect=10.0),
            headers={"Authorization": f"Bearer {self.token}"},
        ) as http:
            while not stop.is_set():
                due = await asyncio.to_thread(self.rows.due, time.time())
                for client_id, pnid, request, attempts in due:
                    await self._post(http, client_id, pnid, request, attempts)
                    await self._report(client_id)
                if due:
                    continue
                self._wake.clear()
                next_at = await asyncio.to_thread(self.rows.next_due_at)
                wait = 30.0 if next_at is None else max(0.0, min(30.0, next_at - time.time()))
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(wait):  # not wait_for: see sync.client
                        await self._wake.wait()

    async def drain(self, timeout: float = 60.0) -> int:
        """Send everything queued now (retrying as needed); returns what is left."""
        stop = asyncio.Event()
        runner = asyncio.create_task(self.run(stop))
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                left = await asyncio.to_thread(self.rows.pending_count)
                if left == 0:
                    return 0
                await asyncio.sleep(0.05)
            return await asyncio.to_thread(self.rows.pending_count)
        finally:
            stop.set()
            self._wake.set()
            await runner
