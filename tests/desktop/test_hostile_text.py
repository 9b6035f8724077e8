"""Names and messages that look like HTML show as the customer typed them, and run nothing.

A customer controls their WhatsApp name and every message; a relay (or a
malformed event) controls every field. Qt renders anything that looks like
HTML as HTML wherever it guesses the format, loads images from any path (one
19-character message, ``<img src=/dev/zero>``, read /dev/zero until the
process died) and anchors point anywhere. These tests walk what the inbox
shows with hostile names and texts and check that each is shown literally.

Images in rendering tests point at ``/nonexistent.png``, so an incomplete fix
fails an assertion instead of eating the memory of the test process; the
``/dev/zero`` message itself is only rendered in a child process with a
memory limit.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.ui.delegates.bubble import body_html
from crm_whatsapp.ui.links import open_link
from crm_whatsapp.ui.models.thread import Role as ThreadRole
from crm_whatsapp.ui.widgets.composer import Composer
from crm_whatsapp.ui.widgets.header import ThreadHeader

CUSTOMER = "5511977776666"
IMAGE = "<img src=/nonexistent.png>"
HOSTILE = [
    IMAGE,
    "<a href=file:///etc/passwd>senhas</a>",
    "<b>negrito</b> e <i>itálico</i>",
    "&lt;já escapado&gt; &amp; mais",
    "<table><tr><td>célula</td></tr></table>",
]
HOSTILE_NAME = "<b>Ana</b> <img src=/nonexistent.png> &lt;"
TRACES = ("nonexistent", "passwd", "negrito", "escapado", "célula", "Ana</b>")
SCHEMES = ("http", "https", "mailto", "tel", "crm-whatsapp", "file", "javascript", "data", "smb")


class RecordingDocument(QTextDocument):
    """A text document that records every resource (image) its layout asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    def loadResource(self, kind: int, name: QUrl) -> Any:
        self.requested.append(name.toString())
        return None


def rendered(rich: str) -> RecordingDocument:
    """``rich`` laid out the way a bubble lays it out (images would be loaded here)."""
    doc = RecordingDocument()
    doc.setHtml(rich)
    doc.setTextWidth(400)
    doc.size()
    return doc


def live_elements(doc: QTextDocument) -> list[str]:
    """Images and anchors the rich text made (none may come from what a customer typed)."""
    found = []
    for fmt in doc.allFormats():
        if fmt.isImageFormat():
            found.append("image " + fmt.toImageFormat().name())
        elif fmt.isCharFormat() and fmt.toCharFormat().isAnchor():
            found.append("anchor " + fmt.toCharFormat().anchorHref())
    return found


def shown_text(label: QLabel) -> str:
    """What the reader sees in ``label``; fails if the label would guess the format."""
    fmt = label.textFormat()
    if fmt == Qt.TextFormat.PlainText:
        return label.text()
    assert fmt == Qt.TextFormat.RichText, f"{label.objectName()!r} guesses its text format"
    doc = rendered(label.text())
    assert not doc.requested and not live_elements(doc), label.text()
    return doc.toPlainText()


def header_row(name: str, **more: Any) -> dict[str, Any]:
    row = {
        "name": name,
        "wa_id": CUSTOMER,
        "user_id": None,
        "last_inbound_at": time.time(),
        "assignee": None,
        "labels": [],
        "status": "open",
    }
    row.update(more)
    return row


# -- each widget on its own ------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_the_thread_header_shows_a_customer_name_as_typed(qtbot: QtBot, name: str) -> None:
    header = ThreadHeader()
    qtbot.addWidget(header)
    header.set_conversation(header_row(name, assignee=name, labels=[name]), "eu")
    assert header.title.textFormat() == Qt.TextFormat.PlainText
    assert header.title.text() == name
    assert header.subtitle.textFormat() == Qt.TextFormat.PlainText
    assert f"com {name}" in header.subtitle.text()
    assert name in shown_text(header.chips)  # the label's chip: escaped rich text


