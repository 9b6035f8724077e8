"""The local engine: replies the office already sent, found again for a new question.

No network, no model: the history itself is the knowledge. Every time an
attendant answered a customer (``copilot.pairs``), the customer's words are
indexed and point at the reply, grouped with every identical reply (same
words once slotted and folded), so "usada 14× pela equipe" is known. The
team's quick replies join as replies of their own, boosted.

Retrieval is BM25 over two indexes held in memory (never written
anywhere): an inverted index of the customers' words of each exchange, and a
forward index of the words of each distinct reply, scored for the few
candidate replies only. Terms are Portuguese stems plus thesaurus concepts
(``copilot.text``); a word of the question the index never saw is corrected
to the nearest known word (typos). Scoring is a sum over posting lists in
NumPy, so a question costs milliseconds at a million messages (docs/copilot.md
has the figures, and why not SQLite FTS5 or bm25s).

A reply's score is its best matching exchange plus how well its own words
match, times how often the team reused it, how recently, and what attendants
did with it when suggested (used as is, edited, ignored). The best few are
then made distinct (``suggestions.diversify``) and their slots filled for
the current customer (``copilot.slots``).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from rapidfuzz import fuzz, process

from crm_whatsapp.copilot import slots
from crm_whatsapp.copilot.pairs import PROMPT_MESSAGES, Pair, PairMaker
from crm_whatsapp.copilot.suggestions import MAX_SUGGESTIONS, Suggestion, diversify
from crm_whatsapp.copilot.text import (
    ABBREVIATIONS,
    CONCEPT_PREFIX,
    FUNCTION_MARK,
    concepts,
    content,
    folded_words,
    in_thesaurus,
    is_courtesy,
    language_of,
    sequence,
    thesaurus_words,
    word_terms,
)
from crm_whatsapp.domain.templates import body_text, language_code

if TYPE_CHECKING:
    from crm_whatsapp.store.reader import Reader

log = logging.getLogger("crm_whatsapp.copilot")

Outcome = Literal["used", "edited", "ignored"]

# BM25 (Robertson): term saturation does not matter in chat-length texts (each
# term counts once); length normalisation does.
K1 = 1.2
B = 0.75
# Query term weights: a word of the question, a corrected typo, a thesaurus concept.
WORD_WEIGHT = 1.0
TYPO_WEIGHT = 0.8
THESAURUS_WORD_WEIGHT = 0.5  # a word its concept already carries
CONCEPT_WEIGHT = 1.5
COURTESY_WEIGHT = 0.25  # greetings and thanks, words or concepts
_COURTESY_CONCEPTS = frozenset({CONCEPT_PREFIX + "saudacao", CONCEPT_PREFIX + "agradecimento"})
# How much a reply's own words count beside the best exchange that led to it.
REPLY_WEIGHT = 0.3
QUICK_REPLY_BOOST = 1.25
# Query terms summed over the exchanges, the weightiest first (see _Postings.scores).
QUERY_TERMS = 10
# Best exchanges whose replies are ranked (with every quick reply).
CANDIDATES = 300
# Ranked replies handed to diversify, and the share of the best score they must reach.
POOL = 12
RELATIVE_FLOOR = 0.3
# Ranking factors: reuse (log), recency (half-life), feedback (clamped).
REUSE_WEIGHT = 0.08
RECENCY_HALF_LIFE_DAYS = 180.0
RECENCY_WEIGHT = 0.2
FEEDBACK_RANGE = (0.5, 1.6)
# Typo correction: the nearest known word this alike (rapidfuzz ratio), for words this long.
TYPO_SIMILARITY = 80.0
TYPO_MIN_LENGTH = 4
# Meta's template placeholders ({{1}}, {{nome}}): not words of the template.
_TEMPLATE_PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")


def reply_key(template: str) -> str:
    """The stable key of a reply: its slotted words, folded, hashed (no text in clear)."""
    normal = " ".join(tokens_for_key(template))
    return hashlib.blake2b(normal.encode(), digest_size=8).hexdigest()


def tokens_for_key(template: str) -> list[str]:
    """A reply's words for grouping: case, accents, punctuation and emoji do not count."""
    return folded_words(slots.plain(template))


def _words_only(template: str) -> str:
    """A slotted reply without its slots (their names are not words the reply said)."""
    return slots.SLOT_PATTERN.sub(" ", template)


