"""The admin's command line: clear one-line errors, never a traceback."""

from __future__ import annotations

from pathlib import Path

from relay_support import ACCESS_TOKEN, APP_SECRET, VERIFY_TOKEN, cli_env, run_cli


def test_serve_without_app_secret_explains_in_one_line(tmp_path: Path) -> None:
    """A forgotten secret must stop the relay with a sentence, not a stack trace."""
    env = cli_env(
        f"sqlite:///{tmp_path / 'relay.db'}",
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_ACCESS_TOKEN=ACCESS_TOKEN,
        RELAY_PORT="1",  # never bound: it must refuse before serving
    )
    result = run_cli(["serve"], env, tmp_path, timeout=30)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "WHATSAPP_APP_SECRET" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_dotenv_file_supplies_missing_secret(tmp_path: Path) -> None:
    """Secrets in ``.env`` count; the environment still has to name the rest."""
    (tmp_path / ".env").write_text(
        f'WHATSAPP_APP_SECRET="{APP_SECRET}"\n# comment\nexport WHATSAPP_VERIFY_TOKEN=v\n',
        encoding="utf-8",
    )
    env = cli_env(f"sqlite:///{tmp_path / 'relay.db'}", RELAY_PORT="1")
    result = run_cli(["serve"], env, tmp_path, timeout=30)
    assert result.returncode != 0
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert "WHATSAPP_ACCESS_TOKEN" in line
    assert "WHATSAPP_APP_SECRET" not in line
    assert "WHATSAPP_VERIFY_TOKEN" not in line


def test_unreachable_database_is_one_clear_sentence(tmp_path: Path) -> None:
    """A wrong RELAY_DATABASE_URL is reported plainly by the device commands."""
    env = cli_env("postgresql://nobody@127.0.0.1:1/none")
    result = run_cli(["device", "list"], env, tmp_path, timeout=30)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "RELAY_DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr
