"""A voice note's length, read from its Ogg container without decoding it.

WhatsApp shows a voice note's length before it is played. An Ogg stream's
pages carry a granule position: for Opus, the 48 kHz sample count at the
end of the page (RFC 7845), for Vorbis the sample count at the stream's own
rate; the last page's, less Opus's pre-skip, is the length. Reading it costs
a scan of the bytes for page headers, not a decode. No Qt here.
"""

from __future__ import annotations

import struct

OPUS_RATE = 48_000
_PAGE = b"OggS"


def duration_ms(data: bytes) -> int | None:
    """The length of an Ogg Opus or Vorbis stream in milliseconds, or None if it is not one."""
    if not data.startswith(_PAGE):
        return None
    rate, pre_skip = _stream_rate(data)
    if rate is None:
        return None
    last = data.rfind(_PAGE)
    while last >= 0:
        if last + 14 <= len(data) and data[last + 4] == 0:  # stream structure version 0
            (granule,) = struct.unpack_from("<q", data, last + 6)
            if granule >= 0:  # -1: no packet ends on this page
                return max(0, (granule - pre_skip) * 1000 // rate)
        last = data.rfind(_PAGE, 0, last)
    return None


def _stream_rate(data: bytes) -> tuple[int | None, int]:
    """The granule rate and pre-skip, from the identification header of the first page."""
    head = data[:512]
    opus = head.find(b"OpusHead")
    if opus >= 0 and opus + 12 <= len(head):
        (pre_skip,) = struct.unpack_from("<H", head, opus + 10)
        return OPUS_RATE, pre_skip
    vorbis = head.find(b"\x01vorbis")
    if vorbis >= 0 and vorbis + 16 <= len(head):
        (rate,) = struct.unpack_from("<I", head, vorbis + 12)
        return (rate or None), 0
    return None, 0
