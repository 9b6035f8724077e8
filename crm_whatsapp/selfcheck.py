"""``crm-whatsapp self-check``: what IT and CI run after installing, one line per check.

A bundle can build and still be broken on one platform: a wheel without FTS5 (sqlcipher3's
win64 wheels once lacked it, laggykiller/sqlcipher3#4) breaks search only on the office
PCs; a resources folder left out of the bundle gives a window of empty buttons; a plugin
or keyring backend whose package metadata was not copied is silently not found. Each
check here proves one of those on the machine and build it runs on, without touching the
user's profile or keyring: the store is created in a temporary folder with a key kept in
memory (``MemoryKeyring``), and the window is built offscreen.

The module imports no Qt at import time; the checks that need Qt import it when they run,
so the store and SQLCipher checks stay testable without a display.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The built-in CRM plugins (pyproject's ``crm_whatsapp.plugins`` entry points).
BUILTIN_PLUGINS = frozenset({"contacts", "hubspot", "kommo", "pipedrive", "rdstation", "rest"})
#: The keyring backend each platform's profile keeps its key with.
PLATFORM_KEYRING = {"win32": "Windows", "darwin": "macOS"}
#: What an unencrypted SQLite file starts with; an encrypted one starts with random salt.
_PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"


class CheckFailed(Exception):
    """A check that does not hold; ``str()`` is one English sentence with what to do."""


@dataclass(frozen=True)
class Result:
    """One check's outcome, as printed."""

    name: str
    ok: bool
    detail: str
    seconds: float

    def line(self) -> str:
        """``ok   name: detail (0.12 s)`` or ``FAIL name: why``."""
        return f"{'ok  ' if self.ok else 'FAIL'} {self.name}: {self.detail} ({self.seconds:.2f} s)"


def check_sqlcipher() -> str:
    """The SQLCipher build is the one the store needs: cipher, FTS5 and a page HMAC."""
    try:
        import sqlcipher3
    except ImportError as exc:
        raise CheckFailed(f"sqlcipher3 does not import ({exc}); reinstall the application") from exc
    conn = sqlcipher3.connect(":memory:")
    try:
        version = conn.execute("PRAGMA cipher_version").fetchone()
        if not version or not version[0]:
            raise CheckFailed("the SQLite library is not SQLCipher (no cipher_version)")
        options = {str(row[0]) for row in conn.execute("PRAGMA compile_options")}
        if "ENABLE_FTS5" not in options:
            raise CheckFailed(
                f"SQLCipher {version[0]} was built without FTS5: search would fail; "
                "use a sqlcipher3 wheel built with ENABLE_FTS5"
            )
        conn.execute("PRAGMA key = \"x'" + "00" * 32 + "'\"")
        use_hmac = conn.execute("PRAGMA cipher_use_hmac").fetchone()
        algorithm = conn.execute("PRAGMA cipher_hmac_algorithm").fetchone()
        if not use_hmac or str(use_hmac[0]) != "1" or not algorithm or not algorithm[0]:
            raise CheckFailed("SQLCipher pages carry no HMAC: tampering would go unnoticed")
    finally:
        conn.close()
    return f"SQLCipher {version[0]}, FTS5, page HMAC ({algorithm[0]})"


def check_store(folder: Path) -> str:
    """An encrypted history created, closed and reopened with a throw-away key in ``folder``."""
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.security.memory import MemoryKeyring
    from crm_whatsapp.store.database import page_mac
    from crm_whatsapp.workspace import Workspace

    profile = Profile(folder / "profile")
    backend = MemoryKeyring()
    created, _recovery = Workspace.create(profile, backend)
    created.close()
    with profile.database.open("rb") as handle:
        if handle.read(16) == _PLAIN_SQLITE_HEADER:
            raise CheckFailed("the history file was written unencrypted")
    reopened = Workspace.open(profile, backend)
    try:
        conversations, messages = reopened.history.totals()
        raw = reopened.history.engine.raw_connection()
        try:
            mac = page_mac(raw.driver_connection)
        finally:
            raw.close()
    finally:
        reopened.close()
    if (conversations, messages) != (0, 0):
        raise CheckFailed("a new history is not empty")
    return f"created and reopened encrypted ({mac}) in a temporary folder"


