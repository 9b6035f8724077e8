"""Meta's limits on attachments, checked before anything is uploaded."""

from __future__ import annotations

import pytest

from crm_whatsapp.domain.attachments import MB, check, human_size, mime_type_of, unreadable


@pytest.mark.parametrize(
    ("name", "size", "kind", "refused"),
    [
        ("fachada.jpg", 5 * MB, "image", False),
        ("fachada.jpg", 5 * MB + 1, "image", True),
        ("print.png", 100, "image", False),
        ("animacao.gif", 100, "image", True),  # Meta takes photos as JPEG or PNG only
        ("video.mp4", 16 * MB, "video", False),
        ("video.mp4", 16 * MB + 1, "video", True),
        ("video.mov", 1000, "video", True),
        ("recado.mp3", 1000, "audio", False),
        ("recado.m4a", 1000, "audio", False),
        ("recado.opus", 1000, "audio", False),
        ("recado.wav", 1000, "audio", True),
        ("recado.ogg", 16 * MB + 1, "audio", True),
        ("contrato.pdf", 100 * MB, "document", False),
        ("contrato.pdf", 100 * MB + 1, "document", True),
        ("planilha.xlsx", 2000, "document", False),
        ("sem-extensao", 10, "document", False),
        ("vazio.pdf", 0, "document", True),
    ],
)
def test_meta_limits(name: str, size: int, kind: str, refused: bool) -> None:
    verdict = check(name, size)
    assert verdict.kind == kind
    assert (verdict.problem is not None) == refused


def test_audio_takes_no_caption_the_others_do() -> None:
    assert not check("recado.mp3", 10).takes_caption
    assert all(check(n, 10).takes_caption for n in ("a.jpg", "b.mp4", "c.pdf"))


def test_a_given_type_is_kept_whole_for_the_upload() -> None:
    note = check("mensagem-de-voz.ogg", 10, "audio/ogg; codecs=opus")
    assert note.problem is None and note.mime_type == "audio/ogg; codecs=opus"


def test_names_sizes_and_unreadable_files() -> None:
    assert mime_type_of("FOTO.JPG") == "image/jpeg"
    assert mime_type_of("x.unknownext") == "application/octet-stream"
    assert [human_size(n) for n in (28, 2048, 4_404_019)] == ["28 B", "2 KB", "4,2 MB"]
    assert unreadable("sumiu.pdf").problem is not None
