"""Signed update checks against a real HTTP server on loopback (crm_whatsapp.updates).

Each test publishes a manifest signed with a throw-away key and checks what
a running 0.1.0 is offered, or that it refuses with one Portuguese sentence
and never a crash; downloads are verified against the signed SHA-256 and a
bad one leaves no file behind.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from update_support import Release, ReleaseServer, running_server

from crm_whatsapp import updates
from crm_whatsapp.settings import Preferences
from crm_whatsapp.updates import UpdateChecker, UpdateError

CHECKOUT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def _server() -> Iterator[ReleaseServer]:
    yield from running_server()  # one uvicorn for the module: starting one costs 0.2 s


@pytest.fixture
def server(_server: ReleaseServer) -> ReleaseServer:
    """The module's release server, serving nothing yet."""
    _server.files.clear()
    _server.extra.clear()
    return _server


@pytest.fixture
def release() -> Release:
    return Release()


def check(release: Release, url: str, running: str = "0.1.0") -> updates.Offer | None:
    return UpdateChecker(url, (release.public,), running=running).check()


def refusal(release: Release, url: str) -> str:
    with pytest.raises(UpdateError) as caught:
        check(release, url)
    return str(caught.value)


def test_a_newer_signed_version_is_offered_and_its_installer_verified(
    server: ReleaseServer, release: Release, tmp_path: Path
) -> None:
    payload = os.urandom(300_000)
    url = release.publish(server, release.manifest(server, "0.2.0", installer=payload))
    offer = check(release, url)
    assert offer is not None
    assert (offer.version, offer.required) == ("0.2.0", False)
    assert offer.notes == "Correções e melhorias."
    seen: list[tuple[int, int]] = []
    path = UpdateChecker(url, (release.public,)).download(
        offer, tmp_path, progress=lambda done, total: seen.append((done, total))
    )
    assert path == tmp_path / "setup-0.2.0.exe"
    assert path.read_bytes() == payload
    assert seen[-1] == (len(payload), len(payload))
    assert [p.name for p in tmp_path.iterdir()] == ["setup-0.2.0.exe"]  # no .part left


def test_an_expired_manifest_is_refused(server: ReleaseServer, release: Release) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    url = release.publish(server, release.manifest(server, expires=yesterday))
    assert refusal(release, url) == "O aviso de atualização expirou e foi ignorado."


def test_one_changed_byte_breaks_the_signature(server: ReleaseServer, release: Release) -> None:
    url = release.publish(server, release.manifest(server, "0.2.0"))
    signed = server.files["/update.json"]
    assert check(release, url) is not None
    server.files["/update.json"] = signed.replace(b'"0.2.0"', b'"0.3.0"', 1)
    assert refusal(release, url) == (
        "O aviso de atualização não tem uma assinatura válida e foi ignorado."
    )
    # A flipped bit in the signature itself.
    document = json.loads(signed)
    raw = bytearray(base64.b64decode(document["signature"]))
    raw[10] ^= 0x01
    document["signature"] = base64.b64encode(bytes(raw)).decode()
    server.files["/update.json"] = json.dumps(document).encode()
    assert "assinatura válida" in refusal(release, url)


def test_a_manifest_signed_by_another_key_is_refused(
    server: ReleaseServer, release: Release
) -> None:
    impostor = Release()
    url = impostor.publish(server, impostor.manifest(server, "9.0.0"))
    assert "assinatura válida" in refusal(release, url)
    # and the app's own shipped keys refuse a throw-away key's manifest too
    with pytest.raises(UpdateError):
        UpdateChecker(url).check()


@pytest.mark.parametrize("version", ["0.1.0", "0.0.9", "0.1"])
def test_the_same_or_an_older_version_offers_nothing(
    server: ReleaseServer, release: Release, version: str
) -> None:
    url = release.publish(server, release.manifest(server, version, minimum_version="0"))
    assert check(release, url) is None


def test_a_version_below_the_minimum_is_told_the_update_is_required(
    server: ReleaseServer, release: Release
) -> None:
    url = release.publish(server, release.manifest(server, "0.3.0", minimum_version="0.2.0"))
    offer = check(release, url, running="0.1.0")
    assert offer is not None and offer.required
    offer = check(release, url, running="0.2.5")
    assert offer is not None and not offer.required


