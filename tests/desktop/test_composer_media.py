"""The composer and media, as an attendant uses them, against the real relay and simulator.

Attaching opens a preview where nothing goes out before "Enviar" (files
Meta refuses are flagged and left out, captions go with photos and
documents); the ``/`` quick replies show shortcut and text above the
composer; the emoji picker inserts at the cursor with the recent ones
first; Ctrl+K jumps from the composer; a voice note goes out as Meta's
voice message; the photo viewer zooms and saves the decrypted picture only
where the attendant chooses; a document's menu opens or saves it, and a
damaged file says so in the window.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, QSize, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtMultimedia import QAudioFormat, QMediaDevices
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QToolButton
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.domain.ogg import duration_ms
from crm_whatsapp.domain.voice_encoding import PcmFormat
from crm_whatsapp.ui.models.thread import Role as ThreadRole
from crm_whatsapp.ui.recorder import (
    VOICE_NOTE,
    RecordingFormat,
    VoiceRecorder,
    capture_format,
    has_microphone,
    pcm_format,
)

if TYPE_CHECKING:
    from crm_whatsapp.demo import DemoStack

CUSTOMER = "5511955554444"
QUICK = [
    ("pix", "Nossa chave Pix é o CNPJ 12.345.678/0001-90; envie o comprovante por aqui."),
    ("horario", "Atendemos de segunda a sexta, das 8h às 18h."),
    ("obrigado", "Obrigado pelo contato! Qualquer dúvida, estamos à disposição."),
]


def thread_rows(desk: Desk) -> list[dict[str, Any]]:
    model = desk.window.thread_model
    rows = [model.index(i).data(ThreadRole.Row) for i in range(model.rowCount())]
    return [r for r in rows if r and r["kind"] == "message"]


def open_customer(qtbot: QtBot, office: DemoStack, desk: Desk, text: str = "Oi!") -> int:
    office.say(CUSTOMER, text=text)
    qtbot.waitUntil(lambda: desk.conversation_for(CUSTOMER) is not None, timeout=10_000)
    conversation_id = desk.conversation_for(CUSTOMER)
    assert conversation_id is not None
    desk.window.select_conversation(conversation_id)
    qtbot.waitUntil(lambda: desk.window.current == conversation_id)
    qtbot.waitUntil(lambda: len(thread_rows(desk)) >= 1, timeout=10_000)
    return conversation_id


def accepted_media(office: DemoStack) -> list[dict[str, Any]]:
    """What Meta accepted to send, other than text: the bodies as the relay posted them."""
    return [a["body"] for a in office.sim.accepted if a["body"].get("type") != "text"]


def photo(path: Path, color: str = "#3366CC", size: tuple[int, int] = (64, 48)) -> Path:
    picture = QImage(*size, QImage.Format.Format_RGB32)
    picture.fill(QColor(color))
    assert picture.save(str(path))
    return path


# -- attaching --------------------------------------------------------------------------------


def test_attached_files_wait_in_a_preview_and_only_those_meta_takes_go_out_with_captions(
    office: DemoStack, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    open_customer(qtbot, office, desk)
    window = desk.window
    picture = photo(tmp_path / "fachada.png")
    contract = tmp_path / "contrato.pdf"
    contract.write_bytes(b"%PDF-1.4 contrato de aluguel")
    huge = tmp_path / "grande.jpg"
    huge.write_bytes(b"\xff\xd8\xff" + bytes(5 * 1024 * 1024))
    wav = tmp_path / "recado.wav"
    wav.write_bytes(b"RIFF" + bytes(2000))
    window.composer.attach_button.click()  # the attach button asks for files…
    chooser = QApplication.activeModalWidget()
    assert isinstance(chooser, QFileDialog)
    chooser.filesSelected.emit([str(p) for p in (picture, contract, huge, wav)])
    chooser.reject()

    dialog = window.attachments.dialog
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    assert [r.name.text() for r in rows] == [
        "fachada.png",
        "contrato.pdf",
        "grande.jpg",
        "recado.wav",
    ]
    assert [r.problem.isVisibleTo(dialog) for r in rows] == [False, False, True, True]
    assert rows[2].problem.text() == "A Meta só aceita fotos de até 5 MB; esta não será enviada."
    assert rows[3].problem.text() == (
        "A Meta só aceita áudios AAC, AMR, MP3, M4A ou OGG; este não será enviado."
    )
    assert rows[1].size.text() == "28 B"

    # The photo's own picture, not the generic icon, once read off the window's thread.
    def shows_the_photo() -> bool:
        shown = rows[0].picture.pixmap().toImage()
        return shown.size() == QSize(64, 48) and shown.pixelColor(32, 24) == QColor("#3366CC")

    qtbot.waitUntil(shows_the_photo)
    assert dialog.summary.text() == "2 de 4 arquivo(s) serão enviados"

    # Nothing left before "Enviar".
    assert not [r for r in thread_rows(desk) if r["direction"] == "out"]

    # A caption for each: the photo's and the contract's.
    dialog.files.setCurrentRow(0)
    qtbot.keyClicks(dialog.caption, "Fachada do predio")
    dialog.files.setCurrentRow(1)
    assert dialog.caption.text() == ""
    qtbot.keyClicks(dialog.caption, "Contrato para assinar")
    dialog.files.setCurrentRow(0)
    assert dialog.caption.text() == "Fachada do predio"
    # The big photo goes away from the list; the refused audio stays flagged.
    rows[2].remove.click()
    assert len(dialog.rows()) == 3
    qtbot.keyClick(dialog.caption, Qt.Key.Key_Return)  # Enter in the caption sends
    assert not dialog.isVisible()

    qtbot.waitUntil(lambda: len(accepted_media(office)) == 2, timeout=15_000)
    sent = accepted_media(office)
    assert [b["type"] for b in sent] == ["image", "document"]
    assert sent[0]["image"]["caption"] == "Fachada do predio"
    assert sent[1]["document"]["caption"] == "Contrato para assinar"
    assert sent[1]["document"]["filename"] == "contrato.pdf"
    assert office.sim.media[sent[1]["document"]["id"]].data == contract.read_bytes()


def test_a_drop_on_the_thread_opens_the_preview_and_cancel_sends_nothing(
    office: DemoStack, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    open_customer(qtbot, office, desk)
    window = desk.window
    first, second = photo(tmp_path / "a.png"), photo(tmp_path / "b.png", "#CC3333")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(first)), QUrl.fromLocalFile(str(second))])
    # As the window system delivers a drag: enter, then drop, on the window, over the thread.
    at = window.thread_view.viewport().mapTo(window, QPoint(60, 60))
    copy, left, none = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(at, copy, mime, left, none)
    QApplication.sendEvent(window.windowHandle(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window.windowHandle(), QDropEvent(QPointF(at), copy, mime, left, none))
    dialog = window.attachments.dialog
    assert dialog is not None and dialog.isVisible()
    assert [r.name.text() for r in dialog.rows()] == ["a.png", "b.png"]
    # A second drop (here on the composer) joins the same preview.
    window.composer.edit.files_dropped.emit([first])
    assert len(dialog.rows()) == 3
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    # A text sent after it is the first thing Meta gets: the files never went.
    qtbot.keyClicks(window.composer.edit, "Pode deixar")
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(a["body"].get("type") == "text" for a in office.sim.accepted), timeout=10_000
    )
    assert accepted_media(office) == []


def test_a_pasted_picture_waits_in_the_preview_and_removing_the_last_file_closes_it(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    open_customer(qtbot, office, desk)
    window = desk.window
    picture = QImage(40, 30, QImage.Format.Format_RGB32)
    picture.fill(QColor("#22AA55"))
    QApplication.clipboard().setImage(picture)
    window.composer.edit.setFocus()
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    dialog = window.attachments.dialog
    assert dialog is not None and dialog.isVisible()
    [row] = dialog.rows()
    assert row.name.text() == "imagem.png"
    assert window.composer.edit.toPlainText() == ""  # a picture, not text
    row.remove.click()
    assert not dialog.isVisible()
    assert not [r for r in thread_rows(desk) if r["direction"] == "out"]


# -- quick replies, emoji and keys ------------------------------------------------------------


def seed_quick_replies(qtbot: QtBot, desk: Desk) -> None:
    for shortcut, text in QUICK:
        desk.window.team_actions.save_quick_reply(shortcut, text)
    qtbot.waitUntil(lambda: len(desk.session.history.quick_replies()) == len(QUICK))
    qtbot.waitUntil(lambda: len(desk.window.composer._replies) == len(QUICK))


def test_slash_lists_quick_replies_with_their_text_above_the_composer(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    open_customer(qtbot, office, desk)
    seed_quick_replies(qtbot, desk)
    window, composer = desk.window, desk.window.composer
    composer.edit.setFocus()
    qtbot.keyClicks(composer.edit, "/")
    popup = composer.quick_popup
    assert popup is not None and popup.isVisible()
    shown = [popup.list.item(i).text() for i in range(popup.count())]
    assert [s.split(" — ")[0] for s in shown] == ["/horario", "/obrigado", "/pix"]
    assert shown[0].startswith("/horario — Atendemos de segunda")
    assert shown[2].startswith("/pix — Nossa chave Pix é") and shown[2].endswith("…")
    # Above the composer: what is typed stays in sight.
    top_of_composer = composer.mapTo(window, QPoint(0, 0)).y()
    assert popup.geometry().bottom() < top_of_composer
    # Down and Up move; Esc closes and keeps what was typed.
    qtbot.keyClick(composer.edit, Qt.Key.Key_Down)
    assert popup.list.currentRow() == 1
    qtbot.keyClick(composer.edit, Qt.Key.Key_Up)
    qtbot.keyClick(composer.edit, Qt.Key.Key_Up)
    assert popup.list.currentRow() == 2
    qtbot.keyClick(composer.edit, Qt.Key.Key_Escape)
    assert not popup.isVisible() and composer.edit.toPlainText() == "/"
    # Typing filters (a word of the text counts too); Enter picks the single match.
    qtbot.keyClicks(composer.edit, "pi")
    assert popup.isVisible() and popup.count() == 1
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert composer.edit.toPlainText() == QUICK[0][1]  # in the composer, unsent
    composer.edit.clear()
    qtbot.keyClicks(composer.edit, "/segunda")  # in the text only
    assert popup.count() == 1 and popup.list.item(0).text().startswith("/horario")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Tab)
    assert composer.edit.toPlainText() == QUICK[1][1]
    assert not [a for a in office.sim.accepted if a["body"].get("type") == "text"]


def test_ctrl_k_in_the_composer_opens_the_jump_and_keeps_the_text(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    open_customer(qtbot, office, desk)
    composer = desk.window.composer
    composer.edit.setFocus()
    qtbot.keyClicks(composer.edit, "rascunho da resposta")
    cursor = composer.edit.textCursor()
    cursor.setPosition(4)
    composer.edit.setTextCursor(cursor)
    qtbot.keyClick(composer.edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(desk.window, "jump_dialog", None) is not None)
    assert desk.window.jump_dialog.isVisible()
    assert composer.edit.toPlainText() == "rascunho da resposta"
    desk.window.jump_dialog.reject()


def test_the_emoji_picker_inserts_at_the_cursor_and_lists_recent_ones_first(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    open_customer(qtbot, office, desk)
    composer = desk.window.composer
    composer.set_text("Olá, tudo bem?")
    cursor = composer.edit.textCursor()
    cursor.setPosition(4)
    composer.edit.setTextCursor(cursor)
    qtbot.mouseClick(composer.emoji_button, Qt.MouseButton.LeftButton)
    picker = composer.emoji_picker
    assert picker is not None and picker.isVisible()
    top_of_composer = composer.mapTo(desk.window, QPoint(0, 0)).y()
    assert picker.geometry().bottom() < top_of_composer
    assert [picker.tabs.tabText(i) for i in range(picker.tabs.count())] == [
        "Carinhas",
        "Gestos",
        "Corações",
        "Objetos",
    ]
    assert "😀" in picker.emoji_on(0) and "👍" in picker.emoji_on(1) and "❤️" in picker.emoji_on(2)
    thumbs = next(b for b in picker.tabs.widget(1).findChildren(QToolButton) if b.text() == "👍")
    qtbot.mouseClick(thumbs, Qt.MouseButton.LeftButton)
    assert composer.edit.toPlainText() == "Olá,👍 tudo bem?"
    assert picker.isVisible()  # open for more, as WhatsApp's
    qtbot.keyClick(composer.edit, Qt.Key.Key_Escape)
    assert not picker.isVisible()
    qtbot.mouseClick(composer.emoji_button, Qt.MouseButton.LeftButton)
    assert picker.isVisible()
    assert picker.tabs.tabText(0) == "Recentes" and picker.emoji_on(0) == ["👍"]
    qtbot.mouseClick(composer.emoji_button, Qt.MouseButton.LeftButton)  # the button closes too
    assert not picker.isVisible()


# -- voice notes ------------------------------------------------------------------------------


def test_without_a_microphone_the_button_says_so(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    if has_microphone():
        pytest.skip("this machine has a microphone")
    open_customer(qtbot, office, desk)
    composer = desk.window.composer
    qtbot.mouseClick(composer.mic_button, Qt.MouseButton.LeftButton)
    sentence = "Nenhum microfone foi encontrado neste computador."
    assert desk.window.statusBar().currentMessage() == sentence
    assert composer.mic_button.toolTip() == sentence
    assert not composer.recording_bar.isVisible() and composer.edit.isVisible()


def test_while_recording_the_composer_shows_the_elapsed_time_cancel_and_send(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    open_customer(qtbot, office, desk)
    composer = desk.window.composer
    recorder = composer.recorder  # what Qt Multimedia reports while a microphone records
    recorder.recording_changed.emit(True)
    recorder.elapsed.emit(65_400)
    assert composer.recording_bar.isVisible() and not composer.edit.isVisible()
    assert composer.recording_label.text() == "● Gravando 1:05"
    assert composer.cancel_recording.toolTip() == "Cancelar gravação"
    assert composer.send_recording.toolTip() == "Enviar mensagem de voz"
    recorder.recording_changed.emit(False)
    assert not composer.recording_bar.isVisible() and composer.edit.isVisible()


def tone_pcm(seconds: float, rate: int = 48_000, channels: int = 1) -> bytes:
    """What a microphone delivers while someone speaks: Int16 frames, a 440 Hz tone here."""
    t = np.arange(round(seconds * rate)) / rate
    wave = np.sin(2 * np.pi * 440 * t) / 3
    return (np.repeat(wave[:, None], channels, axis=1) * 32767).astype("<i2").tobytes()


def record(recorder: VoiceRecorder, data: bytes, fmt: PcmFormat, chunk: int = 3_840) -> None:
    """Push ``data`` through the recorder as the microphone's readyRead does, chunk by chunk."""
    recorder.begin(fmt)
    for start in range(0, len(data), chunk):
        recorder.feed(data[start : start + chunk])


