"""Running the enabled plugins so none of them can stall the inbox.

Each plugin lives on its own thread with its own asyncio loop: a plugin
that blocks (a synchronous HTTP call, a ``time.sleep``) blocks only its
thread. The window's loop awaits each call through a future with a
timeout; past it the call is cancelled on the plugin's loop and the card
says the plugin did not answer. Lookups are cached per plugin and number
for ``ttl`` seconds (a conversation opened twice in a minute asks once),
failures are not. Errors come back as one sentence per plugin; what a
plugin raised is logged by type only (a CRM's answer may hold customer
data).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from crm_whatsapp.plugin_api import (
    Capability,
    Card,
    Context,
    Created,
    Customer,
    Event,
    Plugin,
    PluginError,
    Transcript,
)
from crm_whatsapp.store.phones import phone_key

DEFAULT_TIMEOUT = 8.0
DEFAULT_TTL = 60.0

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Enabled:
    """A plugin to run: its class and the settings it gets."""

    plugin: type[Plugin]
    settings: Mapping[str, str]

    @property
    def name(self) -> str:
        """The plugin's name (its entry point's)."""
        return self.plugin.name


@dataclass(frozen=True)
class CardResult:
    """One plugin's answer for a customer: a card, nobody (``card`` None), or an error sentence."""

    plugin: str
    title: str
    card: Card | None = None
    error: str = ""


@dataclass(frozen=True)
class ActionResult:
    """What one plugin made (``created``) or why it could not (``error``)."""

    plugin: str
    title: str
    created: Created | None = None
    error: str = ""


