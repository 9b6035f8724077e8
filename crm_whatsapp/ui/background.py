"""Reads of the history off the window's thread, their results back on it by signal.

The window must keep painting and answering keys while the history answers
a search over a million messages or re-reads the conversations a batch of
events touched. Anki's ``QueryOp`` settles the shape: run the read on a
worker thread, hand its result to a callback on the GUI thread, and never
touch widgets from the worker. Here each read belongs to a *channel*
("search", "changes", …): a newer read on a channel makes the older one's
result stale, and a stale result is dropped instead of drawn over the newer
one. One worker thread serves the window: reads run in the order asked, so
SQLite sees one reader at a time from the window, as it did before.

Reads must not touch Qt objects: they receive what they need (a history,
the filter's values) when they are made.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("crm_whatsapp.ui.background")
T = TypeVar("T")


@dataclass(frozen=True)
class _Outcome(Generic[T]):
    channel: str
    ticket: int
    deliver: Callable[[T], None]
    failed: Callable[[BaseException], None] | None
    result: T | None
    error: BaseException | None


class BackgroundReads(QObject):
    """Runs reads on one worker thread and delivers each channel's newest result.

    ``delivered`` carries the channel of every result handed to its callback,
    after the callback ran (tests and the window wait on it); ``dropped``
    counts stale results let go. A read that raises is logged by kind (its
    class, never its message) and delivers nothing.
    """

    delivered = Signal(str)
    _arrived = Signal(object)  # an _Outcome, from the worker to the GUI thread

    def __init__(self, parent: QObject | None = None, name: str = "window-reads") -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._tickets = itertools.count(1)
        self._latest: dict[str, int] = {}
        self.runs: dict[str, int] = {}  # reads started per channel
        self.dropped = 0
        self._closed = False
        # Emitted from the worker, received here on the thread this object lives on (Qt
        # queues a signal crossing threads): callbacks never run on the worker.
        self._arrived.connect(self._deliver)

    def run(
        self,
        channel: str,
        read: Callable[[], T],
        deliver: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Start ``read`` on the worker; its result goes to ``deliver`` unless stale by then.

        If it raises, ``failed`` (when given, and the read is not stale) gets the
        exception on the GUI thread.
        """
        ticket = next(self._tickets)
        self._latest[channel] = ticket
        if self._closed:
            return ticket
        self.runs[channel] = self.runs.get(channel, 0) + 1
        future = self._pool.submit(read)
        future.add_done_callback(
            lambda done: self._finished(channel, ticket, deliver, failed, done)
        )
        return ticket

    def forget(self, channel: str) -> None:
        """Make whatever ``channel`` has in flight stale (its question changed)."""
        self._latest[channel] = next(self._tickets)

    def pending(self, channel: str, ticket: int) -> bool:
        """Whether ``ticket`` is still the newest read of ``channel``."""
        return self._latest.get(channel) == ticket

    def close(self) -> None:
        """Start no more reads and deliver none still running (the window is closing)."""
        self._closed = True
        for channel in list(self._latest):
            self.forget(channel)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _finished(
        self,
        channel: str,
        ticket: int,
        deliver: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None,
        done: Future[Any],
    ) -> None:
        # On the worker thread: only hand the outcome over.
        if done.cancelled():
            return
        error = done.exception()
        result = None if error else done.result()
        outcome = _Outcome(channel, ticket, deliver, failed, result, error)
        with contextlib.suppress(RuntimeError):  # the window is gone: nobody to tell
            self._arrived.emit(outcome)

    def _deliver(self, outcome: _Outcome[Any]) -> None:
        if self._latest.get(outcome.channel) != outcome.ticket:
            self.dropped += 1
            return
        if outcome.error is not None:
            log.warning("a %s read failed (%s)", outcome.channel, type(outcome.error).__qualname__)
            if outcome.failed is not None:
                outcome.failed(outcome.error)
            return
        outcome.deliver(outcome.result)
        self.delivered.emit(outcome.channel)
