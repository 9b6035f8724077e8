"""Voice notes and audio played inside the thread, from memory.

Attendants listen to customers' voice notes all day; WhatsApp plays them in
the bubble, and so does the inbox. The bytes come from the sealed media
cache (fetched through the relay the first time) and are handed to Qt's
player in a QBuffer: the clear audio never touches the disk (guarantee 3),
unlike a copy opened in the system's player.

One player serves the window, as in WhatsApp: starting a note stops the one
that was playing, and the speed chosen (1×, 1.5×, 2×) holds for every note.
A note's length shows before it plays: the note is fetched as its bubble is
first drawn (WhatsApp downloads voice notes by itself) and the length read
from its Ogg pages once (``domain.ogg``), then kept for the session.
QtMultimedia is imported when the first note plays, so opening the window
does not pay for it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, QUrl, Signal

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.domain.ogg import duration_ms
from crm_whatsapp.domain.shapes import as_object, text_at
from crm_whatsapp.sync.media import MediaCache

log = logging.getLogger("crm_whatsapp.ui.voice")
SPEEDS = (1.0, 1.5, 2.0)  # WhatsApp's voice note speeds, cycled by the button in the bubble


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
    """Plays one message's audio at a time; ``changed`` names the message to repaint."""

    changed = Signal(object)  # message id (over 32 bits)
    problem = Signal(str)  # one sentence for the status bar

    def __init__(self, media: MediaCache | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.media = media
        self.current: int | None = None
        self._loading: int | None = None
        self._player: Any = None
        self._output: Any = None
        self._buffer: QBuffer | None = None
        self._durations: dict[int, int] = {}  # read from the file, or told by the player
        self._measuring: set[int] = set()  # notes whose length is being read, or could not be
        self.speed = 1.0

    # -- what the delegate asks ---------------------------------------------------------

    def playback(self, message_id: int) -> Playback:
        duration = self._durations.get(message_id, 0)
        if message_id == self._loading:
            return Playback(False, True, 0, duration)
        if message_id != self.current or self._player is None:
            return Playback(False, False, 0, duration)
        return Playback(self.is_playing(), False, int(self._player.position()), duration)

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
        if length and message_id not in self._durations:
            self._durations[message_id] = length
            self.changed.emit(message_id)

    def cycle_speed(self) -> float:
        """The next speed (1× → 1.5× → 2× → 1×), applied to the note playing; returns it."""
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        if self._player is not None:
            self._player.setPlaybackRate(self.speed)
        if self.current is not None:
            self.changed.emit(self.current)
        return self.speed

    def is_playing(self) -> bool:
        if self._player is None:
            return False
        from PySide6.QtMultimedia import QMediaPlayer

        return bool(self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState)

    # -- what a click does ----------------------------------------------------------------

    def toggle(self, row: dict[str, Any]) -> None:
        """Play ``row``'s audio, or pause/resume it if it is the one loaded."""
        message_id = int(row["id"])
        if message_id == self._loading:
            return
        if message_id == self.current and self._player is not None:
            if self.is_playing():
                self._player.pause()
            else:
                self._player.play()
            return
        spawn(self._start(message_id, row.get("media_id")), "voice-note")

    def stop(self) -> None:
        """Stop playing. The source stays set (its buffer alive) until the next note:
        unsetting it from under the FFmpeg backend could deadlock the window's thread
        (seen when a window closed while a note was loaded)."""
        previous = self.current
        if self._player is not None:
            self._player.stop()
        self.current = None
        if previous is not None:
            self.changed.emit(previous)

    async def _start(self, message_id: int, media_id: str | None) -> None:
        self.stop()
        self._loading = message_id
        self.changed.emit(message_id)
        try:
            data = await self._read(message_id, media_id)
        except Exception as exc:  # no relay, expired media
            log.info("voice note unavailable: %s", type(exc).__name__)
            data = None
        finally:
            self._loading = None
        if data is None:
            self.problem.emit(
                QCoreApplication.translate("VoicePlayer", "Não foi possível tocar este áudio.")
            )
            self.changed.emit(message_id)
            return
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.current = message_id
        player = self._ensure_player()
        player.setPlaybackRate(self.speed)
        # The name only hints the container to the decoder; nothing is read from disk.
        player.setSourceDevice(buffer, QUrl(f"mensagem-{message_id}.ogg"))
        previous, self._buffer = self._buffer, buffer
        if previous is not None:  # the player has let go of it now
            previous.deleteLater()
        player.play()
        self.changed.emit(message_id)

    async def _read(self, message_id: int, media_id: str | None) -> bytes | None:
        return await self.media.load(message_id, media_id) if self.media is not None else None

    def _ensure_player(self) -> Any:
        if self._player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self._player = QMediaPlayer(self)
            self._output = QAudioOutput(self)
            self._player.setAudioOutput(self._output)
            self._player.positionChanged.connect(self._moved)
            self._player.durationChanged.connect(self._timed)
            self._player.playbackStateChanged.connect(self._moved)
            self._player.errorOccurred.connect(self._error)
        return self._player

    def _moved(self, *_args: Any) -> None:
        if self.current is not None:
            self.changed.emit(self.current)

    def _timed(self, duration: int) -> None:
        if self.current is not None and duration > 0:
            self._durations[self.current] = int(duration)
            self.changed.emit(self.current)

    def _error(self, *_args: Any) -> None:
        log.info("voice note could not be decoded")
        self.problem.emit(
            QCoreApplication.translate("VoicePlayer", "Não foi possível tocar este áudio.")
        )
        self.stop()
