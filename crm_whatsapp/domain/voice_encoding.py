"""A recorded voice note, from a microphone's PCM to the Ogg/Opus WhatsApp plays as one.

WhatsApp treats audio as a voice message (microphone icon, automatic
download, transcription) only when it is Ogg with Opus audio sent with
``voice: true``. Qt's bundled FFmpeg has no Opus encoder, so the PCM a
microphone gives is encoded here with libsndfile (the ``soundfile`` wheels
bundle one with Opus on Linux, Windows and macOS), from memory to memory:
a customer's conversation is sealed at rest, so no clear file is written.

A microphone offers whatever rate, channel count and sample type it has;
:class:`PcmTake` turns each chunk into 16-bit mono as it arrives (a
recording's memory stays at 96 KB a second at 48 kHz whatever the device
delivers) and stops taking more at :data:`MAX_MS`. Encoding resamples to
Opus's own 48 kHz and takes about a second of CPU for a minute of audio
on a laptop core, so callers run it off the window's thread. No Qt here.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

log = logging.getLogger("crm_whatsapp.domain.voice_encoding")

OPUS_RATE = 48_000
MIN_MS = 1_000  # shorter is a slip of the finger, not a message (WhatsApp drops it too)
# Bounds the PCM held in memory (about 86 MB at 48 kHz) and keeps the Ogg, about 240 KB a
# minute, far under the 16 MB Meta takes for audio.
MAX_MS = 15 * 60 * 1_000
MAX_BYTES = 16 * 1024 * 1024  # Meta's limit for an audio message
# libsndfile's 0..1 scale, mapped onto Opus's bit rates: 0.9 is about 32 kbit/s in mono,
# what WhatsApp's own notes use for speech.
COMPRESSION = 0.9

SampleKind = Literal["uint8", "int16", "int32", "float32"]
_DTYPES: dict[str, str] = {"uint8": "<u1", "int16": "<i2", "int32": "<i4", "float32": "<f4"}


class VoiceEncodingError(ValueError):
    """Why a recording cannot become a voice note; ``reason`` is one of the constants below."""

    EMPTY = "empty"  # no sound came at all (a muted microphone, access refused)
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    NO_ENCODER = "no_encoder"  # this libsndfile cannot write Ogg/Opus

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class PcmFormat:
    """How a microphone's bytes are laid out: interleaved frames, little-endian samples."""

    sample_rate: int
    channels: int
    sample: SampleKind

    def __post_init__(self) -> None:
        if self.sample_rate <= 0 or self.channels <= 0 or self.sample not in _DTYPES:
            raise ValueError(f"not a PCM format: {self}")

    @property
    def bytes_per_frame(self) -> int:
        return self.channels * np.dtype(_DTYPES[self.sample]).itemsize


def to_mono_int16(pcm: bytes, fmt: PcmFormat) -> bytes:
    """Whole frames of ``pcm`` as 16-bit mono at the same rate (channels averaged)."""
    usable = len(pcm) - len(pcm) % fmt.bytes_per_frame
    samples = np.frombuffer(pcm[:usable], dtype=_DTYPES[fmt.sample])
    if fmt.sample == "uint8":
        scaled = (samples.astype(np.float32) - 128.0) / 128.0
    elif fmt.sample == "int16":
        scaled = samples.astype(np.float32) / 32768.0
    elif fmt.sample == "int32":
        scaled = samples.astype(np.float32) / 2_147_483_648.0
    else:
        scaled = samples.astype(np.float32)
    mono = scaled.reshape(-1, fmt.channels).mean(axis=1)
    return (np.clip(mono, -1.0, 32767 / 32768) * 32768.0).astype("<i2").tobytes()


