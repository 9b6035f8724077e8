"""One inbox per user and profile: a second launch hands its chat request to the running window.

The running window listens on a local socket (``QLocalServer``: a Unix
socket or a Windows named pipe) named after the OS user and the profile
folder, restricted to the same user (``UserAccessOption``): office PCs are
often shared terminal servers, and another user must not open chats in this
one's inbox. The second launch connects, writes the request as one JSON
line, waits for ``ok`` and exits; nothing answers when no window runs, and
the launch starts one itself. ``crm-whatsapp quit`` (installers, before
replacing files) sends :data:`QUIT` instead: the window closes as its "Sair"
does, and the asker waits until the process has ended.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from crm_whatsapp.domain.chat_link import MAX_LINE, ChatLinkError, ChatRequest, parse_line

log = logging.getLogger(__name__)
ACK = b"ok\n"
# Asks the inbox to close as its user would (an installer about to replace its files).
QUIT = b'{"quit": true}'
# The connections of quit requests, kept until the process ends: the asker waits for the
# disconnect, which only the process's exit may cause (its files are in use until then).
_leaving: list[QLocalSocket] = []


def server_name(profile_root: Path) -> str:
    """The socket's name: the same for every launch of this user on this profile."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    key = f"{user}\0{Path(profile_root).resolve()}".encode()
    return f"crm-whatsapp-{hashlib.sha256(key).hexdigest()[:20]}"


class HandoffServer(QObject):
    """Listens for the requests of later launches; ``requested`` carries each valid one."""

    requested = Signal(object)  # ChatRequest
    quit_requested = Signal()

    def __init__(self, profile_root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(profile_root)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connected)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket file a crashed inbox left behind is removed first."""
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.warning("click-to-chat socket not listening: %s", self.server.errorString())
        return False

    def close(self) -> None:
        """Stop listening (the window closes)."""
        self.server.close()

    def _connected(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            if len(data) > MAX_LINE:
                log.warning("click-to-chat request too long: dropped")
                socket.disconnectFromServer()
            else:
                self._buffers[socket] = data
            return
        line = data.split(b"\n", 1)[0]
        self._buffers[socket] = b""
        if line.strip() == QUIT:
            log.info("asked to quit by another launch (an installer upgrading, usually)")
            socket.write(ACK)
            socket.flush()
            self._buffers.pop(socket, None)
            socket.setParent(None)  # outlives the window: see _leaving
            _leaving.append(socket)
            self.quit_requested.emit()
            return
        try:
            request = parse_line(line)
        except ChatLinkError as exc:
            log.warning("click-to-chat request refused: %s", exc)
            socket.write(b"refused\n")
            socket.disconnectFromServer()
            return
        socket.write(ACK)
        socket.flush()
        socket.disconnectFromServer()
        self.requested.emit(request)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()


def hand_over(profile_root: Path, request: ChatRequest, timeout_ms: int = 3000) -> bool:
    """Give ``request`` to the inbox running on this profile; False when none answers.

    QLocalSocket's blocking calls need an application object; one made here
    is shut down before returning, so the caller can still start the window
    (whose QApplication must be the first).
    """
    made = QCoreApplication([]) if QCoreApplication.instance() is None else None
    try:
        socket = QLocalSocket()
        socket.connectToServer(server_name(profile_root))
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(request.to_line())
        socket.flush()
        answer = b""
        while b"\n" not in answer and socket.waitForReadyRead(timeout_ms):
            answer += bytes(socket.readAll().data())
        socket.disconnectFromServer()
        return answer.startswith(ACK)
    finally:
        del socket
        if made is not None:
            made.shutdown()


def ask_to_quit(profile_root: Path, timeout_ms: int = 30_000) -> bool | None:
    """Close the inbox running on this profile and wait until its process has ended.

    None when no inbox runs; True once it has exited; False when it
    accepted but had not exited after ``timeout_ms`` (a dialog the attendant
    is answering, a send being committed). The running inbox closes as when
    its user chooses "Sair": the history stays, queued sends go next start.
    """
    made = QCoreApplication([]) if QCoreApplication.instance() is None else None
    try:
        socket = QLocalSocket()
        socket.connectToServer(server_name(profile_root))
        if not socket.waitForConnected(3000):
            return None
        socket.write(QUIT + b"\n")
        socket.flush()
        answer = b""
        while b"\n" not in answer and socket.waitForReadyRead(3000):
            answer += bytes(socket.readAll().data())
        if not answer.startswith(ACK):
            return False
        # The socket stays open on the inbox's side until its process exits.
        return (
            socket.state() == QLocalSocket.LocalSocketState.UnconnectedState
            or socket.waitForDisconnected(timeout_ms)
        )
    finally:
        del socket
        if made is not None:
            made.shutdown()
