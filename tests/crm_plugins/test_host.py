"""The plugin host: a plugin that raises, hangs, blocks or is slow never holds the inbox.

Plugins here are real :class:`Plugin` subclasses run by the real host, each
on its own thread; the "inbox" is the asyncio loop of the test, whose
longest stall is measured by a ticker while the plugins misbehave.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest

from crm_whatsapp.crm.host import Enabled, PluginHost, results_failed
from crm_whatsapp.plugin_api import (
    Card,
    Created,
    Customer,
    Plugin,
    PluginError,
    Transcript,
)

ANA = Customer("5511987654321", "Ana")
T = TypeVar("T")


class Good(Plugin):
    name = "good"
    title = "Bom CRM"
    calls = 0

    async def lookup(self, customer: Customer) -> Card | None:
        type(self).calls += 1
        return Card(record_id="7", name="Ana Souza", phones=("+55 11 98765-4321",))

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        assert card is not None
        return Created("lead", f"lead-of-{card.record_id}", "https://crm.example/lead/1")


class Raises(Plugin):
    name = "raises"
    title = "CRM Quebrado"

    async def lookup(self, customer: Customer) -> Card | None:
        raise KeyError("a bug with customer data: Ana Souza 11987654321")


class Refuses(Plugin):
    name = "refuses"
    title = "CRM Fechado"

    async def lookup(self, customer: Customer) -> Card | None:
        raise PluginError("auth", "O CRM Fechado recusou o token; reconecte o plugin.")


class Hangs(Plugin):
    name = "hangs"
    title = "CRM Parado"
    cancelled = threading.Event()

    async def lookup(self, customer: Customer) -> Card | None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            type(self).cancelled.set()
            raise
        return None


class Blocks(Plugin):
    """Synchronous I/O inside a coroutine: it blocks whatever loop runs it."""

    name = "blocks"
    title = "CRM Travado"
    release = threading.Event()

    async def lookup(self, customer: Customer) -> Card | None:
        type(self).release.wait(10)
        return None


class Nobody(Plugin):
    name = "nobody"
    title = "CRM Vazio"

    async def lookup(self, customer: Customer) -> Card | None:
        return None

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        return Created("note", str(len(transcript.lines)))


def run(make: Callable[[], Awaitable[T]]) -> tuple[T, float]:
    """Run ``make()`` on a fresh loop; also return the loop's longest stall (ms) meanwhile."""

    async def main() -> tuple[T, float]:
        worst = 0.0
        stop = asyncio.Event()

        async def tick() -> None:
            nonlocal worst
            last = time.perf_counter()
            while not stop.is_set():
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                worst = max(worst, now - last - 0.005)
                last = now

        ticker = asyncio.ensure_future(tick())
        try:
            result = await make()
        finally:
            stop.set()
            await ticker
        return result, worst * 1000

    return asyncio.run(main())


def host(*plugins: type[Plugin], **options: Any) -> PluginHost:
    return PluginHost([Enabled(p, {}) for p in plugins], **options)


def test_a_failing_plugin_shows_its_sentence_in_its_own_card_and_the_others_still_come() -> None:
    h = host(Good, Raises, Refuses, Nobody)

    async def go() -> list[Any]:
        try:
            return await h.lookup(ANA)
        finally:
            await h.aclose()

    results, _ = run(go)
    by_name = {r.plugin: r for r in results}
    assert by_name["good"].card is not None and by_name["good"].card.name == "Ana Souza"
    assert by_name["raises"].card is None
    assert by_name["raises"].error == (
        "O plugin CRM Quebrado falhou; ele pode ser desativado nas configurações."
    )
    assert "Ana" not in by_name["raises"].error and "1198" not in by_name["raises"].error
    assert by_name["refuses"].error == "O CRM Fechado recusou o token; reconecte o plugin."
    assert by_name["nobody"].card is None and by_name["nobody"].error == ""
    assert results_failed(results)


def test_a_hanging_plugin_is_cancelled_at_the_timeout_and_the_loop_never_stalls() -> None:
    Hangs.cancelled.clear()
    h = host(Good, Hangs, timeout=0.5)
    shown: list[tuple[str, float]] = []

    async def go() -> None:
        started = time.perf_counter()
        try:
            async for result in h.cards(ANA):
                shown.append((result.plugin, time.perf_counter() - started))
        finally:
            await h.aclose()

    _, stall_ms = run(go)
    assert [name for name, _ in shown] == ["good", "hangs"]
    assert shown[0][1] < 0.4  # the good card did not wait for the hanging one
    assert 0.5 <= shown[1][1] < 2.0
    assert Hangs.cancelled.wait(2)  # cancelled on the plugin's own loop
    assert stall_ms < 50


def test_a_plugin_blocking_its_thread_does_not_block_the_inbox() -> None:
    Blocks.release.clear()
    h = host(Blocks, Good, timeout=0.6)

    async def go() -> list[Any]:
        try:
            return await h.lookup(ANA)
        finally:
            Blocks.release.set()
            await h.aclose()

    results, stall_ms = run(go)
    assert results[0].error == "O plugin CRM Travado não respondeu em 1 s."
    assert results[1].card is not None
    assert stall_ms < 50


def test_cards_are_cached_per_number_for_the_ttl_and_errors_are_not() -> None:
    now = [1000.0]
    Good.calls = 0
    h = host(Good, Raises, ttl=60, clock=lambda: now[0])

    async def go() -> list[list[Any]]:
        seen = []
        try:
            seen.append(await h.lookup(ANA))
            # The same customer written without the ninth digit: the same cache entry.
            seen.append(await h.lookup(Customer("551187654321", "Ana")))
            now[0] += 61
            seen.append(await h.lookup(ANA))
        finally:
            await h.aclose()
        return seen

    seen, _ = run(go)
    assert Good.calls == 2
    assert all(results[1].error for results in seen)  # asked again each time


def test_an_action_uses_the_customers_card_and_reports_each_plugin() -> None:
    h = host(Good, Nobody, Raises)

    async def go() -> tuple[list[Any], list[Any]]:
        try:
            leads = await h.create_lead(ANA, "WhatsApp: Ana")
            logs = await h.log_conversation(Transcript(ANA, ((1.0, "Ana", "oi"),)))
        finally:
            await h.aclose()
        return leads, logs

    (leads, logs), _ = run(go)
    assert [(r.plugin, r.created) for r in leads] == [
        ("good", Created("lead", "lead-of-7", "https://crm.example/lead/1"))
    ]
    assert [(r.plugin, r.created.id if r.created else None) for r in logs] == [("nobody", "1")]


def test_capabilities_are_what_a_plugin_overrides() -> None:
    assert Good.capabilities() == {"lookup", "create_lead"}
    assert Nobody.capabilities() == {"lookup", "log_conversation"}
    assert Plugin.capabilities() == frozenset()


@pytest.mark.parametrize(
    ("stored", "same"),
    [
        ("+55 (11) 98765-4321", True),
        ("(11) 8765-4321", True),  # without the ninth digit
        ("011 98765-4321", True),
        ("5511987654321", True),
        ("+55 21 98765-4321", False),  # another area code, same last digits
        ("98765-4321", False),  # no area code: cannot be told apart
        ("(11) 3765-4321", False),
    ],
)
def test_phone_matching_rule_for_crm_numbers(stored: str, same: bool) -> None:
    from crm_whatsapp.plugin_api import same_phone

    assert same_phone(stored, "551187654321") is same
