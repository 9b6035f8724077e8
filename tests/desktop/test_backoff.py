"""One retry rule: waits grow, stop growing at the cap, and spread desktops apart."""

from __future__ import annotations

import random

import pytest

from crm_whatsapp.sync.backoff import backoff


def test_waits_double_until_the_cap_and_never_pass_it() -> None:
    ceilings = [backoff(n, base=0.5, cap=30.0, jitter=0.0) for n in range(12)]
    assert ceilings[:6] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    assert ceilings[6:] == [30.0] * 6
    assert backoff(10_000, base=0.5, cap=30.0, jitter=0.0) == 30.0  # no overflow


def test_jitter_spreads_forty_desktops_over_the_whole_interval() -> None:
    random.seed(7)
    waits = [backoff(5, base=0.5, cap=30.0) for _ in range(40)]
    assert all(0.0 <= w <= 16.0 for w in waits)
    assert max(waits) - min(waits) > 8.0  # not forty reconnects in the same instant
    halves = [backoff(3, base=1.0, cap=300.0, jitter=0.5) for _ in range(40)]
    assert all(4.0 <= w <= 8.0 for w in halves)


def test_a_jitter_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError):
        backoff(1, base=1.0, cap=10.0, jitter=1.5)
