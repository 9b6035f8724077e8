"""A search hit at the very start of a long chat: the thread opens right around it, as in WhatsApp.

Against the real relay and Meta simulator on loopback (``office``, ``desk``);
the chat's thousands of older messages go into the desktop's history through
``History.apply``, as the sync client files them (as tests/benchmarks/ui.py
builds its big conversation), and the newest ones come through the relay.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.ui.models.conversations import Role as ListRole
from crm_whatsapp.ui.models.thread import PAGE
from tests.desktop.sqlpeek import rows

if TYPE_CHECKING:
    from crm_whatsapp.demo import DemoStack

FERNANDA = "5511977776666"
COUNT = 3000  # 150 pages: reaching the first by paging back would read every one of them
FIRST_TEXT = "Quero um orçamento para a cozinha planejada"


def old_message(pnid: str, k: int, ts: float) -> dict[str, Any]:
    return {
        "kind": "message",
        "phone_number_id": pnid,
        "contacts": [{"profile": {"name": "Fernanda Lima"}, "wa_id": FERNANDA}],
        "data": {
            "from": FERNANDA,
            "id": f"wamid.OLD{k}",
            "timestamp": str(int(ts)),
            "type": "text",
            "text": {"body": FIRST_TEXT if k == 0 else f"mensagem {k}"},
        },
    }


def loaded_ids(desk: Desk) -> list[int]:
    """The history rows the thread holds now (messages and activity lines), top to bottom."""
    model = desk.window.thread_model
    items = [model.item(row) for row in range(model.rowCount())]
    return [int(i["id"]) for i in items if i is not None and i["kind"] != "day"]


def stored_ids(desk: Desk, conversation_id: int) -> list[int]:
    return [
        int(r[0])
        for r in rows(
            desk.session.history,
            "SELECT id FROM all_messages WHERE conversation_id = ? AND type != 'reaction' "
            "ORDER BY id",
            (conversation_id,),
        )
    ]


def is_on_screen(desk: Desk, message_id: int) -> bool:
    QApplication.processEvents()
    view, model = desk.window.thread_view, desk.window.thread_model
    row = model.row_of(message_id)
    return row >= 0 and view.viewport().rect().intersects(view.visualRect(model.index(row)))


def list_preview(desk: Desk, conversation_id: int) -> str:
    model = desk.window.list_model
    row = model.row_of(conversation_id)
    return str(model.data(model.index(row), ListRole.Row)["preview"] or "") if row >= 0 else ""


def fill_history(qtbot: QtBot, office: DemoStack, desk: Desk, count: int) -> tuple[int, list[int]]:
    """``count`` old messages of Fernanda's and one of today's; her conversation and its ids."""
    history = desk.session.history
    office.sim.customer(FERNANDA).name = "Fernanda Lima"
    start = time.time() - 90 * 86400
    spacing = 60 * 86400 / count  # two months of chat, a few day separators per page
    pnid = office.sim.phone_number_id
    for first in range(0, count, 1000):
        # Stream position 0: the sync cursor stays where the relay's stream left it.
        history.apply(
            [
                (0, old_message(pnid, k, start + k * spacing))
                for k in range(first, min(count, first + 1000))
            ]
        )
    office.say(FERNANDA, text="Bom dia, alguma novidade?")  # today, through the relay
    qtbot.waitUntil(lambda: desk.conversation_for(FERNANDA) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(FERNANDA)
    assert conversation_id is not None
    qtbot.waitUntil(lambda: "novidade" in list_preview(desk, conversation_id), timeout=10_000)
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    stored = stored_ids(desk, conversation_id)
    assert len(stored) == count + 1
    return conversation_id, stored


def jump_by_search(qtbot: QtBot, desk: Desk, word: str, message_id: int) -> float:
    """Search ``word`` and pick its one hit, as the attendant does; milliseconds to arrive."""
    window = desk.window
    if window.search_box.text() != word:  # the results stay for the next pick
        with qtbot.waitSignal(window.search.searched, timeout=10_000):
            window.search_box.setText(word)
    results = window.search_results
    assert [h.message_id for h in results.hits] == [message_id]
    point = results.list.visualItemRect(results.list.item(0)).center()
    started = time.perf_counter()
    with qtbot.waitSignal(window.message_jump.arrived, timeout=10_000) as arrived:
        qtbot.mouseClick(results.list.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert arrived.args == [message_id]
    return (time.perf_counter() - started) * 1000


def customer_writes_while_reading_back(
    qtbot: QtBot, office: DemoStack, desk: Desk, conversation_id: int
) -> int:
    """Fernanda writes now: the list says so, the thread does not move; the new message's id."""
    wamid = office.say(FERNANDA, text="Conseguiu ver o orçamento?")
    qtbot.waitUntil(lambda: "Conseguiu" in list_preview(desk, conversation_id), timeout=10_000)
    found = desk.session.history.message_by_wamid(wamid)
    assert found is not None
    assert desk.window.thread_model.row_of(int(found["id"])) < 0  # it waits below
    return int(found["id"])


