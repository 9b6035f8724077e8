"""The CRM plugins in the real window: the card beside the chat, a lead from the header, isolation.

The plugin is the example package of docs/plugins.md, installed into a folder
put on ``sys.path`` and found through its entry point. A hanging CRM is
the same plugin reading a FIFO nobody writes: its thread blocks for real.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.crm.config import PluginConfig
from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.demo import DemoStack
from crm_whatsapp.plugin_api import Card, Created, Customer, Plugin

ANA = "5511987654321"


@pytest.fixture
def hello(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(example_site))


def enable_hello(qtbot: QtBot, desk: Desk, file: Path, timeout: float | None = None) -> None:
    config = PluginConfig.load(desk.workspace.profile.root)
    config.set_enabled("hello", True)
    config.values["hello"] = {"file": str(file)}
    config.save()
    if timeout is not None:
        desk.window.crm.timeout = timeout
    with qtbot.waitSignal(desk.window.crm.loaded, timeout=10_000):
        desk.window.crm.reload()


def crm_file(tmp_path: Path) -> Path:
    path = tmp_path / "clientes.json"
    customers = [
        {"id": 1, "name": "Outra Ana", "phone": "(21) 98765-4321", "company": "Decoy"},
        {"id": 2, "name": "<b>Ana</b> Paula", "phone": "(11) 8765-4321", "company": "Malhas"},
    ]
    path.write_text(json.dumps({"customers": customers}), encoding="utf-8")
    return path


def open_customer(qtbot: QtBot, office: DemoStack, desk: Desk, text: str) -> int:
    office.say(ANA, text=text)
    qtbot.waitUntil(lambda: desk.conversation_for(ANA) is not None, timeout=15_000)
    conversation_id = desk.conversation_for(ANA)
    assert conversation_id is not None
    qtbot.waitUntil(lambda: desk.window.list_model.row_of(conversation_id) >= 0, timeout=15_000)
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    return conversation_id


def test_the_card_shows_beside_the_chat_and_a_lead_becomes_a_private_note(
    qtbot: QtBot, office: DemoStack, desk: Desk, hello: None, tmp_path: Path
) -> None:
    path = crm_file(tmp_path)
    enable_hello(qtbot, desk, path)
    assert desk.window.header.crm_button.isVisibleTo(desk.window)
    with qtbot.waitSignal(desk.window.crm.cards_shown, timeout=15_000):
        open_customer(qtbot, office, desk, "Oi, quero um orçamento")
    card = desk.window.crm.cards["hello"]
    assert card.heading.text() == "Hello CRM"
    # The CRM's data is plain text: a name holding markup shows its brackets.
    assert card.body.text().splitlines()[:2] == ["<b>Ana</b> Paula", "Empresa: Malhas"]
    assert "Decoy" not in card.body.text()
    assert not card.open_button.isVisibleTo(card)  # the toy CRM has no web address

    accepted = len(office.sim.accepted)
    desk.window.crm.create_lead()
    dialog = desk.window.crm.dialog
    assert dialog is not None and dialog.textValue().startswith("WhatsApp: ")
    dialog.setTextValue("Orçamento de camisetas")
    with qtbot.waitSignal(desk.window.crm.action_done, timeout=15_000):
        dialog.accept()
    qtbot.waitUntil(
        lambda: any(
            r["direction"] == "note" and r["text"] == "Lead criado no Hello CRM"
            for r in desk.session.history.messages(desk.window.current or 0)
        ),
        timeout=15_000,
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["leads"] == [{"title": "Orçamento de camisetas", "customer": "2"}]
    assert len(office.sim.accepted) == accepted  # nothing went to the customer


def test_a_hanging_crm_shows_its_sentence_in_its_card_and_never_holds_the_window(
    qtbot: QtBot, office: DemoStack, desk: Desk, hello: None, tmp_path: Path
) -> None:
    fifo = tmp_path / "trava.json"
    os.mkfifo(fifo)  # opening it for reading blocks until someone writes: a hung CRM
    enable_hello(qtbot, desk, fifo, timeout=1.0)
    stalls: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        stalls.append(now - last[0])
        last[0] = now

    from PySide6.QtCore import QTimer

    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(tick)
    ticker.start()
    try:
        started = time.perf_counter()
        open_customer(qtbot, office, desk, "Oi, tudo bem?")
        card = desk.window.crm.cards["hello"]
        assert card.body.text() == "Consultando…"
        assert desk.window.thread_model.rowCount() >= 1  # the thread did not wait for the CRM
        qtbot.waitUntil(lambda: card.body.text() != "Consultando…", timeout=10_000)
        assert card.body.text() == "O plugin Hello CRM não respondeu em 1 s."
        assert time.perf_counter() - started < 8
    finally:
        ticker.stop()
        release(fifo)
    assert max(stalls) < 0.25, f"the window's loop stalled {max(stalls) * 1000:.0f} ms"


def release(fifo: Path) -> None:
    """Let the stuck plugin thread go: write to the FIFO it is waiting on."""

    def write() -> None:
        with open(fifo, "w", encoding="utf-8") as out:
            out.write("{}")

    threading.Thread(target=write, daemon=True).start()


def test_a_plugin_is_turned_on_and_configured_from_the_settings_crm_tab(
    qtbot: QtBot, office: DemoStack, desk: Desk, hello: None, tmp_path: Path
) -> None:
    path = crm_file(tmp_path)
    assert not desk.window.header.crm_button.isVisibleTo(desk.window)
    desk.window.open_settings()
    dialog: Any = desk.window.settings.dialog
    page = dialog.plugins_page
    group = page.groups["hello"]
    assert group.title() == "Hello CRM" and not group.isChecked()
    group.setChecked(True)
    page.fields["hello"]["file"].setText(str(path))
    page.log_checks["hello"].setChecked(True)
    dialog.accept()
    qtbot.waitUntil(lambda: desk.window.header.crm_button.isVisibleTo(desk.window))
    config = PluginConfig.load(desk.workspace.profile.root)
    assert config.enabled == {"hello"} and config.log_on_resolve == {"hello"}
    assert config.values["hello"] == {"file": str(path)}

    with qtbot.waitSignal(desk.window.crm.cards_shown, timeout=15_000):
        open_customer(qtbot, office, desk, "Oi")
    assert desk.window.crm.cards["hello"].body.text().startswith("<b>Ana</b> Paula")

    # Resolving logs the conversation on the record, as the tab asked.
    desk.window.header.status_chosen.emit("resolved")
    qtbot.waitUntil(lambda: "notes" in json.loads(path.read_text(encoding="utf-8")), timeout=15_000)
    (note,) = json.loads(path.read_text(encoding="utf-8"))["notes"]
    assert note["customer"] == "2" and note["text"].endswith(": Oi")


def test_plugins_hear_a_conversation_start_a_message_sent_and_a_resolve(
    qtbot: QtBot, office: DemoStack, desk: Desk, hello: None, tmp_path: Path
) -> None:
    path = crm_file(tmp_path)
    enable_hello(qtbot, desk, path)

    def events() -> list[dict[str, str]]:
        return list(json.loads(path.read_text(encoding="utf-8")).get("events", []))

    open_customer(qtbot, office, desk, "Oi, primeira vez aqui")
    qtbot.waitUntil(lambda: len(events()) == 1, timeout=15_000)
    office.say(ANA, text="e mais uma coisa")  # the same conversation: no second start
    desk.window.send_text("Olá! Como posso ajudar?", None)
    desk.window.header.status_chosen.emit("resolved")
    qtbot.waitUntil(lambda: len(events()) == 3, timeout=15_000)
    assert events() == [
        {"kind": "conversation_started", "phone": ANA},
        {"kind": "message_sent", "phone": ANA},
        {"kind": "conversation_resolved", "phone": ANA},
    ]


class Drawn(Plugin):
    """A plugin drawing its own widget under the card (a score, say)."""

    name = "drawn"
    title = "CRM Desenhado"

    async def lookup(self, customer: Customer) -> Card | None:
        return Card(record_id="1", name="Ana", fields={"Pontos": "<i>42</i>"})

    @classmethod
    def card_widget(cls, card: Card, parent: Any) -> Any:
        label = QLabel(parent)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setText(f"Pontuação: {card.fields['Pontos']}")
        return label


class DrawsBadly(Drawn):
    name = "badly"
    title = "CRM Torto"

    @classmethod
    def card_widget(cls, card: Card, parent: Any) -> Any:
        raise ValueError("bug in the plugin's widget")


def test_a_plugin_may_draw_its_own_widget_and_a_failing_one_leaves_the_card(
    qtbot: QtBot, office: DemoStack, desk: Desk
) -> None:
    desk.window.crm.use(PluginHost([Enabled(Drawn, {}), Enabled(DrawsBadly, {})]))
    with qtbot.waitSignal(desk.window.crm.cards_shown, timeout=15_000):
        open_customer(qtbot, office, desk, "Oi")
    drawn, badly = desk.window.crm.cards["drawn"], desk.window.crm.cards["badly"]
    assert drawn.custom is not None and drawn.custom.text() == "Pontuação: <i>42</i>"
    assert badly.custom is None and badly.body.text().startswith("Ana")


class Creates(Plugin):
    """A CRM that knows nobody yet and can add the customer."""

    name = "creates"
    title = "CRM Novo"
    made: ClassVar[list[Customer]] = []

    async def lookup(self, customer: Customer) -> Card | None:
        if self.made:
            return Card(record_id="9", name=self.made[-1].name, url="https://crm.example/c/9")
        return None

    async def create_contact(self, customer: Customer) -> Created:
        type(self).made.append(customer)
        return Created("contact", "9", "https://crm.example/c/9")


class Hostile(Plugin):
    name = "hostile"
    title = "CRM Hostil"

    async def lookup(self, customer: Customer) -> Card | None:
        return Card(record_id="1", name="<img src=x onerror=alert(1)>", url="javascript:alert(1)")


def note_texts(desk: Desk) -> list[str]:
    return [
        str(r["text"])
        for r in desk.session.history.messages(desk.window.current or 0)
        if r["direction"] == "note"
    ]


def test_criar_contato_adds_the_customer_and_the_card_then_opens_their_record(
    qtbot: QtBot, office: DemoStack, desk: Desk
) -> None:
    Creates.made = []
    desk.window.crm.use(PluginHost([Enabled(Creates, {}), Enabled(Hostile, {})]))
    with qtbot.waitSignal(desk.window.crm.cards_shown, timeout=15_000):
        open_customer(qtbot, office, desk, "Oi")
    card = desk.window.crm.cards["creates"]
    assert card.body.text() == "Nenhum cadastro com este número."
    assert card.create_button.isVisibleTo(card)
    # A hostile CRM's card: its markup shown as text, its javascript: link never offered.
    hostile = desk.window.crm.cards["hostile"]
    assert hostile.body.text() == "<img src=x onerror=alert(1)>"
    assert not hostile.open_button.isVisibleTo(hostile)

    with qtbot.waitSignal(desk.window.crm.action_done, timeout=15_000):
        card.create_button.click()
    assert [c.phone for c in Creates.made] == [ANA]
    qtbot.waitUntil(
        lambda: "Contato criado no CRM Novo: https://crm.example/c/9" in note_texts(desk),
        timeout=15_000,
    )

    def record_offered() -> bool:
        shown = desk.window.crm.cards.get("creates")  # the card is redrawn after the action
        return shown is not None and shown.open_button.isVisibleTo(shown)

    qtbot.waitUntil(record_offered, timeout=15_000)


def test_registrar_a_conversa_from_the_crm_menu_logs_it_on_the_record(
    qtbot: QtBot, office: DemoStack, desk: Desk, hello: None, tmp_path: Path
) -> None:
    path = crm_file(tmp_path)
    enable_hello(qtbot, desk, path)
    with qtbot.waitSignal(desk.window.crm.cards_shown, timeout=15_000):
        open_customer(qtbot, office, desk, "Quero registrar isto")
    assert desk.window.crm.log_action.isEnabled()
    with qtbot.waitSignal(desk.window.crm.action_done, timeout=15_000):
        desk.window.crm.log_action.trigger()
    (note,) = json.loads(path.read_text(encoding="utf-8"))["notes"]
    assert note["customer"] == "2" and note["text"].endswith(": Quero registrar isto")
    qtbot.waitUntil(lambda: "Conversa registrada no Hello CRM" in note_texts(desk), timeout=15_000)
