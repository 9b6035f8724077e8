"""The running inbox of one enrolled profile, as Qt signals and plain methods.

Everything the window does goes through here: the sync client, the outbox,
the media cache and the relay's HTTP surface (templates, read receipts, team
events). The window only draws what these signals say changed, so the same
session is driven headless in tests.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from PySide6.QtCore import QObject, Signal

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.store.history import ApplyResult, History
from crm_whatsapp.store.keys import conversation_of
from crm_whatsapp.sync.client import SyncClient, SyncError, SyncListeners
from crm_whatsapp.sync.media import MediaCache
from crm_whatsapp.sync.outbox import Outbox
from crm_whatsapp.workspace import Device, Workspace

log = logging.getLogger("crm_whatsapp.session")


@dataclass(frozen=True)
class Changes:
    """What changed, so each view refreshes only that."""

    conversations: frozenset[int] = frozenset()
    added: tuple[int, ...] = ()
    updated: tuple[int, ...] = ()
    quick_replies: bool = False
    incoming: tuple[int, ...] = field(default=())  # conversations with new customer messages
    removed: bool = False  # messages were erased (retention): open threads re-read
    started: tuple[int, ...] = ()  # conversations new to the history (a first message)


class SessionError(Exception):
    """Something the attendant should read; ``str()`` is one sentence in Portuguese."""


class InboxSession(QObject):
    changed = Signal(object)  # Changes
    connection = Signal(str)  # connecting | replaying | live | offline | rejected
    progress = Signal(int, int)  # done, total while a backlog replays
    problem = Signal(str)  # one sentence for the status bar
    # The kind of a failure that keeps the sync from applying what arrives (the
    # store refusing writes, a bug), after it repeated; "" once it has cleared.
    trouble = Signal(str)

    def __init__(self, workspace: Workspace, device: Device, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.device = device
        self.history: History = workspace.history
        self.media = MediaCache(
            workspace.profile.media, workspace.keys.file_key(), device.relay_url, device.token
        )
        self.sync = SyncClient(
            device.relay_url,
            device.token,
            self.history,
            SyncListeners(
                applied=self._applied,
                state=self.connection.emit,
                progress=self.progress.emit,
                trouble=lambda kind: self.trouble.emit(kind or ""),
            ),
        )
        self.outbox = Outbox(
            self.history,
            device.relay_url,
            device.token,
            media=self.media,
            changed=self._outbox_changed,
        )
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[Any]] = []
        self._in_flight: set[asyncio.Task[Any]] = set()  # tasks inside a relay request
        self.state = "offline"
        self.connection.connect(self._remember_state)
        self._http: httpx.AsyncClient | None = None
        self._templates: list[dict[str, Any]] | None = None

    @property
    def me(self) -> str:
        return self.device.name or self.device.device_id

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        self._stop.clear()
        self._http = httpx.AsyncClient(
            base_url=self.device.relay_url.rstrip("/"),
            timeout=httpx.Timeout(20.0, connect=5.0),
            headers={"Authorization": f"Bearer {self.device.token}"},
        )
        self._tasks = [
            spawn(self._sync_forever(), "sync"),
            spawn(self.outbox.run(self._stop), "outbox"),
        ]

    async def stop(self) -> None:
        self._stop.set()
        self.outbox._wake.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        # A request still connecting when the client closes would leave its socket
        # open (httpcore gives the connection to a pool that is gone): end them first.
        requests, self._in_flight = list(self._in_flight), set()
        for request in requests:
            request.cancel()
        await asyncio.gather(*requests, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def _sync_forever(self) -> None:
        try:
            await self.sync.run_forever(self._stop)
        except SyncError as exc:
            self.problem.emit(str(exc))

    def _remember_state(self, state: str) -> None:
        self.state = state

    # -- what the core reports ------------------------------------------------------------

    def _applied(self, result: ApplyResult) -> None:
        incoming = self.history.conversations_written_to(result.added)
        self.changed.emit(
            Changes(
                frozenset(result.conversations),
                tuple(result.added),
                tuple(result.updated),
                result.quick_replies,
                tuple(sorted(incoming)),
                started=tuple(sorted(result.started)),
            )
        )

    def _outbox_changed(self, message_id: int) -> None:
        self.changed.emit(Changes(frozenset({conversation_of(message_id)}), (), (message_id,)))

    # -- sending ----------------------------------------------------------------------------

    async def apply_retention(self, months: int) -> int:
        """Erase history older than ``months`` (the office's policy; 0 keeps everything).

        Runs off the window's thread; the list and the open thread are told
        every conversation may have changed. Returns the messages erased.
        """
        if months <= 0:
            return 0
        result = await asyncio.to_thread(self.workspace.prune, months)
        if result.message_ids:
            self.changed.emit(Changes(frozenset(result.conversations), removed=True))
        return len(result.message_ids)

    def send_text(self, conversation_id: int, text: str, reply_to: str | None = None) -> int:
        message_id = self.outbox.send_text(conversation_id, text, reply_to)
        self.changed.emit(Changes(frozenset({conversation_id}), (message_id,)))
        return message_id

    def send_body(self, conversation_id: int, body: dict[str, Any]) -> int:
        message_id = self.outbox.send(conversation_id, body)
        self.changed.emit(Changes(frozenset({conversation_id}), (message_id,)))
        return message_id

    def send_template(
        self,
        conversation_id: int,
        body: dict[str, Any],
        media: tuple[bytes, str, str] | None = None,
    ) -> int:
        """Send an approved template; ``media`` is the header's file (data, mime, name)."""
        if media is None:
            return self.send_body(conversation_id, body)
        message_id = self.outbox.send_template(conversation_id, body, *media)
        self.changed.emit(Changes(frozenset({conversation_id}), (message_id,)))
        return message_id

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
        message_id = self.outbox.send_media(
            conversation_id, data, mime_type, filename, caption, voice=voice
        )
        self.changed.emit(Changes(frozenset({conversation_id}), (message_id,)))
        return message_id

    def react(self, conversation_id: int, wamid: str, emoji: str) -> int:
        return self.send_body(
            conversation_id,
            {"type": "reaction", "reaction": {"message_id": wamid, "emoji": emoji}},
        )

    # -- the relay's HTTP surface -----------------------------------------------------------

    async def _request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        # Once stopping, no new request: stop() cancels those in flight when it
        # begins and then closes the client, which a later one would find closed.
        http = self._http
        if http is None or self._stop.is_set():
            raise SessionError(
                QT_TRANSLATE_NOOP("Problems", "O inbox não está conectado ao relay.")
            )
        task = asyncio.current_task()
        if task is not None:
            self._in_flight.add(task)
        try:
            return await http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            raise SessionError(
                QT_TRANSLATE_NOOP(
                    "Problems", "Sem conexão com o relay; tente de novo quando a conexão voltar."
                )
            ) from exc
        finally:
            if task is not None:
                self._in_flight.discard(task)

    async def templates(self, refresh: bool = False) -> list[dict[str, Any]]:
        """Approved templates of the business (cached for the session)."""
        if self._templates is None or refresh:
            response = await self._request("GET", "/v1/templates")
            if response.status_code != 200:
                raise SessionError(
                    QT_TRANSLATE_NOOP("Problems", "Não foi possível carregar os modelos aprovados.")
                )
            body = response.json()
            items = body.get("data", body) if isinstance(body, dict) else body
            self._templates = [t for t in items if t.get("status", "APPROVED") == "APPROVED"]
        return self._templates

    async def team_list(self) -> list[dict[str, Any]]:
        """The colleagues the relay knows (enrolled devices) and who is online now.

        Each ``{"id", "name", "online"}``; anything malformed in the answer is left out.
        """
        response = await self._request("GET", "/v1/team")
        body = response.json() if response.status_code == 200 else None
        devices = body.get("devices") if isinstance(body, dict) else None
        if not isinstance(devices, list):
            raise SessionError(
                QT_TRANSLATE_NOOP("Problems", "Não foi possível carregar a lista de colegas.")
            )
        return [
            {"id": d["id"], "name": d["name"], "online": d.get("online") is True}
            for d in devices
            if isinstance(d, dict)
            and isinstance(d.get("id"), str)
            and isinstance(d.get("name"), str)
        ]

    async def mark_read(self, conversation_id: int) -> None:
        """Zero the badge now, and tell the customer (blue ticks) through the relay."""
        wamid = await asyncio.to_thread(self.history.mark_read, conversation_id)
        self.changed.emit(Changes(frozenset({conversation_id})))
        if not wamid:
            return
        ref = await asyncio.to_thread(self.history.conversation_ref, conversation_id)
        try:
            await self._request(
                "POST",
                "/v1/messages",
                json={
                    "messaging_product": "whatsapp",
                    "status": "read",
                    "message_id": wamid,
                    "phone_number_id": ref["phone_number_id"],
                    "client_id": f"read-{wamid}",
                },
            )
        except SessionError:
            log.info("read receipt not sent (offline)")

    async def team(self, conversation_id: int | None, action: str, **data: Any) -> None:
        """Assign, change status, label, note or edit quick replies, for the whole team."""
        body = {"action": action, **data}
        if conversation_id is not None:
            body["conversation"] = await asyncio.to_thread(
                self.history.conversation_ref, conversation_id
            )
        event_id = uuid.uuid4().hex
        event = {
            "kind": "team",
            "id": event_id,
            "data": body,
            "device_id": self.device.device_id,
            "device_name": self.me,
            "at": time.time(),
        }
        response = await self._request(
            "POST", "/v1/events", json={"id": event_id, "kind": "team", "data": body}
        )
        if response.status_code != 200:
            raise SessionError(
                QT_TRANSLATE_NOOP("Problems", "O relay recusou a alteração; tente de novo.")
            )
        result = await asyncio.to_thread(self.history.apply_local, event)
        self._applied(result)
