"""Opening a profile for use: keys unlocked, history open, relay credentials at hand.

The window, the headless commands and the tests all start here, so the
order that protects the data is written once: unlock the key (integrity
checked) before the database is opened, and never create a key over an
existing history.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
from keyring.backend import KeyringBackend

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import (
    SERVICE,
    DataKeys,
    KeyProblem,
    KeyringUnavailable,
    KeyStore,
    RecoveryKey,
    keyring_call,
    resolve_backend,
)
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.store.retention import PruneResult

DEVICE_FILE = "device.json"

log = logging.getLogger(__name__)


class NotEnrolled(KeyProblem):
    """This profile has no relay connection yet (or its token left the keyring)."""

    def __init__(self) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Problems",
                "Este computador ainda não foi conectado ao relay; use "
                "'crm-whatsapp enroll ENDEREÇO CÓDIGO'.",
            )
        )


class NeedsNewCode(NotEnrolled):
    """This profile was enrolled, but its device is no longer valid here.

    A profile restored on a new PC (its token stayed in the old PC's
    keyring) or a device the administrator revoked: a new enrollment code
    connects it again, and the history stays as it is.
    """

    TEXT = QT_TRANSLATE_NOOP(
        "Problems",
        "Este computador precisa de um novo código de ativação: o relay não reconhece mais "
        "este computador (o perfil foi restaurado em outro PC ou o dispositivo foi "
        "revogado); peça um código ao administrador, e o histórico fica como está.",
    )

    def __init__(self) -> None:
        KeyProblem.__init__(self, self.TEXT)


class KeyringStillClosed(KeyProblem):
    """The recovery key opened the history, but the keyring holding the relay token is shut.

    Said to someone who just typed the recovery key: it must not ask for it again.
    """

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "A chave de recuperação está certa, mas o chaveiro do sistema continua fechado e é "
        "nele que fica a conexão com o relay; entre de novo na sessão do usuário e abra o "
        "CRM WhatsApp outra vez.",
    )


class EnrollmentFailed(KeyProblem):
    """Enrolling did not finish; the sentence says what to do."""


class ProfileNotWritable(KeyProblem):
    """The profile folder cannot be created or written (permissions, a file in the way)."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "Não foi possível gravar na pasta do perfil; confira as permissões da pasta "
        "(ou a variável CRM_WHATSAPP_HOME) e tente de novo.",
    )


class CodeSpentNotSaved(EnrollmentFailed):
    """The relay enrolled this PC but the PC could not keep the token: the code is gone.

    The relay lists the device as enrolled and the code cannot be used again,
    so the sentence names both things the administrator has to do.
    """

    TEXT = QT_TRANSLATE_NOOP(
        "Problems",
        "O código de ativação já foi usado, mas este computador não conseguiu guardar a "
        "conexão; peça ao administrador que revogue o dispositivo com "
        "'crm-whatsapp-relay device revoke {0}' e gere um código novo com "
        "'crm-whatsapp-relay device add'.",
    )

    def __init__(self, device_id: str) -> None:
        super().__init__(self.TEXT.format(device_id))
        self.device_id = device_id


@dataclass
class Device:
    """This PC's enrollment: where the relay is and who this desktop is to it."""

    relay_url: str
    device_id: str
    token: str
    name: str = ""  # what colleagues see as the author and assignee


def _token_username(profile_id: str) -> str:
    return f"relay-token:{profile_id}"


def save_device(
    profile: Profile, keys: DataKeys, device: Device, backend: KeyringBackend | None = None
) -> None:
    """The relay address goes in the profile; the token only in the OS keyring."""
    chosen = resolve_backend(backend)
    keyring_call(chosen.set_password, SERVICE, _token_username(keys.profile_id), device.token)
    path = profile.root / DEVICE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {"relay_url": device.relay_url, "device_id": device.device_id, "name": device.name}
        )
    )
    os.replace(tmp, path)


