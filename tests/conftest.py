"""Shared test set-up: make the helpers in this folder importable; Qt draws offscreen."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# Window tests run headless (the Xvfb screenshot test sets its own platform).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
