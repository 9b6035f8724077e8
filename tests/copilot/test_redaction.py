"""Guarantee 5 at its root: personal data becomes placeholders, and only this PC puts it back."""

from __future__ import annotations

import itertools
import re

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crm_whatsapp.copilot.redaction import (
    StreamRestorer,
    Vault,
    cnpj_check_ok,
    cpf_check_ok,
    detect,
    luhn_ok,
    redact,
    restore,
)

PLACEHOLDER = re.compile(r"\[(?:CPF|CNPJ|EMAIL|TELEFONE|CARTAO)_\d+\]")


# -- check digits -------------------------------------------------------------------------------


def test_check_digits_of_known_documents() -> None:
    assert cpf_check_ok("52998224725")
    assert not cpf_check_ok("52998224726")
    assert not cpf_check_ok("11111111111")  # passes the arithmetic, is not a CPF
    assert cnpj_check_ok("11222333000181")
    assert not cnpj_check_ok("11222333000182")
    # The Receita's own example of the alphanumeric CNPJ (Nota Técnica 49/2024).
    assert cnpj_check_ok("12ABC34501DE35")
    assert cnpj_check_ok("12abc34501de35")
    assert not cnpj_check_ok("12ABC34501DE36")
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


# -- what gets redacted -------------------------------------------------------------------------


def test_one_value_one_placeholder_however_written_and_numbering_per_kind() -> None:
    vault = Vault()
    text = (
        "CPF 529.982.247-25, de novo 52998224725; outro 111.444.777-35. "
        "E-mail Ana.Silva@Exemplo.com.br ou ana.silva@exemplo.com.br"
    )
    assert redact(text, vault) == (
        "CPF [CPF_1], de novo [CPF_1]; outro [CPF_2]. E-mail [EMAIL_1] ou [EMAIL_1]"
    )
    # Later messages of the same conversation keep the numbering.
    assert redact("meu CPF é 52998224725", vault) == "meu CPF é [CPF_1]"


def test_a_cpf_shaped_number_goes_even_with_wrong_check_digits() -> None:
    vault = Vault()
    assert redact("CPF 529.982.247-00 ou 52998224700", vault) == "CPF [CPF_1] ou [CPF_1]"


def test_cnpj_numeric_and_alphanumeric_formatted_or_not() -> None:
    vault = Vault()
    text = "11.222.333/0001-81, 11222333000181, 12.ABC.345/01DE-35 e 12ABC34501DE35"
    assert redact(text, vault) == "[CNPJ_1], [CNPJ_1], [CNPJ_2] e [CNPJ_2]"


def test_check_digits_tell_a_cnpj_from_other_codes_of_its_shape() -> None:
    # Unformatted, 14 characters: a product code or a protocol number is not personal data.
    text = "código ABCDEFGHIJKL12, protocolo 20240000012345"
    assert redact(text, Vault()) == text


@pytest.mark.parametrize(
    "phone",
    [
        "(11) 98765-4321",
        "11 98765-4321",
        "11987654321",
        "+55 11 98765-4321",
        "+5511987654321",
        "55 11 98765 4321",
        "011 98765-4321",
        "(41) 3456-7890",
        "(41) 9654-3210",  # an old mobile, before the ninth digit
        "98765-4321",
        "3456-7890",
        "+1 415 555 2671",
        "+44 20 7946 0958",
        "+351 912 345 678",
    ],
)
def test_phones_brazilian_and_international(phone: str) -> None:
    assert redact(f"ligue {phone} amanhã", Vault()) == "ligue [TELEFONE_1] amanhã"


def test_a_phone_with_and_without_country_code_is_one_phone() -> None:
    vault = Vault()
    assert redact("+55 11 98765-4321 ou (11) 98765-4321", vault) == "[TELEFONE_1] ou [TELEFONE_1]"


def test_a_card_is_redacted_whole_not_half_eaten_by_a_phone_rule() -> None:
    vault = Vault()
    text = "cartão 4111 1111 1111 1111, 5555-5555-5555-4444, amex 3782 822463 10005"
    assert redact(text, vault) == "cartão [CARTAO_1], [CARTAO_2], amex [CARTAO_3]"


