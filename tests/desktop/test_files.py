"""Sealed media and export files: AES-256-GCM bound to their message, streamed in chunks."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

import pytest

from crm_whatsapp.security.files import (
    DEFAULT_CHUNK_SIZE,
    FILE_ID_BYTES,
    HEADER_BYTES,
    TAG_BYTES,
    SealedFileError,
    aad_for_message,
    open_file,
    open_sealed,
    open_stream,
    seal,
    seal_file,
    seal_stream,
)

KEY = bytes(range(32))
AAD = aad_for_message("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjA", "media")
CHUNK = 64  # small chunks so a few hundred bytes make several of them


def sealed_in_chunks(plaintext: bytes, aad: bytes = AAD, chunk_size: int = CHUNK) -> bytes:
    out = io.BytesIO()
    seal_stream(KEY, io.BytesIO(plaintext), out, aad, chunk_size=chunk_size)
    return out.getvalue()


def chunks_of(blob: bytes, chunk_size: int = CHUNK) -> tuple[bytes, list[bytes]]:
    size = chunk_size + TAG_BYTES
    body = blob[HEADER_BYTES:]
    return blob[:HEADER_BYTES], [body[i : i + size] for i in range(0, len(body), size)]


@pytest.mark.parametrize("length", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 1000])
def test_round_trip_at_every_chunk_boundary(length: int) -> None:
    plaintext = os.urandom(length)
    blob = sealed_in_chunks(plaintext)
    assert open_sealed(KEY, blob, AAD) == plaintext
    chunks = max(1, -(-length // CHUNK))
    assert len(blob) == HEADER_BYTES + length + chunks * TAG_BYTES


def test_round_trip_with_default_chunks() -> None:
    plaintext = b"foto do contrato de aluguel " * 100
    blob = seal(KEY, plaintext, AAD)
    assert blob.startswith(b"CWSF\x01")
    assert plaintext[:16] not in blob
    assert open_sealed(KEY, blob, AAD) == plaintext


def test_two_seals_of_the_same_plaintext_differ() -> None:
    plaintext = b"mesma foto"
    first, second = seal(KEY, plaintext, AAD), seal(KEY, plaintext, AAD)
    assert first != second
    assert first[HEADER_BYTES:] != second[HEADER_BYTES:]
    ids = {
        seal(KEY, plaintext, AAD)[HEADER_BYTES - FILE_ID_BYTES : HEADER_BYTES] for _ in range(500)
    }
    assert len(ids) == 500  # a fresh random file id (hence key and nonce prefix) each time


def test_wrong_message_or_kind_does_not_open() -> None:
    blob = seal(KEY, b"comprovante.pdf", AAD)
    other_message = aad_for_message("wamid.another", "media")
    thumbnail = aad_for_message("wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFjNFQjA", "thumbnail")
    for aad in (other_message, thumbnail, b""):
        with pytest.raises(SealedFileError):
            open_sealed(KEY, blob, aad)


def test_aad_parts_cannot_be_shifted_between_fields() -> None:
    assert aad_for_message("ab", "c") != aad_for_message("a", "bc")
    assert aad_for_message("m1", "media") == aad_for_message("m1", "media")


def test_wrong_key_does_not_open() -> None:
    blob = seal(KEY, b"segredo", AAD)
    with pytest.raises(SealedFileError) as caught:
        open_sealed(os.urandom(32), blob, AAD)
    assert str(caught.value) == (
        "O arquivo protegido está danificado, foi alterado ou não pertence a esta "
        "mensagem; baixe-o de novo."
    )


def test_every_tampered_byte_is_caught() -> None:
    blob = sealed_in_chunks(os.urandom(3 * CHUNK + 10))
    for position in range(len(blob)):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(SealedFileError):
            open_sealed(KEY, bytes(tampered), AAD)


def test_truncation_is_caught() -> None:
    plaintext = os.urandom(3 * CHUNK)  # an exact multiple: the last full chunk is final
    blob = sealed_in_chunks(plaintext)
    header, chunks = chunks_of(blob)
    assert len(chunks) == 3
    for cut in (
        header + chunks[0] + chunks[1],  # a whole chunk dropped at a boundary
        header + chunks[0],
        header,  # no chunk at all
        blob[:-1],
        blob[: HEADER_BYTES - 1],
        b"",
    ):
        with pytest.raises(SealedFileError):
            open_sealed(KEY, cut, AAD)


def test_reordered_duplicated_or_appended_chunks_are_caught() -> None:
    blob = sealed_in_chunks(os.urandom(3 * CHUNK + 5))
    header, (c0, c1, c2, c3) = chunks_of(blob)
    stranger_header, stranger_chunks = chunks_of(sealed_in_chunks(os.urandom(2 * CHUNK)))
    for forged in (
        header + c1 + c0 + c2 + c3,
        header + c0 + c2 + c1 + c3,
        header + c0 + c0 + c2 + c3,
        header + c0 + c1 + c2 + c2 + c3,
        blob + c3,
        blob + b"\x00" * 40,
        header + stranger_chunks[0] + c1 + c2 + c3,  # a chunk spliced from another file
        stranger_header + c0 + c1 + c2 + c3,
    ):
        with pytest.raises(SealedFileError):
            open_sealed(KEY, forged, AAD)


def test_not_a_sealed_file() -> None:
    for blob in (b"\x89PNG\r\n\x1a\n" + os.urandom(100), os.urandom(HEADER_BYTES + 40)):
        with pytest.raises(SealedFileError):
            open_sealed(KEY, blob, AAD)


def test_key_must_be_aes_256() -> None:
    with pytest.raises(ValueError):
        seal(b"short", b"x", AAD)
    with pytest.raises(ValueError):
        open_sealed(b"\x00" * 16, seal(KEY, b"x", AAD), AAD)


class CountingReader(io.RawIOBase):
    """A source that hands out at most 1000 bytes per read, like a pipe, and counts reads."""

    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)
        self.offset = 0
        self.largest_request = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.largest_request = max(self.largest_request, size)
        part = bytes(self.data[self.offset : self.offset + min(size, 1000)])
        self.offset += len(part)
        return part


class CountingWriter(io.RawIOBase):
    """A sink that only hashes, to show the plaintext is never held whole."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.writes = 0
        self.largest_write = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.writes += 1
        self.largest_write = max(self.largest_write, len(data))
        return len(data)


