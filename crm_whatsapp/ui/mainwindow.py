"""The inbox window: the composition of list, thread, composer, side panel and status bar.

It holds no business rules: it shows the models, forwards the attendant's
actions to the :class:`InboxSession`, and redraws what the session's
``changed`` signal names. Each job beyond that has its own module:
``window_layout`` (the widgets and where they sit), ``search`` (the search
box over the list), ``jump`` (Ctrl+K), ``media_files`` (opening and saving
received media), ``team_actions`` (assign, transfer, notes, labels),
``tray`` (tray icon and notifications) and ``settings_wiring``
(preferences and retention).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
)

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.copilot.office import open_copilot
from crm_whatsapp.domain import phones
from crm_whatsapp.domain.chat_link import ChatRequest
from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.domain.richtext import escape_rich, rich
from crm_whatsapp.domain.window import window_state
from crm_whatsapp.session import Changes, InboxSession, SessionError
from crm_whatsapp.settings import Preferences
from crm_whatsapp.store.history import History
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.attach_dialog import Attachments
from crm_whatsapp.ui.background import BackgroundReads
from crm_whatsapp.ui.copilot_wiring import CopilotWiring
from crm_whatsapp.ui.crm_wiring import CrmWiring
from crm_whatsapp.ui.jump import JumpDialog
from crm_whatsapp.ui.keys_wiring import KeysWiring
from crm_whatsapp.ui.latest_button import LatestButton
from crm_whatsapp.ui.links import open_link
from crm_whatsapp.ui.media_files import MediaFiles
from crm_whatsapp.ui.models.conversations import Role as ListRole
from crm_whatsapp.ui.previews import preview_line
from crm_whatsapp.ui.resources import app_icon, icon
from crm_whatsapp.ui.search import ListSearch
from crm_whatsapp.ui.search_results import MessageJump
from crm_whatsapp.ui.settings_wiring import SettingsWiring
from crm_whatsapp.ui.team_actions import TeamActions
from crm_whatsapp.ui.team_wiring import TeamWiring
from crm_whatsapp.ui.template_texts import TemplateTexts
from crm_whatsapp.ui.tray import Tray
from crm_whatsapp.ui.update_offer import UpdateOffer
from crm_whatsapp.ui.window_layout import STATUSES, VIEWS, build_layout

log = logging.getLogger("crm_whatsapp.ui.mainwindow")
# How long a pointer resting on the list may hold its order while changes wait.
LIST_HOLD_MS = 10_000
REACTIONS = ("👍", "❤️", "😂", "😮", "😢", "🙏")
# Tab and filter indexes that show every conversation.
ALL_VIEW, ALL_STATUSES = 2, STATUSES.index(None)


def conversation_row(history: History, conversation_id: int) -> dict[str, Any] | None:
    """One conversation's list row with its 24-hour window as of now (any thread)."""
    rows = history.conversations(1, ids=[conversation_id])
    if rows:
        rows[0]["window"] = window_state(rows[0]["last_inbound_at"], time.time())
    return rows[0] if rows else None


@dataclass
class _Waiting:
    """Changes the session named that the window has not re-read yet, gathered."""

    conversations: set[int] = field(default_factory=set)
    incoming: dict[int, None] = field(default_factory=dict)  # ordered, each once
    quick_replies: bool = False

    def add(self, changes: Changes) -> None:
        self.conversations |= changes.conversations
        self.incoming.update(dict.fromkeys(changes.incoming))
        self.quick_replies = self.quick_replies or changes.quick_replies

    def __bool__(self) -> bool:
        return bool(self.conversations or self.incoming or self.quick_replies)


@dataclass(frozen=True)
class ChangesRead:
    """What the window redraws after a batch of changes, read off its thread."""

    generation: int  # the list's generation the rows were read for
    conversations: frozenset[int]
    list_rows: list[dict[str, Any]]
    current: int | None  # the open conversation, when the changes named it
    current_row: dict[str, Any] | None
    incoming: tuple[int, ...]
    incoming_rows: dict[int, dict[str, Any]]
    quick_replies: list[tuple[str, str]] | None
    unread: int


