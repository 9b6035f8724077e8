"""The thread opened around one message (a search hit): both ways from there, nothing lost."""

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
TOTAL = 9 * PAGE + 7
START = 1_700_000_000


def message(n: int, hours: int = 5, shown_as: int | None = None) -> tuple[int, dict[str, Any]]:
    """Stream event ``n``, a text saying "mensagem N" (``shown_as`` if given, else ``n``)."""
    return (
        n,
        {
            "kind": "message",
            "phone_number_id": PNID,
            "contacts": [{"profile": {"name": "Marina"}, "wa_id": CUSTOMER}],
            "data": {
                "from": CUSTOMER,
                "id": f"wamid.A{n}",
                "timestamp": str(START + n * hours * 3600),  # day separators come and go
                "type": "text",
                "text": {"body": f"mensagem {n if shown_as is None else shown_as}"},
            },
        },
    )


def reaction(n: int, target: int) -> tuple[int, dict[str, Any]]:
    seq, event = message(n)
    event["data"] = {
        **event["data"],
        "type": "reaction",
        "reaction": {"message_id": f"wamid.A{target}", "emoji": "👍"},
    }
    del event["data"]["text"]
    return seq, event


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    opened = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    opened.apply([message(n) for n in range(1, TOTAL + 1)])
    yield opened
    opened.close()


def conversation_of(history: History) -> int:
    return int(rows(history, "SELECT id FROM conversations")[0][0])


def id_of(history: History, n: int) -> int:
    found = history.message_by_wamid(f"wamid.A{n}")
    assert found is not None
    return int(found["id"])


def texts(model: ThreadModel) -> list[int]:
    items = [model.item(i) for i in range(model.rowCount())]
    return [int(r["text"].split()[1]) for r in items if r and r["kind"] == "message"]


def days_are_separated_once(model: ThreadModel) -> bool:
    items = [model.item(i) for i in range(model.rowCount())]
    labels = [r["label"] for r in items if r and r["kind"] == "day"]
    return len(labels) == len(set(labels)) and items[0] is not None and items[0]["kind"] == "day"


def scroll_down_to_the_end(model: ThreadModel, seen: list[int]) -> list[int]:
    """Load newer pages as the view does at the bottom; every message seen, in order, once."""
    while model.has_newer:
        model.load_newer()
        shown = texts(model)
        assert shown == list(range(shown[0], shown[-1] + 1))  # no gap, no duplicate
        assert model.rowCount() <= MAX_ROWS + 1
        assert days_are_separated_once(model)
        seen = seen + [n for n in shown if n > seen[-1]]
    return seen


def test_the_first_message_opens_with_the_page_after_it_and_scrolling_down_reaches_the_end(
    qapp: object, history: History
) -> None:
    model = ThreadModel(history)
    conversation = conversation_of(history)
    model.open(conversation)
    assert model.open_around(conversation, id_of(history, 1))
    assert texts(model) == list(range(1, PAGE + 2))  # it, and one page after: no more read
    assert not model.has_older and model.has_newer
    assert days_are_separated_once(model)
    assert scroll_down_to_the_end(model, texts(model)) == list(range(1, TOTAL + 1))
    assert texts(model)[-1] == TOTAL and not model.has_newer


def test_a_message_in_the_middle_scrolls_both_ways_without_gaps(
    qapp: object, history: History
) -> None:
    model = ThreadModel(history)
    conversation = conversation_of(history)
    middle = TOTAL // 2
    assert model.open_around(conversation, id_of(history, middle))
    assert texts(model) == list(range(middle - PAGE + 1, middle + PAGE + 1))
    assert model.has_older and model.has_newer
    while model.has_older:
        assert model.load_older() > 0
        shown = texts(model)
        assert shown == list(range(shown[0], shown[-1] + 1))
        assert days_are_separated_once(model)
    assert texts(model)[0] == 1
    assert scroll_down_to_the_end(model, texts(model)) == list(range(1, TOTAL + 1))


def test_a_message_near_the_end_opens_with_the_bottom_loaded(
    qapp: object, history: History
) -> None:
    model = ThreadModel(history)
    conversation = conversation_of(history)
    assert model.open_around(conversation, id_of(history, TOTAL - 3))
    assert texts(model) == list(range(TOTAL - 3 - PAGE + 1, TOTAL + 1))
    assert not model.has_newer  # new messages are appended as usual
    result = history.apply([message(TOTAL + 1)])
    model.apply(tuple(result.added), (), True)
    assert texts(model)[-1] == TOTAL + 1


def test_an_unknown_message_leaves_the_thread_as_it_was(qapp: object, history: History) -> None:
    model = ThreadModel(history)
    conversation = conversation_of(history)
    model.open(conversation)
    before = texts(model)
    assert not model.open_around(conversation, id_of(history, TOTAL) + 7)  # no such key
    assert not model.open_around(conversation + 1, id_of(history, 3))  # not this conversation
    assert texts(model) == before and model.conversation_id == conversation


def test_a_page_of_reactions_alone_does_not_stop_scrolling_down(
    qapp: object, history: History
) -> None:
    # The page right after the target holds only reactions: they show under their messages.
    history.apply([reaction(TOTAL + k, target=TOTAL) for k in range(1, PAGE + 3)])
    later = range(TOTAL + PAGE + 3, TOTAL + PAGE + 6)  # shown as the messages after TOTAL
    history.apply([message(n, 6, shown_as=n - PAGE - 2) for n in later])
    model = ThreadModel(history)
    conversation = conversation_of(history)
    assert model.open_around(conversation, id_of(history, TOTAL - PAGE))
    seen = scroll_down_to_the_end(model, texts(model))
    assert seen == list(range(TOTAL - 2 * PAGE + 1, TOTAL + 4))
    last = model.item(model.row_of(id_of(history, TOTAL)))
    assert last is not None and last["reactions"] == ["👍"]


def test_a_message_arriving_while_reading_far_back_waits_below_until_scrolled_to(
    qapp: object, history: History
) -> None:
    model = ThreadModel(history)
    conversation = conversation_of(history)
    assert model.open_around(conversation, id_of(history, 2))
    result = history.apply([message(TOTAL + 1)])
    model.apply(tuple(result.added), (), True)
    assert TOTAL + 1 not in texts(model)  # not appended after message 22
    seen = scroll_down_to_the_end(model, texts(model))
    assert seen == list(range(1, TOTAL + 2))


def test_writing_while_reading_far_back_brings_the_thread_to_the_latest(
    qapp: object, history: History
) -> None:
    model = ThreadModel(history)
    conversation = conversation_of(history)
    assert model.open_around(conversation, id_of(history, 2))
    sent = history.outbox.queue(
        conversation, {"type": "text", "text": {"body": "Bom dia!"}}, "client-around-1"
    )
    model.apply((sent,), (), True)
    assert not model.has_newer
    items = [model.item(i) for i in range(model.rowCount())]
    said = [r["text"] for r in items if r and r["kind"] == "message"]
    assert said[-2:] == [f"mensagem {TOTAL}", "Bom dia!"]  # the newest page, then what was written
    assert model.row_of(sent) == model.rowCount() - 1
