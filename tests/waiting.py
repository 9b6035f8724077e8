"""Waiting for a condition with a deadline, the one way tests wait here.

Tests never sleep a fixed time to let something happen: they poll what a
user would observe and fail with a clear message at the deadline.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

_never_set = threading.Event()


def wait_until(pred: Callable[[], Any], timeout: float = 5.0, interval: float = 0.015) -> Any:
    """Poll ``pred`` until it returns something truthy; fail clearly at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        _never_set.wait(interval)


async def async_wait_until(
    pred: Callable[[], Any], timeout: float = 5.0, interval: float = 0.015
) -> Any:
    """:func:`wait_until` for async test bodies (yields to the loop while polling)."""
    deadline = time.monotonic() + timeout
    while True:
        value = pred()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)
