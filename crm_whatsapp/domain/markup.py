"""WhatsApp message text as safe Qt rich text, and as a one-line preview.

Customers write WhatsApp's own markup (``*bold*``, ``_italic_``, ``~strike~``,
```` ```monospace``` ````, ```code```, ``> `` quotes, lists); the attendant should
see it the way the customer's phone shows it, and nothing a customer types may
become live HTML in the inbox. So the raw text is cut into pieces first, every
piece of text is HTML-escaped as it is written out, and markup is recognised
only where WhatsApp recognises it: markers at word boundaries, within one line
(except ``` blocks), and never inside links.

Finished pieces (code, links) are parked in the text as single characters from
Unicode's Supplementary Private Use Area-A, so the emphasis rules see a link as
one opaque character and cannot reach inside it.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from dataclasses import dataclass, field

_BASE = 0xF0000
_PARKED = re.compile("[\U000f0000-\U000ffffd]")
_BLOCK_CODE = re.compile(r"```(.+?)```", re.DOTALL)
_INLINE = re.compile(
    r"(?P<code>`[^`\s](?:[^`\n]*[^`\s])?`)"
    r"|(?P<url>(?<![^\W_])(?<![@/.])(?:https?://|www\.)[^\s<>\"`]+)"
    r"|(?P<email>(?<![\w.%+-])[\w.%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![\w@-]))",
    re.IGNORECASE,
)
_URL_TAIL = ".,;:!?'\"*_~"
_URL_START = re.compile(r"(?:https?://|www\.)[^\W_]", re.IGNORECASE)
_URL_PAIRS = {")": "(", "]": "[", "}": "{"}
_EMPHASIS = {"*": "b", "_": "i", "~": "s"}
_MARKER = re.compile(r"[*_~]")
_LINE = re.compile(r"(?:(?P<quote>> )|(?P<bullet>[*-] )|(?P<number>\d{1,3})\. )(?P<body>\s*\S.*)")
_NO_MARGIN = 'style="margin-top:0px; margin-bottom:0px"'
# Qt rich text has no border-left: a thin grey cell is WhatsApp's quote bar.
_QUOTE = (
    '<table cellspacing="0" cellpadding="0" style="margin-top:2px; margin-bottom:2px"><tr>'
    '<td width="3" bgcolor="#8696a0"></td><td style="padding-left:8px">{}</td></tr></table>'
)


@dataclass
class _Pieces:
    """Finished pieces of one message, kept in the form being rendered (rich or plain)."""

    rich: bool
    parked: list[str] = field(default_factory=list)
    literal: set[int] = field(default_factory=set)  # the customer's own private-use chars

    def park(self, rich: str, plain: str) -> str:
        """Set a finished piece aside; returns the one character standing for it in the text."""
        self.parked.append(rich if self.rich else plain)
        return chr(_BASE + len(self.parked) - 1)

    def park_literal(self, char: str) -> str:
        """Park a private-use character the customer typed, so it comes back as itself."""
        self.literal.add(len(self.parked))
        return self.park(char, char)

    def text(self, raw: str) -> str:
        """``raw`` as it goes out: HTML-escaped for rich text, as is for a preview."""
        return _html_text(raw) if self.rich else raw

    def unpark(self, out: str) -> str:
        """Put pieces back, including pieces parked inside other pieces (code in code)."""
        return _PARKED.sub(self._unpark_one, out)

    def _unpark_one(self, match: re.Match[str]) -> str:
        index = ord(match.group()) - _BASE
        piece = self.parked[index]
        return piece if index in self.literal else self.unpark(piece)


def to_html(text: str) -> str:
    """Rich text for a QTextDocument/QLabel (``Qt.RichText``) showing ``text`` as WhatsApp does."""
    return _render(text, _Pieces(rich=True))


def plain_preview(text: str) -> str:
    """``text`` without WhatsApp's markers, on one line, for the conversation list."""
    return " ".join(_render(text, _Pieces(rich=False)).split())


def _render(text: str, pieces: _Pieces) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PARKED.sub(lambda m: pieces.park_literal(m.group()), text)
    text = _BLOCK_CODE.sub(lambda m: _park_block_code(m.group(1), pieces), text)
    return pieces.unpark(_blocks(text.split("\n"), pieces))


def _park_block_code(code: str, pieces: _Pieces) -> str:
    code = code.removeprefix("\n").removesuffix("\n")
    rich = "<br>".join(_indented(line) for line in code.split("\n"))
    return pieces.park(f"<code>{rich}</code>", code)


