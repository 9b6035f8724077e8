"""What the thread and the list show an attendant: templates, reactions, edits, voice notes.

Driven for real: the relay and the Meta simulator on loopback, customers
writing through the simulator's inbound mechanism (edits and deletions as
Meta sends them for numbers shared with the WhatsApp Business app).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot
from qtsupport import Desk, close_desk, open_desk

from crm_whatsapp.domain.templates import build_template_body
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.delegates.bubble import body_html, edit_note, media_caption, unsupported_text
from crm_whatsapp.ui.models.conversations import Role as ListRole
from crm_whatsapp.ui.models.thread import Role as ThreadRole
from crm_whatsapp.ui.previews import preview_line
from relay.simulator.server import TEMPLATES

if TYPE_CHECKING:
    from crm_whatsapp.demo import DemoStack

CUSTOMER = "5511988887777"


def thread_rows(desk: Desk) -> list[dict[str, Any]]:
    model = desk.window.thread_model
    rows = [model.index(i).data(ThreadRole.Row) for i in range(model.rowCount())]
    return [r for r in rows if r and r["kind"] == "message"]


def list_preview(desk: Desk, conversation: int) -> str:
    model = desk.window.list_model
    row = model.index(model.row_of(conversation)).data(ListRole.Row)
    return preview_line(row) if row else ""


def open_customer(qtbot: QtBot, desk: Desk, wa_id: str) -> int:
    qtbot.waitUntil(lambda: desk.conversation_for(wa_id) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(wa_id)
    assert conversation_id is not None
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    return conversation_id


def shown_text(row: dict[str, Any]) -> str:
    """The bubble's words as plain text (the rich text the delegate lays out)."""
    doc = QTextDocument()
    doc.setHtml(body_html(row))
    return doc.toPlainText()


def test_templates_sent_by_anyone_show_their_filled_text_header_and_buttons(
    office: DemoStack, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    office.say(CUSTOMER, text="Bom dia", timestamp=time.time() - 30 * 3600)
    conversation = open_customer(qtbot, desk, CUSTOMER)
    qtbot.waitUntil(lambda: desk.session.history.reader.templates() != [], timeout=10_000)
    bruno = open_desk(qtbot, office, tmp_path, "Bruno")
    try:
        other = open_customer(qtbot, bruno, CUSTOMER)
        named = build_template_body(TEMPLATES[1], {"nome": "Ana", "data": "12/12", "hora": "15h"})
        bruno.session.send_template(other, named)
        qtbot.waitUntil(lambda: len(thread_rows(desk)) == 2, timeout=15_000)
        colleague = thread_rows(desk)[-1]
        assert shown_text(colleague) == "Bruno\nOi Ana, lembrando da sua visita em 12/12 às 15h."
        qtbot.waitUntil(
            lambda: (
                list_preview(desk, conversation)
                == "Você: Oi Ana, lembrando da sua visita em 12/12 às 15h."
            ),
            timeout=10_000,
        )
        # This desktop's own template, with a photo header and two buttons.
        qtbot.mouseClick(desk.window.composer.template_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: getattr(desk.window, "template_dialog", None) is not None, timeout=10_000
        )
        dialog = desk.window.template_dialog
        dialog.list.setCurrentRow([t["name"] for t in dialog.templates].index("oferta_com_foto"))
        png = tmp_path / "casa.png"
        image = QImage(40, 30, QImage.Format.Format_RGB32)
        image.fill(QColor("#1FA855"))
        assert image.save(str(png))
        dialog.set_media_file(png)
        qtbot.keyClicks(dialog.fields["1"], "Carla")
        qtbot.keyClicks(dialog.button_fields[1], "augusta-500")
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(thread_rows(desk)) == 3, timeout=15_000)
        mine = thread_rows(desk)[-1]
        assert shown_text(mine) == (
            "Olá Carla, separamos este imóvel para você. Quer agendar uma visita?\n"
            "Quero visitar · Ver fotos"
        )
        assert "Modelo" not in shown_text(mine)
        assert media_caption(mine) == ("image", "Foto do cabeçalho")
        qtbot.waitUntil(
            lambda: list_preview(desk, conversation).startswith("Você: Olá Carla, separamos"),
            timeout=15_000,
        )
        # The text is kept with the message once the relay has it: search finds it.
        qtbot.waitUntil(lambda: desk.session.history.search("separamos") != [], timeout=15_000)
    finally:
        close_desk(qtbot, bruno)


