"""``/metrics`` behind ``RELAY_METRICS_TOKEN``, and the Grafana dashboard that reads it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from prometheus_client.parser import text_string_to_metric_families
from relay_support import REPO, Harness, messages_payload, sqlite_only, text_message

from relay.config import Settings

DASHBOARD = REPO / "relay" / "deploy" / "grafana-dashboard.json"
TOKEN = "metrics-token-0123456789abcdef"


@sqlite_only
def test_metrics_need_the_bearer_token_when_one_is_set(make_relay: Callable[..., Harness]) -> None:
    harness = make_relay(metrics_token=TOKEN)
    url = harness.url + "/metrics"
    assert harness.http.get(url).status_code == 401
    denied = harness.http.get(url, headers={"Authorization": "Bearer wrong"})
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"].startswith("Bearer")
    assert "relay_" not in denied.text
    almost = harness.http.get(url, headers={"Authorization": f"Bearer {TOKEN}x"})
    assert almost.status_code == 401
    scraped = harness.http.get(url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert scraped.status_code == 200
    assert "relay_head_seq" in scraped.text
    # The health check stays open: load balancers and Docker call it without a token.
    assert harness.http.get(harness.url + "/healthz").status_code == 200


@sqlite_only
def test_metrics_are_open_without_a_token(harness: Harness) -> None:
    assert harness.http.get(harness.url + "/metrics").status_code == 200


def test_the_token_is_read_from_the_environment_and_never_shown() -> None:
    settings = Settings.from_env({"RELAY_METRICS_TOKEN": f" {TOKEN} "}, dotenv=None)
    assert settings.metrics_token == TOKEN
    assert TOKEN not in repr(settings)


def exported_series(text: str) -> set[str]:
    """Every series name a PromQL query could use against this exposition."""
    names: set[str] = set()
    for family in text_string_to_metric_families(text):
        if family.type == "counter":
            names.add(family.name + "_total")
        elif family.type == "histogram":
            names.update(family.name + s for s in ("_bucket", "_sum", "_count"))
        else:
            names.add(family.name)
        names.update(sample.name for sample in family.samples)
    return names


def dashboard_queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


@sqlite_only
def test_every_metric_the_dashboard_queries_is_exported(harness: Harness) -> None:
    assert (
        harness.post_payload(
            messages_payload(harness.sim, [text_message("wamid.dash1")])
        ).status_code
        == 200
    )
    exported = exported_series(harness.metrics())
    queried = {
        name for expr in dashboard_queries() for name in re.findall(r"\brelay_[a-z_]+\b", expr)
    }
    assert queried, "the dashboard queries nothing"
    assert queried <= exported, sorted(queried - exported)
    # And the dashboard shows every family the relay exports: none is left unwatched.
    families = {f.name for f in text_string_to_metric_families(harness.metrics())}
    unwatched = {f for f in families if not any(q.startswith(f) for q in queried)}
    assert not unwatched, sorted(unwatched)


def test_the_dashboard_is_importable_grafana_json() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dashboard["uid"] and dashboard["title"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}"
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24
