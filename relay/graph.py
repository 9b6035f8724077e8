"""Talking to Meta's Graph API: sends, media, templates, and what its errors mean.

Meta's error ``code`` is the stable thing to branch on (titles are being
deprecated); we turn it into a small set of names the desktop can explain in
Portuguese, and into a decision: retry here, or give the answer back.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from relay.config import DEFAULT_MEDIA_HOSTS

# Meta error code -> stable name shown to desktops.
ERROR_NAMES: dict[int, str] = {
    131047: "outside_customer_window",
    130429: "rate_limited",
    131056: "rate_limited",
    131057: "rate_limited",
    80007: "rate_limited",
    4: "rate_limited",
    131026: "undeliverable",
    131048: "spam_rate_limited",
    131049: "marketing_limited",
    131050: "user_opted_out",
    131051: "unsupported_message_type",
    131052: "media_error",
    131053: "media_error",
    131042: "payment_issue",
    131031: "account_locked",
    368: "account_restricted",
    190: "token_expired",
    10: "permission_denied",
    200: "permission_denied",
    100: "invalid_request",
    131008: "invalid_request",
    131009: "invalid_request",
    131021: "invalid_recipient",
    133010: "number_not_registered",
    131062: "recipient_not_allowed",
    1: "meta_unavailable",
    2: "meta_unavailable",
    131000: "meta_unavailable",
    131016: "meta_unavailable",
}

# Codes Meta documents as "rejected, try again later": the message was not
# accepted, so retrying cannot send it twice.
RETRYABLE_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057})


def error_name(code: int | None) -> str:
    """The stable name for a Meta error code (see :data:`ERROR_NAMES`).

    The whole 132xxx range is ``template_error``; an unknown or missing code is
    ``graph_error``.
    """
    if code is None:
        return "graph_error"
    if 132000 <= code < 133000:
        return "template_error"
    return ERROR_NAMES.get(code, "graph_error")


@dataclass
class GraphError:
    """A Graph API refusal in the shape desktops receive."""

    name: str
    http_status: int
    code: int | None = None
    message: str = ""
    details: str = ""
    retryable: bool = False
    retry_after: float | None = None
    fbtrace_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``error`` object desktops get; ``retry_after`` and ``fbtrace_id`` only when known."""
        out: dict[str, Any] = {
            "name": self.name,
            "code": self.code,
            "message": self.message,
            "details": self.details,
            "retryable": self.retryable,
        }
        if self.retry_after is not None:
            out["retry_after"] = self.retry_after
        if self.fbtrace_id:
            out["fbtrace_id"] = self.fbtrace_id
        return out


@dataclass
class GraphResult:
    """What a send came to after retries: Graph's answer, or the refusal it ended on.

    ``uncertain`` means no answer came after the request went out, so Meta may
    have sent the message: the caller must not send it again.
    """

    ok: bool
    body: dict[str, Any] = field(default_factory=dict)
    error: GraphError | None = None
    # True when Meta may have accepted the request although we saw no answer.
    uncertain: bool = False
    attempts: int = 0


def parse_error(response: httpx.Response) -> GraphError:
    """Read Graph's ``{"error": {...}}`` envelope; tolerate any other body."""
    try:
        payload = response.json()
    except ValueError:
        payload = {}
    err = payload.get("error") if isinstance(payload, dict) else None
    err = err if isinstance(err, dict) else {}
    code = err.get("code")
    code = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
    data = err.get("error_data") if isinstance(err.get("error_data"), dict) else {}
    retry_after = None
    if "retry-after" in response.headers:
        try:
            retry_after = max(0.0, float(response.headers["retry-after"]))
        except ValueError:
            retry_after = None
    name = error_name(code)
    if code is None and response.status_code == 429:
        name = "rate_limited"
    if code is None and response.status_code in (502, 503):
        name = "meta_unavailable"
    retryable = (code in RETRYABLE_CODES) or (
        code is None and response.status_code in (429, 502, 503)
    )
    return GraphError(
        name=name,
        http_status=response.status_code,
        code=code,
        message=str(err.get("message", ""))[:500],
        details=str(data.get("details", ""))[:500],
        retryable=retryable,
        retry_after=retry_after,
        fbtrace_id=err.get("fbtrace_id"),
    )


def backoff_delay(attempt: int, error: GraphError | None, *, base: float = 0.25) -> float:
    """Exponential backoff with full jitter; Retry-After and the pair limit win."""
    if error is not None and error.retry_after is not None:
        return error.retry_after
    if error is not None and error.code == 131056:
        # Meta: one message per 6 s to the same user; retry after 4^x seconds.
        return float(4 ** min(attempt, 3))
    return random.uniform(0, base * (2 ** min(attempt, 6)))


