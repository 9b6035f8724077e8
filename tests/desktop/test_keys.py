"""Envelope keys: the data key wrapped by the OS keyring and by a printable recovery key.

The keyring tests run against a real Secret Service (gnome-keyring on a
private D-Bus bus, see conftest.py); the in-memory backend only stands in
where the point is our own logic (backend refusal, locked keyring mapping).
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import SecretService, fail, null
from keyring.compat import properties

from crm_whatsapp.profile import HOME_ENV, Profile, profile_dir
from crm_whatsapp.security.keys import (
    SERVICE,
    AlreadySetUp,
    DataKeys,
    KeyProblem,
    KeyringChanged,
    KeyringEntryMissing,
    KeyringLocked,
    KeyringUnavailable,
    KeysFileDamaged,
    KeysFileMissing,
    KeyStore,
    NotSetUp,
    RecoveryKey,
    RecoveryKeyTypo,
    UnsafeKeyring,
    WrongKey,
    WrongRecoveryKey,
    backend_name,
    format_recovery_key,
    parse_recovery_key,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
Pin = Callable[[KeyringBackend], AbstractContextManager[KeyringBackend]]


@pytest.fixture
def profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Profile:
    """A throw-away profile found the way the app finds it: through CRM_WHATSAPP_HOME."""
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    return Profile.default()


def keyring_secret(store: KeyStore) -> str | None:
    return keyring.get_password(SERVICE, store.keyring_username())


def slots(profile: Profile) -> dict[str, dict[str, str]]:
    return json.loads(profile.keys_file.read_text())["slots"]


def encodings(secret: bytes) -> list[bytes]:
    """The ways a key could leak into a text file."""
    forms = [
        secret,
        secret.hex().encode(),
        secret.hex().upper().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        base64.b32encode(secret),
    ]
    # a base64 prefix survives any line wrapping or padding differences
    return [*forms, base64.b64encode(secret)[:16], secret.hex()[:16].encode()]


# ---------------------------------------------------------------- real Secret Service


def test_create_then_unlock_round_trip_through_secret_service(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    assert not store.exists()
    recovery = store.create()
    assert store.exists()

    keys = store.unlock()
    assert KeyStore(Profile.default()).unlock() == keys  # a restart opens the same history
    assert store.unlock_with_recovery(recovery.formatted) == keys
    assert len(keys.database_key()) == 32 and len(keys.file_key()) == 32
    assert keys.database_key() != keys.file_key()
    assert re.fullmatch(r"x'[0-9a-f]{64}'", keys.database_key_sqlcipher())
    assert keys.database_key_sqlcipher() == f"x'{keys.database_key().hex()}'"

    # the KEK lives in the Secret Service, and the slot says which backend holds it
    assert keyring_secret(store) is not None
    assert slots(profile)["keyring"]["backend"] == "keyring.backends.SecretService.Keyring"
    assert store.keyring_username().startswith(f"profile:{keys.profile_id}:")


@posix_only
def test_profile_and_keys_file_are_private(real_keyring: KeyringBackend, profile: Profile) -> None:
    KeyStore(profile).create()
    assert stat.S_IMODE(profile.keys_file.stat().st_mode) == 0o600
    for folder in (profile.root, profile.media, profile.logs):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not list(profile.root.glob(".keys.*"))  # no temp file left behind


def test_keys_file_holds_no_key_material(
    real_keyring: KeyringBackend, profile: Profile, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = KeyStore(profile)
    recovery = store.create()
    keys = store.unlock()
    secret = keyring_secret(store)
    assert secret is not None
    kek = base64.b64decode(secret)
    store.rotate_keyring_key()
    new_kek = base64.b64decode(keyring_secret(store) or "")

    on_disk = profile.keys_file.read_bytes()
    logged = caplog.text.encode()
    compact_recovery = recovery.formatted.replace("-", "").encode()
    for material in (keys._dk, kek, new_kek, recovery.secret, keys.database_key(), keys.file_key()):
        for form in encodings(material):
            assert form not in on_disk
            assert form not in logged
    assert compact_recovery not in on_disk and recovery.formatted.encode() not in on_disk
    assert recovery.formatted.encode() not in logged
    assert keys._dk.hex() not in repr(keys) and recovery.formatted not in repr(recovery)
    assert recovery.formatted not in f"{recovery}"


def test_wrong_kek_in_keyring_is_wrong_key_and_nothing_is_overwritten(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    store.create()
    before = profile.keys_file.read_bytes()
    wrong = base64.b64encode(os.urandom(32)).decode()
    keyring.set_password(SERVICE, store.keyring_username(), wrong)

    with pytest.raises(WrongKey) as caught:
        store.unlock()
    assert "chave de recuperação" in str(caught.value)
    assert isinstance(caught.value, KeyProblem) and not isinstance(caught.value, KeyError)
    with pytest.raises(WrongKey):  # not even base64 of 32 bytes
        keyring.set_password(SERVICE, store.keyring_username(), "not a key")
        store.unlock()
    with pytest.raises(AlreadySetUp):  # and no fresh key is made over the old data
        store.create()

    assert profile.keys_file.read_bytes() == before
    assert keyring_secret(store) == "not a key"  # the keyring entry is not "repaired" either
    assert [p.name for p in profile.root.iterdir() if p.is_file()] == ["keys.json"]


def test_deleted_keyring_entry_is_entry_missing(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    store.create()
    before = profile.keys_file.read_bytes()
    keyring.delete_password(SERVICE, store.keyring_username())

    with pytest.raises(KeyringEntryMissing) as caught:
        store.unlock()
    assert str(caught.value) == (
        "A chave que protege o histórico não foi encontrada no cofre de senhas do "
        "sistema; informe a chave de recuperação."
    )
    assert profile.keys_file.read_bytes() == before
    assert keyring_secret(store) is None


def test_recovery_key_opens_and_restores_the_keyring(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    recovery = store.create()
    keys = store.unlock()
    old_username = store.keyring_username()
    recovery_slot = slots(profile)["recovery"]
    keyring.delete_password(SERVICE, old_username)  # a new PC, or a wiped keyring

    typed = recovery.formatted.lower().replace("-", " ")
    assert store.unlock_with_recovery(typed) == keys
    with pytest.raises(KeyringEntryMissing):
        store.unlock()  # reading with the recovery key changed nothing

    assert store.restore_keyring_from_recovery(typed) == keys
    assert store.unlock() == keys
    assert store.keyring_username() != old_username
    assert keyring.get_password(SERVICE, old_username) is None
    assert slots(profile)["recovery"] == recovery_slot  # the printed sheet stays valid
    assert store.unlock_with_recovery(recovery.formatted) == keys


def test_a_recovery_key_typo_is_caught_by_its_checksum(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    recovery = store.create()
    text = recovery.formatted
    position = 7 if text[7] != "-" else 8
    typo = text[:position] + ("A" if text[position] != "A" else "B") + text[position + 1 :]
    with pytest.raises(RecoveryKeyTypo) as caught:
        store.unlock_with_recovery(typo)
    assert str(caught.value) == (
        "A chave de recuperação tem um erro de digitação; confira cada grupo com a folha impressa."
    )
    with pytest.raises(RecoveryKeyTypo, match=r"56 caracteres .*foram digitados 52"):
        store.restore_keyring_from_recovery(text.rsplit("-", 1)[0])
    with pytest.raises(RecoveryKeyTypo, match="caractere inválido «U»"):
        store.unlock_with_recovery("U" + text[1:])
    # a well-formed key of another profile is a wrong key, not a typo
    with pytest.raises(WrongRecoveryKey):
        store.unlock_with_recovery(format_recovery_key(os.urandom(32)))
    assert store.unlock() == store.unlock_with_recovery(text)


def test_rotating_the_keyring_key_keeps_the_derived_keys(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    recovery = store.create()
    keys = store.unlock()
    before_slots, before_username = slots(profile), store.keyring_username()
    before_secret = keyring_secret(store)

    assert store.rotate_keyring_key() == keys
    after_slots = slots(profile)
    assert keyring_secret(store) not in (None, before_secret)
    assert after_slots["keyring"]["wrapped"] != before_slots["keyring"]["wrapped"]
    assert after_slots["keyring"]["kek_id"] != before_slots["keyring"]["kek_id"]
    assert after_slots["recovery"] == before_slots["recovery"]
    assert keyring.get_password(SERVICE, before_username) is None  # old KEK removed

    rotated = store.unlock()
    assert rotated.database_key() == keys.database_key()
    assert rotated.file_key() == keys.file_key()
    assert rotated.key_id == keys.key_id
    assert store.unlock_with_recovery(recovery.formatted) == keys


def test_create_refuses_over_an_existing_profile(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    store.create()
    keys = store.unlock()
    before = profile.keys_file.read_bytes()
    with pytest.raises(AlreadySetUp):
        KeyStore(profile).create()
    assert profile.keys_file.read_bytes() == before
    assert store.unlock() == keys


def test_history_without_keys_file_is_never_given_a_new_key(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    with pytest.raises(NotSetUp):
        store.unlock()
    profile.ensure()
    profile.database.write_bytes(b"old encrypted history")
    with pytest.raises(KeysFileMissing):
        store.create()
    with pytest.raises(KeysFileMissing):
        store.unlock()
    assert not profile.keys_file.exists()
    assert profile.database.read_bytes() == b"old encrypted history"


def test_damaged_keys_file_is_reported_not_replaced(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    store.create()
    profile.keys_file.write_text('{"version": 1, "slots": ')
    with pytest.raises(KeysFileDamaged):
        store.unlock()
    with pytest.raises(AlreadySetUp):
        store.create()
    assert profile.keys_file.read_text() == '{"version": 1, "slots": '


def test_secret_service_gone_is_keyring_unavailable(
    real_keyring: KeyringBackend, profile: Profile, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    store = KeyStore(profile)
    store.create()
    before = profile.keys_file.read_bytes()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'no-bus'}")
    with pytest.raises(KeyringUnavailable) as caught:
        store.unlock()
    assert str(caught.value) == (
        "O cofre de senhas do sistema não está disponível; abra a sessão do usuário "
        "ou use a chave de recuperação."
    )
    with pytest.raises(KeyringUnavailable):
        store.rotate_keyring_key()
    assert profile.keys_file.read_bytes() == before
    monkeypatch.undo()
    assert isinstance(store.unlock(), DataKeys)


def test_new_recovery_key_replaces_the_old_one(
    real_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    old = store.create()
    fresh = store.new_recovery_key()
    assert fresh != old
    with pytest.raises(WrongRecoveryKey):
        store.unlock_with_recovery(old.formatted)
    assert store.unlock_with_recovery(fresh.formatted) == store.unlock()


# ---------------------------------------------------------------- backend choice


class PlaintextKeyring(KeyringBackend):
    """Stands in for ``keyrings.alt.file.PlaintextKeyring``: secrets base64 in a file."""

    __module__ = "keyrings.alt.file"

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("test-only backend")

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def get_password(self, service: str, username: str) -> str | None:
        if not self.path.exists():
            return None
        value = json.loads(self.path.read_text()).get(f"{service}/{username}")
        return None if value is None else base64.b64decode(value).decode()

    def set_password(self, service: str, username: str, password: str) -> None:
        data = json.loads(self.path.read_text()) if self.path.exists() else {}
        data[f"{service}/{username}"] = base64.b64encode(password.encode()).decode()
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("not supported")


def test_keyrings_alt_file_backend_is_refused(
    tmp_path: Path, profile: Profile, pin_keyring: Pin
) -> None:
    secrets_file = tmp_path / "keyring_pass.cfg"
    with pin_keyring(PlaintextKeyring(secrets_file)):
        with pytest.raises(UnsafeKeyring) as caught:
            KeyStore(profile).create()
        assert isinstance(caught.value, KeyringUnavailable)
        assert "keyrings.alt.file.PlaintextKeyring" in str(caught.value)
    assert not secrets_file.exists()
    assert not profile.keys_file.exists()


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()], ids=["fail", "null"])
def test_no_keyring_backend_is_unavailable(
    backend: KeyringBackend, profile: Profile, pin_keyring: Pin
) -> None:
    with pin_keyring(backend), pytest.raises(KeyringUnavailable):
        KeyStore(profile).create()
    assert not profile.keys_file.exists()


def test_locked_keyring_has_its_own_message(
    memory_keyring: KeyringBackend, profile: Profile
) -> None:
    store = KeyStore(profile)
    store.create()

    class LockedKeyring(type(memory_keyring)):  # type: ignore[misc]
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    with pytest.raises(KeyringLocked, match="bloqueado"):
        KeyStore(profile, backend=LockedKeyring()).unlock()


def test_changed_backend_names_the_one_that_holds_the_key(
    memory_keyring: KeyringBackend, profile: Profile, pin_keyring: Pin
) -> None:
    store = KeyStore(profile)
    recovery = store.create()

    class OtherKeyring(type(memory_keyring)):  # type: ignore[misc]
        """Another backend (say KWallet after a desktop change) that never saw our entry."""

    with pin_keyring(OtherKeyring()), pytest.raises(KeyringChanged) as caught:
        store.unlock()
    assert isinstance(caught.value, KeyringEntryMissing)
    assert backend_name(memory_keyring) in str(caught.value)
    # the recovery key moves the profile onto the new backend
    other = OtherKeyring()
    moved = KeyStore(profile, backend=other).restore_keyring_from_recovery(recovery.formatted)
    assert KeyStore(profile, backend=other).unlock() == moved
    assert slots(profile)["keyring"]["backend"] == backend_name(other)


def test_a_keyring_that_drops_writes_is_caught_at_set_up(
    memory_keyring: KeyringBackend, profile: Profile
) -> None:
    class Forgetful(type(memory_keyring)):  # type: ignore[misc]
        def set_password(self, service: str, username: str, password: str) -> None:
            return None

    with pytest.raises(KeyringUnavailable):
        KeyStore(profile, backend=Forgetful()).create()
    assert not profile.keys_file.exists()


# ---------------------------------------------------------------- recovery key format


def test_recovery_key_format_round_trips_loosely_typed() -> None:
    secret = bytes(range(32))
    text = format_recovery_key(secret)
    assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}", text)
    assert parse_recovery_key(text) == RecoveryKey(secret)
    sloppy = f"  {text.lower().replace('-', ' ')}\n"
    assert parse_recovery_key(sloppy).secret == secret
    look_alikes = text.replace("1", "l").replace("0", "O")
    assert parse_recovery_key(look_alikes).secret == secret


def test_every_single_character_typo_is_caught() -> None:
    text = format_recovery_key(bytes(range(32))).replace("-", "")
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    for position, original in enumerate(text):
        for replacement in alphabet:
            if replacement == original:
                continue
            typo = text[:position] + replacement + text[position + 1 :]
            with pytest.raises(RecoveryKeyTypo):
                parse_recovery_key(typo)


# ---------------------------------------------------------------- profile folder


def test_crm_whatsapp_home_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory_keyring: KeyringBackend
) -> None:
    home = tmp_path / "elsewhere"
    monkeypatch.setenv(HOME_ENV, str(home))
    assert profile_dir() == home
    profile = Profile.default()
    assert profile.database == home / "history.db"
    assert profile.keys_file == home / "keys.json"
    assert profile.media == home / "media" and profile.logs == home / "logs"
    KeyStore(profile).create()
    assert (home / "keys.json").exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG layout")
def test_default_profile_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOME_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert profile_dir() == tmp_path / "xdg" / "crm-whatsapp"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert profile_dir() == tmp_path / "user" / ".local" / "share" / "crm-whatsapp"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert profile_dir() == tmp_path / "user" / ".local" / "share" / "crm-whatsapp"


def test_secret_service_backend_is_the_real_one(real_keyring: KeyringBackend) -> None:
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