def load_device(profile: Profile, keys: DataKeys, backend: KeyringBackend | None = None) -> Device:
    """The enrollment saved by :func:`save_device` (raises :class:`NotEnrolled` if none)."""
    path = profile.root / DEVICE_FILE
    if not path.exists():
        raise NotEnrolled()
    info = json.loads(path.read_text())
    chosen = resolve_backend(backend)
    token = keyring_call(chosen.get_password, SERVICE, _token_username(keys.profile_id))
    if not token:  # enrolled once, but the token stayed in another keyring (a restored profile)
        raise NeedsNewCode()
    return Device(info["relay_url"], info["device_id"], token, info.get("name", ""))


def saved_relay_url(profile: Profile) -> str:
    """The relay this profile was enrolled with ("" if never), to offer it again."""
    try:
        info = json.loads((profile.root / DEVICE_FILE).read_text())
    except (OSError, ValueError):
        return ""
    return str(info.get("relay_url") or "") if isinstance(info, dict) else ""


def device_name(profile: Profile) -> str:
    """The name colleagues see for this PC, read without the keyring ("" before enrolling).

    The audit trail names who did something even when the keyring (which
    holds the token, not the name) is shut.
    """
    try:
        info = json.loads((profile.root / DEVICE_FILE).read_text())
    except (OSError, ValueError):
        return ""
    if not isinstance(info, dict):
        return ""
    name, device_id = info.get("name"), info.get("device_id")
    return str(name or device_id or "")


def check_can_enroll(profile: Profile, backend: KeyringBackend | None = None) -> None:
    """Prove that this PC can keep what enrolling gives it, before the code is spent.

    The relay accepts a code once. Everything local that comes after the
    exchange (the profile folder, the OS keyring) is tried for real first:
    a file written and removed in the profile, and a keyring entry written,
    read back and deleted. Raises :class:`ProfileNotWritable` or a keyring
    :class:`KeyProblem`.
    """
    try:
        profile.ensure()
        with tempfile.NamedTemporaryFile(dir=profile.root, prefix=".probe-"):
            pass
    except OSError as exc:
        raise ProfileNotWritable() from exc
    chosen = resolve_backend(backend)
    username = f"probe:{secrets.token_hex(8)}"
    value = secrets.token_hex(16)
    keyring_call(chosen.set_password, SERVICE, username, value)
    try:
        if keyring_call(chosen.get_password, SERVICE, username) != value:
            raise KeyringUnavailable()
    finally:
        keyring_call(chosen.delete_password, SERVICE, username)


def enroll(relay_url: str, code: str, name: str) -> Device:
    """Exchange a one-time code for this PC's device token."""
    url = relay_url.rstrip("/")
    try:
        response = httpx.post(f"{url}/v1/enroll", json={"code": code, "name": name}, timeout=20)
    except httpx.HTTPError as exc:
        raise EnrollmentFailed(
            "O relay não respondeu; confira o endereço e a conexão com a internet."
        ) from exc
    if response.status_code == 403:
        raise EnrollmentFailed("O código de ativação é inválido, já foi usado ou expirou.")
    if response.status_code != 200:
        raise EnrollmentFailed(f"O relay recusou a ativação (HTTP {response.status_code}).")
    body = response.json()
    return Device(url, str(body["device_id"]), str(body["token"]), name)


