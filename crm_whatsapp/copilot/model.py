"""The model engine: three suggestions from any OpenAI-compatible server, personal data kept here.

One streamed request asks for all three (Ollama and llama.cpp ignore or
refuse ``n``), and each suggestion is handed on as soon as its string closes
in the stream, so the first one shows while the model writes the others.
Servers differ in what structured output they take, so the request asks for
``response_format`` with a JSON schema, falls back to ``json_object`` and
then to none, and reads the answer tolerantly (a JSON object anywhere in the
text, a code fence, numbered lines); which of the three a server took is
remembered for the rest of the session.

Before anything is sent, :mod:`crm_whatsapp.copilot.prompt` redacts the
request through the conversation's vault (when the office has redaction
on); if redaction cannot run, nothing is sent. ``last_request`` keeps the
exact body that left, for the "O que sai deste computador" panel.

Retries are this module's, not the ``openai`` package's (its ``max_retries``
is 0 here): the package also retries timeouts, so a dead server cost three
times the timeout, and it sleeps through a ``Retry-After`` of up to two
minutes while the attendant waits. Here 429 and 5xx are retried at most
twice, honouring ``Retry-After``, and only within the settings' timeout;
past it, the attendant gets one Portuguese sentence and the local
suggestions stay on screen. Failures are logged by kind only, never with the
prompt or the answer.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

from crm_whatsapp.copilot.endpoint import ModelSettings
from crm_whatsapp.copilot.prompt import (
    Context,
    Message,
    RewriteStyle,
    rewrite_messages,
    suggestion_messages,
    summary_messages,
    translation_messages,
)
from crm_whatsapp.copilot.redaction import RedactionError, StreamRestorer, Vault, restore
from crm_whatsapp.copilot.suggestions import MAX_SUGGESTIONS, Suggestion


class _Deferred:
    """A module imported on first use, not when the window starts.

    ``openai`` takes 0.36 s to import; the first model request pays it
    instead of every start (most offices run the local engine only).
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)


if TYPE_CHECKING:
    import openai
else:
    openai = _Deferred("openai")

_log = logging.getLogger(__name__)

ErrorKind = Literal[
    "auth", "quota", "unreachable", "timeout", "unparseable", "refused", "redaction", "config"
]
Mode = Literal["json_schema", "json_object", "text"]
MODES: Final[tuple[Mode, ...]] = ("json_schema", "json_object", "text")

MAX_RETRIES: Final = 2
INITIAL_BACKOFF: Final = 0.5
# Connecting should not eat the whole budget of a slow model.
CONNECT_TIMEOUT: Final = 5.0

SUGGESTIONS_SCHEMA: Final[dict[str, Any]] = {
    "type": "json_schema",
    "json_schema": {
        "name": "suggestions",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"suggestions": {"type": "array", "items": {"type": "string"}}},
            "required": ["suggestions"],
            "additionalProperties": False,
        },
    },
}
_RESPONSE_FORMATS: Final[dict[Mode, dict[str, Any] | None]] = {
    "json_schema": SUGGESTIONS_SCHEMA,
    "json_object": {"type": "json_object"},
    "text": None,
}

# The mode each base URL took, for this session: a refused json_schema costs one round trip once.
_working_modes: dict[str, Mode] = {}

_SENTENCES: Final[dict[ErrorKind, str]] = {
    "auth": "A chave da API do Copilot foi recusada — confira nas configurações.",
    "quota": "O servidor do modelo recusou por excesso de pedidos (429) — tente de novo "
    "em instantes.",
    "unreachable": "Não foi possível falar com o servidor do modelo — confira o endereço nas "
    "configurações e a rede.",
    "timeout": "O modelo não respondeu a tempo — confira se o servidor está no ar ou tente "
    "de novo.",
    "unparseable": "O modelo respondeu num formato que o Copilot não entendeu — tente de novo "
    "ou escolha outro modelo.",
    "refused": "O servidor do modelo recusou o pedido — confira o modelo nas configurações.",
    "redaction": "Os dados pessoais da conversa não puderam ser protegidos, por isso nada foi "
    "enviado ao modelo.",
    "config": "O Copilot não encontrou o modelo configurado — confira o endereço e o nome do "
    "modelo nas configurações.",
}


class CopilotError(Exception):
    """The model engine failed; ``sentence`` says why, in Portuguese, for the attendant."""

    def __init__(self, kind: ErrorKind, sentence: str | None = None) -> None:
        self.kind: ErrorKind = kind
        self.sentence = sentence or _SENTENCES[kind]
        super().__init__(self.sentence)


