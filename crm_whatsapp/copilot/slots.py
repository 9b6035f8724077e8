"""What in a past reply belonged to that customer, turned into slots, and filled for this one.

"Oi Ana, seu pedido 84512 sai amanhã" is worth suggesting to every customer
asking about an order, but never with Ana's name or her order number. When
a reply is indexed, the customer's name (from that conversation's contact,
or a capitalised word right after a greeting), amounts, dates, times, long
numbers (orders, protocols, documents), e-mail addresses and phone numbers
become slots: ``"Oi {nome}, seu pedido {numero} sai amanhã"``. Words such as
"amanhã" or "sábado" stay: they mean the same for everyone.

Filling (:func:`fill`) follows one rule: a slot shows a value only when that
value belongs to the customer in front of the attendant or to the office.

- ``{nome}``: the current contact's first name; with no name known, the
  name is left out with its comma ("Oi {nome}, tudo bem?" -> "Oi, tudo bem?").
- any other slot: a value the office uses for everyone (the same value sent
  to at least :data:`OFFICE_WIDE_CONVERSATIONS` different conversations, see
  :class:`OfficeValues`, e.g. the price of a consultation), else the one value
  of that kind the current customer wrote ("meu pedido 90210 não chegou"),
  else a visible blank such as ``[número]`` that the attendant fills in the
  composer. Another customer's value is never shown.
- a reply that would be nothing but blanks is no suggestion (None).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from crm_whatsapp.copilot.text import COURTESY, STOPWORDS, fold

NAME = "nome"
# Slot kind -> the visible blank shown when no value may fill it.
BLANKS: dict[str, str] = {
    "valor": "[valor]",
    "data": "[data]",
    "hora": "[hora]",
    "numero": "[número]",
    "email": "[e-mail]",
    "telefone": "[telefone]",
}
# A value is the office's (not one customer's) once sent to this many conversations.
OFFICE_WIDE_CONVERSATIONS = 3
# Values remembered per slot of one reply (order numbers never repeat: keep a few).
VALUES_PER_SLOT = 6

_MONTHS = (
    "janeiro|fevereiro|março|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|"
    "dezembro|jan|fev|mar|abr|mai|jun|jul|ago|set|out|nov|dez"
)
# One pass over the text, the kinds in priority order (an e-mail's digits are not an id;
# a date is not an amount). Each alternative is a named group; ``day`` keeps "dia ".
_PATTERN = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<valor>R\$\s?\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|R\$\s?\d+(?:,\d{1,2})?"
    r"|\b\d+(?:\.\d{3})*(?:,\d{2})?\s?(?:reais|real)\b)"
    r"|(?P<telefone>(?:\+?55\s?)?\(\d{2}\)\s?9?\s?\d{4}[-\s]?\d{4}\b"
    r"|(?:\+?55\s?)?\b\d{2}\s9?\d{4}-\d{4}\b|\b9?\d{4}-\d{4}\b)"
    r"|(?P<data>\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b"
    rf"|\b\d{{1,2}}\s+de\s+(?:{_MONTHS})\b(?:\s+de\s+\d{{4}})?)"
    r"|(?:\b[Dd]ia\s+)(?P<day>\d{1,2})\b(?![:/.,]\d|h)"
    r"|(?P<hora>\b\d{1,2}(?::\d{2}|h\d{2}|hs?\b))"
    r"|(?P<numero>\b[A-Za-z]{0,4}\d[\d./-]*\d[A-Za-z]{0,4}\b)",
    re.IGNORECASE,
)
_MIN_ID_DIGITS = 5
SLOT_PATTERN = re.compile(r"\{\{|\}\}|\{([a-z]+)(?:_(\d+))?\}")
_GREETING_NAME = re.compile(
    r"\b(?i:oi|olá|ola|bom dia|boa tarde|boa noite|prezad[oa]|car[oa]|sra?\.?|senhora?|dona|"
    r"obrigad[oa]|querid[oa])[,!]?\s+(?P<name>[A-ZÀ-Ý][a-zà-ÿ]{2,})\b"
)
# Capitalised words after a greeting that are not names.
_NOT_NAMES = (
    STOPWORDS
    | frozenset(fold(w) for w in COURTESY)
    | {
        "tudo",
        "pessoal",
        "cliente",
        "amigo",
        "amiga",
        "querido",
        "querida",
        "senhor",
        "senhora",
        "dona",
        "doutor",
        "doutora",
        "equipe",
        "todos",
        "sim",
        "claro",
        "perfeito",
        "certo",
        "ok",
    }
)
_NAME_WORD = re.compile(r"[^\W\d_]{2,}")
_HAS_VALUE = re.compile(r"[\d@]")


@dataclass(frozen=True)
class Slotted:
    """A reply with its customer-specific parts as slots, and the values they held."""

    template: str
    values: dict[str, str]


def escape(text: str) -> str:
    """Literal text as a template (braces doubled, as ``str.format`` writes them)."""
    return text.replace("{", "{{").replace("}", "}}")


def name_words(contact_name: str | None) -> list[str]:
    """The folded words of a contact's name that may stand for the person in a reply."""
    if not contact_name:
        return []
    return [
        w
        for w in (fold(word) for word in _NAME_WORD.findall(contact_name))
        if len(w) >= 3 and w not in _NOT_NAMES
    ]


