"""Where the desktop's log lines go: a small rotating file in the profile's ``logs`` folder.

Without this, Python's last-resort handler printed warnings on stderr: lost
for the window (nobody sees a GUI app's stderr on an office PC) and mixed
into the commands' own one-sentence errors. Log lines never hold tokens,
keys or message text (each logging call is written that way); the file is
what support asks an office for.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_FILE = "crm-whatsapp.log"
MAX_BYTES = 1_000_000
BACKUPS = 3


def log_to_folder(folder: Path, level: int = logging.INFO) -> Path | None:
    """Send the root logger to ``folder/crm-whatsapp.log`` (rotated); None if it cannot be written.

    Called once per process, before any command runs. When the folder
    cannot be created (a read-only profile), log lines are dropped rather
    than printed over the command's output.
    """
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "crm_whatsapp", False)]:
        root.removeHandler(old)  # a second call in one process (tests) replaces the first
        old.close()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
        handler.crm_whatsapp = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        return None
    handler.crm_whatsapp = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return folder / LOG_FILE
