"""Contatos (CSV/vCard): the contact card from a spreadsheet or a phone's contacts export.

Many small offices have no CRM with an API, only a list: a spreadsheet saved
as CSV (Excel in Brazil writes ``;`` between columns and, depending on the
version, cp1252 or UTF-8 with a BOM), Google Contacts' or Outlook's CSV
export, or the ``.vcf`` a phone exports (vCard 2.1 with QUOTED-PRINTABLE
values in the file's or the property's CHARSET, or vCard 3.0/4.0 with folded
lines). This plugin reads that file and shows what it holds for the
customer's number; a file is not a CRM, so it only looks up.

The file is read on the plugin's own thread (the host gives each plugin one,
so blocking I/O here never stalls the inbox) and the parsed index is kept in
memory; each lookup only ``stat``s the file and parses it again when its
modification time or size changed, so an office that edits the spreadsheet
sees the change on the next conversation. Rows are indexed by the last eight
digits of each number (the same with and without the ninth digit) and every
candidate is confirmed with :func:`same_phone`, so a number stored in any
format matches, and the same eight digits in another area code never do.

Column names are recognised loosely (accents, case and punctuation aside):
Google Contacts' ("Name", "Given Name", "Phone 1 - Value" with ``:::``
between several numbers, "E-mail 1 - Value", "Organization 1 - Name"),
Outlook's ("First Name", "Mobile Phone", "Business Phone", "E-mail Address",
"Company") and Portuguese ones ("Nome", "Sobrenome", "Telefone", "Celular",
"WhatsApp", "E-mail", "Empresa", "DDD"). A sheet without headers works too:
cells that look like numbers or e-mails are taken as such. Every other
column becomes a field of the card. A row that cannot be read is skipped;
everything from the file is plain text, trimmed and without control
characters.

Formats: RFC 4180 (CSV), the vCard 2.1 specification (versit, 1996),
RFC 2426 (vCard 3.0) and RFC 6350 (vCard 4.0).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import csv
import itertools
import ntpath
import os
import quopri
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from crm_whatsapp.plugin_api import (
    Card,
    Context,
    Customer,
    Plugin,
    PluginError,
    Setting,
    same_phone,
)

MAX_BYTES: Final = 64 * 1024 * 1024  # a contacts list past this is not a contacts list
MAX_BAD_ROWS: Final = 1_000  # stop reading a file that is only garbage
MAX_RECORD_LINES: Final = 50  # a quoted cell longer than this is a quote left open
MAX_VALUE: Final = 300  # characters of a one-line value on the card
MAX_NOTE: Final = 2_000  # characters of a note or a long cell
MAX_FIELDS: Final = 40
MIN_DIGITS: Final = 8  # fewer digits than a local number is not a phone
MAX_DIGITS: Final = 20
# Control characters (C0, DEL, C1; not the line break) and the bidi marks, embeddings,
# overrides and isolates that can make a value read backwards.
HIDDEN: Final = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PHONE_SPLIT: Final = re.compile(r":::|[;,/|\n]| e | ou ", re.IGNORECASE)
EMAIL_SPLIT: Final = re.compile(r":::|[;,\s]+")
PHONE_LIKE: Final = re.compile(r"\+?[\d\s().\-]+")
LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
PHYSICAL_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


# -- plain text ----------------------------------------------------------------------------


def _clean(text: str, limit: int = MAX_VALUE, *, multiline: bool = False) -> str:
    """A value as the card may show it: no control or direction-override characters, trimmed.

    The file may come from anywhere; a value that hides text with bidi
    overrides or floods the card with a megabyte of cell is cut down to
    plain, bounded text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if not multiline:
        text = text.replace("\n", " ")
    out = HIDDEN.sub("", text).strip()
    if not multiline:
        out = " ".join(out.split())
    if len(out) > limit:
        out = out[: limit - 1].rstrip() + "…"
    return out


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _header_key(header: str) -> str:
    """A column name compared loosely: no accents, lower case, words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", header)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _file_name(path: str) -> str:
    """The file's name for a sentence (never the folders: they may name people)."""
    return ntpath.basename(path.rstrip("/\\")) or path


# -- what the index holds ------------------------------------------------------------------


