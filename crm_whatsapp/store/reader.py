"""What the inbox reads from the history: the list, threads, search, contacts, drafts.

Every read uses the engine's connection pool, never the writer, so reads
run in any thread (the window runs the slow ones off its own thread) and
never wait for a batch being applied: WAL readers see the last commit.
A message may be in either of two tables until it is folded
(``store.folding``); queries that name messages read both in one snapshot,
so a fold committing in between can neither hide a message nor show it
twice.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from crm_whatsapp.domain.phones import typed_phone
from crm_whatsapp.store import template_book
from crm_whatsapp.store.keys import conversation_of, conversation_range
from crm_whatsapp.store.phones import phone_key, typed_fragments
from crm_whatsapp.store.schema import MESSAGE_TABLES
from crm_whatsapp.store.search import Query
from crm_whatsapp.store.team_view import EFFECTIVE_STATUS, HAS_LABEL, UNREAD

WINDOW_SECONDS = 24 * 3600.0

MESSAGE_KEYS = (
    "id",
    "wamid",
    "client_id",
    "direction",
    "type",
    "timestamp",
    "text",
    "status",
    "error_code",
    "reply_to",
    "media_id",
    "author",
    "payload",
)
MESSAGE_COLUMNS = ", ".join(MESSAGE_KEYS)

# A conversation row of the list. The preview is what the last message is
# (its type, who wrote it, its first characters): the window words it.
CONVERSATION_KEYS = (
    "id",
    "phone_number_id",
    "last_message_at",
    "last_inbound_at",
    "preview_type",
    "preview_direction",
    "preview_text",
    "unread",
    "status",
    "assignee",
    "labels",
    "contact_id",
    "name",
    "wa_id",
    "user_id",
    # store.team_view / store.personal: snoozing, this attendant's pins and unread marks
    "snoozed_until",
    "pinned",
    "marked_unread",
)


@dataclass(frozen=True)
class Window:
    """The 24-hour customer service window of one conversation."""

    open: bool
    expires_at: float | None


@dataclass(frozen=True)
class Found:
    """What a search box finds: conversation rows in order, and their contacts."""

    rows: list[dict[str, Any]]
    contact_ids: list[int]


class Reader:
    """Read-only queries over the history, safe from any thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        with self._engine.connect() as conn:
            return list(conn.exec_driver_sql(sql, tuple(params)).fetchall())

    def _read_both(self, sql: str, params: Iterable[Any]) -> list[Any]:
        """``sql`` (with ``{table}``) on the folded and unfolded messages, in one snapshot."""
        params = tuple(params)
        with self._engine.connect() as conn:
            rows: list[Any] = []
            for table in MESSAGE_TABLES:
                rows += conn.exec_driver_sql(sql.format(table=table), params).fetchall()
            return rows

    # -- sync -------------------------------------------------------------------------

    def cursor(self) -> int:
        """The last stream sequence number applied (0: none yet)."""
        rows = self._rows("SELECT value FROM sync_state WHERE key = 'cursor'")
        return int(rows[0][0]) if rows else 0

    def totals(self) -> tuple[int, int]:
        """How many conversations and messages the history holds."""
        row = self._rows(
            "SELECT (SELECT count(*) FROM conversations), (SELECT count(*) FROM all_messages)"
        )[0]
        return int(row[0]), int(row[1])

    # -- the conversation list --------------------------------------------------------

    def window(self, conversation_id: int, now: float | None = None) -> Window:
        """Whether free text may be sent (24 h since the customer last wrote)."""
        now = time.time() if now is None else now
        rows = self._rows(
            "SELECT last_inbound_at FROM conversations WHERE id = ?", (conversation_id,)
        )
        last = rows[0][0] if rows else None
        if not last:
            return Window(False, None)
        expires = float(last) + WINDOW_SECONDS
        return Window(now < expires, expires)

    def conversations(
        self,
        limit: int = 100,
        offset: int = 0,
        *,
        view: str = "all",
        me: str | None = None,
        status: str | None = None,
        ids: Iterable[int] | None = None,
        contact_ids: Iterable[int] | None = None,
        label: str | None = None,
    ) -> list[dict[str, Any]]:
        """The conversation list, pinned ones first, then most recent first.

        ``view`` is ``all``, ``mine`` (assigned to ``me``), ``unassigned`` or
        ``unread``; ``status`` one of open/pending/resolved; ``ids`` or
        ``contact_ids`` restrict to those (search results, changed rows);
        ``label`` to those carrying it. A snoozed conversation whose time came
        reads as open (``team_view.EFFECTIVE_STATUS``).
        """
        where: list[str] = []
        params: list[Any] = []
        if view == "mine":
            where.append("c.assignee = ?")
            params.append(me or "")
        elif view == "unassigned":
            where.append("c.assignee IS NULL")
        elif view == "unread":
            where.append(UNREAD)
        if status:
            where.append(f"{EFFECTIVE_STATUS} = ?")
            params.append(status)
        if label:
            where.append(HAS_LABEL)
            params.append(label)
        for column, values in (("c.id", ids), ("c.contact_id", contact_ids)):
            if values is not None:
                chosen = [int(v) for v in values]
                where.append(f"{column} IN ({','.join('?' * len(chosen)) or 'NULL'})")
                params += chosen
        sql = (
            "SELECT c.id, c.phone_number_id, c.last_message_at, c.last_inbound_at, "
            f"c.last_type, c.last_direction, c.last_preview, c.unread, {EFFECTIVE_STATUS}, "
            "c.assignee, c.labels, k.id, coalesce(k.name, k.profile_name), k.wa_id, k.user_id, "
            "c.snoozed_until, c.pinned_at IS NOT NULL, c.marked_unread "
            "FROM conversations c JOIN contacts k ON k.id = c.contact_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (
            " ORDER BY c.pinned_at IS NULL, c.last_message_at DESC NULLS LAST, c.id DESC "
            "LIMIT ? OFFSET ?"
        )
        out = []
        for r in self._rows(sql, [*params, limit, offset]):
            row = dict(zip(CONVERSATION_KEYS, r, strict=True))
            row["labels"] = json.loads(row["labels"]) if row["labels"] else []
            row["pinned"], row["marked_unread"] = bool(row["pinned"]), bool(row["marked_unread"])
            out.append(row)
        return out

    def unread_total(self) -> int:
        """Unread customer messages over every conversation (the tray badge)."""
        return int(self._rows("SELECT coalesce(sum(unread), 0) FROM conversations")[0][0])

    def conversation_ref(self, conversation_id: int) -> dict[str, str]:
        """How other desktops find a conversation: business number plus customer id."""
        rows = self._rows(
            "SELECT c.phone_number_id, k.wa_id, k.user_id FROM conversations c "
            "JOIN contacts k ON k.id = c.contact_id WHERE c.id = ?",
            (conversation_id,),
        )
        if not rows:
            raise LookupError("no such conversation")
        phone_number_id, wa_id, user_id = rows[0]
        ref = {"phone_number_id": phone_number_id}
        if wa_id:
            ref["wa_id"] = wa_id
        else:
            ref["user_id"] = user_id
        return ref

    def draft(self, conversation_id: int) -> str:
        """What the attendant had typed in this conversation and not sent."""
        rows = self._rows("SELECT text FROM drafts WHERE conversation_id = ?", (conversation_id,))
        return str(rows[0][0]) if rows else ""

    def quick_replies(self) -> list[tuple[str, str]]:
        """The team's quick replies (shortcut, text), by shortcut."""
        return [
            (str(r[0]), str(r[1]))
            for r in self._rows("SELECT shortcut, text FROM quick_replies ORDER BY 1")
        ]

    def templates(self) -> list[dict[str, Any]]:
        """The approved templates last fetched from the relay (store.template_book)."""
        rows = self._rows("SELECT value FROM sync_state WHERE key = ?", (template_book.KEY,))
        return template_book.parse(rows[0][0]) if rows else []

    # -- messages ------------------------------------------------------------------------

    def message(self, message_id: int) -> dict[str, Any] | None:
        """One message by id (folded or not), or None."""
        rows = self._read_both(
            f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE id = ?", (message_id,)
        )
        return dict(zip(MESSAGE_KEYS, rows[0], strict=True)) if rows else None

    def message_by_wamid(self, wamid: str) -> dict[str, Any] | None:
        """One message by Meta's id, or None."""
        rows = self._read_both(f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE wamid = ?", (wamid,))
        return dict(zip(MESSAGE_KEYS, rows[0], strict=True)) if rows else None

    def messages(
        self, conversation_id: int, limit: int = 50, before: int | None = None
    ) -> list[dict[str, Any]]:
        """The latest ``limit`` messages (oldest first), or those before message ``before``.

        Keys order a conversation by time (store.keys), so this is one range
        scan over neighbouring pages.
        """
        low, high = conversation_range(conversation_id)
        if before is not None:
            high = min(high, before - 1)
        rows = self._read_both(
            f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE id BETWEEN ? AND ? "
            "ORDER BY id DESC LIMIT ?",
            (low, high, limit),
        )
        rows.sort(key=lambda r: r[0])
        return [dict(zip(MESSAGE_KEYS, r, strict=True)) for r in rows[-limit:]]

    def messages_after(
        self, conversation_id: int, after: int, limit: int = 50
    ) -> list[dict[str, Any]]:
        """The ``limit`` messages right after message ``after``, oldest first."""
        low, high = conversation_range(conversation_id)
        rows = self._read_both(
            f"SELECT {MESSAGE_COLUMNS} FROM {{table}} WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?",
            (max(low, after + 1), high, limit),
        )
        rows.sort(key=lambda r: r[0])
        return [dict(zip(MESSAGE_KEYS, r, strict=True)) for r in rows[:limit]]

    def reactions(self, wamids: list[str]) -> dict[str, list[str]]:
        """The emoji on each of these messages."""
        if not wamids:
            return {}
        marks = ",".join("?" * len(wamids))
        out: dict[str, list[str]] = {}
        for wamid, emoji in self._rows(
            f"SELECT wamid, emoji FROM reactions WHERE wamid IN ({marks})", wamids
        ):
            out.setdefault(wamid, []).append(emoji)
        return out

    def send_errors(self, message_ids: list[int]) -> dict[int, str]:
        """Why each of these failed sends failed, as the outbox recorded it (an error name)."""
        if not message_ids:
            return {}
        marks = ",".join("?" * len(message_ids))
        return {
            int(r[0]): str(r[1])
            for r in self._rows(
                f"SELECT message_id, last_error FROM outbox WHERE message_id IN ({marks}) "
                "AND last_error IS NOT NULL",
                message_ids,
            )
        }

    def conversations_written_to(self, message_ids: Iterable[int]) -> set[int]:
        """The conversations where one of these messages came from the customer."""
        return self._conversations_with(message_ids, "in")

    def conversations_answered_in(self, message_ids: Iterable[int]) -> set[int]:
        """The conversations where one of these messages is an attendant's (a note is not)."""
        return self._conversations_with(message_ids, "out")

    def _conversations_with(self, message_ids: Iterable[int], direction: str) -> set[int]:
        ids = list(message_ids)
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        return {
            conversation_of(int(r[0]))
            for r in self._rows(
                f"SELECT id FROM all_messages WHERE id IN ({marks}) AND direction = ?",
                [*ids, direction],
            )
        }

    # -- search ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Messages matching every word (prefixes, accents folded), newest first.

        FTS5 walks the index newest first (by arrival) and stops at the limit;
        sorting by timestamp instead would sort every match first. A word
        longer than the indexed prefixes is looked up by its first letters
        and the hits checked against their text; when a first chunk does not
        fill the limit (``mensagens`` among thousands of ``mensagem``), the
        rest is asked of the index by the whole words, which costs what the
        word's own hits cost instead of a walk through every message sharing
        its first six letters (seconds at 200,000 messages).
        """
        parsed = Query.parse(query)
        if not parsed:
            return []
        hits_sql = (
            "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? AND rowid < ? "
            "ORDER BY rowid DESC LIMIT ?"
        )
        whole_words = " AND ".join(f'"{w}"' if len(w) <= 2 else f'"{w}"*' for w in parsed.words)
        # Who wrote each hit comes with it: a search result names the sender.
        keys = ("id", "conversation_id", "timestamp", "text", "direction", "author")
        found: list[dict[str, Any]] = []
        before, chunk = 2**62, limit if not parsed.needs_check else max(limit, 100)
        with self._engine.connect() as conn:
            for match in (parsed.match, whole_words):
                seqs = [r[0] for r in conn.exec_driver_sql(hits_sql, (match, before, chunk))]
                rows: list[Any] = []
                if seqs:
                    marks = ",".join("?" * len(seqs))
                    for table in MESSAGE_TABLES:
                        rows += conn.exec_driver_sql(
                            "SELECT seq, id, conversation_id, timestamp, text, direction, author "
                            f"FROM {table} "
                            f"WHERE seq IN ({marks})",
                            tuple(seqs),
                        ).fetchall()
                rows.sort(key=lambda r: r[0], reverse=True)
                found += [
                    dict(zip(keys, r[1:], strict=True))
                    for r in rows
                    if not parsed.needs_check or parsed.matches(r[4])
                ]
                if len(seqs) < chunk or not parsed.needs_check or len(found) >= limit:
                    break
                before, chunk = seqs[-1], limit - len(found)
        return found[:limit]

    def search_contacts(self, query: str, limit: int = 20) -> list[int]:
        """Contacts whose name starts with the words, or whose number contains the digits.

        Numbers are matched by ``store.phones.typed_fragments`` (typed any
        way, with or without the ninth digit); a few thousand short strings
        scan in milliseconds.
        """
        words = [w for w in Query.parse(query).words if not w.isdigit()]
        if words:
            match = " AND ".join(f'names : "{w}"*' for w in words)
            return [
                int(r[0])
                for r in self._rows(
                    "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ? LIMIT ?",
                    (match, limit),
                )
            ]
        fragments = sorted(typed_fragments(query))
        if not fragments:
            return []
        where = " OR ".join("wa_id LIKE ?" for _ in fragments)
        return [
            int(r[0])
            for r in self._rows(
                f"SELECT id FROM contacts WHERE {where} ORDER BY updated_at DESC LIMIT ?",
                [f"%{v}%" for v in fragments] + [limit],
            )
        ]

    def find(self, text: str, limit: int = 50) -> Found:
        """Conversations for what a person typed in a search box: who, then what was said.

        First the customer whose number it is (typed any way), then contacts
        by name or digits, then conversations where a message matches (from
        3 characters). A fixed handful of queries whatever the number of
        hits, so it can run on every pause in typing.
        """
        text = text.strip()
        if not text:
            return Found([], [])
        contacts = self.search_contacts(text, limit=limit)
        number = typed_phone(text)
        owner = self.contact_by_phone(number) if number else None
        if owner is not None:
            contacts = [owner, *(c for c in contacts if c != owner)]
        by_contact = self.conversations(limit, contact_ids=contacts) if contacts else []
        by_contact.sort(key=lambda r: r["contact_id"] != owner)  # the owner first, then recency
        rows = by_contact
        if len(text) >= 3:
            seen = {r["id"] for r in rows}
            hit_order: list[int] = []
            for hit in self.search(text, limit=limit):
                if hit["conversation_id"] not in seen:
                    seen.add(hit["conversation_id"])
                    hit_order.append(hit["conversation_id"])
            if hit_order:
                by_id = {r["id"]: r for r in self.conversations(limit, ids=hit_order)}
                rows = rows + [by_id[i] for i in hit_order if i in by_id]
        rows = rows[:limit]
        found_contacts = list(dict.fromkeys([*contacts, *(r["contact_id"] for r in rows)]))
        return Found(rows, found_contacts)

    # -- contacts -------------------------------------------------------------------------

    def contact_by_phone(self, phone: str) -> int | None:
        """The contact with this number, typed any way: ``(81) 99777-8888``, with or without +55.

        What a person types is read as a number first (``domain.phones``);
        the match then ignores the ninth digit (``store.phones.phone_key``).
        """
        number = typed_phone(phone) or phone
        rows = self._rows("SELECT id FROM contacts WHERE phone_key = ?", (phone_key(number),))
        return int(rows[0][0]) if rows else None

    def contact(self, contact_id: int) -> dict[str, Any]:
        """One contact's own fields (for an LGPD export)."""
        keys = ("id", "wa_id", "user_id", "name", "profile_name", "created_at")
        rows = self._rows(
            "SELECT id, wa_id, user_id, name, profile_name, created_at FROM contacts WHERE id = ?",
            (contact_id,),
        )
        if not rows:
            raise LookupError("no such contact")
        return dict(zip(keys, rows[0], strict=True))

    def conversations_of_contact(self, contact_id: int) -> list[int]:
        """A contact's conversations (one per business number they wrote to)."""
        return [
            int(r[0])
            for r in self._rows(
                "SELECT id FROM conversations WHERE contact_id = ? ORDER BY id", (contact_id,)
            )
        ]

    def message_ids_of_contact(self, contact_id: int) -> list[int]:
        """Every message id of a contact (their cached media's names)."""
        ids: list[int] = []
        for conversation_id in self.conversations_of_contact(contact_id):
            ids += [
                int(r[0])
                for r in self._read_both(
                    "SELECT id FROM {table} WHERE id BETWEEN ? AND ?",
                    conversation_range(conversation_id),
                )
            ]
        return ids

    # -- the outbox ---------------------------------------------------------------------

    def outbox_due(self, now: float, limit: int = 20) -> list[tuple[str, str, dict[str, Any], int]]:
        """Queued sends whose time has come: (client_id, phone_number_id, request, attempts)."""
        rows = self._rows(
            "SELECT client_id, phone_number_id, request, attempts FROM outbox "
            "WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY created_at LIMIT ?",
            (now, limit),
        )
        return [(r[0], r[1], json.loads(r[2]), int(r[3])) for r in rows]

    def outbox_pending(self) -> int:
        """Sends still queued."""
        return int(self._rows("SELECT count(*) FROM outbox WHERE state = 'queued'")[0][0])

    def outbox_next_due_at(self) -> float | None:
        """When the next queued send is due, or None."""
        rows = self._rows("SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued'")
        return float(rows[0][0]) if rows and rows[0][0] is not None else None

    def outbox_message_id(self, client_id: str) -> int:
        """The message a send (by its client id) belongs to."""
        rows = self._rows("SELECT message_id FROM outbox WHERE client_id = ?", (client_id,))
        if not rows:
            raise LookupError("no such send")
        return int(rows[0][0])

    # -- the Copilot's local index ------------------------------------------------------

    def message_stream(
        self, batch: int = 5000
    ) -> Iterator[list[tuple[int, str, str, str | None, float, str | None]]]:
        """Every customer and attendant message, in key order, ``batch`` rows at a time.

        Rows are ``(conversation_id, direction, type, text, timestamp,
        author)``; key order is each conversation's messages by time, one
        conversation after another (store.keys), so the Copilot pairs
        questions with answers as they stream by. Each batch reads both
        message tables in its own snapshot and resumes after the last key
        seen: memory stays bounded at a million messages and no read holds
        the WAL for the whole walk. A fold between batches moves rows without
        changing their keys, so none is missed or read twice; a message
        written behind the walk's position after it passed is not seen (the
        Copilot adds new exchanges as they are sent). Private notes are left
        out.
        """
        sql = (
            "SELECT id, conversation_id, direction, type, text, timestamp, author FROM {table} "
            "WHERE id > ? AND direction IN ('in', 'out') ORDER BY id LIMIT ?"
        )
        after = -1
        while True:
            rows: list[Any] = []
            bound: int | None = None  # the highest key both tables are complete up to
            with self._engine.connect() as conn:
                for table in MESSAGE_TABLES:
                    got = conn.exec_driver_sql(sql.format(table=table), (after, batch)).fetchall()
                    if len(got) == batch:
                        bound = got[-1][0] if bound is None else min(bound, got[-1][0])
                    rows += got
            if bound is not None:
                rows = [r for r in rows if r[0] <= bound]
            if not rows:
                return
            rows.sort(key=lambda r: r[0])
            after = rows[-1][0]
            yield [(int(r[1]), str(r[2]), str(r[3]), r[4], float(r[5]), r[6]) for r in rows]
