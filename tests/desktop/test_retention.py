"""Retention: "delete history older than N months" removes it for good, keeps the rest.

What an attendant (or the office's data officer) would notice: old messages
are gone from the thread and from search, newer ones stay, the conversation
list no longer previews a deleted message, a send still waiting in the outbox
is not lost, and not even the decrypted file holds the old text any more.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import ANA, Stack
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from crm_whatsapp.profile import Profile
from crm_whatsapp.settings import Preferences, load_preferences, save_preferences
from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.store.retention import months_before, prune_before
from crm_whatsapp.workspace import Workspace
from relay.devices import add_device
from tests.desktop.sqlpeek import rows

PNID = "106540352242922"
BRUNO = "5521998761234"
CLI = str(Path(sys.executable).with_name("crm-whatsapp"))
DAY = 86400.0


def inbound(seq: int, wa_id: str, ts: float, body: str, **extra: Any) -> tuple[int, dict[str, Any]]:
    return seq, {
        "kind": "message",
        "phone_number_id": PNID,
        "contacts": [{"profile": {"name": f"Cliente {wa_id[-4:]}"}, "wa_id": wa_id}],
        "data": {
            "from": wa_id,
            "id": f"wamid.RET{seq}",
            "timestamp": str(int(ts)),
            "type": "text",
            "text": {"body": body},
            **extra,
        },
    }


def decrypted_pages(db: Path, key: bytes) -> bytes:
    """Every page of the SQLCipher file decrypted, free pages included (4096-byte pages,
    80 reserved bytes: IV then HMAC; page 1 starts after its 16-byte salt)."""
    raw, size, out = db.read_bytes(), 4096, []
    for offset in range(0, len(raw), size):
        page = raw[offset : offset + size]
        iv = page[size - 80 : size - 64]
        body = page[16 if offset == 0 else 0 : size - 80]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        out.append(decryptor.update(body) + decryptor.finalize())
    return b"".join(out)


@pytest.fixture
def aged(tmp_path: Path) -> tuple[History, Path, bytes, float]:
    """Ana wrote long ago and recently; Bruno only long ago; one reply sent, one waiting."""
    key, db = os.urandom(32), tmp_path / "history.db"
    history = History(open_engine(db, key))
    now = time.time()
    old = now - 300 * DAY
    history.apply(
        [
            inbound(1, ANA, old, "Quero orçamento da escada caracol"),
            inbound(2, BRUNO, old + 60, "Orçamento do telhado colonial"),
            inbound(
                3,
                ANA,
                old + 120,
                "",
                type="reaction",
                reaction={"message_id": "wamid.RET1", "emoji": "👍"},
            ),
            (
                4,
                {
                    "kind": "status",
                    "data": {"id": "wamid.OUT-OLD", "status": "read", "timestamp": str(int(old))},
                },
            ),
        ]
    )
    ana = history.conversations(contact_ids=[history.contact_by_phone(ANA)])[0]["id"]
    rows = history.outbox
    sent = rows.queue(
        ana, {"type": "text", "text": {"body": "Segue o valor da escada"}}, "crmw-sent"
    )
    rows.accepted("crmw-sent", "wamid.SENT")
    rows.queue(ana, {"type": "text", "text": {"body": "Mensagem ainda na fila"}}, "crmw-wait")
    assert history.message(sent)
    # Later: Ana writes again; everything up to here is older than the cutoff.
    history.apply([inbound(5, ANA, now + 120, "Pode ser amanhã a instalação?")])
    return history, db, key, now + 60


def test_old_messages_leave_thread_search_and_list_newer_stay(
    aged: tuple[History, Path, bytes, float],
) -> None:
    history, _, _, cutoff = aged
    assert history.search("caracol") and history.search("colonial")
    result = prune_before(history.writer, history.folder, cutoff)
    assert result.messages == 3  # Ana's and Bruno's old ones, the sent reply; not the queued one

    ana = history.conversations(contact_ids=[history.contact_by_phone(ANA)])[0]
    texts = [m["text"] for m in history.messages(ana["id"])]
    assert texts == ["Mensagem ainda na fila", "Pode ser amanhã a instalação?"]
    assert history.search("caracol") == [] and history.search("colonial") == []
    assert history.search("escada") == []  # the sent reply's words too
    assert [m["text"] for m in history.search("instalação")] == ["Pode ser amanhã a instalação?"]
    assert ana["preview_text"] == "Pode ser amanhã a instalação?"
    assert ana["last_inbound_at"] == pytest.approx(cutoff + 60, abs=1)

    bruno = history.conversations(contact_ids=[history.contact_by_phone(BRUNO)])[0]
    assert history.messages(bruno["id"]) == []
    assert bruno["preview_text"] is None and bruno["unread"] == 0
    assert not history.window(bruno["id"]).open

    assert history.reactions(["wamid.RET1"]) == {}
    assert rows(history, "SELECT count(*) FROM status_history")[0][0] == 0
    outbox = rows(history, "SELECT client_id, state FROM outbox")
    assert outbox == [("crmw-wait", "queued")]  # not sent yet: kept, still to be sent
    history.close()


def test_nothing_of_the_old_text_is_left_even_decrypted(
    aged: tuple[History, Path, bytes, float],
) -> None:
    history, db, key, cutoff = aged
    prune_before(history.writer, history.folder, cutoff)
    history.close()
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0
    pages = decrypted_pages(db, key)
    assert "instalação".encode() in pages  # the decryption really works
    for gone in ("escada caracol", "caracol", "telhado colonial", "colonial", "Segue o valor"):
        assert gone.encode() not in pages, gone


def test_months_are_calendar_months() -> None:
    may_31 = dt.datetime(2026, 5, 31, 15, 0).timestamp()
    assert dt.datetime.fromtimestamp(months_before(3, may_31)) == dt.datetime(2026, 2, 28, 15, 0)
    assert dt.datetime.fromtimestamp(months_before(12, may_31)) == dt.datetime(2025, 5, 31, 15, 0)
    with pytest.raises(ValueError):
        months_before(0, may_31)


def test_retention_is_a_preference_with_keep_forever_by_default(tmp_path: Path) -> None:
    assert Preferences().retention_months == 0
    save_preferences(tmp_path, Preferences(retention_months=24))
    assert load_preferences(tmp_path).retention_months == 24
    for bad in ("12", True, -1, 5000, None):
        (tmp_path / "settings.json").write_text(json.dumps({"retention_months": bad}))
        assert load_preferences(tmp_path).retention_months == 0


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=120)


def test_prune_command(stack: Stack, real_keyring: object, tmp_path: Path) -> None:
    home = tmp_path / "pc"
    env = {**os.environ, "CRM_WHATSAPP_HOME": str(home)}
    _, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC caixa")
    assert cli(env, "enroll", stack.url, code, "--name", "PC caixa").returncode == 0
    stack.say(ANA, text="Pedido antigo de persianas", timestamp=time.time() - 400 * DAY)
    stack.say(ANA, text="Pedido novo de cortinas")
    assert cli(env, "sync", "--until-idle").returncode == 0

    refused = cli(env, "prune", "--older-than-months", "0")
    assert refused.returncode == 1
    assert refused.stderr.strip() == "Informe um número de meses entre 1 e 1200."

    done = cli(env, "prune", "--older-than-months", "6")
    assert done.returncode == 0, done.stderr
    assert "1 mensagens de 1 conversas" in done.stdout, done.stdout
    workspace = Workspace.open(Profile(home))
    try:
        conversation = workspace.history.conversations()[0]["id"]
        texts = [m["text"] for m in workspace.history.messages(conversation)]
        assert texts == ["Pedido novo de cortinas"]
        assert workspace.history.search("persianas") == []
        assert workspace.prune(0).messages == 0  # 0 = keep forever: nothing happens
    finally:
        workspace.close()