def _status_error(exc: openai.APIStatusError, settings: ModelSettings) -> CopilotError:
    status = exc.status_code
    if status in (401, 403):
        return CopilotError(
            "auth",
            f"A chave da API do Copilot foi recusada ({status}) — confira nas configurações.",
        )
    if status == 429:
        if exc.code == "insufficient_quota":
            return CopilotError(
                "quota",
                "A cota da conta do modelo acabou (429) — confira o plano ou os créditos da conta.",
            )
        return CopilotError("quota")
    if status == 404:
        return CopilotError(
            "config",
            f"O servidor não encontrou o modelo “{settings.model}” (404) — confira o nome do "
            "modelo e o endereço nas configurações.",
        )
    if status >= 500:
        return CopilotError(
            "unreachable", f"O servidor do modelo falhou ({status}) — tente de novo em instantes."
        )
    return CopilotError(
        "refused",
        f"O servidor do modelo recusou o pedido ({status}) — confira o modelo nas configurações.",
    )


def _failure(exc: BaseException, settings: ModelSettings) -> CopilotError:
    """The attendant's sentence for ``exc``, logged by kind (never with text)."""
    status = ""
    if isinstance(exc, CopilotError):
        error = exc
    elif isinstance(exc, RedactionError):
        error = CopilotError("redaction")
    elif isinstance(exc, openai.APITimeoutError | TimeoutError):
        error = CopilotError(
            "timeout",
            f"O modelo não respondeu em {settings.timeout:g} s — confira se o servidor está no "
            "ar ou tente de novo.",
        )
    elif isinstance(exc, openai.APIStatusError):
        error = _status_error(exc, settings)
        status = f" (HTTP {exc.status_code})"
    elif isinstance(exc, openai.APIConnectionError):
        error = CopilotError("unreachable")
    else:
        error = CopilotError("unparseable")
    _log.warning("copilot model request failed: %s%s", error.kind, status)
    return error


def _retry_delay(headers: Mapping[str, str], attempt: int) -> float:
    """Seconds to wait before retrying: the server's ``Retry-After``, else exponential backoff."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            pass
        if name == "retry-after":  # an HTTP date
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                continue
            return max(0.0, when.timestamp() - time.time())
    return INITIAL_BACKOFF * 2**attempt


_FORMAT_WORDS: Final = ("response_format", "response format", "json_schema", "json_object")


def _refuses_format(exc: openai.APIStatusError) -> bool:
    """Whether a 400/422 is the server refusing ``response_format`` rather than the request."""
    if exc.param == "response_format":
        return True
    said = str(exc.message).lower()
    return any(word in said for word in _FORMAT_WORDS)


# ---------------------------------------------------------------------------------------------
# Reading the answer


_ARRAY_START: Final = re.compile(r'"(?:suggestions|sugest(?:õ|o)es)"\s*:\s*\[', re.IGNORECASE)
_FENCE: Final = re.compile(r"```[\w-]*\s*\n?(.*?)(?:```|\Z)", re.DOTALL)
_LISTED: Final = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+(.+?)\s*$", re.MULTILINE)
# "**Próximo passo:** …" -> "…" (a bold label, not bold text the reply starts with).
_BOLD_LABEL: Final = re.compile(r"^\*\*[^*]{1,40}\*\*:\s*|^\*\*[^*]{1,40}:\*\*\s*")
_ITEM_KEYS: Final = ("text", "texto", "reply", "resposta", "sugestao", "sugestão", "content")
_LIST_KEYS: Final = ("suggestions", "sugestoes", "sugestões", "replies", "respostas")
_QUOTES: Final = "\"'“”‘’"


def _string_end(text: str, start: int) -> int | None:
    """Index just past the JSON string opening at ``start``, or None while it is still open."""
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == '"':
            return i + 1
        i += 1
    return None


def _decode_string(literal: str) -> str:
    try:
        value = json.loads(literal, strict=False)
    except ValueError:
        return literal[1:-1]
    return value if isinstance(value, str) else literal[1:-1]


class SuggestionScanner:
    """The strings of the answer's ``"suggestions"`` array, each as soon as it closes.

    Fed the streamed pieces of the answer; stops at the first item that is
    not a string (a model that wrote objects): :func:`parse_suggestions`
    reads the whole answer at the end for those.
    """

    def __init__(self) -> None:
        self.text = ""
        self._cursor: int | None = None
        self._stopped = False

    def feed(self, piece: str) -> list[str]:
        """The strings completed by ``piece``, in order."""
        self.text += piece
        if self._stopped:
            return []
        if self._cursor is None:
            start = _ARRAY_START.search(self.text)
            if start is None:
                return []
            self._cursor = start.end()
        found: list[str] = []
        text = self.text
        while True:
            i = self._cursor
            while i < len(text) and text[i] in " \t\r\n,":
                i += 1
            if i >= len(text):
                break
            if text[i] != '"':
                self._stopped = True
                break
            end = _string_end(text, i)
            if end is None:
                break
            found.append(_decode_string(text[i:end]))
            self._cursor = end
        return found


def _first_json(text: str) -> object | None:
    """The whole text as JSON, else the first object or array found inside it."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    decoder = json.JSONDecoder(strict=False)
    for tries, match in enumerate(re.finditer(r"[{\[]", text)):
        if tries >= 50:
            break
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict | list):
            return value
    return None


