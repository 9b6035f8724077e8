"""What a search lists under the conversations: each matching message in context, cheaply."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.store.message_hits import SHOWN, search_history
from crm_whatsapp.store.search import Query, snippet
from tests.desktop.events import text_message


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    opened = History(open_engine(tmp_path / "h.db", os.urandom(32)))
    yield opened
    opened.close()


def queries_made(history: History) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(history.engine, "before_cursor_execute", record)
    return seen


def statements(seen: list[str]) -> list[str]:
    """The reads made (transactions opened not counted)."""
    return [q for q in seen if q != "BEGIN"]


def joined(parts: list[tuple[str, bool]]) -> str:
    return "".join(f"[{p}]" if hit else p for p, hit in parts)


def test_a_snippet_is_the_text_around_the_match_with_the_matches_marked() -> None:
    query = Query.parse("boleto marco")
    assert joined(snippet("Segue o boleto de Março, confere?", query)) == (
        "Segue o [boleto] de [Março], confere?"
    )
    long = "palavra " * 30 + "o boleto venceu ontem " + "fim " * 30
    parts = snippet(long, Query.parse("boleto"), width=40)
    text = joined(parts)
    assert "[boleto]" in text and text.startswith("…") and text.endswith("…")
    assert len("".join(p for p, _ in parts)) <= 42  # the width and its two ellipses
    # Markup is text like any other: the caller escapes it; only the word is marked.
    assert joined(snippet("<b>boleto</b>\n\nok", query)) == "<b>[boleto]</b> ok"
    assert joined(snippet(None, query)) == ""
    # One or two letters match whole words only, as the index does.
    assert joined(snippet("oi, tudo bem? oito", Query.parse("oi"))) == "[oi], tudo bem? oito"


def test_every_matching_message_is_listed_with_its_conversation_and_sender(
    history: History,
) -> None:
    history.apply(
        [
            text_message(1, "5581997778888", "Segue o boleto de março", 1000, "Fernanda Lima"),
            text_message(2, "5581997778888", "Tudo certo", 1100, "Fernanda Lima"),
            text_message(3, "5581997778888", "O boleto de abril chegou?", 1200, "Fernanda Lima"),
            text_message(4, "5511912345678", "Segunda via do boleto", 1300, "Marcos"),
        ]
    )
    seen = queries_made(history)
    answer = search_history(history, "boleto")
    queries = statements(seen)
    assert [(h.title, h.direction) for h in answer.hits] == [
        ("Marcos", "in"),
        ("Fernanda Lima", "in"),
        ("Fernanda Lima", "in"),
    ]  # newest first, two of Fernanda's
    assert [joined(list(h.snippet)) for h in answer.hits][1] == "O [boleto] de abril chegou?"
    contacts = {r["contact_id"] for r in history.conversations(10)}
    assert set(answer.contact_ids or []) == contacts
    fts = [q for q in queries if "messages_fts" in q]
    assert len(fts) == 1  # one walk of the message index, whatever the hits
    assert len(queries) <= 5, queries  # and nothing read per hit

    assert search_history(history, "  ").contact_ids is None
    assert search_history(history, "bo").hits == []  # two letters: names only, as the list


def test_hundreds_of_hits_list_the_newest_few_for_the_same_cost(history: History) -> None:
    history.apply(
        [
            text_message(n, f"55119{n:08d}", f"Quero um orçamento {n}", 1000 + n, f"Cliente {n}")
            for n in range(1, 201)
        ]
    )
    seen = queries_made(history)
    answer = search_history(history, "orcamento")
    queries = statements(seen)
    assert len(answer.hits) == SHOWN
    assert answer.hits[0].title == "Cliente 200"
    assert len(answer.contact_ids or []) == 200  # the list still narrows to every one
    assert len(queries) <= 5, queries
