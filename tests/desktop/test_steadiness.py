"""Steadiness of the window: columns that stay put, the lost relay said loud, search in context.

Against the real relay and Meta simulator on loopback (``office``, ``desk``).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QSplitter
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.crm.host import CardResult
from crm_whatsapp.plugin_api import Card
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.models.thread import PAGE
from crm_whatsapp.ui.widgets.crm_card import CrmCard
from relay.server import uvicorn_config
from relay.serving import BackgroundServer

if TYPE_CHECKING:
    from crm_whatsapp.demo import DemoStack

FERNANDA = "5511977776666"
OTHER = "5521988885555"


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    """Whatever a test switched to, the next test starts in Portuguese again."""
    yield
    i18n.install(qapp, "pt_BR")


def open_customer(qtbot: QtBot, desk: Desk, wa_id: str) -> int:
    qtbot.waitUntil(lambda: desk.conversation_for(wa_id) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(wa_id)
    assert conversation_id is not None
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    return conversation_id


def splitter_sizes(desk: Desk) -> list[int]:
    QApplication.processEvents()
    splitter = desk.window.findChild(QSplitter)
    assert splitter is not None
    return splitter.sizes()


def header_texts(desk: Desk) -> str:
    """Everything the thread's header says (name, subtitle, chips)."""
    return " ".join(label.text() for label in desk.window.header.findChildren(QLabel))


def card_is_whole(label: QLabel) -> bool:
    """Every line of the card fits: its width holds each word, its height every line."""
    if label.wordWrap():
        return label.height() >= label.heightForWidth(label.width())
    return label.sizeHint().width() <= label.width()


# -- 1. columns keep their widths --------------------------------------------------------


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_the_columns_keep_their_widths_whatever_the_header_and_card_say(
    office: DemoStack, desk: Desk, qtbot: QtBot, english: None, size: tuple[int, int]
) -> None:
    window = desk.window
    window.apply_preferences(window.preferences)  # the theme, as the app starts with it
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    office.sim.customer(FERNANDA).name = "Fernanda Lima"
    office.say(FERNANDA, text="Oi, tudo bem?")
    long_name = "Maria Aparecida dos Santos Figueiredo de Albuquerque Cavalcanti"
    office.sim.customer(OTHER).name = long_name
    office.say(OTHER, text="Bom dia")
    conversation = open_customer(qtbot, desk, FERNANDA)
    before = splitter_sizes(desk)
    assert all(width > 0 for width in before)

    # Assigning, then a long list of labels: the header and card grow longer texts.
    window.team_actions.team("assign", assignee=desk.session.me)
    qtbot.waitUntil(lambda: desk.name in window.header.subtitle.text(), timeout=10_000)
    assert splitter_sizes(desk) == before
    labels = ["atacado", "retorno-agendado", "cliente-vip-desde-2019", "financiamento"]
    window.team_actions.team("labels", labels=labels)
    qtbot.waitUntil(lambda: "financiamento" in header_texts(desk), timeout=10_000)
    assert splitter_sizes(desk) == before
    assert card_is_whole(window.contact_card)
    assert "Fernanda Lima" in window.contact_card.text()

    # A customer with a very long name: the header elides it (whole in the tooltip).
    open_customer(qtbot, desk, OTHER)
    assert window.header.title.text() == long_name
    assert splitter_sizes(desk) == before
    window.header.title.repaint()
    assert window.header.title.toolTip() == long_name  # elided on screen, whole on hover
    assert card_is_whole(window.contact_card)

    # Switching the language rewrites every text, the columns stay.
    window.select_conversation(conversation)
    qtbot.waitUntil(lambda: window.current == conversation)
    window.apply_preferences(replace(window.preferences, language="en"))
    qtbot.waitUntil(lambda: window.connection_label.text() == "Connected", timeout=5_000)
    qtbot.waitUntil(lambda: "Assigned to:" in window.contact_card.text(), timeout=5_000)
    assert "Responsável" not in window.contact_card.text()
    assert splitter_sizes(desk) == before
    window.apply_preferences(replace(window.preferences, language="pt_BR"))
    qtbot.waitUntil(lambda: window.connection_label.text() == "Conectado", timeout=5_000)
    assert splitter_sizes(desk) == before
    assert card_is_whole(window.contact_card)


