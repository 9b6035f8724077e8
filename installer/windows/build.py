"""Build the Windows installers (NSIS ``setup.exe`` and MSI) from a one-folder bundle.

The same commands run on the Windows release job and in the Linux tests
(``makensis`` from Debian's nsis, ``wixl``/``wixl-heat`` from msitools), so
what CI proves here is what ships::

    python installer/windows/build.py --bundle dist/crm-whatsapp --out dist

writes ``dist/crm-whatsapp-VERSION-setup.exe`` and ``dist/crm-whatsapp-VERSION.msi``.
Signing is a separate step (``installer/windows/sign.sh``), so a release signs
with its hardware-held key what CI built and tested.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NSIS_SCRIPT = HERE / "crm-whatsapp.nsi"
WIX_SOURCE = HERE / "crm-whatsapp.wxs"
ICON = ROOT / "resources" / "icons" / "app.ico"
APP_EXE = "crm-whatsapp.exe"


class BuildError(Exception):
    """One sentence saying what is missing or what failed; the CLI prints it."""


@dataclass(frozen=True)
class Installers:
    setup_exe: Path
    msi: Path


def project_version() -> str:
    """The version in ``crm_whatsapp/__init__.py``, read as text (no import of the app)."""
    text = (ROOT / "crm_whatsapp" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise BuildError("crm_whatsapp/__init__.py has no __version__.")
    return found.group(1)


def msi_version(version: str) -> str:
    """MSI and NSIS want up to three numeric fields: ``1.2.3rc1`` becomes ``1.2.3``."""
    numbers = re.findall(r"\d+", version.split("+")[0])[:3]
    if not numbers:
        raise BuildError(f"The version {version!r} has no number in it.")
    return ".".join(numbers + ["0"] * (3 - len(numbers)))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BuildError(
            f"{name} is not installed: on Debian/Ubuntu run 'bash tools/system-deps.sh' as root "
            "(packages nsis, wixl, msitools)."
        )
    return path


def _run(command: list[str], cwd: Path | None = None) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise BuildError(f"{Path(command[0]).name} failed: " + " | ".join(tail))
    return result.stdout


def _check_bundle(bundle: Path) -> None:
    if not (bundle / APP_EXE).is_file():
        raise BuildError(
            f"{bundle / APP_EXE} is missing: build the Windows bundle first (make package "
            "on Windows)."
        )


def build_nsis(bundle: Path, out: Path, version: str) -> Path:
    """Compile ``crm-whatsapp.nsi`` against ``bundle``; returns the setup.exe."""
    _check_bundle(bundle)
    out.mkdir(parents=True, exist_ok=True)
    target = out.resolve() / f"crm-whatsapp-{version}-setup.exe"
    _run(
        [
            _tool("makensis"),
            "-V2",
            "-WX",  # a warning (a missing file, a bad option) fails the build
            f"-DVERSION={msi_version(version)}",
            f"-DBUNDLE_DIR={bundle.resolve()}",
            f"-DICON={ICON}",
            f"-DOUT_FILE={target}",
            str(NSIS_SCRIPT),
        ]
    )
    return target


def build_msi(bundle: Path, out: Path, version: str) -> Path:
    """Harvest ``bundle`` with wixl-heat and link it with ``crm-whatsapp.wxs``; returns the MSI.

    wixl resolves sources relative to the working folder and refuses absolute
    ones, so the build happens in a staging folder with the bundle linked in.
    """
    _check_bundle(bundle)
    out.mkdir(parents=True, exist_ok=True)
    target = out.resolve() / f"crm-whatsapp-{version}.msi"
    wixl, heat = _tool("wixl"), _tool("wixl-heat")
    with tempfile.TemporaryDirectory(prefix="crm-whatsapp-msi-") as tmp:
        stage = Path(tmp)
        shutil.copy(WIX_SOURCE, stage / WIX_SOURCE.name)
        shutil.copy(ICON, stage / "app.ico")
        (stage / "bundle").symlink_to(bundle.resolve(), target_is_directory=True)
        files = sorted(
            path.relative_to(bundle).as_posix() for path in bundle.rglob("*") if path.is_file()
        )
        harvested = subprocess.run(
            [
                heat,
                "--var",
                "var.SourceDir",
                "--directory-ref",
                "INSTALLDIR",
                "--component-group",
                "BundleFiles",
                "-p",
                "",
                "-x",
                APP_EXE,  # declared in the .wxs, where the enroll action names it
            ],
            input="\n".join(files) + "\n",
            capture_output=True,
            text=True,
            check=False,
        )
        if harvested.returncode != 0:
            raise BuildError("wixl-heat failed: " + harvested.stderr.strip()[-300:])
        (stage / "files.wxs").write_text(harvested.stdout, encoding="utf-8")
        _run(
            [
                wixl,
                "-D",
                f"Version={msi_version(version)}",
                "-D",
                "SourceDir=bundle",
                "-D",
                "IconFile=app.ico",
                "-o",
                str(target),
                WIX_SOURCE.name,
                "files.wxs",
            ],
            cwd=stage,
        )
    return target


def build_all(bundle: Path, out: Path, version: str | None = None) -> Installers:
    version = version or project_version()
    return Installers(build_nsis(bundle, out, version), build_msi(bundle, out, version))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "crm-whatsapp")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--version", help="defaults to crm_whatsapp.__version__")
    parser.add_argument("--only", choices=("nsis", "msi"), help="build one of the two")
    args = parser.parse_args(argv)
    version = args.version or project_version()
    try:
        built: list[Path] = []
        if args.only in (None, "nsis"):
            built.append(build_nsis(args.bundle, args.out, version))
        if args.only in (None, "msi"):
            built.append(build_msi(args.bundle, args.out, version))
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in built:
        print(f"{path} ({path.stat().st_size / 1_000_000:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
