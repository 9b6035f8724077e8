"""The attendant's window, driven for real: relay and Meta simulator on loopback."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from qtsupport import Desk, close_desk, finish, open_desk

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.ui.models.thread import Role as ThreadRole
from crm_whatsapp.ui.voice import audio_output

CUSTOMER = "5511988887777"


def thread_rows(desk: Desk) -> list[dict[str, Any]]:
    model = desk.window.thread_model
    rows = [model.index(i).data(ThreadRole.Row) for i in range(model.rowCount())]
    return [r for r in rows if r and r["kind"] == "message"]


def wait_for_template_sent(qtbot: QtBot, desk: Desk) -> None:
    """Until a template bubble in the thread has been accepted by Meta (or gone further)."""
    qtbot.waitUntil(
        lambda: any(
            r["type"] == "template" and r["status"] in ("accepted", "sent", "delivered", "read")
            for r in thread_rows(desk)
        ),
        timeout=15_000,
    )


def open_customer(qtbot: QtBot, desk: Desk, wa_id: str) -> int:
    qtbot.waitUntil(lambda: desk.conversation_for(wa_id) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(wa_id)
    assert conversation_id is not None
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    return conversation_id


def test_a_customer_message_appears_with_a_notification_and_the_reply_goes_out_by_keyboard(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    window = desk.window
    with qtbot.waitSignal(window.notified, timeout=10_000) as notified:
        office.say(CUSTOMER, text="Olá, o apartamento da Rua Augusta ainda está disponível?")
    _conversation, title, text = notified.args
    assert "apartamento" in text and title
    row = window.list_model.row_of(desk.conversation_for(CUSTOMER) or -1)
    assert row == 0  # the newest conversation is at the top of the list
    assert window.list_model.index(0).data(Qt.ItemDataRole.DisplayRole) == title

    open_customer(qtbot, desk, CUSTOMER)
    assert thread_rows(desk)[-1]["text"].startswith("Olá, o apartamento")
    # Opening the conversation clears its badge and sends Meta a read receipt.
    qtbot.waitUntil(lambda: window.list_model.index(0).data(ThreadRole.Row)["unread"] == 0)
    qtbot.waitUntil(lambda: len(office.sim.read_receipts) == 1, timeout=10_000)

    edit = window.composer.edit
    edit.setFocus()
    # QTest types ASCII only; accents are covered by the store tests.
    qtbot.keyClicks(edit, "Sim, esta! Quer agendar uma visita?")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(edit, "Temos horarios no sabado.")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.toPlainText() == ""  # sent: the box is clear for the next message

    def mine() -> dict[str, Any]:
        return next(r for r in thread_rows(desk) if r["direction"] == "out")

    assert mine()["text"] == "Sim, esta! Quer agendar uma visita?\nTemos horarios no sabado."
    # Ticks only move forward, to read (the simulated customer reads it).
    seen: list[str] = []

    def read() -> bool:
        status = mine()["status"]
        if not seen or seen[-1] != status:
            seen.append(status)
        return status == "read"

    qtbot.waitUntil(read, timeout=15_000)
    order = ["pending", "accepted", "sent", "delivered", "read"]
    assert [order.index(s) for s in seen] == sorted(order.index(s) for s in seen)
    assert len(thread_rows(desk)) == 2  # no duplicate, whatever Meta repeated


def test_a_failed_send_shows_its_reason_in_portuguese(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    office.say(CUSTOMER, text="Oi")
    open_customer(qtbot, desk, CUSTOMER)
    # Meta's clock disagrees with ours: for Meta the window closed long ago.
    office.sim.customer(CUSTOMER).last_inbound = time.time() - 26 * 3600
    desk.window.composer.edit.setFocus()
    qtbot.keyClicks(desk.window.composer.edit, "Ainda tem interesse?")
    qtbot.keyClick(desk.window.composer.edit, Qt.Key.Key_Return)

    def failed() -> dict[str, Any] | None:
        return next((r for r in thread_rows(desk) if r["status"] == "failed"), None)

    qtbot.waitUntil(lambda: failed() is not None, timeout=15_000)
    reason = desk.window.bubbles.status_text(failed())  # what the tooltip shows
    assert "24 horas" in reason and "modelo" in reason


def test_a_closed_window_forces_a_template(office: DemoStack, desk: Desk, qtbot: QtBot) -> None:
    office.say(CUSTOMER, text="Bom dia", timestamp=time.time() - 30 * 3600)
    open_customer(qtbot, desk, CUSTOMER)
    composer = desk.window.composer
    assert composer.closed_banner.isVisibleTo(desk.window)
    assert not composer.edit.isEnabled()  # free text is not possible
    qtbot.mouseClick(composer.template_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: getattr(desk.window, "template_dialog", None) is not None, timeout=10_000
    )
    dialog = desk.window.template_dialog
    body = next(
        t for t in finish(qtbot, desk.session.templates()) if "{{1}}" in str(t["components"])
    )
    from crm_whatsapp.domain.templates import build_template_body, placeholders

    sent = build_template_body(body, {p: "Marina" for p in placeholders(body)})
    dialog.template_chosen.emit(sent, None)
    wait_for_template_sent(qtbot, desk)


def test_two_desktops_see_each_others_assignment_notes_and_sends(
    office: DemoStack, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    bruno = open_desk(qtbot, office, tmp_path, "Bruno")
    try:
        office.say(CUSTOMER, text="Quero um orçamento")
        conversation = open_customer(qtbot, desk, CUSTOMER)
        other = open_customer(qtbot, bruno, CUSTOMER)
        desk.window.header.assign_to_me.emit()
        qtbot.waitUntil(lambda: "com Ana" in bruno.window.header.subtitle.text(), timeout=10_000)
        assert bruno.session.history.conversations(1, ids=[other])[0]["assignee"] == "Ana"
        # Bruno's "Mine" view does not have it; Ana's does.
        desk.window.view_tabs.setCurrentIndex(0)
        assert desk.window.list_model.row_of(conversation) == 0
        bruno.window.view_tabs.setCurrentIndex(0)
        assert bruno.window.list_model.row_of(other) == -1

        finish(qtbot, bruno.session.team(other, "note", text="Cliente pediu desconto"))
        qtbot.waitUntil(
            lambda: any(r["direction"] == "note" for r in thread_rows(desk)), timeout=10_000
        )
        desk.session.send_text(conversation, "Segue o orçamento em anexo.")
        qtbot.waitUntil(
            lambda: any(r["text"] == "Segue o orçamento em anexo." for r in thread_rows(bruno)),
            timeout=15_000,
        )
        sent = [r for r in thread_rows(bruno) if r["text"] == "Segue o orçamento em anexo."]
        assert len(sent) == 1 and sent[0]["author"] == "Ana"
    finally:
        close_desk(qtbot, bruno)


def test_the_list_and_thread_stay_right_across_a_relay_restart(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    office.say(CUSTOMER, text="Primeira")
    open_customer(qtbot, desk, CUSTOMER)
    office.restart_relay()
    qtbot.waitUntil(lambda: desk.session.state == "live", timeout=20_000)
    office.say(CUSTOMER, text="Segunda, depois da queda")
    office.say("5521977776666", text="Outro cliente")
    qtbot.waitUntil(lambda: len(thread_rows(desk)) == 2, timeout=15_000)
    assert [r["text"] for r in thread_rows(desk)] == ["Primeira", "Segunda, depois da queda"]
    qtbot.waitUntil(lambda: desk.window.list_model.rowCount() == 2, timeout=10_000)


def test_a_customer_photo_shows_as_a_preview_and_opens_full_size_on_a_click(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    office.say(CUSTOMER, "image", text="Foto da fachada")
    office.say(CUSTOMER, "sticker")
    open_customer(qtbot, desk, CUSTOMER)
    window = desk.window
    photo, sticker = thread_rows(desk)
    # Painting the visible bubbles fetches their media through the relay.
    qtbot.waitUntil(
        lambda: (
            window.thumbnails.image(photo) is not None
            and window.thumbnails.image(sticker) is not None
        ),
        timeout=15_000,
    )
    preview = window.thumbnails.image(photo)
    assert (preview.width(), preview.height()) == (240, 180)  # fills its box, no layout jump
    assert max(window.thumbnails.image(sticker).width(), 1) <= 128
    # What the attendant sees in the bubble is the photo, not the placeholder.
    row = window.thread_model.row_of(photo["id"])
    rect = window.thread_view.visualRect(window.thread_model.index(row))
    bubble = window.bubbles.bubble_rect(rect, photo, window.font())
    shown = window.bubbles.preview_rect(bubble, photo)
    grab = window.thread_view.viewport().grab(shown).toImage()
    centre = grab.pixelColor(grab.width() // 2, grab.height() // 2)
    expected = preview.pixelColor(preview.width() // 2, preview.height() // 2)
    assert abs(centre.red() - expected.red()) + abs(centre.green() - expected.green()) < 12
    # The downloaded bytes are sealed on disk: no PNG header in the cache.
    cached = desk.session.media.path(photo["id"]).read_bytes()
    assert b"\x89PNG" not in cached and b"IHDR" not in cached
    # A click on the preview opens the picture full size.
    qtbot.mouseClick(window.thread_view.viewport(), Qt.MouseButton.LeftButton, pos=shown.center())
    qtbot.waitUntil(lambda: window.media_files.viewer is not None, timeout=10_000)
    viewer = window.media_files.viewer
    assert viewer is not None and viewer.isVisible() and not viewer.pixmap().isNull()
    viewer.close()


def test_a_pasted_photo_goes_out_with_its_preview(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    office.say(CUSTOMER, text="Pode mandar a foto do apartamento?")
    open_customer(qtbot, desk, CUSTOMER)
    window = desk.window
    picture = QImage(64, 48, QImage.Format.Format_RGB32)
    picture.fill(QColor("#3366CC"))
    QApplication.clipboard().setImage(picture)
    window.composer.edit.setFocus()
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    preview = window.attachments.dialog  # nothing goes before "Enviar" in the preview
    assert preview is not None and preview.isVisible()
    qtbot.mouseClick(preview.send_button, Qt.MouseButton.LeftButton)

    def outgoing() -> dict[str, Any] | None:
        return next((r for r in thread_rows(desk) if r["direction"] == "out"), None)

    qtbot.waitUntil(lambda: outgoing() is not None, timeout=10_000)
    qtbot.waitUntil(lambda: outgoing()["status"] in ("sent", "delivered", "read"), timeout=15_000)
    # The preview comes from the sealed copy the outbox kept, not from the network.
    qtbot.waitUntil(lambda: window.thumbnails.image(outgoing()) is not None, timeout=10_000)
    centre = window.thumbnails.image(outgoing()).pixelColor(120, 90)
    assert (centre.red(), centre.green(), centre.blue()) == (0x33, 0x66, 0xCC)


def test_a_voice_note_plays_in_its_bubble_from_memory(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    if audio_output() is None:  # test_voice_playback checks what such a machine says
        pytest.skip("no sound output on this machine (a PulseAudio null sink gives one)")
    office.say(CUSTOMER, "audio")
    open_customer(qtbot, desk, CUSTOMER)
    window = desk.window
    (note,) = thread_rows(desk)
    row = window.thread_model.row_of(note["id"])
    rect = window.thread_view.visualRect(window.thread_model.index(row))
    play = window.bubbles.audio_rect(window.bubbles.bubble_rect(rect, note, window.font()))
    viewport = window.thread_view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=play.center())
    qtbot.waitUntil(lambda: window.voice.playback(note["id"]).playing, timeout=15_000)
    qtbot.waitUntil(lambda: window.voice.playback(note["id"]).position_ms > 200, timeout=10_000)
    assert window.voice.playback(note["id"]).duration_ms > 1000  # the real note's length
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=play.center())  # pause
    qtbot.waitUntil(lambda: not window.voice.playback(note["id"]).playing, timeout=5_000)
    paused_at = window.voice.playback(note["id"]).position_ms
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=play.center())  # resume
    qtbot.waitUntil(
        lambda: window.voice.playback(note["id"]).position_ms > paused_at, timeout=10_000
    )
    # Played from memory: no clear copy of the audio was written anywhere.
    assert not hasattr(window, "_media_tmp")
    cached = desk.session.media.path(note["id"]).read_bytes()
    assert b"OggS" not in cached and b"OpusHead" not in cached


def test_a_template_with_a_photo_header_uploads_the_photo_and_reaches_the_customer(
    office: DemoStack, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    office.say(CUSTOMER, text="Bom dia", timestamp=time.time() - 30 * 3600)
    open_customer(qtbot, desk, CUSTOMER)
    qtbot.mouseClick(desk.window.composer.template_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: getattr(desk.window, "template_dialog", None) is not None, timeout=10_000
    )
    dialog = desk.window.template_dialog
    dialog.list.setCurrentRow([t["name"] for t in dialog.templates].index("oferta_com_foto"))
    assert dialog.media_button is not None and not dialog.send_button.isEnabled()
    photo = tmp_path / "fachada.png"
    picture = QImage(80, 60, QImage.Format.Format_RGB32)
    picture.fill(QColor("#1FA855"))
    assert picture.save(str(photo))
    dialog.set_media_file(photo)
    qtbot.keyClicks(dialog.fields["1"], "Ana")
    assert not dialog.send_button.isEnabled()  # the button's URL still needs its ending
    qtbot.keyClicks(dialog.button_fields[1], "augusta-500")
    assert dialog.send_button.isEnabled()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)

    def sent() -> dict[str, Any] | None:
        return next(
            (a["body"] for a in office.sim.accepted if a["body"]["type"] == "template"), None
        )

    qtbot.waitUntil(lambda: sent() is not None, timeout=15_000)
    header, body, button = sent()["template"]["components"]
    media_id = header["parameters"][0]["image"]["id"]
    assert office.sim.media[media_id].data == photo.read_bytes()  # uploaded through the relay
    assert body["parameters"] == [{"type": "text", "text": "Ana"}]
    assert button["parameters"] == [{"type": "text", "text": "augusta-500"}]
    wait_for_template_sent(qtbot, desk)


def test_changing_the_language_in_the_settings_applies_at_once(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    from dataclasses import replace

    office.say(CUSTOMER, text="Oi", timestamp=time.time() - 30 * 3600)
    open_customer(qtbot, desk, CUSTOMER)
    window = desk.window
    assert window.search_box.placeholderText() == "Pesquisar contatos e mensagens"
    try:
        window.apply_preferences(replace(window.preferences, language="en"))
        qtbot.waitUntil(
            lambda: window.search_box.placeholderText() == "Search contacts and messages"
        )
        assert window.view_tabs.tabText(0) == "Mine"
        assert window.composer.template_button.text() == "Choose template…"
        assert "window closed" in window.header.subtitle.text()
        assert window.connection_label.text() == "Connected"
    finally:
        window.apply_preferences(replace(window.preferences, language="pt_BR"))
    qtbot.waitUntil(lambda: window.view_tabs.tabText(0) == "Minhas")
    assert "janela de 24 h fechada" in window.header.subtitle.text()


def test_the_retention_setting_erases_old_history_from_the_open_thread(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    from dataclasses import replace

    office.say(CUSTOMER, text="Mensagem de dois anos atrás", timestamp=time.time() - 730 * 86400)
    office.say(CUSTOMER, text="Mensagem de hoje")
    open_customer(qtbot, desk, CUSTOMER)
    qtbot.waitUntil(lambda: len(thread_rows(desk)) == 2, timeout=10_000)
    window = desk.window
    window.apply_preferences(replace(window.preferences, retention_months=12))
    qtbot.waitUntil(lambda: len(thread_rows(desk)) == 1, timeout=10_000)
    assert thread_rows(desk)[0]["text"] == "Mensagem de hoje"
    assert "1 mensagens antigas apagadas" in window.statusBar().currentMessage()
    assert not desk.session.history.search("dois anos")  # gone from search as well
