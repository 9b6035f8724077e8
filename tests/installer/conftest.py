"""The desktop bundle, built once per test session and shared by the installer tests.

Building takes a couple of minutes on two cores, so every test that needs the bundle (or
the .deb made from it) uses these session fixtures; the build runs PyInstaller with the
same spec and options as ``make package``, from the same environment
(``build/venv-package``: NumPy without BLAS, installer/bundle/build_env.py), which
``make test`` prepares and this fixture prepares too when it is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from installer_support import BUILD_TIMEOUT, CHECKOUT, PACKAGE_VENV, SPEC


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``dist/crm-whatsapp/`` built from the checkout (its build time is printed)."""
    out = tmp_path_factory.mktemp("bundle")
    pyinstaller = PACKAGE_VENV / "bin" / "pyinstaller"
    if not pyinstaller.exists():
        prepared = subprocess.run(
            [
                sys.executable,
                str(CHECKOUT / "installer" / "bundle" / "build_env.py"),
                str(PACKAGE_VENV),
            ],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
        )
        assert prepared.returncode == 0, prepared.stderr[-4000:]
    started = time.perf_counter()
    built = subprocess.run(
        [
            # The script, as `make package` runs it (`-m` would put the checkout first on
            # sys.path, and PyInstaller would copy its crm_whatsapp.egg-info instead).
            str(pyinstaller),
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "build"),
            str(SPEC),
        ],
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert built.returncode == 0, built.stderr[-4000:]
    print(f"\nbundle built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    folder = out / "dist" / "crm-whatsapp"
    yield folder
    shutil.rmtree(out, ignore_errors=True)
