"""One conversation's messages as a Qt model: a window over the history.

The thread opens on its newest page, or around one message (a search hit);
older pages are prepended as the attendant scrolls up and newer ones
appended as they scroll down (the view keeps its place), so a
100,000-message chat opens as fast as a short one, at its end or its
start. Day separators are rows of their own. Changes from the sync client
and the outbox update single rows, never the whole model.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from crm_whatsapp.domain.dates import day_separator
from crm_whatsapp.domain.shapes import as_object
from crm_whatsapp.domain.templates import filled
from crm_whatsapp.store.content import message_text
from crm_whatsapp.store.history import History
from crm_whatsapp.store.keys import conversation_of
from crm_whatsapp.ui.activity import activity_line

Index = QModelIndex | QPersistentModelIndex
PAGE = 20
# Rows of the history that are no bubble of their own: a reaction shows under its message.
UNSHOWN = frozenset({"reaction"})
MAX_ROWS = 160  # rows kept in the model: the view re-lays out all of them on each page


class Role(IntEnum):
    Row = Qt.ItemDataRole.UserRole + 1
    Id = Qt.ItemDataRole.UserRole + 2


def payload_item(payload: object) -> dict[str, Any]:
    """A message's stored Meta item as an object; anything else (broken, a list) as an empty one.

    Renderers read its fields through ``domain.shapes``, so only the top
    level must be an object here.
    """
    if not payload:
        return {}
    try:
        item = json.loads(payload)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return {}
    return item if isinstance(item, dict) else {}


class ThreadModel(QAbstractListModel):
    def __init__(self, history: History, parent: Any = None) -> None:
        super().__init__(parent)
        self.history = history
        self.conversation_id: int | None = None
        self._items: list[dict[str, Any]] = []
        self.has_older = False
        self.has_newer = False  # scrolled far back: the newest messages were let go
        # The oldest and newest history rows loaded, shown or not (paging goes on from them).
        self._oldest_id: int | None = None
        self._newest_id: int | None = None
        # This desktop's reactions not yet accepted: target wamid -> (message id, emoji).
        self._pending_reactions: dict[str, tuple[int, str]] = {}
        self._templates: list[dict[str, Any]] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def item(self, row: int) -> dict[str, Any] | None:
        """The row itself, for the delegate and the window.

        ``data(Role.Row)`` hands a dict through a QVariant, which PySide
        converts to a QVariantMap and back: a deep copy of the row and its
        Meta payload on every call, and the view asks each row's size on every
        re-layout. The delegate reads the row here instead, untouched.
        """
        return self._items[row] if 0 <= row < len(self._items) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Role.Row:
            return item
        if role == Role.Id:
            return item.get("id")
        if role == Qt.ItemDataRole.DisplayRole:
            return item.get("text") or item.get("label") or ""
        return None

    # -- building rows ---------------------------------------------------------------------

    def _loaded(self, messages: list[dict[str, Any]]) -> None:
        """Widen the loaded range to ``messages`` (raw history rows, oldest first)."""
        if messages:
            first, last = messages[0]["id"], messages[-1]["id"]
            self._oldest_id = first if self._oldest_id is None else min(self._oldest_id, first)
            self._newest_id = last if self._newest_id is None else max(self._newest_id, last)

    def _note_reaction(self, message: dict[str, Any]) -> None:
        """Remember this desktop's reaction until the relay has it (then the table shows it)."""
        if message["direction"] != "out" or message["status"] != "pending":
            return
        reaction = as_object(as_object(payload_item(message["payload"])).get("reaction"))
        target, emoji = reaction.get("message_id"), reaction.get("emoji")
        if isinstance(target, str) and isinstance(emoji, str):
            self._pending_reactions[target] = (int(message["id"]), emoji)

    def _reactions(self, wamids: list[str]) -> dict[str, list[str]]:
        """The emoji under each message: the history's, and this desktop's not yet accepted."""
        found = self.history.reactions(wamids)
        for target, (message_id, emoji) in list(self._pending_reactions.items()):
            current = self.history.message(message_id)
            if current is None or current["status"] != "pending":
                del self._pending_reactions[target]  # accepted (now in the table) or failed
                continue
            if target in wamids:
                shown = [e for e in found.get(target, []) if e != emoji]
                found[target] = [*shown, emoji] if emoji else shown
        return found

    def _enrich(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The rows the thread shows for these history rows (reactions go under their targets)."""
        self._loaded(messages)
        for m in messages:
            if m["type"] == "reaction":
                self._note_reaction(m)
        messages = [m for m in messages if m["type"] not in UNSHOWN]
        wamids = [m["wamid"] for m in messages if m["wamid"]]
        reactions = self._reactions(wamids)
        quoted_ids = {m["reply_to"] for m in messages if m["reply_to"]}
        quoted = {}
        for wamid in quoted_ids:
            found = self.history.message_by_wamid(wamid)
            if found:
                quoted[wamid] = found
        failed = [m["id"] for m in messages if m["status"] == "failed"]
        reasons = self.history.send_errors(failed)
        for m in messages:
            m["kind"] = "activity" if m["type"] == "activity" else "message"
            if m["kind"] == "activity":
                m["label"] = activity_line(m)  # "Ana atribuiu a Bruno · 14:02" (ui.activity)
            m["item"] = payload_item(m["payload"])
            found = reactions.get(m["wamid"], []) if m["wamid"] else []
            m["reactions"] = [e for e in found if isinstance(e, str) and e]
            m["quoted"] = quoted.get(m["reply_to"]) if m["reply_to"] else None
            m["error_name"] = reasons.get(m["id"])
            self._shape(m)
        return messages

    def _shape(self, m: dict[str, Any]) -> None:
        """What the bubble needs beyond the stored row: an edit, a sent template's text."""
        item = m["item"]
        edited = as_object(item.get("edited"))
        m["edited"] = bool(edited) and m["type"] != "revoke"
        # The original's own words, from Meta's item as it first came ("" if it never came).
        m["original_text"] = (
            message_text(m["type"], item) if edited and not edited.get("original_unknown") else ""
        )
        m["template"] = filled(item, self._templates) if m["type"] == "template" else None

    @staticmethod
    def _day(ts: float) -> Any:
        try:
            return datetime.fromtimestamp(ts).date()
        except (TypeError, ValueError, OverflowError, OSError):
            return None  # no time the OS can show: under no day separator

    def _with_days(
        self, messages: list[dict[str, Any]], previous: dict[str, Any] | None
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        now = time.time()
        last_day = self._day(previous["timestamp"]) if previous else None
        for m in messages:
            day = self._day(m["timestamp"])
            if day is not None and day != last_day:
                label = day_separator(m["timestamp"], now, translate=QCoreApplication.translate)
                out.append({"kind": "day", "label": label, "timestamp": m["timestamp"]})
                last_day = day
            out.append(m)
        return out

    def open(self, conversation_id: int | None) -> None:
        """Show ``conversation_id`` from its newest page (None: no conversation)."""
        self.beginResetModel()
        self._forget(conversation_id)
        if conversation_id is not None:
            self._templates = self.history.reader.templates()
            raw = self.history.messages(conversation_id, limit=PAGE)
            self.has_older = len(raw) == PAGE
            self._items = self._with_days(self._enrich(raw), None)
        self.endResetModel()

    def open_around(self, conversation_id: int, message_id: int) -> bool:
        """Show ``conversation_id`` from the page before ``message_id`` to the page after it.

        A search hit at the start of a 100,000-message chat shows at once, as
        WhatsApp opens a chat right around a starred or found message: two
        keyed range reads (store.keys orders a conversation by time), never
        the pages in between. Scrolling goes on from both ends through
        ``load_older`` and ``load_newer``; a message arriving meanwhile waits
        below until the attendant scrolls down to it (``apply``). Returns
        whether the message is in the thread; when the conversation has no
        such message (erased meanwhile) nothing changes.
        """
        if conversation_of(message_id) != conversation_id or (
            self.history.message(message_id) is None
        ):
            return False
        self.beginResetModel()
        self._forget(conversation_id)
        self._templates = self.history.reader.templates()
        before = self.history.messages(conversation_id, PAGE, message_id + 1)  # up to it
        after = self.history.messages_after(conversation_id, message_id, PAGE)
        self.has_older = len(before) == PAGE
        self.has_newer = len(after) == PAGE
        self._items = self._with_days(self._enrich(before + after), None)
        self.endResetModel()
        return self.row_of(message_id) >= 0

    def _forget(self, conversation_id: int | None) -> None:
        """Empty the window before it is filled for ``conversation_id`` (inside a reset)."""
        self.conversation_id = conversation_id
        self._items = []
        self.has_older = False
        self.has_newer = False
        self._oldest_id = self._newest_id = None
        self._pending_reactions.clear()

    def _first_message(self) -> dict[str, Any] | None:
        return next((i for i in self._items if i["kind"] != "day"), None)

    def _last_message(self) -> dict[str, Any] | None:
        return next((i for i in reversed(self._items) if i["kind"] != "day"), None)

    def load_older(self) -> int:
        """Prepend the page before the first loaded message; returns rows added."""
        first = self._first_message()
        if self.conversation_id is None or self._oldest_id is None or not self.has_older:
            return 0
        older: list[dict[str, Any]] = []
        while not older and self.has_older:  # a page of reactions alone shows nothing: go on
            raw = self.history.messages(self.conversation_id, PAGE, self._oldest_id)
            self.has_older = len(raw) == PAGE
            older = self._enrich(raw)
        if not older:
            return 0
        rows = self._with_days(older, None)
        # The first loaded day's separator stays if the day differs, else it moves up.
        if (
            self._items
            and self._items[0]["kind"] == "day"
            and first is not None
            and self._day(older[-1]["timestamp"]) == self._day(first["timestamp"])
        ):
            self.beginRemoveRows(QModelIndex(), 0, 0)
            del self._items[0]
            self.endRemoveRows()
        self.beginInsertRows(QModelIndex(), 0, len(rows) - 1)
        self._items[0:0] = rows
        self.endInsertRows()
        if len(self._items) > MAX_ROWS:  # let the newest go; they come back on scrolling down
            keep = MAX_ROWS
            if self._items[keep - 1]["kind"] == "day":
                keep -= 1  # a separator with none of its messages left goes too
            self.beginRemoveRows(QModelIndex(), keep, len(self._items) - 1)
            del self._items[keep:]
            self.endRemoveRows()
            self.has_newer = True
            last = self._last_message()
            self._newest_id = last["id"] if last is not None else self._oldest_id
        return len(rows)

    def load_newer(self) -> int:
        """Append the page after the last loaded message; returns rows removed at the top."""
        last = self._last_message()
        if self.conversation_id is None or self._newest_id is None or not self.has_newer:
            return 0
        newer: list[dict[str, Any]] = []
        while not newer and self.has_newer:
            raw = self.history.messages_after(self.conversation_id, self._newest_id, PAGE)
            self.has_newer = len(raw) == PAGE
            newer = self._enrich(raw)
        if not newer:
            return 0
        rows = self._with_days(newer, last)
        at = len(self._items)
        self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
        self._items.extend(rows)
        self.endInsertRows()
        removed = 0
        if len(self._items) > MAX_ROWS:
            removed = len(self._items) - MAX_ROWS
            self.beginRemoveRows(QModelIndex(), 0, removed - 1)
            del self._items[:removed]
            self.endRemoveRows()
            self.has_older = True
            first_left = self._first_message()
            self._oldest_id = first_left["id"] if first_left is not None else self._newest_id
            first = self._items[0] if self._items else None
            if first is not None and first["kind"] != "day":
                # The cut fell inside a day: its separator goes back on top.
                self.beginInsertRows(QModelIndex(), 0, 0)
                self._items[0:0] = self._with_days([first], None)[:1]
                self.endInsertRows()
                removed -= 1
        return removed

    def row_of(self, message_id: int) -> int:
        for i in range(len(self._items) - 1, -1, -1):
            if self._items[i].get("id") == message_id:
                return i
        return -1

    # -- following changes ------------------------------------------------------------------

    def apply(self, added: tuple[int, ...], updated: tuple[int, ...], touched: bool) -> None:
        if self.conversation_id is None:
            return
        mine = [i for i in added if conversation_of(i) == self.conversation_id]
        if self.has_newer:
            if any(self._sent_here(i) for i in mine):
                # Writing while reading far back brings the thread to the bottom, as in WhatsApp.
                self.open(self.conversation_id)
                return
            mine = []  # the window is far back; new messages load on scrolling down
        last = self._last_message()
        for message_id in sorted(mine):
            if self.row_of(message_id) >= 0:
                continue
            found = self.history.message(message_id)
            if found is None:
                continue
            shown = self._enrich([found])
            if not shown:  # a reaction: it shows under its message
                continue
            message = shown[0]
            if last is not None and message_id < last["id"]:
                self.open(self.conversation_id)  # arrived out of order: rebuild the window
                return
            rows = self._with_days([message], last)
            at = len(self._items)
            self.beginInsertRows(QModelIndex(), at, at + len(rows) - 1)
            self._items.extend(rows)
            self.endInsertRows()
            last = message
        for message_id in updated:
            if conversation_of(message_id) != self.conversation_id:
                continue
            self.refresh_message(message_id)
        if touched:
            self.refresh_reactions()

    def _sent_here(self, message_id: int) -> bool:
        """Whether this desktop's attendant just sent the message (it waits in the outbox)."""
        found = self.history.message(message_id)
        return (
            found is not None
            and found["direction"] == "out"
            and found["status"] == "pending"
            and found["type"] not in UNSHOWN
        )

    def refresh_message(self, message_id: int) -> None:
        row = self.row_of(message_id)
        found = self.history.message(message_id) if row >= 0 else None
        shown = self._enrich([found]) if found is not None else []
        if not shown:
            return
        self._items[row] = shown[0]
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def templates_known(self, templates: list[dict[str, Any]]) -> None:
        """The approved templates were fetched again: sent templates re-read their text."""
        self._templates = templates
        for row, item in enumerate(self._items):
            if item.get("kind") == "message" and item.get("type") == "template":
                item["template"] = filled(item["item"], templates)
                self.dataChanged.emit(self.index(row), self.index(row))

    def refresh_reactions(self) -> None:
        messages = [i for i in self._items if i["kind"] == "message" and i["wamid"]]
        reactions = self._reactions([m["wamid"] for m in messages])
        for m in messages:
            now = reactions.get(m["wamid"], [])
            if now != m["reactions"]:
                m["reactions"] = now
                index = self.index(self.row_of(m["id"]))
                self.dataChanged.emit(index, index)
