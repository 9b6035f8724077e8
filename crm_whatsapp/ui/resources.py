"""Icons, style sheets and the light/dark theme of the desktop inbox.

The artwork lives as plain files in the repository's ``resources/`` folder (SVG icons, QSS
style sheets) rather than in a compiled Qt resource file, so a designer can change a colour
without a build step and the packager only has to copy one folder. This module is the one
place that knows where that folder is and how to turn its files into Qt objects.

Toolbar and status icons draw with ``currentColor``: ``icon(name, color)`` substitutes a
concrete colour into the SVG text before rendering, so one file serves the light theme, the
dark theme and selected rows alike.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QImage,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

Theme = Literal["light", "dark"]
THEMES: tuple[Theme, ...] = ("light", "dark")

#: Sizes pre-rendered into every icon: the 16/24/32/48 px the widgets ask for, and their
#: 2x counterparts so HiDPI screens get a sharp pixmap instead of an upscaled one.
ICON_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 96)
#: The product icon also feeds the window manager, task bar and tray, which ask for more.
APP_ICON_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256)

#: The colour line icons are drawn in on each theme's bars, for ``icon(name, ICON_COLOR[theme])``:
#: the style sheets' neutral grey on light, a light grey on dark (both >= 4.5:1 on their
#: panels). The send button is a green disc in both themes and takes "#FFFFFF" instead.
ICON_COLOR: dict[Theme, str] = {"light": "#54656F", "dark": "#AEBAC1"}

_CURRENT_COLOR = b"currentColor"

#: Colour emoji fonts, best first: customers write 👍🙏 and the previews show 📍📄🎤, which
#: are empty boxes in a font without them. Linux has Noto's when ``fonts-noto-color-emoji``
#: is installed (``tools/system-deps.sh``) or bundled in ``resources/fonts``; Windows ships
#: Segoe UI Emoji, macOS Apple Color Emoji.
EMOJI_FAMILIES: tuple[str, ...] = ("Noto Color Emoji", "Segoe UI Emoji", "Apple Color Emoji")


def resources_dir() -> Path:
    """The ``resources/`` folder, in a PyInstaller bundle or next to the source tree.

    A frozen build unpacks its data files under ``sys._MEIPASS`` (the installer spec must
    add ``resources`` there); a source checkout or editable install keeps the folder at the
    repository root, two levels above this package.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def icon_path(name: str) -> Path:
    """Where the SVG for icon ``name`` lives; ``FileNotFoundError`` names a missing one.

    Failing loudly beats Qt's silent null icon: a typo in an icon name would otherwise
    show up only as an empty button.
    """
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"not an icon name: {name!r}")
    path = resources_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"no icon {name!r} at {path}")
    return path


@lru_cache(maxsize=1)
def _register_bundled_fonts() -> None:
    """Once per process: Qt would register the same file again on every call."""
    folder = resources_dir() / "fonts"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() in (".ttf", ".otf", ".ttc"):
                QFontDatabase.addApplicationFont(str(path))


def install_fonts() -> str | None:
    """Register the bundled fonts and make a colour emoji font the one emoji use.

    Qt picks an emoji font by itself only when fontconfig ranks one first for the
    character; naming it (Qt >= 6.9) makes emoji sequences (skin tones, flags, ZWJ
    families) render as one coloured glyph whatever the text font. Fonts in
    ``resources/fonts`` are the installer's (a bundle cannot count on the system's).
    Returns the emoji family used, or None when the machine has none.
    """
    _register_bundled_fonts()
    available = set(QFontDatabase.families())
    for family in EMOJI_FAMILIES:
        if family in available:
            if hasattr(QFontDatabase, "addApplicationEmojiFontFamily") and (
                family not in QFontDatabase.applicationEmojiFontFamilies()
            ):
                QFontDatabase.addApplicationEmojiFontFamily(family)
            return family
    return None


def _render(svg: bytes, sizes: tuple[int, ...], opacity: float = 1.0) -> QIcon:
    """Render ``svg`` once per size into a pixmap-backed QIcon.

    Pixmaps rather than a custom QIconEngine keep the icon an ordinary value that Qt can
    derive disabled/selected variants from, and rendering happens once per cache entry.
    """
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError("invalid SVG")
    result = QIcon()
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(opacity)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(QPixmap.fromImage(image))
    return result