# What a reply's slots say it answers: an amount is a price, a date a when.
SLOT_CONCEPTS = {
    "valor": CONCEPT_PREFIX + "preco",
    "data": CONCEPT_PREFIX + "prazo",
    "hora": CONCEPT_PREFIX + "horario",
    "telefone": CONCEPT_PREFIX + "contato",
    "email": CONCEPT_PREFIX + "contato",
}


def terms(text_: str) -> list[str]:
    """What an index holds for a text: its stems, then its thesaurus concepts."""
    words = sequence(text_)
    return content(words) + concepts(words)


def reply_terms(template: str) -> list[str]:
    """What the replies' index holds for a slotted reply: its words, and what its slots say."""
    found = terms(_words_only(template))
    for name in slots.slots_of(template):
        concept = SLOT_CONCEPTS.get(name.split("_")[0])
        if concept is not None:
            found.append(concept)
    return found


class _Postings:
    """An inverted index: term -> the documents (numbered from 0) holding it, each once."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.lists: list[array[int]] = []
        self.lengths: array[int] = array("H")
        self._norms = np.zeros(0, np.float32)
        self._norms_avg = 0.0
        # term -> its documents' length factors, in posting order (saves a gather per query)
        self._term_norms: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.lengths)

    def add(self, doc_terms: Iterable[str]) -> None:
        """A new document, numbered next."""
        doc = len(self.lengths)
        unique = dict.fromkeys(doc_terms)
        ids, lists = self.ids, self.lists
        for term in unique:
            tid = ids.get(term)
            if tid is None:
                tid = ids[term] = len(lists)
                lists.append(array("i"))
            lists[tid].append(doc)
        self.lengths.append(min(len(unique), 65535))

    def warm(self) -> None:
        """Compute the length factors now rather than at the next search."""
        self._norms_now()

    def _norms_now(self) -> np.ndarray:
        """Each document's BM25 length factor (recomputed when the average drifts)."""
        n = len(self.lengths)
        have = len(self._norms)
        if have == n:
            return self._norms
        lengths = np.frombuffer(self.lengths, dtype=np.uint16).astype(np.float32)
        if have == 0 or n > have * 1.02:
            self._norms_avg = float(lengths.mean()) or 1.0
            start = 0
            self._norms = np.empty(0, np.float32)
            self._term_norms = {}
        else:
            start = have  # a few documents added: the average barely moved
        tail = (K1 + 1) / (K1 * (1 - B + B * lengths[start:] / self._norms_avg) + 1)
        self._norms = np.concatenate([self._norms, tail.astype(np.float32)])
        return self._norms

    def scores(self, query: Mapping[str, float]) -> np.ndarray:
        """Each document's BM25 score for ``query`` (term -> weight).

        Only the :data:`QUERY_TERMS` terms weighing most (weight × idf) are
        summed: three long messages of common words would otherwise walk
        most of the index for terms that barely move the ranking.
        """
        n = len(self.lengths)
        out = np.zeros(n, np.float32)
        if n == 0:
            return out
        present: list[tuple[float, int]] = []
        for term, weight in query.items():
            tid = self.ids.get(term)
            if tid is not None:
                df = len(self.lists[tid])
                present.append((weight * math.log(1 + (n - df + 0.5) / (df + 0.5)), tid))
        if not present:
            return out
        present.sort(reverse=True)
        norms = self._norms_now()
        for impact, tid in present[:QUERY_TERMS]:
            # A view, not a copy: the caller holds the index's lock, so nothing
            # appends to the list while it lives, and it dies before the lock is let go.
            posting = np.frombuffer(self.lists[tid], dtype=np.int32)
            try:
                factors = self._term_norms.get(tid)
                if factors is None or len(factors) != len(posting):
                    factors = self._term_norms[tid] = norms[posting]
                out[posting] += np.float32(impact) * factors
            finally:
                del posting
        return out


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """The positions of the ``k`` best positive scores (in no order)."""
    found = np.flatnonzero(scores > 0)
    if len(found) > k:
        found = found[np.argpartition(scores[found], -k)[-k:]]
    return found


