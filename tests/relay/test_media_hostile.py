"""Media through the relay when Graph's answers are hostile, broken or missing.

The media lookup answer names a download URL, and that download carries the
Meta access token. A lookup pointing anywhere but Meta (another host, the
relay itself, a redirect away) must not receive the token or be fetched, and
whatever Graph answers, the desktop gets a clear 502, never a 500.

Graph is played by a small real HTTP server whose answers each test sets;
"another host" is a second loopback server that records every request.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from relay_support import Harness, free_port, run, sqlite_only
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route
from waiting import wait_until

from crm_whatsapp.sync.media import MediaCache, MediaUnavailable
from relay.config import Settings
from relay.graph import GraphClient, MediaFailed
from relay.serving import BackgroundServer

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# A file a CDN would compress well, and large enough to arrive in several chunks.
FILE = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 800
FILE_GZ = gzip.compress(FILE)


async def _broken_body(request: Request, kind: str) -> AsyncIterator[bytes]:
    """The first 1,000 bytes, then: the end (``short``), an error (``die``), or silence."""
    yield FILE[:1000]
    if kind == "die":
        raise RuntimeError("the CDN died mid-file")
    if kind == "stall":
        while (await request.receive())["type"] != "http.disconnect":
            pass


@dataclass
class Recorder:
    """A web server standing in for a host the token must never reach."""

    requests: list[dict[str, str]] = field(default_factory=list)

    async def anything(self, request: Request) -> Response:
        self.requests.append(dict(request.headers))
        return Response(PNG, media_type="image/png")

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self.anything, methods=["GET", "POST"])])


@dataclass
class HostileGraph:
    """Graph answering each call with whatever bytes the test chose."""

    lookup: bytes = b"{}"
    upload: bytes = b'{"id": "1"}'
    templates: bytes = b'{"data": []}'
    redirect_to: str = ""
    downloads: list[dict[str, str]] = field(default_factory=list)

    async def media_info(self, request: Request) -> Response:
        return Response(self.lookup, media_type="application/json")

    async def upload_media(self, request: Request) -> Response:
        return Response(self.upload, media_type="application/json")

    async def list_templates(self, request: Request) -> Response:
        return Response(self.templates, media_type="application/json")

    async def bounce(self, request: Request) -> Response:
        return RedirectResponse(self.redirect_to, status_code=302)

    async def download(self, request: Request) -> Response:
        """The CDN, misbehaving as ``kind`` says, after its headers went out fine."""
        self.downloads.append(dict(request.headers))
        kind = request.path_params["kind"]
        if kind == "gzip":  # compressed although the relay asked for identity
            return Response(FILE_GZ, headers={"Content-Encoding": "gzip"}, media_type="image/png")
        if kind == "ok":
            return Response(FILE, media_type="image/png")
        length = {"Content-Length": str(len(FILE))} if kind == "short" else {}
        return StreamingResponse(_broken_body(request, kind), headers=length)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bounce", self.bounce),
                Route("/dl/{kind}", self.download),
                Route("/{version}/{pnid}/media", self.upload_media, methods=["POST"]),
                Route("/{version}/{waba}/message_templates", self.list_templates),
                Route("/{version}/{media_id}", self.media_info),
            ]
        )


@pytest.fixture
def serve() -> Iterator[Callable[[Starlette, str], BackgroundServer]]:
    servers: list[BackgroundServer] = []

    def start(app: Starlette, name: str) -> BackgroundServer:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False)
        server = BackgroundServer(config, name).start()
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        server.stop()


@dataclass
class Scene:
    harness: Harness
    graph: HostileGraph
    graph_url: str
    other: Recorder
    other_url: str
    token: str

    def answer(self, payload: Any) -> None:
        self.graph.lookup = payload if isinstance(payload, bytes) else json.dumps(payload).encode()

    def fetch(self) -> Any:
        return self.harness.api("GET", "/v1/media/1234567890", self.token)

    def download(self, kind: str) -> tuple[int, bytes, Exception | None]:
        """Fetch media whose CDN download behaves as ``kind``: status, bytes, how reading ended."""
        self.answer({"url": f"{self.graph_url}/dl/{kind}", "mime_type": "image/png"})
        got = bytearray()
        with (
            httpx.Client(timeout=10.0) as http,
            http.stream(
                "GET",
                self.harness.url + "/v1/media/1234567890",
                headers={"Authorization": f"Bearer {self.token}"},
            ) as response,
        ):
            try:
                for chunk in response.iter_bytes():
                    got.extend(chunk)
            except httpx.HTTPError as exc:
                return response.status_code, bytes(got), exc
        return response.status_code, bytes(got), None


@pytest.fixture
def scene(
    make_relay: Callable[..., Harness], serve: Callable[[Starlette, str], BackgroundServer]
) -> Callable[..., Scene]:
    def build(**settings: Any) -> Scene:
        graph = HostileGraph()
        graph_server = serve(graph.app(), "hostile-graph")
        other = Recorder()
        other_server = serve(other.app(), "other-host")
        harness = make_relay(graph_url=graph_server.url, **settings)
        token, _ = harness.enroll()
        return Scene(harness, graph, graph_server.url, other, other_server.url, token)

    return build


def _assert_refused(response: Any, *names: str) -> None:
    assert response.status_code == 502, response.text
    assert response.json()["error"]["name"] in names


@sqlite_only
def test_a_media_url_on_another_host_never_receives_the_token(
    scene: Callable[..., Scene],
) -> None:
    """Graph naming some other server: the relay refuses, and that server hears nothing."""
    s = scene()
    s.answer({"url": s.other_url + "/steal?mid=1", "mime_type": "image/png"})
    _assert_refused(s.fetch(), "media_url_refused")
    assert s.other.requests == []


@sqlite_only
def test_a_media_url_naming_the_relay_itself_is_not_fetched(scene: Callable[..., Scene]) -> None:
    """The relay's own /metrics is not streamed to a desktop through a media id (SSRF)."""
    s = scene()
    s.answer({"url": s.harness.url + "/metrics", "mime_type": "text/plain"})
    response = s.fetch()
    _assert_refused(response, "media_url_refused")
    assert "relay_head_seq" not in response.text


