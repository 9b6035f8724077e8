"""Personal data swapped for placeholders before text leaves the PC, and put back after.

Guarantee 5: the model sees ``[CPF_1]`` where the customer wrote their CPF,
and only this PC's :class:`Vault` (memory only, one per conversation) knows
what ``[CPF_1]`` stands for. Detectors err towards redacting: a number shaped
like a CPF goes even when its check digits are wrong, because the check
digits only tell a CPF from other numbers, never make a number safe to send.

The check-digit functions are written here rather than taken from a package:
the Brazilian validator packages lack the alphanumeric CNPJ that the Receita
issues from July 2026 (Nota Técnica 49/2024), and the arithmetic is a few
lines. Phone numbers use ``phonenumbers`` (libphonenumber's metadata) for
the world and a Brazilian pattern for the forms it rejects (no area code,
an old mobile without its ninth digit).

Models change placeholders' case and spacing, and streaming splits them
across chunks; :func:`restore` and :class:`StreamRestorer` tolerate both.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final, Literal

import phonenumbers

Kind = Literal["CPF", "CNPJ", "EMAIL", "TELEFONE", "CARTAO"]
KINDS: Final[tuple[Kind, ...]] = ("CPF", "CNPJ", "EMAIL", "TELEFONE", "CARTAO")

# When detections overlap, their union becomes one placeholder of the kind ranked first here:
# an e-mail holding digits stays an e-mail, a card is not half-eaten by a phone rule.
_EMAIL, _CNPJ, _CARD, _CPF, _PHONE, _CPF_SHAPE = range(6)
_RANK_KIND: Final[dict[int, Kind]] = {
    _EMAIL: "EMAIL",
    _CNPJ: "CNPJ",
    _CARD: "CARTAO",
    _CPF: "CPF",
    _PHONE: "TELEFONE",
    _CPF_SHAPE: "CPF",
}

# Redaction results remembered per vault: a thread is redacted again at every new message.
_MEMO_SIZE: Final = 1024
# A pass can expose a number its neighbour hid (lookarounds see a placeholder, not a digit).
_MAX_PASSES: Final = 3

_EMAIL_RE: Final = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w@])")
_CPF_RE: Final = re.compile(r"(?<!\d)\d{3}[.\s]?\d{3}[.\s]?\d{3}[-.\s/]?\d{2}(?!\d)")
_CPF_FORMATTED: Final = re.compile(r"\d{3}\.\d{3}\.\d{3}-\d{2}")
_A: Final = "[0-9A-Za-z]"
_CNPJ_RE: Final = re.compile(
    rf"(?<![\w.])({_A}{{2}})\.?({_A}{{3}})\.?({_A}{{3}})/?({_A}{{4}})-?(\d{{2}})(?![\w])"
)
_CARD_RE: Final = re.compile(
    r"(?<![\d])(?="
    r"(\d{13,19}"
    r"|\d{4}([ -])\d{4}\2\d{4}\2\d{1,4}(?:\2\d{1,3})?"
    r"|\d{4}([ -])\d{6}\3\d{4,5})"
    r"(?!\d))"
)
_BR_PHONE_RE: Final = re.compile(
    r"(?<![\w+])(?:"
    # with the area code, maybe the country code or a trunk 0 before it
    r"(?P<cc>(?:\+\s?|00\s?)?55[\s.-]?)?"
    r"(?:\(\s?0?(?P<ddd1>\d{2})\s?\)|0?(?P<ddd2>\d{2}))[\s.-]?"
    r"(?P<local>(?:9[\s.]?)?\d{4}[\s.-]?\d{4})"
    # without it: a mobile's nine digits, or a landline written with its dash (not "2024-2025")
    r"|(?P<mobile>9[\s.]?\d{4}[\s.-]?\d{4})"
    r"|(?!(?:19|20)\d\d[-.](?:19|20)\d\d)(?P<landline>[2-5]\d{3}[-.]\d{4})"
    r")(?!\w)"
)
# The 67 area codes (DDD) Anatel assigns: a number behind any other pair is not a phone.
_VALID_DDD: Final = frozenset(
    str(n)
    for n in (
        *range(11, 20), 21, 22, 24, 27, 28, *range(31, 36), 37, 38, *range(41, 50),
        51, 53, 54, 55, *range(61, 70), 71, 73, 74, 75, 77, 79, *range(81, 90), *range(91, 100),
    )
)  # fmt: skip
# What a model may make of "[CPF_1]": "[cpf_1]", "[ CPF_1 ]", "[CPF 1]", "[CARTÃO_1]".
# A country code written before a number the Brazilian rule caught ("+54 11 2345-6789").
_COUNTRY_CODE_BEFORE_RE: Final = re.compile(r"(?:\+|\b00)\s?\d{1,3}[\s.-]?\Z")
_PLACEHOLDER_RE: Final = re.compile(r"\[\s*([^\W\d_]+)[\s_-]*(\d+)\s*\]")
_PARTIAL_RE: Final = re.compile(r"\[\s*[^\W\d_]*[\s_-]*\d*\s*\Z")


class RedactionError(Exception):
    """Redaction could not run: the request that needed it must not be sent."""


def _digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def cpf_check_ok(digits: str) -> bool:
    """The two mod-11 check digits of an 11-digit CPF (all-equal digits are not a CPF)."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    if digits == digits[0] * 11:
        return False
    numbers = [int(d) for d in digits]
    for length in (9, 10):
        total = sum(n * (length + 1 - i) for i, n in enumerate(numbers[:length]))
        if (total * 10) % 11 % 10 != numbers[length]:
            return False
    return True


