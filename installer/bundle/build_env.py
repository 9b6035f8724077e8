"""The Python environment the bundle is built from: the app, PyInstaller, and NumPy without BLAS.

PyInstaller copies what the interpreter it runs under has installed, so the bundle can
only be as lean as that environment. NumPy's wheels from PyPI carry OpenBLAS (25 MB,
with libgfortran 3 MB more), a linear-algebra library the app never calls: the Copilot's
local engine and the voice codecs use arrays, ufuncs, argpartition and ``np.correlate``,
which run NumPy's own loops without it (a minute of voice note re-timed for 1.5x takes
0.13 s instead of 0.08 s, on a worker thread). NumPy built from source with
``-Dblas=none -Dlapack=none`` has none of it, and pip keeps the built wheel in its cache,
so only the first build on a machine compiles (about 3.5 minutes on two cores).

This is a separate environment (``build/venv-package`` from ``make package``), not the
development one: ``make demo`` keeps PyPI's wheels and starts in seconds on a fresh
machine, and nothing of the test tools (pytest, hypothesis, ruff) can end up in the
bundle. The Windows workflow runs this same script, so both platforms build alike.

Usage: ``python installer/bundle/build_env.py VENV`` (idempotent; rebuilds nothing that
is already there).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: meson options of NumPy's build: no BLAS or LAPACK (NumPy's own lapack_lite serves
#: numpy.linalg, which its matrix class imports).
NUMPY_OPTIONS = ("-Dblas=none", "-Dlapack=none", "-Dallow-noblas=true")
#: Prints the BLAS NumPy was built with, as its build configuration records it.
BLAS_PROBE = (
    "import json, numpy; "
    "deps = numpy.show_config(mode='dicts')['Build Dependencies']; "
    "print(json.dumps({'blas': deps.get('blas', {}).get('found', False)}))"
)


def python_of(env: Path) -> Path:
    """The environment's interpreter (``bin/python``, or ``Scripts\\python.exe`` on Windows)."""
    if sys.platform == "win32":
        return env / "Scripts" / "python.exe"
    return env / "bin" / "python"


def run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True)


def numpy_has_blas(python: Path) -> bool | None:
    """Whether the environment's NumPy links a BLAS; None when NumPy is not installed."""
    probe = subprocess.run([str(python), "-c", BLAS_PROBE], capture_output=True, text=True)
    if probe.returncode != 0:
        return None
    return bool(json.loads(probe.stdout)["blas"])


def build(env: Path) -> None:
    python = python_of(env)
    if not python.exists():
        venv.create(env, with_pip=True)
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if numpy_has_blas(python) is not False:
        settings = [f"--config-settings=setup-args={option}" for option in NUMPY_OPTIONS]
        print("build_env: building NumPy without BLAS (minutes, once per machine)", flush=True)
        run(python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps",
            "--no-binary", "numpy", *settings, "numpy>=1.26")  # fmt: skip
    # The app as an editable install, like the development environment: its metadata
    # (the plugins' entry points) is what the spec copies; NumPy is already satisfied.
    run(python, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[package]")
    if numpy_has_blas(python) is not False:
        raise SystemExit(f"build_env: {env}'s NumPy still links a BLAS; the bundle would carry it")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("env", type=Path, help="the environment's folder, created if missing")
    build(parser.parse_args(argv).env)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
