"""Voice notes and audio played inside the thread, from memory.

Attendants listen to customers' voice notes all day; WhatsApp plays them in
the bubble, and so does the inbox. The bytes come from the sealed media
cache (fetched through the relay the first time), are decoded and
time-stretched on a worker thread (``domain.voice_decoding``, libsndfile),
and the PCM is handed to Qt's :class:`QAudioSink` in a QBuffer: the clear
audio never touches the disk (guarantee 3), unlike a copy opened in the
system's player. Qt's media player is not used: it decodes only through its
FFmpeg plugin, which the installed program leaves out (some 40 MB).
libsndfile has no AAC (``.m4a``) nor AMR: those say they cannot be played,
and "Salvar como…" keeps them for another player.

One player serves the window, as in WhatsApp: starting a note stops the one
that was playing, and the speed chosen (1×, 1.5×, 2×) holds for every note,
at the voice's own pitch; changing it mid-note goes on from the same place.
A note's length shows before it plays: the note is fetched as its bubble is
first drawn (WhatsApp downloads voice notes by itself) and the length read
from its Ogg pages once (``domain.ogg``), then kept for the session.
Qt's audio starts once the window runs (:func:`start_multimedia`): a few
milliseconds without the FFmpeg plugin.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    Signal,
    qFormatLogMessage,
    qInstallMessageHandler,
)
from PySide6.QtMultimedia import QAudio, QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.domain.ogg import duration_ms
from crm_whatsapp.domain.shapes import as_object, text_at
from crm_whatsapp.domain.voice_decoding import (
    SPEEDS,
    AudioDecodingError,
    DecodedAudio,
    decode,
    note_position_ms,
    playback_pcm,
)
from crm_whatsapp.domain.voice_encoding import PcmFormat
from crm_whatsapp.sync.media import MediaCache
from crm_whatsapp.ui.recorder import pcm_format

log = logging.getLogger("crm_whatsapp.ui.voice")
TICK_MS = 100  # how often the bubble's progress moves while a note plays

UNPLAYABLE = QT_TRANSLATE_NOOP("VoicePlayer", "Não foi possível tocar este áudio.")
NO_OUTPUT = QT_TRANSLATE_NOOP(
    "VoicePlayer",
    "Nenhuma saída de som foi encontrada neste computador; conecte fones ou caixas de som "
    "para ouvir o áudio.",
)

# What Qt says, once, when no media backend plugin is installed (the installed program
# leaves FFmpeg's out); the sentence itself names the classes that still work, the only
# ones used here. Matched whole, so any other wording still shows.
_NO_BACKEND = (
    "No QtMultimedia backends found. Only QMediaDevices, QAudioDevice, QSoundEffect, "
    "QAudioSink, and QAudioSource are available."
)
_multimedia_started = False


def _tr(text: str) -> str:
    return QCoreApplication.translate("VoicePlayer", text)


def start_multimedia() -> None:
    """Start Qt Multimedia's audio, once, without its warning about the missing backend.

    Qt looks for a media backend plugin the first time any of its audio
    classes is used and, finding none, prints :data:`_NO_BACKEND` as a
    warning in the default category: there is no logging rule to turn off
    that one sentence without turning off every plain ``qWarning``. So a
    message handler drops that exact sentence during the one call that
    starts the integration, hands every other message to the handler that
    was there (pytest-qt's in the tests), and is removed at once. Whoever
    touches Qt's audio devices first must call this: the player does as the
    window starts (before the recorder's microphone button can be used), and
    the self-check does.
    """
    global _multimedia_started
    if _multimedia_started:
        return
    _multimedia_started = True
    previous: Any = None

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message == _NO_BACKEND:
            return
        if previous is not None:
            previous(mode, context, message)
        else:  # Qt's own handler was in place: print as it does
            print(qFormatLogMessage(mode, context, message), file=sys.stderr, flush=True)

    previous = qInstallMessageHandler(handler)
    try:
        QMediaDevices.audioOutputs()  # creates Qt's media integration: the only moment it warns
    finally:
        qInstallMessageHandler(previous)


def audio_output() -> QAudioDevice | None:
    """The sound output the system plays through, or ``None`` when this computer has none."""
    start_multimedia()
    if not QMediaDevices.audioOutputs():  # asked first: the default would warn that none is
        return None
    device = QMediaDevices.defaultAudioOutput()
    return None if device.isNull() else device


def output_format(device: QAudioDevice, audio: DecodedAudio) -> QAudioFormat:
    """The note's own rate and channels in 16 bits if ``device`` takes them, else its own."""
    wanted = QAudioFormat()
    wanted.setSampleRate(audio.sample_rate)
    wanted.setChannelCount(audio.channels)
    wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    if device.isFormatSupported(wanted):
        return wanted
    preferred = device.preferredFormat()
    wanted.setSampleRate(preferred.sampleRate())
    wanted.setChannelCount(preferred.channelCount())
    if device.isFormatSupported(wanted) or pcm_format(preferred) is None:
        return wanted
    return preferred


@dataclass(frozen=True)
class Playback:
    """What a message's audio row shows: a play or pause button, progress and time."""

    playing: bool
    loading: bool
    position_ms: int
    duration_ms: int

    @property
    def fraction(self) -> float:
        return min(1.0, self.position_ms / self.duration_ms) if self.duration_ms > 0 else 0.0


def is_voice_note(row: dict[str, Any]) -> bool:
    """A recorded voice note (``voice: true``) or Ogg/Opus audio: its length is cheap to read.

    Other audio (a song, a call recording in MP3) is fetched only when played.
    """
    audio = as_object(as_object(row.get("item")).get("audio"))
    mime = text_at(audio, "mime_type").lower()
    return audio.get("voice") is True or "ogg" in mime or "opus" in mime


def speed_label(speed: float) -> str:
    """``1×``, ``1.5×``, ``2×`` as WhatsApp's speed button reads."""
    return f"{speed:g}×"


def clock(ms: int) -> str:
    """``m:ss`` as WhatsApp shows a voice note's length."""
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


class VoicePlayer(QObject):
    """Plays one message's audio at a time; ``changed`` names the message to repaint.

    The note playing is kept decoded (``_audio``) while it is the current
    one, so pausing, resuming and changing speed need no new fetch: a
    speed change stretches the rest of the note again from where it is.
    Every start, stop and re-stretch takes a new ticket; the result of a
    worker thread holding an older one is dropped.
    """

    changed = Signal(object)  # message id (over 32 bits)
    problem = Signal(str)  # one sentence for the status bar

    def __init__(self, media: MediaCache | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.media = media
        self.current: int | None = None
        self._loading: int | None = None
        self._durations: dict[int, int] = {}  # read from the file, or from its decoding
        self._measuring: set[int] = set()  # notes whose length is being read, or could not be
        self.speed = 1.0
        self._audio: DecodedAudio | None = None  # the current note, decoded (memory only)
        self._device: QAudioDevice | None = None
        self._format: QAudioFormat | None = None
        self._sink: QAudioSink | None = None
        self._buffer: QBuffer | None = None  # the sink's PCM (a child of the sink)
        self._from_ms = 0  # where in the note the sink's PCM begins
        self._sink_speed = 1.0  # the speed the sink's PCM was stretched for
        self._playing = False  # the button shows pause: playing, or about to
        self._ticket = 0
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._moved)
        # Qt's audio starts as soon as the window runs, not at the first note: the recorder
        # (its microphone button) touches it too, and whoever is first must go through
        # start_multimedia to keep Qt's warning about the missing FFmpeg plugin away.
        QTimer.singleShot(0, start_multimedia)

    # -- what the delegate asks ---------------------------------------------------------

    def playback(self, message_id: int) -> Playback:
        duration = self._durations.get(message_id, 0)
        if message_id == self._loading:
            return Playback(False, True, 0, duration)
        if message_id != self.current:
            return Playback(False, False, 0, duration)
        return Playback(self.is_playing(), False, self.position_ms(), duration)

    def position_ms(self) -> int:
        """Where the current note is, in the note's own time whatever the speed."""
        if self._sink is None:
            return self._from_ms
        played = note_position_ms(self._from_ms, self._sink.processedUSecs(), self._sink_speed)
        return min(played, self._audio.duration_ms) if self._audio is not None else played

    def measure(self, row: dict[str, Any]) -> None:
        """Read ``row``'s length from its file, once, so the bubble shows it before playing."""
        message_id = int(row["id"])
        if message_id in self._durations or message_id in self._measuring or self.media is None:
            return
        if not is_voice_note(row):
            return
        self._measuring.add(message_id)
        spawn(self._measure(message_id, row.get("media_id")), "voice-length")

    async def _measure(self, message_id: int, media_id: str | None) -> None:
        try:
            data = await self._read(message_id, media_id)
        except Exception as exc:  # no relay now: the length shows once it is played
            log.info("voice note length unavailable: %s", type(exc).__name__)
            return
        length = await asyncio.to_thread(duration_ms, data) if data else None
        if length and message_id not in self._durations and shiboken6.isValid(self):
            self._durations[message_id] = length
            self.changed.emit(message_id)

    def cycle_speed(self) -> float:
        """The next speed (1× → 1.5× → 2× → 1×), applied to the note playing; returns it.

        A note playing is stretched again from where it is (a pause of a few
        hundredths of a second for a minute's note); a paused one is, when
        it resumes.
        """
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        if self.current is not None and self._audio is not None:
            if self._playing:
                self._stretch_again()
            else:
                self._from_ms = self.position_ms()
                self._drop_sink()
            self.changed.emit(self.current)
        return self.speed

    def is_playing(self) -> bool:
        return self._playing and self.current is not None

    # -- what a click does ----------------------------------------------------------------

    def toggle(self, row: dict[str, Any]) -> None:
        """Play ``row``'s audio, or pause/resume it if it is the one loaded."""
        message_id = int(row["id"])
        if message_id == self._loading:
            return
        if message_id == self.current and self._audio is not None:
            if self._playing:
                self._pause()
            else:
                self._resume()
            return
        spawn(self._start(message_id, row.get("media_id")), "voice-note")

    def stop(self) -> None:
        """Stop playing and let the note's PCM go (another note, the window closing)."""
        previous = [m for m in (self.current, self._loading) if m is not None]
        self._ticket += 1  # whatever a worker thread is preparing is dropped
        self._drop_sink()
        self._audio = self._device = self._format = None
        self.current = self._loading = None
        self._playing = False
        self._from_ms = 0
        for message_id in previous:
            self.changed.emit(message_id)

    def _pause(self) -> None:
        self._playing = False
        self._ticker.stop()
        if self._sink is not None:
            self._sink.suspend()
        self.changed.emit(self.current)

    def _resume(self) -> None:
        self._playing = True
        if self._sink is not None and self._sink_speed == self.speed:
            self._sink.resume()
            self._ticker.start()
        else:  # the speed changed while paused
            self._stretch_again()
        self.changed.emit(self.current)

    def _stretch_again(self) -> None:
        """Go on at the new speed from where the note is; silent for the moment it takes."""
        position = self.position_ms()
        if self._sink is not None:
            self._sink.suspend()
        self._ticket += 1
        spawn(self._play_from(self._ticket, position), "voice-speed")

    # -- preparing and playing the PCM ------------------------------------------------------

    async def _start(self, message_id: int, media_id: str | None) -> None:
        """Fetch, decode, then play from the start; a step that fails says so."""
        self.stop()
        ticket = self._ticket
        self._loading = message_id
        self.changed.emit(message_id)
        audio = await self._decode(message_id, media_id)
        if self._stale(ticket):  # another note started, or the window closed: it repainted
            return
        self._loading = None
        if audio is not None:
            self._durations[message_id] = audio.duration_ms
        device = audio_output() if audio is not None else None
        if audio is None or device is None:
            if audio is not None:
                log.info("voice note not played: no audio output on this computer")
            self.problem.emit(_tr(UNPLAYABLE if audio is None else NO_OUTPUT))
            self.changed.emit(message_id)
            return
        self.current, self._audio, self._device = message_id, audio, device
        self._format = output_format(device, audio)
        self._playing = True
        self.changed.emit(message_id)
        await self._play_from(ticket, 0)

    async def _decode(self, message_id: int, media_id: str | None) -> DecodedAudio | None:
        """The note's PCM, or ``None`` after logging why (by kind, never its content)."""
        try:
            data = await self._read(message_id, media_id)
            return await asyncio.to_thread(decode, data) if data is not None else None
        except AudioDecodingError as exc:  # AAC, AMR, damaged bytes
            log.info("voice note not decoded: %s", exc.reason)
        except Exception as exc:  # no relay, expired media
            log.info("voice note unavailable: %s", type(exc).__name__)
        return None

    async def _play_from(self, ticket: int, position: int) -> None:
        audio, fmt = self._audio, self._format
        if audio is None or fmt is None:
            return
        speed = self.speed
        try:
            pcm = await asyncio.to_thread(playback_pcm, audio, position, speed, _layout(fmt))
        except Exception as exc:  # numpy out of memory, say
            log.warning("voice note not stretched: %s", type(exc).__name__)
            if not self._stale(ticket):
                self._fail()
            return
        if not self._stale(ticket):
            self._begin(pcm, position, speed)

    def _begin(self, pcm: bytes, position: int, speed: float) -> None:
        """Hand ``pcm`` (the note from ``position`` at ``speed``) to a new sink and play it."""
        self._drop_sink()
        self._from_ms = position
        if not self._playing:  # paused meanwhile: resuming stretches again
            return
        if speed != self.speed:  # the speed changed while this was prepared
            self._stretch_again()
            return
        if not pcm:  # at the very end
            self.stop()
            return
        assert self._device is not None and self._format is not None
        sink = QAudioSink(self._device, self._format, self)
        buffer = QBuffer(sink)
        buffer.setData(QByteArray(pcm))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        sink.stateChanged.connect(lambda state, s=sink: self._sink_state(s, state))
        self._sink, self._buffer, self._sink_speed = sink, buffer, speed
        sink.start(buffer)
        if sink.error() != QAudio.Error.NoError:
            log.warning("voice note not played: the audio output did not open (%s)", sink.error())
            self._fail()
            return
        self._ticker.start()
        self.changed.emit(self.current)

    def _sink_state(self, sink: QAudioSink, state: QAudio.State) -> None:
        if sink is not self._sink:
            return
        if state == QAudio.State.IdleState and self._buffer is not None and self._buffer.atEnd():
            self.stop()  # the note ended: back to its play button, as in WhatsApp
        elif state == QAudio.State.StoppedState and sink.error() != QAudio.Error.NoError:
            log.warning("voice note playback failed: %s", sink.error())
            self._fail()

    def _drop_sink(self) -> None:
        sink, self._sink, self._buffer = self._sink, None, None
        self._ticker.stop()
        if sink is not None:
            sink.stop()
            sink.deleteLater()  # its buffer, a child, goes with it

    def _fail(self) -> None:
        self.problem.emit(_tr(UNPLAYABLE))
        self.stop()

    def _stale(self, ticket: int) -> bool:
        return ticket != self._ticket or not shiboken6.isValid(self)

    async def _read(self, message_id: int, media_id: str | None) -> bytes | None:
        return await self.media.load(message_id, media_id) if self.media is not None else None

    def _moved(self) -> None:
        if self.current is not None:
            self.changed.emit(self.current)


def _layout(fmt: QAudioFormat) -> PcmFormat:
    """``fmt`` as the domain's PCM description (``output_format`` only picks usable ones)."""
    layout = pcm_format(fmt)
    assert layout is not None
    return layout