def _blocks(lines: list[str], pieces: _Pieces) -> str:
    """Group lines into runs of text, quotes and lists; each run becomes one HTML block."""
    groups: list[tuple[str, str, list[str]]] = []
    for line in lines:
        kind, start, item = _line(line, pieces)
        if groups and groups[-1][0] == kind:
            groups[-1][2].append(item)
        else:
            groups.append((kind, start, [item]))
    if not pieces.rich:
        return "\n".join(item for _, _, items in groups for item in items)
    out: list[str] = []
    for kind, start, items in groups:
        if kind == "text":
            run = "<br>".join(items)
            # One empty line between two blocks: Qt drops an empty run, keep the gap.
            out.append(run or (f"<p {_NO_MARGIN}>&nbsp;</p>" if len(groups) > 1 else ""))
        elif kind == "quote":
            out.append(_QUOTE.format("<br>".join(items)))
        else:
            first = f' start="{start}"' if kind == "ol" else ""
            lis = "".join(f"<li>{item}</li>" for item in items)
            out.append(f"<{kind}{first} {_NO_MARGIN}>{lis}</{kind}>")
    return "".join(out)


def _line(line: str, pieces: _Pieces) -> tuple[str, str, str]:
    """One line's block kind (``text``, ``quote``, ``ul``, ``ol``), list number and content."""
    match = _LINE.fullmatch(line)
    if match is None:
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        lead = pieces.park("&nbsp;" * indent, " ") if indent else ""
        return "text", "", lead + _inline(body, pieces)
    body = _inline(match.group("body"), pieces)
    if match.group("quote"):
        return "quote", "", body
    if match.group("bullet"):
        return "ul", "", body if pieces.rich else f"• {body}"
    number = str(int(match.group("number")))
    return "ol", number, body if pieces.rich else f"{number}. {body}"


def _inline(line: str, pieces: _Pieces) -> str:
    """Park code, links and e-mail addresses of one line, then apply emphasis around them."""
    out: list[str] = []
    pos = 0
    while (match := _INLINE.search(line, pos)) is not None:
        found = match.group()
        if match.lastgroup == "code":
            parked = pieces.park(f"<code>{_html_text(found[1:-1])}</code>", found[1:-1])
        elif match.lastgroup == "email":
            parked = _park_link(f"mailto:{found}", found, pieces)
        else:
            found = _trim_url(found)
            if not _URL_START.match(found):
                out.append(line[pos : match.end()])
                pos = match.end()
                continue
            # A www. address gets https:// in front, even when its path holds a "://".
            href = f"https://{found}" if found[:4].lower() == "www." else found
            parked = _park_link(href, found, pieces)
        out.append(line[pos : match.start()] + parked)
        pos = match.start() + len(found)
    out.append(line[pos:])
    return _emphasis("".join(out), pieces)


def _park_link(href: str, shown: str, pieces: _Pieces) -> str:
    rich = f'<a href="{html.escape(href, quote=True)}">{_html_text(shown)}</a>'
    return pieces.park(rich, shown)


def _trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence, not the address (keep balanced brackets)."""
    while url:
        last = url[-1]
        opener = _URL_PAIRS.get(last)
        if last in _URL_TAIL or (opener and url.count(last) > url.count(opener)):
            url = url[:-1]
        else:
            break
    return url


def _emphasis(s: str, pieces: _Pieces) -> str:
    """Bold/italic/strike: the leftmost opening marker takes the first valid closing one.

    Only marker positions are visited (most messages have none), so a long
    plain message costs one regular-expression scan, not a Python loop per letter.
    """
    markers = [m.start() for m in _MARKER.finditer(s)]
    if not markers:
        return pieces.text(s)
    closes = {c: [k for k in markers if s[k] == c and _closes(s, k)] for c in _EMPHASIS}
    out: list[str] = []
    start = 0
    for i in markers:
        if i < start:
            continue  # inside an emphasis already rendered
        marker = s[i]
        if _opens(s, i):
            candidates = closes[marker]
            at = bisect_left(candidates, i + 2)
            if at < len(candidates):
                end = candidates[at]
                inner = _emphasis(s[i + 1 : end], pieces)
                tag = _EMPHASIS[marker]
                out.append(pieces.text(s[start:i]))
                out.append(f"<{tag}>{inner}</{tag}>" if pieces.rich else inner)
                start = end + 1
    out.append(pieces.text(s[start:]))
    return "".join(out)


def _opens(s: str, i: int) -> bool:
    """After a non-letter (not the same marker), before a non-space (not the same marker)."""
    before = s[i - 1] if i else " "
    after = s[i + 1] if i + 1 < len(s) else " "
    return not before.isalnum() and before != s[i] and not after.isspace() and after != s[i]


def _closes(s: str, k: int) -> bool:
    """After a non-space (not the same marker), before a non-letter (not the same marker)."""
    before = s[k - 1] if k else " "
    after = s[k + 1] if k + 1 < len(s) else " "
    return not before.isspace() and before != s[k] and not after.isalnum() and after != s[k]


def _html_text(raw: str) -> str:
    """Escaped text whose runs of spaces stay visible while long lines can still wrap."""
    escaped = html.escape(raw, quote=False)
    return re.sub(r" {2,}", lambda m: "&nbsp;" * (len(m.group()) - 1) + " ", escaped)


def _indented(raw: str) -> str:
    """A code line whose indentation is kept as non-breaking spaces."""
    body = raw.lstrip(" ")
    return "&nbsp;" * (len(raw) - len(body)) + _html_text(body)
