"""Click-to-chat: ``crm-whatsapp open`` and ``crm-whatsapp://chat?…``, to a running inbox or none.

A real second process hands its request over the local socket to the window
of the ``desk`` fixture (listening as ``run_app`` makes it listen); with no
inbox running, the command starts one itself. A link only ever opens a
conversation and fills the composer: nothing is sent.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.app import listen_for_chats
from crm_whatsapp.demo import DemoStack
from crm_whatsapp.domain.chat_link import MAX_TEXT, ChatRequest
from crm_whatsapp.ui.handoff import hand_over, server_name
from relay.devices import add_device

if TYPE_CHECKING:  # the desktop tests' conftest (the name is shared by every folder's)
    from conftest import Stack

CLI = str(Path(sys.executable).with_name("crm-whatsapp"))
ANA = "5511987654321"


def launch(desk: Desk, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, CRM_WHATSAPP_HOME=str(desk.workspace.profile.root))
    return subprocess.Popen(
        [CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finished(qtbot: QtBot, process: subprocess.Popen[str]) -> tuple[int, str]:
    """Keep the window's loop turning (it answers the socket) until the launch exits."""
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
    _, stderr = process.communicate()
    return process.returncode, stderr


def enrolled_pc(stack: Stack, home: Path, name: str) -> dict[str, str]:
    """A profile at ``home`` enrolled by the real command; the environment that selects it."""
    env = dict(os.environ, CRM_WHATSAPP_HOME=str(home))
    _, code, _ = add_device(stack.relay.server.config.app.relay.engine, name)
    enrolled = subprocess.run(
        [CLI, "enroll", stack.url, code, "--name", name],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert enrolled.returncode == 0, enrolled.stderr
    return env


@pytest.fixture
def listening(desk: Desk) -> Desk:
    listen_for_chats(desk.window, desk.workspace.profile.root)
    return desk


def wait_for_customer(qtbot: QtBot, office: DemoStack, desk: Desk) -> int:
    office.say(ANA, text="Oi, vocês abrem sábado?")
    qtbot.waitUntil(lambda: desk.conversation_for(ANA) is not None, timeout=15_000)
    conversation = desk.conversation_for(ANA)
    assert conversation is not None
    return conversation


def test_open_hands_the_chat_to_the_running_inbox_which_fills_the_composer_and_sends_nothing(
    qtbot: QtBot, office: DemoStack, listening: Desk
) -> None:
    desk = listening
    conversation = wait_for_customer(qtbot, office, desk)
    accepted = len(office.sim.accepted)
    started = time.perf_counter()
    with qtbot.waitSignal(desk.window.chat_opened, timeout=30_000) as opened:
        process = launch(desk, "open", "(11) 98765-4321", "--text", "Abrimos sim, das 9h às 13h.")
        code, stderr = finished(qtbot, process)
    assert code == 0, stderr
    assert time.perf_counter() - started < 15
    assert opened.args == [conversation]
    assert desk.window.current == conversation
    assert desk.window.composer.edit.toPlainText() == "Abrimos sim, das 9h às 13h."
    assert len(office.sim.accepted) == accepted


def test_a_link_for_a_number_never_seen_starts_its_conversation_on_the_template_picker(
    qtbot: QtBot, office: DemoStack, listening: Desk
) -> None:
    desk = listening
    wait_for_customer(qtbot, office, desk)  # the office's business number is known from her
    new = "5521998761234"
    phone, text = quote("+55 21 99876-1234"), quote("Olá!\nTudo bem?")
    link = f"crm-whatsapp://chat?phone={phone}&text={text}"
    with qtbot.waitSignal(desk.window.chat_opened, timeout=30_000) as opened:
        code, stderr = finished(qtbot, launch(desk, link))
    assert code == 0, stderr
    assert desk.conversation_for(new) == opened.args[0] == desk.window.current
    assert desk.window.list_model.row_of(opened.args[0]) >= 0
    # No 24-hour window with someone who never wrote: Meta allows only a template first.
    dialog = getattr(desk.window, "template_dialog", None)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()


def test_links_that_are_not_chats_or_not_numbers_are_refused_and_change_nothing(
    qtbot: QtBot, office: DemoStack, listening: Desk
) -> None:
    desk = listening
    before = desk.window.current
    for link, sentence in (
        ("crm-whatsapp://settings?relay=http://evil", "Este link não é de conversa"),
        ("crm-whatsapp://chat?phone=javascript:alert(1)", "não é um telefone válido"),
    ):
        code, stderr = finished(qtbot, launch(desk, link))
        assert code == 2 and sentence in stderr and "Traceback" not in stderr
    # A request written straight to the socket is checked the same way.
    assert not hand_over(desk.workspace.profile.root, ChatRequest("not a number", "x"))
    assert desk.window.current == before


def test_the_text_of_a_link_is_plain_and_bounded() -> None:
    from crm_whatsapp.domain.chat_link import parse_chat_url

    long = "a" * (MAX_TEXT + 500)
    request = parse_chat_url(f"crm-whatsapp://chat?phone=5511987654321&text={long}%1b%00%E2%80%AE")
    assert request.text == "a" * MAX_TEXT
    shown = parse_chat_url("crm-whatsapp://chat?phone=5511987654321&text=%3Cb%3Eoi%3C%2Fb%3E%1b")
    assert shown.text == "<b>oi</b>"  # kept literally (the composer is plain text), escape gone


def test_with_no_inbox_running_open_starts_one_that_then_takes_the_next_request(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    env = enrolled_pc(stack, tmp_path / "pc", "PC caixa")
    inbox = subprocess.Popen(
        [CLI, "open", ANA, "--text", "oi"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        root = tmp_path / "pc"
        while not hand_over(root, ChatRequest(ANA, "de novo"), timeout_ms=500):
            assert inbox.poll() is None, inbox.communicate()[1]
            assert time.monotonic() < deadline, "the started inbox never listened"
        assert inbox.poll() is None  # it is the running window, not a launch that exited
    finally:
        inbox.terminate()
        inbox.communicate(timeout=30)
    assert server_name(root) == server_name(tmp_path / "pc" / ".." / "pc")


def test_garbage_on_the_socket_is_refused_and_the_inbox_still_takes_the_next_request(
    qtbot: QtBot, office: DemoStack, listening: Desk
) -> None:
    from PySide6.QtNetwork import QLocalSocket

    desk = listening
    conversation = wait_for_customer(qtbot, office, desk)
    for garbage in (b"\xff\xfe\x00not json\n", b"[1, 2, 3]\n", b'{"phone": 5}\n', b"x" * 40_000):
        socket = QLocalSocket()
        socket.connectToServer(server_name(desk.workspace.profile.root))
        assert socket.waitForConnected(3000)
        socket.write(garbage)
        socket.flush()
        # The inbox answers "refused" or hangs up on an endless line; either way it closes.
        qtbot.waitUntil(
            lambda s=socket: s.state() == QLocalSocket.LocalSocketState.UnconnectedState,
            timeout=10_000,
        )
        del socket
    assert desk.window.current != conversation  # nothing was opened
    with qtbot.waitSignal(desk.window.chat_opened, timeout=30_000) as opened:
        code, stderr = finished(qtbot, launch(desk, "open", ANA))
    assert code == 0, stderr
    assert opened.args == [conversation]


# -- closing the inbox for an upgrade: `crm-whatsapp quit` -----------------------------------


def test_a_quit_request_closes_the_window_and_keeps_the_asker_waiting_for_the_exit(
    qtbot: QtBot, listening: Desk
) -> None:
    from PySide6.QtNetwork import QLocalSocket

    from crm_whatsapp.ui.handoff import QUIT

    socket = QLocalSocket()
    socket.connectToServer(server_name(listening.workspace.profile.root))
    assert socket.waitForConnected(3000)
    with qtbot.waitSignal(listening.window.closed, timeout=10_000):
        socket.write(QUIT + b"\n")
        socket.flush()
    qtbot.waitUntil(lambda: socket.bytesAvailable() > 0, timeout=5_000)
    assert bytes(socket.readAll().data()) == b"ok\n"
    # Only the inbox's process ending hangs up: an installer waits for the files to be free.
    assert socket.state() == QLocalSocket.LocalSocketState.ConnectedState
    socket.abort()


def test_quit_ends_a_running_inbox_process_and_is_a_no_op_with_none(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    env = dict(os.environ, CRM_WHATSAPP_HOME=str(tmp_path / "pc"))

    def quit_() -> subprocess.CompletedProcess[str]:
        return subprocess.run([CLI, "quit"], env=env, capture_output=True, text=True, timeout=60)

    alone = quit_()
    assert (alone.returncode, alone.stderr) == (0, "")  # no inbox: nothing to close
    for wait in ("-1", "nan", "inf", "0"):  # Qt would read a negative wait as "for ever"
        refused = subprocess.run(
            [CLI, "quit", "--timeout", wait], env=env, capture_output=True, text=True, timeout=60
        )
        assert refused.returncode == 2 and "0.1 to 86400" in refused.stderr
    enrolled_pc(stack, tmp_path / "pc", "PC recepção")
    inbox = subprocess.Popen(
        [CLI], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 60
        # Until the window listens, `quit` finds nothing and returns at once; then it
        # returns only once the inbox's process has ended.
        while inbox.poll() is None:
            asked = quit_()
            assert asked.returncode == 0, asked.stderr
            assert time.monotonic() < deadline, "the inbox never took the request"
        assert inbox.returncode == 0, inbox.communicate()[1]
    finally:
        if inbox.poll() is None:
            inbox.terminate()
        inbox.communicate(timeout=30)
