"""installer/bundle/trim_icu.py: Qt's ICU data trimmed to Portuguese and English.

Fast (no bundle build): the trim runs on the virtual environment's own ``libicudata``, and
ICU itself (the wheel's ``libicuuc``/``libicui18n``) is then run over the trimmed data and
over the full one, in child processes, to show that a Brazilian user sees the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from installer_support import CHECKOUT, require_tool

sys.path.insert(0, str(CHECKOUT / "installer" / "bundle"))
import trim_icu

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="only Linux Qt ships its own ICU data"
)

#: The trimmed library measures 3.7 MB; the full one 31 MB.
TRIMMED_CEILING_MB = 6

# ICU run through ctypes over the data library given first; prints what a user would see.
PROBE = r"""
import ctypes, functools, json, sys
data, qt_lib, version = sys.argv[1], sys.argv[2], sys.argv[3]
ctypes.CDLL(data, mode=ctypes.RTLD_GLOBAL)  # libicuuc's libicudata.so.NN is this one now
uc = ctypes.CDLL(f"{qt_lib}/libicuuc.so.{version}")
i18n = ctypes.CDLL(f"{qt_lib}/libicui18n.so.{version}")
fn = lambda lib, name: getattr(lib, f"{name}_{version}")
def utf16(text):
    raw = text.encode("utf-16-le")
    return ctypes.create_string_buffer(raw, len(raw) + 2), len(raw) // 2
status = ctypes.c_int(0)
fn(i18n, "ucol_open").restype = ctypes.c_void_p
collator = fn(i18n, "ucol_open")(b"pt_BR", ctypes.byref(status))
collator_status = status.value
strcoll = fn(i18n, "ucol_strcoll")
def compare(a, b):
    (x, nx), (y, ny) = utf16(a), utf16(b)
    return strcoll(ctypes.c_void_p(collator), x, nx, y, ny)
words = ["ábaco", "abacate", "Zebra", "árvore", "casa", "çal"]
out = ctypes.create_string_buffer(64)
source, length = utf16("ação")
status.value = 0
n = fn(uc, "u_strToUpper")(out, 32, source, length, b"pt_BR", ctypes.byref(status))
upper = out.raw[: 2 * n].decode("utf-16-le")
ucal_open = fn(i18n, "ucal_open")
ucal_open.restype = ctypes.c_void_p
zone, zone_length = utf16("America/Sao_Paulo")
names = {}
for locale in ("pt_BR", "pt_PT", "en_US"):
    status.value = 0
    calendar = ucal_open(zone, zone_length, locale.encode(), 0, ctypes.byref(status))
    n = fn(i18n, "ucal_getTimeZoneDisplayName")(
        ctypes.c_void_p(calendar), 0, locale.encode(), out, 32, ctypes.byref(status))
    names[locale] = out.raw[: 2 * n].decode("utf-16-le")
def converter(name):
    status.value = 0
    fn(uc, "ucnv_open")(name.encode(), ctypes.byref(status))
    return status.value <= 0
print(json.dumps({
    "sorted": sorted(words, key=functools.cmp_to_key(compare)),
    "collator_status": collator_status,
    "upper": upper,
    "zone": names,
    "windows-1252": converter("windows-1252"),
    "Shift_JIS": converter("Shift_JIS"),
}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def full_library() -> Path:
    """The ICU data library of the PySide6 wheel in this virtual environment."""
    spec = find_spec("PySide6")
    assert spec is not None and spec.submodule_search_locations
    found = sorted(
        (Path(spec.submodule_search_locations[0]) / "Qt" / "lib").glob("libicudata.so.*")
    )
    assert found, "this PySide6 wheel ships no ICU data"
    return found[0]


@pytest.fixture(scope="module")
def trimmed(full_library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (shutil.which("icupkg") or Path("/usr/sbin/icupkg").exists()):
        require_tool("icupkg")  # skips, or fails under CI=true
    out = tmp_path_factory.mktemp("icu") / full_library.name
    trim_icu.trim_icu_data(full_library, out)
    return out


def probe(data: Path, full_library: Path) -> dict[str, object]:
    version = full_library.name.rsplit(".", 1)[1]
    shown = subprocess.run(
        [sys.executable, "-c", PROBE, str(data), str(full_library.parent), version],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr == "", shown.stderr  # ICU or the loader said nothing
    return json.loads(shown.stdout)


def test_the_trimmed_library_exports_the_same_symbol_with_only_portuguese_and_english(
    full_library: Path, trimmed: Path
) -> None:
    full, small = trim_icu.read_package(full_library), trim_icu.read_package(trimmed)
    assert (small.symbol, small.soname, small.prefix) == (full.symbol, full.soname, full.prefix)
    size_mb = trimmed.stat().st_size / 2**20
    print(f"\nlibicudata: {full_library.stat().st_size / 2**20:.1f} MB -> {size_mb:.1f} MB")
    assert size_mb < TRIMMED_CEILING_MB
    items = {name.split("/", 1)[1] for name in trim_icu.read_toc(small.data)}
    for needed in ("coll/ucadata.icu", "coll/root.res", "coll/pt.res", "zone/pt.res",
                   "zone/pool.res", "pt_BR.res", "en.res", "zoneinfo64.res", "metaZones.res",
                   "cnvalias.icu", "supplementalData.res", "brkitr/word.brk"):  # fmt: skip
        assert needed in items, needed
    for gone in ("coll/de.res", "zone/ja.res", "fr.res", "brkitr/cjdict.dict",
                 "translit/root.res", "gb18030.cnv"):  # fmt: skip
        assert gone not in items, gone


def test_icu_over_the_trimmed_data_sorts_cases_and_names_zones_as_over_the_full_data(
    full_library: Path, trimmed: Path
) -> None:
    full, small = probe(full_library, full_library), probe(trimmed, full_library)
    assert small["sorted"] == ["abacate", "ábaco", "árvore", "çal", "casa", "Zebra"]
    assert small["upper"] == "AÇÃO"
    assert small["zone"]["pt_BR"] == "Horário Padrão de Brasília"  # type: ignore[index]
    assert small["windows-1252"] is True
    # The one difference asked for (it also shows the trimmed data was the one loaded).
    assert (full.pop("Shift_JIS"), small.pop("Shift_JIS")) == (True, False)
    assert small == full


def test_the_trim_replaces_the_file_never_writing_through_a_link_and_is_idempotent(
    full_library: Path, trimmed: Path, tmp_path: Path
) -> None:
    (tmp_path / "venv").mkdir()
    (tmp_path / "bundle").mkdir()
    venv_copy = tmp_path / "venv" / full_library.name
    shutil.copy2(full_library, venv_copy)
    bundled = tmp_path / "bundle" / full_library.name
    os.link(venv_copy, bundled)  # as if the bundle's copy were a hard link to the venv's
    trim_icu.trim_icu_data(bundled)
    assert venv_copy.read_bytes() == full_library.read_bytes()
    assert bundled.read_bytes() == trimmed.read_bytes()  # reproducible, byte for byte
    assert os.access(bundled, os.X_OK)
    assert trim_icu.trim_icu_data(bundled).removed == 0
    assert bundled.read_bytes() == trimmed.read_bytes()
