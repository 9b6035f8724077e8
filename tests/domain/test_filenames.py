"""A received file's name: kept in its folder, recognisable, and judged for what it would run."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm_whatsapp.domain.filenames import (
    MAX_NAME_BYTES,
    is_executable,
    is_inside,
    safe_filename,
)

FALLBACK = "whatsapp-42"


@pytest.mark.parametrize(
    ("name", "mime", "expected"),
    [
        ("contrato.pdf", "application/pdf", "contrato.pdf"),
        ("Relatório final (2).docx", None, "Relatório final (2).docx"),
        ("contrato", "application/pdf", "contrato.pdf"),
        ("..", "application/pdf", "whatsapp-42.pdf"),
        ("...", None, FALLBACK),
        ("../../.bashrc", "text/plain", "bashrc.txt"),
        ("..\\..\\Windows\\win.ini", None, "win.ini"),
        ("/etc/passwd", None, "passwd"),
        ("C:\\Users\\ana\\foto.jpg", None, "foto.jpg"),
        ("pasta/", "application/pdf", "whatsapp-42.pdf"),
        (".oculto.pdf", None, "oculto.pdf"),
        ("nota.pdf. . .", None, "nota.pdf"),
        ("CON", None, "_CON"),
        ("con.txt", None, "_con.txt"),
        ("LPT1.pdf", None, "_LPT1.pdf"),
        ("console.txt", None, "console.txt"),
        ('a<b>c:d"e|f?g*h.txt', None, "a_b_c_d_e_f_g_h.txt"),
        ("linha\nnova\x00.pdf", None, "linhanova.pdf"),
        ("foto\u202egpj.exe", None, "fotogpj.exe"),
        ("", "image/jpeg", "whatsapp-42.jpg"),
        (None, None, FALLBACK),
        (12345, "application/pdf", "whatsapp-42.pdf"),
        ({"a": 1}, ["pdf"], FALLBACK),
        ("nome", "text/html; charset=utf-8", "nome.html"),
        ("nome", "application/x-não-existe", "nome"),
    ],
)
def test_a_name_is_cleaned_to_its_last_visible_component(
    name: object, mime: object, expected: str
) -> None:
    assert safe_filename(name, mime, FALLBACK) == expected


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    name = safe_filename("ç" * 300 + ".pdf", None, FALLBACK)
    assert name.endswith(".pdf") and name.startswith("ççç")
    assert len(name.encode()) <= MAX_NAME_BYTES


@pytest.mark.parametrize(
    "name",
    [
        "nota.exe",
        "NOTA.EXE",
        "fatura.pdf.exe",
        "boleto.pdf.scr",
        "x.bat",
        "x.cmd",
        "x.com",
        "x.msi",
        "x.lnk",
        "x.ps1",
        "x.vbs",
        "x.js",
        "x.jar",
        "x.desktop",
        "x.sh",
        "x.AppImage",
        "x.hta",
        "x.html",
        "x.svg",
        "planilha.xlsm",
        "x.apk",
    ],
)
def test_files_the_system_would_run_are_recognised(name: str) -> None:
    assert is_executable(safe_filename(name, None, FALLBACK))


@pytest.mark.parametrize(
    "name", ["contrato.pdf", "foto.jpg", "audio.ogg", "planilha.xlsx", "texto.txt", "exe", ".exe"]
)
def test_documents_are_not_taken_for_programs(name: str) -> None:
    assert not is_executable(safe_filename(name, None, FALLBACK))


def test_a_hidden_suffix_cannot_slip_past_as_a_trailing_dot_or_stream() -> None:
    assert is_executable(safe_filename("nota.exe.", None, FALLBACK))
    assert is_executable(safe_filename("nota.exe ", None, FALLBACK))
    assert is_executable(safe_filename("nota.txt:evil.exe", None, FALLBACK))


def test_a_name_without_extension_takes_the_mime_type_s_even_when_it_runs() -> None:
    assert is_executable(safe_filename("instalar", "application/x-sh", FALLBACK))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.one_of(st.text(max_size=400), st.none(), st.integers()), mime=st.text(max_size=40))
def test_any_name_writes_one_file_inside_its_folder(
    tmp_path: Path, name: object, mime: str
) -> None:
    cleaned = safe_filename(name, mime, FALLBACK)
    assert cleaned and cleaned[0] not in ". " and "/" not in cleaned and "\\" not in cleaned
    assert len(cleaned.encode()) <= MAX_NAME_BYTES
    folder = tmp_path / "media"
    folder.mkdir(exist_ok=True)
    target = folder / cleaned
    assert is_inside(folder, target)
    target.write_bytes(b"x")
    assert [p.name for p in folder.iterdir()] == [cleaned]
    target.unlink()


def test_is_inside_refuses_a_path_that_leaves_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    assert is_inside(folder, folder / "a.pdf")
    assert not is_inside(folder, folder / ".." / "a.pdf")
    assert not is_inside(folder, folder / "..")
    assert not is_inside(folder, folder / "sub" / "a.pdf")
    (folder / "link").symlink_to(tmp_path)
    assert not is_inside(folder, folder / "link" / "a.pdf")