@sqlite_only
def test_a_redirect_away_from_graph_is_not_followed(scene: Callable[..., Scene]) -> None:
    """A download URL on Graph that redirects elsewhere: not followed, token kept home."""
    s = scene()
    s.graph.redirect_to = s.other_url + "/landed"
    s.answer({"url": s.graph_url + "/bounce", "mime_type": "image/png"})
    _assert_refused(s.fetch(), "media_download_failed")
    assert s.other.requests == []


@sqlite_only
def test_an_allowed_media_host_on_a_private_address_is_refused(
    scene: Callable[..., Scene],
) -> None:
    """The allow-list (RELAY_MEDIA_HOSTS) names hosts, but never opens the relay's own network."""
    port = free_port()
    s = scene(media_hosts=(f"localhost:{port}",))
    s.answer({"url": f"https://localhost:{port}/x", "mime_type": "image/png"})
    _assert_refused(s.fetch(), "media_url_refused")


def test_an_allowed_media_host_gets_the_token_and_others_do_not() -> None:
    """RELAY_MEDIA_HOSTS lets the token reach a listed public host, on HTTPS and its port only.

    Public hosts are out of a loopback test's reach, so the network itself is
    httpx's in-memory transport here: it sees what would have gone out.
    """
    seen: list[httpx.Request] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=PNG)

    listed = "157.240.0.35"  # an address literal: resolving it sends nothing
    client = GraphClient(
        "https://graph.facebook.com",
        "v24.0",
        "the-token",
        transport=httpx.MockTransport(network),
        media_hosts=(listed,),
    )

    async def body() -> tuple[bytes, list[str]]:
        response, chunks = await client.stream_url(f"https://{listed}/v/t?oh=1")
        data = b"".join([chunk async for chunk in chunks])
        await response.aclose()
        refused = []
        for url in (f"http://{listed}/v", f"https://{listed}:8443/v", "https://157.240.0.36/v"):
            try:
                await client.stream_url(url)
            except MediaFailed as exc:
                refused.append(exc.name)
        await client.aclose()
        return data, refused

    data, refused = run(body())
    assert data == PNG
    assert refused == ["media_url_refused"] * 3
    assert [(r.url.host, r.headers["authorization"]) for r in seen] == [
        (listed, "Bearer the-token")
    ]


