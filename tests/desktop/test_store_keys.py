"""Message keys stay unique and in time order whatever order messages arrive in.

The writer remembers each conversation's highest key so the common case (a
message newer than the rest) needs no lookup; these tests make sure that
shortcut never hands out a used key: late arrivals, bursts in one second,
replays, a rolled-back batch, and another writer on the same file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.store.keys import MAX_CONVERSATION, PER_SECOND
from crm_whatsapp.store.phones import phone_key
from tests.desktop.sqlpeek import rows

PNID = "106540352242922"
ANA = "5511987654321"
T0 = 1_795_300_000


def inbound(seq: int, ts: int, body: str, wa_id: str = ANA) -> tuple[int, dict[str, Any]]:
    return seq, {
        "kind": "message",
        "phone_number_id": PNID,
        "contacts": [{"profile": {"name": "Ana"}, "wa_id": wa_id}],
        "data": {
            "from": wa_id,
            "id": f"wamid.KEY{seq}",
            "timestamp": str(ts),
            "type": "text",
            "text": {"body": body},
        },
    }


@pytest.fixture
def opened(tmp_path: Path) -> tuple[Path, bytes]:
    return tmp_path / "history.db", os.urandom(32)


def thread(history: History) -> list[dict[str, Any]]:
    conversation = history.conversations()[0]["id"]
    return history.messages(conversation, limit=10_000)


def test_late_arrivals_and_bursts_keep_time_order(opened: tuple[Path, bytes]) -> None:
    history = History(open_engine(*opened))
    seq = 0
    frames = []
    for ts in (T0 + 10, T0 + 5, T0 + 10, T0 + 1, T0 + 20, T0 + 5):
        seq += 1
        frames.append(inbound(seq, ts, f"m{seq}"))
    history.apply(frames)
    # More than a second's worth of slots in one second, then older ones again.
    history.apply([inbound(seq + i, T0 + 20, f"b{i}") for i in range(1, PER_SECOND + 40)])
    seq += PER_SECOND + 40
    history.apply([inbound(seq, T0 + 3, "late"), inbound(seq + 1, T0 + 21, "next")])
    rows = thread(history)
    assert len(rows) == 6 + PER_SECOND + 39 + 2
    assert len({r["id"] for r in rows}) == len(rows)
    times = [r["timestamp"] for r in rows]
    # Key order is time order, except the burst's overflow borrowing the next second.
    assert times[:5] == [T0 + 1, T0 + 3, T0 + 5, T0 + 5, T0 + 10]
    assert rows[-1]["text"] == "next"
    # A replay changes nothing.
    history.apply([inbound(1, T0 + 10, "m1")])
    assert len(thread(history)) == len(rows)
    history.close()


def test_a_rolled_back_batch_leaves_no_hole_or_clash(opened: tuple[Path, bytes]) -> None:
    history = History(open_engine(*opened))
    # Ana's conversation is the last one message keys have room for, so a
    # new customer's message fails after its key and rows were written: the
    # batch rolls back and is applied again event by event (that one set aside).
    with history.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contacts (id, wa_id, phone_key, created_at, updated_at) "
            "VALUES (1, ?, ?, 0, 0)",
            (ANA, phone_key(ANA)),
        )
        conn.exec_driver_sql(
            "INSERT INTO conversations (id, phone_number_id, contact_id, unread, status) "
            "VALUES (?, ?, 1, 0, 'open')",
            (MAX_CONVERSATION, PNID),
        )
    history.apply([inbound(1, T0, "first")])
    history.apply([inbound(2, T0 + 1, "kept"), inbound(3, T0 + 1, "no room", "5521998760002")])
    history.apply([inbound(4, T0 + 1, "more"), inbound(5, T0 + 1, "again")])
    assert [r["text"] for r in thread(history)] == ["first", "kept", "more", "again"]
    assert rows(history, "SELECT seq FROM other_events") == [(3,)]
    history.close()


def test_another_writer_on_the_same_file_is_noticed(opened: tuple[Path, bytes]) -> None:
    first = History(open_engine(*opened))
    first.apply([inbound(1, T0, "um")])
    second = History(open_engine(*opened))  # e.g. ``crm-whatsapp sync`` beside the window
    second.apply([inbound(2, T0 + 5, "dois"), inbound(3, T0 + 5, "três")])
    second.close()
    first.apply([inbound(4, T0 + 5, "quatro"), inbound(5, T0 + 6, "cinco")])
    assert [r["text"] for r in thread(first)] == ["um", "dois", "três", "quatro", "cinco"]
    first.close()


def test_after_a_restart_a_message_in_the_latest_second_gets_a_key_of_its_own(
    opened: tuple[Path, bytes],
) -> None:
    history = History(open_engine(*opened))
    history.apply([inbound(1, T0, "um"), inbound(2, T0 + 1, "dois")])
    history.fold_all()
    history.apply([inbound(3, T0 + 1, "três")])  # waits unfolded
    history.close()
    # A fresh start knows no thread ends: the conversation row tells where this one goes.
    again = History(open_engine(*opened))
    again.apply([inbound(4, T0 + 1, "quatro")])
    assert again.fold_all() == 2
    assert [r["text"] for r in thread(again)] == ["um", "dois", "três", "quatro"]
    again.close()


def test_our_own_send_is_counted_when_a_reply_lands_in_its_second(
    opened: tuple[Path, bytes],
) -> None:

    history = History(open_engine(*opened))
    history.apply([inbound(1, T0, "oi")])
    conversation = history.conversations()[0]["id"]
    history.outbox.queue(conversation, {"type": "text", "text": {"body": "olá"}}, "crmw-k1")
    sent_at = int(thread(history)[-1]["timestamp"])
    history.close()
    again = History(open_engine(*opened))
    again.apply([inbound(2, sent_at, "resposta no mesmo segundo")])
    again.fold_all()
    assert [r["text"] for r in thread(again)] == ["oi", "olá", "resposta no mesmo segundo"]
    again.close()


def test_a_version_5_history_learns_its_thread_ends_when_migrated(
    opened: tuple[Path, bytes],
) -> None:
    from crm_whatsapp.store.database import connect_encrypted
    from crm_whatsapp.store.keys import second_base
    from crm_whatsapp.store.schema import MIGRATIONS

    path, key = opened
    conn = connect_encrypted(path, key)
    conn.isolation_level = None
    for version, steps in enumerate(MIGRATIONS[:5], 1):
        for statement in steps:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO contacts (id, wa_id, phone_key, profile_name, created_at, updated_at) "
        "VALUES (1, ?, '551187654321', 'Ana', 0, 0)",
        (ANA,),
    )
    conn.execute(
        "INSERT INTO conversations (id, phone_number_id, contact_id, unread, status) "
        "VALUES (1, ?, 1, 0, 'open')",
        (PNID,),
    )
    base = second_base(1, T0)
    for table, key_, seq, text in (
        ("messages", base, 1, "dobrado"),
        ("messages_recent", base + 1, 2, "à espera"),
    ):
        conn.execute(
            f"INSERT INTO {table} (id, seq, conversation_id, wamid, direction, type, timestamp, "
            "text, payload) VALUES (?, ?, 1, ?, 'in', 'text', ?, ?, '{}')",
            (key_, seq, f"wamid.V5-{seq}", T0, text),
        )
    conn.close()
    history = History(open_engine(path, key))
    history.apply([inbound(3, T0, "nova")])
    assert history.fold_all() == 2
    assert [r["text"] for r in thread(history)] == ["dobrado", "à espera", "nova"]
    history.close()
