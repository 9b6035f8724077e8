"""Dates as an office in Brazil reads them in a file: ``06/12/2026 14:05``, local time.

Exports handed to a customer (LGPD) and the audit trail's CSV are read by
people, not programs: a Unix timestamp or an ISO string in UTC means
nothing to them, and the hour they remember is the local one.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

FORMAT = "%d/%m/%Y %H:%M"


def local_datetime_text(timestamp: float | None, tz: tzinfo | None = None) -> str:
    """``dd/mm/aaaa HH:MM`` in the local zone (or ``tz``); ``""`` for no time."""
    if timestamp is None:
        return ""
    try:
        moment = datetime.fromtimestamp(float(timestamp), tz)
    except (OverflowError, OSError, ValueError):
        return ""
    return moment.strftime(FORMAT)
