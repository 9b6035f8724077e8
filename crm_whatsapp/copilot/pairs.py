"""Exchanges from a conversation: what the customer asked, and what an attendant answered.

The local engine learns from the office's own history: each time an
attendant answered a customer in text, the customer's last one to three
messages (customers split a request: "oi", "bom dia", "qto custa a
consulta?") are the *prompt*, and the attendant's next text messages, sent
in a row, are the *reply*, with the customer's name and values turned into
slots (``copilot.slots``). Replies that are templates or only media are no
suggestions; private notes are skipped as if absent. Lengths are bounded so
one pasted contract cannot weigh on the index.

:class:`PairMaker` reads one conversation a message at a time (the index is
built from a million messages streamed in key order, with bounded memory);
:func:`pairs_of` is the same over a list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crm_whatsapp.copilot.slots import slot

# The prompt: up to this many customer messages, sent within BURST_SECONDS of the last one.
PROMPT_MESSAGES = 3
BURST_SECONDS = 30 * 60
PROMPT_CHARS = 600  # its tail is kept
# The reply: consecutive attendant messages, at most this many and this long in all
# (more: an explanation, not a reply to reuse).
REPLY_CHARS = 700
REPLY_MESSAGES = 4
# Customer message types whose text (a caption, a button's title) says what they want.
_SILENT_TYPES = frozenset({"reaction", "unsupported", "system", "template"})


@dataclass(frozen=True)
class Pair:
    """One exchange: the customer's words, and the (slotted) reply an attendant sent.

    ``values`` are what the reply's slots held in that conversation (never
    shown to another customer; they tell office-wide values from personal
    ones, see ``copilot.slots.OfficeValues``).
    """

    prompt: str
    reply: str
    timestamp: float
    conversation_id: int
    author: str | None
    values: tuple[tuple[str, str], ...] = field(default=(), compare=False)


class PairMaker:
    """Turns one conversation's messages, oldest first, into pairs as they come."""

    def __init__(self, conversation_id: int, contact_name: str | None = None) -> None:
        self.conversation_id = conversation_id
        self.contact_name = contact_name
        self._asked: list[tuple[float, str]] = []  # the customer's burst before a reply
        self._replied: list[str] = []  # the attendant's text messages in a row
        self._reply_at = 0.0
        self._author: str | None = None
        self._run_usable = True  # False once the run is a template (not a free reply)
        self._run_length = 0
        self._last_out = 0.0
        self._frozen = False

    def add(
        self,
        direction: str,
        kind: str,
        text: str | None,
        timestamp: float,
        author: str | None = None,
    ) -> Pair | None:
        """One more message; returns the pair it completes (the message after a reply)."""
        if direction == "in":
            done = self._close()
            if self._run_length:  # an attendant answered the burst: a new one starts
                self._asked = []
            self._replied, self._run_usable, self._run_length = [], True, 0
            self._frozen = False
            if text and kind not in _SILENT_TYPES:
                if self._asked and timestamp - self._asked[-1][0] > BURST_SECONDS:
                    self._asked = []
                self._asked.append((timestamp, text))
                del self._asked[:-PROMPT_MESSAGES]
            return done
        if direction != "out":
            return None  # a private note: as if absent
        if not self._asked:
            return None  # nobody asked (an attendant writing first, or a second run)
        if self._run_length == 0:
            self._reply_at, self._author = timestamp, author
            self._run_usable = kind == "text"
        elif timestamp - self._last_out > BURST_SECONDS:
            self._frozen = True  # a later message is a follow-up, not this answer
        self._run_length += 1
        self._last_out = timestamp
        if kind == "text" and text and self._run_usable and not self._frozen:
            self._replied.append(text)
        return None

    def finish(self) -> Pair | None:
        """The pair the conversation's last messages complete, if any."""
        done = self._close()
        self._asked, self._replied, self._run_length = [], [], 0
        return done

    def _close(self) -> Pair | None:
        """The pending reply as a pair, if it is one worth indexing."""
        if not (self._asked and self._replied and self._run_usable):
            return None
        replied, self._replied = self._replied, []
        if len(replied) > REPLY_MESSAGES:
            return None  # an explanation in many parts: not a reply to reuse
        reply = "\n".join(t.strip() for t in replied).strip()
        prompt = "\n".join(t.strip() for _, t in self._asked).strip()[-PROMPT_CHARS:]
        if not reply or not prompt or len(reply) > REPLY_CHARS:
            return None
        slotted = slot(reply, self.contact_name)
        return Pair(
            prompt=prompt,
            reply=slotted.template,
            timestamp=self._reply_at,
            conversation_id=self.conversation_id,
            author=self._author,
            values=tuple(slotted.values.items()),
        )


def pairs_of(
    messages: Iterable[Mapping[str, Any]],
    conversation_id: int = 0,
    contact_name: str | None = None,
) -> list[Pair]:
    """The pairs of one conversation's messages, oldest first.

    Messages are dicts with direction, type, text, timestamp and author, as
    ``Reader.messages`` returns them.
    """
    maker = PairMaker(conversation_id, contact_name)
    found = [
        maker.add(
            str(m.get("direction") or ""),
            str(m.get("type") or ""),
            m.get("text"),
            float(m.get("timestamp") or 0.0),
            m.get("author"),
        )
        for m in messages
    ]
    found.append(maker.finish())
    return [p for p in found if p is not None]
