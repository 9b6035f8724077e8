"""The local history of one profile: a thin facade over the store's parts.

Each job has its own module, and this class only composes them so callers
hold one object:

- ``store.writer``: the one write connection, its lock, caches, checkpoints;
- ``store.applying`` (and its peer ``store.team``): relay events filed;
- ``store.folding``: new messages moved into the clustered table;
- ``store.reader``: every query the inbox makes, from any thread;
- ``store.outgoing``: the outbox's rows;
- ``store.local_state``: read marks, drafts, the cursor's reset;
- ``store.copilot_log``: the Copilot's outcomes and knowledge notes;
- ``store.privacy`` and ``store.retention``: LGPD export, erasure, pruning.

Methods that write block on the writer's lock; the window calls them off
its own thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine

from crm_whatsapp.store import local_state, privacy
from crm_whatsapp.store.applying import PRELOAD_BATCH, Applier
from crm_whatsapp.store.changes import ApplyResult
from crm_whatsapp.store.copilot_log import CopilotLog
from crm_whatsapp.store.folding import Folder
from crm_whatsapp.store.outgoing import Outgoing
from crm_whatsapp.store.reader import Found, Reader, Window
from crm_whatsapp.store.retention import PruneResult, months_before, prune_before
from crm_whatsapp.store.writer import Writer

__all__ = ["PRELOAD_BATCH", "ApplyResult", "Found", "History", "Outgoing", "Window"]


class History:
    """The history of one profile, over an (encrypted) engine.

    ``reader`` and ``writer`` are public for the store's peers (privacy,
    plugins' read-only queries); the window uses the methods below.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.writer = Writer(engine)
        self.reader = Reader(engine)
        self.folder = Folder(self.writer)
        self.outbox = Outgoing(self.writer, self.reader)
        self.copilot = CopilotLog(self.writer, self.engine)
        self._applier = Applier(self.writer, self.folder)

    def close(self) -> None:
        """Stop background work, wait for a running write, close every connection."""
        self.writer.close()
        self.engine.dispose()

    # -- applying the stream ------------------------------------------------------------

    def apply(self, frames: list[tuple[int, Any]]) -> ApplyResult:
        """Apply stream events (seq, event) and the cursor, atomically (see store.applying)."""
        if not frames:
            return ApplyResult(cursor=self.reader.cursor())
        return self._applier.apply(frames)

    def apply_local(self, event: dict[str, Any]) -> ApplyResult:
        """Apply a team change this desktop made, before its echo comes back."""
        return self._applier.apply_local(event)

    def cursor(self) -> int:
        """The last stream sequence number applied (0: none yet)."""
        return self.reader.cursor()

    def reset_cursor(self, value: int) -> None:
        """Move the sync cursor (the relay no longer holds what came after it)."""
        local_state.reset_cursor(self.writer, value)

    # -- folding -------------------------------------------------------------------------

    def fold(self, limit: int | None = None) -> int:
        """Fold up to ``limit`` new messages into the clustered table now (see store.folding)."""
        return self.folder.fold(limit)

    def fold_all(self) -> int:
        """Fold every waiting message now (retention, benchmarks); returns the rows moved."""
        return self.folder.fold_all()

    def unfolded(self) -> int:
        """How many applied messages still wait to be folded."""
        return self.folder.unfolded()

    # -- what the inbox reads ----------------------------------------------------------

    def window(self, conversation_id: int, now: float | None = None) -> Window:
        """The conversation's 24-hour customer service window: may free text be sent?"""
        return self.reader.window(conversation_id, now)

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
    ) -> list[dict[str, Any]]:
        """The conversation list (see ``Reader.conversations`` for the filters)."""
        return self.reader.conversations(
            limit, offset, view=view, me=me, status=status, ids=ids, contact_ids=contact_ids
        )

    def unread_total(self) -> int:
        """Unread customer messages over every conversation (the tray badge)."""
        return self.reader.unread_total()

    def conversation_ref(self, conversation_id: int) -> dict[str, str]:
        """How other desktops find this conversation (business number + customer id)."""
        return self.reader.conversation_ref(conversation_id)

    def quick_replies(self) -> list[tuple[str, str]]:
        """The team's quick replies (shortcut, text), by shortcut."""
        return self.reader.quick_replies()

    def message(self, message_id: int) -> dict[str, Any] | None:
        """One message by id (folded or not), or None."""
        return self.reader.message(message_id)

    def message_by_wamid(self, wamid: str) -> dict[str, Any] | None:
        """One message by Meta's id, or None (a quoted reply's original)."""
        return self.reader.message_by_wamid(wamid)

    def messages(
        self, conversation_id: int, limit: int = 50, before: int | None = None
    ) -> list[dict[str, Any]]:
        """A page of a conversation's thread, oldest first (see ``Reader.messages``)."""
        return self.reader.messages(conversation_id, limit, before)

    def messages_after(
        self, conversation_id: int, after: int, limit: int = 50
    ) -> list[dict[str, Any]]:
        """The messages right after message ``after``, oldest first."""
        return self.reader.messages_after(conversation_id, after, limit)

    def reactions(self, wamids: list[str]) -> dict[str, list[str]]:
        """The emoji on each of these messages, by wamid."""
        return self.reader.reactions(wamids)

    def send_errors(self, message_ids: list[int]) -> dict[int, str]:
        """Why each of these failed sends failed (an error name), by message id."""
        return self.reader.send_errors(message_ids)

    def conversations_written_to(self, message_ids: Iterable[int]) -> set[int]:
        """The conversations where one of these messages came from the customer."""
        return self.reader.conversations_written_to(message_ids)

    def search(self, query: str, limit: int = 50) -> list[dict[str, Any]]:
        """Messages matching every word (prefixes, accents folded), newest first."""
        return self.reader.search(query, limit)

    def find(self, text: str, limit: int = 50) -> Found:
        """Conversations for a search box: the number's owner, names, then messages."""
        return self.reader.find(text, limit)

    def search_contacts(self, query: str, limit: int = 20) -> list[int]:
        """Contacts whose name starts with the words, or whose number has the digits."""
        return self.reader.search_contacts(query, limit)

    def contact_by_phone(self, phone: str) -> int | None:
        """The contact with this number, typed any way, or None."""
        return self.reader.contact_by_phone(phone)

    def draft(self, conversation_id: int) -> str:
        """What the attendant had typed in this conversation and not sent."""
        return self.reader.draft(conversation_id)

    def totals(self) -> tuple[int, int]:
        """How many conversations and messages the history holds."""
        return self.reader.totals()

    # -- what the attendant does here ----------------------------------------------------

    def mark_read(self, conversation_id: int) -> str | None:
        """Zero the badge; returns the newest customer message it covered (for the receipt)."""
        return local_state.mark_read(self.writer, conversation_id)

    def save_draft(self, conversation_id: int, text: str) -> None:
        """Keep what the attendant was typing; blank text removes the draft."""
        local_state.save_draft(self.writer, conversation_id, text)

    def start_conversation(self, wa_id: str) -> int | None:
        """The conversation to open for a number, made if new (None: no business number yet)."""
        return local_state.start_conversation(self.writer, wa_id)

    # -- LGPD ---------------------------------------------------------------------------

    def prune_older_than(self, months: int, *, now: float | None = None) -> PruneResult:
        """Retention: delete messages older than ``months`` calendar months (store.retention).

        Returns what went, with the message ids whose cached media the caller
        removes (``Workspace.prune`` does).
        """
        return prune_before(self.writer, self.folder, months_before(months, now))

    def export_contact(self, phone: str) -> dict[str, Any] | None:
        """Everything kept about one contact, as plain data (the caller encrypts the file)."""
        return privacy.export_contact(self.reader, phone)

    def erase_contact(self, phone: str) -> privacy.Erased | None:
        """Delete one contact and everything about them (None: no such contact)."""
        return privacy.erase_contact(self.writer, self.reader, phone)