class _Forward:
    """Each reply's terms, one after the other: scored for a few candidate replies only.

    Searching every reply's words for every question would double the cost of
    a suggestion; the replies worth scoring are those a matching question led
    to, plus the quick replies, a few hundred at most.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.df: array[int] = array("I")
        self.terms: array[int] = array("i")
        self.starts: array[int] = array("I", [0])
        self._total = 0

    def __len__(self) -> int:
        return len(self.starts) - 1

    def add(self, doc_terms: Iterable[str]) -> None:
        """A new document, numbered next."""
        unique = dict.fromkeys(doc_terms)
        for term in unique:
            tid = self.ids.get(term)
            if tid is None:
                tid = self.ids[term] = len(self.df)
                self.df.append(0)
            self.df[tid] += 1
            self.terms.append(tid)
        self.starts.append(len(self.terms))
        self._total += len(unique)

    def scores(self, query: Mapping[str, float], docs: Iterable[int]) -> dict[int, float]:
        """The BM25 score of each of ``docs`` for ``query`` (term -> weight)."""
        n = len(self)
        if n == 0:
            return {}
        impacts: dict[int, float] = {}
        for term, weight in query.items():
            tid = self.ids.get(term)
            if tid is not None:
                df = self.df[tid]
                impacts[tid] = weight * math.log(1 + (n - df + 0.5) / (df + 0.5))
        average = self._total / n or 1.0
        out: dict[int, float] = {}
        for doc in docs:
            start, end = self.starts[doc], self.starts[doc + 1]
            total = sum(impacts.get(tid, 0.0) for tid in self.terms[start:end])
            if total:
                norm = (K1 + 1) / (K1 * (1 - B + B * (end - start) / average) + 1)
                out[doc] = total * norm
        return out


class _Vocabulary:
    """The words seen (folded), by first letter and length, to correct a typo in a few comparisons.

    Words, not stems: a misspelt word's stem can differ from the right one's
    by several letters ("declarasao" is stemmed "declarasa", "declaração"
    "declar"), while the words differ by one.
    """

    def __init__(self, seed: Iterable[str] = ()) -> None:
        self._buckets: dict[tuple[str, int], list[str]] = {}
        self._known: set[str] = set()
        self.add(seed)

    def add(self, words: Iterable[str]) -> None:
        known = self._known
        for word in words:
            if word not in known and len(word) >= TYPO_MIN_LENGTH - 1 and not word.isdigit():
                known.add(word)
                self._buckets.setdefault((word[:1], len(word)), []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self._known

    def nearest(self, word: str) -> str | None:
        """The most alike known word (same first letter, one letter longer or shorter)."""
        if len(word) < TYPO_MIN_LENGTH or word in self._known or word in ABBREVIATIONS:
            return None
        best: tuple[float, str] | None = None
        for size in (len(word) - 1, len(word), len(word) + 1):
            bucket = self._buckets.get((word[:1], size))
            if not bucket:
                continue
            found = process.extractOne(
                word, bucket, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY
            )
            if found is not None and (best is None or found[1] > best[0]):
                best = (found[1], found[0])
        return best[1] if best else None


class Feedback:
    """What attendants did with each suggested reply, by key: used as is, edited, ignored."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, list[int]] = {}

    def record(self, key: str, outcome: Outcome) -> None:
        """One more outcome for the reply with this key."""
        column = ("used", "edited", "ignored").index(outcome)
        with self._lock:
            self._counts.setdefault(key, [0, 0, 0])[column] += 1

    def factor(self, key: str) -> float:
        """A ranking factor around 1: above when the reply is taken, below when passed over.

        The smoothed acceptance (an edit counts half) against a prior of one
        in three, square-rooted and clamped, so a few clicks move a reply
        without burying the rest for good.
        """
        counts = self._counts.get(key)
        if not counts:
            return 1.0
        used, edited, ignored = counts
        accepted = used + 0.5 * edited
        rate = (accepted + 1) / (used + edited + ignored + 3)
        low, high = FEEDBACK_RANGE
        return min(high, max(low, math.sqrt(rate * 3)))


