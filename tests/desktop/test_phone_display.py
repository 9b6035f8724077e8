"""Customers' numbers read the way people write them, wherever the window shows one."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from events import PNID
from offline_window import OfflineDesk, offline_desk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

WA_ID = "5541996543210"
SHOWN = "+55 41 99654-3210"


@pytest.fixture
def desk(qloop: Any, qtbot: QtBot, tmp_path: Path) -> Iterator[OfflineDesk]:
    yield from offline_desk(qtbot, tmp_path)


def nameless_message(n: int, wa_id: str) -> tuple[int, dict[str, Any]]:
    """A customer whose WhatsApp profile has no name: the number stands for them."""
    return (
        n,
        {
            "kind": "message",
            "phone_number_id": PNID,
            "contacts": [{"wa_id": wa_id}],
            "data": {
                "from": wa_id,
                "id": f"wamid.N{n}",
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": "Bom dia"},
            },
        },
    )


def test_a_nameless_customer_is_shown_by_a_grouped_number(desk: OfflineDesk, qtbot: QtBot) -> None:
    window = desk.window
    with qtbot.waitSignal(window.notified, timeout=5_000) as notified:
        desk.receive([nameless_message(1, WA_ID)])
    assert notified.args[1] == SHOWN  # the notification's title
    conversation_id = desk.conversation_for(WA_ID)
    qtbot.waitUntil(lambda: window.list_model.row_of(conversation_id) == 0)
    assert window.list_model.index(0).data(Qt.ItemDataRole.DisplayRole) == SHOWN

    window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: window.current == conversation_id)
    assert window.header.title.text() == SHOWN
    assert SHOWN in window.header.subtitle.text()
    assert SHOWN in window.contact_card.text()
    assert "+" + WA_ID not in window.contact_card.text()


def test_the_jump_dialog_finds_a_customer_by_a_number_typed_with_punctuation(
    desk: OfflineDesk, qtbot: QtBot
) -> None:
    desk.receive([nameless_message(1, "558197778888")])  # WhatsApp's form, no ninth digit
    conversation_id = desk.conversation_for("558197778888")
    desk.window.open_jump()
    dialog = desk.window.jump_dialog
    dialog.box.setText("+55 (81) 99777-8888")
    qtbot.waitUntil(lambda: dialog.results.count() > 0)
    first = dialog.results.item(0)
    assert first.text() == "+55 81 9777-8888"
    assert first.data(Qt.ItemDataRole.UserRole) == conversation_id
