"""The ``/`` quick replies list: shortcut and text, filtered as the attendant types.

It sits above the composer, as in WhatsApp Business, so it never covers
what is being typed, and it never takes the keyboard: the composer keeps
the focus and hands it Up, Down, Enter, Tab and Esc (see ``Composer``).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFrame, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

ROWS_SHOWN = 6
WIDTH = 460


def matching(replies: list[tuple[str, str]], typed: str) -> list[tuple[str, str]]:
    """The replies for ``typed`` (without its ``/``): shortcut prefix first, then any mention.

    A shortcut that starts with the typed text comes first, then one that
    contains it, then a reply whose text does; each group in shortcut order.
    """
    needle = typed.casefold()
    ordered = sorted(replies, key=lambda r: r[0].casefold())
    first = [r for r in ordered if r[0].casefold().startswith(needle)]
    second = [r for r in ordered if needle in r[0].casefold() and r not in first]
    third = [r for r in ordered if needle and needle in r[1].casefold() and r not in first + second]
    return first + second + third


class QuickReplyPopup(QFrame):
    """A list of quick replies; ``picked`` carries the chosen reply's text."""

    picked = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("quickReplyPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.list = QListWidget(self)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the composer keeps the keyboard
        self.list.setUniformItemSizes(True)
        self.list.itemClicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list)
        self.hide()

    def show_for(self, replies: list[tuple[str, str]], typed: str, anchor: QWidget) -> None:
        """List the replies matching ``typed`` just above ``anchor``; hidden when none match."""
        found = matching(replies, typed)
        if not found:
            self.hide()
            return
        self.list.clear()
        metrics = QFontMetrics(self.list.font())
        for shortcut, text in found:
            label = f"/{shortcut}"
            one_line = " ".join(text.split())
            room = WIDTH - metrics.horizontalAdvance(label + " — ") - 40
            shown = metrics.elidedText(one_line, Qt.TextElideMode.ElideRight, max(room, 40))
            item = QListWidgetItem(f"{label} — {shown}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, text)
            item.setToolTip(text)
        self.list.setCurrentRow(0)
        rows = min(len(found), ROWS_SHOWN)
        height = rows * max(self.list.sizeHintForRow(0), metrics.height() + 6) + 8
        self.resize(WIDTH, height)
        host = self.parentWidget()
        assert host is not None
        corner = anchor.mapTo(host, QPoint(0, 0))
        self.move(max(corner.x(), 0), max(corner.y() - height - 2, 0))
        self.show()
        self.raise_()

    def count(self) -> int:
        return self.list.count()

    def move_selection(self, step: int) -> None:
        if self.list.count():
            row = (self.list.currentRow() + step) % self.list.count()
            self.list.setCurrentRow(row)

    def pick_current(self) -> bool:
        """Pick the highlighted reply (the only one, when one matches); ``False`` if none."""
        item = self.list.currentItem()
        if item is None or not self.isVisible():
            return False
        self._clicked(item)
        return True

    def _clicked(self, item: QListWidgetItem) -> None:
        self.hide()
        self.picked.emit(str(item.data(Qt.ItemDataRole.UserRole)))
