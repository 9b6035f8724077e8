"""``crm-whatsapp demo`` is what a newcomer runs first: it must show the whole loop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_demo_shows_customers_writing_in_and_replies_with_ticks() -> None:
    cli = Path(sys.executable).with_name("crm-whatsapp")
    done = subprocess.run(
        [str(cli), "demo", "--terminal", "--duration", "8", "--interval", "0.4"],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "←" in out, out  # a customer wrote in
    assert "→" in out, out  # the terminal device answered through the relay
    assert "✓" in out, out  # and Meta's statuses came back as ticks
    assert "Traceback" not in done.stderr
