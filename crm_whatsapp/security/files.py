"""AES-256-GCM sealed files for the media cache and exports (DESIGN guarantee 3).

Format (version 1), all integers big-endian::

    header  = b"CWSF" | 0x01 | chunk_size (u32) | file_id (16 random bytes)
    chunk_i = AES-256-GCM(per_file_key, nonce_i, plaintext_i, aad_i)   # ciphertext | 16-byte tag

    per_file_key = HKDF-SHA256(file_key, salt=file_id, info=b"crm-whatsapp/v1/sealed-file")
    nonce_i      = file_id[:8] | i (u32)
    aad_i        = header | i (u32) | final (u8: 1 on the last chunk) | caller's aad

Why it is built this way:

* **Nonces never repeat under one key.** Within a file the chunk counter makes
  every nonce distinct; across files each file has its own key derived from
  a fresh 128-bit random ``file_id`` (two files share a key only if two
  random 128-bit values collide), and even then the 64-bit random nonce
  prefix differs. So there is no 2**32-files limit to count, and nothing
  depends on counters that a restored backup could roll back.
* **Chunks** (64 KiB by default) let a 100 MB video stream through in constant
  memory. The index in the nonce and the associated data stops reordering;
  the ``final`` flag stops truncation at a chunk boundary and appended data.
* **The header is authenticated** (it is in every chunk's associated data),
  so the chunk size or file id cannot be swapped either.
* **The caller's associated data binds a file to its message**
  (:func:`aad_for_message`): a cached photo copied onto another message's
  file name does not open.

Every failure (wrong key, wrong message, a flipped byte, truncation,
reordering, not a sealed file at all) is one :class:`SealedFileError`; the
streaming reader only emits chunks that passed authentication, but a caller
that streams to its own sink must discard the output if it raises.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"CWSF"
VERSION = 1
DEFAULT_CHUNK_SIZE = 64 * 1024
MIN_CHUNK_SIZE = 16
MAX_CHUNK_SIZE = 16 * 1024 * 1024
FILE_ID_BYTES = 16
TAG_BYTES = 16
_HEADER = struct.Struct(f">4sBI{FILE_ID_BYTES}s")
HEADER_BYTES = _HEADER.size
_CHUNK_POSITION = struct.Struct(">IB")
_MAX_CHUNKS = 2**32
_SUBKEY_INFO = b"crm-whatsapp/v1/sealed-file"
_AAD_LABEL = b"crm-whatsapp/v1/file-aad\x00"


class SealedFileError(Exception):
    """A sealed file that cannot be opened; ``str(exc)`` is one Portuguese sentence.

    ``reason`` is a short English tag for logs (never key material or content).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(
            "O arquivo protegido está danificado, foi alterado ou não pertence a esta "
            "mensagem; baixe-o de novo."
        )
        self.reason = reason


def aad_for_message(message_id: str, kind: str) -> bytes:
    """Associated data that binds a sealed file to one message and one use.

    ``kind`` names the use (``"media"``, ``"thumbnail"``, ``"export"`` …) so a
    thumbnail cannot be passed off as the full media of the same message.
    Each part is length-prefixed, so no two (message, kind) pairs collide.
    """
    out = bytearray(_AAD_LABEL)
    for part in (message_id, kind):
        encoded = part.encode("utf-8")
        out += struct.pack(">I", len(encoded)) + encoded
    return bytes(out)


def _check_key(file_key: bytes) -> None:
    if len(file_key) != 32:
        raise ValueError("the file key must be 32 bytes (AES-256)")


def _cipher(file_key: bytes, file_id: bytes) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=file_id, info=_SUBKEY_INFO)
    return AESGCM(hkdf.derive(file_key))


def _nonce(file_id: bytes, index: int) -> bytes:
    return file_id[:8] + struct.pack(">I", index)


def _chunk_aad(header: bytes, index: int, final: bool, aad: bytes) -> bytes:
    return header + _CHUNK_POSITION.pack(index, 1 if final else 0) + aad