def test_no_installer_for_this_platform_offers_nothing(
    server: ReleaseServer, release: Release
) -> None:
    body = release.manifest(server, "0.2.0", platform_name="plan9-mips")
    url = release.publish(server, body)
    assert check(release, url) is None


def test_a_download_that_does_not_match_the_signed_sha256_is_deleted(
    server: ReleaseServer, release: Release, tmp_path: Path
) -> None:
    payload = os.urandom(100_000)
    url = release.publish(server, release.manifest(server, "0.2.0", installer=payload))
    offer = check(release, url)
    assert offer is not None
    tampered = bytearray(payload)
    tampered[5000] ^= 0xFF  # same size, one byte changed on the mirror
    server.files["/setup-0.2.0.exe"] = bytes(tampered)
    with pytest.raises(UpdateError) as caught:
        UpdateChecker(url, (release.public,)).download(offer, tmp_path)
    assert str(caught.value) == (
        "O instalador baixado não confere com a atualização assinada e foi apagado; "
        "nada foi instalado."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_download_larger_than_signed_is_cut_off_and_deleted(
    server: ReleaseServer, release: Release, tmp_path: Path
) -> None:
    payload = os.urandom(100_000)
    url = release.publish(server, release.manifest(server, "0.2.0", installer=payload))
    offer = check(release, url)
    assert offer is not None
    # The whole signed file, then 5 MB more, streamed with no length announced.
    server.extra["/setup-0.2.0.exe"] = b"\0" * 5_000_000
    with pytest.raises(UpdateError) as caught:
        UpdateChecker(url, (release.public,)).download(offer, tmp_path)
    assert "maior do que o anunciado" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
    # A mirror that announces more than the manifest is refused before any byte is kept.
    server.extra.clear()
    server.files["/setup-0.2.0.exe"] = payload + b"x"
    with pytest.raises(UpdateError, match="maior do que o anunciado"):
        UpdateChecker(url, (release.public,)).download(offer, tmp_path)
    assert list(tmp_path.iterdir()) == []


def _signed_raw(release: Release, body: Any) -> bytes:
    signature = release.key.sign(updates.canonical(body))
    return json.dumps(
        {"manifest": body, "signature": base64.b64encode(signature).decode()}
    ).encode()


HOSTILE: dict[str, Any] = {
    "version as a number": {"version": 2},
    "version with letters": {"version": "2.0.0-evil"},
    "minimum above version": {"version": "0.2.0", "minimum_version": "0.9.0"},
    "expiry without zone": {"expires": "2999-01-01T00:00:00"},
    "expiry not a date": {"expires": "tomorrow"},
    "installers a list": {"installers": [1, 2]},
    # (installer field, value) pairs change this platform's entry.
    "size a string": ("size", "300"),
    "size a bool": ("size", True),
    "size huge": ("size", 10**12),
    "size negative": ("size", -1),
    "sha256 upper case": ("sha256", "A" * 64),
    "sha256 a list": ("sha256", ["0" * 64]),
    "installer over ftp": ("url", "ftp://example.com/setup.exe"),
    "installer over plain http elsewhere": ("url", "http://example.com/setup.exe"),
    "notes huge": {"notes": "x" * 50_000},
    "another product": {"product": "something-else"},
    "another schema": {"schema": 2},
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_signed_but_hostile_manifest_is_refused_clearly(
    server: ReleaseServer, release: Release, case: str
) -> None:
    body = release.manifest(server, "0.2.0")
    change = HOSTILE[case]
    if isinstance(change, dict):
        body.update(change)
    else:
        name, value = change
        body["installers"][updates.platform_key()][name] = value
    server.files["/update.json"] = _signed_raw(release, body)
    sentence = refusal(release, server.url("/update.json"))
    assert sentence in (
        "O aviso de atualização está malformado e foi ignorado.",
        "O aviso de atualização é grande demais e foi ignorado.",
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[1, 2, 3]",
        b'{"manifest": "x", "signature": "y"}',
        b'{"manifest": {}, "signature": 12}',
        b'{"manifest": {"version": 1.5}, "signature": "AA=="}',
        b'{"manifest": {"a": NaN}, "signature": "AA=="}',
        b"[" * 30_000 + b"]" * 30_000,
        b'{"manifest": {}, "signature": "' + b"A" * 100_000 + b'"}',
        b"\xff\xfe garbage",
    ],
    ids=[
        "empty",
        "not json",
        "a list",
        "manifest a string",
        "signature a number",
        "a float",
        "NaN",
        "nested deep",
        "huge",
        "not utf-8",
    ],
)
def test_garbage_is_refused_with_a_sentence_never_a_crash(
    server: ReleaseServer, release: Release, raw: bytes
) -> None:
    server.files["/update.json"] = raw
    sentence = refusal(release, server.url("/update.json"))
    assert sentence.startswith("O aviso de atualização ")


def test_an_unreachable_or_plain_http_address_says_so(release: Release) -> None:
    with pytest.raises(UpdateError, match="Não foi possível procurar atualizações"):
        UpdateChecker("http://127.0.0.1:9/update.json", (release.public,)).check()
    with pytest.raises(UpdateError, match="https://"):
        UpdateChecker("http://example.com/update.json", (release.public,)).check()


def test_the_address_comes_from_the_environment_then_the_preference() -> None:
    prefs = Preferences.from_json({"update_url": " https://example.com/u.json "})
    assert prefs.update_url == "https://example.com/u.json"
    assert updates.manifest_url(prefs.update_url, {}) == "https://example.com/u.json"
    environ = {updates.MANIFEST_URL_ENV: "http://127.0.0.1:1/u.json"}
    assert updates.manifest_url(prefs.update_url, environ) == "http://127.0.0.1:1/u.json"
    assert updates.manifest_url("", {}) == updates.DEFAULT_MANIFEST_URL


def test_the_shipped_release_keys_are_ed25519_public_keys() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    assert updates.RELEASE_KEYS
    for text in updates.RELEASE_KEYS:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(text))


