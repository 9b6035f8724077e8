"""What the search box finds: the conversations to list, and the messages that matched.

An attendant looking for "the customer who sent the boleto" needs the
message itself, as WhatsApp shows it: a piece of the text around the word,
who wrote it and when, one row per message (several per conversation when
several match). The contacts found are those of :meth:`Reader.find`.

Cost is bounded whatever the history's size: the message index is asked
once (the same walk ``find`` makes; its hits carry text, sender and time)
and the conversation rows once for all hits; nothing is read per hit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crm_whatsapp.domain.phones import typed_phone
from crm_whatsapp.store.search import Query, snippet

if TYPE_CHECKING:
    from crm_whatsapp.store.history import History

SHOWN = 30  # message rows a search lists (more is scrolling through the thread)
MIN_TEXT = 3  # characters before messages are searched (as ``Reader.find``)


@dataclass(frozen=True)
class MessageHit:
    """One matching message, with what a result row shows of it."""

    message_id: int
    conversation_id: int
    title: str  # the conversation's customer name ("" when unknown)
    wa_id: str  # the customer's number, for a conversation without a name
    direction: str  # in | out | note
    author: str | None  # the attendant who wrote it (out, note)
    timestamp: float
    snippet: tuple[tuple[str, bool], ...]  # plain-text parts, True where a word matched


@dataclass(frozen=True)
class SearchAnswer:
    """The list's contacts (None: no search) and the messages to show under it."""

    contact_ids: list[int] | None
    hits: list[MessageHit]


def search_history(history: History, text: str, limit: int = 200) -> SearchAnswer:
    """The contacts ``text`` finds (number, names, messages) and its newest message hits."""
    text = text.strip()
    if not text:
        return SearchAnswer(None, [])
    contacts = history.search_contacts(text, limit=limit)
    number = typed_phone(text)
    owner = history.contact_by_phone(number) if number else None
    if owner is not None:
        contacts = [owner, *(c for c in contacts if c != owner)]
    found = history.search(text, limit=limit) if len(text) >= MIN_TEXT else []
    order = list(dict.fromkeys(h["conversation_id"] for h in found))
    rows = {r["id"]: r for r in history.conversations(len(order), ids=order)} if order else {}
    contacts += [rows[c]["contact_id"] for c in order if c in rows]
    query = Query.parse(text)
    hits: list[MessageHit] = []
    for hit in found:
        row = rows.get(hit["conversation_id"])
        if row is None:
            continue  # erased since the index answered
        hits.append(
            MessageHit(
                message_id=int(hit["id"]),
                conversation_id=int(hit["conversation_id"]),
                title=row["name"] or "",
                wa_id=row["wa_id"] or "",
                direction=hit["direction"],
                author=hit["author"],
                timestamp=float(hit["timestamp"]),
                snippet=tuple(snippet(hit["text"], query)),
            )
        )
        if len(hits) == SHOWN:
            break
    return SearchAnswer(sorted(set(contacts)), hits)