def read_changes(
    history: History,
    list_read: Callable[[], list[dict[str, Any]]],
    waiting: _Waiting,
    current: int | None,
    generation: int,
) -> Callable[[], ChangesRead]:
    """The read behind :meth:`MainWindow.on_changed`, made on the GUI thread, run on any."""
    incoming = tuple(waiting.incoming)
    conversations = frozenset(waiting.conversations)
    quick = waiting.quick_replies

    def read() -> ChangesRead:
        rows = history.conversations(len(incoming), ids=incoming) if incoming else []
        return ChangesRead(
            generation=generation,
            conversations=conversations,
            list_rows=list_read() if conversations else [],
            current=current,
            current_row=conversation_row(history, current) if current is not None else None,
            incoming=incoming,
            incoming_rows={r["id"]: r for r in rows},
            quick_replies=history.quick_replies() if quick else None,
            unread=history.unread_total(),
        )

    return read


class MainWindow(QMainWindow):
    notified = Signal(int, str, str)  # conversation, title, text (also shown by the tray)
    conversation_opened = Signal(int)
    chat_opened = Signal(int)  # a click-to-chat request was opened (its conversation)
    closed = Signal()
    preferences_applied = Signal(object)
    changes_shown = Signal()  # the list, header and badges show what the session last named

    def __init__(
        self,
        session: InboxSession,
        theme: str = "light",
        sound: bool = True,
        preferences: Preferences | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.current: int | None = None
        self._connection_state = "connecting"
        self._sync_trouble = ""  # the kind of a failure that keeps the sync stuck
        self._retranslate_due = False
        self._stick = True  # the thread follows new messages while scrolled to the bottom
        self._prepending = False  # a page is loading: scrolling is the loader's, not the reader's
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)

        parts = build_layout(self, session, theme)
        self.search_box = parts.search_box
        self.settings_button = parts.settings_button
        self.view_tabs = parts.view_tabs
        self.status_filter = parts.status_filter
        self.list_model = parts.list_model
        self.list_view = parts.list_view
        self.header = parts.header
        self.thread_model = parts.thread_model
        self.thread_view = parts.thread_view
        self.bubbles = parts.bubbles
        self.thumbnails = parts.thumbnails
        self.voice = parts.voice
        self.copilot_bar = parts.copilot_bar
        self.composer = parts.composer
        self.side_panel = parts.side_panel
        self.side_layout = parts.side_layout
        self.contact_card = parts.contact_card
        self.connection_label = parts.connection_label
        self.progress_bar = parts.progress_bar
        self.connection_banner = parts.connection_banner
        self.search_results = parts.search_results
        self.message_jump = MessageJump(self.thread_model, self.thread_view)
        self.latest_button = LatestButton(self.thread_model, self.thread_view)
        self.template_texts = TemplateTexts(session, self.thread_model, self)

        # Reads that follow typing and arriving events run off this thread (ui/background).
        self.reads = BackgroundReads(self)
        self._waiting = _Waiting()  # changes named while a refresh read runs
        self._refreshing = False
        self._leaving: int | None = None  # its status changed: close it if it left the view
        self._unread = session.history.unread_total()
        self.reads.run("warm-up", phones.warm_up, lambda _done: None)
        self.search = ListSearch(
            self.search_box, session.history, self.list_model, self.reads, self._reselect
        )
        self.media_files = MediaFiles(
            self,
            session.media,
            self.thumbnails,
            status=self.show_status,
            problem=self.show_problem,
            repaint=self._repaint_message,
        )
        self.attachments = Attachments(  # the preview before files go out; voice notes
            self,
            session,
            current=lambda: self.current,
            sent=self._replied,
            problem=self.show_problem,
        )
        self.attachments.accept_drops_on(self.thread_view.viewport())
        self.team_actions = TeamActions(
            self,
            session,
            current=lambda: self.current,
            current_row=self.current_row,
            problem=self.show_problem,
        )
        self.team = TeamWiring(
            self,
            session,
            reads=self.reads,
            header=self.header,
            team_actions=self.team_actions,
            list_model=self.list_model,
            list_view=self.list_view,
            view_tabs=self.view_tabs,
            status_filter=self.status_filter,
            current=lambda: self.current,
            close_current=lambda: self.show_conversation(None),
            status=self.show_status,
            problem=self.show_problem,
        )
        self.settings = SettingsWiring(
            self,
            session,
            preferences or Preferences(sound=sound),
            quick_replies=session.history.quick_replies,
            save_quick_reply=self.team_actions.save_quick_reply,
            status=self.show_status,
            problem=self.show_problem,
        )
        self.tray = Tray(self)
        self.copilot = CopilotWiring(
            self,
            open_copilot(session.workspace, templates=session.templates),
            self.copilot_bar,
            self.composer,
            current=lambda: self.current,
            enabled=lambda: self.preferences.copilot_enabled,
            open_template=self.choose_template,
            add_note=lambda cid, text: spawn(
                self.team_actions.run(cid, "note", {"text": text}), "team-note"
            ),
            save_quick_reply=self.team_actions.save_quick_reply,
            status=self.show_status,
            problem=self.show_problem,
        )
        self.crm = CrmWiring(
            self,
            session.workspace,
            self.side_layout,
            self.header.crm_button,
            current=lambda: self.current,
            add_note=lambda cid, text: spawn(
                self.team_actions.run(cid, "note", {"text": text}), "team-note"
            ),
            problem=self.show_problem,
            me=lambda: self.session.me,
        )

        self.keys_wiring = KeysWiring(self, session)  # a new code when refused; audit entries
        self.updates = UpdateOffer(self, lambda: self.preferences, self.show_problem)
        self._wire()
        self._shortcuts()
        self.retranslate()
        self.view_tabs.setCurrentIndex(ALL_VIEW)
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)  # window countdowns move without events
        self._clock.timeout.connect(self._minute_passed)
        self._clock.start()
        self.settings.start()
        self.copilot.start()
        self.team.start()
        self.updates.start()  # signed update checks, offered in the status bar
        # Rows hold still under the pointer; a pointer parked on the list holds them
        # for at most LIST_HOLD_MS, so new customers still reach the top.
        self.list_hold = QTimer(self)
        self.list_hold.setSingleShot(True)
        self.list_hold.setInterval(LIST_HOLD_MS)
        self.list_hold.timeout.connect(self._release_list)
        self.list_view.viewport().installEventFilter(self)
        self.refresh_quick_replies()
        self.show_conversation(None)

    @property
    def preferences(self) -> Preferences:
        return self.settings.preferences

    @property
    def sound(self) -> bool:
        return self.preferences.sound

    @property
    def notifications(self) -> bool:
        return self.preferences.notifications

    # -- wiring ------------------------------------------------------------------------------

    def _wire(self) -> None:
        s = self.session
        s.changed.connect(self.on_changed)
        s.connection.connect(self.on_connection)
        s.trouble.connect(self.on_sync_trouble)
        s.progress.connect(self.on_progress)
        s.problem.connect(self.show_problem)
        self.connection_banner.retry.connect(s.sync.retry_now)
        self.search.hits.connect(self.search_results.show_hits)
        self.search_results.chosen.connect(self.open_message)
        self.message_jump.arrived.connect(self._reading_back)
        self.view_tabs.currentChanged.connect(self._filters_changed)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.list_view.selectionModel().currentChanged.connect(self._list_current_changed)
        self.thread_view.verticalScrollBar().valueChanged.connect(self._thread_scrolled)
        self.thread_view.verticalScrollBar().rangeChanged.connect(self._thread_range_changed)
        self.thread_view.customContextMenuRequested.connect(self._thread_menu)
        self.thread_view.doubleClicked.connect(self._open_media)
        self.bubbles.preview_clicked.connect(self._open_row_media)
        self.settings_button.clicked.connect(self.open_settings)
        self.settings.theme_changed.connect(self._theme_changed)
        self.settings.applied.connect(self.preferences_applied)
        self.settings.applied.connect(self.updates.preferences_applied)
        self.settings.plugins_changed.connect(self.crm.reload)
        self.team_actions.status_changed.connect(self._close_if_left_view)
        self.tray.open_requested.connect(self.bring_to_front)
        self.tray.quit_requested.connect(self.close)
        self.bubbles.link_clicked.connect(open_link)  # http(s), mailto, tel and ours only
        self.thread_model.rowsAboutToBeInserted.connect(self._remember_bottom)
        self.thumbnails.changed.connect(self._repaint_message)
        self.voice.changed.connect(self._repaint_message)
        self.voice.problem.connect(self.show_problem)
        self.bubbles.audio_clicked.connect(self.voice.toggle)
        self.composer.send_text.connect(self.send_text)
        self.composer.send_files.connect(self.send_files)
        self.composer.send_image.connect(self.send_image)
        self.composer.send_voice.connect(self.attachments.send_voice)
        self.composer.problem.connect(self.show_problem)
        self.composer.attach_clicked.connect(self.choose_files)
        self.composer.template_clicked.connect(self.choose_template)
        self.composer.draft_changed.connect(self._save_draft)
        team = self.team_actions
        self.header.assign_to_me.connect(lambda: team.team("assign", assignee=self.session.me))
        self.header.transfer.connect(lambda who: team.team("assign", assignee=who))
        self.team.list_stale.connect(self._filters_changed)
        self.conversation_opened.connect(self.team.opened)
        self.changes_shown.connect(self.team.refresh)
        self.header.status_chosen.connect(lambda status: team.team("status", status=status))
        self.header.status_chosen.connect(self.crm.status_chosen)
        self.header.note_clicked.connect(team.add_note)

    def _shortcuts(self) -> None:
        for keys, slot in (
            ("Ctrl+K", self.open_jump),
            ("Alt+Up", lambda: self.move_selection(-1)),
            ("Alt+Down", lambda: self.move_selection(1)),
            ("Escape", self.close_panels),
            ("Ctrl+F", self.search_box.setFocus),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self._quit_action = QAction(self)
        self._quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self._quit_action.triggered.connect(self.close)
        self.addAction(self._quit_action)

    # -- language ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        """Every text in the window's language: at start, and at once after a change."""
        self._retranslate_due = False
        self.search_box.setPlaceholderText(self.tr("Pesquisar contatos e mensagens"))
        for index, label in enumerate(
            (self.tr("Minhas"), self.tr("Sem responsável"), self.tr("Todas"), self.tr("Não lidas"))
        ):
            self.view_tabs.setTabText(index, label)
        for index, label in enumerate(
            (
                self.tr("Abertas"),
                self.tr("Pendentes"),
                self.tr("Adiadas"),
                self.tr("Resolvidas"),
                self.tr("Todas as situações"),
            )
        ):
            self.status_filter.setItemText(index, label)
        self.settings_button.setToolTip(self.tr("Configurações"))
        self.tray.retranslate()
        self.crm.retranslate()
        self._quit_action.setText(self.tr("Sair"))
        self.on_connection(self._connection_state)
        self.team.retranslate()  # the tabs' and filters' counts
        self._update_unread()
        # Texts painted from cached layouts: day separators, "Encaminhada", the list's times.
        self.bubbles.set_theme(self.bubbles.theme)
        if self.current is not None:
            self.thread_model.open(self.current)
            self._update_card(self.current_row())  # "Responsável", "ninguém"
        self.list_view.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        # Installing translators sends several LanguageChange events: retranslate once.
        if event.type() == QEvent.Type.LanguageChange and not self._retranslate_due:
            self._retranslate_due = True
            QTimer.singleShot(0, self.retranslate)
        elif event.type() == QEvent.Type.ActivationChange:
            self._read_what_is_shown()  # back from a dialog or another program
        super().changeEvent(event)

    # -- the list ------------------------------------------------------------------------------

    def _filters_changed(self) -> None:
        view = VIEWS[max(0, self.view_tabs.currentIndex())]
        self.list_model.set_filter(view=view, status=self.status_filter.currentData())
        self._reselect()

    def _reselect(self) -> None:
        """The list's selection is the open conversation's row, or none when it is not listed.

        A stale current row (left where the open conversation was) would make
        a click on it open nothing: the view sees no change of current row.
        """
        row = self.list_model.row_of(self.current) if self.current is not None else -1
        selection = self.list_view.selectionModel()
        if row >= 0:
            selection.setCurrentIndex(
                self.list_model.index(row), selection.SelectionFlag.ClearAndSelect
            )
        elif self.list_view.currentIndex().isValid():
            selection.clear()

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if watched is self.list_view.viewport():
            self._pointer_on_list(event)
        return super().eventFilter(watched, event)

    def _pointer_on_list(self, event: QEvent) -> None:
        """Hold the list's order while the attendant points at it or holds a button down."""
        kind = event.type()
        if kind in (QEvent.Type.Enter, QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress):
            self.list_model.hold()
        elif kind == QEvent.Type.Leave or (
            kind == QEvent.Type.MouseButtonRelease and not self.list_view.viewport().underMouse()
        ):
            self._release_list()

    def _release_list(self) -> None:
        self.list_hold.stop()
        self.list_model.release()
        self._reselect()

    def _list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.list_model.rearranging:
            return  # the view moved off a row that went away: nobody chose that customer
        conversation_id = current.data(ListRole.Id) if current.isValid() else None
        if conversation_id is not None and conversation_id != self.current:
            self.show_conversation(int(conversation_id))

    def move_selection(self, step: int) -> None:
        count = self.list_model.rowCount()
        if not count:
            return
        row = self.list_view.currentIndex().row()
        row = min(count - 1, max(0, (row if row >= 0 else -step) + step))
        self.list_view.setCurrentIndex(self.list_model.index(row))

    def open_jump(self) -> None:
        dialog = JumpDialog(self.session.history, self.reads, self)
        dialog.chosen.connect(self.select_conversation)
        dialog.open()
        self.jump_dialog = dialog

    def select_conversation(self, conversation_id: int) -> None:
        row = self.list_model.row_of(conversation_id)
        if row < 0:  # not in this view: show everything
            self.view_tabs.setCurrentIndex(ALL_VIEW)
            self.status_filter.setCurrentIndex(ALL_STATUSES)
            self.search_box.clear()
            self.list_model.set_filter(view="all", status=None, contacts=None)
            row = self.list_model.row_of(conversation_id)
        if row >= 0:
            self.list_view.setCurrentIndex(self.list_model.index(row))
            self.list_view.scrollTo(self.list_model.index(row))
        else:
            self.show_conversation(conversation_id)

    def open_message(self, conversation_id: int, message_id: int) -> None:
        """A search result: its conversation, scrolled to that message and flashed."""
        if self.current != conversation_id:
            self.select_conversation(conversation_id)
        self._stick = False  # the thread may reopen around the message: not pulled to the bottom
        self.message_jump.go(message_id)

    def _reading_back(self, _message_id: int) -> None:
        self._stick = False  # a message jumped to: new ones must not pull the view down

    def close_panels(self) -> None:
        if self.composer.reply_to:
            self.composer.clear_reply()
        elif self.search_box.text():
            self.search_box.clear()
        else:
            self.composer.edit.setFocus()

    # -- the thread -----------------------------------------------------------------------------

    def current_row(self) -> dict[str, Any] | None:
        if self.current is None:
            return None
        return conversation_row(self.session.history, self.current)

    def show_conversation(self, conversation_id: int | None) -> None:
        if conversation_id != self.current:  # a voice note belongs to the conversation it began in
            self.composer.recorder.discard()
        self.current = conversation_id
        self.thread_model.open(conversation_id)
        self.thread_view.scrollToBottom()
        row = self.current_row()
        self.header.set_conversation(row, self.session.me)
        self.composer.setEnabled(row is not None)
        self.composer.clear_reply()
        self.composer.set_text(self.session.history.draft(conversation_id) if row else "")
        self._update_window(row)
        self._update_card(row)
        self.copilot.conversation_opened(conversation_id if row is not None else None)
        self.crm.conversation_opened(row)
        if row is not None:
            self.conversation_opened.emit(conversation_id)
            self._read_what_is_shown(row)
            self.composer.edit.setFocus()

    def _read_what_is_shown(self, row: dict[str, Any] | None = None) -> None:
        """Mark the open conversation read when the attendant can see it, and only then.

        Reading is what the attendant sees: the window active, not minimised,
        the thread on screen. Messages that came while a dialog or another
        program had the focus are read when the window is back.
        """
        visible = self.isActiveWindow() and not self.isMinimized() and self.thread_view.isVisible()
        if self.current is not None and visible:
            self._mark_read(row or self.current_row())

    def _mark_read(self, row: dict[str, Any] | None) -> None:
        if row is not None and row["unread"]:
            spawn(self.session.mark_read(int(row["id"])), "mark-read")

    def _replied(self, conversation_id: int) -> None:
        """A reply means the customer's messages were read, whatever had the focus."""
        if conversation_id == self.current:
            self._mark_read(self.current_row())

    def _update_window(self, row: dict[str, Any] | None) -> None:
        is_open = row is not None and row["window"].kind in ("open", "closing")
        self.composer.set_window_open(is_open or row is None)

    def _update_card(self, row: dict[str, Any] | None) -> None:
        if row is None:
            self.contact_card.setText("")
            return
        # The name is the customer's own: every piece of data is escaped, only <b>/<br> are ours.
        lines = [rich("<b>{0}</b>", row["name"] or "")]
        if row["wa_id"]:
            lines.append(escape_rich(display_phone(row["wa_id"])))
        if row["labels"]:
            lines.append(escape_rich(" ".join("#" + x for x in row["labels"])))
        lines.append(rich(self.tr("Responsável: {0}"), row["assignee"] or self.tr("ninguém")))
        self.contact_card.setText("<br>".join(lines))

    def _remember_bottom(self, *_args: Any) -> None:
        bar = self.thread_view.verticalScrollBar()
        # Only the real bottom follows new rows: with newer pages unread, the loaded end is not it.
        self._stick = not self.thread_model.has_newer and bar.value() >= bar.maximum() - 4

    def _thread_range_changed(self, _low: int, high: int) -> None:
        if self._stick and not self._prepending:
            self.thread_view.verticalScrollBar().setValue(high)

    def _thread_scrolled(self, value: int) -> None:
        if self._prepending or self.message_jump.jumping:
            return
        bar = self.thread_view.verticalScrollBar()
        if value <= 40 and self.thread_model.has_older:
            self._keep_place(self.thread_model.load_older, shift=True)
        elif value >= bar.maximum() - 40 and self.thread_model.has_newer:
            self._keep_place(self.thread_model.load_newer, shift=False)

    def _keep_place(self, load: Any, *, shift: bool) -> None:
        """Load a page and keep the reader's place, anchored on the top visible message."""
        top = self.thread_view.indexAt(QPoint(4, 4))
        offset = self.thread_view.visualRect(top).top() if top.isValid() else 0
        anchor = top.row() if top.isValid() else 0
        self._prepending = True
        self._stick = False
        try:
            changed = load()
            if changed:
                row = anchor + changed if shift else max(0, anchor - changed)
                target = self.thread_model.index(row)
                self.thread_view.scrollTo(target, QAbstractItemView.ScrollHint.PositionAtTop)
                bar = self.thread_view.verticalScrollBar()
                bar.setValue(bar.value() - offset)
        finally:
            self._prepending = False

    def _thread_row(self, index: QModelIndex) -> dict[str, Any] | None:
        row = self.thread_model.item(index.row()) if index.isValid() else None
        return row if row and row["kind"] == "message" else None

    def _repaint_message(self, message_id: int) -> None:
        row = self.thread_model.row_of(message_id)
        if row >= 0:
            self.thread_view.update(self.thread_model.index(row))

    def _thread_menu(self, pos: QPoint) -> None:
        index = self.thread_view.indexAt(pos)
        row = self._thread_row(index)
        if row is None:
            return
        menu = QMenu(self)
        if row["wamid"] and row["direction"] != "note":
            menu.addAction(
                icon("reply"),
                self.tr("Responder"),
                lambda: self.composer.set_reply(row["wamid"], row["text"] or row["type"]),
            )
            react = menu.addMenu(icon("react"), self.tr("Reagir"))
            for emoji in REACTIONS:
                react.addAction(emoji, lambda e=emoji: self.react(row, e))
        menu.addAction(
            self.tr("Copiar texto"), lambda: QApplication.clipboard().setText(row["text"] or "")
        )
        if row.get("edited") and row.get("original_text"):
            menu.addAction(self.tr("Ver original"), lambda: self._show_original(row))
        self.media_files.add_actions(menu, row, self._open_row_media)  # "Abrir", "Salvar como…"
        menu.popup(self.thread_view.viewport().mapToGlobal(pos))

    def _show_original(self, row: dict[str, Any]) -> None:
        """What the customer wrote before editing: WhatsApp keeps it reachable, so do we."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Mensagem original"))
        box.setTextFormat(Qt.TextFormat.PlainText)  # the customer's words, never markup
        box.setText(str(row["original_text"]))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.original_box = box
        box.open()

    def react(self, row: dict[str, Any], emoji: str) -> None:
        if self.current is not None and row["wamid"]:
            self.session.react(self.current, row["wamid"], emoji)

    def _open_media(self, index: QModelIndex) -> None:
        row = self._thread_row(index)
        if row is not None and row["type"] != "audio":  # audio plays on a single click
            self._open_row_media(row)

    def _open_row_media(self, row: dict[str, Any]) -> None:
        if row["type"] == "audio":
            self.voice.toggle(row)  # in the bubble, from memory: no clear copy on disk
        else:
            self.media_files.open(row)

    # -- sending and team actions -----------------------------------------------------------

    def send_text(self, text: str, reply_to: str | None) -> None:
        if self.current is None:
            return
        self._stick = True
        self.session.send_text(self.current, text, reply_to)
        self.copilot.sent(self.current, text)
        self.crm.sent(text)
        self._replied(self.current)

    def send_files(self, paths: list[Path]) -> None:
        """Files dropped, pasted or chosen: the preview, where nothing goes before "Enviar"."""
        self.attachments.open_files(paths)

    def send_image(self, png: bytes) -> None:
        self.attachments.open_image(png)

    def choose_files(self) -> None:
        dialog = QFileDialog(self, self.tr("Anexar arquivos"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda files: self.send_files([Path(f) for f in files]))
        dialog.open()
        self._file_dialog = dialog

    def choose_template(self, name: str = "") -> None:
        """The template dialog for the open conversation, on template ``name`` if given."""
        if self.current is not None:
            spawn(self._choose_template(self.current, name), "templates")

    async def _choose_template(self, conversation_id: int, name: str = "") -> None:
        try:
            templates = await self.session.templates()
        except SessionError as exc:
            self.show_problem(str(exc))
            return
        from crm_whatsapp.ui.template_dialog import TemplateDialog

        dialog = TemplateDialog(templates, self)
        if name:
            dialog.select(name)
        dialog.template_chosen.connect(
            lambda body, media: (
                self.session.send_template(conversation_id, body, media),
                self._replied(conversation_id),
            )
        )
        dialog.open()
        self.template_dialog = dialog

    def _close_if_left_view(self, conversation_id: int) -> None:
        """The attendant moved the open conversation out of this view (resolved it, say).

        Its thread closes and no other conversation opens: opening marks read,
        and only the attendant chooses whom to read next. The list learns of
        the change by a read still running: the check waits for it.
        """
        if self._refreshing or self._waiting:
            self._leaving = conversation_id
            return
        self._leaving = None
        if self.current == conversation_id and self.list_model.row_of(conversation_id) < 0:
            self.show_conversation(None)

    def _save_draft(self, text: str) -> None:
        if self.current is not None:
            self.session.history.save_draft(self.current, text)

    def refresh_quick_replies(self) -> None:
        self.composer.set_quick_replies(self.session.history.quick_replies())

    # -- what the session reports ----------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        """Redraw what ``changes`` names: the open thread now, the rest when read.

        The open thread's rows are a few keyed reads and follow at once (a
        sent message shows as the attendant presses Enter). The list rows,
        the header, the unread count and the notifications need the
        conversations re-read: that runs off this thread, one read at a time,
        the changes named meanwhile gathered into the next one.
        """
        if self.current is not None and self.current in changes.incoming:
            self.copilot.customer_wrote(self.current)
        self.copilot.messages_arrived(changes.added)
        if changes.started:
            self.crm.conversations_started(changes.started)
        if self.current in changes.conversations:
            for message_id in changes.updated:
                self.bubbles.forget(message_id)
            if changes.removed:
                self.thread_model.open(self.current)
            else:
                self.thread_model.apply(changes.added, changes.updated, True)
        self._waiting.add(changes)
        if not self._refreshing:
            self._refresh()

    def _refresh(self) -> None:
        waiting, self._waiting = self._waiting, _Waiting()
        self._refreshing = True
        current = self.current if self.current in waiting.conversations else None
        read = read_changes(
            self.session.history,
            self.list_model.reader(sorted(waiting.conversations)),
            waiting,
            current,
            self.list_model.generation,
        )
        self.reads.run("changes", read, self._show_changes, self._refresh_failed)

    def _refresh_failed(self, _error: BaseException) -> None:
        self._refreshing = False  # the next change tries again

    def _show_changes(self, read: ChangesRead) -> None:
        self._refreshing = False
        if read.generation == self.list_model.generation:
            self.list_model.place(read.conversations, read.list_rows)
        # else the list was reloaded (a filter, a search) after these changes: it has them.
        leaving = self._leaving
        if leaving is not None and self.list_model.row_of(leaving) < 0:
            # Its row went in this very turn: the thread closes with it, not a read later.
            self._leaving = None
            if self.current == leaving:
                self.show_conversation(None)
        self._reselect()
        if self.list_model.held_changes and not self.list_hold.isActive():
            self.list_hold.start()
        if read.current is not None and read.current == self.current:  # still the one open
            row = read.current_row
            self.header.set_conversation(row, self.session.me)
            self._update_window(row)
            self._update_card(row)
            if self.current in read.incoming:
                self._read_what_is_shown(row)
        if read.quick_replies is not None:
            self.composer.set_quick_replies(read.quick_replies)
            self.copilot.copilot.quick_replies_changed(read.quick_replies)
        for conversation_id in read.incoming:
            self._notify(conversation_id, read.incoming_rows.get(conversation_id))
        self._update_unread(read.unread)
        if self._waiting:
            self._refresh()
        elif self._leaving is not None:
            self._close_if_left_view(self._leaving)
        self.changes_shown.emit()

    def _notify(self, conversation_id: int, row: dict[str, Any] | None) -> None:
        if self.isActiveWindow() and conversation_id == self.current:
            return
        if row is None:
            return
        title = row["name"] or display_phone(row["wa_id"])
        text = preview_line(row)
        self.notified.emit(conversation_id, title, text)
        if self.notifications and not self.isActiveWindow():
            self.tray.notify(title, text, sound=self.sound)

    def _update_unread(self, unread: int | None = None) -> None:
        if unread is not None:
            self._unread = unread
        self.tray.show_unread(self._unread)
        title = self.tr("CRM WhatsApp")
        self.setWindowTitle(f"({self._unread}) {title}" if self._unread else title)

    def on_connection(self, state: str) -> None:
        self._connection_state = state
        labels = {
            "connecting": self.tr("Conectando ao relay…"),
            "replaying": self.tr("Sincronizando mensagens…"),
            "live": self.tr("Conectado"),
            "offline": self.tr(
                "Sem conexão: tentando de novo; as mensagens enviadas ficam na fila."
            ),
            "rejected": self.tr("Este computador precisa de um novo código de ativação."),
        }
        text = labels.get(state, state)
        if self._sync_trouble and state != "live":
            # Stays over "connecting…" and "offline" until a session works again: the
            # reconnects will not fix it, and the attendant must not wait for them.
            text = self.tr(
                "A caixa de entrada não consegue aplicar o que chega do relay "
                "(as mensagens continuam guardadas no relay). Contate o suporte."
            )
        self.connection_label.setText(text)
        self.connection_banner.set_state(state)
        if state == "live":
            self.progress_bar.hide()

    def on_sync_trouble(self, kind: str) -> None:
        """The sync failed the same way several times in a row (``kind``), or "" cleared."""
        self._sync_trouble = kind
        self.on_connection(self._connection_state)

    def on_progress(self, done: int, total: int) -> None:
        if total <= 0 or done >= total:
            self.progress_bar.hide()
            return
        self.progress_bar.setMaximum(total)
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(self.tr("%v de %m"))
        self.progress_bar.show()

    def show_problem(self, sentence: str) -> None:
        self.statusBar().showMessage(i18n.problem(sentence), 10_000)

    def show_status(self, sentence: str, milliseconds: int) -> None:
        """A passing message in the status bar (already in the window's language)."""
        self.statusBar().showMessage(sentence, milliseconds)

    def _minute_passed(self) -> None:
        self.list_model.tick()
        self.list_view.viewport().update()
        row = self.current_row()
        self.header.set_conversation(row, self.session.me)
        self._update_window(row)

    def open_settings(self) -> None:
        self.settings.open_dialog()

    @property
    def settings_dialog(self) -> Any:
        return self.settings.dialog

    def apply_preferences(self, preferences: Preferences) -> None:
        """Apply what the settings dialog saved (theme, language, sound, retention)."""
        self.settings.apply(preferences)

    def apply_retention(self) -> None:
        self.settings.apply_retention()

    def _theme_changed(self, theme: str) -> None:
        self.bubbles.set_theme(theme)
        self.thread_view.viewport().update()

    def closeEvent(self, event: Any) -> None:
        for timer in (self._clock, self.list_hold):
            timer.stop()  # a closed window starts no more work
        self.settings.stop()
        self.copilot.stop()
        self.team.stop()
        self.keys_wiring.stop()
        self.updates.stop()
        self.composer.recorder.cancel()  # the microphone closes with the window
        self.crm.stop()
        self.search.cancel()
        self.reads.close()
        self.media_files.close()
        self.voice.stop()
        self.tray.hide()
        self.closed.emit()
        super().closeEvent(event)

    def open_chat(self, request: ChatRequest) -> None:
        """Click-to-chat: open the customer's conversation (made if new), text in the composer.

        Never sends: the text waits in the composer for the attendant. When
        the 24-hour window is closed, the template dialog opens instead, as
        the rules require.
        """
        self.bring_to_front()
        spawn(self._open_chat(request), "open-chat")

    async def _open_chat(self, request: ChatRequest) -> None:
        history = self.session.history
        conversation_id = await asyncio.to_thread(history.start_conversation, request.phone)
        if conversation_id is None:
            self.show_problem(
                self.tr(
                    "Ainda não chegou nenhuma mensagem a este número da empresa: a primeira "
                    "conversa precisa começar pelo cliente."
                )
            )
            return
        self.on_changed(Changes(frozenset({conversation_id})))
        self.select_conversation(conversation_id)
        if self.current != conversation_id:
            self.show_conversation(conversation_id)
        row = self.current_row()
        if row is not None and row["window"].kind not in ("open", "closing"):
            self.choose_template()
        elif request.text:
            self.composer.set_text(request.text)
            self.composer.edit.setFocus()
        self.chat_opened.emit(conversation_id)

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
