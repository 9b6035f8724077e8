"""Envelope keys for the desktop profile: one data key, wrapped twice, never stored in clear.

Why an envelope (DESIGN guarantee 3, research note §4):

* A random 32-byte **data key** (DK) protects everything at rest. The SQLCipher
  database key and the media/export file key are derived from it with
  HKDF-SHA256 under distinct labels, so one leaked subkey says nothing about
  the other.
* The DK is stored only wrapped (AES key wrap, RFC 3394) in ``keys.json``
  inside the profile, in two *slots*, LUKS style:

  - ``keyring``: wrapped by a key-encryption key (KEK) of 32 random bytes kept
    in the OS keyring (``keyring``, service ``crm-whatsapp``); this is what
    opens the profile every day without a password;
  - ``recovery``: wrapped by a printable recovery key shown once at set-up, so
    a new PC or a lost keyring does not lose the history. A silent install
    (nobody at the screen) keeps that key in the keyring as a *pending*
    entry until the window has shown it (:meth:`KeyStore.keep_pending_recovery`).

* Rotating the keyring key re-wraps 40 bytes; the DK, hence the database and
  every sealed file, stays as it is: history is never rewritten.
* AES key wrap carries its own integrity check, so a wrong, stale or
  tampered KEK is detected by the unwrap itself (:class:`WrongKey`) before
  any database is opened read-write. Nothing here ever creates a new key
  over an existing profile: a missing or wrong key is one clear Portuguese
  sentence and nothing is overwritten.
* ``keyrings.alt`` (secrets base64 in a file next to the data), ``fail`` and
  ``null`` backends are refused: they would put the key beside the data or
  silently drop it.

Key material never reaches logs, ``repr()`` or exception messages.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import os
import secrets
import tempfile
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import keyring
import keyring.errors
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.profile import Profile

log = logging.getLogger(__name__)

SERVICE = "crm-whatsapp"
# Keyring entry (same service) of a recovery key kept until the window shows it.
PENDING_RECOVERY_PREFIX = "pending-recovery:"
KEYS_VERSION = 1
KEY_BYTES = 32
_WRAPPED_BYTES = KEY_BYTES + 8  # RFC 3394 adds one 64-bit integrity block
_HKDF_PREFIX = b"crm-whatsapp/v1/"

# Crockford base32: no I, L, O, U, so a handwritten key has no look-alikes.
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_ALIASES = {"I": "1", "L": "1", "O": "0"}
_RECOVERY_GROUP = 4
_RECOVERY_KEY_CHARS = 52  # 32 bytes = 256 bits < 32**52
_RECOVERY_CHECK_CHARS = 4  # 20 bits: a typo slips through once in a million
_RECOVERY_TOTAL_CHARS = _RECOVERY_KEY_CHARS + _RECOVERY_CHECK_CHARS
_RECOVERY_CHECK_LABEL = b"crm-whatsapp recovery key check v1"

# Backends that must never hold the key: keyrings.alt keeps secrets base64 in
# a file (research note §2.2); fail raises on every call; null drops secrets.
_REFUSED_MODULE_PREFIXES = ("keyrings.alt",)
_UNAVAILABLE_MODULES = frozenset({"keyring.backends.fail", "keyring.backends.null"})


# --------------------------------------------------------------------------- errors


class KeyProblem(Exception):
    """Base of every key problem; ``str(exc)`` is one Portuguese sentence a person can act on."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems", "Houve um problema com as chaves de criptografia do perfil."
    )

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class KeyringUnavailable(KeyProblem):
    """No usable OS keyring (no backend, D-Bus/Secret Service down, backend refused)."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "O cofre de senhas do sistema não está disponível; abra a sessão do usuário "
        "ou use a chave de recuperação.",
    )


class KeyringLocked(KeyringUnavailable):
    """The keyring exists but is locked and could not be unlocked (no prompt possible)."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "O cofre de senhas do sistema está bloqueado; desbloqueie-o entrando de novo "
        "na sessão do usuário ou use a chave de recuperação.",
    )


class UnsafeKeyring(KeyringUnavailable):
    """The configured backend would store the key unprotected (``keyrings.alt``)."""

    def __init__(self, backend_name: str) -> None:
        super().__init__(
            f"O cofre de senhas configurado ({backend_name}) guarda segredos sem proteção "
            "e foi recusado; use o cofre de senhas do sistema ou a chave de recuperação."
        )


