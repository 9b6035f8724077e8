"""The translation catalogues: complete, compiled, current, and loaded by the window.

Source strings are Brazilian Portuguese; ``resources/translations`` holds the English
catalogue and an identity pt_BR one, both refreshed by ``tools/translations.sh``
(``make translations``). A failure here usually means: run that script, and translate
whatever it lists as unfinished in ``tools/fill_translations.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from crm_whatsapp.domain.meta_errors import explain
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.resources import resources_dir

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = resources_dir() / "translations"
LANGUAGES = ("en", "pt_BR")
BIN = Path(sys.executable).parent
#: ``{0}``, ``{code}``, ``{minutes:02d}`` (str.format), ``%v``, ``%1``, ``%n`` (Qt), HTML tags.
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\d+|[A-Za-z])|<[^<>]+>")


def catalogue(language: str) -> Path:
    return TRANSLATIONS / f"crm_whatsapp_{language}.ts"


def compiled(language: str) -> Path:
    return TRANSLATIONS / f"crm_whatsapp_{language}.qm"


def tool(name: str) -> Path:
    path = BIN / f"pyside6-{name}"
    if not path.exists():
        pytest.skip(f"pyside6-{name} is not installed next to {sys.executable}")
    return path


def messages(ts: Path) -> Iterator[tuple[str, ET.Element]]:
    """(context name, <message>) for every message of ``ts``."""
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name") or "", message


def keys(ts: Path) -> set[tuple[str, str, str]]:
    return {
        (name, m.findtext("source") or "", m.findtext("comment") or "") for name, m in messages(ts)
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_finished_and_keeps_its_placeholders(language: str) -> None:
    ts = catalogue(language)
    problems = []
    count = 0
    for context, message in messages(ts):
        count += 1
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        text = "".join(translation.itertext())
        where = f"[{context}] {source!r}"
        if translation.get("type") is not None:
            problems.append(f"{where}: {translation.get('type')}")
        if not text.strip():
            problems.append(f"{where}: empty translation")
        missing = Counter(PLACEHOLDER.findall(source)) - Counter(PLACEHOLDER.findall(text))
        if missing:
            problems.append(f"{where}: {text!r} lacks {sorted(missing)}")
    assert count > 100, f"{ts} has only {count} messages"
    assert not problems, "\n".join(problems)


def test_pt_br_catalogue_is_the_identity() -> None:
    for context, message in messages(catalogue("pt_BR")):
        source = message.findtext("source")
        assert message.findtext("translation") == source, f"[{context}] {source!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_qm_is_compiled_from_the_current_ts(language: str, tmp_path: Path) -> None:
    """lrelease output is deterministic: a stale .qm means someone skipped the script."""
    qm = compiled(language)
    assert qm.exists(), f"{qm} is missing: run tools/translations.sh"
    fresh = tmp_path / qm.name
    subprocess.run(
        [tool("lrelease"), "-silent", catalogue(language), "-qm", fresh], check=True, timeout=60
    )
    assert fresh.read_bytes() == qm.read_bytes(), f"{qm} is stale: run tools/translations.sh"


def test_catalogues_hold_every_string_of_the_code(tmp_path: Path) -> None:
    """lupdate over the code today finds exactly the messages the catalogues have."""
    sources = sorted(str(p) for p in (ROOT / "crm_whatsapp").rglob("*.py"))
    fresh = tmp_path / "fresh_en.ts"
    subprocess.run(
        [tool("lupdate"), "-silent", "-source-language", "pt_BR", *sources, "-ts", fresh],
        check=True,
        timeout=120,
    )
    expected = keys(fresh)
    for language in LANGUAGES:
        have = keys(catalogue(language))
        assert have == expected, (
            f"{catalogue(language).name} is out of date: run tools/translations.sh "
            f"(new: {sorted(expected - have)}, gone: {sorted(have - expected)})"
        )


def test_lupdate_reads_every_call_with_its_context() -> None:
    misread = [
        (m.findtext("source"), m.findtext("comment"))
        for context, m in messages(catalogue("en"))
        if not context
    ]
    assert not misread


def test_install_switches_between_english_and_portuguese(qapp) -> None:
    translate = QCoreApplication.translate
    try:
        assert i18n.install(qapp, "en") == "en"
        assert translate("Composer", "Anexar arquivo") == "Attach file"
        assert translate("Dates", "Ontem") == "Yesterday"
        assert explain(99999, translate=translate) == "Meta rejected the message (code 99999)."

        assert i18n.install(qapp, "pt_BR") == "pt_BR"
        assert translate("Composer", "Anexar arquivo") == "Anexar arquivo"
        assert translate("Dates", "Ontem") == "Ontem"
        assert explain(99999, translate=translate) == "A Meta recusou a mensagem (código 99999)."
    finally:
        i18n.install(qapp, "pt_BR")


def test_errors_from_the_engine_reach_an_english_window_in_english(qapp) -> None:
    from crm_whatsapp.security.keys import KeyringEntryMissing
    from crm_whatsapp.store.database import WrongDatabaseKey

    try:
        i18n.install(qapp, "en")
        assert i18n.problem(WrongDatabaseKey()).startswith("The history could not be opened")
        assert "recovery key" in i18n.problem(KeyringEntryMissing())
        assert i18n.problem("Uma frase sem tradução.") == "Uma frase sem tradução."
        i18n.install(qapp, "pt_BR")
        assert i18n.problem(WrongDatabaseKey()) == str(WrongDatabaseKey())
    finally:
        i18n.install(qapp, "pt_BR")
