"""A voice note's length is read from its Ogg pages, without decoding it."""

from __future__ import annotations

from pathlib import Path

from crm_whatsapp.domain.ogg import duration_ms

NOTE = Path(__file__).resolve().parents[2] / "relay" / "simulator" / "media" / "voice-note.ogg"


def test_the_length_of_a_real_opus_voice_note() -> None:
    # Made with opusenc from about two and a half seconds of speech.
    assert 2300 < (duration_ms(NOTE.read_bytes()) or 0) < 2600


def test_a_cut_note_reads_up_to_its_last_whole_page() -> None:
    data = NOTE.read_bytes()
    cut = duration_ms(data[: len(data) // 2])
    assert cut is not None and 0 < cut < (duration_ms(data) or 0)


def test_what_is_not_ogg_has_no_length() -> None:
    assert duration_ms(b"ID3\x04 an mp3") is None
    assert duration_ms(b"") is None
    assert duration_ms(b"OggS\x00" + bytes(30)) is None  # no identification header
