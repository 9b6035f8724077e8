"""Signed update checks: is there a newer version, and is its installer the one we signed?

The app never replaces itself: it reads a small manifest from a configured
address, trusts it only when an Ed25519 signature made with the release key
verifies against a public key shipped in the app, and then *offers* the
installer it names. The installer is downloaded (streamed, capped at the size
the manifest states) and kept only when its SHA-256 matches the manifest;
the person then opens it, and the installer itself asks before changing
anything. An office's IT can push the same installer silently instead.

The manifest, as served (``installer/updates/sign_manifest.py`` makes it)::

    {"manifest": {"schema": 1, "product": "crm-whatsapp", "version": "0.2.0",
                  "minimum_version": "0.1.0", "expires": "2027-01-05T00:00:00Z",
                  "notes": "…", "installers": {"windows-x86_64":
                  {"url": "https://…/setup.exe", "sha256": "…", "size": 52428800}}},
     "signature": "<base64 Ed25519 signature of canonical(manifest)>"}

``canonical`` is JSON with sorted keys and no spaces, UTF-8: what is
verified is re-serialised from what was parsed, so the values used are the
values signed. The signature is checked before any field is read; an
expired manifest is refused (a frozen mirror cannot keep offering an old
release forever); a manifest version at or below the running one offers
nothing (no downgrade); a running version below ``minimum_version`` is told
the update is required. This module is Qt-free (the window's part is
``crm_whatsapp.ui.update_offer``) and blocking: callers run it off the
window's thread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import logging
import os
import platform
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from crm_whatsapp import __version__
from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

# Where a release build points the app when the preference is empty; empty here: a build
# from source checks nothing until an address is set (installer/updates/README.md).
DEFAULT_MANIFEST_URL = ""
# Overrides the preference (tests, and an IT department's start script).
MANIFEST_URL_ENV = "CRM_WHATSAPP_UPDATE_URL"
# The release keys' public halves (raw 32 bytes, base64). More than one during a key
# rotation: a manifest signed by any of them is trusted. The private key never enters the
# repository (installer/updates/README.md says where it lives).
RELEASE_KEYS: tuple[str, ...] = ("vIusihmu2bioqHLQR/CA4PhDy5Yb2cvhqiCKoDGBpRw=",)

PRODUCT = "crm-whatsapp"
SCHEMA = 1
MAX_MANIFEST_BYTES = 64 * 1024  # a real one is under 2 KiB
MAX_INSTALLER_BYTES = 512 * 1024 * 1024  # the installer targets 60 MB; refuse anything absurd
MAX_NOTES_CHARS = 2000
TIMEOUT = httpx.Timeout(20.0, connect=10.0)
_VERSION = re.compile(r"\d{1,6}(?:\.\d{1,6}){0,3}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_PLATFORM = re.compile(r"[a-z0-9]{1,16}-[a-z0-9_]{1,16}")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


class UpdateError(Exception):
    """An update check or download refused or failed: ``str()`` is one Portuguese sentence.

    Each sentence is marked for translation in the "Problems" context, as the
    engine's other errors are; the window shows it through ``i18n.problem``.
    """


NETWORK = QT_TRANSLATE_NOOP("Problems", "Não foi possível procurar atualizações agora.")
BAD_ADDRESS = QT_TRANSLATE_NOOP(
    "Problems", "O endereço de atualizações deve começar com https://; nada foi procurado."
)
TOO_BIG = QT_TRANSLATE_NOOP("Problems", "O aviso de atualização é grande demais e foi ignorado.")
UNSIGNED = QT_TRANSLATE_NOOP(
    "Problems", "O aviso de atualização não tem uma assinatura válida e foi ignorado."
)
MALFORMED = QT_TRANSLATE_NOOP("Problems", "O aviso de atualização está malformado e foi ignorado.")
EXPIRED = QT_TRANSLATE_NOOP("Problems", "O aviso de atualização expirou e foi ignorado.")
DOWNLOAD_FAILED = QT_TRANSLATE_NOOP(
    "Problems", "Não foi possível baixar a atualização; tente de novo mais tarde."
)
OVERSIZED = QT_TRANSLATE_NOOP(
    "Problems", "O instalador baixado é maior do que o anunciado e foi apagado."
)
MISMATCH = QT_TRANSLATE_NOOP(
    "Problems",
    "O instalador baixado não confere com a atualização assinada e foi apagado; "
    "nada foi instalado.",
)
NO_SPACE = QT_TRANSLATE_NOOP(
    "Problems", "Não foi possível salvar o instalador; verifique o espaço em disco."
)


@dataclass(frozen=True)
class Installer:
    """One platform's installer, as the signed manifest names it."""

    url: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """A verified, unexpired manifest's fields."""

    version: str
    minimum_version: str
    expires: datetime
    installers: dict[str, Installer]
    notes: str = ""