def test_the_signing_tool_makes_keys_and_manifests_the_app_accepts(
    server: ReleaseServer, tmp_path: Path
) -> None:
    tool = [sys.executable, str(CHECKOUT / "installer" / "updates" / "sign_manifest.py")]
    key = tmp_path / "secret" / "update-signing.pem"
    made = subprocess.run(
        [*tool, "keygen", "--out", str(key)], capture_output=True, text=True, check=True
    )
    public = made.stdout.strip().splitlines()[-1]
    assert key.stat().st_mode & 0o777 == 0o600
    again = subprocess.run([*tool, "keygen", "--out", str(key)], capture_output=True, text=True)
    assert again.returncode != 0 and "refusing to overwrite" in again.stderr

    installer = tmp_path / "setup.exe"
    installer.write_bytes(os.urandom(50_000))
    server.files["/setup.exe"] = installer.read_bytes()
    manifest = tmp_path / "update.json"
    platform = updates.platform_key()
    signed = subprocess.run(
        [
            *tool,
            "sign",
            "--version",
            "0.2.0",
            "--minimum-version",
            "0.1.0",
            "--days",
            "7",
            "--installer",
            f"{platform}={installer}={server.url('/setup.exe')}",
            "--out",
            str(manifest),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CRM_WHATSAPP_UPDATE_KEY": key.read_text()},
    )
    assert signed.returncode == 0, signed.stderr
    assert "not in RELEASE_KEYS" in signed.stderr  # a throw-away key, said so
    server.files["/update.json"] = manifest.read_bytes()
    offer = UpdateChecker(server.url("/update.json"), (public,)).check()
    assert offer is not None and offer.installer.size == 50_000
    assert offer.installer.sha256 == hashlib.sha256(installer.read_bytes()).hexdigest()
    path = UpdateChecker(server.url("/update.json"), (public,)).download(offer, tmp_path / "dl")
    assert path.read_bytes() == installer.read_bytes()

    verified = subprocess.run(
        [*tool, "verify", str(manifest), "--public-key", public], capture_output=True, text=True
    )
    assert verified.returncode == 0 and "Valid: version 0.2.0" in verified.stdout
    refused = subprocess.run([*tool, "verify", str(manifest)], capture_output=True, text=True)
    assert refused.returncode == 1 and "Refused" in refused.stderr
    missing = subprocess.run(
        [*tool, "sign", "--version", "1.0", "--installer", f"x-y={installer}=https://e.com/s"],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "CRM_WHATSAPP_UPDATE_KEY"},
    )
    assert missing.returncode != 0 and "No signing key" in missing.stderr
