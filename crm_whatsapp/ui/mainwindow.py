"""The inbox window: conversation list, thread, composer, side panel, status bar.

It holds no business rules: it shows the models, forwards the attendant's
actions to the :class:`InboxSession`, and redraws what the session's
``changed`` signal names.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import tempfile
import time
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPoint,
    QStandardPaths,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QSystemTrayIcon,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.filenames import is_executable, is_inside, safe_filename
from crm_whatsapp.domain.phones import display_phone, typed_phone
from crm_whatsapp.domain.richtext import escape_rich, notification_body, rich
from crm_whatsapp.domain.window import window_state
from crm_whatsapp.session import Changes, InboxSession, SessionError
from crm_whatsapp.settings import Preferences
from crm_whatsapp.store.team import quick_replies
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.delegates.bubble import BubbleDelegate
from crm_whatsapp.ui.delegates.conversation import ROW_HEIGHT, ConversationDelegate
from crm_whatsapp.ui.links import open_link
from crm_whatsapp.ui.models.conversations import ConversationListModel
from crm_whatsapp.ui.models.conversations import Role as ListRole
from crm_whatsapp.ui.models.thread import ThreadModel
from crm_whatsapp.ui.notifications import session_reads_body_markup
from crm_whatsapp.ui.previews import preview_line
from crm_whatsapp.ui.resources import app_icon, apply_theme, icon
from crm_whatsapp.ui.thumbnails import Thumbnails
from crm_whatsapp.ui.voice import VoicePlayer
from crm_whatsapp.ui.widgets.composer import Composer
from crm_whatsapp.ui.widgets.header import ThreadHeader

log = logging.getLogger("crm_whatsapp.ui.mainwindow")
VIEWS = ("mine", "unassigned", "all", "unread")
# How long a pointer resting on the list may hold its order while changes wait.
LIST_HOLD_MS = 10_000
REACTIONS = ("👍", "❤️", "😂", "😮", "😢", "🙏")


def _write_private(target: Path, data: bytes) -> None:
    """Write a media copy in its own folder, readable by this user only."""
    target.parent.mkdir(mode=0o700, exist_ok=True)
    target.write_bytes(data)
    target.chmod(0o600)


class JumpDialog(QDialog):
    """Ctrl+K: type a name, number or word and jump to the conversation."""

    chosen = Signal(int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(self.tr("Ir para conversa"))
        self.box = QLineEdit(self)
        self.box.setPlaceholderText(self.tr("Nome, número ou palavra"))
        self.results = QListWidget(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        self.box.textChanged.connect(self._search)
        self.box.returnPressed.connect(self._accept_first)
        self.results.itemActivated.connect(self._accept)
        self.resize(420, 360)

    def _search(self, text: str) -> None:
        self.results.clear()
        history = self.window_.session.history
        contacts = history.search_contacts(text, limit=30) if text.strip() else []
        number = typed_phone(text)  # "(81) 99777-8888" is that customer, whatever else matches
        owner = history.contact_by_phone(number) if number else None
        if owner is not None:
            contacts = [owner, *(c for c in contacts if c != owner)]
        rows = history.conversations(50, contact_ids=contacts) if contacts else []
        seen = {r["id"] for r in rows}
        for hit in history.search(text, limit=30) if len(text.strip()) >= 3 else []:
            if hit["conversation_id"] not in seen:
                seen.add(hit["conversation_id"])
                rows += history.conversations(1, ids=[hit["conversation_id"]])
        for row in rows[:50]:
            item = QListWidgetItem(row["name"] or display_phone(row["wa_id"]) or "?")
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)

    def _accept_first(self) -> None:
        if self.results.count():
            self._accept(self.results.item(0))

    def _accept(self, item: QListWidgetItem) -> None:
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()


class MainWindow(QMainWindow):
    notified = Signal(int, str, str)  # conversation, title, text (also shown by the tray)
    conversation_opened = Signal(int)
    closed = Signal()
    preferences_applied = Signal(object)

    def __init__(
        self,
        session: InboxSession,
        theme: str = "light",
        sound: bool = True,
        preferences: Preferences | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.preferences = preferences or Preferences(sound=sound)
        self.sound = self.preferences.sound
        self.notifications = self.preferences.notifications
        self.current: int | None = None
        self._connection_state = "connecting"
        self._sync_trouble = ""  # the kind of a failure that keeps the sync stuck
        self._retranslate_due = False
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)

        # Left: search, views, list
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("searchBox")
        self.search_box.setClearButtonEnabled(True)
        self.view_tabs = QTabBar(self)
        self.view_tabs.setObjectName("viewTabs")
        self.view_tabs.setExpanding(False)
        self.view_tabs.setUsesScrollButtons(False)
        self.view_tabs.setDrawBase(False)
        for _view in VIEWS:
            self.view_tabs.addTab("")
        self.status_filter = QComboBox(self)
        for value in ("open", "pending", "resolved", None):
            self.status_filter.addItem("", value)
        self.list_model = ConversationListModel(session.history, session.me, self)
        self.list_view = QListView(self)
        self.list_view.setObjectName("conversationList")
        self.list_view.setModel(self.list_model)
        self.list_view.setItemDelegate(ConversationDelegate(self.list_view))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setMouseTracking(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.verticalScrollBar().setSingleStep(ROW_HEIGHT // 2)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.settings_button = QToolButton(self)
        self.settings_button.setIcon(icon("settings"))
        self.settings_button.clicked.connect(self.open_settings)
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.settings_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.view_tabs)
        left_layout.addWidget(self.status_filter)
        left_layout.addWidget(self.list_view, 1)

        # Centre: header, thread, Copilot bar (its issue fills it), composer
        self.header = ThreadHeader(self)
        self.thread_model = ThreadModel(session.history, self)
        self.thread_view = QListView(self)
        self.thread_view.setObjectName("threadView")
        self.thread_view.setModel(self.thread_model)
        self.bubbles = BubbleDelegate(self.thread_view, theme)
        self.thumbnails = Thumbnails(session.media, self)
        self.bubbles.thumbnails = self.thumbnails
        self.voice = VoicePlayer(session.media, self)
        self.bubbles.voice = self.voice
        self.thread_view.setItemDelegate(self.bubbles)
        self.thread_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.thread_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.thread_view.setWordWrap(True)
        self.thread_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.thread_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.thread_view.verticalScrollBar().setSingleStep(24)
        self.copilot_bar = QFrame(self)
        self.copilot_bar.setObjectName("copilotBar")
        self.copilot_bar.setLayout(QVBoxLayout())
        self.copilot_bar.layout().setContentsMargins(8, 2, 8, 2)
        self.copilot_bar.hide()  # the Copilot fills and shows it
        self.composer = Composer(self)
        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.header)
        centre_layout.addWidget(self.thread_view, 1)
        centre_layout.addWidget(self.copilot_bar)
        centre_layout.addWidget(self.composer)

        # Right: the panel plugins fill (contact card, leads); a plain card until then
        self.side_panel = QScrollArea(self)
        self.side_panel.setObjectName("sidePanel")
        self.side_panel.setWidgetResizable(True)
        self.side_content = QWidget()
        self.side_layout = QVBoxLayout(self.side_content)
        self.contact_card = QLabel(self.side_content)
        self.contact_card.setWordWrap(True)
        self.contact_card.setObjectName("contactCard")
        self.contact_card.setTextFormat(Qt.TextFormat.RichText)  # built by _update_card, escaped
        self.contact_card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.side_layout.addWidget(self.contact_card)
        self.side_layout.addStretch(1)
        self.side_panel.setWidget(self.side_content)

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(centre)
        splitter.addWidget(self.side_panel)
        splitter.setSizes([360, 660, 260])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        # Status bar: connection and replay progress
        self.connection_label = QLabel(self)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.hide()
        self.statusBar().addWidget(self.connection_label)
        self.statusBar().addPermanentWidget(self.progress_bar)

        # Tray: unread count and notifications
        self.tray = QSystemTrayIcon(app_icon(), self)
        tray_menu = QMenu(self)
        self._tray_open = tray_menu.addAction("", self.bring_to_front)
        self._tray_quit = tray_menu.addAction("", self.close)
        self.tray.setContextMenu(tray_menu)
        self.tray.activated.connect(lambda _reason: self.bring_to_front())
        self.tray.messageClicked.connect(self.bring_to_front)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
        self._last_notified: int | None = None

        self._wire()
        self._shortcuts()
        self.retranslate()
        self.view_tabs.setCurrentIndex(2)
        self._clock = QTimer(self)
        self._clock.setInterval(60_000)  # window countdowns move without events
        self._clock.timeout.connect(self._minute_passed)
        self._clock.start()
        # The retention policy runs a little after start (not in the way of the
        # first paint) and every six hours for a PC that stays on for days.
        self._retention_clock = QTimer(self)
        self._retention_clock.setInterval(6 * 3600 * 1000)
        self._retention_clock.timeout.connect(self.apply_retention)
        self._retention_clock.start()
        self._retention_soon = QTimer(self)
        self._retention_soon.setSingleShot(True)
        self._retention_soon.setInterval(5_000)
        self._retention_soon.timeout.connect(self.apply_retention)
        self._retention_soon.start()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._run_search)
        # Rows hold still under the pointer; a pointer parked on the list holds them
        # for at most LIST_HOLD_MS, so new customers still reach the top.
        self.list_hold = QTimer(self)
        self.list_hold.setSingleShot(True)
        self.list_hold.setInterval(LIST_HOLD_MS)
        self.list_hold.timeout.connect(self._release_list)
        self.list_view.viewport().installEventFilter(self)
        self.refresh_quick_replies()
        self.show_conversation(None)

    # -- wiring ------------------------------------------------------------------------------

    def _wire(self) -> None:
        s = self.session
        s.changed.connect(self.on_changed)
        s.connection.connect(self.on_connection)
        s.trouble.connect(self.on_sync_trouble)
        s.progress.connect(self.on_progress)
        s.problem.connect(self.show_problem)
        self.view_tabs.currentChanged.connect(self._filters_changed)
        self.status_filter.currentIndexChanged.connect(self._filters_changed)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.list_view.selectionModel().currentChanged.connect(self._list_current_changed)
        self.thread_view.verticalScrollBar().valueChanged.connect(self._thread_scrolled)
        self.thread_view.verticalScrollBar().rangeChanged.connect(self._thread_range_changed)
        self.thread_view.customContextMenuRequested.connect(self._thread_menu)
        self.thread_view.doubleClicked.connect(self._open_media)
        self.bubbles.preview_clicked.connect(self._open_row_media)
        self.bubbles.link_clicked.connect(open_link)  # http(s), mailto, tel and ours only
        self.thread_model.rowsAboutToBeInserted.connect(self._remember_bottom)
        self.thumbnails.changed.connect(self._repaint_message)
        self.voice.changed.connect(self._repaint_message)
        self.voice.problem.connect(self.show_problem)
        self.bubbles.audio_clicked.connect(self.voice.toggle)
        self.composer.send_text.connect(self.send_text)
        self.composer.send_files.connect(self.send_files)
        self.composer.send_image.connect(self.send_image)
        self.composer.attach_clicked.connect(self.choose_files)
        self.composer.template_clicked.connect(self.choose_template)
        self.composer.draft_changed.connect(self._save_draft)
        self.header.assign_to_me.connect(lambda: self.team("assign", assignee=self.session.me))
        self.header.transfer.connect(lambda who: self.team("assign", assignee=who))
        self.header.transfer_other.connect(self._transfer_other)
        self.header.status_chosen.connect(lambda status: self.team("status", status=status))
        self.header.note_clicked.connect(self._add_note)
        self.header.labels_clicked.connect(self._edit_labels)

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
                self.tr("Resolvidas"),
                self.tr("Todas as situações"),
            )
        ):
            self.status_filter.setItemText(index, label)
        self.settings_button.setToolTip(self.tr("Configurações"))
        self._tray_open.setText(self.tr("Abrir"))
        self._tray_quit.setText(self.tr("Sair"))
        self._quit_action.setText(self.tr("Sair"))
        self.on_connection(self._connection_state)
        self._update_unread()
        # Texts painted from cached layouts: day separators, "Encaminhada", the list's times.
        self.bubbles.set_theme(self.bubbles.theme)
        if self.current is not None:
            self.thread_model.open(self.current)
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

    def _run_search(self) -> None:
        text = self.search_box.text().strip()
        history = self.session.history
        if not text:
            self.list_model.set_filter(contacts=None)
        else:
            contacts = set(history.search_contacts(text, limit=200))
            if len(text) >= 3:
                for hit in history.search(text, limit=200):
                    contacts.update(
                        r["contact_id"]
                        for r in history.conversations(1, ids=[hit["conversation_id"]])
                    )
            self.list_model.set_filter(contacts=sorted(contacts))
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
        dialog = JumpDialog(self)
        dialog.chosen.connect(self.select_conversation)
        dialog.open()
        self.jump_dialog = dialog

    def select_conversation(self, conversation_id: int) -> None:
        row = self.list_model.row_of(conversation_id)
        if row < 0:  # not in this view: show everything
            self.view_tabs.setCurrentIndex(2)
            self.status_filter.setCurrentIndex(3)
            self.search_box.clear()
            self.list_model.set_filter(view="all", status=None, contacts=None)
            row = self.list_model.row_of(conversation_id)
        if row >= 0:
            self.list_view.setCurrentIndex(self.list_model.index(row))
            self.list_view.scrollTo(self.list_model.index(row))
        else:
            self.show_conversation(conversation_id)

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
        rows = self.session.history.conversations(1, ids=[self.current])
        if rows:
            rows[0]["window"] = window_state(rows[0]["last_inbound_at"], time.time())
        return rows[0] if rows else None

    def colleagues(self) -> list[str]:
        """Names the team uses as assignees (an indexed column: cheap at 10,000 rows)."""
        return self.session.history.colleagues()

    def show_conversation(self, conversation_id: int | None) -> None:
        self.current = conversation_id
        self.thread_model.open(conversation_id)
        self.thread_view.scrollToBottom()
        row = self.current_row()
        self.header.set_conversation(row, self.colleagues(), self.session.me)
        self.composer.setEnabled(row is not None)
        self.composer.clear_reply()
        self.composer.set_text(self.session.history.draft(conversation_id) if row else "")
        self._update_window(row)
        self._update_card(row)
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
        self._stick = bar.value() >= bar.maximum() - 4

    def _thread_range_changed(self, _low: int, high: int) -> None:
        if getattr(self, "_stick", True) and not getattr(self, "_prepending", False):
            self.thread_view.verticalScrollBar().setValue(high)

    def _thread_scrolled(self, value: int) -> None:
        if getattr(self, "_prepending", False):
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
        if row["media_id"] or self.session.media.has(row["id"]):
            menu.addAction(
                icon("download"), self.tr("Abrir mídia"), lambda: self._open_row_media(row)
            )
        menu.popup(self.thread_view.viewport().mapToGlobal(pos))

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
        elif row["media_id"] or self.session.media.has(row["id"]):
            spawn(self._show_media(row), "open-media")

    async def _show_media(self, row: dict[str, Any]) -> None:
        self.statusBar().showMessage(self.tr("Baixando mídia…"), 3000)
        try:
            data = await self.session.media.load(row["id"], row["media_id"])
        except Exception as exc:
            log.warning("could not load a message's media: %s", type(exc).__name__)
            data = None
        if data is None:
            self.show_problem(self.tr("Não foi possível baixar a mídia; tente de novo."))
            return
        if self.thumbnails.failed(row["id"]):  # it came this time: show its preview too
            self.thumbnails.retry(row["id"])
            self._repaint_message(row["id"])
        if row["type"] in ("image", "sticker"):
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            viewer = QLabel()
            viewer.setWindowTitle(self.tr("Imagem"))
            viewer.setPixmap(
                pixmap.scaled(
                    1000,
                    800,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            viewer.show()
            self._viewer = viewer
            return
        # Audio, video and documents open in the system's player or viewer, from a
        # private temporary copy removed when the app exits, under a name the
        # customer chose only in part (domain/filenames).
        media = row["item"].get(row["type"]) if isinstance(row["item"], dict) else None
        media = media if isinstance(media, dict) else {}
        name = safe_filename(media.get("filename"), media.get("mime_type"), f"whatsapp-{row['id']}")
        if is_executable(name):
            self._offer_saving(name, data)
        else:
            await self._open_copy(int(row["id"]), name, data)

    async def _open_copy(self, message_id: int, name: str, data: bytes) -> None:
        """Write ``data`` in the private folder, one folder per message, and open it."""
        try:
            folder = Path(self._temp_dir().name) / str(message_id)
            target = folder / name
            if not is_inside(folder, target):  # safe_filename makes it so; checked all the same
                raise ValueError("a media copy would land outside its folder")
            await asyncio.to_thread(_write_private, target, data)
        except (OSError, ValueError) as exc:
            log.warning("could not write a media copy to open: %s", type(exc).__name__)
            self.show_problem(
                self.tr(
                    "Não foi possível preparar o arquivo para abrir; "
                    "verifique o espaço livre no disco."
                )
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            log.warning("the system opened no program for a media copy")
            self.show_problem(
                self.tr("Nenhum programa deste computador abre este tipo de arquivo.")
            )

    def _offer_saving(self, name: str, data: bytes) -> None:
        """A file the system would run is never opened from here: it may be saved instead."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Arquivo recebido"), "", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the name is the customer's
        box.setText(
            self.tr(
                "“{0}” pode executar programas neste computador, por isso não é aberto aqui: "
                "use “Salvar como…” e abra-o só se confiar em quem o enviou."
            ).format(name)
        )
        save = box.addButton(self.tr("Salvar como…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        save.clicked.connect(lambda: self._save_as(name, data))
        box.open()

    def _save_as(self, name: str, data: bytes) -> None:
        """Ask where to save a received file (the attendant's choice), then write it there."""
        downloads = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DownloadLocation
        )
        dialog = QFileDialog(self, self.tr("Salvar como…"), str(Path(downloads) / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(
            lambda path: spawn(self._save_copy(Path(path), data), "save-media")
        )
        dialog.open()

    async def _save_copy(self, target: Path, data: bytes) -> None:
        try:
            await asyncio.to_thread(target.write_bytes, data)
        except OSError as exc:
            log.warning("could not save a received file: %s", type(exc).__name__)
            self.show_problem(self.tr("Não foi possível salvar o arquivo; escolha outra pasta."))
            return
        if shiboken6.isValid(self):  # the window may have closed while the file was written
            self.statusBar().showMessage(self.tr("Arquivo salvo."), 5000)

    def _temp_dir(self) -> tempfile.TemporaryDirectory[str]:
        if not hasattr(self, "_media_tmp"):
            self._media_tmp = tempfile.TemporaryDirectory(prefix="crm-whatsapp-")
        return self._media_tmp

    # -- sending and team actions -----------------------------------------------------------

    def send_text(self, text: str, reply_to: str | None) -> None:
        if self.current is None:
            return
        self._stick = True
        self.session.send_text(self.current, text, reply_to)
        self._replied(self.current)

    def send_files(self, paths: list[Path]) -> None:
        if self.current is None:
            return
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError:
                self.show_problem(self.tr("Não foi possível ler o arquivo {0}.").format(path.name))
                continue
            if len(data) > 100 * 1024 * 1024:
                self.show_problem(self.tr("O arquivo {0} passa de 100 MB.").format(path.name))
                continue
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            self.session.send_media(self.current, data, mime, path.name)
            self._replied(self.current)

    def send_image(self, png: bytes) -> None:
        if self.current is not None:
            self.session.send_media(self.current, png, "image/png", "imagem.png")
            self._replied(self.current)

    def choose_files(self) -> None:
        dialog = QFileDialog(self, self.tr("Anexar arquivos"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.filesSelected.connect(lambda files: self.send_files([Path(f) for f in files]))
        dialog.open()
        self._file_dialog = dialog

    def choose_template(self) -> None:
        if self.current is not None:
            spawn(self._choose_template(self.current), "templates")

    async def _choose_template(self, conversation_id: int) -> None:
        try:
            templates = await self.session.templates()
        except SessionError as exc:
            self.show_problem(str(exc))
            return
        from crm_whatsapp.ui.template_dialog import TemplateDialog

        dialog = TemplateDialog(templates, self)
        dialog.template_chosen.connect(
            lambda body, media: (
                self.session.send_template(conversation_id, body, media),
                self._replied(conversation_id),
            )
        )
        dialog.open()
        self.template_dialog = dialog

    def team(self, action: str, **data: Any) -> None:
        if self.current is not None:
            spawn(self._team(self.current, action, data), f"team-{action}")

    async def _team(self, conversation_id: int | None, action: str, data: dict[str, Any]) -> None:
        try:
            await self.session.team(conversation_id, action, **data)
        except SessionError as exc:
            self.show_problem(str(exc))
            return
        if action == "status" and conversation_id is not None:
            self._close_if_left_view(conversation_id)

    def _close_if_left_view(self, conversation_id: int) -> None:
        """The attendant moved the open conversation out of this view (resolved it, say).

        Its thread closes and no other conversation opens: opening marks read,
        and only the attendant chooses whom to read next.
        """
        if self.current == conversation_id and self.list_model.row_of(conversation_id) < 0:
            self.show_conversation(None)

    def _transfer_other(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Transferir conversa"))
        dialog.setLabelText(self.tr("Nome do colega ou da fila:"))
        dialog.textValueSelected.connect(
            lambda name: name.strip() and self.team("assign", assignee=name.strip())
        )
        dialog.open()
        self._input = dialog

    def _add_note(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Nota interna"))
        dialog.setLabelText(self.tr("Só a equipe vê esta nota:"))
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.textValueSelected.connect(
            lambda text: text.strip() and self.team("note", text=text.strip())
        )
        dialog.open()
        self._input = dialog

    def _edit_labels(self) -> None:
        row = self.current_row()
        if row is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Etiquetas"))
        dialog.setLabelText(self.tr("Etiquetas separadas por vírgula:"))
        dialog.setTextValue(", ".join(row["labels"]))
        dialog.textValueSelected.connect(
            lambda text: self.team(
                "labels", labels=[x.strip() for x in text.split(",") if x.strip()][:20]
            )
        )
        dialog.open()
        self._input = dialog

    def _save_draft(self, text: str) -> None:
        if self.current is not None:
            self.session.history.save_draft(self.current, text)

    def refresh_quick_replies(self) -> None:
        self.composer.set_quick_replies(quick_replies(self.session.history))

    # -- what the session reports ----------------------------------------------------------------

    def on_changed(self, changes: Changes) -> None:
        self.list_model.refresh(changes.conversations)
        self._reselect()
        if self.list_model.held_changes and not self.list_hold.isActive():
            self.list_hold.start()
        if self.current in changes.conversations:
            for message_id in changes.updated:
                self.bubbles.forget(message_id)
            if changes.removed:
                self.thread_model.open(self.current)
            else:
                self.thread_model.apply(changes.added, changes.updated, True)
            row = self.current_row()
            self.header.set_conversation(row, self.colleagues(), self.session.me)
            self._update_window(row)
            self._update_card(row)
            if self.current in changes.incoming:
                self._read_what_is_shown(row)
        if changes.quick_replies:
            self.refresh_quick_replies()
        for conversation_id in changes.incoming:
            self._notify(conversation_id)
        self._update_unread()

    def _notify(self, conversation_id: int) -> None:
        if self.isActiveWindow() and conversation_id == self.current:
            return
        rows = self.session.history.conversations(1, ids=[conversation_id])
        if not rows:
            return
        row = rows[0]
        title = row["name"] or display_phone(row["wa_id"])
        text = preview_line(row)
        self.notified.emit(conversation_id, title, text)
        if not self.notifications or self.isActiveWindow():
            return
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            # Qt hands the body to the notification server as is; some render HTML in it.
            body = notification_body(text, markup=session_reads_body_markup())
            self.tray.showMessage(title, body, app_icon(), 5000)
        if self.sound:
            QApplication.beep()
        QApplication.alert(self)

    def _update_unread(self) -> None:
        unread = self.session.history.unread_total()
        self.tray.setIcon(app_icon(unread=unread > 0))
        self.tray.setToolTip(self.tr("CRM WhatsApp: {0} não lidas").format(unread))
        title = self.tr("CRM WhatsApp")
        self.setWindowTitle(f"({unread}) {title}" if unread else title)

    def on_connection(self, state: str) -> None:
        self._connection_state = state
        labels = {
            "connecting": self.tr("Conectando ao relay…"),
            "replaying": self.tr("Sincronizando mensagens…"),
            "live": self.tr("Conectado"),
            "offline": self.tr(
                "Sem conexão: tentando de novo; as mensagens enviadas ficam na fila."
            ),
            "rejected": self.tr("Este computador foi desconectado pelo administrador."),
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

    def _minute_passed(self) -> None:
        self.list_model.tick()
        self.list_view.viewport().update()
        row = self.current_row()
        self.header.set_conversation(row, self.colleagues(), self.session.me)
        self._update_window(row)

    def open_settings(self) -> None:
        from crm_whatsapp.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.preferences,
            self.session.workspace.profile.root,
            relay_url=self.session.device.relay_url,
            device_name=self.session.me,
            quick_replies=quick_replies(self.session.history),
            save_quick_reply=self._save_quick_reply,
            parent=self,
        )
        dialog.preferences_changed.connect(self.apply_preferences)
        dialog.open()
        self.settings_dialog = dialog

    def _save_quick_reply(self, shortcut: str, text: str | None) -> None:
        spawn(self._team(None, "quick_reply", {"shortcut": shortcut, "text": text}), "quick-reply")

    def apply_retention(self) -> None:
        """Erase history older than the office's retention policy (at start, daily, on change)."""
        months = self.preferences.retention_months
        if months > 0:
            spawn(self._apply_retention(months), "retention")

    async def _apply_retention(self, months: int) -> None:
        try:
            erased = await self.session.apply_retention(months)
        except Exception:
            log.warning("retention could not be applied")
            self.show_problem(self.tr("Não foi possível apagar o histórico antigo agora."))
            return
        if erased:
            self.statusBar().showMessage(
                self.tr("{0} mensagens antigas apagadas (guardar {1} meses).").format(
                    erased, months
                ),
                10_000,
            )

    def apply_preferences(self, preferences: Preferences) -> None:
        language_changed = preferences.language != self.preferences.language
        retention_changed = preferences.retention_months != self.preferences.retention_months
        self.preferences = preferences
        self.sound = preferences.sound
        self.notifications = preferences.notifications
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme = apply_theme(app, preferences.theme)
            self.bubbles.set_theme(theme)
            self.thread_view.viewport().update()
            if language_changed:
                i18n.install(app, preferences.language)  # every widget retranslates itself
        if retention_changed:
            self.apply_retention()
        self.preferences_applied.emit(preferences)

    def closeEvent(self, event: Any) -> None:
        for timer in (self._clock, self._retention_clock, self._retention_soon, self.list_hold):
            timer.stop()  # a closed window starts no more work
        self.voice.stop()
        self.tray.hide()
        self.closed.emit()
        super().closeEvent(event)

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