@dataclass(frozen=True)
class Offer:
    """A newer version this PC can install; ``required`` when the running one is too old."""

    version: str
    required: bool
    installer: Installer
    notes: str = ""


# -- canonical JSON, signing and verifying ----------------------------------------------------


def canonical(value: Any) -> bytes:
    """The bytes that are signed: sorted keys, no spaces, UTF-8, no floats (exact on every side)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def public_key_text(key: Ed25519PublicKey) -> str:
    """A public key as :data:`RELEASE_KEYS` holds it (raw 32 bytes, base64)."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign(manifest: Mapping[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The document served: ``manifest`` and the signature of its canonical bytes."""
    body = dict(manifest)
    signature = key.sign(canonical(body))
    return {"manifest": body, "signature": base64.b64encode(signature).decode("ascii")}


def _no_floats(text: str) -> Any:
    raise ValueError("floats are not allowed in a manifest")


def _no_constants(text: str) -> Any:
    raise ValueError("NaN and Infinity are not allowed in a manifest")


def _public_keys(keys: tuple[str, ...]) -> list[Ed25519PublicKey]:
    found = []
    for text in keys:
        try:
            found.append(Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True)))
        except (ValueError, binascii.Error):
            log.error("a release key shipped in the app is not an Ed25519 public key")
    return found


def verify(raw: bytes, keys: tuple[str, ...], now: datetime | None = None) -> Manifest:
    """The manifest in ``raw`` when signed by one of ``keys`` and unexpired; else UpdateError.

    Nothing but the envelope's shape is read before the signature holds.
    """
    if len(raw) > MAX_MANIFEST_BYTES:
        raise UpdateError(TOO_BIG)
    try:
        document = json.loads(
            raw.decode("utf-8"), parse_float=_no_floats, parse_constant=_no_constants
        )
    except (ValueError, RecursionError):
        log.warning("update manifest refused: not JSON")
        raise UpdateError(MALFORMED) from None
    if not isinstance(document, dict):
        raise UpdateError(MALFORMED)
    body, signature = document.get("manifest"), document.get("signature")
    if not isinstance(body, dict) or not isinstance(signature, str) or len(signature) > 200:
        log.warning("update manifest refused: no manifest or signature")
        raise UpdateError(UNSIGNED)
    try:
        signature_bytes = base64.b64decode(signature, validate=True)
    except (ValueError, binascii.Error):
        raise UpdateError(UNSIGNED) from None
    try:
        signed = canonical(body)
    except (ValueError, RecursionError):
        raise UpdateError(MALFORMED) from None
    for key in _public_keys(keys):
        try:
            key.verify(signature_bytes, signed)
            break
        except InvalidSignature:
            continue
    else:
        log.warning("update manifest refused: the signature does not verify")
        raise UpdateError(UNSIGNED)
    manifest = _fields(body)
    if manifest.expires <= (now or datetime.now(UTC)):
        log.warning("update manifest refused: expired at %s", manifest.expires.isoformat())
        raise UpdateError(EXPIRED)
    return manifest


