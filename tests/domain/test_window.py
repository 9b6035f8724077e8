"""The 24-hour customer service window as the conversation list shows it."""

from __future__ import annotations

import dataclasses

import pytest

from crm_whatsapp.domain.window import WindowState, format_left, window_state

HOUR = 3600.0
LAST = 1_790_000_000.0  # the customer's last message


def test_customer_who_never_wrote_has_no_window() -> None:
    assert window_state(None, LAST) == WindowState("none", None, 0.0)


@pytest.mark.parametrize(
    ("elapsed", "kind", "left"),
    [
        (0.0, "open", 24 * HOUR),
        (1.0, "open", 24 * HOUR - 1),
        (22 * HOUR, "open", 2 * HOUR),
        (22 * HOUR + 1, "closing", 2 * HOUR - 1),
        (23 * HOUR + 59 * 60, "closing", 60.0),
        (24 * HOUR - 0.5, "closing", 0.5),
        (24 * HOUR, "closed", 0.0),
        (30 * 24 * HOUR, "closed", 0.0),
    ],
)
def test_window_opens_warns_in_the_last_two_hours_then_closes(
    elapsed: float, kind: str, left: float
) -> None:
    state = window_state(LAST, LAST + elapsed)
    assert state.kind == kind
    assert state.seconds_left == pytest.approx(left)
    assert state.expires_at == LAST + 24 * HOUR


def test_customer_clock_ahead_of_ours_never_promises_more_than_24_hours() -> None:
    state = window_state(LAST + 600, LAST)
    assert state.kind == "open"
    assert state.seconds_left == 24 * HOUR


def test_state_cannot_be_changed_by_whoever_displays_it() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        window_state(LAST, LAST).kind = "closed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("seconds", "label"),
    [
        (24 * HOUR, "24 h"),
        (23 * HOUR + 59 * 60, "23 h"),
        (2 * HOUR, "2 h"),
        (2 * HOUR - 1, "1 h 59 min"),
        (HOUR + 5 * 60, "1 h 05 min"),
        (HOUR, "1 h 00 min"),
        (HOUR - 1, "59 min"),
        (12 * 60 + 59, "12 min"),
        (60.0, "1 min"),
        (59.9, "menos de 1 min"),
        (0.0, "menos de 1 min"),
        (-5.0, "menos de 1 min"),
    ],
)
def test_time_left_is_short_and_never_rounded_up(seconds: float, label: str) -> None:
    assert format_left(seconds) == label


def test_time_left_is_translated_before_numbers_are_filled_in() -> None:
    english = {"{hours} h {minutes:02d} min": "{hours}h {minutes:02d}m"}

    def translate(context: str, text: str) -> str:
        assert context == "Window"
        return english.get(text, text)

    assert format_left(HOUR + 5 * 60, translate=translate) == "1h 05m"
