"""Fixtures for the relay tests: a backend per test, the simulator, a relay under uvicorn.

The backend fixture runs each test against a fresh SQLite file and, when the
server is reachable, a fresh PostgreSQL database; with ``CI=true`` an
unreachable PostgreSQL fails instead of skipping, so CI cannot go green by
silently testing one backend.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest
import uvicorn
from relay_support import (
    ACCESS_TOKEN,
    APP_SECRET,
    BACKENDS,
    PG_HOST,
    VERIFY_TOKEN,
    Harness,
    fresh_postgres_database,
    tidy_chaos,
)

from relay.config import Settings
from relay.server import uvicorn_config
from relay.serving import BackgroundServer
from relay.simulator.server import MetaSimulator

PG_ROLES = ("postgres", "root")


@pytest.fixture(scope="session")
def pg_role() -> str | None:
    """The role that can log in to the test server, or None if it is unreachable."""
    for role in PG_ROLES:
        try:
            with psycopg.connect(
                f"postgresql://{role}@{PG_HOST}/test", connect_timeout=3, autocommit=True
            ) as conn:
                conn.execute("SELECT 1")
            return role
        except psycopg.Error:
            continue
    return None


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, tmp_path: Path, pg_role: str | None) -> Iterator[str]:
    """A fresh, empty database for one test."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'relay.db'}"
        return
    with fresh_postgres_database(pg_role, "relay_t_") as url:
        yield url


@pytest.fixture
def make_sim() -> Iterator[Callable[..., tuple[MetaSimulator, BackgroundServer]]]:
    """Start Meta simulators (real HTTP servers on loopback)."""
    started: list[tuple[MetaSimulator, BackgroundServer]] = []

    def start(**kwargs: Any) -> tuple[MetaSimulator, BackgroundServer]:
        kwargs.setdefault("chaos", tidy_chaos())
        kwargs.setdefault("seed", 7)
        sim = MetaSimulator(
            webhook_url="", app_secret=APP_SECRET, access_token=ACCESS_TOKEN, **kwargs
        )
        server = BackgroundServer(
            uvicorn.Config(sim.app(), host="127.0.0.1", port=0, log_config=None, access_log=False),
            "meta-sim",
        ).start()
        sim.base_url = server.url
        started.append((sim, server))
        return sim, server

    yield start
    for sim, server in reversed(started):
        if server.loop is not None and not server.loop.is_closed():
            # The simulator's own tasks: best effort at teardown.
            with contextlib.suppress(Exception):
                server.call(sim.aclose(), timeout=5)
        server.stop()


@pytest.fixture
def make_relay(
    database_url: str, make_sim: Callable[..., tuple[MetaSimulator, BackgroundServer]]
) -> Iterator[Callable[..., Harness]]:
    """Start a relay on ``database_url`` (and a simulator); keyword args tune them.

    ``sim`` takes a dict of MetaSimulator arguments; every other keyword goes
    to :class:`Settings`.
    """
    harnesses: list[Harness] = []

    def start(sim: dict[str, Any] | None = None, **overrides: Any) -> Harness:
        simulator, sim_server = make_sim(**(sim or {}))
        settings = Settings(
            app_secret=APP_SECRET,
            verify_token=VERIFY_TOKEN,
            access_token=ACCESS_TOKEN,
            graph_url=sim_server.url,
            database_url=database_url,
            port=0,
        )
        settings = replace(settings, **overrides)
        server = BackgroundServer(uvicorn_config(settings, port=0), "relay").start()
        simulator.webhook_url = server.url + "/webhook"
        harness = Harness(settings, server, simulator, sim_server, database_url)
        harnesses.append(harness)
        return harness

    yield start
    for harness in reversed(harnesses):
        harness.close()
        harness.server.stop()


@pytest.fixture
def harness(make_relay: Callable[..., Harness]) -> Harness:
    """A relay with default settings, its simulator, on the test's backend."""
    return make_relay()