@dataclass
class Workspace:
    """One opened profile: its keys, its history and its media folder, held together.

    The window, the command line and LGPD requests (``crm_whatsapp.privacy``)
    all work through one, so media never outlive their messages.
    """

    profile: Profile
    keys: DataKeys
    history: History
    # The keyring this profile was opened with (None: the system's), for the
    # secrets settings keep there (security.secrets).
    backend: KeyringBackend | None = None

    @classmethod
    def open(
        cls, profile: Profile | None = None, backend: KeyringBackend | None = None
    ) -> Workspace:
        """Unlock and open an existing profile (raises a :class:`KeyProblem` or StoreError)."""
        profile = (profile or Profile.default()).ensure()
        keys = KeyStore(profile, backend).unlock()
        history = History(open_engine(profile.database, keys.database_key()))
        return cls(profile, keys, history, backend)

    @classmethod
    def open_with(
        cls, profile: Profile, keys: DataKeys, backend: KeyringBackend | None = None
    ) -> Workspace:
        """Open a profile whose data key came another way (the recovery key, typed)."""
        profile = profile.ensure()
        history = History(open_engine(profile.database, keys.database_key()))
        return cls(profile, keys, history, backend)

    @classmethod
    def create(
        cls, profile: Profile | None = None, backend: KeyringBackend | None = None
    ) -> tuple[Workspace, RecoveryKey]:
        """Set up a new profile: a fresh key (refused if one exists) and an empty history."""
        profile = (profile or Profile.default()).ensure()
        store = KeyStore(profile, backend)
        recovery = store.create()
        keys = store.unlock()
        history = History(open_engine(profile.database, keys.database_key()))
        return cls(profile, keys, history, backend), recovery

    def media_path(self, message_id: int) -> Path:
        """Where a message's sealed media file lives (``sync.media`` uses the same path)."""
        return self.profile.media / f"{message_id}.bin"

    def prune(self, months: int, now: float | None = None) -> PruneResult:
        """Apply a retention policy: history older than ``months`` and its cached media go.

        ``months`` is the ``retention_months`` preference (0 keeps everything,
        and returns an empty result). The app and ``crm-whatsapp prune`` both
        come through here so the media files never outlive their messages.
        """
        if months <= 0:
            return PruneResult(cutoff=0.0)
        result = self.history.prune_older_than(months, now=now)
        for message_id in result.message_ids:
            self.media_path(message_id).unlink(missing_ok=True)
        return result

    def close(self) -> None:
        """Close the history (waits for a running write; background work stops)."""
        self.history.close()


def discard_new_profile(workspace: Workspace, backend: KeyringBackend | None = None) -> None:
    """Close and remove a profile made moments ago whose set-up did not finish.

    Its recovery key was never shown, so keeping it would leave a history
    nobody can recover; removing it lets the next attempt start afresh.
    """
    workspace.close()
    with contextlib.suppress(KeyProblem, OSError):
        KeyStore(workspace.profile, backend).forget()
    database = workspace.profile.database
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            database.with_name(database.name + suffix).unlink(missing_ok=True)


def enroll_profile(
    profile: Profile,
    relay_url: str,
    code: str,
    name: str,
    backend: KeyringBackend | None = None,
    *,
    defer_recovery_key: bool = False,
) -> tuple[Workspace, Device, RecoveryKey | None]:
    """Connect this PC to the relay: the code is spent only once nothing local can fail early.

    The folder and keyring are probed, and an existing profile is unlocked,
    before the exchange; a new profile is created after it (so a wrong code
    leaves nothing behind). If keeping the result fails anyway, a profile
    made here is removed and :class:`CodeSpentNotSaved` says what to do.
    Returns the open workspace, the device and the recovery key to show
    (``None`` for an existing profile).

    ``defer_recovery_key`` (a silent install, nobody at the screen) keeps a
    new profile's recovery key in the keyring for the window's first start
    to show (:meth:`KeyStore.keep_pending_recovery`); a keyring that cannot
    keep it fails the enrollment like one that cannot keep the token, since
    a key nobody will ever see would leave a history nobody can recover.
    """
    check_can_enroll(profile, backend)
    workspace = Workspace.open(profile, backend) if KeyStore(profile, backend).exists() else None
    try:
        device = enroll(relay_url, code, name)
    except BaseException:
        if workspace is not None:
            workspace.close()
        raise
    recovery: RecoveryKey | None = None
    try:
        if workspace is None:
            workspace, recovery = Workspace.create(profile, backend)
        save_device(profile, workspace.keys, device, backend)
        if recovery is not None and defer_recovery_key:
            KeyStore(profile, backend).keep_pending_recovery(recovery)
    except Exception as exc:
        # Info, not warning: the caller shows the sentence, and the CLI (no logging set up)
        # would print a warning as a second line beside it.
        log.info(
            "device %s was enrolled but could not be kept (%s); it needs revoking",
            device.device_id,
            type(exc).__name__,
        )
        if workspace is not None and recovery is not None:
            discard_new_profile(workspace, backend)
        elif workspace is not None:
            workspace.close()
        raise CodeSpentNotSaved(device.device_id) from exc
    return workspace, device, recovery
