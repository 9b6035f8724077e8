"""A voice note's bytes become the PCM the sound card plays, at 1×, 1.5× and 2×, same pitch.

The audio is made here with the libsndfile the ``soundfile`` wheel ships
(Ogg/Opus as WhatsApp's notes, and the other formats customers send), then
decoded from memory and time-stretched as the bubble's player does on its
worker thread. Pitch is measured, not assumed: the dominant frequency of a
tone (FFT), and a real voice's pitch at the same moments of the note.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile

from crm_whatsapp.domain.voice_decoding import (
    AudioDecodingError,
    DecodedAudio,
    decode,
    note_position_ms,
    playback_pcm,
    time_stretch,
)
from crm_whatsapp.domain.voice_encoding import PcmFormat
from relay.simulator.customers import voice_note_bytes

RATE = 48_000


def tones(*frequencies: float, seconds: float = 1.0, rate: int = RATE) -> np.ndarray:
    """One tone after another, ``seconds`` each, at a third of full scale (float, mono)."""
    t = np.arange(round(seconds * rate)) / rate
    return np.concatenate([np.sin(2 * np.pi * f * t) / 3 for f in frequencies])


def encoded(samples: np.ndarray, fmt: str, subtype: str, rate: int = RATE) -> bytes:
    out = io.BytesIO()
    soundfile.write(out, samples.astype(np.float32), rate, format=fmt, subtype=subtype)
    return out.getvalue()


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    """The strongest frequency (Hann window, zero-padded FFT for a fine reading)."""
    mono = samples.astype(np.float64).reshape(len(samples), -1).mean(axis=1)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(len(mono)), n=1 << 18))
    return float(np.argmax(spectrum) * rate / (1 << 18))


def as_pcm(samples: np.ndarray, rate: int = RATE) -> DecodedAudio:
    return DecodedAudio((samples * 32767).astype(np.int16)[:, None], rate)


def test_an_ogg_opus_voice_note_decodes_from_memory_to_its_sound() -> None:
    note = decode(encoded(tones(440, seconds=2.0), "OGG", "OPUS"))
    assert note.sample_rate == RATE and note.channels == 1 and note.samples.dtype == np.int16
    assert abs(note.duration_ms - 2000) <= 30
    assert abs(dominant_hz(note.samples[4800:-4800], RATE) - 440) < 2


@pytest.mark.parametrize(
    ("fmt", "subtype", "channels"),
    [
        ("OGG", "VORBIS", 2),
        ("MP3", "MPEG_LAYER_III", 1),
        ("WAV", "PCM_16", 2),
        ("FLAC", "PCM_16", 1),
    ],
)
def test_other_audio_customers_send_decodes_too(fmt: str, subtype: str, channels: int) -> None:
    samples = np.repeat(tones(660, seconds=1.5)[:, None], channels, axis=1)
    audio = decode(encoded(samples, fmt, subtype))
    assert audio.channels == channels
    assert abs(audio.duration_ms - 1500) <= 60  # MP3 pads its frames
    assert abs(dominant_hz(audio.samples[4800:-4800], audio.sample_rate) - 660) < 3


@pytest.mark.parametrize(
    "data",
    [
        # An AAC .m4a as an iPhone shares it: libsndfile has no MP4 container nor AAC.
        b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(64) + b"mdat" * 100,
        b"#!AMR\n" + bytes([0x3C]) + bytes(31) * 50,  # AMR-NB, an old Android's recording
        b"OggS" + bytes(200),  # a damaged note
        b"",
    ],
    ids=["aac-m4a", "amr", "damaged-ogg", "empty"],
)
def test_audio_libsndfile_cannot_read_is_refused_by_name(data: bytes) -> None:
    with pytest.raises(AudioDecodingError) as refused:
        decode(data)
    assert refused.value.reason == AudioDecodingError.UNREADABLE


def test_audio_too_long_to_keep_in_memory_is_refused_before_decoding() -> None:
    data = encoded(tones(440, seconds=2.0), "FLAC", "PCM_16")
    with pytest.raises(AudioDecodingError) as refused:
        decode(data, max_bytes=RATE * 2)  # a second of 16-bit mono
    assert refused.value.reason == AudioDecodingError.TOO_LONG


@pytest.mark.parametrize("speed", [1.5, 2.0])
def test_a_faster_tone_is_shorter_at_the_same_pitch_and_loudness(speed: float) -> None:
    original = as_pcm(tones(440, seconds=3.0)).samples
    faster = time_stretch(original, speed, RATE)
    assert abs(len(faster) / len(original) - 1 / speed) < 0.02
    assert abs(dominant_hz(faster, RATE) / 440 - 1) < 0.02  # a chipmunk would read 660 or 880
    # Overlapping frames lined up in phase: no dips where waves would cancel (plain
    # overlap-add warbles), no bumps; 10 ms blocks hold the tone's loudness throughout.
    block = RATE // 100
    steady = faster[block : len(faster) // block * block - block, 0].astype(np.float64)
    loudness = np.sqrt((steady.reshape(-1, block) ** 2).mean(axis=1))
    expected = 32767 / 3 / np.sqrt(2)
    assert loudness.min() > 0.9 * expected and loudness.max() < 1.1 * expected


def pitch_track(samples: np.ndarray, rate: int) -> np.ndarray:
    """(seconds, Hz) every 10 ms from 40 ms autocorrelations; NaN where not voiced."""
    size, hop = int(0.04 * rate), int(0.01 * rate)
    sound = samples[:, 0].astype(np.float64)
    loud = 0.15 * np.sqrt(np.mean(sound**2))
    low, high = rate // 400, rate // 70  # a voice's pitch: 70-400 Hz
    track = []
    for start in range(0, len(sound) - size, hop):
        frame = sound[start : start + size] * np.hanning(size)
        corr = np.correlate(frame, frame, "full")[size - 1 :]
        lag = low + int(np.argmax(corr[low:high]))
        voiced = np.sqrt(np.mean(frame**2)) > loud and corr[lag] > 0.5 * corr[0]
        track.append((start / rate, rate / lag if voiced else np.nan))
    return np.array(track)


@pytest.mark.parametrize("speed", [1.5, 2.0])
def test_a_real_voice_keeps_its_pitch_at_the_same_moments_of_the_note(speed: float) -> None:
    note = decode(voice_note_bytes())  # two seconds of Portuguese speech (espeak-ng, Opus)
    original = pitch_track(note.samples, note.sample_rate)
    faster = pitch_track(time_stretch(note.samples, speed, note.sample_rate), note.sample_rate)
    # The faster note's moment t is the original's t × speed: compare the voice there.
    before = np.interp(faster[:, 0] * speed, original[:, 0], original[:, 1])
    both = ~np.isnan(faster[:, 1]) & ~np.isnan(before)
    assert both.sum() >= 15
    ratios = faster[both, 1] / before[both]
    assert abs(float(np.median(ratios)) - 1) < 0.03  # played 2× faster by rate it would be 2
    assert np.mean(np.abs(ratios - 1) < 0.05) > 0.8


def test_playing_from_the_middle_at_2x_goes_on_from_that_place() -> None:
    audio = as_pcm(tones(300, 600, 900))  # a second of each
    output = PcmFormat(RATE, 1, "int16")
    pcm = np.frombuffer(playback_pcm(audio, 1500, 2.0, output), dtype="<i2")[:, None]
    assert abs(len(pcm) / RATE - 0.75) < 0.02  # the 1.5 s left, at 2×
    # 0.25 s of output is 0.5 s of the note: the rest of the 600 Hz second, then 900 Hz.
    assert abs(dominant_hz(pcm[: RATE // 5], RATE) - 600) < 6
    assert abs(dominant_hz(pcm[int(0.3 * RATE) :], RATE) - 900) < 9
    assert note_position_ms(1500, 250_000, 2.0) == 2000
    assert note_position_ms(1500, 250_000, 1.0) == 1750
    assert playback_pcm(audio, 3000, 1.5, output) == b""  # at the end: nothing left to play


def test_the_pcm_is_what_the_sound_card_takes() -> None:
    audio = as_pcm(tones(440, seconds=1.0, rate=24_000), rate=24_000)  # as Opus notes decode
    same = playback_pcm(audio, 0, 1.0, PcmFormat(24_000, 1, "int16"))
    assert same == audio.samples.astype("<i2").tobytes()  # 1×, as decoded
    card = playback_pcm(audio, 0, 1.0, PcmFormat(48_000, 2, "float32"))
    frames = np.frombuffer(card, dtype="<f4").reshape(-1, 2)
    assert abs(len(frames) - 48_000) <= 2 and np.array_equal(frames[:, 0], frames[:, 1])
    assert 0.3 < float(np.abs(frames).max()) <= 1.0 / 3 + 0.01
    assert abs(dominant_hz(frames, 48_000) - 440) < 2
