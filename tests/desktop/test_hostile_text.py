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

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

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
    header.set_conversation(header_row(name, assignee=name, labels=[name]), [name], "eu")
    assert header.title.textFormat() == Qt.TextFormat.PlainText
    assert header.title.text() == name
    assert header.subtitle.textFormat() == Qt.TextFormat.PlainText
    assert f"com {name}" in header.subtitle.text() and f"#{name}" in header.subtitle.text()


def test_a_colleague_name_with_an_ampersand_keeps_it_in_the_transfer_menu(qtbot: QtBot) -> None:
    header = ThreadHeader()
    qtbot.addWidget(header)
    header.set_conversation(header_row("Ana"), ["Lima & Filhos"], "eu")
    texts = [a.iconText() for a in header.assign_menu.actions()]  # as the menu shows it
    assert "Transferir para Lima & Filhos" in texts


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
         "assignee": hostile, "labels": [], "status": "open"}, [], "eu")
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
