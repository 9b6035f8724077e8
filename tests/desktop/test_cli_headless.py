"""The headless commands IT and LGPD requests use, against a real relay and keyring.

Each command runs as a real process (the console script), with its profile in
``CRM_WHATSAPP_HOME`` and its secrets in a real Secret Service.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from conftest import SECRET, Stack
from waiting import wait_until

from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import KeyStore
from crm_whatsapp.workspace import Workspace
from relay.devices import add_device
from tests.desktop.sqlpeek import rows

CLI = str(Path(sys.executable).with_name("crm-whatsapp"))
ANA = "5511987654321"


def run(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=timeout)


def enroll(stack: Stack, home: Path) -> dict[str, str]:
    env = {**os.environ, "CRM_WHATSAPP_HOME": str(home)}
    _, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC caixa")
    done = run(env, "enroll", stack.url, code, "--name", "PC caixa")
    assert done.returncode == 0, done.stderr
    assert "CHAVE DE RECUPERAÇÃO" in done.stdout
    return env


def post_batch(stack: Stack, start: int, count: int) -> None:
    """One signed webhook carrying ``count`` messages (Meta batches up to 1,000)."""
    items = [
        {
            "from": ANA,
            "id": f"wamid.CLI{n}",
            "timestamp": "1795300000",
            "type": "text",
            "text": {"body": f"mensagem {n}"},
        }
        for n in range(start, start + count)
    ]
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": stack.sim.waba_id,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": stack.sim.display_phone_number,
                                "phone_number_id": stack.sim.phone_number_id,
                            },
                            "contacts": [{"profile": {"name": "Ana Souza"}, "wa_id": ANA}],
                            "messages": items,
                        },
                    }
                ],
            }
        ],
    }
    body = json.dumps(payload).encode()
    sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = httpx.post(
        stack.url + "/webhook", content=body, headers={"X-Hub-Signature-256": sig}, timeout=30
    )
    assert response.status_code == 200


def test_enroll_sync_export_and_erase(stack: Stack, real_keyring: object, tmp_path: Path) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    stack.say(ANA, text="Olá, quero marcar uma visita")
    stack.say(ANA, "document")
    done = run(env, "sync", "--until-idle")
    assert done.returncode == 0, done.stderr
    # Two messages, and the audit trail's entry for the recovery key enroll showed.
    assert done.stdout.startswith("3 eventos aplicados"), done.stdout
    assert "1 conversas, 2 mensagens" in done.stdout

    out = tmp_path / "export"
    # A number as people write it, without the country code (was "no such contact").
    done = run(env, "export-contact", "(11) 98765-4321", str(out), "--plain")
    assert done.returncode == 0, done.stderr
    exported = json.loads(next(out.glob("contato-*.json")).read_text())
    texts = [m["text"] for c in exported["conversations"] for m in c["messages"]]
    assert "Olá, quero marcar uma visita" in texts

    done = run(env, "erase-contact", "5511987654321", "--yes")
    assert done.returncode == 0, done.stderr
    assert "2 mensagens" in done.stdout
    workspace = Workspace.open(Profile(home))
    assert workspace.history.conversations() == []
    workspace.close()
    # The relay still has those events, but the cursor is past them: not re-imported
    # (what comes is the audit trail's entries for the export and the erasure).
    done = run(env, "sync", "--until-idle")
    assert done.stdout.startswith("2 eventos aplicados"), done.stdout
    assert "0 conversas, 0 mensagens" in done.stdout


def test_missing_keyring_entry_is_one_clear_sentence(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    store = KeyStore(Profile(home))
    real_keyring.delete_password("crm-whatsapp", store.keyring_username())  # type: ignore[attr-defined]
    done = run(env, "sync", "--until-idle")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "chave de recuperação" in done.stderr.lower()


def test_sync_killed_mid_backlog_resumes_without_loss_or_repeat(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    total = 12_000
    for start in range(0, total, 1000):
        post_batch(stack, start, 1000)
    proc = subprocess.Popen(
        [CLI, "sync", "--until-idle"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workspace = Workspace.open(Profile(home))
    try:
        # Kill it once some, but not all, of the backlog is committed.
        wait_until(lambda: workspace.history.cursor() > 0, timeout=60, interval=0.005)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        partial = rows(workspace.history, "SELECT count(*) FROM all_messages")[0][0]
        done = run(env, "sync", "--until-idle", timeout=120)
        assert done.returncode == 0, done.stderr
        count, distinct = rows(
            workspace.history, "SELECT count(*), count(DISTINCT wamid) FROM all_messages"
        )[0]
    finally:
        workspace.close()
    assert count == distinct == total
    assert partial < total  # the kill really landed mid-backlog