# -- 2. losing the relay is a banner ------------------------------------------------------


def test_losing_the_relay_shows_a_banner_that_counts_minutes_retries_and_goes_away(
    office: DemoStack, desk: Desk, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="crm_whatsapp.sync")
    window = desk.window
    banner = window.connection_banner
    assert not banner.isVisible()
    port = office.relay_server.port
    office.relay_server.stop()
    qtbot.waitUntil(banner.isVisible, timeout=15_000)
    assert banner.text.text().startswith("Sem conexão com o servidor")
    assert "reconect" in banner.text.text()
    # The banner sits over the list and the thread, not in the status bar.
    top = banner.mapTo(window, QPoint(0, 0)).y()
    assert top < window.thread_view.mapTo(window, QPoint(0, 0)).y()
    assert top < window.list_view.mapTo(window, QPoint(0, 0)).y()

    # Two minutes later it says so (the clock moved, the minute timer fires).
    lost = banner.since
    assert lost is not None
    banner.clock = lambda: lost + 125
    banner.refresh()
    assert "há 2 min" in banner.text.text()
    assert 0 < banner.minute.remainingTime() <= 60_000  # the next minute is on its way

    # The relay is back while the sync waits several seconds before its next try:
    # "Tentar agora" connects at once instead.
    desk.session.sync.backoff_max = 600.0

    def next_try_in() -> float:
        waits = [float(m) for m in re.findall(r"reconnecting in ([0-9.]+) s", caplog.text)]
        return waits[-1] if waits else 0.0

    qtbot.waitUntil(lambda: next_try_in() >= 6 and banner.retry_button.isEnabled(), timeout=90_000)
    waiting = next_try_in()
    caplog.clear()
    office.relay_server = BackgroundServer(uvicorn_config(office.settings, port=port), "relay")
    office.relay_server.start()
    started = time.monotonic()
    qtbot.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
    assert time.monotonic() - started < waiting - 2  # well before the backoff ran out
    qtbot.waitUntil(lambda: window.connection_label.text() == "Conectado", timeout=10_000)
    assert not banner.minute.isActive()


# -- 3. search results in context, and the jump to the message ------------------------------


