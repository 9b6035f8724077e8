"""A voice note or audio, from its bytes to the PCM a sound card plays, in memory.

Qt's media player decodes only through its FFmpeg plugin, which brings some
40 MB of libraries (and the QtQuick ones it links) into the installed
program for nothing but voice notes. libsndfile, which already encodes the
notes we send (``domain.voice_encoding``), decodes Ogg/Opus (every WhatsApp
voice note), Ogg/Vorbis, MP3, WAV and FLAC from memory, so playback needs
only Qt's audio output. It has no AAC (``.m4a``, what some phones send as a
plain audio file) and no AMR: :func:`decode` refuses them with
:class:`AudioDecodingError`, and the attendant saves the file to play it
elsewhere.

WhatsApp plays voice notes at 1.5× and 2× without the chipmunk voice that
playing the samples faster would give: :func:`time_stretch` shortens the
sound and keeps its pitch with WSOLA (waveform-similarity overlap-add), the
classic method for speech. Nothing here writes to disk (guarantee 3: a
customer's conversation is never in clear on disk), and no Qt: the window
runs these functions on a worker thread.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from crm_whatsapp.domain.voice_encoding import PcmFormat

log = logging.getLogger("crm_whatsapp.domain.voice_decoding")

SPEEDS = (1.0, 1.5, 2.0)  # WhatsApp's voice note speeds
# Bounds the PCM kept for the note playing: 15 minutes of 48 kHz stereo, or an hour of
# 24 kHz mono (the rate libsndfile decodes WhatsApp's own voice notes at). A longer file is
# refused rather than let the window take gigabytes.
MAX_PCM_BYTES = 192 * 1024 * 1024
FRAME_SECONDS = 0.030  # WSOLA's frame: a few pitch periods of speech
TOLERANCE_SECONDS = 0.008  # how far a frame may move to line up: over half the longest period
SEARCH_RATE = 12_000  # the similarity search runs on a copy decimated to about this rate

Pcm = npt.NDArray[np.int16]  # frames × channels


class AudioDecodingError(ValueError):
    """Why the bytes cannot be played; ``reason`` is one of the constants below."""

    UNREADABLE = "unreadable"  # a format libsndfile lacks (AAC, AMR) or damaged bytes
    EMPTY = "empty"
    TOO_LONG = "too_long"

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True, eq=False)
class DecodedAudio:
    """A whole note as 16-bit PCM: ``samples`` is frames × channels at ``sample_rate``."""

    samples: Pcm
    sample_rate: int

    @property
    def channels(self) -> int:
        return int(self.samples.shape[1])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[0])

    @property
    def duration_ms(self) -> int:
        return self.frames * 1000 // self.sample_rate


def decode(data: bytes, max_bytes: int = MAX_PCM_BYTES) -> DecodedAudio:
    """``data`` (Ogg/Opus, Ogg/Vorbis, MP3, WAV, FLAC…) decoded from memory to 16-bit PCM.

    Raises :class:`AudioDecodingError` for a format libsndfile cannot read
    (AAC, AMR), damaged bytes, no sound at all, or more than ``max_bytes``
    of PCM. Takes a few milliseconds per second of audio: call it off the
    window's thread.
    """
    try:
        import soundfile
    except OSError as exc:  # no libsndfile at all
        raise AudioDecodingError(AudioDecodingError.UNREADABLE, "libsndfile missing") from exc
    try:
        with soundfile.SoundFile(io.BytesIO(data)) as sound:
            rate, channels, frames = sound.samplerate, sound.channels, sound.frames
            if rate <= 0 or channels <= 0:
                raise AudioDecodingError(AudioDecodingError.UNREADABLE, "no audio stream")
            if frames * channels * 2 > max_bytes:
                raise AudioDecodingError(AudioDecodingError.TOO_LONG, f"{frames} frames")
            samples = sound.read(dtype="int16", always_2d=True)
    except AudioDecodingError:
        raise
    except (RuntimeError, ValueError, TypeError, EOFError) as exc:  # LibsndfileError is one
        raise AudioDecodingError(AudioDecodingError.UNREADABLE, type(exc).__name__) from exc
    if not samples.size:
        raise AudioDecodingError(AudioDecodingError.EMPTY, "no frames")
    return DecodedAudio(np.ascontiguousarray(samples, dtype=np.int16), int(rate))


def time_stretch(samples: Pcm, speed: float, sample_rate: int) -> Pcm:
    """``samples`` played ``speed`` times faster at the same pitch (WSOLA).

    The sound is cut into overlapping frames of :data:`FRAME_SECONDS` taken
    every ``speed`` × half a frame and laid every half frame with a Hann
    window. Each frame is moved by up to :data:`TOLERANCE_SECONDS` to where
    it best continues the frame before (the cross-correlation peak), so the
    overlapping waves stay in phase: no warble, no echo, the voice's pitch
    untouched. The search runs on a copy decimated to about
    :data:`SEARCH_RATE` and is refined at the full rate, which keeps an hour
    of audio to seconds of CPU. The output's frame ``j`` stands for about
    the input's frame ``j × speed``. At 1× the input itself comes back.
    """
    frames, channels = samples.shape
    if speed == 1.0 or frames == 0:
        return samples
    if speed <= 0:
        raise ValueError(f"not a speed: {speed}")
    half = max(16, round(sample_rate * FRAME_SECONDS / 2))
    size = 2 * half
    tolerance = max(1, round(sample_rate * TOLERANCE_SECONDS))
    step = half * speed  # how far apart the frames are taken from the input
    if frames < size + tolerance:  # shorter than a frame: nothing to line up, only to cut
        return samples[: round(frames / speed)].copy()
    count = int((frames - size - tolerance) / step) + 1  # every frame and its search fit
    out = np.empty(((count + 1) * half, channels), dtype=np.int16)
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(size) / size)).astype(np.float32)
    rising, falling = window[:half, None], window[half:, None]  # they sum to 1
    search = _Search(samples, sample_rate, size)
    tail = np.zeros((half, channels), dtype=np.float32)
    start = 0
    for k in range(count):
        if k:
            nominal = round(k * step)
            low, high = max(0, nominal - tolerance), min(frames - size, nominal + tolerance)
            start = search.best(min(start + half, frames - size), low, high)
        frame = samples[start : start + size].astype(np.float32)
        head = frame[:half] if k == 0 else tail + frame[:half] * rising
        out[k * half : (k + 1) * half] = _to_int16(head)
        tail = frame[half:] * falling
    out[count * half :] = _to_int16(tail)
    return out


class _Search:
    """Where a frame near its nominal place best continues the frame laid before it."""

    def __init__(self, samples: Pcm, sample_rate: int, size: int) -> None:
        self.samples = samples
        self.size = size
        self.step = max(1, sample_rate // SEARCH_RATE)
        usable = samples.shape[0] // self.step * self.step
        per_row = self.step * samples.shape[1]
        # Mono and decimated by averaging: a quarter of the input's frames at 48 kHz.
        self.coarse = samples[:usable].reshape(-1, per_row).mean(axis=1, dtype=np.float32)

    def best(self, natural: int, low: int, high: int) -> int:
        """The start in ``low..high`` most like the natural continuation at ``natural``."""
        step, size = self.step, self.size
        template = self.coarse[natural // step : (natural + size) // step]
        first, last = -(-low // step), high // step
        region = self.coarse[first : last + len(template)]
        if last >= first and len(template) and len(region) >= len(template):
            guess = (first + int(np.argmax(np.correlate(region, template, "valid")))) * step
        else:
            guess = (low + high) // 2
        if step == 1:
            return guess
        low, high = max(low, guess - step + 1), min(high, guess + step - 1)
        template = self._mono(natural, natural + size)
        region = self._mono(low, high + size)
        return low + int(np.argmax(np.correlate(region, template, "valid")))

    def _mono(self, begin: int, end: int) -> npt.NDArray[np.float32]:
        """The channels summed (their mean's shape, which is all a correlation peak needs)."""
        part = self.samples[begin:end].astype(np.float32)
        return part[:, 0] if part.shape[1] == 1 else part.sum(axis=1)


def _to_int16(values: npt.NDArray[np.float32]) -> Pcm:
    return np.clip(np.rint(values), -32768, 32767).astype(np.int16)


def playback_pcm(audio: DecodedAudio, start_ms: int, speed: float, output: PcmFormat) -> bytes:
    """The bytes to hand the sound card to play ``audio`` from ``start_ms`` at ``speed``.

    Time-stretched when ``speed`` is not 1, then converted to ``output``'s
    rate, channels and sample type (what the device accepts), interleaved
    little-endian. Empty when ``start_ms`` is at or past the end.
    """
    first = min(audio.frames, max(0, start_ms) * audio.sample_rate // 1000)
    pcm = _channels(time_stretch(audio.samples[first:], speed, audio.sample_rate), output.channels)
    if output.sample_rate != audio.sample_rate:
        pcm = _to_int16(_resample(pcm.astype(np.float32), audio.sample_rate, output.sample_rate))
    return _encode(pcm, output)


def note_position_ms(start_ms: int, played_us: int, speed: float) -> int:
    """Where in the note the listener is after ``played_us`` of output begun at ``start_ms``."""
    return start_ms + round(max(0, played_us) * speed / 1000)


def _channels(pcm: Pcm, channels: int) -> Pcm:
    if pcm.shape[1] == channels:
        return pcm
    mono = pcm.mean(axis=1, dtype=np.float32) if pcm.shape[1] > 1 else pcm[:, 0]
    return np.repeat(_to_int16(np.asarray(mono, np.float32))[:, None], channels, axis=1)


def _resample(values: npt.NDArray[np.float32], rate: int, target: int) -> npt.NDArray[np.float32]:
    """Linear interpolation: enough for a device that refuses the file's own rate."""
    count = values.shape[0] * target // rate
    source = np.arange(values.shape[0], dtype=np.float64) / rate
    wanted = np.arange(count, dtype=np.float64) / target
    return np.stack(
        [np.interp(wanted, source, values[:, c]) for c in range(values.shape[1])], axis=1
    ).astype(np.float32)


def _encode(pcm: Pcm, output: PcmFormat) -> bytes:
    """16-bit samples as ``output.sample`` bytes, interleaved little-endian."""
    if output.sample == "int16":
        return pcm.astype("<i2", copy=False).tobytes()
    if output.sample == "float32":
        return (pcm.astype(np.float32) / 32768.0).astype("<f4", copy=False).tobytes()
    if output.sample == "int32":
        return (pcm.astype(np.int32) << 16).astype("<i4", copy=False).tobytes()
    return (pcm // 256 + 128).astype("<u1").tobytes()  # uint8