def _fields(body: dict[str, Any]) -> Manifest:
    """The signed manifest's fields, each checked for type and range (signed is not sane)."""

    def malformed(what: str) -> UpdateError:
        log.warning("update manifest refused: %s", what)
        return UpdateError(MALFORMED)

    if body.get("schema") != SCHEMA or body.get("product") != PRODUCT:
        raise malformed("another schema or product")
    version, minimum = body.get("version"), body.get("minimum_version", "0")
    if not _is_version(version) or not _is_version(minimum):
        raise malformed("a version that is not dotted numbers")
    if parse_version(minimum) > parse_version(version):
        raise malformed("minimum_version above version")
    expires = body.get("expires")
    if not isinstance(expires, str) or len(expires) > 40:
        raise malformed("no expiry")
    try:
        when = datetime.fromisoformat(expires)
    except ValueError:
        raise malformed("an expiry that is not ISO 8601") from None
    if when.tzinfo is None:
        raise malformed("an expiry without a time zone")
    notes = body.get("notes", "")
    if not isinstance(notes, str) or len(notes) > MAX_NOTES_CHARS:
        raise malformed("notes that are not short text")
    entries = body.get("installers")
    if not isinstance(entries, dict) or not entries or len(entries) > 32:
        raise malformed("no installers")
    installers: dict[str, Installer] = {}
    for name, entry in entries.items():
        if not _PLATFORM.fullmatch(name) or not isinstance(entry, dict):
            raise malformed("an installer entry of the wrong shape")
        url, digest, size = entry.get("url"), entry.get("sha256"), entry.get("size")
        if not isinstance(url, str) or len(url) > 2000 or not allowed_url(url):
            raise malformed("an installer address that is not https")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise malformed("a sha256 that is not 64 lowercase hex digits")
        if (
            not isinstance(size, int)
            or isinstance(size, bool)
            or not 0 < size <= MAX_INSTALLER_BYTES
        ):
            raise malformed("an installer size out of range")
        installers[name] = Installer(url, digest, size)
    return Manifest(version, minimum, when.astimezone(UTC), installers, notes)


# -- versions, platforms, addresses -----------------------------------------------------------


def _is_version(value: Any) -> bool:
    return isinstance(value, str) and _VERSION.fullmatch(value) is not None


def parse_version(text: str) -> tuple[int, ...]:
    """``"0.10.2"`` → ``(0, 10, 2, 0)``; a suffix (``.dev1``, ``+local``) is ignored."""
    match = re.match(r"\d+(?:\.\d+){0,3}", text.strip())
    parts = [int(p) for p in match.group(0).split(".")] if match else [0]
    return tuple(parts + [0] * (4 - len(parts)))


def platform_key(system: str | None = None, machine: str | None = None) -> str:
    """This PC's installer entry name: ``windows-x86_64``, ``linux-x86_64``, ``macos-arm64``…"""
    system = system or sys.platform
    machine = (machine or platform.machine()).lower()
    name = {"win32": "windows", "darwin": "macos"}.get(system, "linux")
    arch = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    return f"{name}-{arch}"


