"""Make and sign a release's update manifest, or make the release key pair.

    python installer/updates/sign_manifest.py keygen --out ~/secure/update-signing.pem
    python installer/updates/sign_manifest.py sign --key ~/secure/update-signing.pem \\
        --version 0.2.0 --minimum-version 0.1.0 --days 30 \\
        --installer windows-x86_64=dist/crm-whatsapp-0.2.0-setup.exe=https://…/setup.exe \\
        --out dist/update.json
    python installer/updates/sign_manifest.py verify dist/update.json

The private key is read from ``--key`` (a PEM file) or, when that is absent,
from the environment variable ``CRM_WHATSAPP_UPDATE_KEY`` (the PEM text
itself: how a CI secret arrives). It never belongs in the repository. The
manifest's canonical form and the verification are the app's own
(``crm_whatsapp.updates``), so the tool and the app cannot disagree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from crm_whatsapp import updates

KEY_ENV = "CRM_WHATSAPP_UPDATE_KEY"


def load_key(path: str | None) -> Ed25519PrivateKey:
    """The private key from ``path`` or the environment; SystemExit with the fix otherwise."""
    if path:
        pem = Path(path).read_bytes()
    elif os.environ.get(KEY_ENV):
        pem = os.environ[KEY_ENV].encode("utf-8")
    else:
        raise SystemExit(f"No signing key: pass --key PEM_FILE or set {KEY_ENV} to the PEM text.")
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit("The signing key is not an Ed25519 key: make one with `keygen`.")
    return key


def installer_entry(spec: str) -> tuple[str, dict[str, object]]:
    """``PLATFORM=FILE=URL`` → the manifest's entry, its SHA-256 and size read from FILE."""
    try:
        name, file, url = spec.split("=", 2)
    except ValueError:
        raise SystemExit(f"--installer takes PLATFORM=FILE=URL, not {spec!r}") from None
    if not updates.allowed_url(url):
        raise SystemExit(f"The installer address must be https: {url}")
    digest = hashlib.sha256()
    size = 0
    with Path(file).open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return name, {"url": url, "sha256": digest.hexdigest(), "size": size}


def make_manifest(
    version: str,
    minimum_version: str,
    expires: datetime,
    installers: dict[str, dict[str, object]],
    notes: str = "",
) -> dict[str, object]:
    """The manifest's body, in the shape the app checks."""
    return {
        "schema": updates.SCHEMA,
        "product": updates.PRODUCT,
        "version": version,
        "minimum_version": minimum_version,
        "expires": expires.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "notes": notes,
        "installers": installers,
    }


def cmd_keygen(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists():
        raise SystemExit(f"{out} exists: refusing to overwrite a signing key.")
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    public = updates.public_key_text(key.public_key())
    print(f"Private key written to {out} (mode 600); keep it out of the repository.")
    print("Public key, for RELEASE_KEYS in crm_whatsapp/updates.py:")
    print(public)
    return 0


def cmd_sign(args: argparse.Namespace) -> int:
    key = load_key(args.key)
    installers = dict(installer_entry(spec) for spec in args.installer)
    expires = datetime.now(UTC) + timedelta(days=args.days)
    body = make_manifest(args.version, args.minimum_version, expires, installers, args.notes)
    document = updates.sign(body, key)
    # The app must accept what was just made: checked with the app's own code and this key.
    updates.verify(
        json.dumps(document).encode("utf-8"), (updates.public_key_text(key.public_key()),)
    )
    if updates.public_key_text(key.public_key()) not in updates.RELEASE_KEYS:
        print(
            "Warning: this key is not in RELEASE_KEYS; installed apps will refuse this manifest.",
            file=sys.stderr,
        )
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"Signed manifest for {args.version} written to {args.out}.")
    else:
        sys.stdout.write(text)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    keys = tuple(args.public_key) or updates.RELEASE_KEYS
    try:
        manifest = updates.verify(Path(args.manifest).read_bytes(), keys)
    except updates.UpdateError as exc:
        print(f"Refused: {exc}", file=sys.stderr)
        return 1
    print(f"Valid: version {manifest.version}, expires {manifest.expires.isoformat()}.")
    for name, installer in sorted(manifest.installers.items()):
        print(f"  {name}: {installer.size} bytes, sha256 {installer.sha256}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sign CRM WhatsApp update manifests.")
    sub = parser.add_subparsers(dest="command", required=True)
    keygen = sub.add_parser("keygen", help="make a release key pair (private PEM, public base64)")
    keygen.add_argument("--out", required=True, help="where to write the private key (PEM)")
    keygen.set_defaults(run=cmd_keygen)
    sign = sub.add_parser("sign", help="make and sign a release's manifest")
    sign.add_argument("--key", help=f"private key PEM file (default: ${KEY_ENV}, the PEM text)")
    sign.add_argument("--version", required=True, help="the release's version, e.g. 0.2.0")
    sign.add_argument(
        "--minimum-version", default="0", help="versions below this are told to update"
    )
    sign.add_argument("--days", type=int, default=30, help="days until the manifest expires")
    sign.add_argument("--notes", default="", help="a short plain-text note shown with the offer")
    sign.add_argument(
        "--installer",
        action="append",
        required=True,
        metavar="PLATFORM=FILE=URL",
        help="e.g. windows-x86_64=dist/setup.exe=https://example.com/setup.exe (repeatable)",
    )
    sign.add_argument("--out", help="write the manifest here (default: standard output)")
    sign.set_defaults(run=cmd_sign)
    check = sub.add_parser("verify", help="check a manifest as the app would")
    check.add_argument("manifest")
    check.add_argument(
        "--public-key", action="append", default=[], help="base64 key (default: RELEASE_KEYS)"
    )
    check.set_defaults(run=cmd_verify)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except updates.UpdateError as exc:
        raise SystemExit(f"The manifest would be refused: {exc}") from None


if __name__ == "__main__":
    sys.exit(main())
