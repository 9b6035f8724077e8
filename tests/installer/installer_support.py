"""Helpers of the installer tests (a module of its own: ``conftest`` is a name every test
folder has, so importing from it picks whichever was loaded last)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
SPEC = CHECKOUT / "installer" / "bundle" / "crm-whatsapp.spec"
PACKAGE_VENV = CHECKOUT / "build" / "venv-package"  # Makefile's PACKAGE_VENV
BUILD_TIMEOUT = 900


def require_tool(name: str) -> str:
    """The tool's path; skips without it, fails under CI=true (tools/system-deps.sh installs it)."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed: run tools/system-deps.sh (as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def bundle_env(home: Path) -> dict[str, str]:
    """The environment the bundled binary runs in: offscreen, a throw-away profile and HOME."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        CRM_WHATSAPP_HOME=str(home / "profile"),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "share"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return env
