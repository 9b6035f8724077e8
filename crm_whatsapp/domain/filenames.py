"""File names that a customer chose, made safe to write and to hand to the desktop.

A document's ``filename`` is whatever the sender's phone (or a hostile relay)
put in the event: ``..``, ``../../.bashrc``, ``C:\\Windows\\x``, ``CON``, a
name of a thousand characters, a right-to-left override that shows
``fotogpj.exe`` as ``fotoexe.jpg``. The inbox writes media under a name built
here, only inside its own folder, and never hands a file that the system
would run (rather than show) to the system's opener.

No Qt in this module: the rules are tested as plain functions.
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from pathlib import Path
from typing import Final

# Longest name kept, in UTF-8 bytes: file systems allow 255, and the folder's
# path and a " (2)" must still fit on Windows.
MAX_NAME_BYTES: Final = 150
MAX_SUFFIX: Final = 16  # ".appimage", ".docx": a longer "suffix" is part of the stem
# Characters Windows refuses in a name, path separators, and controls.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_WINDOWS_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{n}" for n in "0123456789¹²³"}
    | {f"lpt{n}" for n in "0123456789¹²³"}
)
# What the system opener would run, install, mount or execute instead of
# showing: Windows (file association is by suffix alone), Linux and macOS
# launchers and scripts, packages, web pages with scripts (a local page runs
# them with file:// rights), and Office files with macros (a copy we write
# has no "came from the internet" mark, so Office would not block them).
EXECUTABLE_SUFFIXES: Final = frozenset(
    {
        # Windows programs, installers, scripts and shortcuts
        "exe", "com", "scr", "pif", "cpl", "msi", "msp", "mst", "msc", "msix", "msixbundle",
        "appx", "appxbundle", "appref-ms", "application", "gadget", "bat", "cmd", "ps1",
        "ps1xml", "ps2", "psc1", "psd1", "psm1", "vb", "vbe", "vbs", "js", "jse", "ws",
        "wsc", "wsf", "wsh", "hta", "lnk", "url", "scf", "reg", "inf", "chm", "settingcontent-ms",
        "library-ms", "search-ms", "iso", "img", "vhd", "vhdx", "dll", "sys", "drv", "ocx",
        # Java, Python, Perl, Ruby, PHP
        "jar", "jnlp", "py", "pyw", "pyc", "pyz", "pl", "rb", "php",
        # Linux and macOS
        "desktop", "sh", "bash", "zsh", "csh", "ksh", "fish", "run", "bin", "out", "elf",
        "appimage", "flatpakref", "flatpak", "snap", "deb", "rpm", "command", "tool", "app",
        "pkg", "mpkg", "dmg", "workflow", "action", "scpt", "applescript", "terminal",
        # web pages and documents that run scripts
        "html", "htm", "xhtml", "shtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl",
        "docm", "dotm", "xlsm", "xltm", "xlam", "xla", "pptm", "potm", "ppam", "ppsm", "sldm",
        # Android
        "apk", "xapk", "apks",
    }
)  # fmt: skip


def safe_filename(name: object, mime_type: object, fallback_stem: str) -> str:
    """A name for a received file that stays in its folder and shows what it is.

    Only the last component of ``name`` counts (``/`` and ``\\`` both
    separate); characters Windows refuses, controls and invisible format
    characters (bidirectional overrides) go; leading dots and spaces go (no
    ``..``, no hidden file), trailing dots and spaces go (Windows drops
    them); a device name such as ``CON`` gets an underscore. A name left
    empty becomes ``fallback_stem`` plus the extension of ``mime_type``; a
    name without an extension gets that of ``mime_type`` when it has one.
    """
    text = name if isinstance(name, str) else ""
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Cc", "Cs"))
    text = _FORBIDDEN.sub("_", unicodedata.normalize("NFC", text))
    text = text.strip().lstrip(". ").rstrip(". ")
    guessed = _mime_suffix(mime_type)
    if not text:
        text = fallback_stem + guessed
    elif not suffix_of(text) and guessed:
        text += guessed
    if text.split(".", 1)[0].strip().lower() in _WINDOWS_RESERVED:
        text = "_" + text
    return _capped(text)


def suffix_of(name: str) -> str:
    """The extension the desktop would judge ``name`` by, lower case and without its dot."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem.strip(". ") or not suffix or len(suffix) > MAX_SUFFIX:
        return ""
    return suffix.strip().lower()


def is_executable(name: str) -> bool:
    """Whether the system opener would run, install or script ``name`` rather than show it."""
    return suffix_of(name) in EXECUTABLE_SUFFIXES


def is_inside(folder: Path, target: Path) -> bool:
    """Whether ``target`` resolves to a file directly inside ``folder`` (links followed)."""
    return target.resolve().parent == folder.resolve()


def _mime_suffix(mime_type: object) -> str:
    """The usual extension of a MIME type (``.pdf``), or ``""`` for an unknown or odd one."""
    if not isinstance(mime_type, str):
        return ""
    bare = mime_type.split(";", 1)[0].strip().lower()
    guessed = mimetypes.guess_extension(bare) if bare else None
    return guessed if guessed and re.fullmatch(r"\.[a-z0-9]{1,8}", guessed) else ""


def _capped(name: str) -> str:
    """``name`` cut to :data:`MAX_NAME_BYTES` of UTF-8, keeping its extension."""
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    suffix = suffix_of(name)
    tail = f".{suffix}" if suffix else ""
    stem = name[: len(name) - len(tail)] if tail else name
    budget = MAX_NAME_BYTES - len(tail.encode())
    cut = stem.encode()[:budget].decode(errors="ignore").rstrip(". ")
    return (cut or "arquivo") + tail
