"""Team state in the store: palette, snooze, activity lines, pins, unread marks, counts.

Team events reach every desktop through the stream and are also applied at
once by the desktop that made them; the echo (and any retried delivery)
must change nothing. Pins and unread marks are this attendant's own.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.store.personal import MAX_PINNED, TooManyPinned, mark_unread, pin
from crm_whatsapp.store.team_view import counts, next_wake, palette
from tests.desktop import events

ANA, BIA, CAIO, DEB = "5511987650001", "5511987650002", "5511987650003", "5511987650004"
NOW = time.time()


@pytest.fixture
def history(tmp_path: Path) -> Any:
    h = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    h.apply(
        [
            events.text_message(n + 1, wa_id, f"oi {n}", int(NOW) - 600 + n, name)
            for n, (wa_id, name) in enumerate(
                ((ANA, "Ana"), (BIA, "Bia"), (CAIO, "Caio"), (DEB, "Deb"))
            )
        ]
    )
    yield h
    h.close()


def team(
    seq: int, event_id: str, data: dict[str, Any], who: str = "Bruno", at: float | None = None
) -> tuple[int, dict[str, Any]]:
    return (
        seq,
        {
            "kind": "team",
            "id": event_id,
            "device_id": f"dev-{who}",
            "device_name": who,
            "at": NOW if at is None else at,
            "data": data,
        },
    )


def conv(wa_id: str) -> dict[str, str]:
    return {"phone_number_id": events.PNID, "wa_id": wa_id}


def row_of(history: History, wa_id: str) -> dict[str, Any]:
    return next(r for r in history.conversations(status=None) if r["wa_id"] == wa_id)


def activity(history: History, wa_id: str) -> list[dict[str, Any]]:
    rows = history.messages(row_of(history, wa_id)["id"], limit=100)
    return [
        {**json.loads(m["payload"]), "by": m["author"]} for m in rows if m["type"] == "activity"
    ]


def test_activity_lines_are_written_once_in_time_order_with_who(history: History) -> None:
    assign = team(10, "e1", {"action": "assign", "conversation": conv(ANA), "assignee": "Bruno"})
    history.apply_local(assign[1])  # the desktop that made it applies it at once…
    history.apply([assign])  # …and the echo changes nothing
    history.apply([assign])  # nor a retried delivery
    history.apply(
        [
            team(
                11,
                "e2",
                {"action": "assign", "conversation": conv(ANA), "assignee": "Carla"},
                who="Ana",
                at=NOW + 1,
            ),
            team(
                12,
                "e3",
                {"action": "labels", "conversation": conv(ANA), "labels": ["VIP"]},
                at=NOW + 2,
            ),
            team(
                13,
                "e4",
                {"action": "status", "conversation": conv(ANA), "status": "resolved"},
                at=NOW + 3,
            ),
            # The same status again changes nothing and says nothing.
            team(
                14,
                "e5",
                {"action": "status", "conversation": conv(ANA), "status": "resolved"},
                at=NOW + 4,
            ),
        ]
    )
    assert activity(history, ANA) == [
        {"action": "assign", "before": None, "after": "Bruno", "by": "Bruno"},
        {"action": "assign", "before": "Bruno", "after": "Carla", "by": "Ana"},
        {"action": "labels", "added": ["VIP"], "removed": [], "by": "Bruno"},
        {"action": "status", "before": "open", "after": "resolved", "by": "Bruno"},
    ]
    # Interleaved with the messages by time: the customer's message came first.
    thread = history.messages(row_of(history, ANA)["id"], limit=100)
    assert thread[0]["type"] == "text"
    assert [m["timestamp"] for m in thread] == sorted(m["timestamp"] for m in thread)
    # They are not the conversation's last message, nor unread, nor searchable.
    row = row_of(history, ANA)
    assert row["preview_text"] == "oi 0" and row["unread"] == 1
    assert history.search("Carla") == []


def test_a_snoozed_conversation_leaves_open_views_and_wakes_by_itself(history: History) -> None:
    history.apply(
        [
            team(
                20,
                "s1",
                {
                    "action": "status",
                    "conversation": conv(BIA),
                    "status": "snoozed",
                    "until": NOW + 3600,
                },
            ),
            team(
                21,
                "s2",
                {
                    "action": "status",
                    "conversation": conv(CAIO),
                    "status": "snoozed",
                    "until": time.time() - 1,  # its time has come already
                },
            ),
        ]
    )
    open_ids = {r["wa_id"] for r in history.conversations(status="open")}
    assert BIA not in open_ids and CAIO in open_ids
    assert row_of(history, BIA)["status"] == "snoozed"
    assert row_of(history, BIA)["snoozed_until"] == pytest.approx(NOW + 3600)
    assert next_wake(history.engine) == pytest.approx(NOW + 3600)
    assert activity(history, BIA)[-1]["until"] == pytest.approx(NOW + 3600)
    # The customer writes: it wakes at once, on every desktop (no event needed).
    history.apply([events.text_message(22, BIA, "alguém aí?", int(NOW) + 60, "Bia")])
    assert row_of(history, BIA)["status"] == "open"


def test_palette_renames_and_drops_labels_on_conversations(history: History) -> None:
    history.apply(
        [
            team(
                30,
                "p1",
                {
                    "action": "palette",
                    "labels": [
                        {"name": "VIP", "color": "#1e88e5"},
                        {"name": "Atraso", "color": "#E53935"},
                    ],
                },
            ),
            team(31, "l1", {"action": "labels", "conversation": conv(ANA), "labels": ["VIP"]}),
            team(
                32,
                "l2",
                {"action": "labels", "conversation": conv(BIA), "labels": ["VIP", "Atraso"]},
            ),
        ]
    )
    assert [(x.name, x.color) for x in palette(history.engine)] == [
        ("VIP", "#1E88E5"),
        ("Atraso", "#E53935"),
    ]
    rename = team(
        33,
        "p2",
        {
            "action": "palette",
            "labels": [{"name": "Cliente VIP", "color": "#00A884"}],
            "renamed": {"VIP": "Cliente VIP"},
        },
    )
    history.apply([rename])
    history.apply([rename])  # idempotent
    assert row_of(history, ANA)["labels"] == ["Cliente VIP"]
    assert row_of(history, BIA)["labels"] == ["Cliente VIP"]  # "Atraso" was deleted
    assert [x.name for x in palette(history.engine)] == ["Cliente VIP"]
    assert {r["wa_id"] for r in history.reader.conversations(label="Cliente VIP")} == {ANA, BIA}
    # A malformed palette is kept aside, changing nothing.
    history.apply(
        [team(34, "p3", {"action": "palette", "labels": [{"name": "x", "color": "red"}]})]
    )
    assert [x.name for x in palette(history.engine)] == ["Cliente VIP"]


def test_pins_come_first_at_most_three_and_unread_marks_count(history: History) -> None:
    ids = {r["wa_id"]: r["id"] for r in history.conversations()}
    assert MAX_PINNED == 3
    pin(history.writer, ids[ANA], True)  # the oldest conversation
    assert history.conversations()[0]["wa_id"] == ANA
    assert row_of(history, ANA)["pinned"] is True
    pin(history.writer, ids[BIA], True)
    pin(history.writer, ids[CAIO], True)
    with pytest.raises(TooManyPinned):
        pin(history.writer, ids[DEB], True)
    pin(history.writer, ids[ANA], False)
    assert row_of(history, ANA)["pinned"] is False
    # Unread: every conversation has one customer message; read two, mark one again.
    for wa_id in (ANA, BIA):
        history.mark_read(ids[wa_id])
    before = counts(history.engine, "Bruno", "open")
    mark_unread(history.writer, ids[ANA])
    assert row_of(history, ANA)["marked_unread"] is True
    assert {r["wa_id"] for r in history.conversations(view="unread", status=None)} == {
        ANA,
        CAIO,
        DEB,
    }
    after = counts(history.engine, "Bruno", "open")
    assert (before.unread, after.unread, after.all) == (2, 3, 4)


def test_counts_for_every_view_in_one_query(history: History) -> None:
    history.apply(
        [
            team(40, "a1", {"action": "assign", "conversation": conv(ANA), "assignee": "Bruno"}),
            team(41, "a2", {"action": "assign", "conversation": conv(BIA), "assignee": "Ana"}),
            team(42, "st", {"action": "status", "conversation": conv(CAIO), "status": "pending"}),
        ]
    )
    got = counts(history.engine, "Bruno", "open")
    assert (got.mine, got.unassigned, got.all, got.unread) == (1, 1, 3, 3)
    pending = counts(history.engine, "Bruno", "pending")
    assert (pending.mine, pending.unassigned, pending.all) == (0, 1, 1)
    assert counts(history.engine, "Bruno", None).all == 4