def test_a_reaction_shows_under_its_message_and_the_list_says_so(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    office.say(CUSTOMER, text="Pode ser amanhã às 10h?")
    conversation = open_customer(qtbot, desk, CUSTOMER)
    (question,) = thread_rows(desk)
    desk.window.react(question, "👍")
    qtbot.waitUntil(lambda: thread_rows(desk)[0]["reactions"] == ["👍"], timeout=10_000)
    assert len(thread_rows(desk)) == 1  # no empty green bubble
    qtbot.waitUntil(
        lambda: list_preview(desk, conversation) == "Você reagiu 👍 a: Pode ser amanhã às 10h?",
        timeout=10_000,
    )
    qtbot.waitUntil(
        lambda: any(a["body"]["type"] == "reaction" for a in office.sim.accepted), timeout=10_000
    )
    # The customer reacts to the attendant's answer.
    desk.session.send_text(conversation, "Pode sim!")
    qtbot.waitUntil(lambda: thread_rows(desk)[-1]["wamid"] is not None, timeout=15_000)
    answer = thread_rows(desk)[-1]
    office.sim_server.call(office.sim.customer_reacts(CUSTOMER, answer["wamid"], "🙏"))
    qtbot.waitUntil(lambda: thread_rows(desk)[-1]["reactions"] == ["🙏"], timeout=10_000)
    qtbot.waitUntil(
        lambda: list_preview(desk, conversation) == "Reagiu 🙏 a: Pode sim!", timeout=10_000
    )


def test_customer_edits_deletions_and_unsupported_messages_read_right(
    office: DemoStack, desk: Desk, qtbot: QtBot, qapp: Any
) -> None:
    original = office.say(CUSTOMER, text="A visita pode ser na terça?")
    deleted = office.say(CUSTOMER, text="Meu CPF é 123.456.789-00")
    conversation = open_customer(qtbot, desk, CUSTOMER)
    office.say(CUSTOMER, "edit", original=original, text="A visita pode ser na quarta?")
    qtbot.waitUntil(
        lambda: thread_rows(desk)[0]["text"] == "A visita pode ser na quarta?", timeout=10_000
    )
    edited = thread_rows(desk)[0]
    assert (
        edited["edited"] and edit_note(edited) == "Editada. Original: A visita pode ser na terça?"
    )
    assert [h["text"] for h in desk.session.history.search("quarta")] == [edited["text"]]
    # The bubble's menu keeps the original reachable, as plain text.
    view = desk.window.thread_view
    index = desk.window.thread_model.index(desk.window.thread_model.row_of(edited["id"]))
    view.customContextMenuRequested.emit(view.visualRect(index).center())
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    next(a for a in menu.actions() if a.text() == "Ver original").trigger()
    menu.close()
    box = desk.window.original_box
    qtbot.waitUntil(box.isVisible)
    assert box.text() == "A visita pode ser na terça?"
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()

    # Through the simulator's HTTP inbound, as the demo and tests in other processes do.
    spec = {"wa_id": CUSTOMER, "type": "revoke", "original": deleted}
    httpx.post(f"{office.sim_server.url}/_sim/inbound", json=spec, timeout=10).raise_for_status()
    qtbot.waitUntil(lambda: thread_rows(desk)[1]["type"] == "revoke", timeout=10_000)
    assert shown_text(thread_rows(desk)[1]) == "🚫 Mensagem apagada"
    qtbot.waitUntil(
        lambda: list_preview(desk, conversation) == "🚫 Mensagem apagada", timeout=10_000
    )
    assert desk.session.history.search("CPF") == []

    office.say(CUSTOMER, "unsupported", text="poll")
    qtbot.waitUntil(lambda: len(thread_rows(desk)) == 3, timeout=10_000)
    assert shown_text(thread_rows(desk)[2]) == (
        "O cliente enviou algo que o WhatsApp não repassa: uma enquete. "
        "Peça que reenvie de outra forma (texto, foto ou documento)."
    )
    # An edit whose original the history never had still makes the conversation.
    stranger = "5521977776666"
    office.say(stranger, "edit", original="wamid.ANTES-DO-HISTORICO", text="Corrigi o endereço")
    other = open_customer(qtbot, desk, stranger)
    (row,) = thread_rows(desk)
    assert row["text"] == "Corrigi o endereço" and row["edited"]
    assert "não está no histórico" in edit_note(row)
    assert list_preview(desk, other) == "Corrigi o endereço"
    # The same, in English.
    desk.window.select_conversation(conversation)
    qtbot.waitUntil(lambda: desk.window.current == conversation)
    try:
        i18n.install(qapp, "en")
        assert shown_text(thread_rows(desk)[1]) == "🚫 This message was deleted"
        assert list_preview(desk, conversation).endswith("Unsupported message")
        assert edit_note(thread_rows(desk)[0]).startswith("Edited. Original:")
    finally:
        i18n.install(qapp, "pt_BR")


def test_a_voice_note_shows_its_length_before_playing_and_its_speed_button_cycles(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    # Playing it, faster too, is test_voice_playback's (it needs a sound output).
    office.say(CUSTOMER, "audio")
    open_customer(qtbot, desk, CUSTOMER)
    window = desk.window
    (note,) = thread_rows(desk)
    qtbot.waitUntil(lambda: window.voice.playback(note["id"]).duration_ms > 0, timeout=15_000)
    assert 2000 < window.voice.playback(note["id"]).duration_ms < 3000  # "0:02", never played
    assert window.voice.current is None

    rect = window.thread_view.visualRect(
        window.thread_model.index(window.thread_model.row_of(note["id"]))
    )
    audio = window.bubbles.audio_rect(window.bubbles.bubble_rect(rect, note, window.font()))
    viewport = window.thread_view.viewport()
    speed: QPoint = window.bubbles.speed_rect(audio).center()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=speed)
    assert window.voice.speed == 1.5
    assert window.voice.current is None  # the speed button does not start the note
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=speed)
    assert window.voice.speed == 2.0
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=speed)
    assert window.voice.speed == 1.0
    assert window.voice.current is None


