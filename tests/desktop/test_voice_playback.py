"""Voice notes and audio played in the bubble without Qt's FFmpeg plugin.

The window decodes with libsndfile and plays through Qt's audio output
(``ui.voice``). What the attendant notices is checked here through the real
window on the demo stack: a note plays faster from where it was, MP3 plays
too, audio libsndfile cannot read (AAC) says so and can still be saved, and
a computer with no sound output says that instead of hanging. Which of the
tests run depends on the machine: a test runner usually has no sound
output; a PC (or a runner with a PulseAudio null sink) has one.
"""

from __future__ import annotations

import io
import itertools
import statistics
import time
from typing import Any

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from qtsupport import Desk

from crm_whatsapp.demo import DemoStack
from crm_whatsapp.ui.models.thread import Role as ThreadRole
from crm_whatsapp.ui.voice import audio_output
from relay.simulator.payloads import media_sha256

CUSTOMER = "5511977776666"
UNPLAYABLE = "Não foi possível tocar este áudio."
NO_OUTPUT = (
    "Nenhuma saída de som foi encontrada neste computador; conecte fones ou caixas de som "
    "para ouvir o áudio."
)


def the_note(qtbot: QtBot, desk: Desk) -> dict[str, Any]:
    """Open the customer's conversation and return its one audio message's row."""
    qtbot.waitUntil(lambda: desk.conversation_for(CUSTOMER) is not None, timeout=10_000)
    desk.window.select_conversation(desk.conversation_for(CUSTOMER))
    model = desk.window.thread_model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    rows = [model.index(i).data(ThreadRole.Row) for i in range(model.rowCount())]
    (note,) = [r for r in rows if r and r["kind"] == "message"]
    return note


def buttons(desk: Desk, note: dict[str, Any]) -> tuple[QPoint, QPoint]:
    """Where the bubble's play/pause and speed buttons are, in the thread's viewport."""
    window = desk.window
    rect = window.thread_view.visualRect(
        window.thread_model.index(window.thread_model.row_of(note["id"]))
    )
    audio = window.bubbles.audio_rect(window.bubbles.bubble_rect(rect, note, window.font()))
    return audio.topLeft() + QPoint(8, 16), window.bubbles.speed_rect(audio).center()


def click(qtbot: QtBot, desk: Desk, point: QPoint) -> None:
    qtbot.mouseClick(desk.window.thread_view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def customer_sends_audio(office: DemoStack, data: bytes, mime: str) -> None:
    """The customer shares an audio file (not a recorded voice note)."""
    media_id = office.sim.add_media(data, mime)
    content = {"mime_type": mime, "sha256": media_sha256(data), "id": media_id, "voice": False}
    office.say(CUSTOMER, "audio", content=content)


def needs_sound_output() -> None:
    if audio_output() is None:
        pytest.skip("no sound output on this machine (a PulseAudio null sink gives one)")


def test_a_voice_note_plays_pauses_and_goes_on_faster_from_where_it_was(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    needs_sound_output()
    office.say(CUSTOMER, "audio")  # 2.4 s of speech, Ogg/Opus
    note = the_note(qtbot, desk)
    voice, play, speed = desk.window.voice, *buttons(desk, note)

    def state() -> Any:
        return voice.playback(note["id"])

    def pace(distance: int, step: int = 100) -> float:
        """Milliseconds of the note heard per millisecond of clock, once sound flows.

        Timed from the first movement on: a sound server may take a moment to start
        a stream (PulseAudio under load: up to 2 s), which is not the note's speed.
        A sound server starved of CPU also stalls a stream and then catches up, so
        one stretch of the note comes slow and the next fast: the median over
        ``step`` ms stretches is the note's speed, where one overall figure was not.
        """
        start = state().position_ms
        qtbot.waitUntil(lambda: state().position_ms > start, timeout=5_000)
        marks = [(state().position_ms, time.monotonic())]
        while marks[-1][0] < marks[0][0] + distance:
            target = marks[-1][0] + step
            qtbot.waitUntil(lambda at=target: state().position_ms >= at, timeout=10_000)
            marks.append((state().position_ms, time.monotonic()))
        return statistics.median(
            (b_ms - a_ms) / max(1e-6, (b_at - a_at) * 1000)
            for (a_ms, a_at), (b_ms, b_at) in itertools.pairwise(marks)
        )

    click(qtbot, desk, play)
    normal = pace(500)
    assert state().playing and 2300 < state().duration_ms < 2600
    click(qtbot, desk, play)  # pause: the position holds
    assert not state().playing
    paused_at = state().position_ms
    click(qtbot, desk, speed)
    click(qtbot, desk, speed)  # 2×, chosen while paused
    assert voice.speed == 2.0 and state().position_ms == paused_at  # paused, it holds
    click(qtbot, desk, play)
    assert state().playing and paused_at <= state().position_ms < paused_at + 300  # not from 0
    faster = pace(800)
    assert 1.5 < faster / normal < 2.6, (normal, faster)  # 2×: twice the note per second
    before = state().position_ms
    click(qtbot, desk, speed)  # back to 1× while it plays: it goes on from the same place
    assert voice.speed == 1.0 and state().playing
    assert before <= state().position_ms < before + 300
    qtbot.waitUntil(lambda: voice.current is None, timeout=10_000)  # the note ends
    assert not state().playing and state().position_ms == 0  # back to its play button


def test_an_mp3_audio_plays_and_learns_its_length(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    needs_sound_output()
    t = np.arange(48_000 * 3) / 48_000
    mp3 = io.BytesIO()
    soundfile.write(
        mp3,
        (np.sin(2 * np.pi * 330 * t) / 4).astype(np.float32),
        48_000,
        "MPEG_LAYER_III",
        format="MP3",
    )
    customer_sends_audio(office, mp3.getvalue(), "audio/mpeg")
    note = the_note(qtbot, desk)
    voice = desk.window.voice
    assert voice.playback(note["id"]).duration_ms == 0  # not a voice note: not read ahead
    click(qtbot, desk, buttons(desk, note)[0])
    qtbot.waitUntil(lambda: voice.playback(note["id"]).position_ms > 200, timeout=15_000)
    assert abs(voice.playback(note["id"]).duration_ms - 3000) < 100


def test_audio_the_program_cannot_decode_says_so_and_can_still_be_saved(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    # An iPhone's shared audio: AAC in MP4, which libsndfile (hence the bubble) cannot read.
    m4a = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(64) + b"mdat" * 200
    customer_sends_audio(office, m4a, "audio/mp4")
    note = the_note(qtbot, desk)
    window = desk.window
    click(qtbot, desk, buttons(desk, note)[0])
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == UNPLAYABLE, timeout=15_000)
    state = window.voice.playback(note["id"])
    assert not state.playing and not state.loading and window.voice.current is None
    menu = QMenu()
    window.media_files.add_actions(menu, note, lambda _row: None)
    assert "Salvar como…" in [a.text() for a in menu.actions()]  # for a player that reads it


def test_without_a_sound_output_a_voice_note_says_so(
    office: DemoStack, desk: Desk, qtbot: QtBot
) -> None:
    if audio_output() is not None:
        pytest.skip("this machine has a sound output")
    office.say(CUSTOMER, "audio")
    note = the_note(qtbot, desk)
    window = desk.window
    click(qtbot, desk, buttons(desk, note)[0])
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == NO_OUTPUT, timeout=15_000)
    state = window.voice.playback(note["id"])
    assert not state.playing and not state.loading and window.voice.current is None
    assert 2300 < state.duration_ms < 2600  # the bubble still shows the note's length
