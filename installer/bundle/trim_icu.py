"""Trim the bundle's ICU data library to what a Portuguese and English desktop uses.

Why: PySide6's Linux wheel brings ICU 73, and its ``libicudata.so.73`` is 31 MB of ICU's
common data: every locale's names, collations and number spellings, 190 charset converters,
transliterators, and the CJK, Thai, Lao, Khmer and Burmese word dictionaries. Qt calls ICU
for four things only (the ICU symbols ``libQt6Core`` imports): collation (``QCollator``,
QFileDialog's sorting), case mapping (``QLocale::toUpper``), time-zone names and IDs
(``QTimeZone``), and charset converters beyond UTF-8/16/32 and Latin-1 (``QStringDecoder``).
The inbox is used in Portuguese and English, so the data of other languages, and of ICU
services Qt never calls, is dead weight that every download and install carries.

How: the data is one ICU package (``.dat``, a table of contents and the items) exported by
the library as one symbol, ``icudt73_dat``. This reads the package out of the ELF file,
removes items with ICU's own ``icupkg`` (it refuses to write a package whose remaining
bundles refer to a removed one: a parent locale, an alias, a string pool; the word
dictionaries brkitr/root.res names are the one reference let go), and links the
smaller package into a library with the same SONAME and the same exported symbol, which
``libicuuc`` looks up at load time (the original symbol has no version to keep).

What stays, and why (everything else goes):

- root, ``en*`` and ``pt*`` in every locale tree (main, ``coll/``, ``zone/``, ``region/``,
  ``lang/``, ``curr/``, ``unit/``, ``rbnf/``, ``brkitr/``), with each tree's ``pool.res``
  (the shared strings of its bundles) and ``res_index.res``. Any other locale falls back
  to ICU's root data, as it does for a language ICU has no data for: collation by the
  Unicode default order (already right for Portuguese: ``coll/pt`` is an empty tailoring).
- Everything locale-independent the core loads: ``coll/ucadata.icu`` (the root collation),
  the normalization data (``nfkc*.nrm``, ``uts46.nrm``), ``ulayout``/``uemoji``, converter
  aliases (``cnvalias.icu``), time zones (``zoneinfo64``, ``metaZones``, ``timezoneTypes``,
  ``windowsZones``, ``zone/tzdbNames``), and the supplemental tables (``supplementalData``,
  ``likelySubtags``, ``metadata``, ``plurals``, ``dayPeriods``, ``numberingSystems``...).
- Break-iterator rules (``brkitr/*.brk``, small), but not the dictionaries (``*.dict``,
  3 MB) that segment Chinese, Japanese, Thai, Lao, Khmer and Burmese text.
- The table converters of the charsets a Brazilian office meets (Windows-1252,
  ISO-8859-15, the DOS code pages 437/850/858/860, Mac Roman); UTF-*, ISO-8859-1 and
  US-ASCII are built into ICU's code and need no data.

What goes besides other languages: transliterators (``translit/``), character names
(``unames.icu``), the spoof checker's ``confusables.cfu``, StringPrep profiles (``*.spp``),
the locale matcher's ``langInfo.res``, and the multi-byte (CJK) and EBCDIC converters:
none is reachable from the ICU functions Qt calls.

Linux only: the Linux PySide6 wheel is the one that ships its own ICU data library.

Run ``python installer/bundle/trim_icu.py LIBRARY [--out FILE]``; the spec runs it on the
bundle after PyInstaller has collected it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The languages whose ICU data is kept (with all their regional variants).
LANGUAGES = ("en", "pt")
#: Trees of ICU data whose bundles are named after a locale ("" is the main tree).
LOCALE_TREES = frozenset({"", "brkitr", "coll", "curr", "lang", "rbnf", "region", "unit", "zone"})
#: Bundles of a locale tree that belong to no locale.
TREE_BUNDLES = frozenset({"root", "pool", "res_index"})
#: Trees removed whole: Qt never opens a transliterator.
DROPPED_TREES = frozenset({"translit"})
#: Locale-independent items no ICU function Qt calls reads (see the module's docstring).
DROPPED_ITEMS = frozenset({"unames.icu", "confusables.cfu", "langInfo.res"})
DROPPED_SUFFIXES = (".dict", ".spp")
#: The references that may point at a removed item: brkitr/root.res names the dictionaries,
#: and ICU breaks such text without one (it skips a dictionary it cannot load).
_MISSING_DEPENDENCY = re.compile(r"Item (\S+) depends on missing item (\S+)")
ALLOWED_MISSING = re.compile(r"brkitr/\w+\.dict")
#: Table converters kept: windows-1252, ISO-8859-15, DOS 437/850/858/860, macintosh.
KEPT_CONVERTERS = frozenset(
    {
        "ibm-5348_P100-1997.cnv",
        "ibm-923_P100-1998.cnv",
        "ibm-437_P100-1995.cnv",
        "ibm-850_P100-1995.cnv",
        "ibm-858_P100-1997.cnv",
        "ibm-860_P100-1995.cnv",
        "macos-0_2-10.2.cnv",
    }
)
# A locale ID (pt, pt_BR, en_US_POSIX) or a keyword variant's bundle (de_ for de@collation=...).
_LOCALE_ID = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")
_DATA_SYMBOL = re.compile(rb"icudt\d+_dat")
#: A ``.dat`` package starts with ICU's data header: its size, then the magic 0xda 0x27.
_MAGIC = b"\xda\x27"


class TrimError(Exception):
    """The trim cannot be done; ``str()`` is one English sentence with what to do."""


@dataclass(frozen=True)
class Package:
    """The ICU data package a library exports."""

    symbol: str  # e.g. icudt73_dat
    soname: str  # e.g. libicudata.so.73
    data: bytes

    @property
    def prefix(self) -> str:
        """The items' prefix, e.g. ``icudt73l`` (the package name ICU gives it)."""
        return read_toc(self.data)[0].split("/", 1)[0]


