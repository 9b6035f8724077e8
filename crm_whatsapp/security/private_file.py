"""Files that leave the encrypted profile in clear, readable by their owner only.

A plain LGPD export or the audit trail's CSV names customers; on a shared
PC another account must not read them. The file is written beside its
final name with mode 600 from the start (never world-readable for a
moment), synced, then renamed over the target, so a crash leaves the old
file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_MODE = 0o600


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically with mode 600; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".private-", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp creates it 0600 on POSIX
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    if os.name == "posix":
        os.chmod(path, PRIVATE_MODE)
    return path
