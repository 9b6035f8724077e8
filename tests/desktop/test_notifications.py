"""Tray messages show a customer's name and text as typed, whatever the notification server.

Qt passes a tray message's body to the freedesktop notification server as is;
a server that lists ``body-markup`` renders ``<b>``, ``<a href>`` and
``<img src>`` in it. The window escapes the body exactly for those servers.
The servers here are real D-Bus services on a private bus, answering the
freedesktop calls Qt and the window make.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtDBus import QDBusConnection

from crm_whatsapp.domain.richtext import notification_body
from crm_whatsapp.ui.notifications import SERVER, WATCHER, reads_body_markup

HOSTILE = [
    "<img src=/nonexistent.png>",
    '<a href="file:///etc/passwd">senhas</a>',
    "<b>negrito</b> & <i>itálico</i>",
    "&lt;já escapado&gt; &amp;",
    "Tom & Jerry <3",
]
_connections = count()


class MarkupReader(HTMLParser):
    """Reads a body the way a markup-capable server does: text, plus the tags it finds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text += data


def as_markup(body: str) -> MarkupReader:
    reader = MarkupReader()
    reader.feed(body)
    reader.close()
    return reader


@pytest.mark.parametrize("text", HOSTILE)
def test_a_markup_server_shows_the_text_as_typed(text: str) -> None:
    shown = as_markup(notification_body(text, markup=True))
    assert shown.tags == []
    assert shown.text == text


@pytest.mark.parametrize("text", HOSTILE)
def test_a_plain_server_gets_the_text_unchanged(text: str) -> None:
    assert notification_body(text, markup=False) == text


def test_a_long_text_is_cut_before_escaping_so_no_entity_is_broken() -> None:
    text = "a" * 119 + "&b"
    body = notification_body(text, markup=True)
    assert body == "a" * 119 + "&amp;"
    assert as_markup(body).text == text[:120]


# -- asking the session bus --------------------------------------------------------------


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[str]:
    """A private D-Bus session bus (never the developer's), as its address."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed")
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().decode().strip()
        assert address, f"dbus-daemon printed no address (exit {daemon.poll()})"
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        if daemon.stdout is not None:
            daemon.stdout.close()


# The fake desktop runs in a child process: the window's question blocks the
# Qt thread, and a server thread in this process would wait for it.
_DESKTOP = textwrap.dedent(
    """
    import json, sys
    from jeepney import MessageType, new_method_return
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import Proxy, open_dbus_connection
    from jeepney.low_level import HeaderFields
    address, names, capabilities = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
    with open_dbus_connection(bus=address) as conn:
        for name in names:
            Proxy(message_bus, conn).RequestName(name)
        print("ready", flush=True)
        while True:
            msg = conn.receive()
            if (
                msg.header.message_type == MessageType.method_call
                and msg.header.fields.get(HeaderFields.member) == "GetCapabilities"
                and "org.freedesktop.Notifications" in names
            ):
                conn.send(new_method_return(msg, "as", (capabilities,)))
    """
)


@contextmanager
def desktop(address: str, names: list[str], capabilities: list[str]) -> Iterator[None]:
    """Services owning ``names`` on the bus; the notification server lists ``capabilities``."""
    child = subprocess.Popen(
        [sys.executable, "-c", _DESKTOP, address, json.dumps(names), json.dumps(capabilities)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", "the fake desktop did not start"
        yield
    finally:
        child.terminate()
        child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()


def connect(address: str) -> QDBusConnection:
    connection = QDBusConnection.connectToBus(address, f"crm-test-{next(_connections)}")
    assert connection.isConnected()
    return connection


def test_a_tray_on_a_markup_server_escapes(qapp: Any, bus: str) -> None:
    with desktop(bus, [WATCHER, SERVER], ["body", "body-markup", "actions"]):
        assert reads_body_markup(connect(bus))


def test_a_tray_on_a_server_without_markup_does_not_escape(qapp: Any, bus: str) -> None:
    with desktop(bus, [WATCHER, SERVER], ["body", "actions"]):
        assert not reads_body_markup(connect(bus))


def test_without_a_status_notifier_qt_shows_its_own_plain_balloon(qapp: Any, bus: str) -> None:
    with desktop(bus, [SERVER], ["body", "body-markup"]):
        assert not reads_body_markup(connect(bus))


def test_a_server_that_does_not_answer_counts_as_reading_markup(qapp: Any, bus: str) -> None:
    with desktop(bus, [WATCHER], []):
        assert reads_body_markup(connect(bus))