def allowed_url(url: str) -> bool:
    """https anywhere; plain http only to this PC (a test server, a local mirror)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def manifest_url(preference: str, environ: Mapping[str, str] | None = None) -> str:
    """The address to check: the environment's, else the preference, else the build's default."""
    environ = os.environ if environ is None else environ
    return (environ.get(MANIFEST_URL_ENV) or preference or DEFAULT_MANIFEST_URL).strip()


def offer_for(
    manifest: Manifest, running: str = __version__, platform_name: str | None = None
) -> Offer | None:
    """What to offer this PC: nothing for the same or an older version, or another platform."""
    current = parse_version(running)
    if parse_version(manifest.version) <= current:
        return None
    installer = manifest.installers.get(platform_name or platform_key())
    if installer is None:
        log.info("version %s has no installer for %s", manifest.version, platform_name)
        return None
    required = parse_version(manifest.minimum_version) > current
    return Offer(manifest.version, required, installer, manifest.notes)


# -- over the network -------------------------------------------------------------------------


class UpdateChecker:
    """Checks one address against the trusted keys and downloads what it offers.

    Blocking (httpx): run it off the window's thread. ``keys`` defaults to
    the shipped release keys; tests pass a throw-away key's.
    """

    def __init__(
        self,
        url: str,
        keys: tuple[str, ...] = RELEASE_KEYS,
        running: str = __version__,
        platform_name: str | None = None,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        self.url = url
        self.keys = keys
        self.running = running
        self.platform_name = platform_name or platform_key()
        self.timeout = timeout

    def _client(self) -> httpx.Client:
        return httpx.Client(timeout=self.timeout, follow_redirects=True, max_redirects=5)

    def check(self, now: datetime | None = None) -> Offer | None:
        """The offer for this PC, None when up to date; UpdateError when refused or unreachable."""
        if not allowed_url(self.url):
            raise UpdateError(BAD_ADDRESS)
        try:
            with self._client() as client, client.stream("GET", self.url) as response:
                if response.status_code != 200 or not allowed_url(str(response.url)):
                    log.warning("update check answered %s", response.status_code)
                    raise UpdateError(NETWORK)
                raw = bytearray()
                for chunk in response.iter_bytes():
                    raw += chunk
                    if len(raw) > MAX_MANIFEST_BYTES:
                        log.warning("update manifest refused: over %s bytes", MAX_MANIFEST_BYTES)
                        raise UpdateError(TOO_BIG)
        except httpx.HTTPError as exc:
            log.warning("update check failed (%s)", type(exc).__name__)
            raise UpdateError(NETWORK) from None
        manifest = verify(bytes(raw), self.keys, now)
        return offer_for(manifest, self.running, self.platform_name)

    def download(
        self,
        offer: Offer,
        folder: Path,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Path:
        """The installer saved in ``folder`` once its size and SHA-256 match the offer.

        A mismatch, an oversized body or a failure deletes what was written.
        """
        installer = offer.installer
        target = Path(folder) / installer_name(offer)
        partial = target.with_name(target.name + ".part")
        digest = hashlib.sha256()
        done = 0
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            with (
                self._client() as client,
                client.stream("GET", installer.url) as response,
                partial.open("wb") as out,
            ):
                if response.status_code != 200 or not allowed_url(str(response.url)):
                    log.warning("installer download answered %s", response.status_code)
                    raise UpdateError(DOWNLOAD_FAILED)
                stated = response.headers.get("content-length", "")
                if stated.isdigit() and int(stated) > installer.size:
                    log.warning(
                        "installer refused: announced %s bytes, signed %s", stated, installer.size
                    )
                    raise UpdateError(OVERSIZED)
                for chunk in response.iter_bytes(64 * 1024):
                    if cancelled is not None and cancelled():
                        raise UpdateError(DOWNLOAD_FAILED)
                    done += len(chunk)
                    if done > installer.size:
                        log.warning(
                            "installer refused: more than the %s bytes signed", installer.size
                        )
                        raise UpdateError(OVERSIZED)
                    digest.update(chunk)
                    out.write(chunk)
                    if progress is not None:
                        progress(done, installer.size)
            if done != installer.size or digest.hexdigest() != installer.sha256:
                log.warning("installer refused: its size or SHA-256 differs from the manifest")
                raise UpdateError(MISMATCH)
            os.replace(partial, target)
        except UpdateError:
            partial.unlink(missing_ok=True)
            raise
        except httpx.HTTPError as exc:
            partial.unlink(missing_ok=True)
            log.warning("installer download failed (%s)", type(exc).__name__)
            raise UpdateError(DOWNLOAD_FAILED) from None
        except OSError as exc:
            partial.unlink(missing_ok=True)
            log.warning("installer could not be saved (%s)", type(exc).__name__)
            raise UpdateError(NO_SPACE) from None
        except BaseException:  # a progress callback failing, an interrupt: nothing half-written
            partial.unlink(missing_ok=True)
            raise
        return target


def installer_name(offer: Offer) -> str:
    """A safe file name for the installer: the URL's last segment, or one made from the version."""
    last = urlsplit(offer.installer.url).path.rsplit("/", 1)[-1]
    name = _SAFE_NAME.sub("_", last).lstrip(".")[:100]
    return name or f"crm-whatsapp-{offer.version}-setup"