class KeyringEntryMissing(KeyProblem):
    """``keys.json`` exists but the keyring has no entry for it (new PC, wiped keyring)."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "A chave que protege o histórico não foi encontrada no cofre de senhas do "
        "sistema; informe a chave de recuperação.",
    )


class KeyringChanged(KeyringEntryMissing):
    """The entry is missing and the keyring backend differs from the one that stored it."""

    def __init__(self, recorded: str, current: str) -> None:
        super().__init__(
            f"A chave do histórico foi guardada em outro cofre de senhas ({recorded}, agora "
            f"{current}); volte a usar aquele cofre ou informe a chave de recuperação."
        )


class WrongKey(KeyProblem):
    """The unwrap's integrity check failed: this key does not belong to this profile."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "A chave guardada no cofre de senhas não abre este histórico e nada foi "
        "alterado; informe a chave de recuperação.",
    )


class WrongRecoveryKey(WrongKey):
    """A well-formed recovery key that does not unwrap this profile's data key."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "Esta chave de recuperação não pertence a este perfil e nada foi alterado; "
        "confira se é a folha deste computador.",
    )


class RecoveryKeyTypo(KeyProblem):
    """The recovery key text is malformed or fails its checksum (caught before any unwrap)."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "A chave de recuperação tem um erro de digitação; confira cada grupo com a folha impressa.",
    )


class NotSetUp(KeyProblem):
    """The profile has no ``keys.json`` and no data: the first-run set-up has not happened."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "Este perfil ainda não tem chaves de criptografia; conclua a configuração inicial.",
    )


class AlreadySetUp(KeyProblem):
    """``create()`` over a profile that already has keys: never a new key over old data."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "Este perfil já tem chaves de criptografia e nenhuma chave nova será criada "
        "sobre os dados existentes; use a chave de recuperação se o cofre falhar.",
    )


class KeysFileMissing(KeyProblem):
    """There is history in the profile but ``keys.json`` is gone."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "Há um histórico neste perfil, mas o arquivo de chaves (keys.json) sumiu; "
        "restaure-o de um backup, pois uma chave nova não abriria os dados antigos.",
    )


class KeysFileDamaged(KeyProblem):
    """``keys.json`` cannot be read or is not in a format this version understands."""

    default_message = QT_TRANSLATE_NOOP(
        "Problems",
        "O arquivo de chaves do perfil (keys.json) está danificado ou é de uma versão "
        "mais nova; restaure-o de um backup ou atualize o aplicativo.",
    )


# --------------------------------------------------------------------------- keys


class DataKeys:
    """The unwrapped data key of one profile and the subkeys derived from it.

    Keep one instance in memory for the session (the keyring costs tens of
    milliseconds per call); ``repr()`` never shows key bytes.
    """

    __slots__ = ("_dk", "profile_id")

    def __init__(self, data_key: bytes, profile_id: str) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError("the data key must be 32 bytes")
        self._dk = bytes(data_key)
        self.profile_id = profile_id

    def derive(self, purpose: str, length: int = KEY_BYTES) -> bytes:
        """A subkey for ``purpose`` (HKDF-SHA256, info ``crm-whatsapp/v1/<purpose>``)."""
        hkdf = HKDF(
            algorithm=hashes.SHA256(),
            length=length,
            salt=None,
            info=_HKDF_PREFIX + purpose.encode("ascii"),
        )
        return hkdf.derive(self._dk)

    def database_key(self) -> bytes:
        """The 32-byte raw SQLCipher key."""
        return self.derive("database")

    def database_key_sqlcipher(self) -> str:
        """The raw key in SQLCipher's literal form ``x'<64 hex>'`` (no passphrase KDF)."""
        return f"x'{self.database_key().hex()}'"

    def file_key(self) -> bytes:
        """The 32-byte AES-256-GCM key for cached media and exports."""
        return self.derive("files")

    @property
    def key_id(self) -> str:
        """A public 16-hex-digit name of this data key, to label what it sealed."""
        return self.derive("key-id", 8).hex()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataKeys):
            return NotImplemented
        return secrets.compare_digest(self._dk, other._dk)

    def __hash__(self) -> int:
        return hash(self.key_id)

    def __repr__(self) -> str:
        return f"DataKeys(profile_id={self.profile_id!r}, key_id={self.key_id!r})"


