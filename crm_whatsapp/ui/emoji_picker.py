"""The composer's emoji picker: common emoji by category, the recently used ones first.

A panel over the thread, just above the composer, as in WhatsApp Web: a
click puts the emoji at the text cursor and the panel stays open for more;
Esc (the composer keeps the keyboard and hands it over) or the emoji button
again closes it. The list is in code (no download); the emoji draw with the
system's colour emoji font.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QTabWidget, QToolButton, QVBoxLayout, QWidget

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP

COLUMNS = 8
RECENT_MAX = 16
# (category name, emoji): the ones people use most in customer service chats.
CATEGORIES: tuple[tuple[str, str], ...] = (
    (
        QT_TRANSLATE_NOOP("EmojiPicker", "Carinhas"),
        "😀😃😄😁😆😅😂🤣🙂😉😊😇🥰😍🤩😘😋😛😜🤪🤗🤭🤔🤐😐😑😶🙄😏😬😌😔😴😷🤒🤕🥵🥶😵🤯🥳😎🤓😕😟🙁😮😯😲😳🥺😦😧😨😰😥😢😭😱😖😣😞😓😩😫😤😡😠",
    ),
    (
        QT_TRANSLATE_NOOP("EmojiPicker", "Gestos"),
        "👍👎👌🤌✌️🤞🤟🤘🤙👈👉👆👇☝️✋🤚🖐️🖖👋🤝🙏👏🙌👐🤲💪✍️🫶",
    ),
    (
        QT_TRANSLATE_NOOP("EmojiPicker", "Corações"),
        "❤️🧡💛💚💙💜🖤🤍🤎💔❣️💕💞💓💗💖💘💝",
    ),
    (
        QT_TRANSLATE_NOOP("EmojiPicker", "Objetos"),
        "📍📄📎📌📅📆⏰⌛📞📱💻🖨️📷📦🏠🔑🚗🛵💰💳🧾✉️📧📝✏️🔍💡🎁🎉✅❌⚠️❓❗⭐🔥✨",
    ),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EmojiPicker", text)


def split_emoji(text: str) -> list[str]:
    """``text`` cut into emoji, keeping a variation selector (U+FE0F) with its emoji."""
    found: list[str] = []
    for char in text:
        if char == "\ufe0f" and found:
            found[-1] += char
        else:
            found.append(char)
    return found


class EmojiPicker(QFrame):
    """A panel of emoji in tabs over ``parent`` (the window); ``chosen`` carries the one clicked."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("emojiPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.hide()
        self.recent: list[str] = []
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        self._fill()

    def _page(self, emoji: list[str]) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setSpacing(2)
        font = QFont(self.font())
        font.setPointSize(max(font.pointSize(), 10) + 6)
        for index, one in enumerate(emoji):
            button = QToolButton(page)
            button.setText(one)
            button.setFont(font)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the text keeps the cursor
            button.setFixedSize(36, 36)
            button.clicked.connect(lambda _c=False, e=one: self._clicked(e))
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
        grid.setRowStretch(grid.rowCount(), 1)
        return page

    def _fill(self) -> None:
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            page.deleteLater()
        if self.recent:
            self.tabs.addTab(
                self._page(self.recent), QCoreApplication.translate("EmojiPicker", "Recentes")
            )
        for name, emoji in CATEGORIES:
            self.tabs.addTab(self._page(split_emoji(emoji)), _tr(name))
        self.tabs.setCurrentIndex(0)

    def emoji_on(self, tab: int) -> list[str]:
        """The emoji a tab shows, in order (what the attendant sees on it)."""
        page = self.tabs.widget(tab)
        return [b.text() for b in page.findChildren(QToolButton)] if page is not None else []

    def _clicked(self, emoji: str) -> None:
        self.chosen.emit(emoji)
        self.recent = [emoji, *[e for e in self.recent if e != emoji]][:RECENT_MAX]

    def show_above(self, anchor: QWidget) -> None:
        """Show just above ``anchor`` (the composer), its left edges aligned."""
        self._fill()  # the recent ones first, as last used
        self.adjustSize()
        host = self.parentWidget()
        assert host is not None
        corner = anchor.mapTo(host, QPoint(0, 0))
        self.move(max(corner.x(), 0), max(corner.y() - self.height() - 2, 0))
        self.show()
        self.raise_()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
