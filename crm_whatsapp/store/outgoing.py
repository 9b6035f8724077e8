"""The outbox's rows: what the attendant sent, kept until the relay has it.

A send is stored as a pending message and its outbox row in one
transaction, so a crash between the click and the relay's answer neither
loses the message nor sends it twice (the relay dedupes on ``client_id``).
``sync.outbox`` drives the sending; this module is only its storage.
"""

from __future__ import annotations

import json
import time
from typing import Any

from crm_whatsapp.store.content import message_text, preview_of
from crm_whatsapp.store.reader import Reader
from crm_whatsapp.store.writer import Writer


class Outgoing:
    """Outbox rows over the history's writer and reader."""

    def __init__(self, writer: Writer, reader: Reader) -> None:
        self._writer = writer
        self._reader = reader

    def queue(self, conversation_id: int, body: dict[str, Any], client_id: str) -> int:
        """Store the message as pending and its outbox row, atomically; returns the message id."""
        writer = self._writer
        now = time.time()
        with writer.transaction():
            row = writer.execute(
                "SELECT c.phone_number_id, k.wa_id, k.user_id FROM conversations c "
                "JOIN contacts k ON k.id = c.contact_id WHERE c.id = ?",
                (conversation_id,),
            ).fetchone()
            if row is None:
                raise LookupError("no such conversation")
            phone_number_id, wa_id, user_id = row
            request = {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": wa_id or user_id,
                **body,
            }
            msg_type = str(body.get("type", "text"))
            text = message_text(msg_type, body)
            message_id, seq = writer.new_message_key(conversation_id, now)
            # Straight into the folded table: the outbox row references it
            # (and one row is one page, not a batch's worth).
            writer.insert_message(
                "messages",
                {
                    "id": message_id,
                    "seq": seq,
                    "conversation_id": conversation_id,
                    "client_id": client_id,
                    "direction": "out",
                    "type": msg_type,
                    "timestamp": now,
                    "text": text,
                    "payload": json.dumps(body, ensure_ascii=False),
                    "status": "pending",
                    "status_at": now,
                    "reply_to": (body.get("context") or {}).get("message_id"),
                    "author": "me",
                },
            )
            writer.execute(
                "INSERT INTO outbox (client_id, message_id, phone_number_id, request, state, "
                "attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'queued', 0, ?, ?)",
                (
                    client_id,
                    message_id,
                    phone_number_id,
                    json.dumps(request, ensure_ascii=False),
                    now,
                    now,
                ),
            )
            # Our own message is never unread and never reopens the window.
            writer.touch(conversation_id, now, preview_of(msg_type, "out", text))
            writer.execute("DELETE FROM drafts WHERE conversation_id = ?", (conversation_id,))
        return message_id

    def due(self, now: float, limit: int = 20) -> list[tuple[str, str, dict[str, Any], int]]:
        """Queued sends whose time has come: (client_id, phone_number_id, request, attempts)."""
        return self._reader.outbox_due(now, limit)

    def pending_count(self) -> int:
        """Sends still queued (the status bar says how many wait)."""
        return self._reader.outbox_pending()

    def next_due_at(self) -> float | None:
        """When the next queued send is due, or None when none waits."""
        return self._reader.outbox_next_due_at()

    def message_id(self, client_id: str) -> int:
        """The message a send (by its client id) belongs to."""
        return self._reader.outbox_message_id(client_id)

    def _finish(
        self,
        outbox_sql: str,
        outbox_params: tuple[Any, ...],
        message_sql: str | None = None,
        message_params: tuple[Any, ...] = (),
    ) -> None:
        with self._writer.transaction() as writer:
            writer.execute(outbox_sql, outbox_params)
            if message_sql is not None:
                writer.execute(message_sql, message_params)

    def update_request(self, client_id: str, request: dict[str, Any]) -> None:
        """Remember progress inside a send (the uploaded media id), so a retry resumes."""
        self._finish(
            "UPDATE outbox SET request = ? WHERE client_id = ?",
            (json.dumps(request, ensure_ascii=False), client_id),
        )

    def accepted(self, client_id: str, wamid: str | None) -> None:
        """The relay took the send (``wamid`` None: Graph's answer was unreadable)."""
        self._finish(
            "UPDATE outbox SET state = 'done', last_error = NULL WHERE client_id = ?",
            (client_id,),
            "UPDATE messages SET wamid = coalesce(wamid, ?), status = CASE WHEN status IN "
            "('pending') THEN 'accepted' ELSE status END WHERE client_id = ?",
            (wamid, client_id),
        )

    def retry_later(self, client_id: str, delay: float, error: str) -> None:
        """A transient failure: try again in ``delay`` seconds, remembering why (a name)."""
        self._finish(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
            "WHERE client_id = ?",
            (time.time() + delay, error, client_id),
        )

    def failed(self, client_id: str, code: int | None, name: str) -> None:
        """A final failure: the message shows it, with Meta's code when there is one."""
        self._finish(
            "UPDATE outbox SET state = 'failed', last_error = ? WHERE client_id = ?",
            (name, client_id),
            "UPDATE messages SET status = 'failed', error_code = ?, status_at = ? "
            "WHERE client_id = ? AND status IN ('pending', 'accepted')",
            (code, time.time(), client_id),
        )
