"""Why a send failed, as one Portuguese sentence an attendant can act on."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from crm_whatsapp.domain import meta_errors
from crm_whatsapp.domain.meta_errors import STATUS_LABELS, explain, is_window_closed
from relay.graph import ERROR_NAMES, error_name

DOMAIN = Path(meta_errors.__file__).parent
GENERIC = explain(None)

BRIEF_CODES = [
    131047, 131026, 131049, 130429, 131056, 131048, 131051, 131052, 131053, 131000, 131008,
    131009, 131021, 131031, 132000, 132001, 132005, 132007, 132012, 132015, 132016, 133010,
    190, 368, 470, 131042, 100,
]  # fmt: skip
ALL_CODES = sorted(set(BRIEF_CODES) | set(ERROR_NAMES))
# Every name the relay can put in {"error": {"name": ...}} for a send, plus the
# desktop's own names for failures on its side.
RELAY_NAMES = sorted(
    set(ERROR_NAMES.values())
    | {error_name(132000), "meta_unavailable", "meta_unreachable", "send_uncertain"}
    | {"unauthorized", "too_large", "bad_request"}
)
DESKTOP_NAMES = ["auth_failed", "graph_unavailable", "relay_unreachable", "timeout"]
ENGLISH = re.compile(
    r"\b(error|failed|failure|message|template|token|relay|rate|limit|please|the|"
    r"request|unknown|invalid|server|retry)\b",
    re.IGNORECASE,
)


def all_sentences() -> list[str]:
    names = [*RELAY_NAMES, *DESKTOP_NAMES, "graph_error", None]
    return sorted(
        {explain(code) for code in ALL_CODES}
        | {explain(None, name) for name in names}
        | {explain(999999)}
    )


def test_window_sentence_tells_the_attendant_to_send_a_template() -> None:
    assert explain(131047) == (
        "Mais de 24 horas desde a última mensagem do cliente: "
        "envie um modelo aprovado para retomar a conversa."
    )
    assert explain(470) == explain(131047) == explain(None, "outside_customer_window")


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_known_code_has_a_specific_sentence(code: int) -> None:
    sentence = explain(code)
    assert sentence != GENERIC
    assert str(code) not in sentence


@pytest.mark.parametrize("name", [*RELAY_NAMES, *DESKTOP_NAMES])
def test_every_name_the_relay_or_desktop_emits_has_a_specific_sentence(name: str) -> None:
    assert explain(None, name) != GENERIC


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (131026, ("WhatsApp", "versão", "termos")),
        (131049, ("marketing", "24 horas")),
        (130429, ("aguarde",)),
        (131056, ("este cliente", "aguarde")),
        (131048, ("spam",)),
        (131051, ("tipo de mensagem",)),
        (131053, ("arquivo",)),
        (131021, ("próprio número",)),
        (132000, ("variáveis",)),
        (132001, ("idioma",)),
        (132015, ("pausado",)),
        (132016, ("desativado",)),
        (190, ("administrador",)),
        (368, ("temporariamente", "políticas")),
        (131042, ("pagamento",)),
    ],
)
def test_sentences_name_what_happened(code: int, words: tuple[str, ...]) -> None:
    for word in words:
        assert word in explain(code)


@pytest.mark.parametrize(
    ("code", "name"),
    [(131047, "rate_limited"), (131056, "rate_limited"), (131026, "graph_error")],
)
def test_codes_win_over_names_because_they_are_more_precise(code: int, name: str) -> None:
    assert explain(code, name) == explain(code)


@pytest.mark.parametrize("code", [132002, 132099, 132999])
def test_template_codes_meta_adds_later_still_read_as_a_template_problem(code: int) -> None:
    assert explain(code) == explain(None, "template_error")


def test_unknown_code_keeps_its_number_for_the_administrator() -> None:
    assert explain(999999) == "A Meta recusou a mensagem (código 999999)."
    assert explain(999999, "graph_error") == explain(999999)
    assert explain(999999, "rate_limited") == explain(None, "rate_limited")


@pytest.mark.parametrize("name", [None, "graph_error", "something_new", "502"])
def test_nothing_known_gives_the_plain_refusal(name: str | None) -> None:
    assert explain(None, name) == "A Meta recusou a mensagem."


@pytest.mark.parametrize("sentence", all_sentences())
def test_every_sentence_is_one_portuguese_sentence(sentence: str) -> None:
    assert sentence[0].isupper()
    assert sentence.endswith(".")
    assert not re.search(r"[.!?]\s", sentence), "more than one sentence"
    assert not ENGLISH.search(sentence)
    assert "{" not in sentence
    assert len(sentence) <= 200


def test_ui_translation_is_applied_before_the_number_is_filled_in() -> None:
    english = {"A Meta recusou a mensagem (código {code}).": "Meta refused the message ({code})."}

    def translate(context: str, text: str) -> str:
        assert context == "MetaErrors"
        return english.get(text, text)

    assert explain(999999, translate=translate) == "Meta refused the message (999999)."
    assert explain(131047, translate=translate) == explain(131047)


@pytest.mark.parametrize(
    ("code", "name", "closed"),
    [
        (131047, None, True),
        (470, None, True),
        (None, "outside_customer_window", True),
        (131047, "graph_error", True),
        (131026, None, False),
        (None, "rate_limited", False),
        (None, None, False),
    ],
)
def test_window_closed_means_only_a_template_can_go(
    code: int | None, name: str | None, closed: bool
) -> None:
    assert is_window_closed(code, name) is closed


def test_status_labels_cover_every_state_a_message_shows() -> None:
    assert STATUS_LABELS == {
        "pending": "Enviando…",
        "accepted": "Aceita pela Meta",
        "sent": "Enviada",
        "delivered": "Entregue",
        "read": "Lida",
        "failed": "Falhou",
    }


def _noop_calls(tree: ast.AST) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "QT_TRANSLATE_NOOP"
    ]


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_translatable_text_is_literal_so_lupdate_can_extract_it(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for call in _noop_calls(tree):
        assert len(call.args) == 2
        for arg in call.args:
            assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), ast.unparse(call)


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_domain_code_never_imports_qt(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""]
        else:
            continue
        assert not any(m.split(".")[0] in {"PySide6", "PyQt6", "qasync"} for m in modules)
