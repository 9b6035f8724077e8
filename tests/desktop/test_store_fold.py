"""New messages land in an append-only table and are folded into threads later; nobody notices.

What an attendant sees (the thread, search, ticks, replays that change
nothing, erasing a contact) must be the same before, during and after a
fold, and a fold must never lose or duplicate a message.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import crm_whatsapp.store.folding as folding
import crm_whatsapp.store.writer as writer_module
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from tests.desktop.sqlpeek import rows
from tests.waiting import wait_until

PNID = "106540352242922"
BASE = 1_760_000_000


def inbound(n: int, wa_id: str, body: str, ts: int) -> tuple[int, dict[str, Any]]:
    return (
        n,
        {
            "kind": "message",
            "phone_number_id": PNID,
            "contacts": [{"profile": {"name": f"Cliente {wa_id[-4:]}"}, "wa_id": wa_id}],
            "data": {
                "from": wa_id,
                "id": f"wamid.F{n}",
                "timestamp": str(ts),
                "type": "text",
                "text": {"body": body},
            },
        },
    )


def status(n: int, wamid: str, value: str, ts: int) -> tuple[int, dict[str, Any]]:
    return (n, {"kind": "status", "data": {"id": wamid, "status": value, "timestamp": str(ts)}})


def table_counts(history: History) -> tuple[int, int]:
    (folded,), (waiting,) = (
        rows(history, "SELECT count(*) FROM messages")[0],
        rows(history, "SELECT count(*) FROM messages_recent")[0],
    )
    return int(folded), int(waiting)


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[History]:
    # The background fold waits for a long idle here, so each test decides
    # when folding happens (one test lets the real background thread do it).
    monkeypatch.setattr(folding, "FOLD_IDLE", 3600.0)
    h = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    yield h
    h.close()


def thread_texts(history: History, conversation_id: int, limit: int = 50) -> list[str]:
    return [m["text"] for m in history.messages(conversation_id, limit=limit)]


def test_a_thread_reads_the_same_before_and_after_its_messages_are_folded(
    history: History,
) -> None:
    history.apply([inbound(n, "5511987650001", f"mensagem {n}", BASE + n) for n in range(1, 31)])
    conversation = int(rows(history, "SELECT id FROM conversations")[0][0])
    assert table_counts(history) == (0, 30)
    before = history.messages(conversation, limit=100)
    older_page = history.messages(conversation, limit=10, before=before[10]["id"])

    assert history.fold_all() == 30
    assert table_counts(history) == (30, 0)
    assert history.messages(conversation, limit=100) == before
    assert history.messages(conversation, limit=10, before=before[10]["id"]) == older_page
    assert [m["text"] for m in older_page] == [f"mensagem {n}" for n in range(1, 11)]


def test_a_thread_half_folded_is_one_thread_in_time_order(history: History) -> None:
    history.apply([inbound(n, "5511987650002", f"antiga {n}", BASE + n) for n in range(1, 6)])
    history.fold_all()
    # A replayed backlog can bring messages older than what is folded.
    history.apply(
        [inbound(10 + n, "5511987650002", f"nova {n}", BASE + 100 + n) for n in range(1, 4)]
        + [inbound(20, "5511987650002", "atrasada", BASE + 3)]
    )
    conversation = int(rows(history, "SELECT id FROM conversations")[0][0])
    expected = ["antiga 1", "antiga 2", "antiga 3", "atrasada", "antiga 4", "antiga 5"]
    expected += ["nova 1", "nova 2", "nova 3"]
    assert thread_texts(history, conversation) == expected
    assert thread_texts(history, conversation, limit=4) == expected[-4:]
    first = history.messages(conversation, limit=50)[0]["id"]
    assert [m["text"] for m in history.messages_after(conversation, first, limit=4)] == (
        expected[1:5]
    )
    history.fold_all()
    assert thread_texts(history, conversation) == expected


def test_a_replay_of_a_folded_message_adds_nothing(history: History) -> None:
    frames = [inbound(n, "5511987650003", f"oi {n}", BASE + n) for n in range(1, 4)]
    history.apply(frames)
    history.fold_all()
    result = history.apply(frames)
    assert result.added == []
    assert table_counts(history) == (3, 0)


def test_ticks_move_forward_wherever_the_message_is(history: History) -> None:
    history.apply([inbound(1, "5511987650004", "preciso de ajuda", BASE)])
    conversation = int(rows(history, "SELECT id FROM conversations")[0][0])
    outgoing = history.outbox
    mine = outgoing.queue(conversation, {"type": "text", "text": {"body": "claro"}}, "c-1")
    outgoing.accepted("c-1", "wamid.MINE")
    colleague = {
        "kind": "outbound",
        "phone_number_id": PNID,
        "data": {
            "client_id": "other-desk-1",
            "wamid": "wamid.COLLEAGUE",
            "wa_id": "5511987650004",
            "timestamp": BASE + 5,
            "device_name": "Recepção",
            "message": {"type": "text", "text": {"body": "já vou ver"}},
        },
    }
    history.apply([(2, colleague), status(3, "wamid.COLLEAGUE", "delivered", BASE + 6)])
    colleague_id = history.message_by_wamid("wamid.COLLEAGUE")["id"]  # type: ignore[index]
    assert history.message(colleague_id)["status"] == "delivered"  # type: ignore[index]

    history.fold_all()
    history.apply([status(4, "wamid.COLLEAGUE", "read", BASE + 7)])
    history.apply([status(5, "wamid.MINE", "read", BASE + 8), status(6, "wamid.MINE", "sent", 1)])
    assert history.message(colleague_id)["status"] == "read"  # type: ignore[index]
    assert history.message(mine)["status"] == "read"  # type: ignore[index]
    # Ours was written just now; the customer's and the colleague's carry older timestamps.
    assert thread_texts(history, conversation) == ["preciso de ajuda", "já vou ver", "claro"]


def test_search_finds_messages_folded_or_not(history: History) -> None:
    history.apply([inbound(1, "5511987650005", "quero agendar uma visita", BASE)])
    history.fold_all()
    history.apply([inbound(2, "5511987650006", "a visita de sábado está confirmada", BASE + 9)])
    found = [m["text"] for m in history.search("visita")]
    assert found == ["a visita de sábado está confirmada", "quero agendar uma visita"]
    assert [m["text"] for m in history.search("sabado confirmad")] == [
        "a visita de sábado está confirmada"
    ]


def test_erasing_a_contact_takes_its_unfolded_messages_too(history: History) -> None:
    history.apply([inbound(1, "5511987650007", "meu cpf é 123", BASE)])
    history.fold_all()
    history.apply([inbound(2, "5511987650007", "e meu endereço", BASE + 1)])
    history.apply([inbound(3, "5511987650008", "outra pessoa", BASE + 2)])
    assert history.erase_contact("5511987650007").messages == 2
    assert table_counts(history) == (0, 1)
    assert history.search("endereço") == []
    assert history.search("cpf") == []


def test_a_long_replay_keeps_the_unfolded_table_bounded(
    history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folding, "RECENT_CAP", 40)
    monkeypatch.setattr(folding, "FOLD_CHUNK", 8)
    # Batches larger than a fold chunk, as the benchmark's build applies.
    for start in range(0, 200, 20):
        history.apply(
            [
                inbound(n, f"55119876{n % 7:05d}", f"m {n}", BASE + n)
                for n in range(start + 1, start + 21)
            ]
        )
        assert history.unfolded() <= 40
    folded, waiting = table_counts(history)
    assert folded + waiting == 200
    assert rows(history, "SELECT count(DISTINCT seq), count(DISTINCT id) FROM all_messages")[0] == (
        200,
        200,
    )


def test_the_idle_desktop_folds_by_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(folding, "FOLD_IDLE", 0.2)
    monkeypatch.setattr(writer_module, "CHECKPOINT_EVERY", 0.05)
    history = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    try:
        history.apply([inbound(n, "5511987650009", f"x {n}", BASE + n) for n in range(1, 11)])
        wait_until(lambda: table_counts(history) == (10, 0), timeout=10)
        assert history.unfolded() == 0
    finally:
        history.close()
