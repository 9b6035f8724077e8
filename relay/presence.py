"""Who is online: the devices with a stream open on any relay instance.

Chosen over a presence event in the log: presence changes every time a
laptop sleeps, and the log is kept for days and replayed to every desktop.
Instead each instance renews ``devices.online_until`` (now + :data:`TTL`)
every :data:`BEAT` seconds for the devices it streams to, at once when a
stream opens, and ends it when a device's last stream on that instance
closes. Several instances on one PostgreSQL database therefore agree: a
device streaming to another instance is renewed there within a beat, and an
instance that dies stops renewing, so its devices read offline after
:data:`TTL`. ``GET /v1/team`` (authenticated) reads the table.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from relay.db import devices

log = logging.getLogger("relay.presence")

BEAT = 5.0
TTL = 3 * BEAT


@dataclass(frozen=True)
class Colleague:
    """An enrolled device as the team list shows it."""

    id: str
    name: str
    online: bool


# Ids per UPDATE: the most parameters one presence statement binds.
CHUNK = 512


def id_lists(ids: list[str]) -> list[list[str]]:
    """``ids`` in runs of at most :data:`CHUNK`, each padded to a power of two.

    Every length of an ``IN`` list is another statement to the database, and
    SQLite keeps up to 128 of them prepared on each pooled connection, a few
    kilobytes per bound id: marking 1, 2, ... 1,000 desktops online as they
    connected grew the relay by megabytes per thousand connects, never given
    back. Padded (the first id repeated: the same row, updated once) there are
    at most ten shapes of statement.
    """
    lists = []
    for start in range(0, len(ids), CHUNK):
        run = ids[start : start + CHUNK]
        size = 1 << (len(run) - 1).bit_length()
        lists.append(run + [run[0]] * (size - len(run)))
    return lists


def mark(engine: Engine, online: list[str], offline: list[str], now: float) -> None:
    """Renew ``online`` devices until now + TTL; end ``offline`` ones now."""
    with engine.begin() as conn:
        for ids in id_lists(online):
            conn.execute(
                devices.update().where(devices.c.id.in_(ids)).values(online_until=now + TTL)
            )
        for ids in id_lists(offline):
            conn.execute(devices.update().where(devices.c.id.in_(ids)).values(online_until=now))


def team(engine: Engine, now: float | None = None) -> list[Colleague]:
    """Every enrolled, unrevoked device, by name, and whether one of its streams is open."""
    now = time.time() if now is None else now
    with engine.connect() as conn:
        rows = conn.execute(
            select(devices.c.id, devices.c.name, devices.c.online_until)
            .where(devices.c.enrolled_at.is_not(None), devices.c.revoked_at.is_(None))
            .order_by(devices.c.name, devices.c.id)
        ).all()
    return [Colleague(r.id, r.name, (r.online_until or 0.0) > now) for r in rows]


class Presence:
    """Keeps ``online_until`` true for this instance's streams.

    ``connected`` names the devices streaming here now (the relay's session
    map); :meth:`changed` wakes the loop when a stream opens or closes, so a
    colleague sees it within a moment rather than a beat.
    """

    def __init__(
        self,
        engine: Engine,
        connected: Callable[[], list[str]],
        run_in_writer: Callable[..., Awaitable[Any]],
    ) -> None:
        self._engine = engine
        self._connected = connected
        self._write = run_in_writer
        self._wake = asyncio.Event()
        self._marked: set[str] = set()

    def changed(self) -> None:
        self._wake.set()

    async def beat_once(self) -> None:
        now_online = set(self._connected())
        gone = sorted(self._marked - now_online)
        if now_online or gone:  # an idle instance writes nothing
            await self._write(mark, self._engine, sorted(now_online), gone, time.time())
        self._marked = now_online

    async def run_forever(self) -> None:
        """Renew every beat; an outage is logged once when it starts and once when it ends."""
        failing = False
        while True:
            self._wake.clear()  # before the write: a change during it wakes the next one
            try:
                await self.beat_once()
            except Exception as exc:
                if not failing:
                    log.warning(
                        "Presence could not be written; colleagues may show as offline.",
                        extra={"fields": {"error": type(exc).__name__}},
                    )
                failing = True
            else:
                if failing:
                    log.info("Presence is being written again.")
                failing = False
            # Not asyncio.wait_for: on 3.11 it swallows a cancellation that lands as
            # the wait ends (CPython gh-86296), and shutdown would hang on this loop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(BEAT):
                    await self._wake.wait()
