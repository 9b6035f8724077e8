"""The one place that knows how asyncio runs inside Qt (qasync).

Qt owns the event loop; asyncio's callbacks run from it. Background tasks
are started with :func:`spawn`, which keeps a strong reference (asyncio only
keeps weak ones) and sends a crash to ``sys.excepthook`` instead of letting
it vanish at garbage collection.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication

T = TypeVar("T")
log = logging.getLogger("crm_whatsapp.asyncqt")
_running: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
    """Run ``coro`` in the background, kept alive until done, failures reported."""
    task = asyncio.ensure_future(coro)
    task.set_name(name)
    _running.add(task)
    task.add_done_callback(_finished)
    return task


def _finished(task: asyncio.Task[Any]) -> None:
    _running.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        sys.excepthook(type(error), error, error.__traceback__)


async def cancel_all() -> None:
    """Cancel every spawned task and wait for them (shutdown, test teardown)."""
    tasks = [t for t in _running if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)


def finalize_async_generators_on(loop: asyncio.AbstractEventLoop) -> Callable[[], None]:
    """Close abandoned async generators on ``loop``, as ``asyncio.run`` does; returns an undo.

    asyncio's own loop installs this hook in ``run_forever``; qasync's loop
    runs Qt's event loop instead and never does. Without it, an async
    generator left suspended (an HTTP response's byte stream when a stream
    of model output is stopped early, say) is finalised by the garbage
    collector outside any task, where its clean-up cannot await, and the
    connection it held is dropped with an "Exception ignored" on stderr.
    """
    previous = sys.get_asyncgen_hooks()

    def finalizer(agen: Any) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(loop.create_task, agen.aclose())

    sys.set_asyncgen_hooks(firstiter=previous.firstiter, finalizer=finalizer)
    return lambda: sys.set_asyncgen_hooks(*previous)


def run(main: Callable[[], Awaitable[int]], app: QApplication) -> int:
    """Run ``main`` on a qasync loop over ``app`` (Python 3.11 has no asyncio.run loop_factory)."""
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        undo = finalize_async_generators_on(runner.get_loop())
        try:
            return runner.run(main())  # type: ignore[arg-type]
        finally:
            undo()


async def next_emission(signal: SignalInstance, timeout: float = 10.0) -> tuple[Any, ...]:
    """Wait for a Qt signal from inside a coroutine (never a nested Qt loop)."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def emitted(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(emitted)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(emitted)
