"""The inbox window's widgets and where they sit: list on the left, thread in the centre,
the side panel on the right, connection and replay progress in the status bar.

Only construction and placement: what the widgets do when used is wired by
:class:`crm_whatsapp.ui.mainwindow.MainWindow`.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.session import InboxSession
from crm_whatsapp.ui.delegates.bubble import BubbleDelegate
from crm_whatsapp.ui.delegates.conversation import ROW_HEIGHT, ConversationDelegate
from crm_whatsapp.ui.models.conversations import ConversationListModel
from crm_whatsapp.ui.models.thread import ThreadModel
from crm_whatsapp.ui.resources import icon
from crm_whatsapp.ui.search_results import SearchResults
from crm_whatsapp.ui.steady import steady_columns
from crm_whatsapp.ui.thumbnails import Thumbnails
from crm_whatsapp.ui.voice import VoicePlayer
from crm_whatsapp.ui.widgets.composer import Composer
from crm_whatsapp.ui.widgets.connection_banner import ConnectionBanner
from crm_whatsapp.ui.widgets.header import ThreadHeader
from crm_whatsapp.ui.widgets.suggestion_bar import SuggestionBar

VIEWS = ("mine", "unassigned", "all", "unread")
STATUSES = ("open", "pending", "snoozed", "resolved", None)  # None: every status
SIZES = (360, 660, 260)  # list, thread, side panel


@dataclass
class WindowParts:
    """Every widget and model of the window the rest of the code talks to."""

    search_box: QLineEdit
    settings_button: QToolButton
    view_tabs: QTabBar
    status_filter: QComboBox
    list_model: ConversationListModel
    list_view: QListView
    header: ThreadHeader
    thread_model: ThreadModel
    thread_view: QListView
    bubbles: BubbleDelegate
    thumbnails: Thumbnails
    voice: VoicePlayer
    copilot_bar: SuggestionBar
    composer: Composer
    side_panel: QScrollArea
    side_layout: QVBoxLayout
    contact_card: QLabel
    connection_label: QLabel
    progress_bar: QProgressBar
    connection_banner: ConnectionBanner
    search_results: SearchResults


def build_layout(window: QMainWindow, session: InboxSession, theme: str) -> WindowParts:
    """Create the window's widgets, place them in ``window``, and return them."""
    # Left: search, views, status filter, the conversation list
    search_box = QLineEdit(window)
    search_box.setObjectName("searchBox")
    search_box.setClearButtonEnabled(True)
    view_tabs = QTabBar(window)
    view_tabs.setObjectName("viewTabs")
    view_tabs.setExpanding(False)
    view_tabs.setUsesScrollButtons(False)
    view_tabs.setDrawBase(False)
    for _view in VIEWS:
        view_tabs.addTab("")
    status_filter = QComboBox(window)
    for value in STATUSES:
        status_filter.addItem("", value)
    list_model = ConversationListModel(session.history, session.me, window)
    list_view = QListView(window)
    list_view.setObjectName("conversationList")
    list_view.setModel(list_model)
    list_view.setItemDelegate(ConversationDelegate(list_view))
    list_view.setUniformItemSizes(True)
    list_view.setMouseTracking(True)
    list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    list_view.verticalScrollBar().setSingleStep(ROW_HEIGHT // 2)
    settings_button = QToolButton(window)
    settings_button.setIcon(icon("settings"))
    left = QWidget(window)
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    top = QHBoxLayout()
    top.addWidget(search_box, 1)
    top.addWidget(settings_button)
    left_layout.addLayout(top)
    left_layout.addWidget(view_tabs)
    left_layout.addWidget(status_filter)
    left_layout.addWidget(list_view, 1)
    search_results = SearchResults(window)  # messages that match, under the matching chats
    left_layout.addWidget(search_results, 1)

    # Centre: header, thread, Copilot bar, composer
    header = ThreadHeader(window)
    thread_model = ThreadModel(session.history, window)
    thread_view = QListView(window)
    thread_view.setObjectName("threadView")
    thread_view.setModel(thread_model)
    bubbles = BubbleDelegate(thread_view, theme)
    thumbnails = Thumbnails(session.media, window)
    bubbles.thumbnails = thumbnails
    voice = VoicePlayer(session.media, window)
    bubbles.voice = voice
    thread_view.setItemDelegate(bubbles)
    thread_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    thread_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    thread_view.setWordWrap(True)
    thread_view.setResizeMode(QListView.ResizeMode.Adjust)
    thread_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    thread_view.verticalScrollBar().setSingleStep(24)
    copilot_bar = SuggestionBar(window)
    copilot_bar.hide()  # shown with a conversation when the Copilot is on
    composer = Composer(window)
    centre = QWidget(window)
    centre_layout = QVBoxLayout(centre)
    centre_layout.setContentsMargins(0, 0, 0, 0)
    centre_layout.setSpacing(0)
    centre_layout.addWidget(header)
    centre_layout.addWidget(thread_view, 1)
    centre_layout.addWidget(copilot_bar)
    centre_layout.addWidget(composer)

    # Right: the panel plugins fill (contact card, leads); a plain card until then
    side_panel = QScrollArea(window)
    side_panel.setObjectName("sidePanel")
    side_panel.setWidgetResizable(True)
    side_content = QWidget()
    side_layout = QVBoxLayout(side_content)
    contact_card = QLabel(side_content)
    contact_card.setWordWrap(True)
    contact_card.setObjectName("contactCard")
    contact_card.setTextFormat(Qt.TextFormat.RichText)  # built by the window, escaped
    contact_card.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    side_layout.addWidget(contact_card)
    side_layout.addStretch(1)
    side_panel.setWidget(side_content)

    splitter = QSplitter(window)
    splitter.addWidget(left)
    splitter.addWidget(centre)
    splitter.addWidget(side_panel)
    splitter.setSizes(list(SIZES))
    splitter.setChildrenCollapsible(False)
    steady_columns(splitter, view_tabs, status_filter, header, contact_card)
    # The banner spans list and thread while the relay cannot be reached.
    connection_banner = ConnectionBanner(window)
    central = QWidget(window)
    central_layout = QVBoxLayout(central)
    central_layout.setContentsMargins(0, 0, 0, 0)
    central_layout.setSpacing(0)
    central_layout.addWidget(connection_banner)
    central_layout.addWidget(splitter, 1)
    window.setCentralWidget(central)

    # Status bar: connection and replay progress
    connection_label = QLabel(window)
    progress_bar = QProgressBar(window)
    progress_bar.setMaximumWidth(220)
    progress_bar.hide()
    window.statusBar().addWidget(connection_label)
    window.statusBar().addPermanentWidget(progress_bar)
    return WindowParts(
        search_box=search_box,
        settings_button=settings_button,
        view_tabs=view_tabs,
        status_filter=status_filter,
        list_model=list_model,
        list_view=list_view,
        header=header,
        thread_model=thread_model,
        thread_view=thread_view,
        bubbles=bubbles,
        thumbnails=thumbnails,
        voice=voice,
        copilot_bar=copilot_bar,
        composer=composer,
        side_panel=side_panel,
        side_layout=side_layout,
        contact_card=contact_card,
        connection_label=connection_label,
        progress_bar=progress_bar,
        connection_banner=connection_banner,
        search_results=search_results,
    )