def cnpj_check_ok(value: str) -> bool:
    """Check digits of a 14-character CNPJ, numeric or alphanumeric (``ord(c) - 48``, mod 11)."""
    value = value.upper()
    if len(value) != 14 or not value.isascii() or not value.isalnum():
        return False
    if not value[12:].isdigit() or value == value[0] * 14:
        return False
    numbers = [ord(c) - 48 for c in value]
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    for length in (12, 13):
        total = sum(n * w for n, w in zip(numbers[:length], weights, strict=True))
        remainder = total % 11
        if (0 if remainder < 2 else 11 - remainder) != numbers[length]:
            return False
        weights = [6, *weights]
    return True


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    rank: int


def _brazilian_phone(match: re.Match[str]) -> bool:
    """Whether what the pattern matched reads as a Brazilian number (a real area code…)."""
    if match["mobile"] or match["landline"]:
        return True
    ddd = match["ddd1"] or match["ddd2"]
    local = _digits(match["local"])
    if ddd not in _VALID_DDD:
        return False
    return len(local) == 8 or local[0] == "9"


def _spans(text: str) -> list[_Span]:
    found: list[_Span] = []
    for m in _EMAIL_RE.finditer(text):
        found.append(_Span(m.start(), m.end(), _EMAIL))
    for m in _CNPJ_RE.finditer(text):
        value = "".join(m.groups())
        if "/" in m[0] or cnpj_check_ok(value):
            found.append(_Span(m.start(), m.end(), _CNPJ))
    for m in _CARD_RE.finditer(text):
        digits = _digits(m[1])
        if 13 <= len(digits) <= 19 and luhn_ok(digits):
            found.append(_Span(m.start(1), m.end(1), _CARD))
    for m in _CPF_RE.finditer(text):
        formatted = _CPF_FORMATTED.fullmatch(m[0]) is not None
        rank = _CPF if formatted or cpf_check_ok(_digits(m[0])) else _CPF_SHAPE
        found.append(_Span(m.start(), m.end(), rank))
    for m in _BR_PHONE_RE.finditer(text):
        if _brazilian_phone(m):
            start = m.start()
            if not m["cc"] and (before := _COUNTRY_CODE_BEFORE_RE.search(text, 0, start)):
                start = before.start()
            found.append(_Span(start, m.end(), _PHONE))
    if any("0" <= ch <= "9" for ch in text):
        matcher = phonenumbers.PhoneNumberMatcher(text, "BR", leniency=phonenumbers.Leniency.VALID)
        for pm in matcher:
            found.append(_Span(pm.start, pm.end, _PHONE))
    return found


def _merge(spans: list[_Span]) -> list[_Span]:
    """Overlapping detections as one span: their union, of the best-ranked kind among them."""
    merged: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = _Span(last.start, max(last.end, span.end), min(last.rank, span.rank))
        else:
            merged.append(span)
    return merged


def detect(text: str) -> list[tuple[int, int, Kind]]:
    """Where personal data is in ``text``: ``(start, end, kind)``, in order, not overlapping."""
    return [(s.start, s.end, _RANK_KIND[s.rank]) for s in _merge(_spans(text))]


