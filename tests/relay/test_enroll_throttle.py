"""Guessing enrollment codes is throttled: per real client address, exactly, across instances.

Ten wrong codes a minute per address, counted in the database so every relay
instance on it shares the count; concurrent guesses cannot slip past the
count, and a client cannot pose as many addresses with X-Forwarded-For unless
it comes through a proxy the admin listed in RELAY_TRUSTED_PROXIES.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from relay_support import (
    ACCESS_TOKEN,
    APP_SECRET,
    VERIFY_TOKEN,
    Harness,
    cli_env,
    free_port,
    relay_process,
    run,
)
from sqlalchemy import func, select

from relay.config import ConfigError, Settings
from relay.db import enroll_attempts
from relay.devices import (
    ENROLL_LIMIT,
    ENROLL_WINDOW,
    EnrollmentError,
    TooManyAttempts,
    add_device,
    enroll_from,
)

WRONG = {"code": "WRNG-WRNG-WRNG", "name": "PC"}


def _try(harness: Harness, forwarded_for: str | None = None, code: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    body = WRONG if code is None else {"code": code, "name": "PC"}
    response = harness.http.post(harness.url + "/v1/enroll", json=body, headers=headers)
    return response.status_code


def test_sixty_concurrent_wrong_codes_check_only_the_limit(harness: Harness) -> None:
    """A burst of guesses at once: ten are checked, the other fifty get 429."""

    async def burst() -> Counter[int]:
        async with httpx.AsyncClient(timeout=30.0) as client:
            responses = await asyncio.gather(
                *(client.post(harness.url + "/v1/enroll", json=WRONG) for _ in range(60))
            )
        return Counter(r.status_code for r in responses)

    statuses = run(burst())
    assert statuses == {403: ENROLL_LIMIT, 429: 60 - ENROLL_LIMIT}


def test_rotating_x_forwarded_for_from_loopback_does_not_bypass_the_throttle(
    harness: Harness,
) -> None:
    """Without a configured proxy, X-Forwarded-For is the client's own claim: ignored."""
    for n in range(ENROLL_LIMIT):
        assert _try(harness, f"203.0.113.{n + 1}") == 403
    assert _try(harness, "198.51.100.77") == 429
    _, code, _ = add_device(harness.relay.engine, "PC")
    assert _try(harness, "198.51.100.78", code) == 429


def test_a_trusted_proxy_forwards_each_client_address(make_relay: Callable[..., Harness]) -> None:
    """Behind a listed proxy, the throttle counts the address the proxy saw."""
    harness = make_relay(trusted_proxies=("127.0.0.0/8",))
    for _ in range(ENROLL_LIMIT):
        assert _try(harness, "203.0.113.5") == 403
    assert _try(harness, "203.0.113.5") == 429
    assert _try(harness, "203.0.113.6") == 403


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_instances_on_one_database_share_the_throttle(
    database_url: str, tmp_path: Path
) -> None:
    """Two relay processes behind a load balancer: guesses spread over both at once gain nothing."""
    env = cli_env(
        database_url,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_ACCESS_TOKEN=ACCESS_TOKEN,
        WHATSAPP_GRAPH_URL=f"http://127.0.0.1:{free_port()}",
    )
    with (
        relay_process(env, tmp_path, tmp_path / "first.log") as first,
        relay_process(env, tmp_path, tmp_path / "second.log") as second,
    ):

        async def burst() -> Counter[int]:
            urls = [first.url, second.url] * 30
            async with httpx.AsyncClient(timeout=30.0) as client:
                responses = await asyncio.gather(
                    *(client.post(url + "/v1/enroll", json=WRONG) for url in urls)
                )
            return Counter(r.status_code for r in responses)

        assert run(burst()) == {403: ENROLL_LIMIT, 429: 60 - ENROLL_LIMIT}
        for url in (first.url, second.url):
            assert httpx.post(url + "/v1/enroll", json=WRONG, timeout=30.0).status_code == 429


def test_the_window_ends_and_old_entries_are_evicted(harness: Harness) -> None:
    """A minute later the address may try again, and stale rows do not pile up."""
    engine = harness.relay.engine
    t0 = 1_000_000.0
    for _ in range(ENROLL_LIMIT):
        with pytest.raises(EnrollmentError):
            enroll_from(engine, "198.51.100.1", "WRNG", None, now=t0)
    with pytest.raises(TooManyAttempts):
        enroll_from(engine, "198.51.100.1", "WRNG", None, now=t0 + 1)
    with pytest.raises(EnrollmentError):
        enroll_from(engine, "198.51.100.2", "WRNG", None, now=t0 + 2)

    later = t0 + ENROLL_WINDOW + 1
    with pytest.raises(EnrollmentError):  # checked again, not throttled
        enroll_from(engine, "198.51.100.1", "WRNG", None, now=later)
    with pytest.raises(EnrollmentError):
        enroll_from(engine, "198.51.100.3", "WRNG", None, now=t0 + ENROLL_WINDOW + 3)
    with engine.connect() as conn:
        rows = dict(
            conn.execute(select(enroll_attempts.c.client, enroll_attempts.c.attempts)).all()
        )
        total = conn.execute(select(func.count()).select_from(enroll_attempts)).scalar()
    assert rows == {"198.51.100.1": 1, "198.51.100.3": 1}
    assert total == 2


def test_a_right_code_does_not_count_as_a_wrong_one(harness: Harness) -> None:
    """Nine misses and a success leave room for one more miss before the limit."""
    engine = harness.relay.engine
    for _ in range(ENROLL_LIMIT - 1):
        with pytest.raises(EnrollmentError):
            enroll_from(engine, "198.51.100.9", "WRNG", None)
    _, code, _ = add_device(engine, "PC")
    token, _ = enroll_from(engine, "198.51.100.9", code, "PC")
    assert token
    with pytest.raises(EnrollmentError):
        enroll_from(engine, "198.51.100.9", "WRNG", None)
    with pytest.raises(TooManyAttempts):
        enroll_from(engine, "198.51.100.9", "WRNG", None)


def test_trusted_proxies_are_read_from_the_environment() -> None:
    """Empty by default; a wrong entry stops the relay with one sentence."""
    assert Settings.from_env({}, dotenv=None).trusted_proxies == ()
    listed = Settings.from_env({"RELAY_TRUSTED_PROXIES": "10.0.0.2, 172.18.0.0/16"}, dotenv=None)
    assert listed.trusted_proxies == ("10.0.0.2", "172.18.0.0/16")
    with pytest.raises(ConfigError, match="RELAY_TRUSTED_PROXIES"):
        Settings.from_env({"RELAY_TRUSTED_PROXIES": "caddy"}, dotenv=None)
