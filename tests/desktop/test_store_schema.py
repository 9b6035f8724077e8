"""The history's schema moves forward without losing anything, and search finds what people type."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crm_whatsapp.store.database import connect_encrypted, open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.store.schema import MIGRATIONS, SCHEMA_VERSION, SchemaTooNew, migrate
from tests.desktop import events
from tests.desktop.sqlpeek import rows

PNID = events.PNID
inbound = events.text_message


def test_a_first_version_database_is_migrated_with_its_messages_outbox_and_search(
    tmp_path: Path,
) -> None:
    path, key = tmp_path / "history.db", os.urandom(32)
    conn = connect_encrypted(path, key)
    conn.isolation_level = None
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO contacts (id, wa_id, phone_key, created_at, updated_at) "
        "VALUES (1, '5511987654321', '551187654321', 0, 0)"
    )
    conn.execute(
        "INSERT INTO conversations (id, phone_number_id, contact_id, unread, status) "
        "VALUES (1, ?, 1, 0, 'open')",
        (PNID,),
    )
    for i, body in enumerate(["Quero agendar uma visita", "O apartamento tem garagem?"], 1):
        conn.execute(
            "INSERT INTO messages (id, conversation_id, wamid, direction, type, timestamp, text, "
            "payload) VALUES (?, 1, ?, 'in', 'text', ?, ?, '{}')",
            (i, f"wamid.OLD{i}", 1000 + i, body),
        )
    conn.execute(
        "INSERT INTO messages (id, conversation_id, client_id, direction, type, timestamp, text, "
        "payload, status) VALUES (3, 1, 'c-1', 'out', 'text', 1003, 'Claro!', '{}', 'pending')"
    )
    conn.execute(
        "INSERT INTO outbox (client_id, message_id, phone_number_id, request, state, attempts, "
        "next_attempt_at, created_at) VALUES ('c-1', 3, ?, '{}', 'queued', 0, 0, 0)",
        (PNID,),
    )
    conn.close()

    history = History(open_engine(path, key))
    try:
        assert rows(history, "PRAGMA user_version")[0][0] == SCHEMA_VERSION
        texts = [m["text"] for m in history.messages(1)]
        assert texts == ["Quero agendar uma visita", "O apartamento tem garagem?", "Claro!"]
        assert history.outbox.pending_count() == 1  # the queued send survived the rebuild
        assert [m["text"] for m in history.search("apartamento")] == ["O apartamento tem garagem?"]
        # New messages take their place in time and are found like the old ones.
        history.apply([inbound(1, "5511987654321", "Pode ser sábado amanhã?", 2000)])
        assert [m["text"] for m in history.messages(1)][-1] == "Pode ser sábado amanhã?"
        assert len(history.search("sabado")) == 1
    finally:
        history.close()


def test_a_database_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path, key = tmp_path / "history.db", os.urandom(32)
    open_engine(path, key).dispose()
    conn = connect_encrypted(path, key)
    conn.isolation_level = None
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(SchemaTooNew):
        migrate(conn)
    conn.close()


BODIES = {
    1: "Não consigo agendar a consulta",
    2: "O apartamento está disponível?",
    3: "Apartamentos com garagem, por favor",
    4: "Consultório abre às 8h",
    5: "a b c apartar",
}


@pytest.fixture
def history(tmp_path: Path):  # type: ignore[no-untyped-def]
    h = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    senders = [
        ("5511911110001", "Ana Souza"),
        ("5511911110002", "Bruno Lima"),
        ("5511911110002", "Bruno Lima"),
        ("5511911110003", "Carla Dias"),
        ("5521987654321", "Dora"),
    ]
    h.apply(
        [inbound(n, wa_id, BODIES[n], 1000 + n, name) for n, (wa_id, name) in enumerate(senders, 1)]
    )
    yield h
    h.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("nao", [1]),  # accents folded
        ("NÃO consigo", [1]),
        ("apart", [5, 3, 2]),  # a prefix, newest first
        ("apartamento", [3, 2]),  # longer than the indexed prefixes: checked on the text
        ("apartamentos garagem", [3]),
        ("consulta", [1]),  # "consultório" shares six letters but is not a match
        ("consult", [4, 1]),
        ("a apartar", [5]),  # one letter matches whole words only
        ("", []),
        ("   ---  ", []),
        ("zzzzzzzzz", []),
    ],
)
def test_search_finds_words_as_people_type_them(
    history: History, query: str, expected: list[int]
) -> None:
    assert [m["text"] for m in history.search(query)] == [BODIES[n] for n in expected]


def test_search_stops_at_the_limit_newest_first(history: History) -> None:
    batch = [inbound(10 + i, "5511911110009", f"apartamento {i}", 2000 + i) for i in range(250)]
    history.apply(batch)
    found = history.search("apartamento", limit=120)
    assert [m["text"] for m in found] == [f"apartamento {i}" for i in range(249, 129, -1)]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("bruno", ["Bruno Lima"]),
        ("sou", ["Ana Souza"]),
        ("(11) 91111-0003", ["Carla Dias"]),
        ("0002", ["Bruno Lima"]),
        ("21 8765-4321", ["Dora"]),  # typed without the ninth digit
        ("5521 98765 4321", ["Dora"]),
        ("12", []),  # too few digits to mean anything
    ],
)
def test_contacts_are_found_by_name_or_any_part_of_the_number(
    history: History, query: str, names: list[str]
) -> None:
    ids = history.search_contacts(query)
    found = [
        rows(history, "SELECT profile_name FROM contacts WHERE id = ?", (i,))[0][0] for i in ids
    ]
    assert found == names


def test_a_v6_profile_keeps_its_previews_as_what_the_last_message_is(tmp_path: Path) -> None:
    """V7: the Portuguese sentence in last_preview becomes type, direction and text."""
    path, key = tmp_path / "history.db", os.urandom(32)
    conn = connect_encrypted(path, key)
    conn.isolation_level = None
    conn.execute("BEGIN")
    for version in range(6):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 6")
    conn.execute(
        "INSERT INTO contacts (id, wa_id, phone_key, name, profile_name, created_at, updated_at) "
        "VALUES (1, '5511987654321', '551187654321', 'Ana Lima', 'Aninha', 0, 0), "
        "(2, '5511912345678', '551112345678', NULL, 'Bruno', 0, 0)"
    )
    conn.execute(
        "INSERT INTO contacts_fts (rowid, names, phones) VALUES (1, 'Ana Lima Aninha', ''), "
        "(2, 'Bruno', '')"
    )
    for conversation in (1, 2):
        conn.execute(
            "INSERT INTO conversations (id, phone_number_id, contact_id, unread, status, "
            "last_message_at, last_preview) VALUES (?, ?, ?, 0, 'open', 1002, ?)",
            (conversation, PNID, conversation, "Você: 📷 Foto: planta"),
        )
    base = 1 << 41
    # Ana: her photo, then our reply, then a private note (never a preview).
    conn.execute(
        "INSERT INTO messages (id, seq, conversation_id, wamid, direction, type, timestamp, "
        "text, payload) VALUES (?, 1, 1, 'w1', 'in', 'image', 1000, 'planta', '{}')",
        (base | (1000 << 9),),
    )
    conn.execute(
        "INSERT INTO messages_recent (id, seq, conversation_id, client_id, direction, type, "
        "timestamp, text, payload) VALUES (?, 2, 1, 'c1', 'out', 'text', 1001, 'Linda!', '{}')",
        (base | (1001 << 9),),
    )
    conn.execute(
        "INSERT INTO messages (id, seq, conversation_id, client_id, direction, type, timestamp, "
        "text, payload) VALUES (?, 3, 1, 'n1', 'note', 'note', 1002, 'cliente VIP', '{}')",
        (base | (1002 << 9),),
    )
    # Bruno: only a document he sent.
    conn.execute(
        "INSERT INTO messages (id, seq, conversation_id, wamid, direction, type, timestamp, "
        "text, payload) VALUES (?, 4, 2, 'w2', 'in', 'document', 1000, '', '{}')",
        ((2 << 41) | (1000 << 9),),
    )
    conn.execute("COMMIT")
    conn.close()

    history = History(open_engine(path, key))
    try:
        by_id = {r["id"]: r for r in history.conversations()}
        assert (
            by_id[1]["preview_type"],
            by_id[1]["preview_direction"],
            by_id[1]["preview_text"],
        ) == ("text", "out", "Linda!")
        assert (by_id[2]["preview_type"], by_id[2]["preview_direction"]) == ("document", "in")
        assert by_id[2]["preview_text"] == ""
        # The name index was rebuilt without its phones column and still finds both.
        assert history.search_contacts("anin") == [1]
        assert history.search_contacts("lima") == [1]
        assert history.search_contacts("bru") == [2]
    finally:
        history.close()


@pytest.mark.parametrize(
    "typed",
    ["(11) 98765-4321", "+55 11 98765-4321", "11 8765-4321", "98765-4321", "8765-4321", "654321"],
)
def test_a_number_typed_any_way_finds_its_contact(tmp_path: Path, typed: str) -> None:
    history = History(open_engine(tmp_path / "h.db", os.urandom(32)))
    try:
        # Meta sent this customer without the ninth digit; a landline shares the last digits.
        history.apply(
            [
                inbound(1, "551187654321", "Oi", 1000),
                inbound(2, "551133334321", "Bom dia", 1001),
            ]
        )
        found = history.search_contacts(typed)
        mobile = history.contact_by_phone("551187654321")
        assert mobile in found
        if len(typed.replace(" ", "")) > 6:
            assert found == [mobile]
    finally:
        history.close()