@dataclass
class _Entry:
    """One person of the file, as the card will show them."""

    record_id: str
    name: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    company: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    def add_phone(self, raw: str) -> None:
        for part in PHONE_SPLIT.split(raw):
            number = _clean(part)
            if MIN_DIGITS <= len(_digits(number)) <= MAX_DIGITS and number not in self.phones:
                self.phones.append(number)

    def add_email(self, raw: str) -> None:
        for part in EMAIL_SPLIT.split(raw):
            address = _clean(part.removeprefix("mailto:"))
            if "@" in address and address.lower() not in (e.lower() for e in self.emails):
                self.emails.append(address)

    def add_field(self, label: str, value: str) -> None:
        label, value = _clean(label, 80), _clean(value, MAX_NOTE, multiline=True)
        if not label or not value or len(self.fields) >= MAX_FIELDS:
            return
        base, n = label, 2
        while label in self.fields:
            label, n = f"{base} ({n})", n + 1
        self.fields[label] = value

    def card(self) -> Card:
        fields = dict(self.fields)
        for n, extra in enumerate(self.emails[1:], start=2):
            fields.setdefault(f"E-mail {n}", extra)
        name = self.name or self.company or (self.emails[0] if self.emails else "")
        return Card(
            record_id=self.record_id,
            name=name,
            phones=tuple(self.phones),
            email=self.emails[0] if self.emails else "",
            company=self.company,
            fields=fields,
        )


# -- bytes to text -------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 (old Excel)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


# -- CSV -----------------------------------------------------------------------------------

PHONE_WORDS: Final = frozenset(
    [
        "phone",
        "phones",
        "telephone",
        "tel",
        "telefone",
        "telefones",
        "fone",
        "fones",
        "celular",
        "celulares",
        "cel",
        "mobile",
        "cell",
        "cellphone",
        "whatsapp",
        "whats",
        "zap",
        "wpp",
    ]
)
EMAIL_WORDS: Final = frozenset(["email", "emails", "mail", "correio"])
COMPANY_WORDS: Final = frozenset(
    ["company", "empresa", "organization", "organizacao", "organisation"]
)
NOT_VALUE_WORDS: Final = frozenset(["type", "label", "tipo", "rotulo", "display", "exibicao"])
FULL_NAMES: Final = frozenset(
    {
        "name",
        "nome",
        "full name",
        "nome completo",
        "display name",
        "contact",
        "contato",
        "contact name",
        "nome do contato",
        "cliente",
        "nome do cliente",
    }
)
GIVEN_NAMES: Final = frozenset({"first name", "given name", "primeiro nome", "nome proprio"})
MIDDLE_NAMES: Final = frozenset({"middle name", "additional name", "segundo nome", "nome do meio"})
FAMILY_NAMES: Final = frozenset({"last name", "family name", "surname", "sobrenome", "ultimo nome"})
COMPANY_NAMES: Final = frozenset({"razao social", "nome fantasia", "organization 1 name"})
COMPANY_NOT: Final = frozenset({"title", "department", "cargo", "departamento"})


def _role(header: str) -> str:
    """What a column holds, from its name: phone, email, ddd, company, name parts or field."""
    key = _header_key(header)
    words = {w.rstrip("0123456789") or w for w in key.split()}
    if "e mail" in key:
        words.add("email")
    if "fax" in words:
        return "field"
    if words & NOT_VALUE_WORDS and words & (PHONE_WORDS | EMAIL_WORDS | COMPANY_WORDS):
        return "skip"  # "Phone 1 - Type", "E-mail Display Name": about a value, not one
    if key == "ddd" or words >= {"codigo", "area"} or key == "area code":
        return "ddd"
    if words & PHONE_WORDS and key not in FULL_NAMES:
        return "phone"
    if words & EMAIL_WORDS:
        return "email"
    if key in COMPANY_NAMES or (words & COMPANY_WORDS and not words & COMPANY_NOT):
        return "company"  # "Organization 1 - Title", "Departamento" stay fields
    if key in FULL_NAMES:
        return "full"
    if key in GIVEN_NAMES:
        return "given"
    if key in MIDDLE_NAMES:
        return "middle"
    if key in FAMILY_NAMES:
        return "family"
    return "field"


def _looks_like_phone(cell: str) -> bool:
    cell = cell.strip()
    return bool(PHONE_LIKE.fullmatch(cell)) and 10 <= len(_digits(cell)) <= 15


