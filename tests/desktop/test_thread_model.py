"""The thread model over a long chat: a bounded window that scrolls back and forth without gaps."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.ui.models.thread import MAX_ROWS, PAGE, ThreadModel
from tests.desktop.sqlpeek import rows

PNID = "106540352242922"
CUSTOMER = "5511988887777"
TOTAL = 7 * PAGE + 13  # several pages and a ragged first one
START = 1_700_000_000


def message(n: int, hours: int = 6) -> tuple[int, dict[str, Any]]:
    return (
        n,
        {
            "kind": "message",
            "phone_number_id": PNID,
            "contacts": [{"profile": {"name": "Marina"}, "wa_id": CUSTOMER}],
            "data": {
                "from": CUSTOMER,
                "id": f"wamid.M{n}",
                # Hours apart: day separators come and go as pages load.
                "timestamp": str(START + n * hours * 3600),
                "type": "text",
                "text": {"body": f"mensagem {n}"},
            },
        },
    )


@pytest.fixture(params=[5, 6, 7])  # the trimmed edge lands on, before and after a day's start
def history(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[History]:
    opened = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    opened.apply([message(n, request.param) for n in range(1, TOTAL + 1)])
    yield opened
    opened.close()


def texts(model: ThreadModel) -> list[int]:
    rows = [model.item(i) for i in range(model.rowCount())]
    return [int(r["text"].split()[1]) for r in rows if r and r["kind"] == "message"]


def days_are_separated_once(model: ThreadModel) -> bool:
    rows = [model.item(i) for i in range(model.rowCount())]
    labels = [r["label"] for r in rows if r and r["kind"] == "day"]
    return len(labels) == len(set(labels)) and rows[0] is not None and rows[0]["kind"] == "day"


def test_scrolling_to_the_first_message_and_back_shows_every_message_once_in_order(
    qapp: object, history: History
) -> None:
    model = ThreadModel(history)
    conversation = int(rows(history, "SELECT id FROM conversations")[0][0])
    model.open(conversation)
    assert texts(model) == list(range(TOTAL - PAGE + 1, TOTAL + 1))  # the newest page
    seen = texts(model)
    while model.has_older:
        assert model.load_older() > 0
        assert model.rowCount() <= MAX_ROWS  # memory and re-layout stay bounded
        shown = texts(model)
        assert shown == sorted(shown) and shown == list(range(shown[0], shown[-1] + 1))
        seen = shown[: shown.index(seen[0])] + seen if seen[0] in shown else shown + seen
        assert days_are_separated_once(model)
    assert texts(model)[0] == 1 and model.has_newer  # the newest were let go
    assert seen == list(range(1, TOTAL + 1))
    while model.has_newer:
        model.load_newer()
        shown = texts(model)
        assert shown == list(range(shown[0], shown[-1] + 1))
        assert days_are_separated_once(model)
    assert texts(model)[-1] == TOTAL  # back at the newest, nothing lost on the way


def test_a_new_message_is_appended_at_the_bottom_but_not_while_reading_far_back(
    qapp: object, history: History
) -> None:
    model = ThreadModel(history)
    conversation = int(rows(history, "SELECT id FROM conversations")[0][0])
    model.open(conversation)
    result = history.apply([message(TOTAL + 1, hours=8)])  # later than all the others
    model.apply(tuple(result.added), (), True)
    assert texts(model)[-1] == TOTAL + 1
    while model.has_older:
        model.load_older()
    result = history.apply([message(TOTAL + 2, hours=8)])
    model.apply(tuple(result.added), (), True)
    assert TOTAL + 2 not in texts(model)  # it waits until the attendant scrolls down
    while model.has_newer:
        model.load_newer()
    assert texts(model)[-2:] == [TOTAL + 1, TOTAL + 2]
