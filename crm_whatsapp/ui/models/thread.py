"""One conversation's messages as a Qt model: a window over the history.

The thread opens on its newest page; older pages are prepended as the
attendant scrolls up (the view keeps its place), so a 100,000-message chat
opens as fast as a short one. Day separators are rows of their own. Changes
from the sync client and the outbox update single rows, never the whole
model.
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
from crm_whatsapp.store.history import History
from crm_whatsapp.store.keys import conversation_of

Index = QModelIndex | QPersistentModelIndex
PAGE = 20
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

    def _enrich(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        wamids = [m["wamid"] for m in messages if m["wamid"]]
        reactions = self.history.reactions(wamids)
        quoted_ids = {m["reply_to"] for m in messages if m["reply_to"]}
        quoted = {}
        for wamid in quoted_ids:
            found = self.history.message_by_wamid(wamid)
            if found:
                quoted[wamid] = found
        failed = [m["id"] for m in messages if m["status"] == "failed"]
        reasons = self.history.send_errors(failed)
        for m in messages:
            m["kind"] = "message"
            m["item"] = payload_item(m["payload"])
            found = reactions.get(m["wamid"], []) if m["wamid"] else []
            m["reactions"] = [e for e in found if isinstance(e, str) and e]
            m["quoted"] = quoted.get(m["reply_to"]) if m["reply_to"] else None
            m["error_name"] = reasons.get(m["id"])
        return messages

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
        self.beginResetModel()
        self.conversation_id = conversation_id
        self._items = []
        self.has_older = False
        self.has_newer = False
        if conversation_id is not None:
            messages = self._enrich(self.history.messages(conversation_id, limit=PAGE))
            self.has_older = len(messages) == PAGE
            self._items = self._with_days(messages, None)
        self.endResetModel()

    def _first_message(self) -> dict[str, Any] | None:
        return next((i for i in self._items if i["kind"] == "message"), None)

    def _last_message(self) -> dict[str, Any] | None:
        return next((i for i in reversed(self._items) if i["kind"] == "message"), None)

    def load_older(self) -> int:
        """Prepend the page before the first loaded message; returns rows added."""
        first = self._first_message()
        if self.conversation_id is None or first is None or not self.has_older:
            return 0
        older = self._enrich(self.history.messages(self.conversation_id, PAGE, first["id"]))
        self.has_older = len(older) == PAGE
        if not older:
            return 0
        rows = self._with_days(older, None)
        # The first loaded day's separator stays if the day differs, else it moves up.
        if (
            self._items
            and self._items[0]["kind"] == "day"
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
        return len(rows)

    def load_newer(self) -> int:
        """Append the page after the last loaded message; returns rows removed at the top."""
        last = self._last_message()
        if self.conversation_id is None or last is None or not self.has_newer:
            return 0
        newer = self._enrich(self.history.messages_after(self.conversation_id, last["id"], PAGE))
        self.has_newer = len(newer) == PAGE
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
            first = self._items[0] if self._items else None
            if first is not None and first["kind"] == "message":
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
            mine = []  # the window is far back; new messages load on scrolling down
        last = self._last_message()
        for message_id in sorted(mine):
            if self.row_of(message_id) >= 0:
                continue
            found = self.history.message(message_id)
            if found is None:
                continue
            message = self._enrich([found])[0]
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
        if touched and not mine and not updated:
            self.refresh_reactions()

    def refresh_message(self, message_id: int) -> None:
        row = self.row_of(message_id)
        found = self.history.message(message_id) if row >= 0 else None
        if found is None:
            return
        self._items[row] = self._enrich([found])[0]
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def refresh_reactions(self) -> None:
        messages = [i for i in self._items if i["kind"] == "message" and i["wamid"]]
        reactions = self.history.reactions([m["wamid"] for m in messages])
        for m in messages:
            now = reactions.get(m["wamid"], [])
            if now != m["reactions"]:
                m["reactions"] = now
                index = self.index(self.row_of(m["id"]))
                self.dataChanged.emit(index, index)
