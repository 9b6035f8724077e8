"""IT's silent installs need one single-use code per PC: ``device add NAME --count N``."""

from __future__ import annotations

import json
from pathlib import Path

from relay_support import Harness, cli_env, run_cli


def test_count_makes_one_code_per_pc_each_enrolling_once(harness: Harness, tmp_path: Path) -> None:
    env = cli_env(harness.db_url)
    added = run_cli(["device", "add", "Loja Centro", "--count", "12", "--json"], env, tmp_path)
    assert added.returncode == 0, added.stderr
    made = json.loads(added.stdout)
    assert [d["name"] for d in made] == [f"Loja Centro {n:02d}" for n in range(1, 13)]
    assert len({d["code"] for d in made}) == 12
    assert len({d["device_id"] for d in made}) == 12

    # Each PC's installer spends its own code; a code used once is refused after.
    for device in (made[0], made[11]):
        response = harness.http.post(
            harness.url + "/v1/enroll", json={"code": device["code"], "name": ""}
        )
        assert response.status_code == 200, response.text
        assert response.json()["device_id"] == device["device_id"]
    again = harness.http.post(harness.url + "/v1/enroll", json={"code": made[0]["code"]})
    assert again.status_code == 403

    listed = json.loads(run_cli(["device", "list", "--json"], env, tmp_path).stdout)
    states = {d["name"]: d["state"] for d in listed}
    assert states["Loja Centro 01"] == "enrolled"
    assert states["Loja Centro 02"] == "pending"


def test_count_out_of_range_creates_nothing(harness: Harness, tmp_path: Path) -> None:
    env = cli_env(harness.db_url)
    refused = run_cli(["device", "add", "PC", "--count", "0", "--json"], env, tmp_path)
    assert refused.returncode == 2
    assert "--count must be between 1 and" in refused.stderr
    assert json.loads(run_cli(["device", "list", "--json"], env, tmp_path).stdout) == []


def test_without_count_json_stays_one_object(harness: Harness, tmp_path: Path) -> None:
    """Scripts written for a single ``device add --json`` keep working."""
    added = run_cli(["device", "add", "Caixa", "--json"], cli_env(harness.db_url), tmp_path)
    assert added.returncode == 0, added.stderr
    info = json.loads(added.stdout)
    assert isinstance(info, dict)
    assert info["name"] == "Caixa"