def test_the_microphone_is_asked_for_48_khz_mono_and_its_bytes_understood(qapp: Any) -> None:
    for device in QMediaDevices.audioInputs():  # none on a test machine; every one on a PC
        asked = capture_format(device)
        assert device.isFormatSupported(asked) and pcm_format(asked) is not None
    audio = QAudioFormat()
    audio.setSampleRate(44_100)
    audio.setChannelCount(2)
    audio.setSampleFormat(QAudioFormat.SampleFormat.Float)
    assert pcm_format(audio) == PcmFormat(44_100, 2, "float32")
    audio.setSampleFormat(QAudioFormat.SampleFormat.Unknown)
    assert pcm_format(audio) is None
    assert RecordingFormat("audio/ogg; codecs=opus", "mensagem-de-voz.ogg", True) == VOICE_NOTE


def test_a_recorded_note_goes_out_as_an_ogg_opus_voice_message(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    open_customer(qtbot, office, desk)
    composer = desk.window.composer
    recorder = composer.recorder
    elapsed: list[int] = []
    recorder.elapsed.connect(elapsed.append)
    record(recorder, tone_pcm(2.5, 44_100, 2), PcmFormat(44_100, 2, "int16"))
    assert composer.recording_bar.isVisible() and not composer.edit.isVisible()
    assert elapsed[-1] == 2_500 and composer.recording_label.text() == "● Gravando 0:02"
    with qtbot.waitSignal(recorder.recorded, timeout=15_000):
        qtbot.mouseClick(composer.send_recording, Qt.MouseButton.LeftButton)
    assert not composer.recording_bar.isVisible() and composer.edit.isVisible()
    qtbot.waitUntil(lambda: len(accepted_media(office)) == 1, timeout=15_000)
    [body] = accepted_media(office)
    assert body["type"] == "audio"
    assert body["audio"]["voice"] is True and "caption" not in body["audio"]
    uploaded = office.sim.media[body["audio"]["id"]]
    assert uploaded.mime_type == "audio/ogg"  # Meta's upload type; the codec is in the bytes
    assert uploaded.data.startswith(b"OggS") and b"OpusHead" in uploaded.data[:512]
    assert abs(duration_ms(uploaded.data) - 2_500) <= 30
    qtbot.waitUntil(lambda: len(thread_rows(desk)) == 2, timeout=10_000)
    assert thread_rows(desk)[-1]["type"] == "audio"


def test_a_cancelled_recording_sends_nothing(office: DemoStack, desk: Desk, qtbot: QtBot) -> None:
    open_customer(qtbot, office, desk)
    composer = desk.window.composer
    recorder = composer.recorder
    sent: list[bytes] = []
    recorder.recorded.connect(lambda data, _format: sent.append(data))
    record(recorder, tone_pcm(2.0), PcmFormat(48_000, 1, "int16"))
    qtbot.mouseClick(composer.cancel_recording, Qt.MouseButton.LeftButton)
    assert not recorder.recording and not composer.recording_bar.isVisible()
    recorder.feed(tone_pcm(1.0))  # sound still arriving from the device is not kept
    assert not recorder.recording and sent == []
    record(recorder, tone_pcm(2.0), PcmFormat(48_000, 1, "int16"))
    recorder.finish()  # encoding on the worker…
    recorder.cancel()  # …and cancelled before it is done: its result is dropped on arrival
    assert not composer.recording_bar.isVisible()
    record(recorder, tone_pcm(3.0), PcmFormat(48_000, 1, "int16"))  # then a note that is sent
    with qtbot.waitSignal(recorder.recorded, timeout=15_000):
        recorder.finish()  # one worker, in order: the cancelled note's answer came first
    qtbot.waitUntil(lambda: len(accepted_media(office)) == 1, timeout=15_000)
    assert len(sent) == 1 and abs(duration_ms(sent[0]) - 3_000) <= 30
    [body] = accepted_media(office)
    assert office.sim.media[body["audio"]["id"]].data == sent[0]


def test_a_too_short_or_silent_note_is_not_sent_and_says_why(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    open_customer(qtbot, office, desk)
    composer = desk.window.composer
    recorder = composer.recorder
    record(recorder, tone_pcm(0.4), PcmFormat(48_000, 1, "int16"))
    with qtbot.waitSignal(recorder.problem, timeout=10_000):
        recorder.finish()
    assert desk.window.statusBar().currentMessage() == (
        "A mensagem de voz ficou curta demais; grave pelo menos 1 segundo."
    )
    record(recorder, bytes(2 * 48_000 * 2), PcmFormat(48_000, 1, "int16"))  # a muted microphone
    with qtbot.waitSignal(recorder.problem, timeout=10_000):
        recorder.finish()
    assert desk.window.statusBar().currentMessage().startswith("Nenhum som chegou do microfone")
    assert not composer.recording_bar.isVisible() and accepted_media(office) == []


def test_opening_another_conversation_discards_the_recording_and_says_so(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    first = open_customer(qtbot, office, desk)
    office.say("5511933332222", text="Bom dia")
    qtbot.waitUntil(lambda: desk.conversation_for("5511933332222") is not None, timeout=10_000)
    recorder = desk.window.composer.recorder
    record(recorder, tone_pcm(2.0), PcmFormat(48_000, 1, "int16"))
    desk.window.show_conversation(desk.conversation_for("5511933332222"))
    assert not recorder.recording and not desk.window.composer.recording_bar.isVisible()
    assert desk.window.statusBar().currentMessage() == (
        "A gravação foi descartada porque outra conversa foi aberta."
    )
    assert first != desk.window.current and accepted_media(office) == []


# -- the photo viewer and documents -----------------------------------------------------------


class FileCatcher(QObject):
    """Stands in for the desktop's file opener: records what it would have opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def take(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


@pytest.fixture
def opener(qapp: Any) -> Iterator[FileCatcher]:
    catcher = FileCatcher()
    QDesktopServices.setUrlHandler("file", catcher, "take")
    yield catcher
    QDesktopServices.unsetUrlHandler("file")


def test_the_photo_viewer_shows_small_pictures_at_real_size_zooms_and_saves_the_clear_copy(
    office: DemoStack, desk: Desk, qtbot: QtBot, tmp_path: Path
) -> None:
    open_customer(qtbot, office, desk)
    office.say(CUSTOMER, "image", text="Foto da fachada")
    qtbot.waitUntil(lambda: len(thread_rows(desk)) == 2, timeout=10_000)
    image_row = thread_rows(desk)[-1]
    window = desk.window
    window.thread_view.doubleClicked.emit(
        window.thread_model.index(window.thread_model.row_of(image_row["id"]))
    )
    qtbot.waitUntil(lambda: window.media_files.viewer is not None, timeout=10_000)
    viewer = window.media_files.viewer
    assert viewer.isVisible()
    assert (
        viewer.zoom == 1.0 and viewer.shown_size() == viewer.pixmap().size()
    )  # 96×64, not blown up
    qtbot.mouseClick(viewer.zoom_in, Qt.MouseButton.LeftButton)
    assert viewer.zoom == 1.25 and viewer.shown_size().width() == 120
    qtbot.keyClick(viewer, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert viewer.zoom == 1.0
    qtbot.mouseClick(viewer.save_button, Qt.MouseButton.LeftButton)
    dialog = window.media_files.save_dialog
    assert dialog is not None and dialog.isVisible()
    chosen = tmp_path / "salvas" / "fachada.png"
    chosen.parent.mkdir()
    dialog.selectFile(str(chosen))
    dialog.accept()
    qtbot.waitUntil(chosen.exists, timeout=10_000)
    media_id = image_row["media_id"]
    qtbot.waitUntil(lambda: chosen.read_bytes() == office.sim.media[media_id].data)
    # The cache stays sealed: the clear bytes are only where the attendant chose.
    assert desk.session.media.path(image_row["id"]).read_bytes() != chosen.read_bytes()
    qtbot.keyClick(viewer, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(viewer) or not viewer.isVisible())


def test_a_document_menu_opens_and_saves_and_a_damaged_copy_says_so(
    office: DemoStack,
    desk: Desk,
    qtbot: QtBot,
    tmp_path: Path,
    opener: FileCatcher,
    caplog: pytest.LogCaptureFixture,
) -> None:
    open_customer(qtbot, office, desk)
    office.say(CUSTOMER, "document", text="Segue o orçamento")
    qtbot.waitUntil(lambda: len(thread_rows(desk)) == 2, timeout=10_000)
    row = thread_rows(desk)[-1]
    window = desk.window
    menu = QMenu()
    window.media_files.add_actions(menu, row, window._open_row_media)
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == {"Abrir", "Salvar como…"}
    actions["Abrir"].trigger()
    qtbot.waitUntil(lambda: len(opener.opened) == 1, timeout=10_000)
    original = office.sim.media[row["media_id"]].data
    assert opener.opened[0].read_bytes() == original

    actions["Salvar como…"].trigger()
    qtbot.waitUntil(lambda: window.media_files.save_dialog is not None, timeout=10_000)
    dialog = window.media_files.save_dialog
    assert Path(dialog.selectedFiles()[0]).name == "orcamento.pdf"  # the customer's name
    chosen = tmp_path / "salvos" / "orcamento.pdf"
    chosen.parent.mkdir()
    dialog.selectFile(str(chosen))
    dialog.accept()
    qtbot.waitUntil(lambda: chosen.exists() and chosen.read_bytes() == original, timeout=10_000)

    # The sealed copy on disk is damaged: opening says so in the window, and the log the kind.
    sealed = desk.session.media.path(row["id"])
    damaged = bytearray(sealed.read_bytes())
    damaged[-5] ^= 0xFF
    sealed.write_bytes(bytes(damaged))
    with caplog.at_level(logging.WARNING, logger="crm_whatsapp.ui.mainwindow"):
        actions["Abrir"].trigger()
        qtbot.waitUntil(lambda: "danificado" in window.statusBar().currentMessage(), timeout=10_000)
    assert window.statusBar().currentMessage() == (
        "O arquivo guardado desta mensagem está danificado e não pode ser aberto."
    )
    assert any("sealed file" in r.getMessage() for r in caplog.records)
    assert len(opener.opened) == 1
