"""Everything a CRM plugin author needs, in one module: subclass :class:`Plugin`.

A plugin is a class registered under the entry-point group
``crm_whatsapp.plugins`` (the built-ins in ``plugins/`` register the same way)::

    [project.entry-points."crm_whatsapp.plugins"]
    meucrm = "meucrm_plugin:MeuCRM"

The inbox creates one instance per profile with a :class:`Context` holding
the plugin's own settings (secret ones read from the OS keyring) and nothing
else: a plugin never receives the relay token or the history key. Each
plugin runs on its own thread with its own event loop, every call bounded
by a timeout, so one that raises, hangs or blocks shows its error in its own
card and the inbox goes on. What a plugin can do is what it overrides:
``lookup`` (the contact card beside the chat), ``create_contact``,
``create_lead``, ``log_conversation``, ``on_event``.

Errors a person should read are :class:`PluginError` with one Portuguese
sentence; anything else a plugin raises is shown as "o plugin falhou" and
logged by type only (a CRM's answer may carry customer data). :class:`Http`
is the HTTP client the built-ins share: ``base_url`` from settings, 429 and
503 retried after ``Retry-After`` within the call's time, 401/403 turned into
"reconnect" sentences. Phones: :func:`same_phone` is the matching rule (the
ninth digit both ways, +55 or not, never another area code) and
:func:`phone_variants` the forms worth asking a CRM that matches stored text.
``docs/plugins.md`` walks through a complete example.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Literal

import httpx

from crm_whatsapp.store.phones import normalised_phone, phone_variants, same_phone

__all__ = [
    "API_VERSION",
    "Capability",
    "Card",
    "Context",
    "Created",
    "Customer",
    "Deal",
    "Event",
    "Http",
    "Plugin",
    "PluginError",
    "Setting",
    "Transcript",
    "json_array",
    "json_object",
    "normalised_phone",
    "phone_variants",
    "plain_text",
    "retry_after",
    "same_phone",
]

API_VERSION: Final = 1

Capability = Literal["lookup", "create_contact", "create_lead", "log_conversation", "on_event"]
CAPABILITIES: Final[tuple[Capability, ...]] = (
    "lookup",
    "create_contact",
    "create_lead",
    "log_conversation",
    "on_event",
)
ErrorKind = Literal["auth", "unreachable", "timeout", "rate_limited", "refused", "answer", "broken"]


@dataclass(frozen=True)
class Setting:
    """One field of the plugin's settings page (and of ``crm-whatsapp plugins set``).

    ``secret`` values go to the OS keyring, never to a settings file.
    """

    key: str
    label: str
    secret: bool = False
    default: str = ""
    help: str = ""
    required: bool = False


@dataclass(frozen=True)
class Customer:
    """Who the conversation is with: the WhatsApp number (digits, as Meta sends it) and name."""

    phone: str
    name: str = ""


@dataclass(frozen=True)
class Deal:
    """An open deal or lead on the card: stage and value as the CRM shows them."""

    title: str
    stage: str = ""
    value: float | None = None
    currency: str = "BRL"
    url: str = ""


@dataclass(frozen=True)
class Card:
    """What the side panel shows for a customer, as data (the panel draws every plugin alike).

    ``record_id`` is the CRM's id of the record, handed back to the plugin's
    actions; ``fields`` are extra label → value pairs (custom fields).
    Everything is shown as plain text.
    """

    record_id: str
    name: str = ""
    phones: tuple[str, ...] = ()
    email: str = ""
    company: str = ""
    owner: str = ""
    url: str = ""
    deals: tuple[Deal, ...] = ()
    last_activity: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Created:
    """A record an action made in the CRM: its id and the web address to open it."""

    kind: Literal["contact", "lead", "deal", "note", "activity"]
    id: str
    url: str = ""


@dataclass(frozen=True)
class Transcript:
    """A conversation as text for a CRM note: ``(when, who, text)`` lines, oldest first."""

    customer: Customer
    lines: tuple[tuple[float, str, str], ...]

    def as_text(self) -> str:
        """The note's body: one ``dd/mm/aaaa hh:mm — Quem: texto`` line per message."""
        out = [f"Conversa no WhatsApp com {self.customer.name or '+' + self.customer.phone}"]
        for when, who, text in self.lines:
            stamp = time.strftime("%d/%m/%Y %H:%M", time.localtime(when))
            out.append(f"{stamp} — {who}: {text}")
        return "\n".join(out)


@dataclass(frozen=True)
class Event:
    """Something that happened in the inbox, for plugins that react (``on_event``)."""

    kind: Literal["conversation_started", "message_sent", "conversation_resolved"]
    customer: Customer
    text: str = ""
    attendant: str = ""


class PluginError(Exception):
    """A failure the attendant reads: ``str()`` is one Portuguese sentence."""

    def __init__(self, kind: ErrorKind, sentence: str) -> None:
        super().__init__(sentence)
        self.kind: ErrorKind = kind


@dataclass(frozen=True)
class Context:
    """What the inbox gives a plugin: its own settings, nothing of the office's secrets."""

    settings: Mapping[str, str]
    timeout: float = 8.0

    def get(self, key: str, default: str = "") -> str:
        """One setting, stripped ("" or ``default`` when blank)."""
        return (self.settings.get(key) or "").strip() or default