class MediaFailed(Exception):
    """A media lookup or download the desktop gets as a stable error instead of the bytes."""

    def __init__(self, status: int, name: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.name = name
        self.message = message


@dataclass(frozen=True)
class MediaInfo:
    """What Graph's media lookup said, reduced to the fields the relay trusts."""

    url: str
    mime_type: str | None
    sha256: str | None


def read_media_info(response: httpx.Response) -> MediaInfo:
    """Graph's ``GET /{media_id}`` answer; anything but a JSON object with a string url fails.

    The answer comes from outside, so a list, ``null``, non-JSON or a non-string
    ``url`` must end as a clear 502, not as an exception inside the handler.
    """
    try:
        payload = response.json()
    except ValueError:
        payload = None
    url = payload.get("url") if isinstance(payload, dict) else None
    if not isinstance(payload, dict) or not isinstance(url, str) or not url:
        raise MediaFailed(502, "meta_bad_answer", "Meta's media lookup answer was not understood.")
    return MediaInfo(
        url=url,
        mime_type=_header_value(payload.get("mime_type")),
        sha256=_header_value(payload.get("sha256")),
    )


def _header_value(value: Any) -> str | None:
    """A Graph field fit to pass on as a response header (short printable ASCII), else None."""
    if isinstance(value, str) and value.isascii() and value.isprintable() and 0 < len(value) < 256:
        return value
    return None


# The bytes as stored: a compressed answer would be decoded on the way, and its
# Content-Length would then not describe what the desktop receives.
MEDIA_HEADERS = {"Accept-Encoding": "identity"}


def _origin(url: httpx.URL) -> tuple[str, str, int]:
    default = 443 if url.scheme == "https" else 80
    return url.scheme, url.host.lower(), url.port or default


def _host_port(entry: str) -> tuple[str, int]:
    """``host`` or ``host:port`` from the media host allow-list (HTTPS, so 443 by default)."""
    host, sep, port = entry.strip().lower().rpartition(":")
    if sep and port.isdigit() and host and not host.endswith(":"):
        return host.strip("[]"), int(port)
    return entry.strip().lower().strip("[]"), 443


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local and other non-internet addresses."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class GraphClient:
    """A thin async client; the access token stays inside this object."""

    def __init__(
        self,
        base_url: str,
        api_version: str,
        access_token: str,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        media_hosts: tuple[str, ...] = DEFAULT_MEDIA_HOSTS,
    ) -> None:
        self.api_version = api_version
        self._token = access_token
        self._graph_origin = _origin(httpx.URL(base_url))
        self._media_hosts = frozenset(_host_port(h) for h in media_hosts if h.strip())
        # A CDN that stalls mid-file is given up after this long without a byte
        # (the desktop then sees a cut-off download, not a hang).
        self.media_timeout = httpx.Timeout(timeout, connect=5.0)
        self._http = httpx.AsyncClient(
            base_url=f"{base_url.rstrip('/')}/{api_version}",
            timeout=httpx.Timeout(timeout, connect=5.0),
            headers={"Authorization": f"Bearer {access_token}"},
            transport=transport,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )

    async def aclose(self) -> None:
        """Close the pooled connections to Graph; the relay calls it once, at shutdown."""
        await self._http.aclose()

    async def post_message(
        self, phone_number_id: str, body: dict[str, Any], *, budget: float
    ) -> GraphResult:
        """POST /{phone_number_id}/messages, retrying only what Meta surely refused.

        A connection that failed before the request went out, and Graph errors
        Meta documents as transient, are retried with backoff inside
        ``budget`` seconds. A timeout after the request was written may mean
        Meta accepted it; Graph has no idempotency key, so that is reported as
        uncertain instead of risking a second message to the customer.
        Cancelling it mid-request leaves the outcome just as unknown: the
        caller must then treat the send as uncertain.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        attempt = 0
        last_error: GraphError | None = None
        while True:
            attempt += 1
            try:
                response = await self._http.post(f"/{phone_number_id}/messages", json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                last_error = GraphError(
                    "meta_unreachable", 502, message=type(exc).__name__, retryable=True
                )
            except httpx.TransportError as exc:
                return GraphResult(
                    ok=False,
                    error=GraphError("send_uncertain", 502, message=type(exc).__name__),
                    uncertain=True,
                    attempts=attempt,
                )
            else:
                if response.status_code == 200:
                    try:
                        payload = response.json()
                    except ValueError:
                        payload = {}
                    return GraphResult(ok=True, body=payload, attempts=attempt)
                if response.status_code == 504:
                    return GraphResult(
                        ok=False,
                        error=GraphError("send_uncertain", 502, message="gateway timeout"),
                        uncertain=True,
                        attempts=attempt,
                    )
                last_error = parse_error(response)
                if not last_error.retryable:
                    return GraphResult(ok=False, error=last_error, attempts=attempt)
            delay = backoff_delay(attempt, last_error)
            if loop.time() + delay > deadline:
                if last_error.retry_after is None:
                    last_error.retry_after = round(max(delay, 1.0), 1)
                return GraphResult(ok=False, error=last_error, attempts=attempt)
            await asyncio.sleep(delay)

    async def get_json(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """``GET path`` on Graph with the token; the raw response, whatever its status.

        A network failure raises :class:`httpx.HTTPError`. Safe to cancel: a read
        has nothing to undo.
        """
        return await self._http.get(path, params=params)

    async def media_info(self, media_id: str) -> MediaInfo:
        """Resolve a media id with Graph; every failure is a :class:`MediaFailed`."""
        try:
            response = await self._http.get(f"/{media_id}")
        except httpx.HTTPError as exc:
            raise MediaFailed(
                502, "meta_unreachable", "Meta could not be reached for the media lookup."
            ) from exc
        if response.status_code in (400, 404):
            raise MediaFailed(404, "media_not_found", "Meta no longer has this media (ids expire).")
        if response.status_code != 200:
            raise MediaFailed(502, "meta_unavailable", "Meta did not answer the media lookup.")
        return read_media_info(response)

    async def stream_url(self, url: str) -> tuple[httpx.Response, AsyncIterator[bytes]]:
        """Open the short-lived media URL, which needs the bearer token.

        The URL comes from Graph's answer, so it is checked before the token
        goes anywhere (see :meth:`_media_request`); redirects are never
        followed, whatever the client's defaults become.
        """
        request = await self._media_request(url)
        try:
            response = await self._http.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise MediaFailed(
                502, "media_download_failed", "Meta's media download could not be reached."
            ) from exc
        if response.status_code != 200:
            await response.aclose()
            raise MediaFailed(502, "media_download_failed", "Meta refused the media download.")
        return response, response.aiter_bytes(64 * 1024)

    async def _media_request(self, url: str) -> httpx.Request:
        """A request that can carry the token: to Graph itself, or to an allowed media host.

        An allowed host must resolve to public addresses only, and the
        connection goes to the address checked (the Host header and TLS name
        stay the host's), so a DNS answer cannot turn it towards the relay's
        own network between the check and the connection.
        """
        refused = MediaFailed(
            502, "media_url_refused", "Meta's media lookup named a download address not trusted."
        )
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise refused from exc
        if target.scheme not in ("http", "https") or not target.host:
            raise refused
        if _origin(target) == self._graph_origin:
            return self._http.build_request(
                "GET", target, headers=MEDIA_HEADERS, timeout=self.media_timeout
            )
        _, host, port = _origin(target)
        if target.scheme != "https" or (host, port) not in self._media_hosts:
            raise refused
        address = await self._public_address(host, port)
        if address is None:
            raise refused
        return self._http.build_request(
            "GET",
            target.copy_with(host=address),
            headers={**MEDIA_HEADERS, "Host": target.netloc.decode("ascii")},
            extensions={"sni_hostname": host},
            timeout=self.media_timeout,
        )

    @staticmethod
    async def _public_address(host: str, port: int) -> str | None:
        """The first address of ``host`` if every address it has is public, else None."""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
        except (OSError, UnicodeError) as exc:
            raise MediaFailed(
                502, "media_download_failed", "Meta's media download host did not resolve."
            ) from exc
        addresses = [str(info[4][0]) for info in infos]
        if not addresses or not all(is_public_address(a) for a in addresses):
            return None
        return addresses[0]

    async def upload_media(
        self, phone_number_id: str, filename: str, mime_type: str, stream: Any
    ) -> httpx.Response:
        """Upload to Graph; an unreachable Graph is a :class:`MediaFailed`, not a crash."""
        try:
            return await self._http.post(
                f"/{phone_number_id}/media",
                data={"messaging_product": "whatsapp", "type": mime_type},
                files={"file": (filename, stream, mime_type)},
                timeout=httpx.Timeout(300.0, connect=5.0),
            )
        except httpx.HTTPError as exc:
            raise MediaFailed(
                502, "meta_unreachable", "Meta could not be reached for the upload."
            ) from exc