def first_name(contact_name: str | None) -> str | None:
    """The first word of a contact's name that reads as a name ("Dr. João Silva" -> "João")."""
    if not contact_name:
        return None
    for word in _NAME_WORD.findall(contact_name):
        if len(word) >= 2 and fold(word) not in _NOT_NAMES and fold(word) not in {"dr", "dra"}:
            return word
    return None


def _name_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Where the contact's name is ("Ana", "Ana Souza"), or a name right after a greeting.

    The first name anywhere, and the other words of the name right after it:
    a surname alone is too often a word of its own ("Rua das Flores" for
    Rosa Flores; after "Sra." the greeting rule finds it). A name in lower
    case counts only from someone who writes everything in lower case
    ("camisa rosa" is a colour when the reply has capitals).
    """
    spans: list[tuple[int, int]] = []
    if names:
        first, rest = names[0], set(names[1:])
        lower_writer = text == text.lower()
        for match in _NAME_WORD.finditer(text):
            word = match.group()
            if not (word[0].isupper() or lower_writer):
                continue
            folded = fold(word)
            start, end = match.span()
            follows = (
                bool(spans) and spans[-1][1] <= start and not text[spans[-1][1] : start].strip()
            )
            if folded in rest and follows:
                spans[-1] = (spans[-1][0], end)  # "Ana Souza": one slot
            elif folded == first:
                spans.append((start, end))
    for match in _GREETING_NAME.finditer(text):
        start, end = match.span("name")
        if fold(match.group("name")) not in _NOT_NAMES and not any(
            s <= start < e for s, e in spans
        ):
            spans.append((start, end))
    return sorted(spans)


def slot(text: str, contact_name: str | None = None) -> Slotted:
    """``text`` with the customer's name and values as slots (``{nome}``, ``{valor}``...).

    Literal braces are doubled (``{{``), as ``str.format`` writes them. The
    second value of a kind is ``{kind_2}``, and so on; ``values`` maps each
    slot but ``{nome}`` to what it held.
    """
    names = name_words(contact_name)
    spans: list[tuple[int, int, str, str]] = [
        (s, e, NAME, text[s:e]) for s, e in _name_spans(text, names)
    ]
    if _HAS_VALUE.search(text):
        for match in _PATTERN.finditer(text):
            kind = match.lastgroup or ""
            if kind == "day":
                start, end = match.span("day")
                kind = "data"
            else:
                start, end = match.span()
            value = text[start:end]
            if kind == "numero" and sum(ch.isdigit() for ch in value) < _MIN_ID_DIGITS:
                continue
            if not any(s < end and start < e for s, e, _, _ in spans):
                spans.append((start, end, kind, value))
    if not spans:
        return Slotted(escape(text), {})
    spans.sort()
    out: list[str] = []
    values: dict[str, str] = {}
    seen: dict[str, int] = {}
    at = 0
    for start, end, kind, value in spans:
        out.append(escape(text[at:start]))
        if kind == NAME:
            out.append("{nome}")
        else:
            seen[kind] = seen.get(kind, 0) + 1
            name = kind if seen[kind] == 1 else f"{kind}_{seen[kind]}"
            values[name] = value
            out.append("{" + name + "}")
        at = end
    out.append(escape(text[at:]))
    return Slotted("".join(out), values)


def values_from(messages: Iterable[str]) -> dict[str, str]:
    """What the current customer wrote that may fill a slot: one value per kind, if only one.

    "Meu pedido 90210 não chegou" gives ``{"numero": "90210"}``; two
    different order numbers give nothing for ``numero`` (which one?).
    """
    found: dict[str, set[str]] = {}
    firsts: dict[str, str] = {}
    for message in messages:
        for name, value in slot(message).values.items():
            kind = name.split("_")[0]
            found.setdefault(kind, set()).add(value)
            firsts.setdefault(kind, value)
    return {kind: firsts[kind] for kind, seen in found.items() if len(seen) == 1}


def slots_of(template: str) -> list[str]:
    """The slot names in a template, in order (``nome`` included)."""
    return [
        m.group(1) + (f"_{m.group(2)}" if m.group(2) else "")
        for m in SLOT_PATTERN.finditer(template)
        if m.group(1)
    ]


def plain(template: str) -> str:
    """The template as text with every slot shown by its kind ("{valor}" -> "valor")."""
    return SLOT_PATTERN.sub(lambda m: m.group(1) or m.group()[0], template)


def _without_name(template: str) -> str:
    """The template with ``{nome}`` left out, with the comma around it."""
    stripped = re.sub(r"^\s*\{nome\}\s*[,!]?\s*", "", template)
    if stripped != template and stripped:
        stripped = stripped[0].upper() + stripped[1:]
    return re.sub(r"[ \t]*,?[ \t]*\{nome\}", "", stripped)


def fill(template: str, values: Mapping[str, str]) -> str | None:
    """The reply for the current customer, or None when it would be only blanks.

    ``values`` holds ``nome`` (the current first name) and any value that may
    fill a slot (see the module's rule); a slot without one shows its blank.
    """
    if "{nome}" in template and not values.get(NAME):
        template = _without_name(template)
    blanks = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal blanks
        kind = match.group(1)
        if kind is None:
            return match.group()[0]  # "{{" -> "{"
        name = kind + (f"_{match.group(2)}" if match.group(2) else "")
        value = values.get(name)
        if value:
            return value
        blanks += 1
        return BLANKS.get(kind, f"[{kind}]")

    filled = SLOT_PATTERN.sub(replace, template).strip()
    if blanks and not any(
        ch.isalpha() for ch in SLOT_PATTERN.sub(" ", template.replace("{{", "").replace("}}", ""))
    ):
        return None
    return filled or None


class OfficeValues:
    """The values one reply's slots held, to tell the office's values from customers'.

    A value sent to :data:`OFFICE_WIDE_CONVERSATIONS` different conversations
    (a price, the office's phone) is the office's; among those, the most
    recently sent wins (a price that changed). Order numbers never repeat,
    so they never qualify. At most :data:`VALUES_PER_SLOT` values are kept
    per slot.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        # slot -> value -> [conversations (capped), last conversation, last timestamp]
        self._seen: dict[str, dict[str, list[float]]] = {}

    def observe(self, values: Mapping[str, str], conversation_id: int, timestamp: float) -> None:
        """One more use of the reply, with the values its slots held there."""
        for name, value in values.items():
            per_value = self._seen.setdefault(name, {})
            entry = per_value.get(value)
            if entry is None:
                if len(per_value) >= VALUES_PER_SLOT:
                    weakest = min(per_value, key=lambda v: (per_value[v][0], per_value[v][2]))
                    del per_value[weakest]
                per_value[value] = [1.0, float(conversation_id), timestamp]
                continue
            if entry[1] != conversation_id and entry[0] < OFFICE_WIDE_CONVERSATIONS:
                entry[0] += 1
            entry[1] = float(conversation_id)
            entry[2] = max(entry[2], timestamp)

    def office_wide(self) -> dict[str, str]:
        """Slot -> the office's value, for the slots that have one."""
        out: dict[str, str] = {}
        for name, per_value in self._seen.items():
            qualified = [
                (entry[2], value)
                for value, entry in per_value.items()
                if entry[0] >= OFFICE_WIDE_CONVERSATIONS
            ]
            if qualified:
                out[name] = max(qualified)[1]
        return out
