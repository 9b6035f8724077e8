"""The command line's part of "keys, in the window": erasing asks first, plain exports a person
can read, the audit trail recorded when the command line does it, and a restored profile told
it needs a new enrollment code (then enrolled again over the same history).

Each command is a real process with its profile in ``CRM_WHATSAPP_HOME``, its secrets in a
real Secret Service, and a real relay.
"""

from __future__ import annotations

import json
import os
import pty
import re
import stat
import subprocess
from pathlib import Path

from conftest import Stack
from sqlalchemy import select
from test_cli_headless import ANA, CLI, enroll, run

from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import SERVICE, KeyStore
from crm_whatsapp.workspace import Workspace
from relay.db import events
from relay.devices import add_device, revoke
from tests.desktop.sqlpeek import rows

MASKED_ANA = "+55 11 •••••-4321"


def with_ana(stack: Stack, env: dict[str, str]) -> None:
    stack.say(ANA, text="Olá, quero marcar uma visita")
    stack.say(ANA, "document")
    done = run(env, "sync", "--until-idle")
    assert done.returncode == 0, done.stderr


def contacts(home: Path) -> int:
    workspace = Workspace.open(Profile(home))
    try:
        return len(workspace.history.conversations(100, view="all"))
    finally:
        workspace.close()


def on_terminal(env: dict[str, str], answer: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command with a terminal as its input, typing ``answer`` and Enter."""
    leader, follower = pty.openpty()
    try:
        os.write(leader, (answer + "\n").encode())
        return subprocess.run(
            [CLI, *args], env=env, stdin=follower, capture_output=True, text=True, timeout=60
        )
    finally:
        os.close(leader)
        os.close(follower)


def relay_audit(stack: Stack) -> list[dict[str, object]]:
    engine = stack.relay.server.config.app.relay.engine
    with engine.connect() as conn:
        bodies = [json.loads(b) for b in conn.execute(select(events.c.body)).scalars()]
    return [b for b in bodies if b.get("kind") == "team" and b["data"].get("action") == "audit"]


def test_erase_without_a_terminal_or_yes_refuses_and_keeps_everything(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    with_ana(stack, env)
    done = run(env, "erase-contact", ANA)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "Apagar um contato pede confirmação: rode num terminal ou acrescente --yes."
    ]
    assert contacts(home) == 1


def test_erase_asks_on_a_terminal_and_takes_the_phone_or_sim(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    with_ana(stack, env)

    done = on_terminal(env, "não", "erase-contact", ANA)
    assert done.returncode == 1
    assert "+55 11 98765-4321" in done.stdout and "2 mensagens" in done.stdout
    assert "Nada foi apagado." in done.stderr
    assert contacts(home) == 1

    # The phone typed again, the way people write it, confirms.
    done = on_terminal(env, "(11) 98765-4321", "erase-contact", ANA)
    assert done.returncode == 0, done.stderr
    assert "2 mensagens" in done.stdout
    assert contacts(home) == 0


def test_plain_export_reads_as_a_person_would_and_is_private(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    with_ana(stack, env)
    out = tmp_path / "export"
    done = run(env, "export-contact", ANA, str(out), "--plain")
    assert done.returncode == 0, done.stderr
    exported_file = next(out.glob("contato-*.json"))
    exported = json.loads(exported_file.read_text())
    assert exported["contact"]["telefone"] == "+55 11 98765-4321"
    date = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")
    assert date.fullmatch(exported["exported_at"])
    stamps = [m["timestamp"] for c in exported["conversations"] for m in c["messages"]]
    assert stamps and all(date.fullmatch(s) for s in stamps)
    for path in [exported_file, *out.rglob("*.bin")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_exports_erasures_and_restores_reach_the_relay_without_message_text(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    with_ana(stack, env)
    assert run(env, "export-contact", ANA, str(tmp_path / "x")).returncode == 0
    assert run(env, "erase-contact", ANA, "--yes").returncode == 0

    trail = relay_audit(stack)
    kinds = [e["data"]["kind"] for e in trail]  # type: ignore[index]
    assert kinds == ["recovery_key_shown", "export", "erase"]
    assert all(e["device_name"] == "PC caixa" for e in trail)
    export, erase = trail[1]["data"], trail[2]["data"]
    assert export["subject"] == erase["subject"] == MASKED_ANA  # type: ignore[index]
    assert "visita" not in json.dumps(trail) and "98765" not in json.dumps(trail)

    # The desktop files its own entries from the stream: nothing pending, nothing twice.
    assert run(env, "sync", "--until-idle").returncode == 0
    workspace = Workspace.open(Profile(home))
    try:
        kept = rows(workspace.history, "SELECT kind, subject, pending FROM audit_log ORDER BY at")
    finally:
        workspace.close()
    assert kept == [
        ("recovery_key_shown", "", 0),
        ("export", MASKED_ANA, 0),
        ("erase", MASKED_ANA, 0),
    ]


def test_an_entry_made_offline_waits_and_goes_with_the_next_command(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    with_ana(stack, env)
    device = json.loads((home / "device.json").read_text())
    (home / "device.json").write_text(json.dumps({**device, "relay_url": "http://127.0.0.1:9"}))
    assert run(env, "export-contact", ANA, str(tmp_path / "x")).returncode == 0
    assert [e["data"]["kind"] for e in relay_audit(stack)] == ["recovery_key_shown"]  # type: ignore[index]

    (home / "device.json").write_text(json.dumps(device))
    assert run(env, "sync", "--until-idle").returncode == 0
    assert [e["data"]["kind"] for e in relay_audit(stack)] == ["recovery_key_shown", "export"]  # type: ignore[index]


def test_a_restored_profile_is_told_it_needs_a_new_code_and_keeps_its_history(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    with_ana(stack, env)
    store = KeyStore(Profile(home))
    # On the new PC only the recovery key opens the history; the token stayed behind.
    recovery_text = _restored_on_a_new_pc(real_keyring, store)
    done = subprocess.run(
        [CLI, "recovery-key", "--restore"],
        env=env,
        input=recovery_text + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr

    done = run(env, "sync", "--until-idle")
    assert done.returncode != 0
    assert "precisa de um novo código de ativação" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr

    _, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC novo")
    done = run(env, "enroll", stack.url, code, "--name", "PC novo")
    assert done.returncode == 0, done.stderr
    assert "CHAVE DE RECUPERAÇÃO" not in done.stdout  # the same history, the same sheet
    stack.say(ANA, text="Chegou?")
    done = run(env, "sync", "--until-idle")
    assert done.returncode == 0, done.stderr
    assert "1 conversas, 3 mensagens" in done.stdout  # nothing downloaded twice
    # The restore was recorded once the PC could reach the relay again.
    kinds = [e["data"]["kind"] for e in relay_audit(stack)]  # type: ignore[index]
    assert "recovery_key_restored" in kinds


def test_a_revoked_pc_is_told_it_needs_a_new_code(
    stack: Stack, real_keyring: object, tmp_path: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    with_ana(stack, env)
    device_id = json.loads((home / "device.json").read_text())["device_id"]
    assert revoke(stack.relay.server.config.app.relay.engine, device_id)
    done = run(env, "sync", "--until-idle")
    assert done.returncode != 0
    assert done.stderr.startswith("Este computador precisa de um novo código de ativação")


def _restored_on_a_new_pc(backend: object, store: KeyStore) -> str:
    """Put a known recovery key in the profile, then empty the keyring of this profile."""
    recovery = store.new_recovery_key()
    profile_id = json.loads(store.profile.keys_file.read_text())["profile_id"]
    backend.delete_password(SERVICE, store.keyring_username())  # type: ignore[attr-defined]
    backend.delete_password(SERVICE, f"relay-token:{profile_id}")  # type: ignore[attr-defined]
    return recovery.formatted


def test_plugin_connections_from_the_cli_are_in_the_trail(
    stack: Stack, real_keyring: object, tmp_path: Path, example_site: Path
) -> None:
    home = tmp_path / "pc"
    env = enroll(stack, home)
    env["PYTHONPATH"] = os.pathsep.join([str(example_site), env.get("PYTHONPATH", "")])
    crm = tmp_path / "clientes.json"
    crm.write_text('{"customers": []}', encoding="utf-8")
    assert run(env, "plugins", "enable", "hello").returncode == 0
    assert run(env, "plugins", "enable", "hello").returncode == 0  # already on: nothing new
    assert run(env, "plugins", "set", "hello", "file", str(crm)).returncode == 0
    assert run(env, "plugins", "disable", "hello").returncode == 0
    entries = [(e["data"]["kind"], e["data"]["subject"]) for e in relay_audit(stack)]  # type: ignore[index]
    assert entries == [
        ("recovery_key_shown", ""),
        ("plugin_enabled", "hello"),
        ("plugin_settings", "hello"),
        ("plugin_disabled", "hello"),
    ]
    assert str(crm) not in json.dumps(relay_audit(stack))  # the setting's name, not its value