def _item_text(item: object) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in _ITEM_KEYS:
            if isinstance(item.get(key), str):
                return item[key]
        return next((v for v in item.values() if isinstance(v, str)), None)
    return None


def _json_items(data: object) -> list[str] | None:
    if isinstance(data, dict):
        found = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        if found is None:
            found = next((v for v in data.values() if isinstance(v, list)), None)
        data = found
    if not isinstance(data, list):
        return None
    return [t for t in (_item_text(item) for item in data) if t is not None]


def _tidy(text: str) -> str:
    text = _BOLD_LABEL.sub("", text.strip()).strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def parse_suggestions(answer: str) -> list[str]:
    """The suggestions in a whole answer, however the model wrote them; [] if none can be read.

    A JSON object (or array) anywhere in the text, inside a code fence or
    not; else numbered or bulleted lines; else up to three plain paragraphs.
    Broken JSON is not guessed at.
    """
    fenced = _FENCE.search(answer)
    body = fenced[1] if fenced else answer
    data = _first_json(body)
    if data is not None:
        items = _json_items(data)
        if items is not None:
            return [t for t in map(_tidy, items) if t]
    listed = [t for t in map(_tidy, _LISTED.findall(body)) if t]
    if listed:
        return listed
    if "{" in body or "[" in body.lstrip()[:1]:
        return []
    paragraphs = [t for t in map(_tidy, re.split(r"\n\s*\n", body)) if t]
    return paragraphs if len(paragraphs) <= MAX_SUGGESTIONS else []


def _tidy_text(answer: str) -> str:
    """A rewrite, summary or translation without the fence or quotes a model may wrap it in."""
    fenced = _FENCE.fullmatch(answer.strip())
    return _tidy(fenced[1] if fenced else answer)


# ---------------------------------------------------------------------------------------------
# The engine


