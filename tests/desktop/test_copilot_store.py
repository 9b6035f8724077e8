"""What the Copilot keeps on this PC: outcomes and notes encrypted, the API key in the keyring."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from events import text_message

from crm_whatsapp.profile import Profile
from crm_whatsapp.security.memory import MemoryKeyring
from crm_whatsapp.security.secrets import read_secret, write_secret
from crm_whatsapp.store.copilot_log import KEEP_SECONDS, Shown
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.workspace import Workspace

NOTES = "Atendemos de segunda a sexta das 8h às 17h. Consulta particular: R$ 380,00."


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    opened = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    yield opened
    opened.close()


def shown(conversation_id: int | None, engine: str, outcome: str, at: float) -> Shown:
    return Shown(conversation_id, engine, "history", f"key-{engine}", outcome, at)  # type: ignore[arg-type]


def test_acceptance_counts_used_and_edited_per_engine_over_the_last_30_days(
    history: History,
) -> None:
    now = time.time()
    history.apply([text_message(1, "5511987654321", "oi", int(now))])
    conversation = history.conversations()[0]["id"]
    history.copilot.record(
        [
            shown(conversation, "local", "used", now),
            shown(conversation, "local", "edited", now),
            shown(conversation, "local", "ignored", now),
            shown(conversation, "local", "ignored", now - 40 * 86400),  # older than 30 days
            shown(conversation, "model", "ignored", now),
        ]
    )
    rates = {r.engine: r for r in history.copilot.acceptance(days=30, now=now)}
    assert (rates["local"].shown, rates["local"].used, rates["local"].edited) == (3, 1, 1)
    assert rates["local"].rate == pytest.approx(2 / 3)
    assert (rates["model"].shown, rates["model"].rate) == (1, 0.0)
    assert history.copilot.outcomes("local")[:3] == [
        ("key-local", "used"),
        ("key-local", "edited"),
        ("key-local", "ignored"),
    ]


def test_outcomes_past_the_keeping_period_are_forgotten_at_the_next_write(
    history: History,
) -> None:
    now = time.time()
    history.copilot.record([shown(None, "local", "used", now - KEEP_SECONDS - 60)])
    history.copilot.record([shown(None, "local", "ignored", now)])
    assert history.copilot.outcomes("local") == [("key-local", "ignored")]


def test_erasing_a_contact_erases_what_the_copilot_kept_of_their_conversation(
    history: History,
) -> None:
    now = time.time()
    history.apply([text_message(1, "5511987654321", "oi", int(now))])
    conversation = history.conversations()[0]["id"]
    history.copilot.record([shown(conversation, "local", "used", now)])
    assert history.erase_contact("5511987654321") is not None
    assert history.copilot.outcomes("local") == []


def test_knowledge_notes_are_kept_encrypted_and_blank_removes_them(tmp_path: Path) -> None:
    key = os.urandom(32)
    history = History(open_engine(tmp_path / "history.db", key))
    history.copilot.save_knowledge(NOTES)
    history.close()
    for path in tmp_path.iterdir():
        assert b"R$ 380,00" not in path.read_bytes()
    history = History(open_engine(tmp_path / "history.db", key))
    try:
        assert history.copilot.knowledge() == NOTES
        history.copilot.save_knowledge("   ")
        assert history.copilot.knowledge() == ""
    finally:
        history.close()


def test_the_api_key_lives_in_the_keyring_per_profile_never_in_the_profile_folder(
    tmp_path: Path,
) -> None:
    backend = MemoryKeyring()
    first, _ = Workspace.create(Profile(tmp_path / "a"), backend)
    second, _ = Workspace.create(Profile(tmp_path / "b"), backend)
    try:
        write_secret("copilot-api-key", first.keys.profile_id, " sk-test-123 ", backend)
        assert read_secret("copilot-api-key", first.keys.profile_id, backend) == "sk-test-123"
        assert read_secret("copilot-api-key", second.keys.profile_id, backend) == ""
        for path in (tmp_path / "a").rglob("*"):
            if path.is_file():
                assert b"sk-test-123" not in path.read_bytes()
        write_secret("copilot-api-key", first.keys.profile_id, "", backend)
        write_secret("copilot-api-key", first.keys.profile_id, "", backend)  # twice: no error
        assert read_secret("copilot-api-key", first.keys.profile_id, backend) == ""
    finally:
        first.close()
        second.close()