@dataclass(frozen=True)
class Trimmed:
    """What a trim did, for the build log."""

    before: int
    after: int
    kept: int
    removed: int

    def line(self) -> str:
        return (
            f"trim_icu: libicudata {self.before / 2**20:.1f} MB -> {self.after / 2**20:.1f} MB "
            f"({self.kept} ICU data items kept, {self.removed} removed)"
        )


def keep(item: str, languages: tuple[str, ...] = LANGUAGES) -> bool:
    """Whether ``item`` (a ToC name without its prefix, e.g. ``coll/pt.res``) stays."""
    tree, _, name = item.rpartition("/")
    stem, _, suffix = name.partition(".")
    if tree in DROPPED_TREES or name in DROPPED_ITEMS or name.endswith(DROPPED_SUFFIXES):
        return False
    if suffix == "cnv":
        return name in KEPT_CONVERTERS
    locale_bundle = tree in LOCALE_TREES and suffix == "res" and stem not in TREE_BUNDLES
    if locale_bundle and _LOCALE_ID.fullmatch(stem):
        return stem.split("_", 1)[0] in languages
    return True


def read_toc(data: bytes) -> list[str]:
    """The item names of an ICU ``.dat`` package (``CmnD`` format), in ToC order."""
    if len(data) < 32 or data[2:4] != _MAGIC or data[12:16] != b"CmnD":
        raise TrimError("the data is not an ICU common data package (CmnD)")
    if data[8] != 0:
        raise TrimError("only little-endian ICU data packages are supported")
    toc = memoryview(data)[struct.unpack_from("<H", data, 0)[0] :]
    (count,) = struct.unpack_from("<I", toc, 0)
    names = []
    for index in range(count):
        name_offset, _data_offset = struct.unpack_from("<II", toc, 4 + 8 * index)
        end = bytes(toc[name_offset : name_offset + 256]).index(b"\0")
        names.append(bytes(toc[name_offset : name_offset + end]).decode("ascii"))
    return names


def read_package(library: Path) -> Package:
    """The ICU data package a 64-bit little-endian ELF ``libicudata`` exports."""
    elf = library.read_bytes()
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise TrimError(f"{library} is not a 64-bit little-endian ELF library")
    (shoff,) = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, _shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)]
    dynsym = next((s for s in sections if s[1] == 11), None)  # SHT_DYNSYM
    dynamic = next((s for s in sections if s[1] == 6), None)  # SHT_DYNAMIC
    if dynsym is None or dynamic is None:
        raise TrimError(f"{library} has no dynamic symbol table")

    def string(table: tuple[int, ...], offset: int) -> bytes:
        """A name from the string table a section links to (its sh_link)."""
        start = sections[table[6]][4] + offset
        return elf[start : elf.index(b"\0", start)]

    symbol = None
    for offset in range(dynsym[4], dynsym[4] + dynsym[5], 24):
        st_name, _info, _other, shndx, value, size = struct.unpack_from("<IBBHQQ", elf, offset)
        if _DATA_SYMBOL.fullmatch(string(dynsym, st_name)) and shndx != 0:
            section = sections[shndx]  # file offset = section offset + (address - section address)
            start = section[4] + value - section[3]
            symbol = (string(dynsym, st_name).decode(), elf[start : start + size])
    if symbol is None:
        raise TrimError(f"{library} exports no icudtNN_dat symbol: it is not ICU's data")
    soname = None
    for offset in range(dynamic[4], dynamic[4] + dynamic[5], 16):
        tag, value = struct.unpack_from("<qQ", elf, offset)
        if tag == 14:  # DT_SONAME
            soname = string(dynamic, value).decode()
    if soname is None:
        raise TrimError(f"{library} has no SONAME")
    package = Package(symbol[0], soname, symbol[1])
    read_toc(package.data)  # a package, or a clear error
    return package