def _delimiter(line: str) -> str:
    """The column separator of a header line: the most frequent of ``;``, ``,`` and tab."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ","


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """The CSV's rows with their first line's number; a row the csv module refuses is skipped.

    A stray ``"`` opening a cell would make the rest of the file one cell, so
    a record that does not parse (or runs past ``MAX_RECORD_LINES`` lines)
    is dropped and reading starts again on the line after its first one.
    """
    lines = PHYSICAL_LINE.findall(text.lstrip("\ufeff"))
    first_at = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
    first = lines[first_at] if first_at < len(lines) else ""
    sep = re.fullmatch(r'\s*"?sep=(.)"?[;,\t]*\s*', first, re.IGNORECASE)
    if sep:  # Excel's hint line: "sep=;"
        delimiter, lines = sep.group(1), lines[first_at + 1 :]
    else:
        delimiter = _delimiter(first)
    consumed = 0

    def feed(start: int) -> Iterator[str]:
        nonlocal consumed
        for i in range(start, len(lines)):
            consumed = i + 1
            yield lines[i]

    start, restarts = 0, 0
    while start < len(lines) and restarts < MAX_BAD_ROWS:
        consumed = start
        reader = csv.reader(feed(start), delimiter=delimiter, strict=True)
        while True:
            before = consumed
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:  # an unclosed quote, a cell past the size limit…
                break
            if consumed - before > MAX_RECORD_LINES:
                break
            if any(cell.strip() for cell in row):
                yield before + 1, row
        start, restarts = before + 1, restarts + 1


def _csv_entries(text: str, file_name: str) -> Iterator[_Entry]:
    """The people of a CSV export, one per row that has at least one number."""
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        return
    header = first[1]
    roles = [_role(h) for h in header]
    headerless = "phone" not in roles and any(_looks_like_phone(c) for c in header)
    by_content = "phone" not in roles
    if headerless:
        roles, header = [], []
        rows = itertools.chain([first], rows)
    for line_num, row in rows:
        try:
            entry = _csv_entry(row, header, roles, by_content, f"{file_name}:{line_num}")
        except Exception:  # a row that breaks the parser is skipped, never a crash
            continue
        if entry.phones:
            yield entry


def _csv_entry(
    row: Sequence[str], header: Sequence[str], roles: Sequence[str], by_content: bool, rid: str
) -> _Entry:
    """One row as a person: named columns by their role, unknown ones by what they hold."""
    entry = _Entry(rid)
    parts: dict[str, list[str]] = {"full": [], "given": [], "middle": [], "family": []}
    ddd = ""
    phones: list[str] = []
    for i, raw in enumerate(row):
        cell = raw.strip()
        if not cell:
            continue
        role = roles[i] if i < len(roles) else "field"
        label = header[i].strip() if i < len(header) and header[i].strip() else f"Coluna {i + 1}"
        if role == "field" and by_content and _looks_like_phone(cell):
            role = "phone"
        elif role == "field" and by_content and "@" in cell and " " not in cell:
            role = "email"
        elif role == "field" and not header and not parts["full"]:
            role = "full"  # a sheet without headers: its first text cell is the name
        if role == "phone":
            phones.append(cell)
        elif role == "email":
            entry.add_email(cell)
        elif role == "ddd":
            ddd = _digits(cell)[-2:]
        elif role == "company":
            entry.company = entry.company or _clean(cell)
        elif role in parts:
            parts[role].append(_clean(cell))
        elif role == "field":
            entry.add_field(label, cell)
    for cell in phones:
        if ddd and len(_digits(cell)) in (8, 9) and not cell.lstrip().startswith("+"):
            cell = f"({ddd}) {cell}"
        entry.add_phone(cell)
    full = " ".join(parts["full"])
    family = " ".join(parts["family"])
    if full and (not family or family.lower() in full.lower()):
        entry.name = full
    else:  # Outlook in Portuguese: "Nome" is the given name beside "Sobrenome"
        pieces = [full or " ".join(parts["given"]), " ".join(parts["middle"]), family]
        entry.name = _clean(" ".join(p for p in pieces if p))
    return entry


# -- vCard ---------------------------------------------------------------------------------


@dataclass
class _Property:
    name: str
    params: dict[str, str]
    types: set[str]
    value: bytes  # raw, still in the card's or the property's charset


def _logical_lines(text: str) -> Iterator[str]:
    """Unfolded content lines: folding (CRLF + space) and QUOTED-PRINTABLE soft breaks joined."""
    pending: str | None = None
    for line in LINE_BREAK.split(text):
        if pending is not None:
            head = pending.split(":", 1)[0].upper()
            if pending.endswith("=") and "QUOTED-PRINTABLE" in head:
                pending = pending[:-1] + line.lstrip(" \t")
                continue
            if line[:1] in (" ", "\t"):
                pending += line[1:]
                continue
            yield pending
        pending = line
    if pending is not None:
        yield pending


def _property(line: str) -> _Property | None:
    """``group.NAME;PARAM=x;BARE:value`` split up; None for a line that is no property."""
    quoted, colon = False, -1
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            colon = i
            break
    if colon <= 0:
        return None
    head, value = line[:colon], line[colon + 1 :]
    pieces = head.split(";")
    name = pieces[0].strip().upper().rsplit(".", 1)[-1]
    params: dict[str, str] = {}
    types: set[str] = set()
    for piece in pieces[1:]:
        key, eq, val = piece.partition("=")
        key, val = key.strip().upper(), val.strip().strip('"')
        if not eq:  # vCard 2.1's bare parameters: TEL;CELL;PREF, QUOTED-PRINTABLE
            if key in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"):
                params["ENCODING"] = key
            else:
                types.add(key)
        elif key == "TYPE":
            types |= {t.strip().upper() for t in val.split(",")}
        else:
            params[key] = val
    return _Property(name, params, types, value.encode("latin-1", "replace"))


def _text(prop: _Property, charset: str) -> str:
    """A property's value as text: transfer encoding undone, then its CHARSET (or the file's)."""
    data = prop.value
    encoding = prop.params.get("ENCODING", "").upper()
    if encoding == "QUOTED-PRINTABLE":
        data = quopri.decodestring(data)
    elif encoding in ("BASE64", "B"):
        try:
            data = base64.b64decode(data)
        except (binascii.Error, ValueError):
            return ""
    wanted = prop.params.get("CHARSET", "") or charset
    try:
        return data.decode(wanted, "replace")
    except LookupError:
        return data.decode(charset, "replace")


def _components(value: str, sep: str = ";") -> list[str]:
    """A structured value's parts (N, ORG), with backslash escapes undone."""
    parts, current, i = [], [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            current.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        if ch == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(value: str) -> str:
    return _components(value, "\0")[0]


def _vcard_entries(data: bytes, file_name: str) -> Iterator[_Entry]:
    """The people of a .vcf file, one per card that has at least one TEL."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16", "replace").encode("utf-8")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        data.decode("utf-8")
        charset = "utf-8"
    except UnicodeDecodeError:
        charset = "cp1252"
    # latin-1 maps each byte to one character and back, so each property is decoded
    # later in its own CHARSET (vCard 2.1 lets every property name one).
    text = data.decode("latin-1")
    card: list[_Property] | None = None
    count = 0
    for line in _logical_lines(text):
        prop = _property(line)
        if prop is None:
            continue
        tag = prop.value.strip().upper()
        if prop.name == "BEGIN" and tag == b"VCARD":
            if card is not None:  # a card without END: keep what it had
                entry = _vcard_entry(card, charset, f"{file_name}#{count}")
                if entry is not None:
                    yield entry
            card, count = [], count + 1
        elif prop.name == "END" and tag == b"VCARD":
            if card is not None:
                entry = _vcard_entry(card, charset, f"{file_name}#{count}")
                if entry is not None:
                    yield entry
            card = None
        elif card is not None and len(card) < 1_000:
            card.append(prop)
    if card is not None:
        entry = _vcard_entry(card, charset, f"{file_name}#{count}")
        if entry is not None:
            yield entry


def _vcard_entry(props: list[_Property], charset: str, rid: str) -> _Entry | None:
    """One card as a person (None when it has no number or cannot be read)."""
    try:
        entry = _Entry(rid)
        structured = ""
        notes: list[str] = []
        for prop in props:
            if prop.name == "TEL":
                value = _unescape(_text(prop, charset)).strip()
                if value.lower().startswith("tel:"):
                    value = value[4:].split(";", 1)[0]
                entry.add_phone(value)
            elif prop.name == "EMAIL":
                entry.add_email(_unescape(_text(prop, charset)))
            elif prop.name == "FN" and not entry.name:
                entry.name = _clean(_unescape(_text(prop, charset)))
            elif prop.name == "N" and not structured:
                parts = [p.strip() for p in _components(_text(prop, charset))] + [""] * 5
                family, given, middle, prefix, suffix = parts[:5]
                pieces = (prefix, given, middle, family, suffix)
                structured = _clean(" ".join(p for p in pieces if p))
            elif prop.name == "ORG" and not entry.company:
                parts = [p.strip() for p in _components(_text(prop, charset))]
                entry.company = _clean(", ".join(p for p in parts if p))
            elif prop.name == "NOTE":
                notes.append(_unescape(_text(prop, charset)))
            elif prop.name == "TITLE":
                entry.add_field("Cargo", _unescape(_text(prop, charset)))
        entry.name = entry.name or structured
        if notes:
            entry.add_field("Observações", "\n".join(n for n in notes if n.strip()))
    except Exception:  # a card that breaks the parser is skipped, never a crash
        return None
    return entry if entry.phones else None


# -- the file and its index ----------------------------------------------------------------


@dataclass
class _Parsed:
    """One file's index as of the modification time and size it was read at."""

    stamp: tuple[int, int]
    by_tail: dict[str, list[_Entry]]


def _is_vcard(path: str, data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").replace(b"\x00", b"").upper()
    return head.startswith(b"BEGIN:VCARD") or path.lower().endswith((".vcf", ".vcard"))


def _parse(path: str, data: bytes) -> dict[str, list[_Entry]]:
    """The file's people indexed by the last eight digits of each of their numbers."""
    name = _file_name(path)
    if data.startswith(b"PK\x03\x04"):
        raise PluginError(
            "broken",
            f"O arquivo {name} é uma planilha do Excel (.xlsx); salve-o como CSV e "
            "escolha o arquivo .csv nas configurações.",
        )
    entries = (
        _vcard_entries(data, name) if _is_vcard(path, data) else _csv_entries(_decode(data), name)
    )
    index: dict[str, list[_Entry]] = {}
    for entry in entries:
        for tail in dict.fromkeys(_digits(p)[-MIN_DIGITS:] for p in entry.phones):
            index.setdefault(tail, []).append(entry)
    return index


def _paths(setting: str) -> list[str]:
    """The configured files: one path, or several separated by ``;`` (quotes around each go)."""
    whole = setting.strip().strip("\"'")
    if os.path.isfile(os.path.expanduser(whole)):  # a path that itself contains ";"
        return [os.path.expanduser(whole)]
    paths = (p.strip().strip("\"'") for p in setting.split(";"))
    return [os.path.expanduser(p) for p in paths if p]


class Contacts(Plugin):
    """The contact card from a CSV or vCard file the office keeps (looks up only)."""

    name = "contacts"
    title = "Contatos (CSV/vCard)"
    settings = (
        Setting(
            "file",
            "Arquivo de contatos",
            help=(
                "Caminho de um arquivo .csv (planilha salva como CSV, exportação do Google "
                "Contatos ou do Outlook) ou .vcf (contatos exportados do celular); vários "
                "arquivos separados por ponto e vírgula."
            ),
            required=True,
        ),
    )

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._parsed: dict[str, _Parsed] = {}

    def _index(self, path: str) -> dict[str, list[_Entry]]:
        """A file's index, read again only when its modification time or size changed."""
        name = _file_name(path)
        try:
            with open(path, "rb") as handle:
                info = os.fstat(handle.fileno())
                stamp = (info.st_mtime_ns, info.st_size)
                cached = self._parsed.get(path)
                if cached is not None and cached.stamp == stamp:
                    return cached.by_tail
                if info.st_size > MAX_BYTES:
                    raise PluginError(
                        "broken",
                        f"O arquivo de contatos {name} é grande demais (mais de "
                        f"{MAX_BYTES // (1024 * 1024)} MB) para ser lido.",
                    )
                data = handle.read(MAX_BYTES + 1)
        except FileNotFoundError as exc:
            raise PluginError(
                "unreachable",
                f"O arquivo de contatos {name} não foi encontrado; confira o caminho "
                "nas configurações do plugin.",
            ) from exc
        except OSError as exc:
            raise PluginError(
                "unreachable",
                f"Não foi possível ler o arquivo de contatos {name}; confira se ele existe, "
                "se é um arquivo e se este usuário pode abri-lo.",
            ) from exc
        by_tail = _parse(path, data)
        self._parsed[path] = _Parsed(stamp, by_tail)
        return by_tail

    async def lookup(self, customer: Customer) -> Card | None:
        """The first person in the files with this number (files in order, then rows)."""
        setting = self.context.get("file")
        paths = _paths(setting)
        if not paths:
            raise PluginError(
                "broken",
                "Escolha o arquivo de contatos (.csv ou .vcf) nas configurações do plugin.",
            )
        tail = _digits(customer.phone)[-MIN_DIGITS:]
        if len(tail) < MIN_DIGITS:
            return None
        for path in paths:
            for entry in self._index(path).get(tail, ()):
                if any(same_phone(stored, customer.phone) for stored in entry.phones):
                    return entry.card()
        return None