class ModelEngine:
    """Suggestions, rewrites, summaries and translations from one OpenAI-compatible model.

    Use as ``async with ModelEngine(settings) as engine:`` (or call
    :meth:`aclose`) so its connections close with it. Consume
    :meth:`suggest` with ``contextlib.aclosing`` or from a task that gets
    cancelled: either way the stream closes at once.
    """

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings
        self.last_request: dict[str, Any] | None = None
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key,
            base_url=settings.base_url,
            timeout=openai.Timeout(
                settings.timeout, connect=min(CONNECT_TIMEOUT, settings.timeout)
            ),
            max_retries=0,
        )

    async def __aenter__(self) -> ModelEngine:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Closes the connections to the server."""
        await self._client.close()

    # -- requests ----------------------------------------------------------------------------

    def _messages(self, build: Callable[..., list[Message]], *args: Any) -> list[Message]:
        """Builds a request, redacted through the vault (last of ``args``) when redaction is on."""
        *rest, vault = args
        try:
            return build(*rest, vault if self.settings.redact else None)
        except RedactionError as exc:
            raise _failure(exc, self.settings) from exc

    async def _start(self, body: dict[str, Any]) -> Any:
        """Sends ``body``, retrying 429 and 5xx within the settings' timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout
        attempt = 0
        while True:
            self.last_request = body
            try:
                async with asyncio.timeout_at(deadline):
                    return await self._client.chat.completions.create(**body)
            except (openai.RateLimitError, openai.InternalServerError) as exc:
                delay = _retry_delay(exc.response.headers, attempt)
                if (
                    attempt >= MAX_RETRIES
                    or exc.code == "insufficient_quota"
                    or loop.time() + delay >= deadline
                ):
                    raise
                _log.info("copilot model busy (HTTP %d); retrying", exc.status_code)
                await asyncio.sleep(delay)
                attempt += 1

    async def _open_suggestions(self, messages: list[Message]) -> Any:
        """The streamed answer, in the first response format the server accepts."""
        base = self.settings.base_url
        first = MODES.index(_working_modes.get(base, MODES[0]))
        for mode in MODES[first:]:
            body: dict[str, Any] = {
                "model": self.settings.model,
                "messages": messages,
                "stream": True,
            }
            response_format = _RESPONSE_FORMATS[mode]
            if response_format is not None:
                body["response_format"] = response_format
            try:
                stream = await self._start(body)
            except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
                if mode == MODES[-1] or not _refuses_format(exc):
                    raise
                _log.info("copilot model server refused response format %s", mode)
                continue
            _working_modes[base] = mode
            return stream
        raise AssertionError("the last mode re-raises")  # pragma: no cover

    def _suggestion(self, text: str, shown: list[str], vault: Vault) -> Suggestion | None:
        text = restore(text, vault).strip()
        if not text or text in shown or len(shown) >= MAX_SUGGESTIONS:
            return None
        position = len(shown)
        shown.append(text)
        return Suggestion(
            text=text,
            engine="model",
            source="model",
            score=float(MAX_SUGGESTIONS - position),
            key=f"model:{position}",
        )

    async def suggest(self, context: Context, vault: Vault) -> AsyncIterator[Suggestion]:
        """Up to three suggestions, best first, each as soon as the stream completes it.

        The stream is read to its end even after the third (it ends right
        after it): a response closed early cannot leave its connection in
        the pool, and a new TLS connection costs the next suggestion more.
        Raises :class:`CopilotError` on failure, ``unparseable`` when the
        answer held no suggestion at all.
        """
        messages = self._messages(suggestion_messages, context, vault)
        scanner = SuggestionScanner()
        shown: list[str] = []
        streamed = 0
        finish: str | None = None
        try:
            stream = await self._open_suggestions(messages)
            async with stream:
                async for chunk in stream:
                    for choice in chunk.choices:
                        finish = choice.finish_reason or finish
                        for text in scanner.feed(choice.delta.content or ""):
                            streamed += 1
                            suggestion = self._suggestion(text, shown, vault)
                            if suggestion is not None:
                                yield suggestion
        except (openai.APIError, TimeoutError) as exc:
            raise _failure(exc, self.settings) from exc
        late = parse_suggestions(scanner.text)[streamed:] if len(shown) < MAX_SUGGESTIONS else []
        for text in late:
            suggestion = self._suggestion(text, shown, vault)
            if suggestion is not None:
                yield suggestion
        if not shown:
            kind: ErrorKind = "refused" if finish == "content_filter" else "unparseable"
            raise _failure(CopilotError(kind), self.settings)

    async def _text(self, messages: list[Message], vault: Vault) -> str:
        """A plain-text answer, streamed (so only the pause between pieces is timed), restored."""
        body = {"model": self.settings.model, "messages": messages, "stream": True}
        restorer = StreamRestorer(vault)
        pieces: list[str] = []
        try:
            stream = await self._start(body)
            async with stream:
                async for chunk in stream:
                    for choice in chunk.choices:
                        pieces.append(restorer.feed(choice.delta.content or ""))
        except (openai.APIError, TimeoutError) as exc:
            raise _failure(exc, self.settings) from exc
        pieces.append(restorer.flush())
        text = _tidy_text("".join(pieces))
        if not text:
            raise _failure(CopilotError("unparseable"), self.settings)
        return text

    async def rewrite(self, draft: str, style: RewriteStyle, context: Context, vault: Vault) -> str:
        """The attendant's draft rewritten: ``formal``, ``friendly``, ``shorter`` or ``fix``."""
        messages = self._messages(rewrite_messages, draft, style, context, vault)
        return await self._text(messages, vault)

    async def summarise(self, context: Context, vault: Vault) -> str:
        """The conversation in a few points, in Portuguese, for a transfer."""
        return await self._text(self._messages(summary_messages, context, vault), vault)

    async def translate(self, text: str, vault: Vault) -> str:
        """A customer's message in Portuguese."""
        return await self._text(self._messages(translation_messages, text, vault), vault)

    async def test_connection(self) -> str:
        """One sentence for the settings page's "testar conexão": the answer time, or why not."""
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": [{"role": "user", "content": "Responda apenas: ok"}],
        }
        started = time.perf_counter()
        try:
            await self._start(body)
        except (openai.APIError, TimeoutError) as exc:
            return _failure(exc, self.settings).sentence
        elapsed = round((time.perf_counter() - started) * 1000)
        return f"Conectado: modelo {self.settings.model} respondeu em {elapsed} ms."
