"""The inbox embedded in a host application: ``plugins/examples/host_app`` under pytest-qt.

The example host is imported from its file, as a developer would run it,
and put on a real relay and simulator; its own list opens chats in the
inbox, and the inbox's signals move the host's selection.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import shiboken6
from pytestqt.qtbot import QtBot
from qtsupport import finish

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.embed import open_inbox
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.workspace import Workspace, enroll, save_device

HOST_APP = Path(__file__).resolve().parents[2] / "plugins" / "examples" / "host_app" / "host_app.py"
ANA = "5511987654321"


def load_host_app() -> ModuleType:
    spec = importlib.util.spec_from_file_location("host_app", HOST_APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def live_host(office: DemoStack, qtbot: QtBot, tmp_path: Path) -> Any:
    """The example host app with an enrolled inbox, shown and synced."""
    profile = Profile(tmp_path / "host").ensure()
    backend = MemoryKeyring()
    device = enroll(office.relay_url, office.new_code("Recepção"), "Recepção")
    workspace, _ = Workspace.create(profile, backend)
    save_device(profile, workspace.keys, device, backend)
    workspace.close()
    inbox = open_inbox(profile, backend)
    window = load_host_app().HostWindow(inbox)
    window.show()
    inbox.start()
    qtbot.waitUntil(lambda: inbox.session.state == "live", timeout=15_000)
    return window


@pytest.fixture
def host(office: DemoStack, qloop: Any, qtbot: QtBot, tmp_path: Path) -> Any:
    window = live_host(office, qtbot, tmp_path)
    qtbot.addWidget(window)
    yield window
    finish(qtbot, window.inbox.stop())


def test_the_host_opens_a_chat_in_the_inbox_and_follows_what_the_attendant_opens(
    qtbot: QtBot, office: DemoStack, host: Any
) -> None:
    inbox = host.inbox
    office.say(ANA, text="Oi! Meu pedido chegou?")
    qtbot.waitUntil(lambda: inbox.session.history.contact_by_phone(ANA) is not None, timeout=15_000)
    accepted = len(office.sim.accepted)
    host.customers.setCurrentRow(1)
    with qtbot.waitSignal(inbox.contact_opened, timeout=15_000) as opened:
        host.chat_with(host.customers.item(0))
    assert opened.args == [ANA]
    assert inbox.inbox.composer.edit.toPlainText() == "Olá, Ana!"
    assert host.customers.currentRow() == 0  # the host followed the inbox
    assert inbox.inbox.isVisible() and not inbox.inbox.isWindow()  # inside the host's window
    assert len(office.sim.accepted) == accepted  # nothing sent


def test_a_host_that_destroys_its_window_first_still_closes_the_inbox(
    office: DemoStack, qloop: Any, qtbot: QtBot, tmp_path: Path
) -> None:
    window = live_host(office, qtbot, tmp_path)
    inbox = window.inbox
    window.deleteLater()  # the host tears its window down first, the inbox with it
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=5_000)
    assert connected(office) == 1
    finish(qtbot, inbox.stop())  # no error, and the relay connection closes
    qtbot.waitUntil(lambda: connected(office) == 0, timeout=10_000)


def connected(office: DemoStack) -> float:
    """Open stream connections, as the relay's /metrics reports them."""
    text = httpx.get(office.relay_url + "/metrics", timeout=10).text
    line = next(x for x in text.splitlines() if x.startswith("relay_devices_connected "))
    return float(line.split()[1])
