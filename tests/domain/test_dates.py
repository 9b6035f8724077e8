"""Brazilian Portuguese date labels, whatever the machine's locale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crm_whatsapp.domain.dates import day_separator, list_time

BRASILIA = timezone(timedelta(hours=-3))
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=BRASILIA)  # a Friday afternoon


def at(days_ago: int, hour: int = 10, minute: int = 0) -> float:
    day = NOW - timedelta(days=days_ago)
    return day.replace(hour=hour, minute=minute).timestamp()


@pytest.mark.parametrize(
    ("ts", "label"),
    [
        (at(0, 14, 32), "14:32"),
        (at(0, 0, 5), "00:05"),
        (at(1, 23, 59), "Ontem"),
        (at(1, 0, 0), "Ontem"),
        (at(2), "quarta-feira"),
        (at(3), "terça-feira"),
        (at(4), "segunda-feira"),
        (at(5), "domingo"),
        (at(6), "sábado"),
        (at(7), "20/11/2026"),
        (at(6 + 30), "22/10/2026"),
        (datetime(2025, 3, 5, 9, 0, tzinfo=BRASILIA).timestamp(), "05/03/2025"),
    ],
)
def test_conversation_list_time(ts: float, label: str) -> None:
    assert list_time(ts, NOW.timestamp(), BRASILIA) == label


@pytest.mark.parametrize(
    ("ts", "label"),
    [
        (at(0, 0, 0), "Hoje"),
        (at(0, 14, 59), "Hoje"),
        (at(1), "Ontem"),
        (at(2), "quarta-feira"),
        (at(6), "sábado"),
        (at(6, 0, 0), "sábado"),
        (at(7), "20 de novembro de 2026"),
        (datetime(2026, 3, 1, 8, 0, tzinfo=BRASILIA).timestamp(), "1 de março de 2026"),
        (datetime(2025, 12, 31, 23, 59, tzinfo=BRASILIA).timestamp(), "31 de dezembro de 2025"),
    ],
)
def test_thread_day_separator(ts: float, label: str) -> None:
    assert day_separator(ts, NOW.timestamp(), BRASILIA) == label


def test_yesterday_is_a_calendar_day_not_24_hours() -> None:
    just_after_midnight = NOW.replace(hour=0, minute=10).timestamp()
    twenty_minutes_before = just_after_midnight - 20 * 60
    assert list_time(twenty_minutes_before, just_after_midnight, BRASILIA) == "Ontem"
    assert day_separator(twenty_minutes_before, just_after_midnight, BRASILIA) == "Ontem"


def test_the_office_time_zone_decides_the_day() -> None:
    evening = NOW.replace(hour=20, minute=0).timestamp()  # 23:00 in UTC, same day
    later = NOW.replace(hour=22, minute=30).timestamp()  # already 01:30 tomorrow in UTC
    assert list_time(evening, later, BRASILIA) == "20:00"
    assert day_separator(evening, later, BRASILIA) == "Hoje"
    assert list_time(evening, later, UTC) == "Ontem"
    assert day_separator(evening, later, UTC) == "Ontem"


def test_default_zone_is_the_machines_local_zone() -> None:
    now = datetime(2026, 11, 27, 12, 0).astimezone().timestamp()
    local = datetime.fromtimestamp(now).astimezone().tzinfo
    ts = now - 3 * 3600
    assert list_time(ts, now) == list_time(ts, now, local)
    assert day_separator(ts, now) == "Hoje"


def test_labels_are_translated_before_they_are_assembled() -> None:
    english = {
        "{day} de {month} de {year}": "{month} {day}, {year}",
        "novembro": "November",
        "Ontem": "Yesterday",
        "{day:02d}/{month:02d}/{year}": "{month:02d}/{day:02d}/{year}",
    }

    def translate(context: str, text: str) -> str:
        assert context == "Dates"
        return english.get(text, text)

    now = NOW.timestamp()
    assert day_separator(at(7), now, BRASILIA, translate=translate) == "November 20, 2026"
    assert day_separator(at(1), now, BRASILIA, translate=translate) == "Yesterday"
    assert list_time(at(7), now, BRASILIA, translate=translate) == "11/20/2026"