@sqlite_only
@pytest.mark.parametrize(
    "answer",
    [
        {"url": "gopher://127.0.0.1:70/_stats", "mime_type": "image/png"},
        {"url": 12345, "mime_type": "image/png"},
        {"url": ["https://lookaside.fbsbx.com/x"]},
        {"mime_type": "image/png"},
        {"url": "", "mime_type": "image/png"},
        {"url": "http://", "mime_type": "image/png"},
        {"url": "http://[::1", "mime_type": "image/png"},
        ["https://lookaside.fbsbx.com/x"],
        None,
        b"<html>not json</html>",
        b"",
    ],
    ids=[
        "gopher",
        "url-not-a-string",
        "url-a-list",
        "no-url",
        "empty-url",
        "no-host",
        "broken-url",
        "a-list",
        "null",
        "not-json",
        "empty-body",
    ],
)
def test_broken_media_lookups_answer_502(scene: Callable[..., Scene], answer: Any) -> None:
    """Whatever Graph's lookup says, the desktop gets a stable 502, never a 500."""
    s = scene()
    s.answer(answer)
    _assert_refused(s.fetch(), "media_url_refused", "meta_bad_answer")
    assert s.other.requests == []


@sqlite_only
def test_a_url_smuggling_the_graph_host_as_user_info_is_refused(
    scene: Callable[..., Scene],
) -> None:
    """``http://graph-host@other-host/`` goes to the other host: refused like it."""
    s = scene()
    graph_netloc = s.graph_url.removeprefix("http://")
    other_netloc = s.other_url.removeprefix("http://")
    s.answer({"url": f"http://{graph_netloc}@{other_netloc}/x", "mime_type": "image/png"})
    _assert_refused(s.fetch(), "media_url_refused")
    assert s.other.requests == []


@sqlite_only
def test_unreachable_graph_answers_502_for_media(make_relay: Callable[..., Harness]) -> None:
    """Meta down: fetching and uploading media both say so with a 502."""
    harness = make_relay(graph_url=f"http://127.0.0.1:{free_port()}")
    token, _ = harness.enroll()
    fetched = harness.api("GET", "/v1/media/1234567890", token)
    _assert_refused(fetched, "meta_unreachable")
    uploaded = harness.api(
        "POST",
        "/v1/media?phone_number_id=106540352242922&filename=x.png",
        token,
        content=PNG,
        headers={"Content-Type": "image/png"},
    )
    _assert_refused(uploaded, "meta_unreachable")


@sqlite_only
@pytest.mark.parametrize("answer", [b"not json", b"[]", b"null", b'{"id": 7}'])
def test_an_upload_answered_with_junk_is_a_502(scene: Callable[..., Scene], answer: bytes) -> None:
    s = scene()
    s.graph.upload = answer
    response = s.harness.api(
        "POST",
        "/v1/media?phone_number_id=106540352242922&filename=x.png",
        s.token,
        content=PNG,
        headers={"Content-Type": "image/png"},
    )
    _assert_refused(response, "meta_bad_answer")


@sqlite_only
@pytest.mark.parametrize("answer", [b"not json", b"[]", b"null", b'{"data": 3, "paging": []}'])
def test_templates_answered_with_junk_are_a_502(scene: Callable[..., Scene], answer: bytes) -> None:
    s = scene(business_account_id="987654321098765")
    s.graph.templates = answer
    response = s.harness.api("GET", "/v1/templates", s.token)
    if answer.startswith(b"{"):
        assert response.status_code == 200, response.text
        assert response.json() == {"data": []}
    else:
        _assert_refused(response, "meta_unavailable")


