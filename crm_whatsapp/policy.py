"""Settings an office's IT pushes by Group Policy (or Intune) through the Windows registry.

Windows keeps administrator-set policies under ``Software\\Policies``, which a
standard user cannot write: a value there is IT's, not the attendant's. The
desktop reads one today:

=============================================  ==========  ===========================
Key (HKLM and HKCU)                            Value       Meaning
=============================================  ==========  ===========================
``Software\\Policies\\CRM WhatsApp``           ``RelayUrl``  REG_SZ, the relay's address
=============================================  ==========  ===========================

The set-up wizard starts with it in the relay field, so an attendant types only
the enrollment code. The machine's value wins over the user's, as Windows does
for policies set in both places. A value that is not an ``https://`` (or
``http://``) address is ignored and logged (never its text: it is IT's input,
not ours to echo into the profile's logs).

``winreg`` exists only on Windows and is imported only there; elsewhere there is
no policy. Tests pass their own ``read`` function.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

log = logging.getLogger(__name__)

POLICY_KEY = r"Software\Policies\CRM WhatsApp"
RELAY_URL_VALUE = "RelayUrl"
# Searched in this order: a machine policy overrides a user policy.
HIVES = ("HKLM", "HKCU")

# (hive, value name) -> the value as stored, or None when the key or value is absent.
Reader = Callable[[str, str], object]


def relay_url(read: Reader | None = None) -> str:
    """The relay address IT set by policy, normalised, or ``""`` when none (or not Windows)."""
    if read is None:
        if sys.platform != "win32":
            return ""
        read = _read_windows_registry
    for hive in HIVES:
        try:
            value = read(hive, RELAY_URL_VALUE)
        except OSError:
            log.warning("could not read the %s policy key", hive)
            continue
        if value is None:
            continue
        url = parse_relay_url(value)
        if url:
            return url
        log.warning("ignored the %s policy %s: not an http(s) address", hive, RELAY_URL_VALUE)
    return ""


def parse_relay_url(value: object) -> str:
    """An ``http(s)://host…`` address without its trailing slash, or ``""`` if it is not one.

    A policy value may be a number or a list (REG_DWORD, REG_MULTI_SZ) when an
    administrator picked the wrong type: only text counts.
    """
    if not isinstance(value, str):
        return ""
    url = value.strip().rstrip("/")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        return ""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("https", "http") or not rest or rest.startswith("/"):
        return ""
    return f"{scheme.lower()}://{rest}"


def _read_windows_registry(hive: str, name: str) -> object:  # pragma: no cover - Windows only
    import winreg

    root = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}[hive]
    try:
        with winreg.OpenKey(root, POLICY_KEY, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
            value, _kind = winreg.QueryValueEx(key, name)
    except FileNotFoundError:
        return None
    return value
