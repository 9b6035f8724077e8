"""A desktop back online replays a backlog: every message lands with the customer it belongs to.

Backlog-sized batches fill the contact and conversation caches in one go
(``History._preload``); these tests make sure that shortcut files messages
exactly as looking each customer up would: known customers keep their
conversation (also when Meta drops or adds the ninth digit), renamed ones
are renamed, new ones get a conversation of their own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import PRELOAD_BATCH, History
from tests.desktop import events
from tests.desktop.events import text_message

BASE = 1_760_000_000


def inbound(n: int, wa_id: str, name: str, body: str) -> tuple[int, dict[str, Any]]:
    return text_message(n, wa_id, body, BASE + n, name)


def by_name(history: History) -> dict[str, list[str]]:
    return {
        c["name"]: [m["text"] for m in history.messages(c["id"], limit=500)]
        for c in history.conversations(limit=500)
    }


def test_a_backlog_after_a_restart_files_every_message_with_its_customer(tmp_path: Path) -> None:
    db, key = tmp_path / "history.db", os.urandom(32)
    first = History(open_engine(db, key))
    first.apply([inbound(1, "5511987650001", "Ana", "oi, sou a Ana")])
    first.apply([inbound(2, "5521998760002", "Bruno", "oi, sou o Bruno")])
    first.close()

    again = History(open_engine(db, key))  # a fresh start: nothing cached
    backlog = [
        # Meta drops the ninth digit of Ana's number this time; Bruno renamed himself.
        inbound(3, "551187650001", "Ana", "Ana sem o nono dígito"),
        inbound(4, "5521998760002", "Bruno Souza", "Bruno com nome novo"),
    ]
    backlog += [
        inbound(n, f"55319900{n:05d}", f"Novo {n}", f"primeira mensagem {n}")
        for n in range(5, 5 + PRELOAD_BATCH)
    ]
    result = again.apply(backlog)
    assert result.applied == len(backlog)

    threads = by_name(again)
    assert threads["Ana"] == ["oi, sou a Ana", "Ana sem o nono dígito"]
    assert threads["Bruno Souza"] == ["oi, sou o Bruno", "Bruno com nome novo"]
    assert "Bruno" not in threads
    assert len(threads) == 2 + PRELOAD_BATCH
    assert threads["Novo 5"] == ["primeira mensagem 5"]
    bruno = again.contact_by_phone("5521998760002")
    assert again.search_contacts("Souza") == [bruno]  # the new name is searchable
    # Replaying the same backlog (a reconnect that repeats it) changes nothing.
    again.apply(backlog)
    assert by_name(again) == threads
    again.close()


def test_a_conversation_read_and_resolved_after_the_customer_wrote_stays_so_after_a_backlog(
    tmp_path: Path,
) -> None:
    history = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    ana = {"phone_number_id": events.PNID, "wa_id": "5511987650001"}
    backlog = [
        inbound(1, "5511987650001", "Ana", "pode me ligar?"),
        # A colleague's desktop read it, then resolved the conversation.
        (2, {"kind": "read", "data": {"message_id": "wamid.T1", "timestamp": BASE + 5}}),
        (
            3,
            {
                "kind": "team",
                "id": "ev-1",
                "device_id": "d-2",
                "at": BASE + 6,
                "data": {"action": "status", "status": "resolved", "conversation": ana},
            },
        ),
    ]
    history.apply(backlog)  # one batch, as a desktop back online applies it

    conversation = history.conversations()[0]
    assert (conversation["unread"], conversation["status"]) == (0, "resolved")
    history.close()
