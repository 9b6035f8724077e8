"""``crm-whatsapp --help`` and every subcommand's help speak one language: English.

argparse writes its own words ("usage", "options", "show this help message
and exit") in English, as the relay's CLI and the logs do; a Portuguese
description beside them read as two programs glued together.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from crm_whatsapp.cli import build_parser

# Words and letters that only a Portuguese sentence has.
PORTUGUESE = re.compile(
    r"[ãõçáéíóúâêôà]|\b(para|com|uma?|sem|dos|das|da|que|ao|nos|em|este|esta|seus?|sobre)\b",
    re.IGNORECASE,
)
CLI = str(Path(sys.executable).with_name("crm-whatsapp"))


def parsers(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """The parser and each subcommand's, at every depth, with the command that reaches it."""
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from parsers(child)


def test_every_help_text_is_english() -> None:
    found = dict(parsers(build_parser()))
    assert {"crm-whatsapp", "crm-whatsapp demo", "crm-whatsapp crm lookup"} <= set(found)
    for prog, parser in found.items():
        text = parser.format_help()
        assert "usage:" in text and "show this help message and exit" in text
        portuguese = [line for line in text.splitlines() if PORTUGUESE.search(line)]
        assert portuguese == [], f"{prog} --help mixes in Portuguese: {portuguese}"


def test_the_installed_command_prints_english_help() -> None:
    shown = subprocess.run([CLI, "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    assert "WhatsApp inbox for your CRM" in shown.stdout
    assert not PORTUGUESE.search(shown.stdout)
