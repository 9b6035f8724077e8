"""Run an ASGI app under uvicorn in a background thread on loopback.

The demo runs the relay and the Meta simulator beside the desktop's own event
loop this way, and tests use it to get real servers on ephemeral ports.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

import uvicorn

T = TypeVar("T")


class BackgroundServer:
    """A uvicorn server on a thread and event loop of its own.

    It installs no signal handlers: the process hosting it keeps its own.
    """

    def __init__(self, config: uvicorn.Config, name: str = "server") -> None:
        config.install_signal_handlers = False  # type: ignore[attr-defined]
        self.server = uvicorn.Server(config)
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self.name = name
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._failed: BaseException | None = None

    @property
    def port(self) -> int:
        """The port the server listens on (the one picked, when asked for port 0)."""
        sockets = self.server.servers[0].sockets
        return int(sockets[0].getsockname()[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the servers made here listen on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> BackgroundServer:
        """Serve on a new thread; return once listening (self, for chaining).

        Raises :class:`RuntimeError`, with the failure if there was one, when the
        server is not listening within ``timeout`` seconds.
        """
        ready = threading.Event()

        def run() -> None:
            """The thread: a new event loop serving until exit; a failure is kept for ``start``."""
            loop = asyncio.new_event_loop()
            self.loop = loop
            asyncio.set_event_loop(loop)

            async def serve() -> None:
                """Serve, and set ``ready`` once uvicorn listens (or has failed)."""
                task = asyncio.create_task(self.server.serve())
                while not self.server.started and not task.done():
                    await asyncio.sleep(0.01)
                ready.set()
                await task

            try:
                loop.run_until_complete(serve())
            except BaseException as exc:  # surfaced by start()
                self._failed = exc
            finally:
                ready.set()
                loop.close()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or not self.server.started:
            raise RuntimeError(f"{self.name} did not start: {self._failed!r}")
        return self

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run a coroutine on the server's loop (e.g. make a simulated customer write)."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the server to exit (its lifespan shutdown runs) and wait up to ``timeout``."""
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