def test_large_file_streams_in_chunks(tmp_path: Path) -> None:
    size = 5 * 1024 * 1024 + 123
    plaintext = os.urandom(size)
    source, target = tmp_path / "video.mp4", tmp_path / "media" / "video.sealed"
    source.write_bytes(plaintext)

    seal_file(KEY, source, target, AAD)
    chunks = -(-size // DEFAULT_CHUNK_SIZE)
    assert target.stat().st_size == HEADER_BYTES + size + chunks * TAG_BYTES
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not list(target.parent.glob(".*.tmp"))

    sink = CountingWriter()
    with target.open("rb") as src:
        assert open_stream(KEY, src, sink, AAD) == size
    assert sink.digest.digest() == hashlib.sha256(plaintext).digest()
    assert sink.writes == chunks and sink.largest_write == DEFAULT_CHUNK_SIZE

    reader = CountingReader(plaintext)  # short reads are gathered into full chunks
    out = io.BytesIO()
    seal_stream(KEY, reader, out, AAD)
    assert reader.largest_request <= DEFAULT_CHUNK_SIZE
    assert open_sealed(KEY, out.getvalue(), AAD) == plaintext
    assert open_file(KEY, target, AAD) == plaintext


def test_missing_sealed_file_is_a_sealed_file_error(tmp_path: Path) -> None:
    with pytest.raises(SealedFileError):
        open_file(KEY, tmp_path / "gone.sealed", AAD)
