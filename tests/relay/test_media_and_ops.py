"""Media through the relay, templates, and what the admin monitors.

Media ids are useless to a desktop without the Meta token, so the relay must
hand back the exact bytes; uploads must come back identical too.
"""

from __future__ import annotations

from collections.abc import Callable

from relay_support import Harness, read_backlog, run, sqlite_only

from relay.simulator import customers as script
from relay.simulator.server import TEMPLATES

ANA = "5511987654321"


@sqlite_only
def test_inbound_media_is_fetched_byte_for_byte(harness: Harness) -> None:
    """The photo a customer sent opens on the desktop exactly as sent."""
    token, _ = harness.enroll()
    for msg_type in ("image", "document", "audio"):
        harness.say(ANA, msg_type)

    async def body() -> list[dict]:
        async with harness.stream(token) as ws:
            _, frames, _ = await read_backlog(ws)
        return [f["event"]["data"] for f in frames]

    for data in run(body()):
        media = data[data["type"]]
        response = harness.api("GET", f"/v1/media/{media['id']}", token)
        assert response.status_code == 200, response.text
        stored = harness.sim.media[media["id"]]
        assert response.content == stored.data
        assert response.headers["content-type"].split(";")[0] == media["mime_type"].split(";")[0]
        assert response.headers["x-media-sha256"] == media["sha256"]


@sqlite_only
def test_unknown_media_id_is_404(harness: Harness) -> None:
    token, _ = harness.enroll()
    response = harness.api("GET", "/v1/media/999999999999", token)
    assert response.status_code == 404
    assert response.json()["error"]["name"] == "media_not_found"


@sqlite_only
def test_uploaded_media_is_stored_by_meta_identically(harness: Harness) -> None:
    """An attendant attaches a file: Meta gets the same bytes and type, and serves them back."""
    token, _ = harness.enroll()
    png = script.png_bytes(40, 30, seed=3)
    response = harness.api(
        "POST",
        f"/v1/media?phone_number_id={harness.sim.phone_number_id}&filename=x.png",
        token,
        content=png,
        headers={"Content-Type": "image/png"},
    )
    assert response.status_code == 200, response.text
    media_id = response.json()["id"]
    assert harness.sim.media[media_id].data == png
    assert harness.sim.media[media_id].mime_type == "image/png"
    back = harness.api("GET", f"/v1/media/{media_id}", token)
    assert back.status_code == 200
    assert back.content == png
    assert back.headers["content-type"] == "image/png"

    missing = harness.api("POST", "/v1/media?filename=x.png", token, content=png)
    assert missing.status_code == 400


@sqlite_only
def test_templates_come_from_the_business_account(make_relay: Callable[..., Harness]) -> None:
    """With the account id configured, the desktop gets Meta's approved templates."""
    waba_id = "987654321098765"
    harness = make_relay(sim={"waba_id": waba_id}, business_account_id=waba_id)
    token, _ = harness.enroll()
    response = harness.api("GET", "/v1/templates", token)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == TEMPLATES


@sqlite_only
def test_templates_learn_the_account_from_the_first_webhook(harness: Harness) -> None:
    """Without the setting, templates work as soon as Meta has sent anything."""
    token, _ = harness.enroll()
    before = harness.api("GET", "/v1/templates", token)
    assert before.status_code == 503
    assert before.json()["error"]["name"] == "waba_unknown"
    harness.say(ANA, "text", text="Oi")
    response = harness.api("GET", "/v1/templates", token)
    assert response.status_code == 200, response.text
    assert [t["name"] for t in response.json()["data"]] == [t["name"] for t in TEMPLATES]


def test_healthz_reports_the_database(harness: Harness, backend: str) -> None:
    """A load balancer / admin check: 200, which database, how far the log goes."""
    response = harness.http.get(harness.url + "/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == backend
    assert body["head_seq"] == 0
    harness.say(ANA, "text", text="Oi")
    assert harness.http.get(harness.url + "/healthz").json()["head_seq"] == 1


@sqlite_only
def test_metrics_are_prometheus_text(harness: Harness) -> None:
    """Scrapable by Prometheus: stored events by kind, head seq, sends by result."""
    from prometheus_client.parser import text_string_to_metric_families

    token, _ = harness.enroll()
    harness.say(ANA, "text", text="Oi")
    response = harness.api(
        "POST",
        "/v1/messages",
        token,
        json={
            "phone_number_id": harness.sim.phone_number_id,
            "client_id": "m-1",
            "to": ANA,
            "type": "text",
            "text": {"body": "Olá!"},
        },
    )
    assert response.status_code == 200
    metrics = harness.http.get(harness.url + "/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    values: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(metrics.text):
        for sample in family.samples:
            values[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    assert values[("relay_events_stored_total", (("kind", "message"),))] == 1
    assert values[("relay_events_stored_total", (("kind", "outbound"),))] == 1
    assert values[("relay_sends_total", (("result", "accepted"),))] == 1
    assert values[("relay_head_seq", ())] >= 2
