"""What the Linux bundle takes from the system instead of carrying PyInstaller's copies.

PyInstaller copies into the bundle every shared library the build machine
resolved: X11 and xcb, GLib, fontconfig, FreeType, D-Bus, PulseAudio and the
audio codecs behind it, Kerberos, libstdc++. On Debian and Ubuntu these come
with every desktop, and the package manager keeps them patched; a copy from
the build machine is 23 MB (7 MB of the .deb) that never gets security
fixes and can disagree with what the system loads beside it (GIO modules,
the GL driver's libstdc++). So the bundle's build drops them (the spec runs
:func:`leave_to_system` on Linux, as AppImage's exclude list does), and the
.deb, built from that bundle, runs it again to name their packages in
``Depends``. Windows has no such libraries to copy: its bundle carries only
Qt's and Python's own.

Which files go is decided from the ELF files themselves (``readelf -d``):
those in :data:`SYSTEM_LIBRARIES`, then any bundled library whose every user
was dropped (the codecs only libsndfile needed, for example). A library
nothing in the bundle links to stays, since something may ``dlopen`` it
(libpython is loaded that way). The result is checked: every library a
remaining file needs must be in the package or in ``Depends``, or the build
fails with the name of what is missing.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: The xcb extension libraries Qt's xcb platform links to: (name, soname major).
XCB = (
    ("cursor", 0), ("glx", 0), ("icccm", 4), ("image", 0), ("keysyms", 1), ("randr", 0),
    ("render-util", 0), ("render", 0), ("shape", 0), ("shm", 0), ("sync", 1), ("util", 1),
    ("xfixes", 0), ("xkb", 1),
)  # fmt: skip
#: soname -> the package providing it. Names checked with ``dpkg -S`` on Debian 12; GLib
#: was renamed by Ubuntu 24.04's and Debian 13's 64-bit time_t transition, hence the
#: alternative. libc6 is never copied (PyInstaller leaves glibc to the system) but is
#: named, with GL/EGL and Wayland, which the bundle's Qt links to and never carried.
SYSTEM_LIBRARIES: dict[str, str] = {
    **dict.fromkeys(
        ("libc.so.6", "libm.so.6", "libmvec.so.1", "libdl.so.2", "libpthread.so.0"), "libc6"
    ),
    **dict.fromkeys(("librt.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2"), "libc6"),
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    **{f"libxcb-{name}.so.{major}": f"libxcb-{name}{major}" for name, major in XCB},
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    **dict.fromkeys(
        ("libglib-2.0.so.0", "libgobject-2.0.so.0", "libgio-2.0.so.0", "libgthread-2.0.so.0"),
        "libglib2.0-0t64 | libglib2.0-0",
    ),
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libpulse.so.0": "libpulse0",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libzstd.so.1": "libzstd1",
    # Copied only because PyInstaller follows ldd's whole closure: the dependencies of the
    # system's libxcb, Mesa and FreeType, which nothing in the bundle links to itself.
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
    "libbsd.so.0": "libbsd0",
    "libmd.so.0": "libmd0",
    "libXcursor.so.1": "libxcursor1",
    "libXext.so.6": "libxext6",
    "libXfixes.so.3": "libxfixes3",
    "libXi.so.6": "libxi6",
    "libXinerama.so.1": "libxinerama1",
    "libXrandr.so.2": "libxrandr2",
    "libXrender.so.1": "libxrender1",
    "libharfbuzz.so.0": "libharfbuzz0b",
    "libgraphite2.so.3": "libgraphite2-3",
    "libatomic.so.1": "libatomic1",
    # What the bundled Python's own modules link to (_ssl and _hashlib, _sqlite3, _lzma,
    # zlib, _bz2, _ctypes): OpenSSL above all must get the distribution's security fixes.
    # OpenSSL was renamed by the 64-bit time_t transition, like GLib.
    **dict.fromkeys(("libcrypto.so.3", "libssl.so.3"), "libssl3t64 | libssl3"),
    "libsqlite3.so.0": "libsqlite3-0",
    "liblzma.so.5": "liblzma5",
    "libz.so.1": "zlib1g",
    "libbz2.so.1.0": "libbz2-1.0",
    "libffi.so.8": "libffi8",
}


class SystemLibraryError(Exception):
    """The package would need a library it neither carries nor depends on."""


@dataclass(frozen=True)
class LeftToSystem:
    """What :func:`leave_to_system` removed, and the packages ``Depends`` must name."""

    dropped: tuple[str, ...]
    packages: tuple[str, ...]


def is_elf(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def needed(path: Path) -> list[str]:
    """The sonames ``path`` links to (its DT_NEEDED entries)."""
    shown = subprocess.run(
        ["readelf", "--dynamic", "--wide", str(path)], capture_output=True, text=True
    )
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", shown.stdout)


def elf_files(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and is_elf(path):
            yield path


def leave_to_system(internal: Path) -> LeftToSystem:
    """Remove the system's libraries from ``internal`` (the bundle's _internal/, or a copy).

    Returns what went and the packages that provide what remains linked to.
    Raises :class:`SystemLibraryError` when a remaining file would need a
    library that is neither in the folder nor in :data:`SYSTEM_LIBRARIES`.
    """
    top = {p.name: p for p in internal.iterdir() if p.is_file() and not p.is_symlink()}
    users: dict[str, set[str]] = {}  # soname -> the files (relative paths) that link to it
    links: dict[str, list[str]] = {}
    for path in elf_files(internal):
        name = path.relative_to(internal).as_posix()
        links[name] = needed(path)
        for soname in links[name]:
            users.setdefault(soname, set()).add(name)
    drop = {name for name in top if name in SYSTEM_LIBRARIES}
    while True:  # then what only dropped libraries used
        more = {
            name for name in top if name not in drop and users.get(name) and users[name] <= drop
        }
        if not more:
            break
        drop |= more
    for name in drop:
        top[name].unlink()
    for link in internal.rglob("*"):  # PyInstaller's top-level links to what went
        if link.is_symlink() and not link.exists():
            link.unlink()
    present = {p.name for p in internal.rglob("*")}
    packages: set[str] = set()
    missing: list[str] = []
    for name, sonames in links.items():
        if name in drop:
            continue
        for soname in sonames:
            if soname in SYSTEM_LIBRARIES:
                packages.add(SYSTEM_LIBRARIES[soname])
            elif soname not in present:
                missing.append(f"{name} needs {soname}")
    if missing:
        raise SystemLibraryError(
            "the package would miss libraries neither carried nor in Depends (add them to "
            "installer/linux/system_libraries.py): " + "; ".join(sorted(missing))
        )
    return LeftToSystem(tuple(sorted(drop)), tuple(sorted(packages)))


def depends(base: Iterable[str], packages: Iterable[str]) -> str:
    """The control file's ``Depends`` value: ``base`` first, then the libraries' packages."""
    seen: list[str] = []
    for package in [*base, *packages]:
        if package not in seen:
            seen.append(package)
    return ", ".join(seen)
