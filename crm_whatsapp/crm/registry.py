"""Which plugins are installed: the entry points of the group ``crm_whatsapp.plugins``.

Built-in and third-party plugins are found the same way. A plugin that
fails to import, or whose entry point is not a :class:`Plugin` subclass
named as its entry point, is listed with the reason instead of breaking the
inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from crm_whatsapp.plugin_api import API_VERSION, Plugin

ENTRY_POINT_GROUP = "crm_whatsapp.plugins"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Available:
    """One installed plugin: its class, or the sentence saying why it cannot load."""

    name: str
    plugin: type[Plugin] | None
    distribution: str = ""
    version: str = ""
    error: str = ""

    @property
    def title(self) -> str:
        """The name people read ("RD Station CRM"), the entry point's name failing that."""
        return (self.plugin.title if self.plugin else "") or self.name


def _load(entry: EntryPoint) -> Available:
    dist = entry.dist
    distribution, version = (dist.name, dist.version) if dist is not None else ("", "")
    try:
        loaded = entry.load()
    except Exception as exc:
        log.warning("plugin %s did not import: %s", entry.name, type(exc).__name__)
        return Available(
            entry.name, None, distribution, version, f"não carregou ({type(exc).__name__})"
        )
    if not (isinstance(loaded, type) and issubclass(loaded, Plugin)):
        return Available(entry.name, None, distribution, version, "não é um plugin do CRM WhatsApp")
    if loaded.name != entry.name:
        return Available(
            entry.name,
            None,
            distribution,
            version,
            f"o plugin se chama {loaded.name!r}, não {entry.name!r}",
        )
    required = getattr(loaded, "api_version", API_VERSION)
    if required > API_VERSION:
        return Available(
            entry.name, None, distribution, version, "pede uma versão mais nova do CRM WhatsApp"
        )
    return Available(entry.name, loaded, distribution, version)


def discover(only: Collection[str] | None = None) -> list[Available]:
    """Every installed plugin (or those named in ``only``), by name; the first of two wins.

    ``only`` spares the window importing plugins nobody turned on.
    """
    found: dict[str, Available] = {}
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if only is not None and entry.name not in only:
            continue
        if entry.name in found:
            log.warning("two plugins are named %s; the second is ignored", entry.name)
            continue
        found[entry.name] = _load(entry)
    return [found[name] for name in sorted(found)]
