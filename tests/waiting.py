"""Waiting for a condition with a deadline, the one way tests wait here.

Tests never sleep a fixed time to let something happen: they poll what a
user would observe and fail with a clear message at the deadline. Where the
code under test offers a signal (a ``threading.Event``, a Qt signal, a line on
a pipe), wait on that instead; polling is for conditions nobody announces,
such as a row appearing in another process's database.

Between two checks the poller yields for ``interval`` (never past the
deadline), and the condition is checked once more at the deadline, so a
condition that turns true during the last pause still passes.
"""

from __future__ import annotations

import asyncio
import reprlib
import time
from collections.abc import Callable
from typing import Any


def _describe(pred: Callable[[], Any]) -> str:
    """The condition's name for the failure message (lambdas show where they were written)."""
    name = getattr(pred, "__qualname__", None) or repr(pred)
    code = getattr(pred, "__code__", None)
    if name.endswith("<lambda>") and code is not None:
        return f"the condition at {code.co_filename.rsplit('/', 1)[-1]}:{code.co_firstlineno}"
    return name


def _timed_out(pred: Callable[[], Any], timeout: float, last: Any) -> AssertionError:
    shown = reprlib.repr(last)
    return AssertionError(f"{_describe(pred)} not met within {timeout} s (last value: {shown})")


def wait_until(pred: Callable[[], Any], timeout: float = 5.0, interval: float = 0.015) -> Any:
    """Poll ``pred`` until it returns something truthy and return that; fail at the deadline.

    Blocks the calling thread between checks; from an async test use
    :func:`async_wait_until`, from a Qt test ``qtbot.waitUntil`` (both keep
    their loop running while they wait).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(pred, timeout, value)
        time.sleep(min(interval, remaining))


async def async_wait_until(
    pred: Callable[[], Any], timeout: float = 5.0, interval: float = 0.015
) -> Any:
    """:func:`wait_until` for async test bodies: the loop keeps running between checks."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _timed_out(pred, timeout, value)
        await asyncio.sleep(min(interval, remaining))
