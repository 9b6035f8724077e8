"""What the history files for edits, deletions, unsupported messages, reactions and templates.

Meta sends ``edit`` and ``revoke`` messages for numbers shared with the
WhatsApp Business app, in any order and more than once; the history must
end showing the same thing whatever the order (store-level, no window).
"""

from __future__ import annotations

import copy
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crm_whatsapp.domain.templates import build_template_body
from crm_whatsapp.store import template_book
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from relay.simulator.server import TEMPLATES
from tests.desktop import events

CUSTOMER = "5511987654321"


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    opened = History(open_engine(tmp_path / "h.db", os.urandom(32)))
    try:
        yield opened
    finally:
        opened.close()


def inbound(n: int, item: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    return (
        n,
        {
            "kind": "message",
            "phone_number_id": events.PNID,
            "contacts": [{"profile": {"name": "Fernanda"}, "wa_id": CUSTOMER}],
            "data": {"from": CUSTOMER, **item},
        },
    )


def text(n: int, wamid: str, body: str, ts: int) -> tuple[int, dict[str, Any]]:
    return inbound(n, {"id": wamid, "timestamp": str(ts), "type": "text", "text": {"body": body}})


def edit(n: int, wamid: str, original: str, body: str, ts: int) -> tuple[int, dict[str, Any]]:
    content = {
        "original_message_id": original,
        "message": {"type": "text", "text": {"body": body}},
    }
    return inbound(n, {"id": wamid, "timestamp": str(ts), "type": "edit", "edit": content})


def revoke(n: int, wamid: str, original: str, ts: int) -> tuple[int, dict[str, Any]]:
    content = {"original_message_id": original}
    return inbound(n, {"id": wamid, "timestamp": str(ts), "type": "revoke", "revoke": content})


def outbound(n: int, body: dict[str, Any], wamid: str, **extra: Any) -> tuple[int, dict[str, Any]]:
    data = {"wamid": wamid, "wa_id": CUSTOMER, "message": body, "device_name": "Bruno", **extra}
    return (n, {"kind": "outbound", "phone_number_id": events.PNID, "data": data})


def shown(history: History) -> list[tuple[str, str]]:
    """(type, text) of each message of the only conversation, oldest first."""
    (row,) = history.conversations()
    return [(m["type"], m["text"]) for m in history.messages(row["id"])]


def test_an_edit_replaces_the_text_keeps_the_original_and_search_finds_the_new_words(
    history: History,
) -> None:
    history.apply([text(1, "wamid.A", "Quero visitar na terça", 1000)])
    history.apply([edit(2, "wamid.E", "wamid.A", "Quero visitar na quarta", 1060)])
    assert shown(history) == [("text", "Quero visitar na quarta")]
    (message,) = history.messages(history.conversations()[0]["id"])
    assert '"terça"' not in message["payload"] and "terça" in message["payload"]
    assert [h["text"] for h in history.search("quarta")] == ["Quero visitar na quarta"]
    assert history.search("terça") == []
    assert history.conversations()[0]["preview_text"] == "Quero visitar na quarta"
    assert history.conversations()[0]["unread"] == 1  # an edit is not a new message


def test_a_deletion_drops_the_content_from_the_thread_the_list_and_search(
    history: History,
) -> None:
    history.apply([text(1, "wamid.A", "meu CPF é 123", 1000)])
    history.apply([revoke(2, "wamid.R", "wamid.A", 1030)])
    assert shown(history) == [("revoke", "")]
    assert history.search("CPF") == []
    row = history.conversations()[0]
    assert (row["preview_type"], row["preview_text"]) == ("revoke", "")
    (message,) = history.messages(row["id"])
    assert "CPF" not in message["payload"]


EVENTS = [
    text(1, "wamid.A", "Original", 1000),
    edit(2, "wamid.E1", "wamid.A", "Primeira correção", 1010),
    edit(3, "wamid.E2", "wamid.A", "Segunda correção", 1020),
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_edits_end_the_same_in_any_order_and_on_replay(
    history: History, order: tuple[int, ...]
) -> None:
    for i in order:
        history.apply([copy.deepcopy(EVENTS[i])])
    for i in order:  # the relay delivers at least once
        history.apply([copy.deepcopy(EVENTS[i])])
    assert shown(history) == [("text", "Segunda correção")]
    (message,) = history.messages(history.conversations()[0]["id"])
    assert '"Original"' in message["payload"]  # the original stays reachable


def test_an_edit_or_deletion_of_an_unknown_message_still_makes_the_conversation(
    history: History,
) -> None:
    history.apply([edit(1, "wamid.E", "wamid.OLD", "Texto corrigido", 1000)])
    assert shown(history) == [("text", "Texto corrigido")]
    assert history.conversations()[0]["name"] == "Fernanda"
    history.apply([revoke(2, "wamid.R", "wamid.GONE", 1010)])
    assert shown(history) == [("text", "Texto corrigido"), ("revoke", "")]
    # The deleted message arriving afterwards stays deleted.
    history.apply([text(3, "wamid.GONE", "não devia aparecer", 900)])
    assert shown(history) == [("text", "Texto corrigido"), ("revoke", "")]
    assert history.search("aparecer") == []


def test_an_unsupported_message_is_kept_with_what_meta_says(history: History) -> None:
    item = {
        "id": "wamid.U",
        "timestamp": "1000",
        "type": "unsupported",
        "unsupported": {"type": "poll"},
        "errors": [
            {
                "code": 131051,
                "title": "Message type unknown",
                "message": "Message type unknown",
                "error_data": {"details": "Message type is currently not supported."},
            }
        ],
    }
    history.apply([inbound(1, item)])
    assert shown(history) == [("unsupported", "")]
    assert history.conversations()[0]["preview_type"] == "unsupported"


def test_reactions_from_the_business_show_under_the_message_and_in_the_list(
    history: History,
) -> None:
    history.apply([text(1, "wamid.A", "Pode ser amanhã?", 1000)])
    conversation = history.conversations()[0]["id"]
    like = {"type": "reaction", "reaction": {"message_id": "wamid.A", "emoji": "👍"}}
    history.apply([outbound(2, like, "wamid.B1", timestamp="1010")])
    assert history.reactions(["wamid.A"]) == {"wamid.A": ["👍"]}
    assert [m["type"] for m in history.messages(conversation)] == ["text"]  # no empty bubble
    row = history.conversations()[0]
    assert (row["preview_type"], row["preview_direction"], row["preview_text"]) == (
        "reaction",
        "out",
        "👍 Pode ser amanhã?",
    )
    heart = {"type": "reaction", "reaction": {"message_id": "wamid.A", "emoji": "❤️"}}
    history.apply([outbound(3, heart, "wamid.B2", timestamp="1020")])
    assert history.reactions(["wamid.A"]) == {"wamid.A": ["❤️"]}  # the business reacts once
    removed = {"type": "reaction", "reaction": {"message_id": "wamid.A", "emoji": ""}}
    history.apply([outbound(4, removed, "wamid.B3", timestamp="1030")])
    assert history.reactions(["wamid.A"]) == {}
    # This desktop's own reaction: queued as a message, shown under its target once accepted.
    client = "react-1"
    history.outbox.queue(conversation, like, client)
    history.apply([outbound(5, like, "wamid.B4", client_id=client, timestamp="1040")])
    assert history.reactions(["wamid.A"]) == {"wamid.A": ["👍"]}


def test_a_customer_reaction_says_so_in_the_list_without_counting_as_unread(
    history: History,
) -> None:
    history.apply([text(1, "wamid.A", "Oi", 1000)])
    conversation = history.conversations()[0]["id"]
    history.mark_read(conversation)
    history.outbox.queue(conversation, {"type": "text", "text": {"body": "Bom dia!"}}, "c1")
    history.apply(
        [outbound(2, {"type": "text", "text": {"body": "Bom dia!"}}, "wamid.O", client_id="c1")]
    )
    out = next(m for m in history.messages(conversation) if m["direction"] == "out")
    history.apply([outbound(3, {"type": "text"}, str(out["wamid"]), client_id="c1")])
    reaction = {"message_id": str(out["wamid"]), "emoji": "🙏"}
    history.apply(
        [
            inbound(
                4,
                {
                    "id": "wamid.X",
                    "timestamp": "2000000000",
                    "type": "reaction",
                    "reaction": reaction,
                },
            )
        ]
    )
    row = history.conversations()[0]
    assert (row["preview_type"], row["preview_direction"], row["preview_text"]) == (
        "reaction",
        "in",
        "🙏 Bom dia!",
    )
    assert row["unread"] == 0


def test_a_template_is_filed_with_the_text_the_customer_read(history: History) -> None:
    history.apply([text(1, "wamid.A", "Oi", 1000)])
    conversation = history.conversations()[0]["id"]
    template_book.remember(history.writer, TEMPLATES)
    assert history.reader.templates() == TEMPLATES
    body = build_template_body(TEMPLATES[1], {"nome": "Ana", "data": "12/12", "hora": "15h"})
    history.apply([outbound(2, body, "wamid.T1", timestamp="1010")])  # a colleague's
    history.outbox.queue(conversation, build_template_body(TEMPLATES[0], {"1": "Ana"}), "mine")
    history.apply(
        [outbound(3, build_template_body(TEMPLATES[0], {"1": "Ana"}), "wamid.T2", client_id="mine")]
    )
    texts = [m["text"] for m in history.messages(conversation)]
    assert texts[1:] == [
        "Oi Ana, lembrando da sua visita em 12/12 às 15h.",
        "Olá Ana, podemos continuar nosso atendimento?",
    ]
    assert [h["text"] for h in history.search("lembrando")] == [texts[1]]
    assert history.conversations()[0]["preview_text"] == texts[2]  # not the template's name


def test_a_template_unknown_to_this_desktop_keeps_its_name_and_values(history: History) -> None:
    history.apply([text(1, "wamid.A", "Oi", 1000)])
    body = build_template_body(TEMPLATES[1], {"nome": "Ana", "data": "12/12", "hora": "15h"})
    history.apply([outbound(2, body, "wamid.T1", timestamp="1010")])
    assert shown(history)[1] == ("template", "lembrete_visita Ana 12/12 15h")


def test_nobody_edits_or_deletes_a_message_that_is_not_theirs(history: History) -> None:
    history.apply([text(1, "wamid.A", "Mensagem de outra pessoa", 1000)])
    conversation = history.conversations()[0]["id"]
    history.outbox.queue(conversation, {"type": "text", "text": {"body": "Nossa resposta"}}, "c1")
    history.apply([outbound(2, {"type": "text"}, "wamid.OUT", client_id="c1")])
    stranger = edit(3, "wamid.E", "wamid.A", "adulterada", 1010)
    stranger[1]["contacts"][0]["wa_id"] = stranger[1]["data"]["from"] = "5521900000000"
    history.apply([stranger, revoke(4, "wamid.R", "wamid.OUT", 1020)])
    texts = [m["text"] for m in history.messages(conversation)]
    assert texts == ["Mensagem de outra pessoa", "Nossa resposta"]
