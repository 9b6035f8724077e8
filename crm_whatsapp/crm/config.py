"""Which plugins are on and their settings, per profile: ``plugins.json``, secrets in the keyring.

The file holds names and non-secret values only (a copied profile carries
no token); a secret setting (``Setting.secret``) lives in the OS keyring
under ``plugin:NAME:KEY`` for the profile. A plugin is off until someone
turns it on.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from keyring.backend import KeyringBackend

from crm_whatsapp.plugin_api import Plugin, Setting
from crm_whatsapp.security.secrets import read_secret, write_secret

CONFIG_FILE = "plugins.json"

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """A setting that cannot be set; ``str()`` is one Portuguese sentence."""


def secret_name(plugin: str, key: str) -> str:
    """The keyring name of one secret setting of a plugin."""
    return f"plugin:{plugin}:{key}"


@dataclass
class PluginConfig:
    """The profile's plugin choices: on or off, values, logging on resolve."""

    path: Path
    enabled: set[str] = field(default_factory=set)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    log_on_resolve: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, root: Path) -> PluginConfig:
        """Read ``plugins.json`` from a profile folder (none, or unreadable: all off)."""
        path = root / CONFIG_FILE
        config = cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return config
        except (OSError, ValueError, RecursionError) as exc:  # RecursionError: "[[[[…"
            log.warning("plugins.json unreadable (%s): every plugin off", type(exc).__name__)
            return config
        if not isinstance(raw, dict):
            return config
        config.enabled = _names(raw.get("enabled"))
        config.log_on_resolve = _names(raw.get("log_on_resolve"))
        values = raw.get("values") or {}
        if isinstance(values, dict):
            config.values = {
                str(name): {str(k): str(v) for k, v in items.items() if isinstance(v, str)}
                for name, items in values.items()
                if isinstance(items, dict)
            }
        return config

    def save(self) -> None:
        """Write the file atomically (a crash leaves the old one or the new one)."""
        body = {
            "enabled": sorted(self.enabled),
            "log_on_resolve": sorted(self.log_on_resolve),
            "values": {n: dict(sorted(v.items())) for n, v in sorted(self.values.items()) if v},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".plugins-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(body, out, ensure_ascii=False, indent=2)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def set_enabled(self, name: str, on: bool) -> None:
        """Turn a plugin on or off (saved at :meth:`save`)."""
        (self.enabled.add if on else self.enabled.discard)(name)


def _names(value: object) -> set[str]:
    """Plugin names from the file: a list of strings, anything else (hand-edited) is none."""
    if not isinstance(value, list):
        return set()
    return {n for n in value if isinstance(n, str)}


def _field(plugin: type[Plugin], key: str) -> Setting:
    for setting in plugin.settings:
        if setting.key == key:
            return setting
    known = ", ".join(s.key for s in plugin.settings) or "nenhuma"
    raise ConfigError(
        f"O plugin {plugin.name} não tem a configuração {key!r} (as que tem: {known})."
    )


def set_value(
    config: PluginConfig,
    plugin: type[Plugin],
    key: str,
    value: str,
    profile_id: str,
    backend: KeyringBackend | None = None,
) -> None:
    """Set one key of a plugin's settings schema: a secret to the keyring, the rest to the file."""
    setting = _field(plugin, key)
    if setting.secret:
        write_secret(secret_name(plugin.name, key), profile_id, value, backend)
        config.values.get(plugin.name, {}).pop(key, None)
        return
    values = config.values.setdefault(plugin.name, {})
    if value.strip():
        values[key] = value.strip()
    else:
        values.pop(key, None)


def settings_of(
    config: PluginConfig,
    plugin: type[Plugin],
    profile_id: str,
    backend: KeyringBackend | None = None,
) -> Mapping[str, str]:
    """A plugin's settings with defaults and its secrets filled in (only what its schema names)."""
    stored = config.values.get(plugin.name, {})
    out: dict[str, str] = {}
    for setting in plugin.settings:
        if setting.secret:
            out[setting.key] = read_secret(
                secret_name(plugin.name, setting.key), profile_id, backend
            )
        else:
            out[setting.key] = stored.get(setting.key, "") or setting.default
    return out


def missing(plugin: type[Plugin], settings: Mapping[str, str]) -> list[str]:
    """The labels of required settings left blank."""
    return [s.label for s in plugin.settings if s.required and not settings.get(s.key)]
