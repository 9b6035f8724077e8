"""``crm-whatsapp-relay check`` as an admin runs it: one line per check, a fix per failure.

Run as a separate process against real databases (SQLite and PostgreSQL) and the
Meta simulator playing Graph, exactly as after editing an environment file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from relay_support import ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, Harness, cli_env, run_cli

SECRETS = {
    "WHATSAPP_APP_SECRET": APP_SECRET,
    "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
    "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
}


def lines_of(result_stdout: str) -> dict[str, str]:
    """``{check name: whole line}`` for the per-check lines (the last line is the verdict)."""
    out: dict[str, str] = {}
    for line in result_stdout.splitlines():
        outcome, _, rest = line.partition(" ")
        if outcome in ("ok", "FAIL", "skip"):
            name = rest.strip().partition(":")[0]
            out[name] = line
    return out


def test_a_served_configuration_passes_every_check(
    make_relay: Callable[..., Harness], tmp_path: Path
) -> None:
    """Migrated database, the token Graph accepts, a writable data folder: exit 0."""
    harness = make_relay()
    env = cli_env(
        harness.db_url,
        **SECRETS,
        WHATSAPP_GRAPH_URL=harness.sim_server.url,
        RELAY_DATA_DIR=str(tmp_path),
    )
    result = run_cli(["check"], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = lines_of(result.stdout)
    assert set(checks) >= {"secrets", "database", "graph", "data folder", "temp folder"}
    for name in ("secrets", "database", "graph"):
        assert checks[name].startswith("ok "), checks[name]
    assert "schema revision" in checks["database"]
    assert result.stderr == ""
    # The token is never printed, even when it is accepted.
    assert ACCESS_TOKEN not in result.stdout


def test_an_unmigrated_database_and_missing_secret_fail_with_their_fixes(
    database_url: str, tmp_path: Path
) -> None:
    """A fresh database says to migrate; `migrate` fixes it; a missing secret is named."""
    env = cli_env(
        database_url,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_GRAPH_URL="http://127.0.0.1:9",
        RELAY_DATA_DIR=str(tmp_path),
    )
    result = run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    checks = lines_of(result.stdout)
    assert checks["secrets"].startswith("FAIL")
    assert "WHATSAPP_ACCESS_TOKEN" in checks["secrets"]
    assert "WHATSAPP_APP_SECRET" not in checks["secrets"]
    assert checks["database"].startswith("FAIL")
    assert "crm-whatsapp-relay migrate" in checks["database"]
    assert "Traceback" not in result.stdout + result.stderr

    migrated = run_cli(["migrate"], env, tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    env["WHATSAPP_ACCESS_TOKEN"] = ACCESS_TOKEN
    again = run_cli(["check"], env, tmp_path)
    checks = lines_of(again.stdout)
    assert checks["database"].startswith("ok "), again.stdout
    # Graph cannot be reached from here: reported, but not a failure.
    assert checks["graph"].startswith("skip"), again.stdout
    assert again.returncode == 0, again.stdout


def test_a_token_meta_refuses_fails_the_graph_check(
    make_relay: Callable[..., Harness], tmp_path: Path
) -> None:
    """Meta's code 190 becomes one sentence pointing at the system-user token."""
    harness = make_relay()
    env = cli_env(
        harness.db_url,
        **{**SECRETS, "WHATSAPP_ACCESS_TOKEN": "a-24-hour-token-that-expired"},
        WHATSAPP_GRAPH_URL=harness.sim_server.url,
        RELAY_DATA_DIR=str(tmp_path),
    )
    result = run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    graph = lines_of(result.stdout)["graph"]
    assert graph.startswith("FAIL")
    assert "system-user token" in graph
    assert "a-24-hour-token-that-expired" not in result.stdout


def test_an_unreachable_database_fails_without_printing_its_password(tmp_path: Path) -> None:
    env = cli_env(
        "postgresql://relay:s3cret-pw@127.0.0.1:1/relay",
        **SECRETS,
        WHATSAPP_GRAPH_URL="http://127.0.0.1:9",
    )
    result = run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    database = lines_of(result.stdout)["database"]
    assert database.startswith("FAIL")
    assert "RELAY_DATABASE_URL" in database
    assert "s3cret-pw" not in result.stdout + result.stderr
    # One line per check, one sentence each: no wrapped or extra lines.
    assert all(line.endswith(".") for line in result.stdout.splitlines()), result.stdout


def test_a_missing_data_folder_is_named_with_its_fix(tmp_path: Path) -> None:
    missing = tmp_path / "not-created"
    env = cli_env(
        "", **SECRETS, RELAY_DATA_DIR=str(missing), WHATSAPP_GRAPH_URL="http://127.0.0.1:9"
    )
    del env["RELAY_DATABASE_URL"]
    result = run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    folder = lines_of(result.stdout)["data folder"]
    assert folder.startswith("FAIL") and str(missing) in folder and "create it" in folder
    assert not missing.exists(), "check must not create anything"


def test_a_file_that_is_not_a_database_says_to_restore(tmp_path: Path) -> None:
    broken = tmp_path / "relay.db"
    broken.write_bytes(b"not a database, but a half-copied file\n" * 200)
    env = cli_env(f"sqlite:///{broken}", **SECRETS, WHATSAPP_GRAPH_URL="http://127.0.0.1:9")
    result = run_cli(["check"], env, tmp_path)
    assert result.returncode == 1
    database = lines_of(result.stdout)["database"]
    assert database.startswith("FAIL") and "crm-whatsapp-relay restore" in database
    assert broken.read_bytes().startswith(b"not a database"), "check must not touch the file"