def test_a_hit_on_the_first_of_thousands_of_messages_opens_the_thread_right_around_it(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    conversation_id, stored = fill_history(qtbot, office, desk, COUNT)
    elapsed_ms = jump_by_search(qtbot, desk, "planejada", stored[0])
    print(f"jump to the first of {COUNT + 1:,} messages: {elapsed_ms:.0f} ms")
    # On screen and flashed, with only its neighbours read: not the 150 pages in between.
    assert is_on_screen(desk, stored[0])
    assert window.message_jump.flash.isVisible()
    shown = loaded_ids(desk)
    assert shown[0] == stored[0] and not window.thread_model.has_older
    assert len(shown) <= 3 * PAGE and window.thread_model.has_newer
    assert shown == stored[: len(shown)]

    # A customer writes while the attendant reads two months back: the list says so, the
    # thread does not jump, and the message waits below.
    arrived_id = customer_writes_while_reading_back(qtbot, office, desk, conversation_id)
    assert is_on_screen(desk, stored[0])  # the place being read stays put

    # Scrolling down reads newer pages until the newest: every message once, in order.
    bar = window.thread_view.verticalScrollBar()
    seen = loaded_ids(desk)
    for _ in range(2 * COUNT // PAGE):
        if not window.thread_model.has_newer:
            break
        bar.setValue(bar.maximum())
        QApplication.processEvents()
        now = loaded_ids(desk)
        assert now == sorted(set(now))  # no duplicate, no disorder in the window
        assert now[0] <= seen[-1]  # overlaps what was seen: nothing skipped
        seen += [i for i in now if i > seen[-1]]
    assert not window.thread_model.has_newer
    assert seen == [*stored, arrived_id]  # no gap, no duplicate, the arrival at the end
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: is_on_screen(desk, arrived_id), timeout=5_000)


def test_the_latest_button_brings_a_thread_read_far_back_to_its_newest_message(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    conversation_id, stored = fill_history(qtbot, office, desk, 10 * PAGE)
    button = window.latest_button
    qtbot.waitUntil(lambda: not button.isVisible())  # at the newest message: nothing to offer
    jump_by_search(qtbot, desk, "planejada", stored[0])
    qtbot.waitUntil(button.isVisible)
    assert button.toolTip() == "Ir para a mensagem mais recente"
    arrived_id = customer_writes_while_reading_back(qtbot, office, desk, conversation_id)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: is_on_screen(desk, arrived_id), timeout=5_000)
    assert loaded_ids(desk)[-2:] == [stored[-1], arrived_id]
    qtbot.waitUntil(lambda: not button.isVisible())

    # Writing while reading far back brings the thread down to what was written, as in WhatsApp.
    jump_by_search(qtbot, desk, "planejada", stored[0])
    edit = window.composer.edit
    edit.setFocus()
    qtbot.keyClicks(edit, "Vi sim, segue a proposta")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    model = window.thread_model

    def last_text() -> str:
        item = model.item(model.rowCount() - 1)
        return str(item["text"]) if item else ""

    qtbot.waitUntil(lambda: last_text() == "Vi sim, segue a proposta", timeout=5_000)
    sent = model.item(model.rowCount() - 1)
    assert sent is not None
    qtbot.waitUntil(lambda: is_on_screen(desk, int(sent["id"])), timeout=5_000)
    assert loaded_ids(desk)[-3:] == [stored[-1], arrived_id, int(sent["id"])]
