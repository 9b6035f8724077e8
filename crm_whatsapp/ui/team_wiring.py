"""The window's team features beyond single actions: who is online, palette, counts, pins.

* The roster: the colleagues the relay knows and who is online
  (``GET /v1/team``), asked when the window starts, every
  :data:`ROSTER_EVERY` ms and whenever the assign menu opens; the menu
  follows the answer.
* The palette, the counts on the tabs and the status filter, and when the
  next snoozed conversation wakes: one read off the window's thread
  (``ui.background``) after every batch of changes and every change of
  filter. The counts are one grouped query (``store.team_view``).
* The label filter under the status filter, and a sentence where a view is
  empty.
* This attendant's own marks: pin (at most three) and "mark as unread",
  cleared when the conversation is opened again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QListView, QMenu, QTabBar, QWidget

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.session import Changes, InboxSession, SessionError
from crm_whatsapp.store import personal
from crm_whatsapp.store.team_view import Counts, Label, count_table, next_wake, palette, total
from crm_whatsapp.ui.background import BackgroundReads
from crm_whatsapp.ui.models.conversations import ConversationListModel, Role
from crm_whatsapp.ui.swatches import dot
from crm_whatsapp.ui.team_actions import TeamActions
from crm_whatsapp.ui.widgets.header import ThreadHeader

log = logging.getLogger("crm_whatsapp.ui.team_wiring")
ROSTER_EVERY = 20_000
CHANNEL = "team-view"
VIEW_NAMES = (
    QT_TRANSLATE_NOOP("MainWindow", "Minhas"),
    QT_TRANSLATE_NOOP("MainWindow", "Sem responsável"),
)
VIEW_NAMES += (
    QT_TRANSLATE_NOOP("MainWindow", "Todas"),
    QT_TRANSLATE_NOOP("MainWindow", "Não lidas"),
)
STATUS_NAMES = {
    "open": QT_TRANSLATE_NOOP("MainWindow", "Abertas"),
    "pending": QT_TRANSLATE_NOOP("MainWindow", "Pendentes"),
    "snoozed": QT_TRANSLATE_NOOP("MainWindow", "Adiadas"),
    "resolved": QT_TRANSLATE_NOOP("MainWindow", "Resolvidas"),
    None: QT_TRANSLATE_NOOP("MainWindow", "Todas as situações"),
}
EMPTY = {
    "mine": QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa atribuída a você."),
    "unassigned": QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa sem responsável."),
    "unread": QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa não lida."),
}
EMPTY_STATUS = {
    "open": QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa aberta."),
    "pending": QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa pendente."),
    "snoozed": QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa adiada."),
    "resolved": QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa resolvida."),
    None: QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa ainda."),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class EmptyView(QLabel):
    """The sentence over an empty list, filling the list's viewport as it resizes."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__(viewport)
        self.setObjectName("emptyView")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.hide()
        viewport.installEventFilter(self)

    def fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect().adjusted(16, 16, -16, -16))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.fit()
        return False


@dataclass(frozen=True)
class TeamView:
    """What one read found: the palette, the counts per status, the next wake."""

    palette: list[Label]
    table: dict[str, Counts]
    wake: float | None


