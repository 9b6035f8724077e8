"""Phone numbers as attendants read and type them (crm_whatsapp.domain.phones)."""

from __future__ import annotations

import pytest

from crm_whatsapp.domain.phones import display_phone, typed_phone
from crm_whatsapp.store.phones import phone_key


@pytest.mark.parametrize(
    ("wa_id", "shown"),
    [
        ("5541996543210", "+55 41 99654-3210"),  # a Brazilian mobile
        ("551133334444", "+55 11 3333-4444"),  # a São Paulo landline
        ("554196543210", "+55 41 9654-3210"),  # a mobile as WhatsApp sends it, no ninth digit
        ("12025550123", "+1 202-555-0123"),
        ("447911123456", "+44 7911 123456"),
        ("99912345", "+99912345"),  # no country has that code: shown as it came
        ("5541996", "+5541996"),  # too short to be a number: shown as it came
        ("", ""),
        (None, ""),
    ],
)
def test_numbers_are_shown_grouped_the_way_their_country_writes_them(
    wa_id: str | None, shown: str
) -> None:
    assert display_phone(wa_id) == shown


@pytest.mark.parametrize(
    "typed",
    [
        "(81) 99777-8888",
        "+55 81 99777 8888",
        "81997778888",
        "81 99777-8888",
        "5581997778888",
        "+55 (81) 99777-8888",
        " 081 99777-8888 ",  # the trunk prefix some people still type
        "81\u00a099777\u00a08888",  # pasted from a web page
    ],
)
def test_a_number_typed_any_usual_way_gives_whatsapp_digits(typed: str) -> None:
    assert typed_phone(typed) == "5581997778888"


def test_a_mobile_typed_without_the_ninth_digit_is_kept_as_typed_and_matches_the_customer() -> None:
    digits = typed_phone("+55 81 9777-8888")
    assert digits == "558197778888"
    assert phone_key(digits) == phone_key("5581997778888")


def test_a_number_from_another_country_keeps_its_own_code() -> None:
    assert typed_phone("+1 (202) 555-0123") == "12025550123"
    assert typed_phone("(202) 555-0123", default_region="US") == "12025550123"


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "Maria", "Rua Augusta 1200", "99777-8888", "1234", "+99912345678", "8888²8888"],
)
def test_what_is_not_a_whole_number_gives_none(typed: str) -> None:
    assert typed_phone(typed) is None