class RecoveryKey:
    """The 32-byte recovery key; ``formatted`` is what the user writes down (shown once)."""

    __slots__ = ("secret",)

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            raise ValueError("the recovery key must be 32 bytes")
        self.secret = bytes(secret)

    @property
    def formatted(self) -> str:
        """Printable groups, e.g. ``7K3M-…-Q2ZD``; see :func:`format_recovery_key`."""
        return format_recovery_key(self.secret)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecoveryKey):
            return NotImplemented
        return secrets.compare_digest(self.secret, other.secret)

    def __hash__(self) -> int:
        return hash(_recovery_check(self.secret))

    def __repr__(self) -> str:
        return "RecoveryKey(<hidden>)"

    __str__ = __repr__  # an accidental f-string or log line shows nothing


def _recovery_check(secret: bytes) -> int:
    digest = hashlib.sha256(_RECOVERY_CHECK_LABEL + secret).digest()
    return int.from_bytes(digest[:4], "big") >> (32 - 5 * _RECOVERY_CHECK_CHARS)


def _b32_digits(value: int, count: int) -> str:
    out = []
    for _ in range(count):
        value, digit = divmod(value, 32)
        out.append(_CROCKFORD[digit])
    return "".join(reversed(out))


def format_recovery_key(secret: bytes) -> str:
    """32 bytes as 14 dash-separated groups of 4 Crockford base32 characters.

    52 characters carry the key, the last group is a 20-bit checksum so a
    mistyped key is caught as a typo instead of looking like a wrong key.
    """
    if len(secret) != KEY_BYTES:
        raise ValueError("the recovery key must be 32 bytes")
    text = _b32_digits(int.from_bytes(secret, "big"), _RECOVERY_KEY_CHARS)
    text += _b32_digits(_recovery_check(secret), _RECOVERY_CHECK_CHARS)
    groups = [text[i : i + _RECOVERY_GROUP] for i in range(0, len(text), _RECOVERY_GROUP)]
    return "-".join(groups)


def parse_recovery_key(text: str) -> RecoveryKey:
    """Read a recovery key typed by a person: any case, spaces and dashes ignored.

    ``I``/``L`` read as ``1`` and ``O`` as ``0`` (Crockford). Raises
    :class:`RecoveryKeyTypo` with a precise sentence on a bad character, a
    wrong length or a checksum mismatch.
    """
    cleaned = "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-_.")
    digits: list[int] = []
    for ch in cleaned:
        ch = _CROCKFORD_ALIASES.get(ch, ch)
        index = _CROCKFORD.find(ch)
        if index < 0:
            raise RecoveryKeyTypo(
                f"A chave de recuperação contém o caractere inválido «{ch}»; "
                "confira o que foi digitado."
            )
        digits.append(index)
    if len(digits) != _RECOVERY_TOTAL_CHARS:
        raise RecoveryKeyTypo(
            f"A chave de recuperação tem {_RECOVERY_TOTAL_CHARS} caracteres "
            f"({_RECOVERY_TOTAL_CHARS // _RECOVERY_GROUP} grupos de {_RECOVERY_GROUP}), "
            f"mas foram digitados {len(digits)}; confira se faltou ou sobrou algum grupo."
        )
    value = 0
    for digit in digits[:_RECOVERY_KEY_CHARS]:
        value = value * 32 + digit
    check = 0
    for digit in digits[_RECOVERY_KEY_CHARS:]:
        check = check * 32 + digit
    if value >> (8 * KEY_BYTES):
        raise RecoveryKeyTypo()
    secret = value.to_bytes(KEY_BYTES, "big")
    if not secrets.compare_digest(
        _recovery_check(secret).to_bytes(4, "big"), check.to_bytes(4, "big")
    ):
        raise RecoveryKeyTypo()
    return RecoveryKey(secret)


# --------------------------------------------------------------------------- keyring access

_T = TypeVar("_T")


def backend_name(backend: KeyringBackend) -> str:
    """``module.Class`` of a keyring backend, the name recorded in ``keys.json``."""
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _refused(backend: KeyringBackend) -> bool:
    return type(backend).__module__.startswith(_REFUSED_MODULE_PREFIXES)


def _unusable(backend: KeyringBackend) -> bool:
    return type(backend).__module__ in _UNAVAILABLE_MODULES or isinstance(backend, ChainerBackend)


