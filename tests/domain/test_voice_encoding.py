"""A microphone's PCM becomes the Ogg/Opus voice note WhatsApp plays as one.

Each test encodes real sound with the libsndfile the ``soundfile`` wheel
ships, decodes it back and reads its length as the thread's bubble does
(``domain.ogg``), so a note recorded on any of the formats a microphone
offers arrives with its true length.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile

from crm_whatsapp.domain.ogg import duration_ms
from crm_whatsapp.domain.voice_encoding import (
    MIN_MS,
    PcmFormat,
    PcmTake,
    SampleKind,
    VoiceEncodingError,
    can_encode,
    encode_voice_note,
)

MONO16 = PcmFormat(48_000, 1, "int16")


def tone(seconds: float, rate: int = 48_000, channels: int = 1) -> np.ndarray:
    """A 440 Hz tone at a third of full scale, one column per channel."""
    t = np.arange(round(seconds * rate)) / rate
    wave = (np.sin(2 * np.pi * 440 * t) / 3).astype(np.float32)
    return np.repeat(wave[:, None], channels, axis=1)


def pcm(samples: np.ndarray, kind: str) -> bytes:
    if kind == "int16":
        return (samples * 32767).astype("<i2").tobytes()
    if kind == "int32":
        return (samples * 2_147_483_647).astype("<i4").tobytes()
    if kind == "uint8":
        return (samples * 127 + 128).astype("<u1").tobytes()
    return samples.astype("<f4").tobytes()


def decoded(ogg: bytes) -> tuple[np.ndarray, int]:
    samples, rate = soundfile.read(io.BytesIO(ogg), dtype="float32")
    return samples, rate


def test_the_wheel_encodes_ogg_opus() -> None:
    assert can_encode()


def test_a_two_second_tone_is_an_ogg_opus_voice_note_of_two_seconds() -> None:
    ogg = encode_voice_note(pcm(tone(2.0), "int16"), MONO16)
    assert ogg.startswith(b"OggS") and b"OpusHead" in ogg[:512]
    samples, rate = decoded(ogg)
    assert rate == 48_000 and samples.ndim == 1  # mono, as a voice note is
    assert abs(len(samples) / rate - 2.0) < 0.05
    assert abs(duration_ms(ogg) - 2000) <= 30  # what the bubble shows before playing
    assert len(ogg) < 20_000  # speech-sized: about 32 kbit/s, not a music file's rate
    loudness = float(np.sqrt(np.mean(samples[4800:-4800] ** 2)))
    assert 0.15 < loudness < 0.35  # the tone itself came through (RMS of a 1/3 sine ≈ 0.24)


@pytest.mark.parametrize(
    ("rate", "channels", "kind"),
    [(44_100, 2, "float32"), (16_000, 1, "int16"), (96_000, 2, "int32"), (8_000, 1, "uint8")],
)
def test_whatever_the_microphone_offers_the_note_is_48_khz_mono_of_the_same_length(
    rate: int, channels: int, kind: SampleKind
) -> None:
    ogg = encode_voice_note(pcm(tone(1.5, rate, channels), kind), PcmFormat(rate, channels, kind))
    samples, decoded_rate = decoded(ogg)
    assert decoded_rate == 48_000 and samples.ndim == 1
    assert abs(len(samples) / 48_000 - 1.5) < 0.05
    assert abs(duration_ms(ogg) - 1500) <= 30


def test_nothing_to_send_is_said_clearly() -> None:
    with pytest.raises(VoiceEncodingError) as empty:
        encode_voice_note(b"", MONO16)
    assert empty.value.reason == VoiceEncodingError.EMPTY
    with pytest.raises(VoiceEncodingError) as silent:  # a muted microphone gives zeros
        encode_voice_note(bytes(2 * 48_000 * 3), MONO16)
    assert silent.value.reason == VoiceEncodingError.EMPTY
    with pytest.raises(VoiceEncodingError) as short:
        encode_voice_note(pcm(tone(MIN_MS / 1000 - 0.2), "int16"), MONO16)
    assert short.value.reason == VoiceEncodingError.TOO_SHORT


def test_a_note_longer_than_the_cap_is_refused() -> None:
    with pytest.raises(VoiceEncodingError) as long:
        encode_voice_note(pcm(tone(3.0), "int16"), MONO16, max_ms=2_000)
    assert long.value.reason == VoiceEncodingError.TOO_LONG


def test_a_take_keeps_chunks_split_inside_frames_as_mono_and_stops_at_its_cap() -> None:
    stereo = PcmFormat(48_000, 2, "float32")
    data = pcm(tone(2.5, channels=2), "float32")
    take = PcmTake(stereo, max_ms=2_000)
    for start in range(0, len(data), 4_001):  # odd sizes: frames split across chunks
        take.add(data[start : start + 4_001])
    assert take.full and take.duration_ms == 2_000  # the rest was not kept
    assert take.mono_format() == MONO16
    ogg = encode_voice_note(take.pcm(), take.mono_format())
    assert abs(duration_ms(ogg) - 2000) <= 30
    expected = np.frombuffer(pcm(tone(2.0), "int16"), dtype="<i2")
    kept = np.frombuffer(take.pcm(), dtype="<i2")
    assert np.max(np.abs(kept.astype(np.int32) - expected)) <= 2  # same sound, not garbled
