"""When "Adiar" wakes a conversation: 1 hora, amanhã 9h, próxima segunda 9h (local time)."""

from __future__ import annotations

from datetime import datetime, timedelta


def in_one_hour(now: datetime) -> datetime:
    return now + timedelta(hours=1)


def tomorrow_at_nine(now: datetime) -> datetime:
    return (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)


def next_monday_at_nine(now: datetime) -> datetime:
    """The coming Monday at 9:00 (a week on when today is Monday, as WhatsApp's "next week")."""
    days = (7 - now.weekday()) % 7 or 7
    return (now + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


PRESETS = (in_one_hour, tomorrow_at_nine, next_monday_at_nine)
