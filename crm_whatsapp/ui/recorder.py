"""Recording a voice note from the microphone, in memory, as the Ogg/Opus WhatsApp expects.

WhatsApp plays a voice note (microphone icon, automatic download,
transcription) only from Ogg with Opus audio sent with ``voice: true``.
Qt's bundled FFmpeg has no Opus encoder, so Qt Multimedia only captures
here: a :class:`QAudioSource` hands raw PCM (48 kHz mono, or the closest the
device offers) to :meth:`VoiceRecorder.feed`, which keeps it in memory as
16-bit mono; "send" encodes it with ``crm_whatsapp.domain.voice_encoding``
on a worker thread (about a second of CPU per minute of audio) and hands
the Ogg bytes over. Nothing is written to disk: a customer's conversation
is sealed at rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QIODevice, QObject, Signal
from PySide6.QtMultimedia import QAudio, QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.domain.voice_encoding import (
    MAX_MS,
    OPUS_RATE,
    PcmFormat,
    PcmTake,
    SampleKind,
    VoiceEncodingError,
    can_encode,
    encode_voice_note,
)
from crm_whatsapp.ui.background import BackgroundReads

log = logging.getLogger("crm_whatsapp.ui.recorder")


def _tr(text: str) -> str:
    return QCoreApplication.translate("VoiceRecorder", text)


@dataclass(frozen=True)
class RecordingFormat:
    """How a recorded note is sent."""

    mime_type: str
    filename: str
    voice: bool  # sent as a voice message (only Ogg/Opus is one for WhatsApp)


VOICE_NOTE = RecordingFormat("audio/ogg; codecs=opus", "mensagem-de-voz.ogg", True)

NO_MICROPHONE = QT_TRANSLATE_NOOP(
    "VoiceRecorder", "Nenhum microfone foi encontrado neste computador."
)
FAILED = QT_TRANSLATE_NOOP(
    "VoiceRecorder", "Não foi possível gravar o áudio; verifique o microfone e tente de novo."
)
NO_ENCODER = QT_TRANSLATE_NOOP(
    "VoiceRecorder",
    "Este computador não consegue gerar mensagens de voz (falta o codificador Opus); "
    "reinstale o programa.",
)
SILENT = QT_TRANSLATE_NOOP(
    "VoiceRecorder",
    "Nenhum som chegou do microfone; verifique se ele está ligado e se o sistema permite o "
    "acesso a ele.",
)
TOO_SHORT = QT_TRANSLATE_NOOP(
    "VoiceRecorder", "A mensagem de voz ficou curta demais; grave pelo menos 1 segundo."
)
AT_LIMIT = QT_TRANSLATE_NOOP(
    "VoiceRecorder", "A gravação chegou ao limite de {0} minutos e foi enviada."
)
DISCARDED = QT_TRANSLATE_NOOP(
    "VoiceRecorder", "A gravação foi descartada porque outra conversa foi aberta."
)
_SENTENCES = {
    VoiceEncodingError.EMPTY: SILENT,
    VoiceEncodingError.TOO_SHORT: TOO_SHORT,
    VoiceEncodingError.NO_ENCODER: NO_ENCODER,
}

_KINDS: dict[QAudioFormat.SampleFormat, SampleKind] = {
    QAudioFormat.SampleFormat.Int16: "int16",
    QAudioFormat.SampleFormat.Float: "float32",
    QAudioFormat.SampleFormat.Int32: "int32",
    QAudioFormat.SampleFormat.UInt8: "uint8",
}


def has_microphone() -> bool:
    return bool(QMediaDevices.audioInputs())


def capture_format(device: QAudioDevice) -> QAudioFormat:
    """What to ask ``device`` for: Opus's 48 kHz, mono, 16-bit, or the closest it offers."""
    wanted = QAudioFormat()
    low, high = device.minimumSampleRate(), device.maximumSampleRate()
    wanted.setSampleRate(min(max(OPUS_RATE, low), high) if high > 0 else OPUS_RATE)
    wanted.setChannelCount(max(1, device.minimumChannelCount()))
    offered = device.supportedSampleFormats()
    wanted.setSampleFormat(
        next((kind for kind in _KINDS if kind in offered), QAudioFormat.SampleFormat.Int16)
    )
    return wanted if device.isFormatSupported(wanted) else device.preferredFormat()


def pcm_format(audio: QAudioFormat) -> PcmFormat | None:
    """Qt's description of the captured bytes, for the encoder; ``None`` if unusable."""
    kind = _KINDS.get(audio.sampleFormat())
    if kind is None or audio.sampleRate() <= 0 or audio.channelCount() <= 0:
        return None
    return PcmFormat(audio.sampleRate(), audio.channelCount(), kind)


