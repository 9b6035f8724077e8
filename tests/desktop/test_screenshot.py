"""The README's picture of the window is taken under a real X server (Xvfb)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    shutil.which("xvfb-run") is None and os.environ.get("CI") != "true",
    reason="needs xvfb-run (tools/system-deps.sh installs it)",
)
def test_the_main_window_is_drawn_under_xvfb_and_saved(tmp_path: Path) -> None:
    out = tmp_path / "inbox.png"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["QT_QPA_PLATFORM"] = "xcb"
    done = subprocess.run(
        [
            "xvfb-run",
            "-a",
            "-s",
            "-screen 0 1400x900x24",
            sys.executable,
            "tools/screenshot.py",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    # Not a blank frame: the list's green badges and the bubbles are there.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)
    }
    assert len(colours) > 20