class TeamWiring(QObject):
    """Roster, palette, counts, empty views, label filter and personal marks for one window."""

    list_stale = Signal()  # a snoozed conversation woke, or a filter changed: reload the list
    shown = Signal()  # the counts and palette on screen are the latest read (tests wait on it)

    def __init__(
        self,
        parent: QWidget,
        session: InboxSession,
        *,
        reads: BackgroundReads,
        header: ThreadHeader,
        team_actions: TeamActions,
        list_model: ConversationListModel,
        list_view: QListView,
        view_tabs: QTabBar,
        status_filter: QComboBox,
        current: Callable[[], int | None],
        close_current: Callable[[], None],
        status: Callable[[str, int], None],
        problem: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.reads = reads
        self.header = header
        self.actions = team_actions
        self.list_model = list_model
        self.list_view = list_view
        self.view_tabs = view_tabs
        self.status_filter = status_filter
        self._current = current
        self._close_current = close_current
        self._status = status
        self._problem = problem
        self.roster: list[dict[str, Any]] = []
        self.palette: list[Label] = []
        self.table: dict[str, Counts] = {}
        self._roster_task: asyncio.Task[None] | None = None

        self.label_filter = QComboBox(parent)
        self.label_filter.setObjectName("labelFilter")
        layout = status_filter.parentWidget().layout()
        layout.insertWidget(layout.indexOf(status_filter) + 1, self.label_filter)  # type: ignore[attr-defined]
        self.label_filter.activated.connect(self._label_chosen)
        self.empty = EmptyView(list_view.viewport())
        self.wake_timer = QTimer(self)
        self.wake_timer.setSingleShot(True)
        self.wake_timer.timeout.connect(self._woke)
        self.roster_timer = QTimer(self)
        self.roster_timer.setInterval(ROSTER_EVERY)
        self.roster_timer.timeout.connect(self.refresh_roster)

        for signal in (
            list_model.modelReset,
            list_model.rowsInserted,
            list_model.rowsRemoved,
        ):
            signal.connect(self._show_empty)
        view_tabs.currentChanged.connect(self.refresh)
        status_filter.currentIndexChanged.connect(self.refresh)
        header.roster_wanted.connect(self.refresh_roster)
        header.label_toggled.connect(team_actions.toggle_label)
        header.manage_labels.connect(lambda: team_actions.manage_labels(self.palette))
        header.snooze_chosen.connect(team_actions.snooze)
        header.snooze_pick.connect(team_actions.pick_snooze)
        header.mark_unread.connect(lambda: self.mark_unread())
        header.pin_toggled.connect(lambda on: self.pin(on))
        team_actions.announced.connect(lambda sentence: status(sentence, 8_000))
        list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        list_view.customContextMenuRequested.connect(self._list_menu)
        self.list_menu: QMenu | None = None

    def start(self) -> None:
        self.refresh()
        self.refresh_roster()
        self.roster_timer.start()

    def stop(self) -> None:
        for timer in (self.wake_timer, self.roster_timer):
            timer.stop()
        if self._roster_task is not None:
            self._roster_task.cancel()

    # -- who is online -----------------------------------------------------------------------

    def refresh_roster(self) -> None:
        if self._roster_task is None or self._roster_task.done():
            self._roster_task = spawn(self._fetch_roster(), "team-roster")

    async def _fetch_roster(self) -> None:
        try:
            roster = await self.session.team_list()
        except SessionError:
            log.info("the team list could not be read (offline?); the last one stays")
            return
        if shiboken6.isValid(self):
            self.roster = roster
            self.header.set_roster(roster)

    # -- palette, counts, wakes ------------------------------------------------------------------

    def refresh(self, *_: Any) -> None:
        """Read palette, counts and the next wake off the window's thread."""
        engine, me, label = self.session.history.engine, self.session.me, self.list_model.label

        def read() -> TeamView:
            return TeamView(palette(engine), count_table(engine, me, label), next_wake(engine))

        self.reads.run(CHANNEL, read, self._show)

    def _show(self, view: TeamView) -> None:
        if view.palette != self.palette:
            self.palette = view.palette
            self.header.set_palette(view.palette)
            delegate = self.list_view.itemDelegate()
            delegate.colours = {x.name: x.color for x in view.palette}  # type: ignore[attr-defined]
            self.list_view.viewport().update()
        self.table = view.table
        self._fill_label_filter()
        self.retranslate()
        if view.wake is not None:
            wait = max(0.0, view.wake - time.time())
            self.wake_timer.start(int(min(wait, 86_400.0) * 1000) + 500)
        else:
            self.wake_timer.stop()
        self.shown.emit()

    def _woke(self) -> None:
        """A snoozed conversation's time came: it is back in the open views."""
        self.list_stale.emit()
        self.refresh()

    def retranslate(self) -> None:
        """Tabs and status filter in the window's language, with their counts."""
        status = self.status_filter.currentData()
        counts = total(self.table, status)
        for index, (name, view) in enumerate(
            zip(VIEW_NAMES, ("mine", "unassigned", "all", "unread"), strict=True)
        ):
            number = counts.of(view)
            text = _tr(name)
            self.view_tabs.setTabText(index, f"{text} ({number})" if number else text)
        view = self.list_model.view
        for index in range(self.status_filter.count()):
            value = self.status_filter.itemData(index)
            text = _tr(STATUS_NAMES.get(value, ""))
            number = total(self.table, value).of(view)
            self.status_filter.setItemText(index, f"{text} ({number})" if number else text)
        self.label_filter.setItemText(0, _tr(QT_TRANSLATE_NOOP("MainWindow", "Todas as etiquetas")))
        self._show_empty()

    def _fill_label_filter(self) -> None:
        chosen = self.list_model.label
        names = [x.name for x in self.palette]
        if chosen and chosen not in names:
            names.append(chosen)  # deleted meanwhile: still shown while chosen
        combo = self.label_filter
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(_tr(QT_TRANSLATE_NOOP("MainWindow", "Todas as etiquetas")), None)
            colours = {x.name: x.color for x in self.palette}
            for name in names:
                combo.addItem(dot(colours.get(name, "#8696A0")), name, name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
        finally:
            combo.blockSignals(False)

    def _label_chosen(self, index: int) -> None:
        label = self.label_filter.itemData(index)
        if label != self.list_model.label:
            self.list_model.label = label
            self.list_stale.emit()
            self.refresh()

    # -- the empty view ------------------------------------------------------------------------

    def empty_sentence(self) -> str:
        model = self.list_model
        if model.only_contacts is not None:
            return _tr(QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa encontrada."))
        if model.label:
            return _tr(
                QT_TRANSLATE_NOOP("MainWindow", "Nenhuma conversa com a etiqueta {0}.")
            ).format(model.label)
        if model.view in EMPTY:
            return _tr(EMPTY[model.view])
        return _tr(EMPTY_STATUS.get(model.status, EMPTY_STATUS[None]))

    def _show_empty(self, *_: Any) -> None:
        empty = self.list_model.rowCount() == 0
        if empty:
            self.empty.setText(self.empty_sentence())
            self.empty.fit()
        self.empty.setVisible(empty)

    # -- this attendant's own marks ------------------------------------------------------------

    def _list_menu(self, pos: QPoint) -> None:
        menu = self.menu_at(pos)
        if menu is not None:
            menu.popup(self.list_view.viewport().mapToGlobal(pos))

    def menu_at(self, pos: QPoint) -> QMenu | None:
        """Right-click on a conversation, as on WhatsApp: unread mark and pin, for that one."""
        index = self.list_view.indexAt(pos)
        row = index.data(Role.Row) if index.isValid() else None
        if row is None:
            return None
        conversation_id = int(row["id"])
        menu = QMenu(self.list_view)
        menu.addAction(
            _tr(QT_TRANSLATE_NOOP("MainWindow", "Marcar como não lida")),
            lambda: self.mark_unread(conversation_id),
        )
        pinned = bool(row.get("pinned"))
        menu.addAction(
            _tr(QT_TRANSLATE_NOOP("MainWindow", "Desafixar conversa"))
            if pinned
            else _tr(QT_TRANSLATE_NOOP("MainWindow", "Fixar conversa")),
            lambda: self.pin(not pinned, conversation_id),
        )
        self.list_menu = menu
        return menu

    def mark_unread(self, conversation_id: int | None = None) -> None:
        """The unread dot comes back; an open thread closes so the mark stays until reopened."""
        if conversation_id is None:
            conversation_id = self._current()
        if conversation_id is None:
            return
        if conversation_id == self._current():
            self._close_current()
        spawn(self._personal(conversation_id, personal.mark_unread, True), "mark-unread")

    def opened(self, conversation_id: int) -> None:
        """Opening a conversation clears the attendant's own unread mark."""
        row = self.list_model.row_of(conversation_id)
        item = self.list_model.index(row).data(Role.Row) if row >= 0 else None
        if item is not None and item.get("marked_unread"):
            spawn(self._personal(conversation_id, personal.mark_unread, False), "mark-read")

    def pin(self, on: bool, conversation_id: int | None = None) -> None:
        if conversation_id is None:
            conversation_id = self._current()
        if conversation_id is not None:
            spawn(self._personal(conversation_id, personal.pin, on), "pin")

    async def _personal(self, conversation_id: int, change: Callable[..., None], on: bool) -> None:
        writer = self.session.history.writer
        try:
            await asyncio.to_thread(change, writer, conversation_id, on)
        except personal.TooManyPinned:
            self._problem(_tr(QT_TRANSLATE_NOOP("MainWindow", "Você pode fixar até 3 conversas.")))
            return
        self.session.changed.emit(Changes(frozenset({conversation_id})))