def resolve_backend(chosen: KeyringBackend | None = None) -> KeyringBackend:
    """The keyring backend to use, or :class:`KeyringUnavailable` / :class:`UnsafeKeyring`.

    ``keyring`` may answer with a chainer over several backends; we pin the
    best acceptable one, so the key never lands in ``keyrings.alt`` as a
    fallback behind the scenes.
    """
    try:
        current = chosen if chosen is not None else keyring.get_keyring()
        candidates = list(current.backends) if isinstance(current, ChainerBackend) else [current]
    except Exception as exc:  # a broken backend import or init: not the user's fault to debug
        raise KeyringUnavailable() from exc
    refused = [c for c in candidates if _refused(c)]
    for candidate in candidates:
        if not _refused(candidate) and not _unusable(candidate):
            return candidate
    if refused:
        raise UnsafeKeyring(backend_name(refused[0]))
    raise KeyringUnavailable()


def keyring_call(call: Callable[..., _T], *args: str) -> _T:
    """Run one keyring call, turning every backend failure into a :class:`KeyProblem`."""
    try:
        return call(*args)
    except keyring.errors.KeyringLocked as exc:
        raise KeyringLocked() from exc
    except Exception as exc:  # NoKeyringError, InitError, D-Bus/secretstorage errors, OSError
        raise KeyringUnavailable() from exc


def _delete_entry(backend: KeyringBackend, username: str) -> None:
    """Best-effort removal of a keyring entry (it may live in another PC's keyring)."""
    with contextlib.suppress(Exception):
        backend.delete_password(SERVICE, username)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, length: int) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if len(raw) == length else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- key store


