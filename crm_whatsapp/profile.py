"""Where the desktop keeps its profile: database, media cache, logs and wrapped keys.

``CRM_WHATSAPP_HOME`` overrides the folder (tests, portable installs, a second
profile on one PC); otherwise it is the platform's per-user app-data folder.
Nothing in the profile is readable without the key kept in the OS keyring
(DESIGN guarantee 3), but the folder is still made private to the user
(0700 on POSIX) so file names, sizes and timestamps stay out of other
accounts' sight.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "crm-whatsapp"
HOME_ENV = "CRM_WHATSAPP_HOME"


def profile_dir() -> Path:
    """The profile folder: ``$CRM_WHATSAPP_HOME`` if set, else the platform's app-data folder.

    Windows ``%APPDATA%\\crm-whatsapp``, macOS
    ``~/Library/Application Support/crm-whatsapp``, elsewhere
    ``$XDG_DATA_HOME/crm-whatsapp`` or ``~/.local/share/crm-whatsapp`` (the XDG
    spec says a relative ``XDG_DATA_HOME`` is invalid and must be ignored).
    """
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute()
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA", "").strip()
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "").strip()
        base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".local" / "share"
    return base / APP_NAME


@dataclass(frozen=True)
class Profile:
    """The paths of one desktop profile; creating nothing until :meth:`ensure`."""

    root: Path

    @classmethod
    def default(cls) -> Profile:
        """The profile at :func:`profile_dir` (honours ``CRM_WHATSAPP_HOME``)."""
        return cls(profile_dir())

    @property
    def database(self) -> Path:
        """The encrypted history (SQLCipher)."""
        return self.root / "history.db"

    @property
    def media(self) -> Path:
        """Cached media and exports, each an AES-256-GCM sealed file."""
        return self.root / "media"

    @property
    def logs(self) -> Path:
        """Logs (never tokens, keys or message text)."""
        return self.root / "logs"

    @property
    def keys_file(self) -> Path:
        """The wrapped data key slots (``keys.json``); useless without keyring or recovery key."""
        return self.root / "keys.json"

    def ensure(self) -> Profile:
        """Create the folders, private to the user on POSIX; returns ``self`` for chaining."""
        for folder in (self.root, self.media, self.logs):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.name == "posix":
                # mkdir's mode is filtered by the umask and ignored for existing folders.
                os.chmod(folder, 0o700)
        return self
