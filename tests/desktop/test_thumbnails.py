"""Photo and sticker previews: decoded and scaled in memory, never written in clear."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage

from crm_whatsapp.ui.thumbnails import IMAGE_BOX, STICKER_BOX, scaled_preview


def png(width: int, height: int, colour: str = "#1FA855") -> bytes:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor(colour))
    return encoded(image)


def encoded(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def test_a_wide_photo_fills_its_box_cropped_to_the_centre(qapp: object) -> None:
    wide = QImage(800, 200, QImage.Format.Format_ARGB32)
    wide.fill(QColor("#FF0000"))
    for x in range(300, 500):  # a green band in the middle
        for y in range(200):
            wide.setPixelColor(x, y, QColor("#00FF00"))
    preview = scaled_preview(encoded(wide), "image")
    assert preview is not None
    assert preview.size() == IMAGE_BOX
    assert preview.pixelColor(IMAGE_BOX.width() // 2, 10).green() > 200  # the centre kept


def test_a_sticker_fits_inside_its_box_without_cropping(qapp: object) -> None:
    preview = scaled_preview(png(512, 256), "sticker")
    assert preview is not None
    assert preview.width() == STICKER_BOX.width() and preview.height() == 64


def test_bytes_that_are_not_an_image_give_no_preview(qapp: object) -> None:
    assert scaled_preview(b"%PDF-1.4 not an image", "image") is None
    assert scaled_preview(b"", "sticker") is None


def test_a_tiny_image_is_scaled_up_smoothly_to_the_box(qapp: object) -> None:
    preview = scaled_preview(png(16, 12, "#0000FF"), "image")
    assert preview is not None and preview.size() == IMAGE_BOX
    assert preview.pixelColor(5, 5).blue() > 200
