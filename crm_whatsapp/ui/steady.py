"""Keeping the three columns where the attendant put them, whatever the texts say.

A splitter gives a column at least what its widgets ask for as a minimum.
Labels that ask for their whole text (a long customer name in the header,
"#vip #atacado #retorno", tabs with counts, English words longer than the
Portuguese) made the centre or the list grow and the others shrink each
time a conversation was assigned or labelled or the language changed. Here
those widgets stop asking: long one-line texts are elided (the whole text
in a tooltip), the view chips scroll, the status filter keeps a fixed
width, and the contact card wraps instead of widening its column.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTabBar,
    QWidget,
)

FILTER_CHARACTERS = 12  # the status filter's width, in characters, in any language


class ElideLabel(QObject):
    """Paints a one-line plain-text label elided to its width; its text stays whole.

    The label asks for no width of its own any more, and shows the whole
    text as a tooltip while it does not fit.
    """

    def __init__(self, label: QLabel) -> None:
        super().__init__(label)
        self.label = label
        label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
        label.setMinimumWidth(1)
        label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.label and event.type() == QEvent.Type.Paint:
            self._paint()
            return True
        return False

    def _paint(self) -> None:
        label = self.label
        rect = label.contentsRect()
        text = label.text()
        metrics = label.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        label.setToolTip(text if shown != text else "")
        painter = QPainter(label)
        label.style().drawItemText(
            painter,
            rect,
            int(label.alignment()),
            label.palette(),
            label.isEnabled(),
            shown,
            label.foregroundRole(),
        )
        painter.end()


def elide(label: QLabel) -> ElideLabel:
    """Make ``label`` elide instead of widening its column."""
    return ElideLabel(label)


def steady_columns(
    splitter: QSplitter,
    view_tabs: QTabBar,
    status_filter: QComboBox,
    header: QWidget,
    contact_card: QLabel,
) -> None:
    """Stop the widgets whose text changes from moving the splitter's handles."""
    # Chips keep their whole words (and counts); when they do not fit, arrows scroll them.
    view_tabs.setElideMode(Qt.TextElideMode.ElideNone)
    view_tabs.setUsesScrollButtons(True)
    status_filter.setSizeAdjustPolicy(
        QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
    )
    status_filter.setMinimumContentsLength(FILTER_CHARACTERS)
    # The header's one-line texts: plain ones (name, subtitle) elide; others (chips) clip.
    for label in header.findChildren(QLabel):
        if label.wordWrap():
            continue
        if label.textFormat() == Qt.TextFormat.PlainText:
            elide(label)
        else:
            label.setSizePolicy(QSizePolicy.Policy.Ignored, label.sizePolicy().verticalPolicy())
            label.setMinimumWidth(1)
    # The card wraps a long name or label list at any width, never widening the panel.
    contact_card.setWordWrap(True)
    contact_card.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    contact_card.setMinimumWidth(1)
