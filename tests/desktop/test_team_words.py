"""The words of team work: activity lines, statuses and the snooze menu's times."""

from __future__ import annotations

import json
from datetime import datetime

from pytestqt.qtbot import QtBot

from crm_whatsapp.ui.activity import activity_line, status_text
from crm_whatsapp.ui.snooze import in_one_hour, next_monday_at_nine, tomorrow_at_nine

AT = datetime(2026, 12, 7, 14, 2).timestamp()  # a Monday


def line(facts: dict[str, object], who: str | None = "Ana") -> str:
    return activity_line({"payload": json.dumps(facts), "author": who, "timestamp": AT})


def test_each_change_reads_as_a_sentence_with_who_and_when(qtbot: QtBot) -> None:
    assign = {"action": "assign", "before": None}
    assert line({**assign, "after": "Bruno"}) == "Ana atribuiu a Bruno · 14:02"
    assert line({**assign, "after": "Ana"}) == "Ana assumiu a conversa · 14:02"
    assert line({"action": "assign", "before": "Ana", "after": "Bruno"}) == (
        "Ana transferiu para Bruno · 14:02"
    )
    assert line({"action": "assign", "before": "Carla", "after": "Bruno"}) == (
        "Ana transferiu de Carla para Bruno · 14:02"
    )
    assert line({"action": "assign", "before": "Bruno", "after": None}) == (
        "Ana removeu a atribuição · 14:02"
    )
    status = {"action": "status", "before": "open"}
    assert line({**status, "after": "resolved"}) == "Ana resolveu a conversa · 14:02"
    assert line({**status, "after": "pending"}) == "Ana marcou como pendente · 14:02"
    assert line({"action": "status", "before": "resolved", "after": "open"}) == (
        "Ana reabriu a conversa · 14:02"
    )
    snoozed = line({**status, "after": "snoozed", "until": AT + 86400})
    assert snoozed == "Ana adiou até 08/12 14:02 · 14:02"
    labels = {"action": "labels", "added": ["VIP"], "removed": ["Atraso"]}
    assert line(labels) == ("Ana adicionou a etiqueta VIP; Ana removeu a etiqueta Atraso · 14:02")
    # Garbage in the payload still gives a sentence, never a traceback.
    assert line({"action": 7}, who=None) == "Alguém alterou a conversa · 14:02"
    assert activity_line({"payload": "{not json", "author": "Ana", "timestamp": "x"}) == (
        "Ana alterou a conversa"
    )


def test_statuses_as_the_header_and_list_name_them(qtbot: QtBot) -> None:
    assert [status_text(s) for s in ("open", "pending", "resolved")] == [
        "Aberta",
        "Pendente",
        "Resolvida",
    ]
    assert status_text("snoozed", AT) == "Adiada até 07/12 14:02"


def test_snooze_times_follow_the_calendar() -> None:
    monday = datetime(2026, 12, 7, 14, 2)
    saturday = datetime(2026, 12, 12, 23, 30)
    assert in_one_hour(monday) == datetime(2026, 12, 7, 15, 2)
    assert tomorrow_at_nine(saturday) == datetime(2026, 12, 13, 9, 0)
    assert next_monday_at_nine(saturday) == datetime(2026, 12, 14, 9, 0)
    assert next_monday_at_nine(monday) == datetime(2026, 12, 14, 9, 0)  # a week on