def test_search_lists_each_matching_message_in_context_and_jumps_to_it(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    office.sim.customer(FERNANDA).name = "Fernanda Lima"
    base = time.time() - 3 * 3600
    office.say(FERNANDA, text="Segue o <b>boleto</b> do apartamento de março", timestamp=base)
    for n in range(3 * PAGE):  # the match is three pages back in the thread
        office.say(FERNANDA, text=f"mensagem {n}", timestamp=base + 60 + n)
    office.say(FERNANDA, text="O boleto de abril chegou?", timestamp=base + 3600)
    office.say(OTHER, text="Preciso da segunda via do boleto", timestamp=base + 3700)
    qtbot.waitUntil(
        lambda: (
            len(desk.session.history.search("boleto", 10)) == 3
            and len(desk.session.history.search("mensagem", 100)) == 3 * PAGE
        ),
        timeout=30_000,
    )

    results = window.search_results
    assert not results.isVisible()
    with qtbot.waitSignal(window.search.searched, timeout=10_000):
        qtbot.keyClicks(window.search_box, "boleto")
    assert results.isVisible()
    assert results.heading.text() == "Mensagens (3)"
    hits = results.hits
    # Several per conversation, newest first, each with sender and snippet.
    assert [h.title for h in hits].count("Fernanda Lima") == 2
    labels = [results.list.itemWidget(results.list.item(i)) for i in range(results.list.count())]
    first_march = next(i for i, h in enumerate(hits) if "março" in "".join(p for p, _ in h.snippet))
    shown = labels[first_march]
    assert isinstance(shown, QLabel)
    plain = re.sub("<[^>]+>", "", shown.text())
    assert "Fernanda Lima" in plain and "&lt;b&gt;" in plain  # the customer's markup, escaped
    assert "<b>boleto</b>" in shown.text()  # only the match is bold
    assert shown.text().count("<b>") == 2  # the name and the match
    assert "Fernanda Lima:" in plain  # who wrote it

    # Choosing the oldest hit opens Fernanda and brings it into view, pages loaded as needed.
    target = hits[first_march]
    item = results.list.item(first_march)
    results.list.scrollToItem(item)
    point = results.list.visualItemRect(item).center()
    with qtbot.waitSignal(window.message_jump.arrived, timeout=10_000) as arrived:
        qtbot.mouseClick(results.list.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert arrived.args == [target.message_id]
    assert window.current == target.conversation_id
    row = window.thread_model.row_of(target.message_id)
    assert row >= 0
    QApplication.processEvents()
    rect = window.thread_view.visualRect(window.thread_model.index(row))
    assert window.thread_view.viewport().rect().intersects(rect)
    flash = window.message_jump.flash
    assert flash.isVisible() and flash.geometry().intersects(rect)
    # The thread does not run back to the bottom when its height changes (the banner, say).
    height = window.thread_view.viewport().height()
    window.resize(window.width(), window.height() - 80)
    qtbot.waitUntil(lambda: window.thread_view.viewport().height() < height)
    QApplication.processEvents()
    rect = window.thread_view.visualRect(window.thread_model.index(row))
    assert window.thread_view.viewport().rect().intersects(rect)
    qtbot.waitUntil(lambda: not flash.isVisible(), timeout=5_000)  # briefly
    assert window.search_box.text() == "boleto"  # the results stay for the next pick
    assert results.isVisible()

    # A search that finds no message says so; clearing the box hides the section.
    with qtbot.waitSignal(window.search.searched, timeout=10_000):
        window.search_box.setText("fernanda")
    assert results.heading.text() == "Nenhuma mensagem encontrada."
    with qtbot.waitSignal(window.search.searched, timeout=10_000):
        window.search_box.clear()
    assert not results.isVisible()


def test_the_card_and_banner_speak_english_after_switching(
    office: DemoStack, desk: Desk, qtbot: QtBot, english: None
) -> None:
    window = desk.window
    office.say(FERNANDA, text="Oi")
    open_customer(qtbot, desk, FERNANDA)
    window.apply_preferences(replace(window.preferences, language="en"))
    qtbot.waitUntil(lambda: "Assigned to: no one" in window.contact_card.text(), timeout=5_000)
    banner = window.connection_banner
    banner.set_state("offline")
    assert banner.text.text() == "No connection to the server — trying to reconnect…"
    assert banner.retry_button.text() == "Try now"
    banner.set_state("live")
    assert not banner.isVisible()


def test_a_crm_card_redraws_in_english_with_the_bundled_plugins_field_labels(
    qtbot: QtBot, qapp: QApplication, english: None
) -> None:
    card = CrmCard("hubspot", "HubSpot", can_create=False)
    qtbot.addWidget(card)
    found = Card(
        "1",
        name="Fernanda Lima",
        owner="Ana",
        fields={"Cargo": "Gerente", "Fase do ciclo de vida": "Lead", "Sabor": "uva"},
    )
    card.show_result(CardResult("hubspot", "HubSpot", found))
    assert "Responsável: Ana" in card.body.text() and "Cargo: Gerente" in card.body.text()
    i18n.install(qapp, "en")
    qtbot.waitUntil(lambda: "Owner: Ana" in card.body.text())
    body = card.body.text()
    assert "Job title: Gerente" in body and "Lifecycle stage: Lead" in body
    assert "Sabor: uva" in body  # a CRM's own custom field stays as the CRM names it
    assert card.open_button.text() == "Open in the CRM"