class LocalIndex:
    """The office's replies and the questions that led to them, in memory only.

    One writer (the build, or new exchanges as they are sent) and any
    number of readers: every method takes the index's lock, and a search
    holds it for its NumPy part only (a few milliseconds).
    """

    def __init__(self, feedback: Feedback | None = None) -> None:
        self.feedback = feedback or Feedback()
        self._lock = threading.Lock()
        self._prompts = _Postings()  # a document per exchange
        self._replies = _Forward()  # a document per distinct reply
        self._pair_reply = array("i")  # exchange -> reply
        self._reply_of: dict[str, int] = {}  # key -> reply
        self._keys: list[str] = []
        self._templates: list[str] = []  # the reply's slotted text, as last sent
        self._uses = array("I")
        self._last = array("d")
        self._quick = array("b")  # 1: a quick reply; -1: one removed, never sent
        self._quick_numbers: set[int] = set()
        self._office: dict[int, slots.OfficeValues] = {}
        self._vocabulary = _Vocabulary(thesaurus_words())

    @property
    def size(self) -> int:
        """Exchanges indexed."""
        return len(self._prompts)

    @property
    def replies(self) -> int:
        """Distinct replies (quick replies included)."""
        return len(self._keys)

    def warm(self) -> None:
        """Compute what the first search would (length factors), so it is not slower."""
        with self._lock:
            self._prompts.warm()

    # -- writing ------------------------------------------------------------------------

    def _reply(self, template: str, timestamp: float) -> int:
        """The reply's number, created on first sight (caller holds the lock)."""
        key = reply_key(template)
        found = self._reply_of.get(key)
        if found is not None:
            if timestamp >= self._last[found] and self._quick[found] != 1:
                self._templates[found] = template  # the wording sent last
            return found
        number = len(self._keys)
        self._reply_of[key] = number
        self._keys.append(key)
        self._templates.append(template)
        self._uses.append(0)
        self._last.append(timestamp)
        self._quick.append(0)
        self._replies.add(reply_terms(template))
        self._vocabulary.add(folded_words(_words_only(template)))
        return number

    def add(self, pair: Pair) -> None:
        """One more exchange: found by the next search, no rebuild."""
        prompt_terms = terms(pair.prompt)
        prompt_words = folded_words(pair.prompt)
        with self._lock:
            number = self._reply(pair.reply, pair.timestamp)
            self._uses[number] += 1
            self._last[number] = max(self._last[number], pair.timestamp)
            if self._quick[number] == -1:
                self._quick[number] = 0
            if pair.values:
                office = self._office.get(number)
                if office is None:
                    office = self._office[number] = slots.OfficeValues()
                office.observe(dict(pair.values), pair.conversation_id, pair.timestamp)
            self._prompts.add(prompt_terms)
            self._vocabulary.add(prompt_words)
            self._pair_reply.append(number)

    def set_quick_replies(self, items: Iterable[tuple[str, str]]) -> None:
        """The team's quick replies (shortcut, text), replacing the previous set.

        A quick reply is the team's own wording for everyone: its text is
        shown as written (its values are the office's), only grouped with
        the same reply sent by hand so its uses count.
        """
        with self._lock:
            wanted: set[int] = set()
            for _shortcut, text_ in items:
                if not text_.strip():
                    continue
                template = slots.escape(text_.strip())
                number = self._reply(slots.slot(text_.strip()).template, 0.0)
                self._templates[number] = template
                self._quick[number] = 1
                wanted.add(number)
            for number in self._quick_numbers - wanted:
                self._quick[number] = 0 if self._uses[number] else -1
            self._quick_numbers = wanted

    def record(self, key: str, outcome: Outcome) -> None:
        """What the attendant did with a suggestion (``Suggestion.key``)."""
        self.feedback.record(key, outcome)

    # -- reading ------------------------------------------------------------------------

    def _query(self, text_: str) -> dict[str, float]:
        """The weighted terms of a question, typos corrected (caller holds the lock)."""
        query: dict[str, float] = {}
        words: list[str] = []
        for typed in folded_words(text_):
            cap = WORD_WEIGHT
            if typed not in self._vocabulary:
                nearest = self._vocabulary.nearest(typed)
                if nearest is not None:
                    typed, cap = nearest, TYPO_WEIGHT
            for word in word_terms(typed):
                words.append(word)
                if word.startswith(FUNCTION_MARK):
                    continue
                if is_courtesy(word):
                    weight = COURTESY_WEIGHT
                elif in_thesaurus(word):
                    weight = THESAURUS_WORD_WEIGHT
                else:
                    weight = WORD_WEIGHT
                query[word] = max(query.get(word, 0.0), min(weight, cap))
        for concept in concepts(words):
            query[concept] = COURTESY_WEIGHT if concept in _COURTESY_CONCEPTS else CONCEPT_WEIGHT
        return query

    def _ranked(self, query: Mapping[str, float], now: float) -> list[tuple[float, int]]:
        """(score, reply) for the best replies, best first (caller holds the lock)."""
        best_pair: dict[int, float] = {}
        if len(self._prompts):
            prompt_scores = self._prompts.scores(query)
            for doc in _top(prompt_scores, CANDIDATES).tolist():
                number = self._pair_reply[doc]
                score = float(prompt_scores[doc])
                if score > best_pair.get(number, 0.0):
                    best_pair[number] = score
        candidates = set(best_pair) | self._quick_numbers
        reply_scores = self._replies.scores(query, candidates)
        ranked: list[tuple[float, int]] = []
        for number in candidates:
            flag = self._quick[number]
            if flag == -1:
                continue
            own = reply_scores.get(number, 0.0)
            asked = best_pair.get(number, 0.0)
            if flag == 1:  # the team's text is all a quick reply has to be asked by
                base = (max(asked, own) + REPLY_WEIGHT * own) * QUICK_REPLY_BOOST
            else:
                base = asked + REPLY_WEIGHT * own
            if base <= 0:
                continue
            age_days = max(0.0, now - self._last[number]) / 86400 if self._last[number] else 0.0
            recency = (
                1 - RECENCY_WEIGHT + RECENCY_WEIGHT * 0.5 ** (age_days / RECENCY_HALF_LIFE_DAYS)
            )
            reuse = 1 + REUSE_WEIGHT * math.log1p(self._uses[number])
            feedback = self.feedback.factor(self._keys[number])
            ranked.append((base * recency * reuse * feedback, number))
        ranked.sort(reverse=True)
        if not ranked:
            return []
        floor = ranked[0][0] * RELATIVE_FLOOR
        return [item for item in ranked[:POOL] if item[0] >= floor]

    def search(
        self,
        customer_messages: Sequence[str],
        first_name: str | None,
        k: int = MAX_SUGGESTIONS,
        now: float | None = None,
    ) -> list[Suggestion]:
        """Up to ``k`` distinct replies for the customer's last messages, slots filled."""
        asked = [m for m in customer_messages if m and m.strip()][-PROMPT_MESSAGES:]
        if not asked:
            return []
        now = time.time() if now is None else now
        with self._lock:
            query = self._query("\n".join(asked))
            if not query:
                return []
            picked = [
                (
                    score,
                    self._templates[n],
                    self._keys[n],
                    int(self._uses[n]),
                    self._quick[n] == 1,
                    self._office[n].office_wide() if n in self._office else {},
                )
                for score, n in self._ranked(query, now)
            ]
        theirs = slots.values_from(asked)
        candidates: list[Suggestion] = []
        for score, template, key, uses, quick, office in picked:
            values = {**theirs, **office}
            if first_name:
                values[slots.NAME] = first_name
            filled = slots.fill(template, values)
            if filled is None:
                continue
            candidates.append(
                Suggestion(
                    text=filled,
                    engine="local",
                    source="quick_reply" if quick else "history",
                    score=score,
                    uses=uses,
                    key=key,
                )
            )
        return diversify(candidates, k)