def test_a_colleague_name_with_an_ampersand_keeps_it_in_the_transfer_menu(qtbot: QtBot) -> None:
    header = ThreadHeader()
    qtbot.addWidget(header)
    header.set_roster([{"id": "d1", "name": "Lima & Filhos", "online": False}])
    header.set_conversation(header_row("Ana"), "eu")
    header.assign_menu.aboutToShow.emit()  # filled as it opens
    texts = [a.iconText() for a in header.assign_menu.actions()]  # as the menu shows it
    assert "Lima & Filhos" in texts


@pytest.mark.parametrize("text", HOSTILE)
def test_the_reply_banner_shows_the_quoted_message_as_typed(qtbot: QtBot, text: str) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_reply("wamid.X", text)
    assert composer.reply_label.textFormat() == Qt.TextFormat.PlainText
    assert composer.reply_label.text() == f"Respondendo a: {text}"


_RENDER_DEV_ZERO = textwrap.dedent(
    """
    import resource, sys, time
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from PySide6.QtWidgets import QApplication
    from crm_whatsapp.ui.widgets.composer import Composer
    from crm_whatsapp.ui.widgets.header import ThreadHeader
    app = QApplication([])
    hostile = "<img src=/dev/zero>"
    header = ThreadHeader()
    header.set_conversation(
        {"name": hostile, "wa_id": "5511", "user_id": None, "last_inbound_at": time.time(),
         "assignee": hostile, "labels": [], "status": "open"}, "eu")
    composer = Composer()
    composer.set_reply("wamid.X", hostile)
    for widget in (header, composer):
        widget.resize(600, 200)
        widget.show()
        app.processEvents()
        widget.grab()
    print("rendered")
    """
)