def _tool(name: str, package: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        raise TrimError(
            f"{name} is missing, which the ICU data trim needs: apt-get install {package} "
            "(or run tools/system-deps.sh as root)"
        )
    return found


def link_library(package: Package, blob: Path, out: Path, work: Path) -> None:
    """A shared library exporting ``blob``'s bytes as ``package.symbol`` (16-byte aligned)."""
    source = work / "icudata.s"
    source.write_text(
        "\t.section .rodata\n"
        f"\t.globl {package.symbol}\n"
        f'\t.type {package.symbol}, "object"\n'
        "\t.balign 16\n"
        f"{package.symbol}:\n"
        f'\t.incbin "{blob}"\n'
        f"\t.size {package.symbol}, . - {package.symbol}\n"
        '\t.section .note.GNU-stack, "", @progbits\n'
    )
    assembler, linker = _tool("as", "binutils"), _tool("ld", "binutils")
    subprocess.run([assembler, "-o", str(work / "icudata.o"), str(source)], check=True)
    subprocess.run(
        [
            linker, "-shared", "-soname", package.soname, "--build-id", "-z", "noexecstack",
            "--hash-style=gnu", "-o", str(out), str(work / "icudata.o"),
        ],
        check=True,
    )  # fmt: skip


def _remove(icupkg: str, listed: Path, full: Path, trimmed: Path) -> None:
    """icupkg removes the listed items, refusing when a kept item needs a removed one.

    Its check is kept: only the references ``ALLOWED_MISSING`` matches are let through,
    by a second run with ``--ignore-deps`` once the first one has named no other.
    """
    command = [icupkg, "--remove", str(listed), str(full), str(trimmed)]
    shown = subprocess.run(command, capture_output=True, text=True)
    if shown.returncode == 0:
        return
    missing = _MISSING_DEPENDENCY.findall(shown.stdout + shown.stderr)
    wrong = sorted({f"{item} needs {needed}" for item, needed in missing
                    if not ALLOWED_MISSING.fullmatch(needed)})  # fmt: skip
    if not missing or wrong:
        why = "; ".join(wrong[:5]) or (shown.stdout + shown.stderr).strip()[-400:]
        raise TrimError(f"icupkg refused the trimmed ICU data ({why}): keep what it names")
    subprocess.run([icupkg, "--ignore-deps", *command[1:]], check=True, capture_output=True)


def trim_icu_data(
    library: Path, out: Path | None = None, languages: tuple[str, ...] = LANGUAGES
) -> Trimmed:
    """Write ``library`` trimmed to ``languages`` to ``out`` (default: ``library``, replaced).

    The new file replaces the old one by rename, never by writing through it: PyInstaller
    may have hard-linked the bundle's copy to the virtual environment's.
    """
    out = out or library
    icupkg = _tool("icupkg", "icu-devtools")
    package = read_package(library)
    before = library.stat().st_size
    items = read_toc(package.data)
    # ToC names are prefix/tree/item (icudt73l/coll/pt.res); icupkg lists without the prefix.
    names = [item.split("/", 1)[1] for item in items]
    removed = [name for name in names if not keep(name, languages)]
    if not removed:  # already trimmed
        if out != library:
            shutil.copy2(library, out)
        return Trimmed(before, before, len(items), 0)
    with tempfile.TemporaryDirectory(prefix="trim-icu-") as tmp:
        work = Path(tmp)
        # icupkg prefixes the items with the output file's name: it must be ICU's own.
        (work / "trimmed").mkdir()
        full, trimmed = work / f"{package.prefix}.dat", work / "trimmed" / f"{package.prefix}.dat"
        full.write_bytes(package.data)
        (work / "remove.txt").write_text("".join(f"{name}\n" for name in removed))
        _remove(icupkg, work / "remove.txt", full, trimmed)
        gone = set(removed)
        wanted = [item for item, name in zip(items, names, strict=True) if name not in gone]
        if read_toc(trimmed.read_bytes()) != wanted:
            raise TrimError("icupkg did not keep exactly the ICU data items asked for")
        built = work / package.soname
        link_library(package, trimmed, built, work)
        if read_package(built).data != trimmed.read_bytes():
            raise TrimError("the linked ICU data library does not export the trimmed package")
        staged = out.with_name(f".{out.name}.trimmed")
        shutil.copyfile(built, staged)
        staged.chmod(library.stat().st_mode & 0o777)
        os.replace(staged, out)
    return Trimmed(before, out.stat().st_size, len(items) - len(removed), len(removed))


def main(argv: list[str] | None = None) -> int:
    """The command: trim one ``libicudata.so.NN`` in place or into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path, help="libicudata.so.NN to trim")
    parser.add_argument("--out", type=Path, help="where to write it (default: in place)")
    parser.add_argument(
        "--languages", default=",".join(LANGUAGES), help="comma-separated (default: en,pt)"
    )
    args = parser.parse_args(argv)
    try:
        result = trim_icu_data(args.library, args.out, tuple(args.languages.split(",")))
    except TrimError as exc:
        print(f"trim_icu: {exc}", file=sys.stderr)
        return 1
    print(result.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
