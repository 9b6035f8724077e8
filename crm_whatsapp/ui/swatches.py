"""Small coloured marks: label chips as escaped rich text, swatch and presence dots as icons."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

ONLINE = "#25D366"
OFFLINE = "#AEBAC1"
# The colours offered for a new label (WhatsApp Business offers a fixed set, too).
LABEL_COLOURS = (
    "#00A884",
    "#53BDEB",
    "#FFBC38",
    "#E26A6A",
    "#9B7AE0",
    "#F78B5C",
    "#1E88E5",
    "#8696A0",
)


def text_on(colour: str) -> str:
    """Black or white, whichever reads on ``colour``."""
    c = QColor(colour)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#111B21" if luminance > 160 else "#FFFFFF"


def dot(colour: str, size: int = 12) -> QIcon:
    """A filled circle: a label's colour, or presence (green online, grey offline)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def chips_html(chips: list[tuple[str, str]]) -> str:
    """``(text, colour)`` pairs as coloured chips; every text escaped (names come from outside)."""
    return "&nbsp;".join(
        f'<span style="background-color:{QColor(colour).name()}; color:{text_on(colour)};">'
        f"&nbsp;{html.escape(text)}&nbsp;</span>"
        for text, colour in chips
    )