def check_plugins() -> str:
    """The built-in CRM plugins are found through their entry points (metadata bundled)."""
    from crm_whatsapp.crm.registry import discover

    found = {available.name: available for available in discover()}
    missing = sorted(BUILTIN_PLUGINS - found.keys())
    if missing:
        raise CheckFailed(
            f"built-in plugins not found: {', '.join(missing)} (entry points missing)"
        )
    broken = sorted(name for name in BUILTIN_PLUGINS if found[name].plugin is None)
    if broken:
        raise CheckFailed(f"built-in plugins do not load: {', '.join(broken)}")
    return ", ".join(sorted(found))


def check_keyring() -> str:
    """keyring finds its backends (it looks them up through package metadata)."""
    from importlib.metadata import entry_points

    names = sorted({entry.name for entry in entry_points(group="keyring.backends")})
    wanted = PLATFORM_KEYRING.get(sys.platform, "SecretService")
    if wanted not in names:
        raise CheckFailed(f"keyring backend {wanted} not found (keyring's metadata missing)")
    backend_module = {
        "Windows": "keyring.backends.Windows",
        "macOS": "keyring.backends.macOS",
        "SecretService": "keyring.backends.SecretService",
    }[wanted]
    importlib.import_module(backend_module)
    return f"backends {', '.join(names)}"


def check_voice() -> str:
    """libsndfile (soundfile) encodes voice notes as Ogg/Opus."""
    try:
        import soundfile
    except (ImportError, OSError) as exc:
        raise CheckFailed(f"libsndfile does not load ({exc}): voice notes cannot be sent") from exc
    if "OPUS" not in soundfile.available_subtypes("OGG"):
        raise CheckFailed("libsndfile has no Ogg/Opus encoder: voice notes cannot be sent")
    return f"libsndfile {soundfile.__libsndfile_version__} with Ogg/Opus"


def check_copilot() -> str:
    """The local Copilot's engine ranks from history and corrects typos, with no network.

    It runs on NumPy (scores over posting lists) and rapidfuzz (the nearest
    known word); the bundle keeps only the parts of both it uses, so this
    proves those parts are the ones it needs.
    """
    from crm_whatsapp.copilot.local import LocalEngine

    engine = LocalEngine()
    hours = "Atendemos de segunda a sexta, das 8h às 18h."
    engine.add_exchange(["Qual o horário de atendimento?"], hours, conversation_id=1)
    engine.add_exchange(["Vocês aceitam Pix?"], "Aceitamos Pix, sim.", conversation_id=2)
    # Both words misspelt: only the typo correction can find the exchange.
    found = engine.suggest(["horaro atendimentu"], None)
    if not found or not found[0].text.startswith("Atendemos de segunda a sexta"):
        raise CheckFailed(
            "the local Copilot did not find a reply it was taught; reinstall the application"
        )
    return f"local suggestions rank from history and correct typos ({len(found)} found)"


def check_translations() -> str:
    """Both catalogues are in the resources folder and load."""
    from PySide6.QtCore import QTranslator

    from crm_whatsapp.ui.resources import resources_dir

    loaded = []
    for language in ("pt_BR", "en"):
        path = resources_dir() / "translations" / f"crm_whatsapp_{language}.qm"
        translator = QTranslator()
        if not translator.load(str(path)) or translator.isEmpty():
            raise CheckFailed(f"translation {path} is missing or empty")
        loaded.append(language)
    return f"{', '.join(loaded)} in {resources_dir() / 'translations'}"


#: Portuguese dictionary order, as Qt with ICU's full data sorts it: letters first, then
#: accents, then case (installer/bundle/trim_icu.py keeps only en/pt data on Linux).
_PT_WORDS = ["ábaco", "abacate", "Zebra", "árvore", "casa", "çal"]
_PT_SORTED = ["abacate", "ábaco", "árvore", "çal", "casa", "Zebra"]


