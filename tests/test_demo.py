"""``crm-whatsapp demo`` is what a newcomer runs first: it must show the whole loop."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from waiting import wait_until

# A customer wrote in; the terminal device answered through the relay; Meta's statuses came
# back as ticks.
LOOP_MARKS = ("←", "→", "✓")

# Runs argv[1:] with Ctrl+C (SIGINT) working as in a terminal: a suite started in the
# background of a non-interactive shell inherits SIGINT ignored, and Python then never turns
# it into KeyboardInterrupt. exec keeps the restored default (preexec_fn is unsafe in a
# process with threads, and the suite has some).
WITH_CTRL_C = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def test_demo_shows_customers_writing_in_and_replies_with_ticks(tmp_path: Path) -> None:
    cli = Path(sys.executable).with_name("crm-whatsapp")
    # --duration only bounds a demo that never shows the loop; the test stops it sooner
    demo = [str(cli), "demo", "--terminal", "--duration", "90", "--interval", "0.4"]
    errors = tmp_path / "stderr.txt"
    lines: list[str] = []
    with (
        errors.open("w") as stderr,
        subprocess.Popen(
            [sys.executable, "-c", WITH_CTRL_C, *demo],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        ) as running,
    ):
        output = running.stdout
        assert output is not None

        def read() -> None:
            for line in output:
                lines.append(line)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            wait_until(lambda: all(mark in "".join(lines) for mark in LOOP_MARKS), timeout=60)
            running.send_signal(signal.SIGINT)  # what a newcomer does: Ctrl+C
            assert running.wait(timeout=30) == 0, errors.read_text()
        finally:
            if running.poll() is None:
                running.kill()
                running.wait(timeout=10)
            reader.join(timeout=10)
    out = "".join(lines)
    assert "eventos em" in out, out  # it stopped cleanly and said how much it showed
    assert "Traceback" not in errors.read_text()
