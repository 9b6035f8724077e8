"""``make deb``: the package an admin installs on Linux desktops, built from the bundle,
unpacked as dpkg would, and its binary run from where the package puts it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from installer_support import CHECKOUT, bundle_env, require_tool
from test_installer_bundle import assert_self_check_passes, run_bundled

from crm_whatsapp import __version__

sys.path.insert(0, str(CHECKOUT / "installer" / "linux"))
import build_deb
from system_libraries import SYSTEM_LIBRARIES, elf_files, needed

# The installer target: under 60 MB (47 MB measured once NumPy lost OpenBLAS and OpenSSL,
# SQLite and the compression libraries were left to dpkg too).
DEB_CEILING_MB = 60
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
        for name in ("Package", "Version", "Architecture", "Depends", "Installed-Size")
    }
    assert fields["Package"] == "crm-whatsapp"
    assert fields["Version"] == __version__
    assert fields["Architecture"] == arch
    assert "libxcb-cursor0" in fields["Depends"]
    assert "fonts-noto-color-emoji" in fields["Depends"]  # the bundle carries no emoji font
    assert "libssl3t64 | libssl3" in fields["Depends"]  # OpenSSL gets Debian's security fixes
    size = deb.stat().st_size / 2**20
    print(f"\n.deb size: {size:.0f} MB")
    assert size < DEB_CEILING_MB


def test_the_installed_size_apt_shows_is_what_the_files_take(deb: Path, unpacked: Path) -> None:
    """Each file once: PyInstaller links libraries into _internal/ from their folders."""
    stated_kib = int(
        subprocess.run(
            ["dpkg-deb", "-f", str(deb), "Installed-Size"], capture_output=True, text=True
        ).stdout
    )
    files = (p for p in unpacked.rglob("*") if p.is_file() and not p.is_symlink())
    real_kib = sum(p.stat().st_size for p in files if "DEBIAN" not in p.parts) / 1024
    assert real_kib <= stated_kib < real_kib * 1.02


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


def depends_packages(deb: Path) -> set[str]:
    """Every package ``Depends`` names, alternatives included."""
    line = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True, check=True
    ).stdout
    return {alt.strip().split()[0] for item in line.split(",") for alt in item.split("|")}


def providers(sonames: set[str]) -> dict[str, set[str]]:
    """Which packages of this machine hold a file of each name (one query to dpkg's database)."""
    shown = subprocess.run(
        ["dpkg", "-S", *(f"*/{soname}" for soname in sorted(sonames))],
        capture_output=True,
        text=True,
    )
    found: dict[str, set[str]] = {soname: set() for soname in sonames}
    for line in shown.stdout.splitlines():
        packages, _, path = line.partition(": ")
        name = path.rsplit("/", 1)[-1]
        if name in found:
            found[name] |= {p.strip().split(":")[0] for p in packages.split(",")}
    return found


def test_every_library_the_package_links_to_is_inside_or_in_depends(
    deb: Path, unpacked: Path
) -> None:
    """Checked against dpkg's own database, not the builder's table."""
    internal = unpacked / "opt" / "crm-whatsapp" / "_internal"
    carried = {p.name for p in internal.rglob("*")}
    assert not carried & set(SYSTEM_LIBRARIES), "a copy of a system library is carried"
    wanted = depends_packages(deb)
    outside = {
        (path.name, soname)
        for path in elf_files(unpacked / "opt")
        for soname in needed(path)
        if soname not in carried
    }
    found = providers({soname for _, soname in outside})
    unmet = [f"{name} needs {soname}" for name, soname in outside if not found[soname] & wanted]
    assert not sorted(unmet)
    assert len(outside) > 20  # the check saw Qt's links to the system, not an empty list


def test_the_installed_window_loads_the_systems_x11_libraries(
    unpacked: Path, tmp_path: Path
) -> None:
    """The xcb platform plugin links to the system's xcb and X11 (not carried): it must load.

    The self-check draws offscreen, which loads none of them; here the inbox
    starts on a real X server (Xvfb) and Qt reports loading the plugin.
    """
    xvfb_run = require_tool("xvfb-run")
    binary = unpacked / "opt" / "crm-whatsapp" / "crm-whatsapp"
    env = bundle_env(tmp_path) | {"QT_QPA_PLATFORM": "xcb", "QT_DEBUG_PLUGINS": "1"}
    seen: list[str] = []
    with subprocess.Popen(
        [xvfb_run, "-a", str(binary)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as started:
        # Whatever happens, the app is stopped within a minute (the read below then ends).
        watchdog = threading.Timer(60, os.killpg, (started.pid, signal.SIGTERM))
        watchdog.start()
        try:
            assert started.stderr is not None
            for line in started.stderr:  # ends when the app exits (a failed load aborts it)
                seen.append(line)
                if "libqxcb.so" in line and "loaded library" in line:
                    break
        finally:
            watchdog.cancel()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(started.pid, signal.SIGTERM)
    loaded = any("libqxcb.so" in line and "loaded library" in line for line in seen)
    assert loaded, "".join(line for line in seen if "libqxcb" in line or "Cannot" in line)


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
