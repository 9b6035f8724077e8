"""``make deb``: the package an admin installs on Linux desktops, built from the bundle,
unpacked as dpkg would, and its binary run from where the package puts it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from installer_support import CHECKOUT, require_tool
from test_installer_bundle import assert_self_check_passes, run_bundled

from crm_whatsapp import __version__

sys.path.insert(0, str(CHECKOUT / "installer" / "linux"))
import build_deb

# The installer target is 60 MB; the .deb of today's bundle measures about 66 MB (xz). A jump
# past this ceiling is a regression.
DEB_CEILING_MB = 72
# The first test's setup builds the bundle (when run alone) and compresses it with xz: minutes
# on a busy 2-core machine, where the suite's 120 s default is for ordinary tests.
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="session")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    require_tool("dpkg-deb")
    out = tmp_path_factory.mktemp("deb")
    yield build_deb.build(bundle, out, out / "work")


@pytest.fixture(scope="session")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    subprocess.run(["dpkg-deb", "-e", str(deb), str(root / "DEBIAN")], check=True)
    return root


def test_the_package_is_named_and_described_for_dpkg(deb: Path) -> None:
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert deb.name == f"crm-whatsapp_{__version__}_{arch}.deb"
    fields = {
        name: subprocess.run(
            ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True
        ).stdout.strip()
        for name in ("Package", "Version", "Architecture", "Depends")
    }
    assert fields["Package"] == "crm-whatsapp"
    assert fields["Version"] == __version__
    assert fields["Architecture"] == arch
    assert "libxcb-cursor0" in fields["Depends"]
    assert "fonts-noto-color-emoji" in fields["Depends"]  # the bundle carries no emoji font
    size = deb.stat().st_size / 2**20
    print(f"\n.deb size: {size:.0f} MB")
    assert size < DEB_CEILING_MB


def test_the_unpacked_binary_answers_version_and_self_check(unpacked: Path, tmp_path: Path) -> None:
    binary = unpacked / "opt" / "crm-whatsapp" / "crm-whatsapp"
    shown = run_bundled(binary, tmp_path, "--version")
    assert shown.stdout.strip() == f"crm-whatsapp {__version__}"
    lines = assert_self_check_passes(binary, tmp_path)
    assert str(unpacked / "opt" / "crm-whatsapp" / "_internal" / "resources") in "\n".join(lines)
    resources = unpacked / "opt" / "crm-whatsapp" / "_internal" / "resources"
    assert (resources / "translations" / "crm_whatsapp_pt_BR.qm").is_file()
    assert (resources / "icons" / "app.svg").is_file()
    assert (
        os.readlink(unpacked / "usr" / "bin" / "crm-whatsapp") == "/opt/crm-whatsapp/crm-whatsapp"
    )


def test_the_desktop_entry_handles_crm_whatsapp_links(unpacked: Path) -> None:
    entry = unpacked / "usr" / "share" / "applications" / "crm-whatsapp.desktop"
    validated = subprocess.run(
        [require_tool("desktop-file-validate"), str(entry)], capture_output=True, text=True
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert "Exec=/opt/crm-whatsapp/crm-whatsapp %u" in lines
    assert "MimeType=x-scheme-handler/crm-whatsapp;" in lines
    assert "Icon=crm-whatsapp" in lines
    hicolor = unpacked / "usr" / "share" / "icons" / "hicolor"
    assert (hicolor / "256x256" / "apps" / "crm-whatsapp.png").is_file()
    assert (hicolor / "scalable" / "apps" / "crm-whatsapp.svg").is_file()


def test_postinst_registers_the_handler_and_never_fails_the_install(
    unpacked: Path, tmp_path: Path
) -> None:
    """With the desktop tools present but failing, the install still succeeds."""
    postinst = unpacked / "DEBIAN" / "postinst"
    assert os.access(postinst, os.X_OK)
    tools = tmp_path / "bin"
    tools.mkdir()
    calls = tmp_path / "calls"
    for name in ("update-desktop-database", "xdg-desktop-menu", "gtk-update-icon-cache"):
        stand_in = tools / name
        stand_in.write_text(f'#!/bin/sh\necho "{name} $*" >> "{calls}"\nexit 1\n')
        stand_in.chmod(0o755)
    env = {"PATH": f"{tools}:/usr/bin:/bin"}
    ran = subprocess.run(["/bin/sh", str(postinst), "configure"], env=env, capture_output=True)
    assert ran.returncode == 0, ran.stderr
    called = calls.read_text().splitlines()
    assert "update-desktop-database -q /usr/share/applications" in called
    # Without any of the tools (a minimal system) the install succeeds too.
    bare = subprocess.run(
        ["/bin/sh", str(postinst), "configure"], env={"PATH": str(tmp_path / "none")}
    )
    assert bare.returncode == 0
