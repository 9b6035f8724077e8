"""Structured logs: one JSON line per record, never a token, secret or message text.

Request lines carry the path without its query string (Meta's verification
puts the verify token there) and never headers or bodies.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

_RELAY_DIR = str(Path(__file__).resolve().parent)


class JsonFormatter(logging.Formatter):
    """Each record as one JSON object: time, level, logger, message and its ``fields``.

    An exception adds only its type: a traceback can quote the data it choked on.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line; ``extra={'fields': {...}}`` become top-level keys."""
        out: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type only: a traceback may quote message text.
            out["error"] = record.exc_info[0].__name__
        return json.dumps(out, ensure_ascii=False)


def setup_logging(level: str = "INFO") -> None:
    """Send every record to stderr as JSON at ``level``, replacing any handler.

    uvicorn's access log goes (it prints query strings, where Meta puts the
    verify token): :func:`log_request` replaces it. httpx and Alembic are
    quietened to warnings.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's access log prints query strings (hub.verify_token): ours replaces it.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic narrates every start ("Context impl…"); relay.migrate logs what changed.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def raised_at(exc: BaseException) -> str:
    """Where ``exc`` was raised, as ``module.function:line``, for a log line.

    The deepest frame in the relay's own code (which of our steps failed),
    else the deepest of all. Unlike ``str(exc)``, it never quotes data: a
    database error's text can carry the row it refused.
    """
    tb = exc.__traceback__
    deepest = ours = None
    while tb is not None:
        deepest = tb
        if tb.tb_frame.f_code.co_filename.startswith(_RELAY_DIR):
            ours = tb
        tb = tb.tb_next
    found = ours or deepest
    if found is None:
        return "unknown.unknown:0"
    code = found.tb_frame.f_code
    return f"{Path(code.co_filename).stem}.{code.co_name}:{found.tb_lineno}"


request_log = logging.getLogger("relay.request")
# The status logged when the client hung up before anything could be answered (nginx's code).
HUNG_UP = 499


def log_request(method: str, path: str, status: int, started: float, **extra: Any) -> None:
    """One ``request`` line: method, path, status, milliseconds since ``started``, ``extra``.

    ``path`` comes without its query string; ``started`` is a
    :func:`time.perf_counter` reading.
    """
    request_log.info(
        "request",
        extra={
            "fields": {
                "method": method,
                "path": path,
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 2),
                **extra,
            }
        },
    )


def log_request_enabled() -> bool:
    """Whether request lines are logged, so the webhook path can skip the work when not."""
    return request_log.isEnabledFor(logging.INFO)
