"""Shared test set-up: the suite tests the checkout's code; Qt draws offscreen.

The helper modules in this folder (``waiting``, ``desktop/qtsupport``,
``relay/relay_support``) are importable through ``pythonpath`` in
pyproject.toml, so plain ``pytest`` and ``python -m pytest`` collect the same
suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import crm_whatsapp
import relay

CHECKOUT = Path(__file__).resolve().parent.parent

# A test folder named like a package (tests/relay/) once shadowed the real one under plain
# `pytest`, and every relay and desktop test failed to import: say so at once instead.
for _package in (relay, crm_whatsapp):
    _found = Path(_package.__file__ or "").resolve().parent
    if _found != CHECKOUT / _package.__name__:
        raise RuntimeError(
            f"the tests import {_package.__name__} from {_found}, not from the checkout "
            f"{CHECKOUT}: check [tool.pytest.ini_options] pythonpath in pyproject.toml"
        )

# Window tests run headless (the Xvfb screenshot test sets its own platform).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
