"""relay/deploy/: what can be proved here without a Docker daemon or base images.

- the systemd unit passes ``systemd-analyze verify`` and scores well in ``security``;
- the Caddyfile passes Debian's ``caddy validate``;
- compose.yaml parses, and its services, volumes and health checks fit together;
- the image's ENTRYPOINT/CMD and HEALTHCHECK commands, read from the Dockerfile,
  run a relay and judge its health, directly on this machine;
- the image's requirements are the relay's own dependencies, nothing more or less.

Without caddy or systemd-analyze the tests skip, or fail under CI=true
(tools/system-deps.sh installs both).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.metadata
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from relay_support import ACCESS_TOKEN, APP_SECRET, REPO, VERIFY_TOKEN, free_port
from waiting import wait_until

DEPLOY = REPO / "relay" / "deploy"
UNIT = DEPLOY / "crm-whatsapp-relay.service"
VENV_BIN = REPO / ".venv" / "bin"


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (bash tools/system-deps.sh installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


# -- systemd ----------------------------------------------------------------------------------


def unit_for_this_machine(tmp_path: Path) -> Path:
    """The unit with its /opt paths pointing at this checkout's virtualenv.

    ``verify`` checks that the commands exist; the rest of the file is unchanged.
    """
    text = UNIT.read_text(encoding="utf-8").replace("/opt/crm-whatsapp-relay/bin/", f"{VENV_BIN}/")
    copy = tmp_path / UNIT.name
    copy.write_text(text, encoding="utf-8")
    return copy


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_the_systemd_unit_verifies_and_is_hardened(tmp_path: Path) -> None:
    tool = need_tool("systemd-analyze")
    unit = unit_for_this_machine(tmp_path)
    verified = subprocess.run(
        [tool, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == "", verified.stderr

    settings = unit_settings()
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "CapabilityBoundingSet": "",
        "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
    }.items():
        assert settings.get(key) == [value], (key, settings.get(key))
    data_dir = settings["Environment"][0].partition("RELAY_DATA_DIR=")[2]
    assert data_dir == "/var/lib/crm-whatsapp-relay"
    assert settings["ReadWritePaths"] == [data_dir]
    assert settings["StateDirectory"] == ["crm-whatsapp-relay"]

    security = subprocess.run(
        [tool, "security", "--offline=yes", "--no-pager", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    found = re.search(r"Overall exposure level for \S+: ([\d.]+)", security.stdout)
    assert found, security.stdout[-2000:] + security.stderr
    # systemd's scale: 0 (locked down) to 10 (exposed); below 2 is "OK" and better.
    assert float(found.group(1)) <= 2.0, security.stdout[-3000:]


# -- Caddy ------------------------------------------------------------------------------------


def test_the_caddyfile_validates_and_is_formatted(tmp_path: Path) -> None:
    caddy = need_tool("caddy")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "RELAY_DOMAIN": "relay.example.com",
        # Loopback: validation starts the active health checker, which must not look
        # up compose's "relay" name on this machine.
        "RELAY_UPSTREAMS": f"127.0.0.1:{free_port()} 127.0.0.1:{free_port()}",
    }
    result = subprocess.run(
        [caddy, "validate", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr
    formatted = subprocess.run(
        [caddy, "fmt", str(DEPLOY / "Caddyfile")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    assert formatted.stdout == (DEPLOY / "Caddyfile").read_text(encoding="utf-8")


# -- compose ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_services_volumes_and_health_checks_fit_together(compose: dict) -> None:  # type: ignore[type-arg]
    services = compose["services"]
    assert {"relay", "postgres", "caddy"} <= set(services)
    declared = set(compose["volumes"])
    used: set[str] = set()
    for name, service in services.items():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, (name, source)
                used.add(source)
            else:
                assert (DEPLOY / source).exists(), (name, source)
        for dependency, how in service.get("depends_on", {}).items():
            assert dependency in services, (name, dependency)
            if how.get("condition") == "service_healthy":
                assert "healthcheck" in services[dependency], (name, dependency)
    assert used == declared, declared - used

    # Caddy: the only published ports, its certificates in a volume.
    caddy = services["caddy"]
    assert sorted(caddy["ports"]) == ["443:443", "443:443/udp", "80:80"]
    assert "caddy_data:/data" in caddy["volumes"]
    assert all("ports" not in s for n, s in services.items() if n != "caddy")

    # The relay: built from this repository, on PostgreSQL, data in its volume.
    relay = services["relay"]
    build = relay["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == DEPLOY / "Dockerfile"
    assert relay["environment"]["RELAY_DATABASE_URL"].startswith("postgresql://relay:")
    assert "@postgres:5432/relay" in relay["environment"]["RELAY_DATABASE_URL"]
    assert "relay_data:/data" in relay["volumes"]
    assert relay["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert relay["healthcheck"]["test"] == ["CMD", *dockerfile()["HEALTHCHECK"]]
    assert (DEPLOY / "relay.env.example").is_file()

    # A second instance is one step away: the same service behind a profile.
    second = services["relay2"]
    assert second["profiles"] == ["scale"]
    assert second["build"] == relay["build"] and second["environment"] == relay["environment"]
    assert "RELAY_UPSTREAMS" in caddy["environment"]


# -- the Dockerfile's commands, run here ------------------------------------------------------


def dockerfile() -> dict[str, object]:
    """The instructions that matter, JSON-form arguments decoded."""
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    out: dict[str, object] = {"ENV": {}, "RUN": []}
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "ENV":
            for key, value in re.findall(r"(\w+)=(\S+)", rest):
                out["ENV"][key] = value  # type: ignore[index]
        elif word == "RUN":
            out["RUN"].append(rest)  # type: ignore[union-attr]
        elif word == "HEALTHCHECK":
            out["HEALTHCHECK"] = json.loads(rest.partition(" CMD ")[2])
        elif word in ("ENTRYPOINT", "CMD", "VOLUME"):
            out[word] = json.loads(rest)
        else:
            out[word] = rest
    return out


def test_the_dockerfile_is_slim_non_root_and_arch_neutral() -> None:
    image = dockerfile()
    assert re.fullmatch(r"python:3\.\d+-slim", str(image["FROM"])), image["FROM"]
    assert image["USER"] not in ("root", "0", "")
    assert image["VOLUME"] == [image["ENV"]["RELAY_DATA_DIR"]]  # type: ignore[index]
    assert image["HEALTHCHECK"][0] == "python"  # type: ignore[index]
    every_run = " ".join(image["RUN"])  # type: ignore[arg-type]
    assert not re.search(r"amd64|x86_64|aarch64|arm64|curl|wget|apt-get", every_run), every_run
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8")
    assert "!relay/" in ignore  # only the relay's package goes into the build context


def docker_command(words: list[str]) -> list[str]:
    """An image command as this machine runs it: the venv's python for the image's."""
    assert words[0] == "python"
    return [sys.executable, *words[1:]]


@contextlib.contextmanager
def image_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], dict[str, str]]]:
    """ENTRYPOINT + CMD with the image's ENV (loopback and a free port instead of 0.0.0.0:8000)."""
    image = dockerfile()
    data = tmp_path / "data"
    data.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        **image["ENV"],  # type: ignore[dict-item]
        "PYTHONPATH": str(REPO),  # the image's /app holds the relay package the same way
        "RELAY_HOST": "127.0.0.1",
        "RELAY_PORT": str(free_port()),
        "RELAY_DATA_DIR": str(data),
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9",
    }
    command = docker_command([*image["ENTRYPOINT"], *image["CMD"]])  # type: ignore[misc]
    with (tmp_path / "relay.log").open("wb") as log:
        proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log, stderr=log)
    try:
        yield proc, env
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def run_healthcheck(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = docker_command(dockerfile()["HEALTHCHECK"])  # type: ignore[arg-type]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=False)


def test_the_image_entrypoint_serves_and_its_healthcheck_judges_it(tmp_path: Path) -> None:
    with image_process(tmp_path) as (proc, env):
        url = f"http://127.0.0.1:{env['RELAY_PORT']}/healthz"

        def up() -> bool:
            if proc.poll() is not None:
                raise AssertionError((tmp_path / "relay.log").read_text()[-2000:])
            with contextlib.suppress(httpx.HTTPError):
                return httpx.get(url, timeout=1).status_code == 200
            return False

        wait_until(up, 30, interval=0.05)
        healthy = run_healthcheck(env)
        assert healthy.returncode == 0, healthy.stderr
        assert healthy.stdout.startswith("healthy")
        # The relay wrote its SQLite log into the data volume.
        assert (Path(env["RELAY_DATA_DIR"]) / "relay.db").is_file()
        # `docker exec … python -m relay.cli check` in the running container (as CI does).
        checked = subprocess.run(
            docker_command(["python", "-m", "relay.cli", "check"]),
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        proc.terminate()  # `docker stop`: uvicorn shuts down, then re-raises SIGTERM
        assert proc.wait(20) in (0, -signal.SIGTERM)
    started = time.monotonic()
    down = run_healthcheck(env)
    assert down.returncode == 1
    assert down.stderr.startswith("unhealthy") and "Traceback" not in down.stderr
    assert time.monotonic() - started < 10


# -- the image's dependencies -----------------------------------------------------------------


def requirement_lines() -> list[str]:
    lines = (DEPLOY / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def third_party_imports() -> set[str]:
    """Top-level modules imported anywhere in relay/, outside the standard library."""
    found: set[str] = set()
    for path in (REPO / "relay").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "relay"}


def test_the_image_installs_exactly_the_relays_dependencies() -> None:
    from packaging.requirements import Requirement

    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    wanted = requirement_lines()
    for line in wanted:
        assert f'"{line}"' in pyproject, f"{line} differs from pyproject.toml"
    names = {Requirement(line).name.lower().replace("_", "-") for line in wanted}
    providers = importlib.metadata.packages_distributions()
    for module in third_party_imports():
        dists = {d.lower().replace("_", "-") for d in providers.get(module, [])}
        assert dists & names, f"relay imports {module}, which requirements.txt does not install"


def test_the_ci_workflow_builds_both_architectures_and_waits_for_health() -> None:
    workflow = yaml.safe_load(
        (REPO / ".github" / "workflows" / "relay-image.yml").read_text(encoding="utf-8")
    )
    steps = workflow["jobs"]["image"]["steps"]
    builds = [s["with"] for s in steps if str(s.get("uses", "")).startswith("docker/build-push")]
    assert {b["file"] for b in builds} == {"relay/deploy/Dockerfile"}
    assert any(b["platforms"] == "linux/amd64,linux/arm64" for b in builds)
    script = "\n".join(str(s.get("run", "")) for s in steps)
    assert "{{.State.Health.Status}}" in script and "= healthy" in script
    assert "200000000" in script  # the image size target