def test_the_media_host_allow_list_is_read_from_the_environment() -> None:
    """Unset: Meta's CDN only. Set: exactly the hosts the admin listed."""
    assert Settings.from_env({}, dotenv=None).media_hosts == ("lookaside.fbsbx.com",)
    listed = Settings.from_env(
        {"RELAY_MEDIA_HOSTS": " cdn.example , cdn2.example:8443,"}, dotenv=None
    )
    assert listed.media_hosts == ("cdn.example", "cdn2.example:8443")


def _media_requests(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    """The request-log lines for media downloads, as the admin reads them."""
    return [
        r.fields  # type: ignore[attr-defined]
        for r in caplog.records
        if r.name == "relay.request"
        and getattr(r, "fields", {}).get("path", "").startswith("/v1/media/")
    ]


@sqlite_only
def test_a_download_the_cdn_compresses_reaches_the_desktop_whole(
    scene: Callable[..., Scene],
) -> None:
    """The relay asks for the bytes as stored; a CDN compressing anyway is decoded, not cut.

    The compressed size was forwarded as Content-Length, so the desktop got
    the first bytes of the file and then a broken connection.
    """
    s = scene()
    status, data, failure = s.download("gzip")
    assert (status, failure) == (200, None)
    assert data == FILE
    assert s.graph.downloads[0]["accept-encoding"] == "identity"


@sqlite_only
@pytest.mark.parametrize(
    ("kind", "cause"),
    [("short", "RemoteProtocolError"), ("die", "RemoteProtocolError"), ("stall", "ReadTimeout")],
)
def test_a_download_that_breaks_mid_file_is_cut_off_and_logged(
    scene: Callable[..., Scene], caplog: pytest.LogCaptureFixture, kind: str, cause: str
) -> None:
    """A CDN that ends early, dies or stalls after its headers: never a "complete" short file.

    The desktop's connection is cut (an incomplete body, not a 200 that
    looks whole), the relay says so in one line without a traceback, and the
    request line is marked aborted.
    """
    caplog.set_level(logging.INFO)
    s = scene()
    s.harness.relay.graph.media_timeout = httpx.Timeout(0.5, connect=5.0)
    status, data, failure = s.download(kind)
    assert status == 200
    assert isinstance(failure, httpx.RemoteProtocolError), failure
    assert len(data) < len(FILE)
    lines = wait_until(lambda: _media_requests(caplog))
    assert [(line["status"], line.get("aborted")) for line in lines] == [(200, True)]
    (said,) = [r for r in caplog.records if r.name == "relay.graph"]
    fields = said.fields  # type: ignore[attr-defined]
    assert said.getMessage() == "media download cut off"
    assert (fields["error"], fields["cause"]) == ("media_download_failed", cause)
    assert fields["bytes_sent"] < len(FILE)
    tracebacks = [r for r in caplog.records if r.exc_info and r.exc_info[0] is not RuntimeError]
    assert tracebacks == []  # (RuntimeError is the hostile CDN's own, in this process)


@sqlite_only
def test_the_desktop_keeps_nothing_of_a_cut_off_download_and_fetches_it_again(
    scene: Callable[..., Scene], tmp_path: Path
) -> None:
    """Cut off half-way is a failure to the desktop: nothing cached, the next open refetches."""
    s = scene()
    cache = MediaCache(tmp_path, os.urandom(32), s.harness.url, s.token)
    s.answer({"url": f"{s.graph_url}/dl/die", "mime_type": "image/png"})
    with pytest.raises(MediaUnavailable):
        run(cache.load(7, "1234567890"))
    assert not cache.has(7)
    s.answer({"url": f"{s.graph_url}/dl/ok", "mime_type": "image/png"})
    assert run(cache.load(7, "1234567890")) == FILE