class _PluginThread:
    """A thread running one event loop, for one plugin's coroutines."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"plugin-{name}", daemon=True)
        self.thread.start()
        self._ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._ready.set)
        try:
            self.loop.run_forever()
        finally:
            self.loop.close()

    def submit(self, factory: Callable[[], Awaitable[T]]) -> concurrent.futures.Future[T]:
        async def run() -> T:
            return await factory()

        return asyncio.run_coroutine_threadsafe(run(), self.loop)

    def stop(self, wait: float) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(wait)  # a plugin stuck in a blocking call is left behind (daemon)


class _Running:
    """One enabled plugin: its thread, and its instance once made."""

    def __init__(self, enabled: Enabled, timeout: float) -> None:
        self.enabled = enabled
        self.thread = _PluginThread(enabled.name)
        self.timeout = timeout
        self.instance: Plugin | None = None

    async def instance_now(self) -> Plugin:
        if self.instance is None:
            context = Context(settings=dict(self.enabled.settings), timeout=self.timeout)
            cls = self.enabled.plugin

            async def make() -> Plugin:
                return cls(context)

            self.instance = await self.call(make)
        return self.instance

    async def call(self, factory: Callable[[], Awaitable[T]]) -> T:
        future = self.thread.submit(factory)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except BaseException:
            future.cancel()  # on the plugin's loop: its request stops there too
            raise


def _sentence(title: str, exc: BaseException, timeout: float) -> str:
    if isinstance(exc, PluginError):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return f"O plugin {title} não respondeu em {timeout:.0f} s."
    if isinstance(exc, NotImplementedError):
        return f"O plugin {title} não oferece esta ação."
    return f"O plugin {title} falhou; ele pode ser desativado nas configurações."


class PluginHost:
    """The enabled plugins of one profile, called off the window's loop with timeouts."""

    def __init__(
        self,
        plugins: Sequence[Enabled],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        ttl: float = DEFAULT_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.ttl = ttl
        self._clock = clock
        self._plugins = list(plugins)
        self._running: dict[str, _Running] = {}
        self._cache: dict[tuple[str, str], tuple[float, CardResult]] = {}

    @property
    def names(self) -> list[str]:
        """The enabled plugins' names, in order."""
        return [p.name for p in self._plugins]

    def can(self, capability: Capability) -> list[Enabled]:
        """The enabled plugins that offer ``capability``."""
        return [p for p in self._plugins if capability in p.plugin.capabilities()]

    def _run(self, enabled: Enabled) -> _Running:
        running = self._running.get(enabled.name)
        if running is None:
            running = self._running[enabled.name] = _Running(enabled, self.timeout)
        return running

    async def _call(self, enabled: Enabled, method: Callable[[Plugin], Awaitable[T]]) -> T:
        running = self._run(enabled)

        async def go() -> T:
            instance = await running.instance_now()
            return await running.call(lambda: method(instance))

        return await go()

    # -- cards --------------------------------------------------------------------------

    async def card(self, enabled: Enabled, customer: Customer) -> CardResult:
        """One plugin's card for the customer (cached for ``ttl`` when it answered)."""
        key = (enabled.name, phone_key(customer.phone))
        cached = self._cache.get(key)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        title = enabled.plugin.title or enabled.name
        try:
            card = await self._call(enabled, lambda p: p.lookup(customer))
        except asyncio.CancelledError:
            raise
        except BaseException as exc:
            self._log(enabled, "lookup", exc)
            return CardResult(enabled.name, title, error=_sentence(title, exc, self.timeout))
        result = CardResult(enabled.name, title, card)
        self._cache[key] = (self._clock() + self.ttl, result)
        return result

    async def cards(self, customer: Customer) -> AsyncIterator[CardResult]:
        """Every looking-up plugin's card as each comes (a slow one does not hold the others)."""
        tasks = [asyncio.ensure_future(self.card(p, customer)) for p in self.can("lookup")]
        try:
            for done in asyncio.as_completed(tasks):
                yield await done
        finally:
            for task in tasks:
                task.cancel()

    async def lookup(self, customer: Customer) -> list[CardResult]:
        """Every card, in the plugins' order."""
        return list(await asyncio.gather(*(self.card(p, customer) for p in self.can("lookup"))))

    def forget(self, phone: str) -> None:
        """Drop the cached cards of a number (a record was just created or changed)."""
        key = phone_key(phone)
        for cached in [k for k in self._cache if k[1] == key]:
            del self._cache[cached]

    # -- actions ------------------------------------------------------------------------

    async def _act(
        self,
        capability: Capability,
        customer: Customer,
        act: Callable[[Plugin, Card | None], Awaitable[Created]],
        only: str | None = None,
    ) -> list[ActionResult]:
        async def one(enabled: Enabled) -> ActionResult:
            title = enabled.plugin.title or enabled.name
            card: Card | None = None
            if "lookup" in enabled.plugin.capabilities():
                found = await self.card(enabled, customer)
                if found.error:
                    return ActionResult(enabled.name, title, error=found.error)
                card = found.card
            try:
                created = await self._call(enabled, lambda p: act(p, card))
            except asyncio.CancelledError:
                raise
            except BaseException as exc:
                self._log(enabled, capability, exc)
                return ActionResult(enabled.name, title, error=_sentence(title, exc, self.timeout))
            return ActionResult(enabled.name, title, created)

        chosen = [p for p in self.can(capability) if only is None or p.name == only]
        results = list(await asyncio.gather(*(one(p) for p in chosen)))
        self.forget(customer.phone)
        return results

    async def create_lead(
        self, customer: Customer, title: str, only: str | None = None
    ) -> list[ActionResult]:
        """A lead or deal in each plugin that makes them (or only in ``only``)."""
        return await self._act(
            "create_lead", customer, lambda p, card: p.create_lead(customer, title, card), only
        )

    async def create_contact(
        self, customer: Customer, only: str | None = None
    ) -> list[ActionResult]:
        """A contact for a customer the CRM does not know yet."""
        return await self._act(
            "create_contact", customer, lambda p, _card: p.create_contact(customer), only
        )

    async def log_conversation(
        self, transcript: Transcript, only: str | None = None
    ) -> list[ActionResult]:
        """The conversation recorded on the customer's record in each plugin that logs."""
        return await self._act(
            "log_conversation",
            transcript.customer,
            lambda p, card: p.log_conversation(transcript, card),
            only,
        )

    async def notify(self, event: Event) -> None:
        """Tell the plugins that react; failures are logged, never raised."""

        async def one(enabled: Enabled) -> None:
            try:
                await self._call(enabled, lambda p: p.on_event(event))
            except asyncio.CancelledError:
                raise
            except BaseException as exc:
                self._log(enabled, "on_event", exc)

        await asyncio.gather(*(one(p) for p in self.can("on_event")))

    # -- the end ------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close every plugin (``aclose`` within the timeout) and stop their threads."""
        running, self._running = list(self._running.values()), {}
        for run in running:
            if run.instance is not None:
                instance = run.instance
                try:
                    await run.call(instance.aclose)
                except BaseException as exc:
                    self._log(run.enabled, "aclose", exc)
            await asyncio.to_thread(run.thread.stop, 1.0)

    def _log(self, enabled: Enabled, what: str, exc: BaseException) -> None:
        kind = exc.kind if isinstance(exc, PluginError) else type(exc).__name__
        log.warning("plugin %s %s failed: %s", enabled.name, what, kind)


def results_failed(results: Sequence[CardResult | ActionResult]) -> bool:
    """Whether any plugin failed (the headless commands exit non-zero)."""
    return any(r.error for r in results)


def as_json(result: CardResult) -> dict[str, Any]:
    """A card as ``crm-whatsapp crm lookup --json`` prints it (DESIGN.md)."""
    card = result.card
    assert card is not None
    return {
        "plugin": result.plugin,
        "name": card.name,
        "phones": list(card.phones),
        "email": card.email,
        "company": card.company,
        "url": card.url,
        "fields": dict(card.fields),
        "owner": card.owner,
        "deals": [
            {
                "title": d.title,
                "stage": d.stage,
                "value": d.value,
                "currency": d.currency,
                "url": d.url,
            }
            for d in card.deals
        ],
        "last_activity": card.last_activity,
    }