@pytest.mark.timeout(120)
def test_an_image_of_dev_zero_in_a_name_or_reply_does_not_kill_the_inbox(tmp_path: Path) -> None:
    """The 19-character message that aborted the app, rendered for real in a child process.

    The child may use 3 GiB of address space: reading /dev/zero hits that in
    about a second and aborts, where the fixed widgets never try.
    """
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRM_WHATSAPP_HOME=str(tmp_path))
    child = subprocess.run(
        [sys.executable, "-c", _RENDER_DEV_ZERO, str(3 * 1024**3)],
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    assert child.stdout.strip() == "rendered"


# -- links -----------------------------------------------------------------------------


class UrlCatcher(QObject):
    """Stands in for the desktop's browser, mail and file handlers (nothing is launched)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def take(self, url: QUrl) -> None:
        self.opened.append(url.toString())


@pytest.fixture
def desktop_handlers(qapp: Any) -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    for scheme in SCHEMES:
        QDesktopServices.setUrlHandler(scheme, catcher, "take")
    yield catcher
    for scheme in SCHEMES:
        QDesktopServices.unsetUrlHandler(scheme)


@pytest.mark.parametrize(
    "link",
    [
        "https://exemplo.com.br/a?b=1",
        "http://exemplo.com.br",
        "mailto:contato@exemplo.com.br",
        "tel:+5511988887777",
        "crm-whatsapp://chat?phone=5511988887777",
    ],
)
def test_links_to_the_web_mail_phone_and_the_app_open(
    desktop_handlers: UrlCatcher, link: str
) -> None:
    assert open_link(link)
    assert desktop_handlers.opened == [link]


@pytest.mark.parametrize(
    "link",
    [
        "file:///etc/passwd",
        "FILE:///home/ana/.bashrc",
        "javascript:alert(1)",
        "data:text/html,<b>oi</b>",
        "smb://servidor/pasta",
        "/etc/passwd",
        " javascript:alert(1)",
        "",
    ],
)
def test_other_links_are_refused_and_only_their_scheme_is_logged(
    desktop_handlers: UrlCatcher, caplog: pytest.LogCaptureFixture, link: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="crm_whatsapp.ui.links"):
        assert not open_link(link)
    assert desktop_handlers.opened == []
    assert len(caplog.records) == 1
    assert "passwd" not in caplog.text and "alert" not in caplog.text and "oi" not in caplog.text


# -- the whole window, fed by a customer through the relay ---------------------------------


def message_rows(desk: Desk) -> list[dict[str, Any]]:
    model = desk.window.thread_model
    rows = [model.index(i).data(ThreadRole.Row) for i in range(model.rowCount())]
    return [r for r in rows if r and r["kind"] == "message"]


def open_customer(qtbot: QtBot, desk: Desk, count: int) -> None:
    qtbot.waitUntil(lambda: desk.conversation_for(CUSTOMER) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(CUSTOMER)
    assert conversation_id is not None
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: len(message_rows(desk)) == count, timeout=10_000)


def labels_showing_data(window: QWidget) -> list[QLabel]:
    return [
        label
        for label in window.findChildren(QLabel)
        if any(trace in label.text() for trace in TRACES)
    ]


def test_every_widget_of_the_window_shows_hostile_names_and_texts_literally(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    for text in HOSTILE:
        office.say(CUSTOMER, text=text, name=HOSTILE_NAME)
    open_customer(qtbot, desk, len(HOSTILE))
    window = desk.window
    last = message_rows(desk)[-1]
    window.composer.set_reply(last["wamid"], last["text"])  # "Responder" in the bubble's menu
    qtbot.waitExposed(window)

    assert window.header.title.text() == HOSTILE_NAME
    seen = {
        label.objectName() or repr(label): shown_text(label)
        for label in labels_showing_data(window)
    }
    assert HOSTILE_NAME in seen.get("threadTitle", "")
    assert seen["contactCard"].startswith(f"{HOSTILE_NAME}\n+55 11 97777-6666")
    assert any(value == f"Respondendo a: {HOSTILE[-1]}" for value in seen.values())
    for widget in [window, *window.findChildren(QWidget)]:
        tip = widget.toolTip()
        assert not any(trace in tip for trace in TRACES), tip

    for row in message_rows(desk):
        doc = rendered(body_html(row))
        assert doc.toPlainText() == row["text"]
        assert doc.requested == [] and live_elements(doc) == []


def test_a_location_with_hostile_coordinates_gets_no_map_link(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    hostile = {
        "latitude": "0' onclick='x'><img src=/nonexistent.png><a href='file:///etc/passwd",
        "longitude": -46.6576,
        "name": "<b>Casa</b>",
    }
    office.say(CUSTOMER, "location", content=hostile)
    office.say(CUSTOMER, "location", content={"latitude": 91.0, "longitude": 0, "name": "Polo"})
    office.say(CUSTOMER, "location", content={"latitude": True, "longitude": 0, "name": "Sim"})
    office.say(
        CUSTOMER,
        "location",
        content={"latitude": -23.5874, "longitude": -46.6576, "name": "Parque"},
    )
    open_customer(qtbot, desk, 4)
    docs = [rendered(body_html(row)) for row in message_rows(desk)]
    assert [live_elements(doc) for doc in docs[:3]] == [[], [], []]
    assert all(doc.requested == [] for doc in docs)
    assert docs[0].toPlainText() == "<b>Casa</b>"
    assert live_elements(docs[3]) == [
        "anchor https://www.openstreetmap.org/?mlat=-23.587400&mlon=-46.657600"
        "#map=17/-23.587400/-46.657600"
    ]


def test_a_clicked_link_opens_only_for_a_safe_scheme(
    desk: Desk, desktop_handlers: UrlCatcher
) -> None:
    bubbles = desk.window.bubbles
    for link in ("file:///etc/passwd", "javascript:alert(1)", "https://exemplo.com.br"):
        bubbles.link_clicked.emit(link)
    assert desktop_handlers.opened == ["https://exemplo.com.br"]
