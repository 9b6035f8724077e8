"""The Copilot of one workspace: what the bar shows for a conversation, and what it learns.

The window and ``crm-whatsapp suggest`` both ask here, so the command line
prints exactly what the bar would show. The order of work is the promise
the issue makes to the attendant:

1. Only when the customer's message is the last one in the thread (an
   answer to the attendant's own message would be noise).
2. The local engine first (milliseconds, no network); then, when a model is
   configured and switched on, its suggestions stream in and take the first
   places, each as soon as it completes. A model failure leaves the local
   suggestions on screen with one sentence saying why.
3. With the 24-hour window closed, free text cannot be sent: the local
   engine proposes the best-matching approved template instead, and the
   model is not asked for free text.

Nothing here sends a message. Reads of the history run in a worker thread
(``asyncio.to_thread``) so the window's thread never waits on the disk.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from crm_whatsapp.copilot.endpoint import ModelSettings
from crm_whatsapp.copilot.local import LocalEngine
from crm_whatsapp.copilot.model import CopilotError, ModelEngine
from crm_whatsapp.copilot.outcomes import Tracker
from crm_whatsapp.copilot.pairs import Pair, pairs_of
from crm_whatsapp.copilot.prompt import Context, Turn
from crm_whatsapp.copilot.redaction import Vault
from crm_whatsapp.copilot.suggestions import MAX_SUGGESTIONS, Suggestion, collapse
from crm_whatsapp.copilot.text import language_of
from crm_whatsapp.domain.templates import body_text
from crm_whatsapp.store.history import History

log = logging.getLogger(__name__)

EngineChoice = Literal["auto", "local", "model"]
ENGINES: tuple[EngineChoice, ...] = ("auto", "local", "model")

# How much of the thread a suggestion looks at: the customer's last run of
# messages (they split one request over several) and the turns before it.
CUSTOMER_RUN = 3
THREAD_TURNS = 20
# A reply that came through sync is paired with what the customer wrote
# before it among this many of the conversation's last messages; a backlog
# replay teaches at most LEARN_CONVERSATIONS per batch (the next build reads
# the rest).
LEARN_MESSAGES = 40
LEARN_CONVERSATIONS = 200
# Message types whose text is what the customer said (media captions count).
_SPOKEN = frozenset(
    {"text", "image", "video", "document", "interactive", "button", "location", "contacts"}
)

NO_MODEL = (
    "O modelo do Copilot não está configurado; informe o endereço e o modelo nas configurações."
)
OTHER_LANGUAGE = (
    "O cliente escreve em outro idioma e as respostas da equipe estão em português; "
    "configure um modelo para sugestões no idioma do cliente."
)


@dataclass(frozen=True)
class Update:
    """What the bar shows now: the best suggestions so far, and a sentence if one is due.

    ``done`` marks the last update of a request; ``failed`` says the model
    engine failed (``notice`` then says why), so ``--engine model`` can exit
    non-zero while ``auto`` keeps the local suggestions.
    """

    suggestions: list[Suggestion] = field(default_factory=list)
    notice: str | None = None
    done: bool = False
    failed: bool = False


@dataclass(frozen=True)
class Conversation:
    """What the Copilot reads of one conversation before suggesting."""

    conversation_id: int
    customer_messages: list[str]  # the customer's last run, oldest first ([] if not last)
    context: Context


class Copilot:
    """Suggestions for one workspace's conversations, from both engines.

    ``settings`` is called at each request, so a change in the settings
    dialog applies to the next suggestion without a restart. ``templates``
    fetches the business's approved templates (the relay's list); ``card``
    gives a CRM plugin's contact card for a conversation, when one exists.
    """

    def __init__(
        self,
        history: History,
        *,
        settings: Callable[[], ModelSettings | None],
        model_enabled: Callable[[], bool] = lambda: True,
        templates: Callable[[], Awaitable[list[dict[str, Any]]]] | None = None,
        card: Callable[[int], Mapping[str, str] | None] | None = None,
    ) -> None:
        self.history = history
        self.local = LocalEngine()
        self.tracker = Tracker()
        self._settings = settings
        self._model_enabled = model_enabled
        self._templates = templates
        self._card = card
        self._vaults: dict[int, Vault] = {}
        self._model: ModelEngine | None = None
        self._model_for: ModelSettings | None = None
        self._retired: list[ModelEngine] = []  # replaced engines, closed by aclose()
        # What each conversation looked like when last asked about: a reply sent
        # there becomes a new exchange in the local index at once.
        self._asked: dict[int, Conversation] = {}
        # Per conversation, the time of the last exchange indexed from this PC:
        # the same reply seen again through sync is not counted twice.
        self._learned: dict[int, float] = {}
        self._learned_lock = threading.Lock()
        # The exact body of the last request that left this PC ("O que sai deste computador").
        self.last_request: dict[str, Any] | None = None

    # -- the local index ----------------------------------------------------------------

    def build_local(
        self,
        progress: Callable[[int], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        """Build the local index from the history (blocking: run it in a worker thread).

        What attendants did with earlier suggestions is replayed into it, so
        the ranking remembers across restarts.
        """
        self.local.build(self.history.reader, progress=progress, should_stop=should_stop)
        for key, outcome in self.history.copilot.outcomes("local"):
            self.local.record(key, outcome)

    # -- reading a conversation ---------------------------------------------------------

    def read(self, conversation_id: int) -> Conversation:
        """The conversation as the Copilot sees it (blocking reads; call from a thread)."""
        history = self.history
        rows = history.messages(conversation_id, limit=THREAD_TURNS * 2)
        turns = [
            Turn(
                direction="in" if m["direction"] == "in" else "out",
                text=str(m.get("text") or ""),
                author=m.get("author"),
                timestamp=float(m.get("timestamp") or 0.0),
            )
            for m in rows
            if m["direction"] in ("in", "out") and (m.get("text") or "").strip()
        ][-THREAD_TURNS:]
        customer: list[str] = []
        last = next((m for m in reversed(rows) if m["direction"] in ("in", "out")), None)
        if last is not None and last["direction"] == "in":
            for m in reversed(rows):
                if m["direction"] == "note":
                    continue
                if m["direction"] != "in" or len(customer) == CUSTOMER_RUN:
                    break
                if m.get("type") in _SPOKEN and (m.get("text") or "").strip():
                    customer.insert(0, str(m["text"]))
        listed = history.conversations(ids=[conversation_id], limit=1)
        name = str(listed[0].get("name") or "") if listed else ""
        card = self._card(conversation_id) if self._card else None
        context = Context(
            thread=turns,
            customer_name=name or None,
            crm_card=card,
            knowledge=history.copilot.knowledge(),
            window_open=history.window(conversation_id).open,
            language=language_of(" ".join(customer)) or "pt",
        )
        return Conversation(conversation_id, customer, context)

    # -- suggesting ---------------------------------------------------------------------

    async def suggest(
        self, conversation_id: int, engine: EngineChoice = "auto"
    ) -> AsyncIterator[Update]:
        """The bar's suggestions for a conversation, as they improve; the last is ``done``.

        Cancelling the consuming task stops the model's stream at once
        (switching conversation does that); a consumer that stops early
        should close the generator (``contextlib.aclosing``) for the same.
        """
        seen = await asyncio.to_thread(self.read, conversation_id)
        self._asked[conversation_id] = seen
        if not seen.customer_messages:
            yield Update(done=True)
            return
        if not seen.context.window_open:
            yield await self._template_update(seen)
            return
        local: list[Suggestion] = []
        notice: str | None = None
        if engine in ("auto", "local"):
            if seen.context.language == "pt" or engine == "local":
                local = await asyncio.to_thread(
                    self.local.suggest, seen.customer_messages, _first_name(seen)
                )
            else:
                notice = OTHER_LANGUAGE
        model_settings = self._settings() if self._model_enabled() else None
        if engine == "local" or (engine == "auto" and model_settings is None):
            yield Update(local, notice, done=True)
            return
        if model_settings is None:
            yield Update([], NO_MODEL, done=True, failed=True)
            return
        if local:
            yield Update(local)
        from_model: list[Suggestion] = []
        stream = self._model_engine(model_settings).suggest(
            seen.context, self._vault(conversation_id)
        )
        try:
            # aclosing: a consumer that stops early (or is cancelled) closes the
            # model's stream now, on this loop, not at garbage collection.
            async with aclosing(stream):
                async for suggestion in stream:
                    from_model.append(suggestion)
                    yield Update(_merge(from_model, local))
        except CopilotError as exc:
            log.warning("copilot model failed: %s", exc.kind)
            yield Update(local, exc.sentence, done=True, failed=True)
            return
        finally:
            self._remember_request()
        if not from_model:
            yield Update(local, CopilotError("unparseable").sentence, done=True, failed=True)
            return
        yield Update(_merge(from_model, local), done=True)

    async def _template_update(self, seen: Conversation) -> Update:
        """With the window closed: the approved template that best fits what the customer said."""
        templates: list[dict[str, Any]] = []
        if self._templates is not None:
            try:
                templates = await self._templates()
            except Exception as exc:  # the relay unreachable: no template, no crash
                log.warning("copilot could not list templates: %s", type(exc).__name__)
        best = self.local.best_template(seen.customer_messages, templates) if templates else None
        if best is None:
            return Update(done=True)
        suggestion = Suggestion(
            text=body_text(best),
            engine="local",
            source="template",
            score=1.0,
            template=str(best.get("name") or ""),
            key=f"template:{best.get('name')}",
        )
        return Update([suggestion], done=True)

    # -- on demand: rewrite, summary, translation ----------------------------------------

    async def rewrite(self, conversation_id: int, draft: str, style: str) -> str:
        """The draft rewritten ("formal", "friendly", "shorter", "fix"); raises CopilotError."""
        seen = await asyncio.to_thread(self.read, conversation_id)
        engine = self._require_model()
        try:
            return await engine.rewrite(draft, style, seen.context, self._vault(conversation_id))
        finally:
            self._remember_request()

    async def summarise(self, conversation_id: int) -> str:
        """A summary of the conversation for a colleague taking it over; raises CopilotError."""
        seen = await asyncio.to_thread(self.read, conversation_id)
        engine = self._require_model()
        try:
            return await engine.summarise(seen.context, self._vault(conversation_id))
        finally:
            self._remember_request()

    async def translate(self, conversation_id: int, text: str) -> str:
        """A customer's message in Portuguese; raises CopilotError."""
        engine = self._require_model()
        try:
            return await engine.translate(text, self._vault(conversation_id))
        finally:
            self._remember_request()

    async def test_connection(self) -> str:
        """One sentence: the model answered (and how fast), or why it did not."""
        settings = self._settings()
        if settings is None:
            return NO_MODEL
        try:
            return await self._model_engine(settings).test_connection()
        finally:
            self._remember_request()

    # -- learning -----------------------------------------------------------------------

    def shown(self, conversation_id: int, suggestions: Sequence[Suggestion]) -> None:
        """The bar put these on screen (an earlier set there, unused, counts as ignored)."""
        self._keep(self.tracker.shown(conversation_id, suggestions, time.time()))

    def inserted(self, conversation_id: int, suggestion: Suggestion) -> None:
        """The attendant clicked this one into the composer."""
        self.tracker.inserted(conversation_id, suggestion)

    def sent(self, conversation_id: int, text: str) -> str | None:
        """The attendant sent ``text``: settle what became of the suggestions shown.

        Returns a reply worth saving as a quick reply when the attendant has
        now typed nearly the same text several times (``None`` otherwise).
        """
        self._keep(self.tracker.sent(conversation_id, text))
        with self._learned_lock:
            self._learned[conversation_id] = time.time()
        seen = self._asked.pop(conversation_id, None)
        if seen is not None and seen.customer_messages:
            self.local.add_exchange(
                seen.customer_messages,
                text,
                conversation_id=conversation_id,
                contact_name=seen.context.customer_name,
            )
        quick = {t for _, t in self.history.quick_replies()}
        return self.tracker.repeated(text, quick)

    def learn_from_sync(self, message_ids: Sequence[int]) -> int:
        """Replies among these new messages (a colleague's, sent from another PC) join the index.

        Each is paired with what the customer wrote before it, as the build
        pairs them, so the team's answers are suggested from the moment they
        arrive instead of from the next start. Blocking reads: call it from
        a worker thread. Returns how many exchanges were added.
        """
        added = set(message_ids)
        answered = sorted(self.history.reader.conversations_answered_in(added))
        learned = 0
        for conversation_id in answered[-LEARN_CONVERSATIONS:]:
            rows = self.history.messages(conversation_id, limit=LEARN_MESSAGES)
            # The runs these messages start: a pair's time is its reply's first message.
            starts = {
                float(m.get("timestamp") or 0.0)
                for m in rows
                if m["id"] in added and m["direction"] == "out"
            }
            for pair in self._pairs(conversation_id, rows):
                with self._learned_lock:
                    if pair.timestamp not in starts or pair.timestamp <= self._learned.get(
                        conversation_id, float("-inf")
                    ):
                        continue
                    self._learned[conversation_id] = pair.timestamp
                self.local.add_pair(pair)
                learned += 1
        return learned

    def _pairs(self, conversation_id: int, rows: Sequence[Mapping[str, Any]]) -> list[Pair]:
        listed = self.history.conversations(ids=[conversation_id], limit=1)
        name = str(listed[0].get("name") or "") if listed else ""
        return pairs_of(rows, conversation_id, name or None)

    def quick_replies_changed(self, replies: Sequence[tuple[str, str]]) -> None:
        """The team edited its quick replies (shortcut, text): the local engine follows."""
        self.local.set_quick_replies(replies)

    def forget(self, conversation_id: int) -> None:
        """Drop a conversation's placeholders (an erased contact, a closed profile)."""
        self._vaults.pop(conversation_id, None)
        self._asked.pop(conversation_id, None)

    async def aclose(self) -> None:
        """Close the model engines' connections (the window or the command is ending)."""
        engines = [*self._retired, *([self._model] if self._model is not None else [])]
        self._retired, self._model, self._model_for = [], None, None
        for engine in engines:
            await engine.aclose()

    def _keep(self, settled: list[Any]) -> None:
        if not settled:
            return
        for item in settled:
            if item.engine == "local":
                self.local.record(item.key, item.outcome)
        try:
            self.history.copilot.record(settled)
        except Exception as exc:  # the history refusing a write must not lose the send
            log.warning("copilot outcomes not kept: %s", type(exc).__name__)

    # -- the model engine ---------------------------------------------------------------

    def _model_engine(self, settings: ModelSettings) -> ModelEngine:
        if self._model is None or self._model_for != settings:
            if self._model is not None:
                self._retired.append(self._model)
            self._model = ModelEngine(settings)
            self._model_for = settings
        return self._model

    def _require_model(self) -> ModelEngine:
        settings = self._settings() if self._model_enabled() else None
        if settings is None:
            raise CopilotError("config", NO_MODEL)
        return self._model_engine(settings)

    def _vault(self, conversation_id: int) -> Vault:
        vault = self._vaults.get(conversation_id)
        if vault is None:
            vault = self._vaults[conversation_id] = Vault()
        return vault

    def _remember_request(self) -> None:
        if self._model is not None and self._model.last_request is not None:
            self.last_request = self._model.last_request


def _first_name(seen: Conversation) -> str | None:
    name = (seen.context.customer_name or "").strip()
    return name.split()[0] if name else None


def _merge(from_model: list[Suggestion], local: list[Suggestion]) -> list[Suggestion]:
    """The model's suggestions first, then the local ones, near-duplicates collapsed."""
    ranked = [replace(s, score=1000.0 - i) for i, s in enumerate(from_model)]
    ranked += [replace(s, score=float(-i)) for i, s in enumerate(local)]
    return collapse(ranked)[:MAX_SUGGESTIONS]


async def suggest_once(
    copilot: Copilot, conversation_id: int, engine: EngineChoice = "auto"
) -> Update:
    """The last update of a request: what the bar shows once everything has arrived."""
    final = Update(done=True)
    try:
        async with aclosing(copilot.suggest(conversation_id, engine)) as updates:
            async for update in updates:
                final = update
    finally:
        await copilot.aclose()
    return final
