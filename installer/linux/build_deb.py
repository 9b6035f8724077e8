"""``make deb``: ``dist/crm-whatsapp_VERSION_ARCH.deb`` from the one-folder bundle.

The package installs the bundle under ``/opt/crm-whatsapp`` (it brings its own Python, Qt
and SQLCipher, and takes the libraries every desktop has from the system: see
system_libraries.py), a
``/usr/bin/crm-whatsapp`` link for terminals and IT scripts, the desktop entry that makes
the inbox the handler of ``crm-whatsapp://`` links (click-to-chat from the CRM), and the
product icon in the hicolor theme. ``dpkg-deb`` builds it: it is on every Debian/Ubuntu
machine, where nfpm would be one more tool to install.

Run from the repository root after ``make package``::

    python installer/linux/build_deb.py [--bundle dist/crm-whatsapp] [--out dist]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

from system_libraries import SystemLibraryError, depends, leave_to_system

ROOT = Path(__file__).resolve().parents[2]
NAME = "crm-whatsapp"
PREFIX = Path("opt") / NAME
EXEC = f"/{PREFIX}/{NAME}"
#: The PNG sizes rendered in resources/icons (tools/render_icons.py), and the SVG.
ICON_SIZES = (16, 32, 64, 256)

#: What the package needs beyond the libraries it links to (system_libraries.py adds
#: those): the colour emoji font, which the bundle does not carry.
BASE_DEPENDS = ("fonts-noto-color-emoji",)
#: A keyring to keep the history's key in, and the tools the post-install uses.
RECOMMENDS = "gnome-keyring | kwalletmanager, desktop-file-utils, xdg-utils"

POSTINST = """#!/bin/sh
# Register crm-whatsapp:// links (click-to-chat) and the icon with the desktop. Each tool is
# optional and its failure never fails the install: the inbox runs without them, and the
# next desktop-database update picks the handler up.
set -e
if [ "$1" = "configure" ]; then
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q /usr/share/applications || true
    fi
    if command -v xdg-desktop-menu >/dev/null 2>&1; then
        xdg-desktop-menu forceupdate || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
    fi
fi
exit 0
"""
# The entry's MimeType makes it the handler system-wide once the database is updated; a
# user who chose another handler keeps it (xdg-mime default is per user: run it as the user).

POSTRM = """#!/bin/sh
# The encrypted history lives in each user's profile folder, never under /opt: removing
# the package leaves it, as WhatsApp's own apps leave theirs.
set -e
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q /usr/share/applications || true
fi
exit 0
"""


def version() -> str:
    """crm_whatsapp.__version__, read without importing the package (and its Qt)."""
    text = (ROOT / "crm_whatsapp" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise SystemExit("no __version__ in crm_whatsapp/__init__.py")
    return found.group(1)


def architecture() -> str:
    """The machine's Debian architecture (the bundle is built for the machine it runs on)."""
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def desktop_entry() -> str:
    """resources/crm-whatsapp.desktop with Exec pointing into /opt."""
    text = (ROOT / "resources" / f"{NAME}.desktop").read_text(encoding="utf-8")
    text, count = re.subn(r"^Exec=.*$", f"Exec={EXEC} %u", text, flags=re.MULTILINE)
    if count != 1:
        raise SystemExit("resources/crm-whatsapp.desktop has no single Exec= line")
    if "TryExec=" not in text:
        text = text.replace(f"Exec={EXEC} %u", f"TryExec={EXEC}\nExec={EXEC} %u")
    return text


def _installed_size_kib(folder: Path) -> int:
    """What the files take on disk, each once: PyInstaller's links to libraries in
    subfolders would otherwise count them twice (apt showed 182 MB for 141)."""
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) // 1024 + 1


def stage(bundle: Path, staging: Path, ver: str, arch: str) -> None:
    """Lay out the package's files and control data under ``staging``."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(bundle, staging / PREFIX, symlinks=True)
    try:
        left = leave_to_system(staging / PREFIX / "_internal")
    except SystemLibraryError as exc:
        raise SystemExit(str(exc)) from exc
    bin_dir = staging / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / NAME).symlink_to(EXEC)
    apps = staging / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{NAME}.desktop").write_text(desktop_entry(), encoding="utf-8")
    icons = ROOT / "resources" / "icons"
    hicolor = staging / "usr" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        target = hicolor / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(icons / f"app-{size}.png", target / f"{NAME}.png")
    (hicolor / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(icons / "app.svg", hicolor / "scalable" / "apps" / f"{NAME}.svg")
    debian = staging / "DEBIAN"
    debian.mkdir()
    control = (
        f"Package: {NAME}\n"
        f"Version: {ver}\n"
        f"Architecture: {arch}\n"
        "Maintainer: CRM WhatsApp <suporte@crm-whatsapp.invalid>\n"
        f"Installed-Size: {_installed_size_kib(staging)}\n"
        f"Depends: {depends(BASE_DEPENDS, left.packages)}\n"
        f"Recommends: {RECOMMENDS}\n"
        "Section: net\n"
        "Priority: optional\n"
        "Description: WhatsApp Business inbox for CRM offices\n"
        " The attendants' desktop inbox over the office's WhatsApp Business number,\n"
        " with an encrypted local history (SQLCipher) and CRM plugins.\n"
    )
    (debian / "control").write_text(control, encoding="utf-8")
    for name, script in (("postinst", POSTINST), ("postrm", POSTRM)):
        path = debian / name
        path.write_text(script, encoding="utf-8")
        path.chmod(0o755)


def build(bundle: Path, out: Path, work: Path) -> Path:
    """Build the .deb and return its path."""
    if not (bundle / NAME).is_file():
        raise SystemExit(f"no bundle at {bundle}: run `make package` first")
    ver, arch = version(), architecture()
    staging = work / "deb-root"
    stage(bundle, staging, ver, arch)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{NAME}_{ver}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging), str(target)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(staging)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the .deb from the one-folder bundle.")
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / NAME)
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb")
    args = parser.parse_args(argv)
    target = build(args.bundle, args.out, args.work)
    print(f"{target} ({target.stat().st_size / 2**20:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