def best_template(
    customer_messages: Sequence[str], templates: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """The approved template whose words best match the customer's, or None if none does.

    For a closed 24-hour window, when only a template may be sent. Templates
    in the customer's language come first ("pt_BR" for Portuguese); a
    template's name counts as words ("lembrete_consulta"). BM25 over the
    templates themselves, with the thesaurus concepts.
    """
    approved = [
        t
        for t in templates
        if str(t.get("status") or "APPROVED").upper() == "APPROVED" and body_text(dict(t))
    ]
    if not approved:
        return None
    language = language_of(customer_messages) or "pt"
    same = [t for t in approved if language_code(dict(t)).lower().startswith(language)]
    pool = same or approved
    index = _Postings()
    for template in pool:
        words = body_text(dict(template)) + " " + str(template.get("name") or "").replace("_", " ")
        index.add(terms(_TEMPLATE_PLACEHOLDER.sub(" ", words)))
    words = sequence("\n".join(customer_messages))
    query = {s: COURTESY_WEIGHT if is_courtesy(s) else WORD_WEIGHT for s in content(words)}
    query.update(dict.fromkeys(concepts(words), CONCEPT_WEIGHT))
    scores = index.scores(query)
    if not len(scores) or float(scores.max()) <= 0:
        return None
    return dict(pool[int(scores.argmax())])


class LocalEngine:
    """The local Copilot over one history: built off the window's thread, then kept current.

    ``build`` reads the whole history into a fresh index while the previous
    one (empty at start) keeps answering, then swaps it in; exchanges sent
    during the build are replayed into it unless the build already read
    them. Feedback outlives rebuilds.
    """

    def __init__(self) -> None:
        self.feedback = Feedback()
        self._index = LocalIndex(self.feedback)
        self._lock = threading.Lock()
        self._building = False
        self._during_build: list[Pair] = []
        self.ready = False

    @property
    def size(self) -> int:
        """Exchanges indexed."""
        return self._index.size

    @property
    def index(self) -> LocalIndex:
        """The index in use (replaced whole when a build finishes)."""
        return self._index

    def build(
        self,
        reader: Reader,
        progress: Callable[[int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        """Index the whole history and the quick replies (blocking; run it in a thread).

        ``progress`` gets the messages read so far, after each batch;
        ``should_stop`` is asked between batches, and a stopped build leaves
        the previous index in place.
        """
        with self._lock:
            self._building = True
            self._during_build = []
        swapped = False
        started = time.monotonic()
        try:
            index = LocalIndex(self.feedback)
            index.set_quick_replies(reader.quick_replies())
            conversations, _ = reader.totals()
            names = {
                int(row["id"]): row["name"]
                for row in reader.conversations(limit=max(conversations, 1) + 100)
            }
            read_until: dict[int, float] = {}
            maker: PairMaker | None = None
            read = 0
            for batch in reader.message_stream():
                if should_stop is not None and should_stop():
                    return
                for conversation_id, direction, kind, text_, timestamp, author in batch:
                    if maker is None or maker.conversation_id != conversation_id:
                        if maker is not None and (pair := maker.finish()) is not None:
                            index.add(pair)
                        maker = PairMaker(conversation_id, names.get(conversation_id))
                    if (pair := maker.add(direction, kind, text_, timestamp, author)) is not None:
                        index.add(pair)
                    if timestamp > read_until.get(conversation_id, 0.0):
                        read_until[conversation_id] = timestamp
                read += len(batch)
                if progress is not None:
                    progress(read)
            if maker is not None and (pair := maker.finish()) is not None:
                index.add(pair)
            index.warm()
            with self._lock:
                for pair in self._during_build:
                    if pair.timestamp > read_until.get(pair.conversation_id, float("-inf")):
                        index.add(pair)
                self._index = index
                self._building = False
                self._during_build = []
                self.ready = True
                swapped = True
            # Counts only: the index holds message text, the log never does.
            log.info(
                "local Copilot index built: %d messages, %d exchanges, %d replies in %.1f s",
                read,
                index.size,
                index.replies,
                time.monotonic() - started,
            )
        finally:
            if not swapped:
                with self._lock:
                    self._building = False
                    self._during_build = []

    def set_quick_replies(self, items: Iterable[tuple[str, str]]) -> None:
        """The team's quick replies changed (shortcut, text): the index follows."""
        self._index.set_quick_replies(items)

    def add_exchange(
        self,
        customer_messages: Sequence[str],
        reply: str,
        *,
        conversation_id: int,
        contact_name: str | None = None,
        timestamp: float | None = None,
        author: str | None = None,
    ) -> None:
        """A reply an attendant just sent after these customer messages: indexed at once.

        The same rules as the build apply (text only, bounded, slotted with
        ``contact_name``).
        """
        timestamp = time.time() if timestamp is None else timestamp
        maker = PairMaker(conversation_id, contact_name)
        for message in customer_messages[-PROMPT_MESSAGES:]:
            maker.add("in", "text", message, timestamp)
        maker.add("out", "text", reply, timestamp, author)
        pair = maker.finish()
        if pair is not None:
            self.add_pair(pair)

    def add_pair(self, pair: Pair) -> None:
        """An exchange made elsewhere (a colleague's reply that came through sync): indexed now."""
        with self._lock:
            if self._building:
                self._during_build.append(pair)
            index = self._index
        index.add(pair)

    def suggest(
        self, customer_messages: Sequence[str], first_name: str | None, k: int = MAX_SUGGESTIONS
    ) -> list[Suggestion]:
        """Up to ``k`` distinct replies for the customer's last messages (milliseconds)."""
        return self._index.search(customer_messages, first_name, k)

    def record(self, key: str, outcome: Outcome) -> None:
        """What the attendant did with a suggestion (``Suggestion.key``); moves its ranking."""
        self.feedback.record(key, outcome)

    def best_template(
        self, customer_messages: Sequence[str], templates: Sequence[Mapping[str, Any]]
    ) -> dict[str, Any] | None:
        """The approved template best matching the customer's words (closed window)."""
        return best_template(customer_messages, templates)
