"""Keyring fixtures for the desktop tests.

``secret_service`` runs a real Secret Service for the test session: a private
D-Bus session bus and an unlocked ``gnome-keyring-daemon`` with a throw-away
keyring folder, so no test ever touches the developer's own keyring. It is
what DESIGN's quality bar asks where the keyring is under test.

``memory_keyring`` is a tiny in-process backend for tests that only need *a*
keyring (never ``keyrings.alt``, which stores secrets base64 in a file).
"""

from __future__ import annotations

import asyncio
import gc
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import keyring
import keyring.errors
import pytest
import uvicorn
from keyring.backend import KeyringBackend
from waiting import wait_until

from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.sync.client import SyncClient
from relay.config import Settings
from relay.devices import add_device
from relay.server import uvicorn_config
from relay.serving import BackgroundServer
from relay.simulator.server import Chaos, MetaSimulator

if TYPE_CHECKING:  # the window's modules load only for the tests that open one
    from qtsupport import Desk

    from crm_whatsapp.demo import DemoStack

_SECRETS_BUS_NAME = "org.freedesktop.secrets"
_TEST_KEYRING_PASSWORD = b"crm-whatsapp-tests-only"


@contextmanager
def pinned_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    """Make ``backend`` the process's keyring for the block, then put the previous one back."""
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def pin_keyring() -> Callable[[KeyringBackend], AbstractContextManager[KeyringBackend]]:
    """:func:`pinned_keyring`, for tests (conftest modules are not imported by name)."""
    return pinned_keyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A fresh in-memory keyring pinned as the process's backend for one test."""
    with pinned_keyring(MemoryKeyring()) as backend:
        yield backend


@dataclass
class SecretServiceSession:
    """The private bus and keyring daemon of this test session."""

    address: str
    data_home: Path
    daemon_log: Path


def _require(binaries: tuple[str, ...]) -> None:
    missing = [name for name in binaries if shutil.which(name) is None]
    try:
        import secretstorage  # noqa: F401
    except ImportError:
        missing.append("secretstorage (pip)")
    if not missing:
        return
    message = (
        f"real Secret Service tests need {', '.join(missing)}; "
        "install Debian's gnome-keyring and dbus-x11 (tools/system-deps.sh does it as root)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _secret_service_ready(address: str, daemon: subprocess.Popen[bytes], log: Path) -> bool:
    """True once our daemon owns the Secret Service name and its default collection is open.

    Asking before the name is owned would make D-Bus *activate* a second,
    locked daemon, so ownership is checked first, without touching the name.
    """
    if daemon.poll() is not None:
        raise AssertionError(
            f"gnome-keyring-daemon exited with {daemon.returncode}: "
            f"{log.read_text(errors='replace').strip()}"
        )
    import secretstorage
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import Proxy, open_dbus_connection

    try:
        with open_dbus_connection(bus=address) as conn:
            if Proxy(message_bus, conn).NameHasOwner(_SECRETS_BUS_NAME)[0] != 1:
                return False
            return not secretstorage.Collection(conn).is_locked()
    except Exception:
        return False


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SecretServiceSession]:
    """A private D-Bus session bus with an unlocked gnome-keyring, for the whole test session.

    Skips on a machine without the binaries, fails under ``CI=true``. The
    process's ``DBUS_SESSION_BUS_ADDRESS`` points at the private bus until the
    session ends; the keyring backend is pinned to Secret Service.
    """
    _require(("dbus-daemon", "gnome-keyring-daemon"))
    from keyring.backends import SecretService

    base = tmp_path_factory.mktemp("secret-service")
    data_home, runtime_dir = base / "data", base / "runtime"
    data_home.mkdir()
    runtime_dir.mkdir(mode=0o700)
    env = dict(os.environ, XDG_DATA_HOME=str(data_home), XDG_RUNTIME_DIR=str(runtime_dir))
    for name in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)  # never the user's bus, never a password prompt on their screen

    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    daemon: subprocess.Popen[bytes] | None = None
    previous_address = os.environ.get("DBUS_SESSION_BUS_ADDRESS")
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()  # printed once the bus listens
        if not address:
            raise AssertionError(f"dbus-daemon printed no address (exit {bus.poll()})")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon_log = base / "gnome-keyring.log"
        with daemon_log.open("wb") as log_handle:
            daemon = subprocess.Popen(
                ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
                stdin=subprocess.PIPE,
                stdout=log_handle,
                stderr=subprocess.STDOUT,
                env=env,
            )
        assert daemon.stdin is not None
        daemon.stdin.write(_TEST_KEYRING_PASSWORD)
        daemon.stdin.close()
        wait_until(lambda: _secret_service_ready(address, daemon, daemon_log), timeout=15)
        os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
        with pinned_keyring(SecretService.Keyring()):
            yield SecretServiceSession(address, data_home, daemon_log)
    finally:
        if previous_address is None:
            os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)
        else:
            os.environ["DBUS_SESSION_BUS_ADDRESS"] = previous_address
        for process in (daemon, bus):
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if bus.stdout is not None:
            bus.stdout.close()