class PcmTake:
    """One recording's sound, kept as 16-bit mono while chunks arrive from the microphone.

    A chunk may end inside a frame (the device hands over what it has): the
    rest waits for the next chunk. Past :data:`MAX_MS` nothing more is kept
    and ``full`` is true, so the caller can end the note.
    """

    def __init__(self, fmt: PcmFormat, max_ms: int = MAX_MS) -> None:
        self.format = fmt
        self._mono = bytearray()
        self._partial = b""
        self._max_bytes = fmt.sample_rate * 2 * max_ms // 1000

    @property
    def duration_ms(self) -> int:
        return len(self._mono) // 2 * 1000 // self.format.sample_rate

    @property
    def full(self) -> bool:
        return len(self._mono) >= self._max_bytes

    def add(self, chunk: bytes) -> None:
        if self.full or not chunk:
            return
        data = self._partial + chunk
        whole = len(data) - len(data) % self.format.bytes_per_frame
        self._partial = data[whole:]
        room = self._max_bytes - len(self._mono)
        self._mono += to_mono_int16(data[:whole], self.format)[:room]

    def pcm(self) -> bytes:
        """What was kept, 16-bit mono at the device's rate (a copy: the take may go on)."""
        return bytes(self._mono)

    def mono_format(self) -> PcmFormat:
        return PcmFormat(self.format.sample_rate, 1, "int16")


def can_encode() -> bool:
    """Whether this machine's libsndfile writes Ogg/Opus (the wheels' does)."""
    try:
        import soundfile
    except OSError:  # no libsndfile at all
        return False
    return "OPUS" in soundfile.available_subtypes("OGG")


def encode_voice_note(pcm: bytes, fmt: PcmFormat, max_ms: int = MAX_MS) -> bytes:
    """``pcm`` in ``fmt`` as an Ogg/Opus voice note, mono at 48 kHz.

    Raises :class:`VoiceEncodingError` when there is nothing to send, too
    little, too much, or no Opus encoder here; the bytes returned start with
    an Ogg page holding ``OpusHead``.
    """
    mono = np.frombuffer(to_mono_int16(pcm, fmt), dtype="<i2")
    if not mono.size or not mono.any():
        raise VoiceEncodingError(VoiceEncodingError.EMPTY, "no sound in the recording")
    duration = mono.size * 1000 // fmt.sample_rate
    if duration < MIN_MS:
        raise VoiceEncodingError(VoiceEncodingError.TOO_SHORT, f"{duration} ms recorded")
    if duration > max_ms:
        raise VoiceEncodingError(VoiceEncodingError.TOO_LONG, f"{duration} ms recorded")
    samples = _at_opus_rate(mono.astype(np.float32) / 32768.0, fmt.sample_rate)
    ogg = _write_ogg_opus(samples)
    if len(ogg) > MAX_BYTES:
        raise VoiceEncodingError(VoiceEncodingError.TOO_LONG, f"{len(ogg)} bytes encoded")
    return ogg


def _at_opus_rate(samples: npt.NDArray[np.float32], rate: int) -> npt.NDArray[np.float32]:
    """Linear resampling to 48 kHz: enough for speech, whose content lies far under 8 kHz."""
    if rate == OPUS_RATE:
        return samples
    count = round(samples.size * OPUS_RATE / rate)
    source = np.arange(samples.size, dtype=np.float64) / rate
    target = np.arange(count, dtype=np.float64) / OPUS_RATE
    return np.interp(target, source, samples).astype(np.float32)


def _write_ogg_opus(samples: npt.NDArray[np.float32]) -> bytes:
    try:
        import soundfile
    except OSError as exc:
        raise VoiceEncodingError(VoiceEncodingError.NO_ENCODER, "libsndfile missing") from exc
    out = io.BytesIO()
    try:
        soundfile.write(
            out, samples, OPUS_RATE, format="OGG", subtype="OPUS", compression_level=COMPRESSION
        )
    except (soundfile.LibsndfileError, ValueError, TypeError) as exc:
        log.warning("libsndfile could not write Ogg/Opus (%s)", type(exc).__name__)
        raise VoiceEncodingError(VoiceEncodingError.NO_ENCODER, "Ogg/Opus not written") from exc
    data = out.getvalue()
    if not data.startswith(b"OggS") or b"OpusHead" not in data[:512]:
        raise VoiceEncodingError(VoiceEncodingError.NO_ENCODER, "libsndfile wrote no Ogg/Opus")
    return data