def test_numbers_that_are_none_of_these_stay() -> None:
    text = "pedido 4111 1111 1111 1112, CEP 01310-100, de 2024-2025, R$ 1.250,00 às 14:30"
    assert redact(text, Vault()) == text


# -- putting it back ----------------------------------------------------------------------------


def test_restore_tolerates_case_spacing_and_accents_and_leaves_unknown_placeholders() -> None:
    vault = Vault()
    redact("CPF 529.982.247-25, cartão 4111 1111 1111 1111", vault)
    answer = "[cpf_1] [Cpf_1] [ CPF_1 ] [CPF 1] [CARTÃO_1] [CPF_2] [NOME_1] [nota]"
    assert restore(answer, vault) == (
        "529.982.247-25 529.982.247-25 529.982.247-25 529.982.247-25 4111 1111 1111 1111 "
        "[CPF_2] [NOME_1] [nota]"
    )


def test_another_conversations_vault_restores_nothing() -> None:
    mine, other = Vault(), Vault()
    redacted = redact("CPF 529.982.247-25", mine)
    assert restore(redacted, other) == redacted


def test_stream_restorer_holds_a_placeholder_split_across_chunks() -> None:
    vault = Vault()
    redact("e-mail ana@exemplo.com", vault)
    restorer = StreamRestorer(vault)
    shown = [
        restorer.feed(c) for c in ("Enviei para [em", "ail", "_1", "] ok [", "sem placeholder")
    ]
    shown.append(restorer.flush())
    assert shown == ["Enviei para ", "", "", "ana@exemplo.com ok ", "[sem placeholder", ""]


# -- properties ---------------------------------------------------------------------------------


def _cpf(digits: str, formatted: bool) -> str:
    return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}" if formatted else digits


def _with_cpf_check(base: str) -> str:
    numbers = [int(d) for d in base]
    for length in (9, 10):
        total = sum(n * (length + 1 - i) for i, n in enumerate(numbers[:length]))
        numbers.append(total * 10 % 11 % 10)
    return "".join(map(str, numbers))


def _with_cnpj_check(base: str) -> str:
    values = [ord(c) - 48 for c in base]
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    for _ in range(2):
        remainder = sum(v * w for v, w in zip(values, weights, strict=True)) % 11
        values.append(0 if remainder < 2 else 11 - remainder)
        weights = [6, *weights]
    return base + "".join(str(v) for v in values[12:])


def _with_luhn(base: str) -> str:
    for check in "0123456789":
        if luhn_ok(base + check):
            return base + check
    raise AssertionError("unreachable")


DIGITS = "0123456789"
cpfs = st.builds(
    _cpf,
    st.one_of(
        st.text(DIGITS, min_size=11, max_size=11),  # shaped like one, check digits or not
        st.text(DIGITS, min_size=9, max_size=9).map(_with_cpf_check),
    ),
    st.booleans(),
)
cnpjs = st.builds(
    lambda value, formatted: (
        f"{value[:2]}.{value[2:5]}.{value[5:8]}/{value[8:12]}-{value[12:]}" if formatted else value
    ),
    st.text(DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=12, max_size=12)
    .filter(lambda base: len(set(base)) > 1)
    .map(_with_cnpj_check),
    st.booleans(),
)
emails = st.builds(
    lambda user, domain, tld: f"{user}@{domain}.{tld}",
    st.from_regex(r"[a-zA-Z0-9][a-zA-Z0-9._+-]{0,15}", fullmatch=True),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True),
    st.sampled_from(["com", "com.br", "org", "net.br", "io"]),
)
DDDS = ["11", "21", "41", "48", "51", "61", "71", "81", "92", "99"]
PHONE_FORMATS = [
    "({ddd}) {a}-{b}",
    "{ddd} {a}-{b}",
    "{ddd}{a}{b}",
    "+55 {ddd} {a}-{b}",
    "+55{ddd}{a}{b}",
    "0{ddd} {a} {b}",
]
br_phones = st.builds(
    lambda fmt, ddd, mobile, rest: fmt.format(
        ddd=ddd, a=("9" if mobile else "3") + rest[: 4 if mobile else 3], b=rest[-4:]
    ),
    st.sampled_from(PHONE_FORMATS),
    st.sampled_from(DDDS),
    st.booleans(),
    st.text(DIGITS, min_size=8, max_size=8),
) | st.builds(lambda rest: f"9{rest[:4]}-{rest[4:]}", st.text(DIGITS, min_size=8, max_size=8))
world_phones = st.builds(
    lambda region, style: phonenumbers.format_number(phonenumbers.example_number(region), style),
    st.sampled_from(["US", "GB", "PT", "AR", "DE", "FR", "ES", "JP", "MX"]),
    st.sampled_from(
        [phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164]
    ),
)
cards = st.builds(
    lambda number, sep: sep.join(number[i : i + 4] for i in range(0, len(number), 4)),
    st.builds(
        lambda prefix, body: _with_luhn(prefix + body[: 15 - len(prefix)]),
        st.sampled_from(["4", "51", "55", "2221", "6011", "636368"]),
        st.text(DIGITS, min_size=15, max_size=15),
    ),
    st.sampled_from(["", " ", "-"]),
)
personal = st.one_of(cpfs, cnpjs, emails, br_phones, world_phones, cards)
words = st.text(
    st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x17F) | st.sampled_from(" !?"),
    max_size=30,
)
separators = st.sampled_from([" ", ", ", "\n", " e ", "; ", ": "])


