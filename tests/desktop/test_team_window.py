"""Team work in the real window (relay and Meta simulator on loopback), driven as an attendant.

Assigning from the colleagues the relay knows (online ones marked), labels
from the team's palette, counts and empty views, marks of one's own (unread,
pin), snoozing, "Pendente", activity lines, and a header that offers nothing
while no conversation is open.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qtsupport import Desk, close_desk, open_desk

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.ui.models.conversations import Role as ListRole
from crm_whatsapp.ui.models.thread import Role as ThreadRole
from crm_whatsapp.workspace import enroll

ALICE = "5511988880001"
BETO = "5511988880002"


def activity_lines(desk: Desk) -> list[str]:
    model = desk.window.thread_model
    rows = [model.index(i).data(ThreadRole.Row) for i in range(model.rowCount())]
    return [r["label"] for r in rows if r and r["kind"] == "activity"]


def list_rows(desk: Desk) -> list[dict[str, Any]]:
    model = desk.window.list_model
    return [model.index(i).data(ListRole.Row) for i in range(model.rowCount())]


def open_customer(qtbot: QtBot, desk: Desk, wa_id: str) -> int:
    qtbot.waitUntil(lambda: desk.conversation_for(wa_id) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(wa_id)
    assert conversation_id is not None
    # Clicked in the list as it shows (a conversation missing from the view would
    # switch the list to every status).
    qtbot.waitUntil(lambda: desk.window.list_model.row_of(conversation_id) >= 0, timeout=10_000)
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    return conversation_id


def menu_texts(menu: Any) -> list[str]:
    """The entries of ``menu`` as the attendant sees them when opening it."""
    menu.aboutToShow.emit()
    return [a.iconText() for a in menu.actions() if not a.isSeparator()]


def entry(menu: Any, text: str) -> Any:
    """The entry of ``menu`` reading ``text`` (the menu opened first)."""
    menu.aboutToShow.emit()
    return next(a for a in menu.actions() if a.iconText() == text)


def settle(qtbot: QtBot, desk: Desk) -> None:
    """Until the counts on screen are read after everything the session named so far."""
    with qtbot.waitSignal(desk.window.team.shown, timeout=10_000):
        desk.window.team.refresh()


def test_transfer_to_a_colleague_the_relay_knows_with_who_is_online(
    office: DemoStack, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    window = desk.window
    enroll(office.relay_url, office.new_code("Carla"), "Carla")  # enrolled, never connected
    bruno = open_desk(qtbot, office, tmp_path, "Bruno")
    try:
        office.say(ALICE, text="Quero falar com alguém do financeiro", name="Alice")
        conversation = open_customer(qtbot, desk, ALICE)
        # The attendant opens the menu: the relay is asked who is online.
        qtbot.waitUntil(
            lambda: "Bruno — online" in menu_texts(window.header.assign_menu), timeout=10_000
        )
        texts = menu_texts(window.header.assign_menu)
        assert texts[:2] == ["Atribuir a mim", "Remover atribuição"]
        assert "Carla" in texts  # known, offline: no "online"
        assert not any("…" in t for t in texts)  # no free-text box
        assert "Ana" not in texts and "Ana — online" not in texts  # not herself
        entry(window.header.assign_menu, "Bruno — online").trigger()
        other = open_customer(qtbot, bruno, ALICE)
        qtbot.waitUntil(lambda: "com Bruno" in bruno.window.header.subtitle.text(), timeout=10_000)
        for who in (desk, bruno):
            qtbot.waitUntil(
                lambda w=who: any(
                    line.startswith("Ana atribuiu a Bruno · ") for line in activity_lines(w)
                ),
                timeout=10_000,
            )
        # Bruno gives it back to Ana: "transferiu", on both desks, once each.
        bruno.window.header.transfer.emit("Ana")
        qtbot.waitUntil(
            lambda: any(x.startswith("Bruno transferiu para Ana · ") for x in activity_lines(desk)),
            timeout=10_000,
        )
        assert len(activity_lines(desk)) == 2
        assert bruno.session.history.conversations(1, ids=[other])[0]["assignee"] == "Ana"
        assert conversation == desk.window.current
    finally:
        close_desk(qtbot, bruno)
    # Bruno's window closed: he shows offline at once.
    qtbot.waitUntil(lambda: "Bruno" in menu_texts(window.header.assign_menu), timeout=10_000)


def test_labels_come_from_the_palette_show_as_chips_and_filter_the_list(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    office.say(ALICE, text="Oi", name="Alice")
    office.say(BETO, text="Boa tarde", name="Beto")
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 2, timeout=10_000)
    open_customer(qtbot, desk, ALICE)
    window.header.manage_labels.emit()
    dialog = window.team_actions.palette_dialog
    assert dialog is not None
    assert dialog.add("VIP", "#E26A6A") and dialog.add("Retorno")
    assert not dialog.add("vip")  # the same name, another case
    assert dialog.problem.text() == "Já existe uma etiqueta com esse nome."
    dialog.accept()
    qtbot.waitUntil(lambda: "VIP" in menu_texts(window.header.labels_menu), timeout=10_000)
    assert menu_texts(window.header.labels_menu)[-1] == "Gerenciar etiquetas…"
    vip = entry(window.header.labels_menu, "VIP")
    assert vip.isCheckable() and not vip.isChecked()
    vip.trigger()
    qtbot.waitUntil(lambda: "VIP" in window.header.chips.text(), timeout=10_000)
    assert "#e26a6a" in window.header.chips.text().lower()  # in the palette's colour
    qtbot.waitUntil(
        lambda: any(x.startswith("Ana adicionou a etiqueta VIP") for x in activity_lines(desk)),
        timeout=10_000,
    )
    # The filter: VIP shows Alice alone; Retorno shows nobody, and says so.
    combo = window.team.label_filter
    qtbot.waitUntil(lambda: combo.findData("Retorno") >= 0, timeout=10_000)
    combo.setCurrentIndex(combo.findData("VIP"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: [r["wa_id"] for r in list_rows(desk)] == [ALICE], timeout=10_000)
    combo.setCurrentIndex(combo.findData("Retorno"))
    combo.activated.emit(combo.currentIndex())
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 0, timeout=10_000)
    assert window.team.empty.isVisible()
    assert window.team.empty.text() == "Nenhuma conversa com a etiqueta Retorno."
    # Renaming a label renames it on the conversation, for the whole team.
    window.header.manage_labels.emit()
    dialog = window.team_actions.palette_dialog
    dialog.list.setCurrentRow(0)
    assert dialog.rename("Cliente VIP")
    dialog.colour_menu.actions()[1].trigger()  # recoloured
    dialog.list.setCurrentRow(1)
    dialog.delete()  # "Retorno" goes
    assert dialog.result_palette() == (
        [{"name": "Cliente VIP", "color": "#53BDEB"}],
        {"VIP": "Cliente VIP"},
    )
    dialog.accept()
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    qtbot.waitUntil(
        lambda: (
            desk.session.history.conversations(1, ids=[window.current])[0]["labels"]
            == ["Cliente VIP"]
        ),
        timeout=10_000,
    )
    # The renamed label and its new colour arrive by two reads (the row, then the palette
    # off the window's thread): both end on screen.
    qtbot.waitUntil(
        lambda: (
            "Cliente VIP" in window.header.chips.text()
            and "#53bdeb" in window.header.chips.text().lower()
        ),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: combo.findData("Retorno") < 0, timeout=10_000)


def test_tabs_count_their_conversations_and_an_empty_view_says_why(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    office.say(ALICE, text="Oi", name="Alice")
    office.say(BETO, text="Olá", name="Beto")
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 2, timeout=10_000)
    settle(qtbot, desk)
    tabs = [window.view_tabs.tabText(i) for i in range(4)]
    assert tabs == ["Minhas", "Sem responsável (2)", "Todas (2)", "Não lidas (2)"]
    assert window.status_filter.itemText(0) == "Abertas (2)"
    window.view_tabs.setCurrentIndex(0)  # Minhas
    assert window.list_model.rowCount() == 0
    assert window.team.empty.isVisible()
    assert window.team.empty.text() == "Nenhuma conversa atribuída a você."
    window.view_tabs.setCurrentIndex(2)
    open_customer(qtbot, desk, ALICE)
    window.header.assign_to_me.emit()
    qtbot.waitUntil(lambda: window.view_tabs.tabText(0) == "Minhas (1)", timeout=10_000)
    qtbot.waitUntil(lambda: window.view_tabs.tabText(3) == "Não lidas (1)", timeout=10_000)
    window.view_tabs.setCurrentIndex(0)
    assert not window.team.empty.isVisible()
    assert [r["wa_id"] for r in list_rows(desk)] == [ALICE]


def test_pending_leaves_open_for_its_own_view_with_its_status_shown(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    office.say(ALICE, text="Vou pegar o comprovante e já volto", name="Alice")
    conversation = open_customer(qtbot, desk, ALICE)
    assert "Aberta" in window.header.chips.text()
    window.header.pending_button.click()
    qtbot.waitUntil(lambda: window.current is None, timeout=10_000)  # it left "Abertas"
    assert window.list_model.row_of(conversation) < 0
    assert "espera em Pendentes" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.status_filter.itemText(1) == "Pendentes (1)", timeout=10_000)
    window.status_filter.setCurrentIndex(1)
    rows = list_rows(desk)
    assert [(r["id"], r["status"]) for r in rows] == [(conversation, "pending")]
    open_customer(qtbot, desk, ALICE)
    assert "Pendente" in window.header.chips.text()
    assert not window.header.pending_button.isEnabled()
    assert any(x.startswith("Ana marcou como pendente · ") for x in activity_lines(desk))


def test_mark_unread_pin_and_snooze_as_whatsapp_does(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    office.say(ALICE, text="Primeiro", name="Alice")
    office.say(BETO, text="Segundo", name="Beto")
    qtbot.waitUntil(lambda: window.list_model.rowCount() == 2, timeout=10_000)
    alice = open_customer(qtbot, desk, ALICE)
    qtbot.waitUntil(lambda: list_rows(desk)[1]["unread"] == 0, timeout=10_000)  # read now

    # Marcar como não lida: the thread closes, the dot comes back, opening clears it.
    entry(window.header.more_menu, "Marcar como não lida").trigger()
    qtbot.waitUntil(lambda: window.current is None, timeout=10_000)
    qtbot.waitUntil(
        lambda: window.list_model.index(window.list_model.row_of(alice)).data(ListRole.Row)[
            "marked_unread"
        ],
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: window.view_tabs.tabText(3) == "Não lidas (2)", timeout=10_000)
    open_customer(qtbot, desk, ALICE)
    qtbot.waitUntil(lambda: window.view_tabs.tabText(3) == "Não lidas (1)", timeout=10_000)

    # Fixar: Alice (the older) goes first, with a pin; a fourth pin is refused.
    assert list_rows(desk)[0]["wa_id"] == BETO
    entry(window.header.more_menu, "Fixar conversa").trigger()
    qtbot.waitUntil(lambda: list_rows(desk)[0]["wa_id"] == ALICE, timeout=10_000)
    assert list_rows(desk)[0]["pinned"]
    qtbot.waitUntil(
        lambda: "Desafixar conversa" in menu_texts(window.header.more_menu), timeout=10_000
    )

    # Right-click on Beto in the list, as on WhatsApp: pin him too, from the list.
    beto_row = window.list_model.row_of(desk.conversation_for(BETO) or -1)
    rect = window.list_view.visualRect(window.list_model.index(beto_row))
    menu = window.team.menu_at(rect.center())  # what the right-click pops up
    assert menu is not None and menu_texts(menu) == ["Marcar como não lida", "Fixar conversa"]
    menu.actions()[1].trigger()
    qtbot.waitUntil(lambda: all(r["pinned"] for r in list_rows(desk)), timeout=10_000)

    # Adiar 1 hora: it leaves "Abertas" and waits in "Adiadas" with its time.
    snooze = entry(window.header.more_menu, "Adiar").menu()
    assert menu_texts(snooze) == [
        "1 hora",
        "Amanhã, 9h",
        "Próxima segunda, 9h",
        "Escolher data e hora…",
    ]
    snooze.actions()[0].trigger()  # "1 hora"
    qtbot.waitUntil(lambda: window.current is None, timeout=10_000)
    assert window.list_model.row_of(alice) < 0
    assert "volta para Abertas em" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.status_filter.itemText(2) == "Adiadas (1)", timeout=10_000)
    # The customer writes: it is back at once.
    office.say(ALICE, text="Alguém aí?", name="Alice")
    qtbot.waitUntil(lambda: window.list_model.row_of(alice) >= 0, timeout=10_000)

    # Snoozed for two seconds: it comes back by itself, with nobody touching anything.
    open_customer(qtbot, desk, ALICE)
    window.team_actions.snooze(time.time() + 2)
    qtbot.waitUntil(lambda: window.list_model.row_of(alice) < 0, timeout=10_000)
    qtbot.waitUntil(lambda: window.list_model.row_of(alice) >= 0, timeout=10_000)
    lines = activity_lines(desk) if window.current == alice else []
    assert all("adiou" in x or "Ana" in x for x in lines)


def test_the_header_offers_nothing_while_no_conversation_is_open(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    header = desk.window.header
    assert desk.window.current is None
    assert not any(b.isEnabled() for b in header.buttons)
    assert header.title.text() == "Nenhuma conversa aberta"
    office.say(ALICE, text="Oi", name="Alice")
    open_customer(qtbot, desk, ALICE)
    assert all(b.isEnabled() for b in header.buttons if b is not header.crm_button)
    header.resolve_button.click()  # resolved: it leaves "Abertas" and the thread closes
    qtbot.waitUntil(lambda: desk.window.current is None, timeout=10_000)
    assert not any(b.isEnabled() for b in header.buttons)
    QApplication.processEvents()
