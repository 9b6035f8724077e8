"""Nothing in clear at rest, and an erased contact leaves no trace (DESIGN guarantee 3)."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from crm_whatsapp.store.database import (
    PAGE_MACS,
    WrongDatabaseKey,
    connect_encrypted,
    open_engine,
    page_mac,
    preferred_mac,
)
from crm_whatsapp.store.history import History

PNID = "106540352242922"
PEOPLE = [
    ("Mariana Gonçalves", "5531991234567", "Quero agendar a progressiva para sábado às 10h"),
    ("Roberto Albuquerque", "5521998761234", "O orçamento do conserto do notebook ficou em quanto"),
]


def inbound(seq: int, name: str, wa_id: str, body: str) -> tuple[int, dict[str, Any]]:
    return seq, {
        "kind": "message",
        "phone_number_id": PNID,
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "data": {
            "from": wa_id,
            "id": f"wamid.REST{seq}",
            "timestamp": "1795300000",
            "type": "text",
            "text": {"body": body},
        },
    }


def files_of(db: Path) -> list[Path]:
    return [p for p in db.parent.iterdir() if p.name.startswith(db.name)]


def needles() -> list[bytes]:
    out = []
    for name, wa_id, body in PEOPLE:
        for text in (name, wa_id, body, max(body.split(), key=len)):
            out += [text.encode("utf-8"), text.encode("utf-16-le")]
    return out


@pytest.fixture
def filled(tmp_path: Path) -> tuple[History, Path, bytes]:
    key = os.urandom(32)
    db = tmp_path / "history.db"
    history = History(open_engine(db, key))
    history.apply([inbound(i + 1, *person) for i, person in enumerate(PEOPLE)])
    return history, db, key


def test_no_plaintext_in_the_database_wal_or_shm(filled: tuple[History, Path, bytes]) -> None:
    history, db, _ = filled
    assert history.search("progressiva")  # it is really there, searchable
    for path in files_of(db):
        raw = path.read_bytes()
        for needle in needles():
            assert needle not in raw, f"{needle!r} in clear in {path.name}"
    history.close()


def test_stock_sqlite_cannot_read_the_file(filled: tuple[History, Path, bytes]) -> None:
    history, db, _ = filled
    history.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()


def test_wrong_key_is_refused_and_nothing_is_overwritten(
    filled: tuple[History, Path, bytes],
) -> None:
    history, db, key = filled
    history.close()
    before = {p.name: p.read_bytes() for p in files_of(db)}
    with pytest.raises(WrongDatabaseKey) as caught:
        open_engine(db, os.urandom(32))
    assert "chave" in str(caught.value)
    after = {p.name: p.read_bytes() for p in files_of(db) if p.name in before}
    assert after == before
    # The right key still opens it, history intact.
    again = History(open_engine(db, key))
    assert len(again.conversations()) == 2
    again.close()


def test_erased_contact_leaves_no_trace_even_decrypted(
    filled: tuple[History, Path, bytes], tmp_path: Path
) -> None:
    history, db, key = filled
    name, wa_id, body = PEOPLE[0]
    assert history.erase_contact("+55 31 99123-4567").messages == 1
    assert history.search("progressiva") == []
    assert history.contact_by_phone(wa_id) is None
    assert history.export_contact(wa_id) is None
    assert len(history.conversations()) == 1  # the other customer is untouched
    history.close()
    # Decrypt the whole file into a plain copy and look at every byte of it.
    plain = tmp_path / "decrypted.db"
    conn = connect_encrypted(db, key)
    conn.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    raw = plain.read_bytes() + b"".join(p.read_bytes() for p in files_of(db))
    for text in (name, wa_id, body, "progressiva"):
        assert text.encode("utf-8") not in raw
    assert PEOPLE[1][2].encode("utf-8") in plain.read_bytes()  # the export really decrypted


def test_draft_survives_reopening_and_sending_clears_it(
    filled: tuple[History, Path, bytes],
) -> None:
    history, db, key = filled
    conversation = history.conversations()[0]["id"]
    history.save_draft(conversation, "Oi Mariana, sobre o horário de sábado")
    history.close()
    again = History(open_engine(db, key))
    assert again.draft(conversation) == "Oi Mariana, sobre o horário de sábado"

    again.outbox.queue(conversation, {"type": "text", "text": {"body": "Oi"}}, "crmw-d1")
    assert again.draft(conversation) == ""
    again.close()


def test_a_file_made_with_sqlcipher_defaults_still_opens_and_keeps_its_mac(
    tmp_path: Path,
) -> None:
    """Files made before the page MAC was chosen per CPU (HMAC-SHA512) open as they are."""
    import sqlcipher3

    db, key = tmp_path / "history.db", os.urandom(32)
    conn = sqlcipher3.connect(str(db))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("CREATE TABLE early (x)")
    conn.commit()
    conn.close()
    history = History(open_engine(db, key))
    history.apply([inbound(i + 1, *person) for i, person in enumerate(PEOPLE)])
    history.close()
    again = History(open_engine(db, key))
    assert [m["text"] for m in again.search("progressiva")] == [PEOPLE[0][2]]
    again.close()
    with closing(connect_encrypted(db, key)) as conn:
        assert page_mac(conn) == "HMAC_SHA512"
    with pytest.raises(WrongDatabaseKey):  # every MAC is tried, none opens it
        open_engine(db, os.urandom(32))


def test_a_new_file_takes_the_faster_mac_and_reopens_with_it(
    filled: tuple[History, Path, bytes],
) -> None:
    history, db, key = filled
    history.close()
    assert preferred_mac() in PAGE_MACS
    with closing(connect_encrypted(db, key)) as conn:
        assert page_mac(conn) == preferred_mac()
    other = next(m for m in PAGE_MACS if m != preferred_mac())
    with pytest.raises(WrongDatabaseKey):  # the MAC really is part of the file
        connect_encrypted(db, key, other)