class VoiceRecorder(QObject):
    """One voice note at a time: ``start``, then ``finish`` (send) or ``cancel``.

    ``elapsed`` ticks the recorded milliseconds; ``recorded`` carries the
    Ogg/Opus bytes and :data:`VOICE_NOTE`; ``problem`` one sentence (already
    translated) when recording cannot start, fails or gives nothing to send;
    ``notice`` one sentence the attendant should read (limit reached, note
    discarded). ``recording`` stays true from ``start`` until the note is
    handed over or dropped, encoding included.
    """

    elapsed = Signal(int)
    recorded = Signal(bytes, object)
    problem = Signal(str)
    notice = Signal(str)
    recording_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: QAudioSource | None = None
        self._device: QIODevice | None = None
        self._take: PcmTake | None = None
        self._encoding = False
        self._work = BackgroundReads(self, name="voice-encoding")

    @property
    def recording(self) -> bool:
        return self._take is not None

    def start(self) -> bool:
        """Start recording from the default microphone; ``False`` (and ``problem``) if it cannot."""
        if self.recording:
            return True
        device = QMediaDevices.defaultAudioInput()
        if device.isNull():
            log.info("voice note not recorded: no audio input")
            self.problem.emit(_tr(NO_MICROPHONE))
            return False
        if not can_encode():
            log.warning("voice note not recorded: libsndfile here cannot write Ogg/Opus")
            self.problem.emit(_tr(NO_ENCODER))
            return False
        audio = capture_format(device)
        fmt = pcm_format(audio)
        source = QAudioSource(device, audio, self)
        stream = source.start() if fmt is not None else None
        if fmt is None or stream is None or source.error() != QAudio.Error.NoError:
            log.warning("voice note not recorded: the microphone did not open (%s)", source.error())
            source.deleteLater()
            self.problem.emit(_tr(FAILED))
            return False
        self._source, self._device = source, stream
        stream.readyRead.connect(self._read)
        source.stateChanged.connect(self._source_state)
        self.begin(fmt)
        return True

    def begin(self, fmt: PcmFormat) -> None:
        """A new note whose PCM, in ``fmt``, arrives through :meth:`feed`."""
        self._take = PcmTake(fmt)
        self._encoding = False
        self.recording_changed.emit(True)
        self.elapsed.emit(0)

    def feed(self, chunk: bytes) -> None:
        """PCM as the microphone delivered it (what ``readyRead`` hands over)."""
        take = self._take
        if take is None or self._encoding:
            return
        take.add(chunk)
        self.elapsed.emit(take.duration_ms)
        if take.full:
            log.info("voice note reached its length limit: sent as it is")
            self.notice.emit(_tr(AT_LIMIT).format(MAX_MS // 60_000))
            self.finish()

    def finish(self) -> None:
        """Stop capturing and send: the note is encoded off the window's thread."""
        take = self._take
        if take is None or self._encoding:
            return
        self._stop_capture()
        self._encoding = True
        pcm, fmt = take.pcm(), take.mono_format()
        self._work.run(
            "encode", lambda: encode_voice_note(pcm, fmt), self._encoded, self._not_encoded
        )

    def cancel(self) -> None:
        """Stop and drop what was recorded: nothing is sent, nothing stays in memory."""
        if self._take is None:
            return
        self._work.forget("encode")  # an encoding under way is let go
        self._stop_capture()
        self._end()

    def discard(self) -> None:
        """Drop a note under way because its conversation was left, and say so."""
        if self.recording:
            self.cancel()
            self.notice.emit(_tr(DISCARDED))

    def _read(self) -> None:
        if self._device is not None:
            self.feed(bytes(self._device.readAll().data()))

    def _source_state(self, state: QAudio.State) -> None:
        source = self._source
        if source is None or state != QAudio.State.StoppedState:
            return
        if source.error() != QAudio.Error.NoError:  # the microphone went away or failed
            log.warning("voice note recording failed: %s", source.error().name)
            self.cancel()
            self.problem.emit(_tr(FAILED))

    def _encoded(self, data: bytes) -> None:
        self._end()
        self.recorded.emit(data, VOICE_NOTE)

    def _not_encoded(self, error: BaseException) -> None:
        self._end()
        reason = error.reason if isinstance(error, VoiceEncodingError) else ""
        log.info("voice note not sent: %s", reason or type(error).__name__)
        self.problem.emit(_tr(_SENTENCES.get(reason, FAILED)))

    def _stop_capture(self) -> None:
        source, self._source = self._source, None
        self._device = None
        if source is not None:
            source.stateChanged.disconnect(self._source_state)
            source.stop()
            source.deleteLater()

    def _end(self) -> None:
        self._take = None
        self._encoding = False
        self.recording_changed.emit(False)