def _read_exact(src: BinaryIO, size: int) -> bytes:
    """Up to ``size`` bytes, short only at end of stream (pipes return short reads)."""
    parts: list[bytes] = []
    missing = size
    while missing:
        part = src.read(missing)
        if not part:
            break
        parts.append(part)
        missing -= len(part)
    return b"".join(parts)


def seal_stream(
    file_key: bytes,
    src: BinaryIO,
    dst: BinaryIO,
    aad: bytes,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Seal everything readable from ``src`` into ``dst``; returns the bytes written."""
    _check_key(file_key)
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError("chunk_size out of range")
    file_id = os.urandom(FILE_ID_BYTES)
    header = _HEADER.pack(MAGIC, VERSION, chunk_size, file_id)
    cipher = _cipher(file_key, file_id)
    dst.write(header)
    written = len(header)
    current = _read_exact(src, chunk_size)
    index = 0
    while True:
        # Look one chunk ahead: the last chunk must be marked final even when
        # the plaintext is an exact multiple of the chunk size.
        following = _read_exact(src, chunk_size) if len(current) == chunk_size else b""
        final = not following
        if index >= _MAX_CHUNKS:
            raise ValueError("file too large for one sealed file")
        sealed = cipher.encrypt(
            _nonce(file_id, index), current, _chunk_aad(header, index, final, aad)
        )
        dst.write(sealed)
        written += len(sealed)
        if final:
            return written
        current = following
        index += 1


def open_stream(file_key: bytes, src: BinaryIO, dst: BinaryIO, aad: bytes) -> int:
    """Authenticate and decrypt ``src`` into ``dst`` chunk by chunk; returns plaintext bytes.

    Only authenticated chunks are written, but on :class:`SealedFileError` the
    output is incomplete and must be thrown away.
    """
    _check_key(file_key)
    header = _read_exact(src, HEADER_BYTES)
    if len(header) != HEADER_BYTES:
        raise SealedFileError("too short for a header")
    magic, version, chunk_size, file_id = _HEADER.unpack(header)
    if magic != MAGIC:
        raise SealedFileError("not a sealed file")
    if version != VERSION:
        raise SealedFileError(f"unknown version {version}")
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise SealedFileError("bad chunk size")
    cipher = _cipher(file_key, file_id)
    sealed_size = chunk_size + TAG_BYTES
    current = _read_exact(src, sealed_size)
    index = 0
    total = 0
    while True:
        if len(current) < TAG_BYTES:
            raise SealedFileError("truncated")
        following = _read_exact(src, sealed_size) if len(current) == sealed_size else b""
        final = not following
        if index >= _MAX_CHUNKS:
            raise SealedFileError("too many chunks")
        try:
            plain = cipher.decrypt(
                _nonce(file_id, index), current, _chunk_aad(header, index, final, aad)
            )
        except InvalidTag:
            raise SealedFileError("authentication failed") from None
        dst.write(plain)
        total += len(plain)
        if final:
            return total
        current = following
        index += 1


def seal(file_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """``plaintext`` sealed under ``file_key``, bound to ``aad``."""
    out = io.BytesIO()
    seal_stream(file_key, io.BytesIO(plaintext), out, aad)
    return out.getvalue()


def open_sealed(file_key: bytes, blob: bytes, aad: bytes) -> bytes:
    """The plaintext of ``blob``, or :class:`SealedFileError`."""
    out = io.BytesIO()
    open_stream(file_key, io.BytesIO(blob), out, aad)
    return out.getvalue()


def seal_file(file_key: bytes, source: Path, target: Path, aad: bytes) -> None:
    """Seal the file at ``source`` into ``target`` atomically, readable by the user only.

    A crash leaves either the old ``target`` or the complete new one, never a
    half-written file that would later read as "tampered".
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as dst, source.open("rb") as src:
            seal_stream(file_key, src, dst, aad)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def open_file(file_key: bytes, path: Path, aad: bytes) -> bytes:
    """The plaintext of the sealed file at ``path`` (kept in memory, never written out)."""
    try:
        src = path.open("rb")
    except FileNotFoundError:
        raise SealedFileError("missing file") from None
    with src:
        out = io.BytesIO()
        open_stream(file_key, src, out, aad)
        return out.getvalue()
