"""The demo's throw-away folder: made at start, removed at exit, swept after a crash.

The folder holds the relay's log (``relay.db``, unencrypted: it is the relay's) and the
desktop's profile, so leaving it in the temp folder would leave customers' messages on
disk. The demo removes it when it ends; a demo killed by the system (or a power cut)
cannot, so each start also removes the folders whose demo is gone.

"Gone" is decided by a lock, not by a process id: the running demo holds an exclusive
lock on a file inside its folder for its whole life, and the operating system drops
that lock when the process dies however it dies. A process id could be reused by
another program; a lock cannot outlive its holder.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO

log = logging.getLogger("crm_whatsapp.demo")

PREFIX = "crm-whatsapp-demo-"
LOCK_NAME = "in-use.lock"


def _try_lock(handle: IO[bytes]) -> bool:
    """Take the exclusive lock on ``handle`` without waiting; False when someone holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class ThrowawayHome:
    """A fresh folder under the temp folder, locked while this process uses it."""

    def __init__(self, parent: Path | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        # Kept open (and locked) until remove(): the lock is the proof of life.
        self._lock = (self.path / LOCK_NAME).open("wb")
        if not _try_lock(self._lock):  # a brand-new file: nobody else can hold it
            raise OSError(f"could not lock {self.path / LOCK_NAME}")

    def remove(self) -> None:
        """Delete the folder and everything in it; logs (never raises) if it cannot."""
        with contextlib.suppress(OSError):
            self._lock.close()
        shutil.rmtree(self.path, onerror=_log_failure)


def _log_failure(_function: object, path: str, _info: object) -> None:
    log.warning("could not remove a file of the demo's throw-away folder: %s", path)


def sweep_stale(parent: Path | None = None) -> list[Path]:
    """Remove the throw-away folders of demos that are no longer running; returns them.

    A folder whose lock file is missing is skipped, not removed: it is either being
    created this instant by another demo or not one of ours.
    """
    removed: list[Path] = []
    root = Path(parent or tempfile.gettempdir())
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(PREFIX) and p.is_dir()]
    except OSError:
        return removed
    for folder in candidates:
        lock_file = folder / LOCK_NAME
        try:
            handle = lock_file.open("rb+")
        except OSError:
            continue
        with handle:
            if not _try_lock(handle):
                continue  # another demo is running in it
        shutil.rmtree(folder, onerror=_log_failure)
        if not folder.exists():
            removed.append(folder)
    if removed:
        log.info("removed %d throw-away folder(s) left by a demo that did not end", len(removed))
    return removed