def test_previews_are_worded_in_english_in_an_english_window(qapp: Any) -> None:
    rows = [
        ("location", "in", "Parque Ibirapuera", "📍 Location: Parque Ibirapuera"),
        ("audio", "in", "", "🎤 Audio"),
        ("video", "in", "Vazamento", "🎥 Video: Vazamento"),
        ("contacts", "in", "Roberto", "👤 Contact: Roberto"),
        ("document", "out", "orcamento.pdf", "You: 📄 Document: orcamento.pdf"),
        ("revoke", "in", "", "🚫 This message was deleted"),
        ("reaction", "out", "👍 Bom dia", "You reacted 👍 to: Bom dia"),
        ("reaction", "in", "🙏 ", "Reacted 🙏 to a message"),
    ]
    try:
        i18n.install(qapp, "en")
        for kind, direction, text, expected in rows:
            row = {"preview_type": kind, "preview_direction": direction, "preview_text": text}
            assert preview_line(row) == expected
    finally:
        i18n.install(qapp, "pt_BR")


def test_an_unsupported_message_says_what_meta_named_or_just_that_it_is_unsupported(
    qapp: Any,
) -> None:
    advice = "Peça que reenvie de outra forma (texto, foto ou documento)."
    legacy = {"type": "unknown", "errors": [{"code": 131051, "title": "Unsupported message type"}]}
    assert unsupported_text(legacy) == (
        f"O cliente enviou um tipo de mensagem não suportado. {advice}"
    )
    edit = {"type": "unsupported", "unsupported": {"type": "edit"}}
    assert "uma edição de mensagem" in unsupported_text(edit)
    other = {"type": "unsupported", "unsupported": {"type": "<b>novo</b>"}}
    row = {"type": "unsupported", "item": other, "direction": "in", "author": None}
    assert "“<b>novo</b>”" in shown_text(row)  # Meta's word shown as text, never markup
