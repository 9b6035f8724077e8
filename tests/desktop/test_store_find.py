"""The search box's query: who the customer is, then what was said, in a few queries."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from tests.desktop.events import text_message


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    opened = History(open_engine(tmp_path / "h.db", os.urandom(32)))
    yield opened
    opened.close()


def count_queries(history: History) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(history.engine, "before_cursor_execute", record)
    return seen


def test_two_hundred_hits_cost_a_handful_of_queries_not_one_each(history: History) -> None:
    history.apply(
        [
            text_message(n, f"55119{n:08d}", f"Quero um orçamento {n}", 1000 + n, f"Cliente {n}")
            for n in range(1, 201)
        ]
    )
    queries = count_queries(history)
    found = history.find("orçamento", limit=200)
    assert len(found.rows) == 200
    assert queries and len(queries) <= 8, queries  # was one conversation query per message hit
    # Newest message first, and every contact of a listed conversation is named.
    assert found.rows[0]["name"] == "Cliente 200"
    assert set(found.contact_ids) == {r["contact_id"] for r in found.rows}


def test_the_number_owner_comes_first_then_names_then_messages(history: History) -> None:
    history.apply(
        [
            text_message(1, "5581997778888", "Bom dia", 1000, "Rita"),
            text_message(2, "5511912345678", "Falei com a Rita ontem", 2000, "Marcos"),
            text_message(3, "5521988887777", "oi", 3000, "Rita Souza"),
        ]
    )
    names = [r["name"] for r in history.find("(81) 99777-8888").rows]
    assert names[0] == "Rita"
    by_name = [r["name"] for r in history.find("rita").rows]
    assert by_name == ["Rita Souza", "Rita", "Marcos"]  # names by recency, then the mention
    assert history.find("   ").rows == []
