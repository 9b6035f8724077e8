"""A read receipt reads the thread up to and including its message, not the whole thread.

The relay echoes every read receipt an attendant sent (from this desktop
or a colleague's). A receipt names one customer message: the customer's
messages after it were not on that attendant's screen, so they stay
unread, wherever the messages are stored (new or folded) and however the
stream splits into batches.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import crm_whatsapp.store.folding as folding
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from tests.desktop.events import text_message

BASE = 1_760_000_000
ANA = "5511987650001"


def from_ana(n: int) -> tuple[int, dict[str, Any]]:
    """Stream frame ``n``: Ana's message ``wamid.T{n}``, sent at ``BASE + n``."""
    return text_message(n, ANA, f"mensagem {n}", BASE + n, "Ana")


def read_echo(n: int, wamid: str) -> tuple[int, dict[str, Any]]:
    """Stream frame ``n``: the relay's echo of a read receipt an attendant sent for ``wamid``."""
    return (n, {"kind": "read", "data": {"message_id": wamid, "timestamp": BASE + 100 + n}})


def unread(history: History) -> int:
    (conversation,) = history.conversations()
    return int(conversation["unread"])


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[History]:
    # Each test decides when messages are folded, not the background thread.
    monkeypatch.setattr(folding, "FOLD_IDLE", 3600.0)
    store = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    yield store
    store.close()


def test_a_receipt_for_an_older_message_in_the_same_batch_leaves_the_later_ones_unread(
    history: History,
) -> None:
    history.apply([from_ana(1), from_ana(2), from_ana(3), read_echo(4, "wamid.T1")])
    assert unread(history) == 2


def test_a_receipt_leaves_unread_the_messages_after_it_in_the_same_batch(
    history: History,
) -> None:
    history.apply([from_ana(1), read_echo(2, "wamid.T1"), from_ana(3), from_ana(4)])
    assert unread(history) == 2


def test_receipts_in_later_batches_read_up_to_their_message(history: History) -> None:
    history.apply([from_ana(1), from_ana(2), from_ana(3)])
    history.apply([read_echo(4, "wamid.T1")])
    assert unread(history) == 2
    history.apply([read_echo(5, "wamid.UNKNOWN")])
    assert unread(history) == 2
    history.apply([read_echo(6, "wamid.T3")])
    assert unread(history) == 0


def test_a_receipt_never_makes_read_messages_unread_again(history: History) -> None:
    history.apply([from_ana(1), from_ana(2), from_ana(3), read_echo(4, "wamid.T3")])
    history.apply([read_echo(5, "wamid.T1")])  # a colleague's older receipt, late
    assert unread(history) == 0


def test_the_echo_of_this_desktops_receipt_keeps_what_came_after_unread(
    history: History,
) -> None:
    history.apply([from_ana(1), from_ana(2)])
    (conversation,) = history.conversations()
    history.mark_read(int(conversation["id"]))  # the attendant opened it: receipt for T2 sent
    history.apply([from_ana(3)])  # Ana wrote again before the receipt's echo came back
    history.apply([read_echo(4, "wamid.T2")])
    assert unread(history) == 1


def test_a_receipt_counts_folded_and_new_messages_alike(history: History) -> None:
    history.apply([from_ana(1), from_ana(2)])
    history.fold_all()
    history.apply([from_ana(3)])
    history.apply([read_echo(4, "wamid.T1")])
    assert unread(history) == 2
    history.fold_all()
    history.apply([read_echo(5, "wamid.T2")])
    assert unread(history) == 1


def test_marking_read_names_the_last_message_it_read(history: History) -> None:
    """The receipt the desktop sends names the newest message the mark covered.

    Zeroing the badge and then asking for the newest message were two steps:
    a message stored between them got the customer's blue ticks unseen.
    """
    history.apply([from_ana(1), from_ana(2)])
    (conversation,) = history.conversations()
    assert history.mark_read(int(conversation["id"])) == "wamid.T2"
    history.apply([from_ana(3)])
    assert unread(history) == 1
    assert history.mark_read(int(conversation["id"])) == "wamid.T3"
    assert unread(history) == 0


def test_marking_read_names_folded_messages_and_nothing_for_an_unknown_thread(
    history: History,
) -> None:
    history.apply([from_ana(1)])
    (conversation,) = history.conversations()
    history.fold_all()
    assert history.mark_read(int(conversation["id"])) == "wamid.T1"
    assert history.mark_read(int(conversation["id"]) + 1) is None
