"""Opening a profile for use: keys unlocked, history open, relay credentials at hand.

The window, the headless commands and the tests all start here, so the
order that protects the data is written once: unlock the key (integrity
checked) before the database is opened, and never create a key over an
existing history.
"""

from __future__ import annotations

import json
import os
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
    KeyStore,
    RecoveryKey,
    _keyring_call,
    resolve_backend,
)
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.store.retention import PruneResult

DEVICE_FILE = "device.json"


class NotEnrolled(KeyProblem):
    def __init__(self) -> None:
        super().__init__(
            QT_TRANSLATE_NOOP(
                "Problems",
                "Este computador ainda não foi conectado ao relay; use "
                "'crm-whatsapp enroll ENDEREÇO CÓDIGO'.",
            )
        )


class EnrollmentFailed(KeyProblem):
    pass


@dataclass
class Device:
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
    _keyring_call(chosen.set_password, SERVICE, _token_username(keys.profile_id), device.token)
    path = profile.root / DEVICE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {"relay_url": device.relay_url, "device_id": device.device_id, "name": device.name}
        )
    )
    os.replace(tmp, path)


def load_device(profile: Profile, keys: DataKeys, backend: KeyringBackend | None = None) -> Device:
    path = profile.root / DEVICE_FILE
    if not path.exists():
        raise NotEnrolled()
    info = json.loads(path.read_text())
    chosen = resolve_backend(backend)
    token = _keyring_call(chosen.get_password, SERVICE, _token_username(keys.profile_id))
    if not token:
        raise NotEnrolled()
    return Device(info["relay_url"], info["device_id"], token, info.get("name", ""))


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
    profile: Profile
    keys: DataKeys
    history: History

    @classmethod
    def open(
        cls, profile: Profile | None = None, backend: KeyringBackend | None = None
    ) -> Workspace:
        """Unlock and open an existing profile (raises a :class:`KeyProblem` or StoreError)."""
        profile = (profile or Profile.default()).ensure()
        keys = KeyStore(profile, backend).unlock()
        history = History(open_engine(profile.database, keys.database_key()))
        return cls(profile, keys, history)

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
        return cls(profile, keys, history), recovery

    def media_path(self, message_id: int) -> Path:
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
        self.history.close()
