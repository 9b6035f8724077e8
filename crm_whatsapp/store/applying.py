"""Applying relay events to the history: messages, sends, statuses, read marks, team changes.

Applying is idempotent and order-tolerant, because the relay delivers at
least once and Meta delivers statuses out of order: messages are unique by
wamid (and by our ``client_id`` for our own sends), statuses only move
forward, and a status that arrives before its message waits in the status
history until the message shows up. The cursor is stored in the same
transaction as the events it covers, so a crash at any instant neither loses
nor repeats an event. Team events are a peer (``store.team``) over the same
writer.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from crm_whatsapp.domain.templates import filled
from crm_whatsapp.store import template_book
from crm_whatsapp.store.changes import ApplyResult
from crm_whatsapp.store.content import MEDIA_TYPES, message_text, preview_of
from crm_whatsapp.store.fields import (
    as_dict,
    as_id,
    as_int,
    as_json,
    as_phone,
    as_text,
    as_timestamp,
    first_dict,
    kind_label,
)
from crm_whatsapp.store.folding import Folder
from crm_whatsapp.store.keys import conversation_range
from crm_whatsapp.store.schema import MESSAGE_TABLES
from crm_whatsapp.store.team import apply_team
from crm_whatsapp.store.writer import Writer

log = logging.getLogger("crm_whatsapp.store")

# Batches at least this large (a backlog replay) fill the writer's caches at once.
PRELOAD_BATCH = 100
STATUS_RANK = {"pending": 0, "accepted": 1, "sent": 2, "delivered": 3, "read": 4}
# The kinds the store files itself; a log names any other kind "other" (a
# field-named kind comes from the webhook, and logs quote nothing received).
KNOWN_KINDS = ("message", "outbound", "status", "read", "team")


class Applier:
    """Files stream events through the writer, one transaction per batch."""

    def __init__(self, writer: Writer, folder: Folder) -> None:
        self._writer = writer
        self._folder = folder

    def apply(self, frames: list[tuple[int, Any]]) -> ApplyResult:
        """Apply stream events (seq, event) and advance the cursor, atomically.

        Never raises for what an event holds: an event the store cannot file
        is set aside in ``other_events`` and the cursor moves past it, since
        raising would make the sync replay the same frame for ever. Only the
        storage failing (disk full, locked, corrupt) raises, with nothing
        applied. Blocking; the sync calls it in a worker thread.
        """
        writer = self._writer
        result = ApplyResult()
        if not frames:
            return result
        with writer.lock:
            try:
                self._apply_batch(frames, result, self._apply_one)
            except Exception as exc:
                if writer.is_storage_failure(exc):
                    raise
                # Some event broke the batch: apply it again event by event,
                # each in a savepoint, so only that event is set aside.
                result = ApplyResult()
                self._apply_batch(frames, result, self._apply_guarded)
            self._folder.batch_applied()
        return result

    def _apply_batch(
        self,
        frames: list[tuple[int, Any]],
        result: ApplyResult,
        apply_one: Callable[[int, Any, ApplyResult], None],
    ) -> None:
        """One write transaction: every frame through ``apply_one``, then the cursor."""
        writer = self._writer
        with writer.transaction():
            if len(frames) >= PRELOAD_BATCH and not writer.preloaded:
                writer.preload()
            for seq, event in frames:
                apply_one(seq, event, result)
                result.applied += 1
            result.cursor = max(seq for seq, _ in frames)
            result.started.update(writer.take_started())
            current = writer.one("SELECT value FROM sync_state WHERE key = 'cursor'")
            if current is None or int(current) < result.cursor:
                writer.set_cursor(result.cursor)

    def _apply_guarded(self, seq: int, event: Any, result: ApplyResult) -> None:
        """Apply one event in a savepoint; if it fails, roll back only it and set it aside."""
        writer = self._writer
        own = ApplyResult()
        try:
            with writer.savepoint():
                self._apply_one(seq, event, own)
        except Exception as exc:
            if writer.is_storage_failure(exc):
                raise
            kind = event.get("kind") if isinstance(event, dict) else None
            # Kind and exception type only: the message would quote the event's content.
            log.warning(
                "set aside a %s event the history could not apply (%s)",
                kind if kind in KNOWN_KINDS else "other",
                type(exc).__name__,
            )
            self._set_aside(seq, event)
            return
        result.merge(own)

    def _set_aside(self, seq: int, event: Any) -> None:
        """Keep an event the store does not file (an unknown kind, a malformed item), whole."""
        kind = event.get("kind") if isinstance(event, dict) else None
        self._writer.execute(
            "INSERT OR IGNORE INTO other_events (seq, kind, body) VALUES (?, ?, ?)",
            (seq, kind_label(kind), as_json(event)),
        )

    def apply_local(self, event: dict[str, Any]) -> ApplyResult:
        """Apply an event this desktop made itself (a team change), cursor untouched.

        The same event comes back through the relay later and changes nothing.
        """
        result = ApplyResult()
        with self._writer.transaction():
            self._apply_one(0, event, result)
        return result

    def _apply_one(self, seq: int, event: Any, result: ApplyResult) -> None:
        """File one event by kind; one of no known kind, or missing what its kind needs, is kept."""
        event = as_dict(event)
        kind = event.get("kind")
        data = as_dict(event.get("data"))
        filed = False
        if kind == "message":
            filed = self._apply_inbound(event, data, result)
        elif kind == "outbound":
            filed = self._apply_outbound(event, data, result)
        elif kind == "status":
            filed = self._apply_status(data, result)
        elif kind == "read":
            filed = self._apply_read(data, result)
        elif kind == "team":
            filed = apply_team(self._writer, event, result)
        if not filed:
            self._set_aside(seq, event)

    def _apply_inbound(
        self, event: dict[str, Any], item: dict[str, Any], result: ApplyResult
    ) -> bool:
        writer = self._writer
        now = time.time()
        wamid = as_id(item.get("id"))
        profile = first_dict(event.get("contacts"))
        wa_id = as_phone(item.get("from")) or as_phone(profile.get("wa_id")) or ""
        user_id = as_id(item.get("from_user_id")) or as_id(profile.get("user_id"))
        if wamid is None or not (wa_id or user_id):
            return False  # no way to tell a replay from a new message, or whose it is
        msg_type = as_id(item.get("type")) or "unknown"
        name = as_text(as_dict(profile.get("profile")).get("name"))
        contact_id = writer.contact(wa_id, user_id, name, now)
        conversation_id = writer.conversation(as_id(event.get("phone_number_id")) or "", contact_id)
        ts = as_timestamp(item.get("timestamp")) or now
        if msg_type == "reaction":
            self._apply_reaction(item, wa_id or user_id or "?", ts, conversation_id, "in")
            result.conversations.add(conversation_id)
            return True
        if msg_type in ("edit", "revoke"):
            return self._apply_change(item, msg_type, conversation_id, ts, result)
        if writer.one("SELECT 1 FROM messages WHERE wamid = ?", (wamid,)):
            self._arrived_late(wamid, msg_type, item, conversation_id, result)
            return True  # a replay of a message already folded
        text = message_text(msg_type, item)
        media = as_dict(item.get(msg_type)) if msg_type in MEDIA_TYPES else {}
        message_id, seq = writer.new_message_key(conversation_id, ts)
        stored = writer.insert_message(
            "messages_recent",
            {
                "id": message_id,
                "seq": seq,
                "conversation_id": conversation_id,
                "wamid": wamid,
                "direction": "in",
                "type": msg_type,
                "timestamp": ts,
                "text": text,
                "payload": as_json(item),
                "reply_to": as_id(as_dict(item.get("context")).get("id")),
                "media_id": as_id(media.get("id")),
            },
            on_conflict="ON CONFLICT (wamid) DO NOTHING",
        )
        if not stored:
            writer.give_back_key(seq)
            self._arrived_late(wamid, msg_type, item, conversation_id, result)
            return True  # a replay: already applied
        self._folder.added()
        writer.touch(conversation_id, ts, preview_of(msg_type, "in", text))
        result.conversations.add(conversation_id)
        result.added.append(message_id)
        return True

    # -- a customer's edits and deletions ------------------------------------------------------

    def _apply_change(
        self,
        item: dict[str, Any],
        kind: str,
        conversation_id: int,
        ts: float,
        result: ApplyResult,
    ) -> bool:
        """A customer edited (``edit``) or deleted (``revoke``) one of their messages.

        Meta sends these for numbers shared with the WhatsApp Business app.
        The change is folded into the original message (its row keeps its
        place, its key and its search row): an edit replaces the text and
        keeps the original in the payload; a deletion drops the content,
        as WhatsApp does for everyone. When the original is not in the
        history (it comes later, or before the history began), a stand-in
        row under the original's wamid shows the change, and the original,
        if it ever arrives, is folded into it (``_arrived_late``). The newest
        edit wins whatever the order, and a deletion is final.
        """
        writer = self._writer
        change = as_dict(item.get(kind))
        original = as_id(change.get("original_message_id"))
        if original is None:
            return False  # nothing to apply it to: kept aside
        mark = {"wamid": as_id(item.get("id")), "timestamp": ts}
        row = writer.message_row(
            "id, conversation_id, type, payload, timestamp, seq, direction",
            "wamid = ?",
            (original,),
        )
        if row is None:
            self._stand_in(item, kind, original, mark, conversation_id, ts, result)
            return True
        message_id, owner, msg_type, payload, at, seq, direction = row
        if int(owner) != conversation_id or direction != "in":
            return False  # only its author changes a message: kept aside, nothing changed
        if msg_type == "revoke":
            return True  # already deleted: nothing comes back
        stored = as_dict(_loads(payload))
        if kind == "revoke":
            gone = {
                key: stored[key]
                for key in ("id", "from", "from_user_id", "timestamp")
                if key in stored
            }
            gone |= {"type": "revoke", "revoked": {**mark, "type": msg_type}}
            writer.update_message(
                int(message_id), "type = 'revoke', payload = ?, media_id = NULL", (as_json(gone),)
            )
            self._retext(int(message_id), int(seq), "")
            self._restate_preview(int(owner), float(at), "revoke", str(direction), "")
        else:
            earlier = as_dict(stored.get("edited"))
            if (as_timestamp(earlier.get("timestamp")) or 0.0) > ts:
                return True  # a newer edit is already shown
            new = as_dict(change.get("message"))
            new_type = as_id(new.get("type")) or msg_type
            text = message_text(new_type, new)
            stored["edited"] = {**earlier, **mark, "message": new}
            writer.update_message(int(message_id), "payload = ?", (as_json(stored),))
            self._retext(int(message_id), int(seq), text)
            self._restate_preview(int(owner), float(at), str(msg_type), str(direction), text)
        result.conversations.add(int(owner))
        result.updated.append(int(message_id))
        return True

    def _stand_in(
        self,
        item: dict[str, Any],
        kind: str,
        original: str,
        mark: dict[str, Any],
        conversation_id: int,
        ts: float,
        result: ApplyResult,
    ) -> None:
        """A row under the original's wamid showing an edit or deletion of an unknown message."""
        writer = self._writer
        payload: dict[str, Any] = {
            key: item[key] for key in ("from", "from_user_id", "timestamp") if key in item
        }
        payload["id"] = original
        if kind == "revoke":
            msg_type, text, media_id = "revoke", "", None
            payload |= {"type": "revoke", "revoked": {**mark, "type": None}}
        else:
            new = as_dict(as_dict(item.get("edit")).get("message"))
            msg_type = as_id(new.get("type")) or "text"
            text = message_text(msg_type, new)
            content = new.get(msg_type)
            media_id = as_id(as_dict(content).get("id")) if msg_type in MEDIA_TYPES else None
            payload |= {"type": msg_type, msg_type: content}
            payload["edited"] = {**mark, "message": new, "original_unknown": True}
        message_id, seq = writer.new_message_key(conversation_id, ts)
        stored = writer.insert_message(
            "messages_recent",
            {
                "id": message_id,
                "seq": seq,
                "conversation_id": conversation_id,
                "wamid": original,
                "direction": "in",
                "type": msg_type,
                "timestamp": ts,
                "text": text,
                "payload": as_json(payload),
                "media_id": media_id,
            },
            on_conflict="ON CONFLICT (wamid) DO NOTHING",
        )
        if not stored:  # the original came in this very batch, into the other table
            writer.give_back_key(seq)
            return
        self._folder.added()
        writer.touch(conversation_id, ts, preview_of(msg_type, "in", text))
        result.conversations.add(conversation_id)
        result.added.append(message_id)

    def _arrived_late(
        self,
        wamid: str,
        msg_type: str,
        item: dict[str, Any],
        conversation_id: int,
        result: ApplyResult,
    ) -> None:
        """An original reaching a stand-in made by its edit: the stand-in keeps it as the original.

        A replay of a message already filed, or one deleted before it
        arrived, changes nothing.
        """
        writer = self._writer
        row = writer.message_row("id, payload, conversation_id", "wamid = ?", (wamid,))
        if row is None:
            return
        stored = as_dict(_loads(row[1]))
        edited = as_dict(stored.get("edited"))
        if not edited.get("original_unknown") or int(row[2]) != conversation_id:
            return  # a replay, or another customer's claim on this wamid: nothing moves
        merged = {**item, "edited": {k: v for k, v in edited.items() if k != "original_unknown"}}
        media = as_dict(item.get(msg_type)) if msg_type in MEDIA_TYPES else {}
        writer.update_message(
            int(row[0]),
            "type = ?, payload = ?, media_id = coalesce(?, media_id)",
            (msg_type, as_json(merged), as_id(media.get("id"))),
        )
        result.conversations.add(int(row[2]))
        result.updated.append(int(row[0]))

    def _retext(self, message_id: int, seq: int, text: str) -> None:
        """Change a filed message's text and its search row (search finds what is shown)."""
        writer = self._writer
        writer.flush()  # its own search row may still be waiting to be written
        writer.update_message(message_id, "text = ?", (text,))
        writer.execute("DELETE FROM messages_fts WHERE rowid = ?", (seq,))
        if text:
            writer.execute("INSERT INTO messages_fts (rowid, body) VALUES (?, ?)", (seq, text))

    def _restate_preview(
        self, conversation_id: int, at: float, msg_type: str, direction: str, text: str
    ) -> None:
        """The list's preview follows a change to the conversation's last message (only to it)."""
        writer = self._writer
        writer.flush_conversation(conversation_id)
        preview = preview_of(msg_type, direction, text)
        writer.execute(
            "UPDATE conversations SET last_type = ?, last_direction = ?, last_preview = ? "
            "WHERE id = ? AND last_message_at <= ?",
            (preview.type, preview.direction, preview.text, conversation_id, at),
        )

    # -- reactions ---------------------------------------------------------------------------

    def _apply_reaction(
        self,
        item: dict[str, Any],
        author: str,
        ts: float,
        conversation_id: int,
        direction: str,
        *,
        precise: bool = False,
    ) -> None:
        """A reaction under its target; the list says who reacted with what, to what.

        The business reacts as one person (as in WhatsApp): a colleague's
        reaction replaces this desktop's, under the author ``me``.
        """
        reaction = as_dict(item.get("reaction"))
        target = as_id(reaction.get("message_id"))
        if not target:
            return
        emoji = as_text(reaction.get("emoji"))
        if emoji:
            snippet = self._writer.message_row("text", "wamid = ?", (target,))
            words = as_text(snippet[0]) if snippet else ""
            self._reaction_preview(conversation_id, ts, direction, f"{emoji} {words}", precise)
            self._writer.execute(
                "INSERT INTO reactions (wamid, author, emoji, timestamp) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (wamid, author) DO UPDATE SET emoji = excluded.emoji, "
                "timestamp = excluded.timestamp WHERE excluded.timestamp >= reactions.timestamp",
                (target, author, emoji, ts),
            )
        else:  # Meta omits the emoji when a reaction is removed
            self._writer.execute(
                "DELETE FROM reactions WHERE wamid = ? AND author = ? AND timestamp <= ?",
                (target, author, ts),
            )

    def _reaction_preview(
        self, conversation_id: int, ts: float, direction: str, text: str, precise: bool
    ) -> None:
        """The list shows the reaction and moves the chat up, as WhatsApp does.

        A reaction is no message: it neither counts as unread nor opens the
        24-hour window, so it does not go through ``Writer.touch``.
        """
        writer = self._writer
        writer.flush_conversation(conversation_id)
        preview = preview_of("reaction", direction, text)
        # Meta and the relay date to the second: a reaction stamped S came after our S.4;
        # only this desktop's own reaction has its exact time (when it was queued).
        slack = 0.0 if precise else 1.0
        writer.execute(
            "UPDATE conversations SET last_type = ?, last_direction = ?, last_preview = ?, "
            "last_message_at = max(coalesce(last_message_at, 0), ?) "
            "WHERE id = ? AND coalesce(last_message_at, 0) <= ? + ?",
            (preview.type, preview.direction, preview.text, ts, conversation_id, ts, slack),
        )

    def _apply_outbound(
        self, event: dict[str, Any], data: dict[str, Any], result: ApplyResult
    ) -> bool:
        """A message any attendant sent: ours gets its wamid, a colleague's appears."""
        writer = self._writer
        client_id, wamid = as_id(data.get("client_id")), as_id(data.get("wamid"))
        if client_id is None and wamid is None:
            return False  # a replay could not be told from a new message
        body = as_dict(data.get("message"))
        msg_type = as_id(body.get("type")) or "text"
        ts = as_timestamp(data.get("timestamp")) or time.time()
        if client_id:
            row = writer.message_row(
                "id, conversation_id, seq, timestamp", "client_id = ?", (client_id,)
            )
            if row is not None:
                writer.update_message(int(row[0]), "wamid = coalesce(wamid, ?)", (wamid,))
                self._settle_status(int(row[0]), wamid, "accepted", result)
                result.conversations.add(int(row[1]))
                if msg_type == "reaction":  # dated as queued: Meta's second may be earlier
                    at = max(ts, float(row[3]))
                    self._apply_reaction(body, "me", at, int(row[1]), "out", precise=True)
                elif msg_type == "template":
                    text = self._template_text(body)
                    if text:  # kept with the message: it reads the same offline and later
                        self._retext(int(row[0]), int(row[2]), text)
                        self._restate_preview(int(row[1]), float(row[3]), msg_type, "out", text)
                        result.updated.append(int(row[0]))
                return True
        if wamid and writer.message_row("id", "wamid = ?", (wamid,)) is not None:
            return True
        to = as_phone(data.get("wa_id")) or as_phone(data.get("to"))
        if to is None:
            return False
        now = time.time()
        contact_id = writer.contact(to, None, None, now)
        conversation_id = writer.conversation(as_id(event.get("phone_number_id")) or "", contact_id)
        if msg_type == "reaction":  # a colleague's reaction shows under its message
            self._apply_reaction(body, "me", ts, conversation_id, "out")
            result.conversations.add(conversation_id)
            return True
        text = message_text(msg_type, body)
        if msg_type == "template":
            text = self._template_text(body) or text
        message_id, seq = writer.new_message_key(conversation_id, ts)
        writer.insert_message(
            "messages_recent",
            {
                "id": message_id,
                "seq": seq,
                "conversation_id": conversation_id,
                "wamid": wamid,
                "client_id": client_id,
                "direction": "out",
                "type": msg_type,
                "timestamp": ts,
                "text": text,
                "payload": as_json(body),
                "status": "accepted",
                "status_at": ts,
                "author": as_text(data.get("device_name")),
            },
        )
        self._folder.added()
        writer.touch(conversation_id, ts, preview_of(msg_type, "out", text))
        self._settle_status(message_id, wamid, "accepted", result)
        result.conversations.add(conversation_id)
        result.added.append(message_id)
        return True

    def _template_text(self, body: dict[str, Any]) -> str:
        """What a sent template said, read with the templates remembered ("": not among them)."""
        shown = filled(body, template_book.known(self._writer))
        return shown.text if shown.known else ""

    def _apply_status(self, item: dict[str, Any], result: ApplyResult) -> bool:
        wamid, status = as_id(item.get("id")), as_id(item.get("status"))
        if not wamid or not status:
            return False
        ts = as_timestamp(item.get("timestamp")) or 0.0
        self._writer.execute(
            "INSERT OR IGNORE INTO status_history (wamid, status, timestamp, payload) "
            "VALUES (?, ?, ?, ?)",
            (wamid, status, ts, as_json(item)),
        )
        row = self._writer.message_row("id, conversation_id", "wamid = ?", (wamid,))
        if row is not None:
            self._settle_status(int(row[0]), wamid, None, result)
            result.conversations.add(int(row[1]))
        return True

    def _settle_status(
        self, message_id: int, wamid: str | None, floor: str | None, result: ApplyResult
    ) -> None:
        """Set the message's status to the furthest one known; never backwards."""
        writer = self._writer
        best, best_at, error_code = floor, None, None
        if wamid:
            for status, ts, payload in writer.execute(
                "SELECT status, timestamp, payload FROM status_history WHERE wamid = ?", (wamid,)
            ):
                if status == "failed":
                    if best not in ("delivered", "read"):
                        best, best_at = "failed", ts
                        error = first_dict(as_dict(json.loads(payload)).get("errors"))
                        error_code = as_int(error.get("code"))
                elif best != "failed" and STATUS_RANK.get(status, -1) > STATUS_RANK.get(
                    best or "", -1
                ):
                    best, best_at = status, ts
        if best is None:
            return
        current = writer.message_row("status", "id = ?", (message_id,))[0]
        moves = (
            current != best
            and current not in ("read",)
            and not (current == "failed" and best != "failed")
            and (best == "failed" or STATUS_RANK.get(best, -1) > STATUS_RANK.get(current or "", -1))
        )
        if moves:
            writer.update_message(
                message_id,
                "status = ?, status_at = coalesce(?, status_at), error_code = ?",
                (best, best_at, error_code),
            )
            result.updated.append(message_id)

    def _apply_read(self, data: dict[str, Any], result: ApplyResult) -> bool:
        """A read receipt an attendant sent: the thread is read up to and including its message.

        A receipt for a message the store does not hold changes nothing.
        """
        wamid = as_id(data.get("message_id"))
        if wamid is None:
            return False
        writer = self._writer
        row = writer.message_row("id, conversation_id", "wamid = ?", (wamid,))
        if row is not None:
            conversation_id = int(row[1])
            writer.flush_conversation(conversation_id)
            self._read_through(conversation_id, int(row[0]))
            result.conversations.add(conversation_id)
        return True

    def _read_through(self, conversation_id: int, message_id: int) -> None:
        """Leave unread only the customer's messages after ``message_id`` in the thread.

        The receipt names one message: those after it were not on the screen
        of whoever sent it, so zeroing the count would hide them. The count
        only ever goes down (a late receipt for an older message reads
        nothing the conversation had not read), and is computed only when
        something is unread: one range scan of the thread after the message,
        folded and new rows alike.
        """
        _, last_key = conversation_range(conversation_id)
        after = " + ".join(
            f"(SELECT count(*) FROM {table} WHERE id > ? AND id <= ? AND direction = 'in')"
            for table in MESSAGE_TABLES
        )
        self._writer.execute(
            f"UPDATE conversations SET unread = min(unread, {after}) WHERE id = ? AND unread > 0",
            (*(message_id, last_key) * len(MESSAGE_TABLES), conversation_id),
        )


def _loads(payload: object) -> Any:
    """A stored payload's JSON, or None when it is not JSON (a row from an older shape)."""
    try:
        return json.loads(payload) if isinstance(payload, str) else None
    except ValueError:
        return None
