"""The conversation list as a Qt model: every row of the current view, newest first.

Rows come from one SQL query per view (10,000 conversations load in tens of
milliseconds); afterwards only the conversations a change names are read
again and moved to their new place, so the list never resets under traffic
and the selection follows its conversation. While the attendant points at
the list, rows keep their places (:meth:`ConversationListModel.hold`) so a
click opens the customer aimed at.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.domain.window import window_state
from crm_whatsapp.store.history import History
from crm_whatsapp.ui.previews import preview_line

Index = QModelIndex | QPersistentModelIndex
LIMIT = 100_000


class Role(IntEnum):
    Row = Qt.ItemDataRole.UserRole + 1
    Id = Qt.ItemDataRole.UserRole + 2


def _sort_key(row: dict[str, Any]) -> tuple[int, float, int]:
    # Pinned first, then descending order, as an ascending key for bisect (as the SQL orders).
    return (0 if row.get("pinned") else 1, -(row["last_message_at"] or 0.0), -row["id"])


class ConversationListModel(QAbstractListModel):
    def __init__(self, history: History, me: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.history = history
        self.me = me
        self.view = "all"
        self.status: str | None = "open"
        self.label: str | None = None  # only conversations carrying this palette label
        self.only_contacts: list[int] | None = None  # a search narrowed the list
        # Counts whole reloads: rows read before one are not of the list shown after it.
        self.generation = 0
        self._rows: list[dict[str, Any]] = []
        self._keys: list[tuple[int, float, int]] = []
        self._rearranging = False
        # While held (the pointer is over the list), rows change in place but do not
        # move, appear or go: those conversations wait here for release().
        self._held = False
        self._pending: set[int] = set()
        # The clock the 24-hour windows are shown at: moved by tick() each
        # minute; a row's window is recomputed when it is next shown.
        self._now = time.time()

    # -- Qt model interface --------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row["name"] or display_phone(row["wa_id"]) or row["user_id"]
        if role == Role.Row:
            if row["window_at"] < self._now:
                row["window"] = window_state(row["last_inbound_at"], self._now)
                row["window_at"] = self._now
            return row
        if role == Role.Id:
            return row["id"]
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return row["preview"] or ""
        return None

    @property
    def rearranging(self) -> bool:
        """True while rows are added, moved or dropped for a change the attendant did not make.

        A view moves its current row when that row goes away; the window reads
        this to tell such a move from the attendant's own choice, and opens
        nothing for it.
        """
        return self._rearranging

    # -- loading and following changes ------------------------------------------------------

    def set_filter(
        self,
        view: str | None = None,
        status: str | None = "",
        contacts: list[int] | None = None,
        label: str | None = "",
    ) -> None:
        if view is not None:
            self.view = view
        if label != "":
            self.label = label
        if status != "":
            self.status = status
        self.only_contacts = contacts
        self.reload()

    def _query(self, ids: list[int] | None = None) -> list[dict[str, Any]]:
        return self.reader(ids)()

    def reader(self, ids: list[int] | None = None) -> Callable[[], list[dict[str, Any]]]:
        """A read of this view's rows (only ``ids``, when given) that may run on any thread.

        It holds the filter's values as they are now, not the model: a
        worker thread must not touch Qt objects.
        """
        return self._reader(ids, self.only_contacts)

    def search_reader(self, contacts: list[int] | None) -> Callable[[], list[dict[str, Any]]]:
        """Like :meth:`reader`, for the whole view narrowed to a search's ``contacts``."""
        return self._reader(None, contacts)

    def _reader(
        self, ids: list[int] | None, only: list[int] | None
    ) -> Callable[[], list[dict[str, Any]]]:
        history, view, me, status, label = self.history, self.view, self.me, self.status, self.label

        def read() -> list[dict[str, Any]]:
            rows = history.reader.conversations(
                LIMIT, view=view, me=me, status=status, ids=ids, contact_ids=only, label=label
            )
            now = time.time()
            for row in rows:
                row["window"] = window_state(row["last_inbound_at"], now)
                row["window_at"] = now
                row["preview"] = preview_line(row)
            return rows

        return read

    @property
    def held_changes(self) -> bool:
        """Whether conversations wait to move, appear or go until :meth:`release`."""
        return bool(self._pending)

    def hold(self) -> None:
        """Keep every row where it is (the attendant is aiming at one); contents still update.

        Mail clients do the same: a row that moves under the pointer between
        aiming and clicking opens another customer's conversation.
        """
        self._held = True

    def release(self) -> None:
        """Let rows move again, and put the conversations that waited in their places."""
        self._held = False
        pending, self._pending = self._pending, set()
        self.refresh(pending)

    def reload(self) -> None:
        self.show_rows(self._query(), self.only_contacts)

    def show_rows(self, rows: list[dict[str, Any]], contacts: list[int] | None) -> None:
        """Show these rows (read by :meth:`reader`) as the whole list, narrowed to ``contacts``."""
        self.only_contacts = contacts
        self.generation += 1
        self._pending.clear()
        self._rearranging = True
        try:
            self.beginResetModel()
            self._rows = rows
            self._keys = [_sort_key(r) for r in rows]
            self.endResetModel()
        finally:
            self._rearranging = False

    def row_of(self, conversation_id: int) -> int:
        for i, row in enumerate(self._rows):
            if row["id"] == conversation_id:
                return i
        return -1

    def refresh(self, conversation_ids: set[int] | frozenset[int]) -> None:
        """Re-read these conversations and move, add or drop their rows."""
        if not conversation_ids:
            return
        self.place(conversation_ids, self._query(sorted(conversation_ids)))

    def place(
        self, conversation_ids: set[int] | frozenset[int], rows: list[dict[str, Any]]
    ) -> None:
        """Move, add or drop these conversations' rows to match ``rows``, read just now.

        ``rows`` are what :meth:`reader` found of them in this view (a
        conversation missing from it left the view).
        """
        fresh = {r["id"]: r for r in rows}
        self._rearranging = True
        try:
            self._place(conversation_ids, fresh)
        finally:
            self._rearranging = False

    def _place(
        self, conversation_ids: set[int] | frozenset[int], fresh: dict[int, dict[str, Any]]
    ) -> None:
        """Move, add or drop each conversation's row to match its fresh copy (or its absence)."""
        for conversation_id in conversation_ids:
            old = self.row_of(conversation_id)
            row = fresh.get(conversation_id)
            if self._held and self._would_move(old, row):
                self._pending.add(conversation_id)
                if old >= 0 and row is not None:
                    self._rows[old] = row  # new content, old place (its key stays the old one)
                    self.dataChanged.emit(self.index(old), self.index(old))
                continue
            if row is None:
                if old >= 0:
                    self.beginRemoveRows(QModelIndex(), old, old)
                    del self._rows[old], self._keys[old]
                    self.endRemoveRows()
                continue
            key = _sort_key(row)
            if old < 0:
                at = bisect.bisect_left(self._keys, key)
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.insert(at, row)
                self._keys.insert(at, key)
                self.endInsertRows()
                continue
            at = bisect.bisect_left(self._keys[:old] + self._keys[old + 1 :], key)
            if at != old:
                # Qt numbers the destination before the move.
                destination = at if at < old else at + 1
                self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), destination)
                self._rows.insert(at, self._rows.pop(old))
                self._keys.insert(at, self._keys.pop(old))
                self.endMoveRows()
                old = at
            self._rows[old] = row
            self._keys[old] = key
            index = self.index(old)
            self.dataChanged.emit(index, index)

    def _would_move(self, old: int, row: dict[str, Any] | None) -> bool:
        """Whether placing ``row`` (None: it left the view) adds, drops or moves a row."""
        if old < 0 or row is None:
            return old >= 0 or row is not None
        others = self._keys[:old] + self._keys[old + 1 :]
        return bisect.bisect_left(others, _sort_key(row)) != old

    def tick(self) -> None:
        """Time passed without events: the 24-hour windows move on.

        Nothing in the rows changed, only the clock they are shown at: a
        row's window is recomputed when it is next shown, and the view just
        repaints. (Announcing it with ``dataChanged`` made QListView lay out
        all 10,000 rows again, a ~100 ms stall every minute.)
        """
        self._now = time.time()
