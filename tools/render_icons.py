"""Render the product icon's raster copies for packaging from resources/icons/app.svg.

Installers and the Windows executable need bitmaps: PNGs for Linux desktop entries and
a multi-size .ico for the .exe and its shortcuts. They are generated, not drawn, so the
SVG stays the only source; rerun this after editing app.svg and commit the outputs:

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_icons.py

Writes app-256.png, app-64.png, app-32.png, app-16.png and app.ico (16, 32, 48 and 256 px)
next to app.svg. Qt's own ICO writer stores one image per file, so the ICO container is
assembled here: a 6-byte header, one 16-byte entry per size, then PNG images (the form
Windows has read since Vista, and the one that keeps the 256 px entry small).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS_DIR = Path(__file__).resolve().parents[1] / "resources" / "icons"
PNG_SIZES = (256, 64, 32, 16)
ICO_SIZES = (16, 32, 48, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The SVG drawn into a transparent ``size`` x ``size`` ARGB image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """``image`` encoded as PNG in memory."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: list[QImage]) -> bytes:
    """An ICO file holding ``images`` as PNG entries (each at most 256 x 256)."""
    header = struct.pack("<HHH", 0, 1, len(images))  # reserved, type 1 = icon, count
    payloads = [png_bytes(image) for image in images]
    offset = len(header) + 16 * len(images)
    entries = b""
    for image, payload in zip(images, payloads, strict=True):
        width, height = image.width(), image.height()
        if not (0 < width <= 256 and 0 < height <= 256):
            raise ValueError(f"ICO entries are 1..256 px, not {width}x{height}")
        entries += struct.pack(
            "<BBBBHHII",
            width % 256,  # 256 is stored as 0
            height % 256,
            0,  # palette size: none (true colour)
            0,  # reserved
            1,  # colour planes
            32,  # bits per pixel
            len(payload),
            offset,
        )
        offset += len(payload)
    return header + entries + b"".join(payloads)


def main() -> int:
    """Render every output next to app.svg and say what was written."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    source = ICONS_DIR / "app.svg"
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        print(f"cannot parse {source}", file=sys.stderr)
        return 1
    for size in PNG_SIZES:
        target = ICONS_DIR / f"app-{size}.png"
        target.write_bytes(png_bytes(render(renderer, size)))
        print(f"wrote {target.relative_to(ICONS_DIR.parents[1])}")
    target = ICONS_DIR / "app.ico"
    target.write_bytes(ico_bytes([render(renderer, size) for size in ICO_SIZES]))
    print(f"wrote {target.relative_to(ICONS_DIR.parents[1])} ({', '.join(map(str, ICO_SIZES))} px)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
