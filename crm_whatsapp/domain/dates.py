"""Brazilian Portuguese date labels for the conversation list and the thread.

The inbox must read "Ontem" and "segunda-feira" on any machine, so names come
from this module (marked for Qt's translation tools), not from the system
locale. Days are compared as calendar days in ``tz`` (the office's zone), so
"Ontem" means yesterday there, not "24 hours ago".
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP, Translate

WEEKDAYS = (
    QT_TRANSLATE_NOOP("Dates", "segunda-feira"),
    QT_TRANSLATE_NOOP("Dates", "terça-feira"),
    QT_TRANSLATE_NOOP("Dates", "quarta-feira"),
    QT_TRANSLATE_NOOP("Dates", "quinta-feira"),
    QT_TRANSLATE_NOOP("Dates", "sexta-feira"),
    QT_TRANSLATE_NOOP("Dates", "sábado"),
    QT_TRANSLATE_NOOP("Dates", "domingo"),
)
MONTHS = (
    QT_TRANSLATE_NOOP("Dates", "janeiro"),
    QT_TRANSLATE_NOOP("Dates", "fevereiro"),
    QT_TRANSLATE_NOOP("Dates", "março"),
    QT_TRANSLATE_NOOP("Dates", "abril"),
    QT_TRANSLATE_NOOP("Dates", "maio"),
    QT_TRANSLATE_NOOP("Dates", "junho"),
    QT_TRANSLATE_NOOP("Dates", "julho"),
    QT_TRANSLATE_NOOP("Dates", "agosto"),
    QT_TRANSLATE_NOOP("Dates", "setembro"),
    QT_TRANSLATE_NOOP("Dates", "outubro"),
    QT_TRANSLATE_NOOP("Dates", "novembro"),
    QT_TRANSLATE_NOOP("Dates", "dezembro"),
)
_TODAY = QT_TRANSLATE_NOOP("Dates", "Hoje")
_YESTERDAY = QT_TRANSLATE_NOOP("Dates", "Ontem")
_TIME = QT_TRANSLATE_NOOP("Dates", "{hour:02d}:{minute:02d}")
_SHORT_DATE = QT_TRANSLATE_NOOP("Dates", "{day:02d}/{month:02d}/{year}")
_LONG_DATE = QT_TRANSLATE_NOOP("Dates", "{day} de {month} de {year}")


def list_time(
    ts: float, now: float, tz: tzinfo | None = None, *, translate: Translate = QT_TRANSLATE_NOOP
) -> str:
    """Conversation list: "14:32" today, "Ontem", "segunda-feira" this week, else "21/11/2026"."""
    when, days = _days_ago(ts, now, tz)
    if days == 0:
        return translate("Dates", _TIME).format(hour=when.hour, minute=when.minute)
    if 1 <= days < 7:
        return _recent_day(when.date(), days, translate)
    return translate("Dates", _SHORT_DATE).format(day=when.day, month=when.month, year=when.year)


def day_separator(
    ts: float, now: float, tz: tzinfo | None = None, *, translate: Translate = QT_TRANSLATE_NOOP
) -> str:
    """Thread separator: "Hoje", "Ontem", "segunda-feira", else "21 de novembro de 2026"."""
    when, days = _days_ago(ts, now, tz)
    if days == 0:
        return translate("Dates", _TODAY)
    if 1 <= days < 7:
        return _recent_day(when.date(), days, translate)
    month = translate("Dates", MONTHS[when.month - 1])
    return translate("Dates", _LONG_DATE).format(day=when.day, month=month, year=when.year)


def _days_ago(ts: float, now: float, tz: tzinfo | None) -> tuple[datetime, int]:
    """``ts`` in ``tz`` (the local zone when None) and how many calendar days before ``now``."""
    when = datetime.fromtimestamp(ts, tz).astimezone(tz)
    today = datetime.fromtimestamp(now, tz).astimezone(tz)
    return when, (today.date() - when.date()).days


def _recent_day(day: date, days: int, translate: Translate) -> str:
    if days == 1:
        return translate("Dates", _YESTERDAY)
    return translate("Dates", WEEKDAYS[day.weekday()])
