"""``crm-whatsapp self-check`` and ``--version`` from the checkout (the bundle's are in
test_installer_bundle.py): what IT reads after installing, one line per check."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from crm_whatsapp import __version__
from crm_whatsapp.selfcheck import check_sqlcipher, check_store, run

CLI = str(Path(sys.executable).with_name("crm-whatsapp"))


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CRM_WHATSAPP_HOME=str(home / "profile"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=60)


def test_version_prints_the_projects_version(tmp_path: Path) -> None:
    shown = cli(tmp_path, "--version")
    assert shown.returncode == 0
    assert shown.stdout.strip() == f"crm-whatsapp {__version__}"


def test_self_check_passes_one_line_per_check_and_leaves_the_profile_alone(
    tmp_path: Path,
) -> None:
    started = time.perf_counter()
    shown = cli(tmp_path, "self-check")
    took = time.perf_counter() - started
    assert shown.returncode == 0, shown.stdout + shown.stderr
    lines = shown.stdout.splitlines()
    names = [line.split(":")[0].split()[-1] for line in lines[:-1]]
    assert {"sqlcipher", "store", "copilot", "translations", "icons", "window"} <= set(names)
    assert all(line.startswith("ok ") for line in lines[:-1]), lines
    assert lines[-1].startswith("self-check passed")
    # Qt's offscreen and no-sound-server notes are not faults: IT sees a clean stderr.
    assert "propagateSizeHints" not in shown.stderr and "pa_context" not in shown.stderr
    assert not (tmp_path / "profile").exists(), "self-check touched the user's profile"
    window = next(line for line in lines if line.startswith("ok   window:"))
    print(f"\nself-check from source: {took:.2f} s; {window}")
    assert took < 15


def test_the_sqlcipher_check_names_version_fts5_and_page_mac() -> None:
    detail = check_sqlcipher()
    assert detail.startswith("SQLCipher 4.")
    assert "FTS5" in detail and "HMAC_SHA" in detail


def test_the_store_check_writes_an_encrypted_file_in_the_folder_it_is_given(
    tmp_path: Path,
) -> None:
    assert "reopened encrypted" in check_store(tmp_path)
    database = tmp_path / "profile" / "history.db"
    assert database.stat().st_size > 0
    assert database.read_bytes()[:16] != b"SQLite format 3\x00"


def test_a_failing_check_prints_fail_and_the_others_still_run(tmp_path: Path) -> None:
    """A profile folder that cannot be made (a file is in the way) fails only the store."""
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    printed = io.StringIO()
    results = run(only={"sqlcipher", "store"}, out=printed, folder=blocked)
    assert [(r.name, r.ok) for r in results] == [("sqlcipher", True), ("store", False)]
    lines = printed.getvalue().splitlines()
    assert lines[0].startswith("ok   sqlcipher: ")
    assert lines[1].startswith("FAIL store: ")
