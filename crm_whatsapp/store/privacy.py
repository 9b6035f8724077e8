"""LGPD in the history: everything kept about one contact, exported or erased.

A customer may ask what the office keeps about them, or that it be
deleted. Export gathers it as plain data (the caller seals the file, see
``crm_whatsapp.privacy``); erasure deletes the contact with every message,
status, reaction and search entry, and the statuses and set-aside events
that name them without a message of theirs being kept, then merges the
search indexes and truncates the WAL, so nothing of them stays in the file
(``secure_delete`` overwrites the freed pages).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from crm_whatsapp.store.keys import conversation_range
from crm_whatsapp.store.phones import phone_key, with_ninth_digit
from crm_whatsapp.store.reader import Reader
from crm_whatsapp.store.schema import MESSAGE_TABLES
from crm_whatsapp.store.writer import Writer


@dataclass
class Erased:
    """What erasing a contact removed; ``message_ids`` names their cached media."""

    messages: int = 0
    message_ids: list[int] = field(default_factory=list)


def export_contact(reader: Reader, phone: str) -> dict[str, Any] | None:
    """Everything kept about the contact with this number, as plain data (None: no such contact)."""
    contact_id = reader.contact_by_phone(phone)
    if contact_id is None:
        return None
    conversations = []
    for conversation_id in reader.conversations_of_contact(contact_id):
        messages = reader.messages(conversation_id, limit=10**9)
        for m in messages:
            m["payload"] = json.loads(m["payload"])
        conversations.append({"id": conversation_id, "messages": messages})
    return {
        "contact": reader.contact(contact_id),
        "conversations": conversations,
        "exported_at": time.time(),
    }


def erase_contact(writer: Writer, reader: Reader, phone: str) -> Erased | None:
    """Delete the contact with this number and everything about them (None: no such contact)."""
    contact_id = reader.contact_by_phone(phone)
    if contact_id is None:
        return None
    with writer.lock:  # caches are dropped before anyone writes again
        erased = Erased()
        with writer.transaction():
            seqs: list[int] = []
            wamids: list[str] = []
            conversations = writer.execute(
                "SELECT id FROM conversations WHERE contact_id = ?", (contact_id,)
            ).fetchall()
            for (conversation_id,) in conversations:
                low, high = conversation_range(conversation_id)
                for table in MESSAGE_TABLES:
                    for message_id, seq, wamid in writer.execute(
                        f"SELECT id, seq, wamid FROM {table} WHERE id BETWEEN ? AND ?", (low, high)
                    ).fetchall():
                        erased.message_ids.append(int(message_id))
                        seqs.append(seq)
                        if wamid:
                            wamids.append(wamid)
                    writer.execute(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", (low, high))
            writer.executemany("DELETE FROM messages_fts WHERE rowid = ?", [(s,) for s in seqs])
            writer.executemany("DELETE FROM status_history WHERE wamid = ?", [(w,) for w in wamids])
            writer.executemany("DELETE FROM reactions WHERE wamid = ?", [(w,) for w in wamids])
            _erase_mentions(writer, contact_id)
            writer.execute("DELETE FROM contacts_fts WHERE rowid = ?", (contact_id,))
            writer.execute("DELETE FROM contacts WHERE id = ?", (contact_id,))  # + conversations
        erased.messages = len(seqs)
        # The caches may name the erased contact and its conversations.
        writer.forget_caches()
        writer.compact()
    return erased


def _erase_mentions(writer: Writer, contact_id: int) -> None:
    """Delete the statuses and set-aside events that name the contact, whoever else's they are.

    A status for a message sent from outside this inbox carries the
    customer's number (``recipient_id``) with no message of theirs kept
    here, and an event the store could not file (``other_events``) is kept
    whole, number and text. Both are found by the number in either
    Brazilian form (digits not part of a longer number) or by the user id:
    a cheap ``LIKE`` narrows the scan, a pattern decides.
    """
    wa_id, user_id = writer.execute(
        "SELECT wa_id, user_id FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    patterns: list[str] = []
    needles: list[str] = []
    if wa_id and phone_key(wa_id):
        forms = {phone_key(wa_id), with_ninth_digit(wa_id)}
        patterns += [rf"(?<![0-9]){re.escape(form)}(?![0-9])" for form in forms]
        needles.append(phone_key(wa_id)[-8:])  # what both forms end with
    if user_id:
        patterns.append(re.escape(json.dumps(user_id, ensure_ascii=False)))  # as events keep it
        needles.append(user_id)
    if not patterns:
        return
    names = re.compile("|".join(patterns))
    for table, key, column in (
        ("status_history", "rowid", "payload"),
        ("other_events", "seq", "body"),
    ):
        found: set[Any] = set()
        for needle in needles:
            like = "%" + re.sub(r"([\\%_])", r"\\\1", needle) + "%"
            found |= {
                row[0]
                for row in writer.execute(
                    f"SELECT {key}, {column} FROM {table} WHERE {column} LIKE ? ESCAPE '\\'",
                    (like,),
                ).fetchall()
                if names.search(row[1])
            }
        writer.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in found])