def check_icu() -> str:
    """Qt's ICU data sorts, upper-cases and names time zones in Portuguese, without warnings.

    The bundle's ICU data is trimmed to Portuguese and English: a needed item trimmed away
    shows here as a wrong order, an unmapped accent, an empty zone name or a Qt warning.
    """
    from PySide6.QtCore import (
        QCollator,
        QLocale,
        QStringConverter,
        QTimeZone,
        QtMsgType,
        qInstallMessageHandler,
    )

    # Without ICU, Qt's codecs are its built-in encodings only (QStringConverter's docs).
    built_in = {QStringConverter.nameForEncoding(e) for e in QStringConverter.Encoding}
    icu_codecs = set(QStringConverter.availableCodecs()) - built_in - {"Locale", None}
    if not icu_codecs:
        return "Qt built without ICU: collation and case mapping are the system's"
    warnings: list[str] = []

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if kind not in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            warnings.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        brazil = QLocale("pt_BR")
        ordered = sorted(_PT_WORDS, key=QCollator(brazil).sortKey)
        upper = brazil.toUpper("ação")
        zone = QTimeZone(b"America/Sao_Paulo").displayName(
            QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, brazil
        )
    finally:
        qInstallMessageHandler(previous)
    if ordered != _PT_SORTED:
        raise CheckFailed(f"Portuguese collation sorts {ordered}, not {_PT_SORTED}")
    if upper != "AÇÃO":
        raise CheckFailed(f"Portuguese upper case of 'ação' is {upper!r}, not 'AÇÃO'")
    if "Brasília" not in zone:
        raise CheckFailed(f"America/Sao_Paulo is named {zone!r} in Portuguese, not Brasília's")
    if warnings:
        raise CheckFailed(f"Qt warned while using ICU: {warnings[0]}")
    return f"pt_BR collation and case mapping, {zone}; {len(icu_codecs)} ICU codecs"


def check_icons() -> str:
    """The product icon and every SVG icon render (a missing one is an empty button)."""
    from PySide6.QtSvg import QSvgRenderer

    from crm_whatsapp.app import application
    from crm_whatsapp.ui.resources import app_icon, resources_dir

    application()
    folder = resources_dir() / "icons"
    svgs = sorted(folder.glob("*.svg"))
    if not svgs:
        raise CheckFailed(f"no icons in {folder}")
    invalid = [p.name for p in svgs if not QSvgRenderer(str(p)).isValid()]
    if invalid:
        raise CheckFailed(f"icons do not render: {', '.join(invalid)}")
    if app_icon().isNull():
        raise CheckFailed("the product icon does not render")
    return f"{len(svgs)} icons in {folder}"


def check_fonts() -> str:
    """A colour emoji font is there (bundled on Linux; the system's on Windows and macOS)."""
    from crm_whatsapp.app import application
    from crm_whatsapp.ui.resources import install_fonts

    application()
    family = install_fonts()
    if family is None:
        raise CheckFailed("no colour emoji font: emoji would show as boxes")
    return family


def check_multimedia() -> str:
    """Voice notes play: libsndfile decodes Ogg/Opus from memory and Qt's audio output loads.

    Playback needs no FFmpeg plugin (``ui.voice``): a tone is encoded as the
    recorder does, decoded back as the bubble's player does, and the Qt
    Multimedia classes that play it (QAudioSink, QMediaDevices) import and
    start. A machine without sound (a CI runner) passes: it says so.
    """
    import numpy as np

    from crm_whatsapp.domain.voice_decoding import AudioDecodingError, decode
    from crm_whatsapp.domain.voice_encoding import PcmFormat, VoiceEncodingError, encode_voice_note

    tone = (np.sin(2 * np.pi * 440 * np.arange(48_000) / 48_000) * 8000).astype("<i2")
    try:
        note = decode(encode_voice_note(tone.tobytes(), PcmFormat(48_000, 1, "int16")))
    except (VoiceEncodingError, AudioDecodingError) as exc:
        raise CheckFailed(
            f"libsndfile cannot encode and decode Ogg/Opus ({exc.reason}): voice notes cannot "
            "be played; reinstall the application"
        ) from exc
    if abs(note.duration_ms - 1000) > 50 or not note.samples.any():
        raise CheckFailed(f"a 1 s Ogg/Opus tone decoded as {note.duration_ms} ms of silence")
    try:
        from PySide6.QtMultimedia import QAudioSink, QMediaDevices  # noqa: F401 (QAudioSink)
    except ImportError as exc:
        raise CheckFailed(
            f"Qt Multimedia does not import ({exc}); reinstall the application"
        ) from exc

    from crm_whatsapp.app import application
    from crm_whatsapp.ui.voice import start_multimedia

    application()
    start_multimedia()  # without Qt's warning about the FFmpeg plugin, left out on purpose
    outputs = len(QMediaDevices.audioOutputs())
    sound = f"{outputs} audio output(s)" if outputs else "no audio output here"
    return f"Ogg/Opus decoded from memory ({note.duration_ms} ms), Qt audio output loads, {sound}"


