"""Activity lines in a thread: who assigned, transferred, labelled, resolved, reopened, snoozed.

Each is written as the team event is applied, as a row among the messages
(``direction`` "note", ``type`` "activity"), so every desktop has the same
lines and the thread reads them in time order with the messages, paged the
same way. The row holds facts (action, before, after, who), never a
sentence: the window words it in the attendant's language
(``ui.activity``). Its ``client_id`` is the event's, so the echo of a
change this desktop already applied adds no second line. Nothing from the
customer is in it, and it has no text to index or to send to a model.
"""

from __future__ import annotations

import json
from typing import Any

from crm_whatsapp.store.fields import as_id, as_text, as_timestamp
from crm_whatsapp.store.writer import Writer

TYPE = "activity"


def _facts(writer: Writer, data: dict[str, Any], conversation_id: int) -> dict[str, Any] | None:
    """What the event changes on this conversation, or None when it changes nothing."""
    action = data.get("action")
    if action == "assign":
        before = writer.one("SELECT assignee FROM conversations WHERE id = ?", (conversation_id,))
        after = as_text(data.get("assignee"))
        if before == after:
            return None
        return {"action": "assign", "before": before, "after": after}
    if action == "status":
        before = writer.one("SELECT status FROM conversations WHERE id = ?", (conversation_id,))
        after = data.get("status")
        if before == after and after != "snoozed":
            return None
        facts: dict[str, Any] = {"action": "status", "before": before, "after": after}
        if after == "snoozed":
            facts["until"] = as_timestamp(data.get("until"))
        return facts
    raw = writer.one("SELECT labels FROM conversations WHERE id = ?", (conversation_id,))
    old = set(json.loads(raw)) if raw else set()
    new = {label for label in map(as_text, data.get("labels") or []) if label}
    if old == new:
        return None
    return {"action": "labels", "added": sorted(new - old), "removed": sorted(old - new)}


def note_activity(
    writer: Writer,
    event: dict[str, Any],
    data: dict[str, Any],
    conversation_id: int,
    now: float,
    result: Any,
) -> None:
    """Add the line for a team change about to be applied (before the change itself)."""
    event_id = as_id(event.get("id"))
    if event_id is None:
        return
    client_id = f"activity:{as_id(event.get('device_id'))}:{event_id}"
    if writer.message_row("1", "client_id = ?", (client_id,)):
        return  # the echo of a change applied here already
    facts = _facts(writer, data, conversation_id)
    if facts is None:
        return
    message_id, seq = writer.new_message_key(conversation_id, now)
    writer.insert_message(
        "messages",
        {
            "id": message_id,
            "seq": seq,
            "conversation_id": conversation_id,
            "client_id": client_id,
            "direction": "note",
            "type": TYPE,
            "timestamp": now,
            "text": None,
            "payload": json.dumps(facts, ensure_ascii=False),
            "author": as_text(event.get("device_name")),
        },
    )
    result.added.append(message_id)
