"""The desktop's visual resources: SVG icons, the icon loader, style sheets and themes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QImageReader, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.ui import resources

STATUS_ICONS = ("status-pending", "status-sent", "status-delivered", "status-read", "status-failed")
ACTION_ICONS = (
    "attach",
    "send",
    "template",
    "note",
    "assign",
    "resolve",
    "reopen",
    "search",
    "settings",
    "label",
    "reply",
    "react",
    "close",
    "image",
    "document",
    "audio",
    "video",
    "location",
    "contact",
    "play",
    "pause",
    "download",
)
#: The neutral grey of the light theme and the text colour of the dark one.
COLORS = ("#54656F", "#E9EDEF")


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    """The test QApplication, with its style, palette and style sheet put back afterwards."""
    style = qapp.style().name()
    palette = QPalette(qapp.palette())
    sheet = qapp.styleSheet()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)
    if style:
        qapp.setStyle(style)


@pytest.fixture
def qt_warnings() -> Iterator[list[str]]:
    """Qt warnings (and worse) logged while the test runs."""
    caught: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg and kind != QtMsgType.QtInfoMsg:
            caught.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        yield caught
    finally:
        qInstallMessageHandler(previous)


def test_every_svg_parses(qapp: QApplication) -> None:
    svgs = sorted((resources.resources_dir() / "icons").glob("*.svg"))
    assert len(svgs) >= 2 + len(STATUS_ICONS) + len(ACTION_ICONS)
    for svg in svgs:
        assert QSvgRenderer(str(svg)).isValid(), svg.name


@pytest.mark.parametrize("color", COLORS)
@pytest.mark.parametrize("name", STATUS_ICONS + ACTION_ICONS)
def test_icon_loads_in_each_color(qapp: QApplication, name: str, color: str) -> None:
    for chosen in (color, None):
        loaded = resources.icon(name, chosen)
        assert not loaded.isNull()
        assert not loaded.pixmap(24).isNull()


def test_icon_color_replaces_current_color(qapp: QApplication) -> None:
    image = resources.icon("close", "#FF0000").pixmap(48).toImage()
    colors = {
        QColor(image.pixel(x, y)).name()
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    }
    assert colors == {"#ff0000"}


def test_read_ticks_default_to_blue(qapp: QApplication) -> None:
    image = resources.icon("status-read").pixmap(48).toImage()
    opaque = [
        QColor(image.pixel(x, y))
        for x in range(image.width())
        for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    ]
    assert opaque
    assert {color.name() for color in opaque} == {"#34b7f1"}


def test_icons_are_cached(qapp: QApplication) -> None:
    assert resources.icon("send", "#FFFFFF") is resources.icon("send", "#FFFFFF")


def test_unknown_icon_and_bad_color_fail_loudly(qapp: QApplication) -> None:
    with pytest.raises(FileNotFoundError):
        resources.icon("no-such-icon")
    with pytest.raises(ValueError):
        resources.icon("../styles/light")
    with pytest.raises(ValueError):
        resources.icon("send", "not-a-colour")


@pytest.mark.parametrize("unread", [False, True])
def test_app_icon_is_green_in_the_middle(qapp: QApplication, unread: bool) -> None:
    pixmap = resources.app_icon(unread).pixmap(32)
    assert pixmap.width() == 32
    centre = QColor(pixmap.toImage().pixel(16, 16))
    assert centre.green() > centre.red() + 60
    assert centre.green() > centre.blue() + 60


def test_unread_badge_is_red(qapp: QApplication) -> None:
    image = resources.app_icon(unread=True).pixmap(64).toImage()
    corner = QColor(image.pixel(52, 12))
    assert corner.red() > 180
    assert corner.green() < 100


def test_packaged_rasters_exist(qapp: QApplication) -> None:
    icons = resources.resources_dir() / "icons"
    for size in (16, 32, 64, 256):
        reader = QImageReader(str(icons / f"app-{size}.png"))
        assert reader.size().width() == size
    ico = QImageReader(str(icons / "app.ico"))
    sizes = []
    for index in range(ico.imageCount()):
        ico.jumpToImage(index)
        sizes.append(ico.read().width())
    assert sorted(sizes) == [16, 32, 48, 256]


def test_resources_dir_in_a_pyinstaller_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert (resources.resources_dir() / "styles" / "light.qss").is_file()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"


def _inbox_lookalike() -> QMainWindow:
    """A window with every object name and widget class the style sheets address."""
    window = QMainWindow()
    splitter = QSplitter()
    left = QFrame()
    left_layout = QVBoxLayout(left)
    search = QLineEdit(objectName="searchBox", placeholderText="Pesquisar")
    tabs = QTabBar(objectName="viewTabs")
    for label in ("Minhas", "Não atribuídas", "Todas"):
        tabs.addTab(label)
    conversations = QListWidget(objectName="conversationList")
    conversations.addItems(["Maria", "João", "Escritório"])
    conversations.setCurrentRow(0)
    for widget in (search, tabs, conversations):
        left_layout.addWidget(widget)

    middle = QFrame()
    middle_layout = QVBoxLayout(middle)
    header = QFrame(objectName="threadHeader")
    QHBoxLayout(header).addWidget(QLabel("Maria"))
    thread = QListWidget(objectName="threadView")
    thread.addItems(["Olá!", "Bom dia"])
    banner = QLabel("A janela de 24 horas está fechada", objectName="windowClosedBanner")
    copilot = QFrame(objectName="copilotBar")
    copilot_layout = QHBoxLayout(copilot)
    copilot_layout.addWidget(QLabel("Sugestão"))
    copilot_layout.addWidget(QPushButton("Usar"))
    composer = QFrame(objectName="composer")
    composer_layout = QHBoxLayout(composer)
    composer_layout.addWidget(QToolButton(icon=resources.icon("attach")))
    composer_layout.addWidget(QPlainTextEdit(objectName="composerEdit"))
    composer_layout.addWidget(
        QToolButton(objectName="sendButton", icon=resources.icon("send", "#FFFFFF"))
    )
    for widget in (header, thread, banner, copilot, composer):
        middle_layout.addWidget(widget)

    side = QWidget(objectName="sidePanel")
    side.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
    side_layout = QVBoxLayout(side)
    primary = QPushButton("Resolver")
    primary.setProperty("primary", True)
    side_layout.addWidget(primary)
    side_layout.addWidget(QPushButton("Cancelar"))

    for widget in (left, middle, side):
        splitter.addWidget(widget)
    window.setCentralWidget(splitter)
    window.statusBar().showMessage("Conectado")
    window.resize(1000, 700)
    return window


@pytest.mark.parametrize("theme", resources.THEMES)
def test_stylesheet_applies_without_warnings(
    app: QApplication, qt_warnings: list[str], theme: str
) -> None:
    sheet = resources.stylesheet(theme)
    assert "#conversationList" in sheet
    window = _inbox_lookalike()
    app.setStyleSheet(sheet)
    # grab() polishes and paints every child without show(), whose offscreen-platform
    # warning ("does not support propagateSizeHints") has nothing to do with the sheet.
    assert not window.grab().isNull()
    window.deleteLater()
    app.processEvents()
    assert qt_warnings == []


def test_unknown_theme_is_rejected(app: QApplication) -> None:
    with pytest.raises(ValueError):
        resources.stylesheet("sepia")
    with pytest.raises(ValueError):
        resources.apply_theme(app, "sepia")


def test_apply_theme_sets_palette_and_sheet(app: QApplication) -> None:
    assert resources.apply_theme(app, "dark") == "dark"
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert app.styleSheet() == resources.stylesheet("dark")

    assert resources.apply_theme(app, "light") == "light"
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert app.styleSheet() == resources.stylesheet("light")


def test_system_theme_follows_the_style_hints(app: QApplication) -> None:
    expected = "dark" if resources.system_prefers_dark(app) else "light"
    assert resources.apply_theme(app, "system") == expected