@st.composite
def messages(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A message mixing words and personal data: (text, the personal values in it)."""
    values = draw(st.lists(personal, max_size=6))
    parts: list[str] = [draw(words)]
    for value in values:
        parts += [draw(separators), value, draw(separators), draw(words)]
    return "".join(parts), values


def _key(value: str) -> str:
    return "".join(ch for ch in value if ch.isalnum()).casefold()


@settings(max_examples=300, deadline=None)
@given(messages())
# A foreign number whose national part reads as Brazilian kept its country code (CI, 2026-12).
@example((" +54 11 2345-6789  00000000000 ", ["+54 11 2345-6789", "00000000000"]))
def test_no_personal_data_survives_redaction(message: tuple[str, list[str]]) -> None:
    text, _ = message
    redacted = redact(text, Vault())
    outside = PLACEHOLDER.sub(" ", redacted)
    assert not re.search(r"\d", outside), redacted  # the words around hold no digits
    assert "@" not in outside
    assert detect(redacted) == []


@settings(max_examples=300, deadline=None)
@given(messages())
def test_redact_then_restore_gives_the_message_back(message: tuple[str, list[str]]) -> None:
    text, values = message
    # One value written two ways comes back in its first way (one placeholder for both).
    for one in values:
        for other in values:
            a, b = _key(one), _key(other)
            if one != other and (a.endswith(b) or b.endswith(a)):
                return
    vault = Vault()
    assert restore(redact(text, vault), vault) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_round_trips_and_leaves_nothing_detectable(text: str) -> None:
    if PLACEHOLDER.search(text):
        return  # a literal "[CPF_1]" typed by the customer would be put back as the CPF
    vault = Vault()
    redacted = redact(text, vault)
    assert detect(redacted) == []
    assert restore(redacted, vault) == text


fragments = st.one_of(
    words,
    st.sampled_from(
        [
            "[CPF_1]",
            "[cpf_1]",
            "[ Email _1 ]",
            "[TELEFONE_1]",
            "[CARTÃO_1]",
            "[CPF_12]",
            "[NOME_1]",
            "[",
            "]",
            "[CPF_",
            "_1]",
            "[ ",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=12).map("".join), st.lists(st.integers(0, 200), max_size=8))
def test_restoring_through_any_chunk_split_equals_restoring_the_whole(
    answer: str, cuts: list[int]
) -> None:
    vault = Vault()
    redact("CPF 529.982.247-25, ana@exemplo.com, (11) 98765-4321, 4111 1111 1111 1111", vault)
    bounds = sorted({min(c, len(answer)) for c in cuts} | {0, len(answer)})
    restorer = StreamRestorer(vault)
    pieces = [restorer.feed(answer[a:b]) for a, b in itertools.pairwise(bounds)]
    pieces.append(restorer.flush())
    assert "".join(pieces) == restore(answer, vault)