class Plugin:
    """Base class of every plugin: set the class attributes, override what the CRM can do.

    The host calls the coroutines on the plugin's own event loop; they may
    take their time (each is bounded by the host's timeout and cancelled
    when the attendant moves on), and must not keep state across profiles.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    settings: ClassVar[tuple[Setting, ...]] = ()

    def __init__(self, context: Context) -> None:
        self.context = context

    @classmethod
    def capabilities(cls) -> frozenset[Capability]:
        """What this plugin does: the methods it overrides."""
        return frozenset(c for c in CAPABILITIES if getattr(cls, c) is not getattr(Plugin, c))

    async def lookup(self, customer: Customer) -> Card | None:
        """The customer's card, or None when the CRM has nobody with this number."""
        raise NotImplementedError

    async def create_contact(self, customer: Customer) -> Created:
        """A contact for a customer the CRM does not know (name and number filled in)."""
        raise NotImplementedError

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        """A lead or deal for the customer (``card`` is theirs when the CRM knows them)."""
        raise NotImplementedError

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        """The conversation recorded on the customer's record, as a note or activity."""
        raise NotImplementedError

    async def on_event(self, event: Event) -> None:
        """React to something in the inbox (the default does nothing)."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release connections (the profile closes or the plugin is disabled)."""

    @classmethod
    def card_widget(cls, card: Card, parent: Any) -> Any:
        """An optional widget of your own drawn under the card's data (None: the data alone).

        Called on the window's thread with a ``QWidget`` parent, so it must be
        quick and must not do I/O: build it from ``card`` (put what you need
        in ``card.fields``). What it shows from the CRM must be plain text.
        A widget that fails to build is left out and the card stays.
        """
        return None


# -- reading what a CRM answered ------------------------------------------------------------


def json_object(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else empty (CRMs leave keys out or send null)."""
    return value if isinstance(value, dict) else {}


def json_array(value: Any) -> list[Any]:
    """``value`` when it is a JSON array, else empty."""
    return value if isinstance(value, list) else []


def plain_text(value: Any) -> str:
    """A value from the CRM as stripped plain text ("" for null)."""
    return "" if value is None else str(value).strip()


# -- HTTP, shared by the built-ins ----------------------------------------------------------

RETRY_STATUSES: Final = frozenset({429, 503})
MAX_RETRIES: Final = 2


def retry_after(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds ``Retry-After`` asks to wait (a number or an HTTP date); None when absent."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


class Http:
    """An ``httpx.AsyncClient`` for one CRM that speaks to the attendant in sentences.

    ``vendor`` names the CRM in the sentences ("O RD Station CRM recusou o
    token…"); ``statuses`` gives a vendor's own sentence for a status (checked
    first, after rate-limit retries). A 429 or 503 is retried at most twice after its
    ``Retry-After`` when that fits in ``budget`` seconds; otherwise the call
    fails with a "limite" sentence at once rather than freezing a card.
    """

    def __init__(
        self,
        vendor: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        timeout: float = 8.0,
        budget: float = 8.0,
        statuses: Mapping[int, tuple[ErrorKind, str]] | None = None,
        rate_limit: Callable[[httpx.Response], float | None] | None = None,
    ) -> None:
        self.vendor = vendor
        self.budget = budget
        # The vendor's own meaning of a status, said better than the generic sentence
        # (Kommo's 402: the subscription lapsed).
        self.statuses = dict(statuses or {})
        # A vendor's reading of its 429 (run before any retry): the seconds to wait
        # (None: one second), or a PluginError raised for a limit not worth waiting for.
        self.rate_limit = rate_limit
        self.client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            headers={"Accept": "application/json", **(headers or {})},
            params=dict(params or {}),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            follow_redirects=False,
        )

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send, retrying rate limits within the budget; an error status is a PluginError."""
        deadline = time.monotonic() + self.budget
        for attempt in range(MAX_RETRIES + 1):
            try:
                response = await self.client.request(method, url, params=params, json=json)
            except httpx.TimeoutException as exc:
                raise PluginError(
                    "timeout", f"O {self.vendor} demorou demais para responder; tente de novo."
                ) from exc
            except httpx.HTTPError as exc:
                raise PluginError(
                    "unreachable",
                    f"Não foi possível falar com o {self.vendor}; confira a internet e o endereço.",
                ) from exc
            if response.status_code not in RETRY_STATUSES:
                break
            wait = retry_after(response)
            if response.status_code == 429 and self.rate_limit is not None:
                wait = self.rate_limit(response)  # may raise: a limit not worth waiting for
            wait = 1.0 if wait is None else wait
            if attempt == MAX_RETRIES or time.monotonic() + wait > deadline:
                raise PluginError(
                    "rate_limited",
                    f"O {self.vendor} pediu uma pausa nas consultas (limite de uso); "
                    "tente de novo mais tarde.",
                )
            await asyncio.sleep(wait)
        status = response.status_code
        if status in self.statuses:
            kind, sentence = self.statuses[status]
            raise PluginError(kind, sentence)
        if status in (401, 403):
            raise PluginError(
                "auth",
                f"O {self.vendor} recusou o acesso: o token expirou ou foi revogado; "
                "reconecte o plugin nas configurações.",
            )
        if status >= 500:
            raise PluginError(
                "unreachable", f"O {self.vendor} está com problemas agora (erro {status})."
            )
        if status >= 400 and status != 404:
            raise PluginError("refused", f"O {self.vendor} recusou o pedido (erro {status}).")
        return response

    async def json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """The answer's JSON (None for 204 and 404); an unreadable answer is a PluginError."""
        response = await self.request(method, url, params=params, json=json)
        if response.status_code in (204, 404) or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise PluginError(
                "answer", f"O {self.vendor} respondeu algo que não é JSON (erro de integração)."
            ) from exc

    async def aclose(self) -> None:
        """Close the connections."""
        await self.client.aclose()
