"""The conversation list's 24-hour windows move with the clock, row by row as they are shown."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.ui.models import conversations
from crm_whatsapp.ui.models.conversations import ConversationListModel, Role


def message(n: int, wa_id: str, ts: float) -> tuple[int, dict]:
    return (
        n,
        {
            "kind": "message",
            "phone_number_id": "106540352242922",
            "contacts": [{"profile": {"name": f"Cliente {n}"}, "wa_id": wa_id}],
            "data": {
                "from": wa_id,
                "id": f"wamid.C{n}",
                "timestamp": str(int(ts)),
                "type": "text",
                "text": {"body": "Oi"},
            },
        },
    )


def test_a_window_closes_on_the_next_tick_without_reloading_the_list(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    history = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    try:
        now = time.time()
        history.apply([message(1, "5511988887777", now - 23.5 * 3600)])
        model = ConversationListModel(history, "Ana")
        model.reload()
        assert model.index(0).data(Role.Row)["window"].kind in ("open", "closing")
        queries: list[int] = []
        real = history.conversations
        monkeypatch.setattr(
            history, "conversations", lambda *a, **k: queries.append(1) or real(*a, **k)
        )
        monkeypatch.setattr(conversations.time, "time", lambda: now + 3600)
        model.tick()
        assert model.index(0).data(Role.Row)["window"].kind == "closed"
        assert not queries  # no trip to the database for a minute passing
    finally:
        history.close()
