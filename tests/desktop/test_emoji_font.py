"""Emoji are drawn in colour, not as empty boxes (previews show 📍📄🎤, reactions 👍🙏)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtWidgets import QApplication

from crm_whatsapp.app import application
from crm_whatsapp.ui.resources import EMOJI_FAMILIES, install_fonts


def coloured_pixels(text: str) -> int:
    """How many clearly coloured pixels ``text`` paints in black on white.

    A font without the glyph draws a box or nothing, in the pen's black; a colour emoji
    font paints its own colours whatever the pen.
    """
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    font = QFont(QApplication.font())
    font.setPixelSize(40)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if (colour := image.pixelColor(x, y)).hsvSaturation() > 80 and colour.value() > 60
    )


def test_the_app_names_a_colour_emoji_font_and_emoji_paint_in_colour() -> None:
    application()
    assert install_fonts() in EMOJI_FAMILIES  # `make test` installs fonts-noto-color-emoji
    for emoji in ("👍", "🙏", "📍", "📄", "🎤", "👍🏽"):
        assert coloured_pixels(emoji) > 50, emoji
    assert coloured_pixels("Ana") == 0  # the measure tells text from emoji