@pytest.fixture
def real_keyring(secret_service: SecretServiceSession) -> Iterator[KeyringBackend]:
    """The real Secret Service backend, pinned for one test (other fixtures may re-pin)."""
    from keyring.backends import SecretService

    with pinned_keyring(SecretService.Keyring()) as backend:
        yield backend


# -- a relay and the Meta simulator on loopback, with an encrypted history ----------------

SECRET, TOKEN = "desk-app-secret", "desk-access-token"
ANA = "5511987654321"


@dataclass
class Stack:
    sim: MetaSimulator
    sim_server: BackgroundServer
    relay: BackgroundServer
    token: str
    device_id: str
    history: History
    home: Path

    @property
    def url(self) -> str:
        return self.relay.url

    def say(self, wa_id: str, msg_type: str = "text", **kw: object) -> str:
        return self.sim_server.call(self.sim.customer_says(wa_id, msg_type, **kw))

    def sync(self) -> int:
        client = SyncClient(self.url, self.token, self.history)
        return asyncio.run(client.run_until_idle(timeout=30)).events


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    sim = MetaSimulator(
        webhook_url="",
        app_secret=SECRET,
        access_token=TOKEN,
        seed=3,
        chaos=Chaos(
            out_of_order=1.0, duplicate=1.0, skip_delivered=0, min_delay=0.0, max_delay=0.01
        ),
    )
    sim_server = BackgroundServer(
        uvicorn.Config(sim.app(), host="127.0.0.1", port=0, log_config=None), "sim"
    ).start()
    sim.base_url = sim_server.url
    settings = Settings(
        app_secret=SECRET,
        verify_token="v",
        access_token=TOKEN,
        graph_url=sim_server.url,
        database_url=f"sqlite:///{tmp_path}/relay.db",
        port=0,
    )
    relay = BackgroundServer(uvicorn_config(settings, port=0), "relay").start()
    sim.webhook_url = relay.url + "/webhook"
    engine = relay.server.config.app.relay.engine
    _, code, _ = add_device(engine, "PC teste")
    enrolled = httpx.post(relay.url + "/v1/enroll", json={"code": code}).json()
    history = History(open_engine(tmp_path / "home" / "history.db", os.urandom(32)))
    yield Stack(
        sim, sim_server, relay, enrolled["token"], enrolled["device_id"], history, tmp_path / "home"
    )
    history.close()
    relay.stop()
    sim_server.stop()


@pytest.fixture(scope="session")
def _session_qloop(qapp: Any) -> Iterator[Any]:
    """One qasync loop for the whole run, never run, stopped or closed.

    qasync 0.28 leaves helper QObjects behind when a loop is closed; creating
    and closing a loop per test crashed later tests inside Qt's event
    processing. The loop is registered as running only during the tests
    that use it (see ``qloop``), so other tests keep using ``asyncio.run``.
    """
    import qasync

    loop = qasync.QEventLoop(qapp)
    yield loop
    loop.close()


@pytest.fixture
def qloop(_session_qloop: Any, qtbot: Any) -> Iterator[Any]:
    """The qasync loop, running for one window test; its leftover tasks are cancelled after."""
    from crm_whatsapp.asyncqt import finalize_async_generators_on

    loop = _session_qloop
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    undo = finalize_async_generators_on(loop)
    yield loop
    gc.collect()  # generators abandoned by this test are closed while its loop still runs
    undo()
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=10_000)
    asyncio.events._set_running_loop(None)  # not loop.stop(): that calls QApplication.exit()
    asyncio.set_event_loop(None)


# -- the demo stack and a real inbox window on it, connected -----------------------------


@pytest.fixture
def office(tmp_path: Path) -> Iterator[DemoStack]:
    """What ``crm-whatsapp demo`` runs: a relay and the Meta simulator on loopback."""
    from crm_whatsapp.demo import start_stack

    stack = start_stack(tmp_path / "relay")
    yield stack
    stack.stop()


@pytest.fixture
def desk_name() -> str:
    """The name the ``desk`` fixture's desktop enrolls under (override it in a module)."""
    return "Ana"


@pytest.fixture
def desk(
    office: DemoStack, desk_name: str, qloop: Any, qtbot: Any, tmp_path: Path
) -> Iterator[Desk]:
    """An attendant's real window on ``office``, shown, active and saying "Conectado"."""
    from qtsupport import close_desk, open_desk

    opened = open_desk(qtbot, office, tmp_path, desk_name)
    yield opened
    close_desk(qtbot, opened)


EXAMPLE_PLUGIN = Path(__file__).resolve().parents[2] / "plugins" / "examples" / "hello_crm"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plugin of docs/plugins.md, built from its own pyproject into a folder.

    On ``PYTHONPATH`` (or ``sys.path``) that folder makes it an installed plugin,
    found through its entry point as a third party's would be.
    """
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(EXAMPLE_PLUGIN),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        cwd=target,
    )
    return target