def _normalise(kind: Kind, value: str) -> str:
    """One key for one value however it was written: digits only, or case-folded."""
    if kind == "EMAIL":
        return value.casefold()
    if kind == "CNPJ":
        return "".join(ch for ch in value if ch.isalnum()).upper()
    digits = _digits(value)
    if kind == "TELEFONE":
        if digits.startswith("00"):
            digits = digits[2:]
        if len(digits) in (12, 13) and digits.startswith("55"):
            digits = digits[2:]
        elif len(digits) in (11, 12) and digits.startswith("0"):
            digits = digits[1:]
    return digits


def _fold_kind(word: str) -> str:
    """``"Cartão"`` -> ``"CARTAO"``: a model may accent or recase the placeholder's name."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


class Vault:
    """One conversation's placeholders and the values behind them, in memory only.

    The same value (after normalising) always gets the same placeholder, so
    a model sees that the CPF in two messages is one CPF. Restoring gives
    back the value as first written: two spellings of one CPF come back in
    the first one's form. Never written to disk, never logged.
    """

    def __init__(self) -> None:
        self._by_value: dict[tuple[Kind, str], str] = {}
        self._originals: dict[str, str] = {}
        self._counts: dict[Kind, int] = dict.fromkeys(KINDS, 0)
        self._memo: OrderedDict[str, str] = OrderedDict()

    def __repr__(self) -> str:
        return f"Vault({len(self._originals)} values)"

    def placeholder(self, kind: Kind, value: str) -> str:
        """The placeholder standing for ``value``, given a new number the first time."""
        key = (kind, _normalise(kind, value))
        found = self._by_value.get(key)
        if found is None:
            self._counts[kind] += 1
            found = f"[{kind}_{self._counts[kind]}]"
            self._by_value[key] = found
            self._originals[found] = value
        return found

    def original(self, kind: str, number: int) -> str | None:
        """The value behind ``[KIND_number]``, or None when this vault never issued it."""
        return self._originals.get(f"[{kind}_{number}]")

    def remembered(self, text: str) -> str | None:
        """What :func:`redact` made of ``text`` before (a thread is redacted at every message)."""
        found = self._memo.get(text)
        if found is not None:
            self._memo.move_to_end(text)
        return found

    def remember(self, text: str, redacted: str) -> None:
        """Keeps :func:`redact`'s result for ``text``; the oldest go past a bound."""
        self._memo[text] = redacted
        if len(self._memo) > _MEMO_SIZE:
            self._memo.popitem(last=False)


def _redact_pass(text: str, vault: Vault) -> str:
    pieces: list[str] = []
    cursor = 0
    for start, end, kind in detect(text):
        pieces.append(text[cursor:start])
        pieces.append(vault.placeholder(kind, text[start:end]))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def redact(text: str, vault: Vault) -> str:
    """``text`` with every CPF, CNPJ, e-mail, phone and card number replaced by a placeholder.

    Raises :class:`RedactionError` when it cannot run, so the caller sends nothing.
    """
    try:
        found = vault.remembered(text)
        if found is not None:
            return found
        result = text
        for _ in range(_MAX_PASSES):
            again = _redact_pass(result, vault)
            if again == result:
                break
            result = again
        vault.remember(text, result)
        return result
    except Exception as exc:
        raise RedactionError(type(exc).__name__) from exc


def restore(text: str, vault: Vault) -> str:
    """``text`` with the vault's placeholders back to their values, whatever their case or spacing.

    A placeholder this vault never issued (``[CPF_9]``, ``[NOME_1]``) stays as written.
    """

    def back(match: re.Match[str]) -> str:
        value = vault.original(_fold_kind(match[1]), int(match[2]))
        return match[0] if value is None else value

    return _PLACEHOLDER_RE.sub(back, text)


class StreamRestorer:
    """Restores a streamed answer chunk by chunk, never showing half a placeholder.

    ``feed`` returns what is safe to show now and holds back a tail that may
    still become a placeholder (``"… seu [CP"``); ``flush`` returns the rest
    once the stream ends. Everything returned, joined, equals
    ``restore(whole_answer, vault)``.
    """

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._pending = ""

    def feed(self, chunk: str) -> str:
        text = self._pending + chunk
        cut = text.rfind("[")
        if cut >= 0 and _PARTIAL_RE.match(text, cut):
            self._pending = text[cut:]
            text = text[:cut]
        else:
            self._pending = ""
        return restore(text, self._vault)

    def flush(self) -> str:
        text, self._pending = self._pending, ""
        return restore(text, self._vault)