class KeyStore:
    """The wrapped key slots of one profile (``keys.json``) and their keyring entry.

    ``backend`` pins a keyring backend (tests, or the one recorded at set-up);
    by default ``keyring.get_keyring()`` is asked on each operation.
    """

    def __init__(self, profile: Profile, backend: KeyringBackend | None = None) -> None:
        self.profile = profile
        self._backend = backend

    # ---- reading

    def exists(self) -> bool:
        """Whether this profile has been set up (``keys.json`` exists)."""
        return self.profile.keys_file.exists()

    def _has_data(self) -> bool:
        media = self.profile.media
        return self.profile.database.exists() or (media.is_dir() and any(media.iterdir()))

    def _read(self) -> dict[str, Any]:
        path = self.profile.keys_file
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise (KeysFileMissing() if self._has_data() else NotSetUp()) from None
        except OSError as exc:
            raise KeysFileDamaged() from exc
        try:
            data = json.loads(raw)
            if data["version"] != KEYS_VERSION:
                raise ValueError("unknown version")
            slots = data["slots"]
            if not isinstance(data["profile_id"], str):
                raise ValueError("profile_id")
            for name in ("keyring", "recovery"):
                if _unb64(slots[name]["wrapped"], _WRAPPED_BYTES) is None:
                    raise ValueError(name)
            if not isinstance(slots["keyring"]["username"], str):
                raise ValueError("username")
        except (ValueError, KeyError, TypeError) as exc:
            raise KeysFileDamaged() from exc
        return data

    def _write(self, data: dict[str, Any], *, exclusive: bool = False) -> None:
        """Write ``keys.json`` atomically (temp file, fsync, rename), readable by the user only.

        ``exclusive`` refuses to replace an existing file: ``create()`` racing
        another start-up must not put a new key over the one just written.
        """
        path = self.profile.keys_file
        payload = (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".keys.", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as handle:  # mkstemp: 0600 on POSIX
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if exclusive:
                try:
                    os.link(tmp, path)
                except FileExistsError:
                    raise AlreadySetUp() from None
                except OSError:  # a filesystem without hard links
                    if path.exists():
                        raise AlreadySetUp() from None
                    os.replace(tmp, path)
            else:
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        if os.name == "posix":
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)

    def _store_kek(self, backend: KeyringBackend, profile_id: str) -> tuple[dict[str, str], bytes]:
        """A fresh KEK in the keyring under a fresh name, read back to prove it stuck."""
        kek = os.urandom(KEY_BYTES)
        kek_id = secrets.token_hex(8)
        username = f"profile:{profile_id}:{kek_id}"
        keyring_call(backend.set_password, SERVICE, username, _b64(kek))
        stored = keyring_call(backend.get_password, SERVICE, username)
        if stored is None or not secrets.compare_digest(stored.encode(), _b64(kek).encode()):
            _delete_entry(backend, username)
            raise KeyringUnavailable()
        slot = {
            "kek_id": kek_id,
            "service": SERVICE,
            "username": username,
            "backend": backend_name(backend),
            "created_at": _now(),
        }
        return slot, kek

    def _rewrap_keyring_slot(self, data: dict[str, Any], keys: DataKeys) -> None:
        """New KEK, new slot, then drop the old entry: a crash anywhere leaves a working pair."""
        backend = resolve_backend(self._backend)
        old_username = data["slots"]["keyring"]["username"]
        slot, kek = self._store_kek(backend, data["profile_id"])
        slot["wrapped"] = _b64(aes_key_wrap(kek, keys._dk))
        data["slots"]["keyring"] = slot
        try:
            self._write(data)
        except BaseException:
            _delete_entry(backend, slot["username"])
            raise
        if old_username != slot["username"]:
            _delete_entry(backend, old_username)
        log.info("keyring key for profile %s is now %s", data["profile_id"], slot["kek_id"])

    # ---- public API

    def create(self) -> RecoveryKey:
        """Set up a new profile: data key, keyring slot and recovery slot.

        Returns the recovery key, to show once. Refuses (:class:`AlreadySetUp`,
        :class:`KeysFileMissing`) when the profile already has keys or data.
        """
        if self.exists():
            raise AlreadySetUp()
        if self._has_data():
            raise KeysFileMissing()
        backend = resolve_backend(self._backend)
        self.profile.ensure()
        data_key = os.urandom(KEY_BYTES)
        recovery = RecoveryKey(os.urandom(KEY_BYTES))
        profile_id = uuid.uuid4().hex
        slot, kek = self._store_kek(backend, profile_id)
        slot["wrapped"] = _b64(aes_key_wrap(kek, data_key))
        data = {
            "version": KEYS_VERSION,
            "profile_id": profile_id,
            "created_at": _now(),
            "slots": {
                "keyring": slot,
                "recovery": {
                    "wrapped": _b64(aes_key_wrap(recovery.secret, data_key)),
                    "created_at": _now(),
                },
            },
        }
        try:
            self._write(data, exclusive=True)
        except BaseException:
            _delete_entry(backend, slot["username"])
            raise
        log.info("created keys for profile %s (keyring key %s)", profile_id, slot["kek_id"])
        return recovery

    def unlock(self) -> DataKeys:
        """The data keys through the OS keyring; changes nothing on disk or in the keyring.

        Raises :class:`KeyringUnavailable` (or :class:`KeyringLocked`,
        :class:`UnsafeKeyring`), :class:`KeyringEntryMissing` (or
        :class:`KeyringChanged`), :class:`WrongKey`, :class:`NotSetUp`,
        :class:`KeysFileMissing`, :class:`KeysFileDamaged`.
        """
        data = self._read()
        slot = data["slots"]["keyring"]
        backend = resolve_backend(self._backend)
        secret = keyring_call(backend.get_password, SERVICE, slot["username"])
        if secret is None:
            recorded, current = slot.get("backend"), backend_name(backend)
            if isinstance(recorded, str) and recorded != current:
                raise KeyringChanged(recorded, current)
            raise KeyringEntryMissing()
        kek = _unb64(secret, KEY_BYTES)
        if kek is None:
            raise WrongKey()
        try:
            data_key = aes_key_unwrap(kek, _unb64(slot["wrapped"], _WRAPPED_BYTES) or b"")
        except (InvalidUnwrap, ValueError) as exc:
            raise WrongKey() from exc
        return DataKeys(data_key, data["profile_id"])

    def unlock_with_recovery(self, text: str) -> DataKeys:
        """The data keys from a typed recovery key; the keyring is not touched."""
        recovery = parse_recovery_key(text)
        data = self._read()
        wrapped = _unb64(data["slots"]["recovery"]["wrapped"], _WRAPPED_BYTES) or b""
        try:
            data_key = aes_key_unwrap(recovery.secret, wrapped)
        except (InvalidUnwrap, ValueError) as exc:
            raise WrongRecoveryKey() from exc
        return DataKeys(data_key, data["profile_id"])

    def restore_keyring_from_recovery(self, text: str) -> DataKeys:
        """New PC or lost keyring: a new keyring key wraps the same data key; recovery slot kept."""
        keys = self.unlock_with_recovery(text)
        self._rewrap_keyring_slot(self._read(), keys)
        return keys

    def rotate_keyring_key(self) -> DataKeys:
        """Replace the keyring key and re-wrap the data key; history is not rewritten."""
        keys = self.unlock()
        self._rewrap_keyring_slot(self._read(), keys)
        return keys

    def new_recovery_key(self) -> RecoveryKey:
        """Replace the recovery slot (the sheet was lost); needs a working keyring slot."""
        keys = self.unlock()
        data = self._read()
        recovery = RecoveryKey(os.urandom(KEY_BYTES))
        data["slots"]["recovery"] = {
            "wrapped": _b64(aes_key_wrap(recovery.secret, keys._dk)),
            "created_at": _now(),
        }
        self._write(data)
        log.info("new recovery key for profile %s", data["profile_id"])
        return recovery

    def keyring_username(self) -> str:
        """The keyring entry name (service ``crm-whatsapp``) that holds this profile's KEK."""
        return str(self._read()["slots"]["keyring"]["username"])

    # ---- a recovery key waiting to be shown (silent installs)

    def pending_recovery_username(self) -> str:
        """The keyring entry name of this profile's recovery key not yet shown to anyone."""
        return f"{PENDING_RECOVERY_PREFIX}{self._read()['profile_id']}"

    def keep_pending_recovery(self, recovery: RecoveryKey) -> None:
        """Keep a recovery key nobody has read yet, for the window's first start to show.

        A silent install enrolls the PC with no one at the screen: printed,
        the key would be lost, and the history would die with this PC's
        keyring. Kept in the same keyring, next to the key-encryption key,
        it adds no exposure: whoever can read that entry can already open
        the history with the KEK. It leaves the keyring once the attendant
        confirms the key is written down (:meth:`clear_pending_recovery`).
        Read back to prove it stuck, like the KEK.
        """
        backend = resolve_backend(self._backend)
        username = self.pending_recovery_username()
        keyring_call(backend.set_password, SERVICE, username, _b64(recovery.secret))
        stored = keyring_call(backend.get_password, SERVICE, username)
        if stored is None or not secrets.compare_digest(
            stored.encode(), _b64(recovery.secret).encode()
        ):
            _delete_entry(backend, username)
            raise KeyringUnavailable()
        log.info("recovery key for profile %s kept until shown", self._read()["profile_id"])

    def pending_recovery(self) -> RecoveryKey | None:
        """The recovery key still to be shown, or None (none left, or no longer this profile's).

        A pending key that no longer opens the recovery slot (a new one was
        made since) would be a useless sheet: it is dropped, never shown.
        """
        backend = resolve_backend(self._backend)
        username = self.pending_recovery_username()
        secret = _unb64(keyring_call(backend.get_password, SERVICE, username), KEY_BYTES)
        if secret is None:
            return None
        recovery = RecoveryKey(secret)
        try:
            self.unlock_with_recovery(recovery.formatted)
        except WrongRecoveryKey:
            log.info("a stale pending recovery key was dropped")
            _delete_entry(backend, username)
            return None
        return recovery

    def clear_pending_recovery(self) -> None:
        """The attendant has the key written down: it leaves the keyring."""
        backend = resolve_backend(self._backend)
        username = self.pending_recovery_username()
        if keyring_call(backend.get_password, SERVICE, username) is not None:
            keyring_call(backend.delete_password, SERVICE, username)

    def forget(self) -> None:
        """Delete the keyring entry and ``keys.json`` (tests, or erasing a profile for good)."""
        path = self.profile.keys_file
        if not path.exists():
            return
        with contextlib.suppress(KeyProblem):
            backend = resolve_backend(self._backend)
            _delete_entry(backend, self.pending_recovery_username())
            _delete_entry(backend, self.keyring_username())
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- recovering

# What keeps the keyring from opening the history by itself: the window then
# asks for the recovery key instead of stopping (a typed key fixes each of them).
KEYRING_PROBLEMS: tuple[type[KeyProblem], ...] = (KeyringUnavailable, KeyringEntryMissing, WrongKey)


def recover(store: KeyStore, text: str) -> tuple[DataKeys, bool]:
    """Open the profile with a typed recovery key; put a new keyring key back when possible.

    Returns the data keys and whether the keyring took the new key (it may
    still be shut: the history opens anyway, and the next start asks again).
    A wrong or mistyped key raises :class:`WrongRecoveryKey` or
    :class:`RecoveryKeyTypo` and changes nothing.
    """
    keys = store.unlock_with_recovery(text)
    try:
        store.restore_keyring_from_recovery(text)
    except KeyringUnavailable:
        log.info("recovery key accepted; the keyring could not keep a new key")
        return keys, False
    return keys, True