@lru_cache(maxsize=256)
def icon(name: str, color: str | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg``, drawn in ``color`` if one is given.

    ``color`` is anything QColor understands ("#54656F", "white", "#8000A884" with alpha);
    it replaces every ``currentColor`` in the SVG. Without it the file's own default
    (its root ``color`` attribute) is used. Results are cached per (name, color), since
    widgets ask for the same few icons over and over; a QApplication must exist first.
    """
    svg = icon_path(name).read_bytes()
    opacity = 1.0
    if color is not None:
        qcolor = QColor(color)
        if not qcolor.isValid():
            raise ValueError(f"not a colour: {color!r}")
        # SVG wants #RRGGBB; alpha goes through the painter instead.
        svg = svg.replace(_CURRENT_COLOR, qcolor.name(QColor.NameFormat.HexRgb).encode())
        opacity = qcolor.alphaF()
    return _render(svg, ICON_SIZES, opacity)


@lru_cache(maxsize=2)
def app_icon(unread: bool = False) -> QIcon:
    """The product icon; ``unread`` adds the red badge the tray shows for waiting messages."""
    name = "app-unread" if unread else "app"
    return _render(icon_path(name).read_bytes(), APP_ICON_SIZES)


def _check_theme(theme: str) -> Theme:
    """``theme`` as a concrete theme name, or ``ValueError`` for anything else."""
    if theme == "light":
        return "light"
    if theme == "dark":
        return "dark"
    raise ValueError(f"unknown theme {theme!r}; expected one of {THEMES}")


@lru_cache(maxsize=2)
def stylesheet(theme: str) -> str:
    """The Qt style sheet text of ``theme`` ("light" or "dark")."""
    path = resources_dir() / "styles" / f"{_check_theme(theme)}.qss"
    return path.read_text(encoding="utf-8")


def system_prefers_dark(app: QGuiApplication) -> bool:
    """Whether the desktop is in dark mode, so "system" can follow it.

    Qt reports the platform's colour scheme through its style hints (PySide6 >= 6.5); an
    unknown scheme (older desktops, the offscreen platform) counts as light.
    After ``apply_theme(app, "dark"/"light")`` on Qt >= 6.8 this reports that explicit
    choice until ``apply_theme(app, "system")`` hands the scheme back to the platform.
    """
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def _palette(theme: Theme) -> QPalette:
    """A Fusion palette matching the style sheet, for every widget the sheet does not name.

    Dialogs, combo boxes, check boxes and message boxes take their colours from the palette;
    without it they would stay in the platform's scheme next to a themed inbox.
    """
    if theme == "dark":
        colors = {
            QPalette.ColorRole.Window: "#111B21",
            QPalette.ColorRole.WindowText: "#E9EDEF",
            QPalette.ColorRole.Base: "#2A3942",
            QPalette.ColorRole.AlternateBase: "#202C33",
            QPalette.ColorRole.ToolTipBase: "#233138",
            QPalette.ColorRole.ToolTipText: "#E9EDEF",
            QPalette.ColorRole.PlaceholderText: "#8696A0",
            QPalette.ColorRole.Text: "#E9EDEF",
            QPalette.ColorRole.Button: "#202C33",
            QPalette.ColorRole.ButtonText: "#E9EDEF",
            QPalette.ColorRole.BrightText: "#FFFFFF",
            QPalette.ColorRole.Light: "#3B4A54",
            QPalette.ColorRole.Midlight: "#2A3942",
            QPalette.ColorRole.Mid: "#202C33",
            QPalette.ColorRole.Dark: "#0B141A",
            QPalette.ColorRole.Shadow: "#000000",
            QPalette.ColorRole.Highlight: "#00A884",
            QPalette.ColorRole.HighlightedText: "#111B21",
            QPalette.ColorRole.Link: "#53BDEB",
            QPalette.ColorRole.LinkVisited: "#53BDEB",
        }
        disabled_text = "#667781"
    else:
        colors = {
            QPalette.ColorRole.Window: "#F0F2F5",
            QPalette.ColorRole.WindowText: "#111B21",
            QPalette.ColorRole.Base: "#FFFFFF",
            QPalette.ColorRole.AlternateBase: "#F5F6F6",
            QPalette.ColorRole.ToolTipBase: "#FFFFFF",
            QPalette.ColorRole.ToolTipText: "#111B21",
            QPalette.ColorRole.PlaceholderText: "#667781",
            QPalette.ColorRole.Text: "#111B21",
            QPalette.ColorRole.Button: "#FFFFFF",
            QPalette.ColorRole.ButtonText: "#111B21",
            QPalette.ColorRole.BrightText: "#FFFFFF",
            QPalette.ColorRole.Light: "#FFFFFF",
            QPalette.ColorRole.Midlight: "#F5F6F6",
            QPalette.ColorRole.Mid: "#D1D7DB",
            QPalette.ColorRole.Dark: "#AEBAC1",
            QPalette.ColorRole.Shadow: "#54656F",
            QPalette.ColorRole.Highlight: "#008069",
            QPalette.ColorRole.HighlightedText: "#FFFFFF",
            QPalette.ColorRole.Link: "#027EB5",
            QPalette.ColorRole.LinkVisited: "#027EB5",
        }
        disabled_text = "#8696A0"
    palette = QPalette()
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.HighlightedText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled_text))
    return palette


def apply_theme(app: QApplication, theme: str) -> Theme:
    """Switch the whole application to ``theme`` ("system", "light" or "dark").

    "system" resolves through the platform's colour scheme at call time; the caller
    re-applies on ``app.styleHints().colorSchemeChanged`` to follow later switches. The
    Fusion style is used because it honours the palette on every platform (the native
    Windows and macOS styles ignore parts of it). Returns the concrete theme applied.
    """
    if theme == "system":
        hints = app.styleHints()
        if hasattr(hints, "unsetColorScheme"):  # Qt >= 6.8: drop an earlier explicit request
            hints.unsetColorScheme()
        concrete: Theme = "dark" if system_prefers_dark(app) else "light"
    else:
        concrete = _check_theme(theme)
        hints = app.styleHints()
        if hasattr(hints, "setColorScheme"):  # Qt >= 6.8: native title bars follow the theme
            hints.setColorScheme(
                Qt.ColorScheme.Dark if concrete == "dark" else Qt.ColorScheme.Light
            )
    # Set every time: once a style sheet is active, app.style() is Qt's style-sheet wrapper
    # and no longer tells which base style is underneath.
    app.setStyle("Fusion")
    app.setPalette(_palette(concrete))
    app.setStyleSheet(stylesheet(concrete))
    return concrete
