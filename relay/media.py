"""Passing a media download from Meta's CDN on to a desktop.

The status and headers go out before the file has been read, so a download
that fails half-way cannot become an error status any more. It must not look
complete either: the connection to the desktop is cut, the desktop sees an
incomplete body (and fetches again later), the failure is one logged line, and
the request line is marked ``aborted`` (see ``RequestLogMiddleware``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
from starlette.responses import StreamingResponse
from starlette.types import Send

log = logging.getLogger("relay.graph")


class MediaAborted(Exception):
    """Raised once the failure is logged: the only way ASGI has to cut a started response."""


class _DropDeliberateAborts(logging.Filter):
    """uvicorn's "Exception in ASGI application" for :class:`MediaAborted` is not news.

    The relay already logged the failure in one line; the traceback would
    only repeat it as noise an admin could mistake for a bug.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop uvicorn's record of a :class:`MediaAborted`; keep everything else."""
        exc_type = record.exc_info[0] if record.exc_info else None
        return not (exc_type is not None and issubclass(exc_type, MediaAborted))


_DROP_DELIBERATE_ABORTS = _DropDeliberateAborts()
logging.getLogger("uvicorn.error").addFilter(_DROP_DELIBERATE_ABORTS)


def forwardable_length(upstream: httpx.Response) -> str | None:
    """The upstream Content-Length when it counts the bytes we send, else None.

    We ask for ``identity``; a CDN that compresses anyway is decoded on the
    way, and its length (of the compressed bytes) would cut the file short.
    """
    encoding = upstream.headers.get("content-encoding", "identity").strip().lower()
    length = upstream.headers.get("content-length", "")
    if encoding not in ("", "identity") or not length.isascii() or not length.isdigit():
        return None
    return length


class MediaDownload(StreamingResponse):
    """The CDN's bytes as they arrive; a download that fails after the headers is cut off."""

    def __init__(
        self,
        upstream: httpx.Response,
        chunks: AsyncIterator[bytes],
        *,
        headers: dict[str, str],
        media_type: str | None,
    ) -> None:
        super().__init__(chunks, headers=headers, media_type=media_type)
        self._upstream = upstream
        self._chunks = chunks

    async def stream_response(self, send: Send) -> None:
        """Headers first, then the CDN's chunks as they arrive; the upstream is always closed.

        A CDN read that fails is logged once and raised as :class:`MediaAborted`,
        so the server cuts the connection rather than end a short body cleanly.
        A cancellation (the desktop hung up, shutdown) closes the upstream too.
        """
        sent = 0
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )
            try:
                async for chunk in self._chunks:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    sent += len(chunk)
            except httpx.HTTPError as exc:
                self._log_failure(exc, sent)
                raise MediaAborted from None
        finally:
            await self._upstream.aclose()
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _log_failure(self, exc: httpx.HTTPError, sent: int) -> None:
        """Step and exception type only: the URL carries a token, the bytes are private."""
        log.warning(
            "media download cut off",
            extra={
                "fields": {
                    "error": "media_download_failed",
                    "cause": type(exc).__name__,
                    "bytes_sent": sent,
                }
            },
        )
