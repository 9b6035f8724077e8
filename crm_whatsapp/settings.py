"""Desktop preferences: language, theme, notifications, the Copilot's model, retention.

They live in ``<profile root>/settings.json`` as plain JSON: nothing here is a
secret (tokens and keys stay in the OS keyring), so the file can be read,
copied or deleted by a person without harm. Reading never fails: a missing,
unreadable or hand-damaged file, or a value of the wrong type, falls back to
the default for that field, so a bad edit can never keep the inbox from
starting. Writing is atomic (``security.private_file``: temporary file, then
``os.replace``), so a crash mid-write leaves the previous preferences in place.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

from crm_whatsapp.security.private_file import write_private

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.json"

Language = Literal["system", "pt_BR", "en"]
ThemeChoice = Literal["system", "light", "dark"]

LANGUAGES: tuple[Language, ...] = ("system", "pt_BR", "en")
THEME_CHOICES: tuple[ThemeChoice, ...] = ("system", "light", "dark")

_CHOICES: dict[str, tuple[str, ...]] = {"language": LANGUAGES, "theme": THEME_CHOICES}


@dataclass(frozen=True)
class Preferences:
    """What the attendant chose in the settings dialog; change with ``dataclasses.replace``."""

    language: Language = "system"
    theme: ThemeChoice = "system"
    notifications: bool = True
    sound: bool = True
    copilot_enabled: bool = True
    # The model engine (the local one needs no switch: it never leaves the PC).
    copilot_model_enabled: bool = True
    copilot_base_url: str = ""
    copilot_model: str = ""
    redact_personal_data: bool = True
    # Delete history older than this many months (0 keeps it forever); see
    # store.retention. An office's LGPD policy, applied by Workspace.prune.
    retention_months: int = 0
    # The signed update manifest's address (crm_whatsapp.updates); empty uses the release
    # build's default, and with none (a build from source) the app checks nothing.
    update_url: str = ""

    def to_json(self) -> dict[str, Any]:
        """The preferences as the JSON object ``settings.json`` holds."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Preferences:
        """Preferences from parsed JSON; unknown keys are ignored, bad values use defaults."""
        if not isinstance(data, dict):
            return cls()
        defaults = cls()
        chosen: dict[str, Any] = {}
        for field in fields(cls):
            if field.name not in data:
                continue
            value = data[field.name]
            default = getattr(defaults, field.name)
            if field.name in _CHOICES:
                if value in _CHOICES[field.name]:
                    chosen[field.name] = value
            elif isinstance(default, bool):
                if isinstance(value, bool):
                    chosen[field.name] = value
            elif isinstance(default, str) and isinstance(value, str):
                chosen[field.name] = value.strip()
            elif isinstance(default, int) and _valid_int(field.name, value):
                chosen[field.name] = value
        return cls(**chosen)


_INT_RANGES: dict[str, tuple[int, int]] = {"retention_months": (0, 1200)}


def _valid_int(name: str, value: Any) -> bool:
    """An int in the field's range (``True`` is an int to Python, not a month count)."""
    low, high = _INT_RANGES.get(name, (0, 2**31))
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def settings_path(root: Path) -> Path:
    """Where a profile's preferences live (beside its history, never inside the install)."""
    return Path(root) / SETTINGS_FILE


def load_preferences(root: Path) -> Preferences:
    """The preferences saved in ``root``; defaults when missing or damaged (never raises)."""
    path = settings_path(root)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Preferences()
    except (OSError, UnicodeDecodeError):
        log.warning("could not read %s; using default preferences", path)
        return Preferences()
    try:
        data = json.loads(raw)
    except ValueError:
        log.warning("%s is not valid JSON; using default preferences", path)
        return Preferences()
    return Preferences.from_json(data)


def save_preferences(root: Path, prefs: Preferences) -> None:
    """Write ``prefs`` to profile ``root`` atomically; ``OSError`` if the disk refuses."""
    payload = json.dumps(prefs.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_private(settings_path(root), payload.encode("utf-8"))