def check_window(folder: Path) -> str:
    """The inbox window builds over a throw-away history (offscreen, never connected)."""
    from crm_whatsapp.app import application
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.security.memory import MemoryKeyring
    from crm_whatsapp.session import InboxSession
    from crm_whatsapp.ui import i18n
    from crm_whatsapp.ui.resources import apply_theme
    from crm_whatsapp.workspace import Device, Workspace

    app = application()
    i18n.install(app, "pt_BR")
    theme = apply_theme(app, "light")
    workspace, _recovery = Workspace.create(Profile(folder / "window"), MemoryKeyring())
    try:
        from crm_whatsapp.ui.mainwindow import MainWindow

        # A port nothing listens on: the session is never started, nothing is sent.
        session = InboxSession(workspace, Device("http://127.0.0.1:9", "self-check", "-", ""))
        window = MainWindow(session, theme, sound=False)
        window.show()
        app.processEvents()
        shown = window.isVisible()
        title = window.windowTitle()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        workspace.close()
    if not shown:
        raise CheckFailed("the inbox window did not show")
    return f"built and shown offscreen ({title})"


# What Qt prints on stderr during the checks that says nothing about the install: the
# offscreen platform cannot resize to a size hint, and a PC (or CI runner) without a sound
# server has no PulseAudio to connect to (the multimedia line says "no audio output here").
_NOT_ABOUT_THE_INSTALL = (
    "This plugin does not support propagateSizeHints()",
    "PulseAudioService: pa_context_connect() failed",
)


@contextmanager
def _quiet_qt() -> Iterator[None]:
    """Drop the messages in ``_NOT_ABOUT_THE_INSTALL``; print the rest as Qt does.

    IT reads this output: an unexplained line on stderr looks like a fault.
    """
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qFormatLogMessage
    from PySide6.QtCore import qInstallMessageHandler as install

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message not in _NOT_ABOUT_THE_INSTALL:
            print(qFormatLogMessage(kind, context, message), file=sys.stderr, flush=True)

    previous = install(handler)
    try:
        yield
    finally:
        install(previous)


@contextmanager
def _offscreen() -> Iterator[None]:
    """Qt draws into memory: the check runs the same on a server, a CI runner or a PC."""
    saved = {k: os.environ.get(k) for k in ("QT_QPA_PLATFORM", "QT_LOGGING_RULES")}
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Qt Multimedia's probes for optional libraries (PipeWire; VA-API when an FFmpeg plugin
    # is installed) are not this check's business.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _quietly(check: Callable[[], str]) -> Callable[[], str]:
    def run() -> str:
        with _quiet_qt():
            return check()

    return run


def checks(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    """Every check, in the order printed; the Qt-free ones first."""
    return [
        ("sqlcipher", check_sqlcipher),
        ("store", lambda: check_store(folder)),
        ("plugins", check_plugins),
        ("keyring", check_keyring),
        ("voice", check_voice),
        ("copilot", check_copilot),
        ("translations", check_translations),
        ("icu", check_icu),
        ("icons", check_icons),
        ("fonts", check_fonts),
        ("multimedia", _quietly(check_multimedia)),
        ("window", _quietly(lambda: check_window(folder))),
    ]


def run(only: set[str] | None = None, out: Any = None, folder: Path | None = None) -> list[Result]:
    """Run the checks (all, or those named in ``only``), printing each line as it ends.

    The store and window use ``folder`` when given, else a temporary folder removed after.
    """
    out = out or sys.stdout
    with _offscreen(), tempfile.TemporaryDirectory(prefix="crm-whatsapp-self-check-") as tmp:
        return [
            _run_one(name, check, out)
            for name, check in checks(folder or Path(tmp))
            if only is None or name in only
        ]


def _run_one(name: str, check: Callable[[], str], out: Any) -> Result:
    started = time.perf_counter()
    try:
        detail, ok = check(), True
    except CheckFailed as exc:
        detail, ok = str(exc), False
    except Exception as exc:  # a check must report, never take the others down
        detail, ok = f"{type(exc).__name__}: {exc}", False
    result = Result(name, ok, detail, time.perf_counter() - started)
    print(result.line(), file=out, flush=True)
    return result


def main() -> int:
    """The command: exit 0 only when every check holds."""
    started = time.perf_counter()
    results = run()
    ok = all(r.ok for r in results)
    failed = sum(not r.ok for r in results)
    print(
        f"self-check {'passed' if ok else f'FAILED ({failed} of {len(results)})'} "
        f"in {time.perf_counter() - started:.2f} s",
        flush=True,
    )
    return 0 if ok else 1
