"""``crm-whatsapp plugins …`` and ``crm-whatsapp crm lookup|lead|log`` (DESIGN.md, Plugins).

Real processes, a real keyring, and the example plugin of ``docs/plugins.md``
(``plugins/examples/hello_crm``) built and installed as its own package into a
folder on ``PYTHONPATH``: it is found through its entry point, as a third
party's plugin would be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from relay.devices import add_device

if TYPE_CHECKING:  # the desktop tests' conftest (the name is shared by every folder's)
    from conftest import Stack

CLI = str(Path(sys.executable).with_name("crm-whatsapp"))
ANA = "5511987654321"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=90)


@pytest.fixture
def home(stack: Stack, real_keyring: object, tmp_path: Path, example_site: Path) -> dict[str, str]:
    """An enrolled PC that knows Ana (she wrote), with the example plugin installed."""
    env = dict(os.environ)
    env["CRM_WHATSAPP_HOME"] = str(tmp_path / "pc")
    env["PYTHONPATH"] = os.pathsep.join([str(example_site), env.get("PYTHONPATH", "")])
    _, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC caixa")
    assert run(env, "enroll", stack.url, code, "--name", "PC caixa").returncode == 0
    stack.say(ANA, text="Oi, queria um orçamento de 20 camisetas")
    assert run(env, "sync", "--until-idle").returncode == 0
    return env


def crm_file(tmp_path: Path) -> Path:
    path = tmp_path / "clientes.json"
    path.write_text(
        json.dumps(
            {
                "customers": [
                    # A decoy: same last eight digits, another area code.
                    {"id": 1, "name": "Outra Ana", "phone": "(21) 98765-4321", "company": "X"},
                    {"id": 2, "name": "Ana Paula", "phone": "(11) 8765-4321", "company": "Malhas"},
                ]
            }
        ),
        encoding="utf-8",
    )
    return path


def test_the_example_plugin_is_found_through_its_entry_point_and_configured_from_the_cli(
    home: dict[str, str], tmp_path: Path
) -> None:
    listed = json.loads(run(home, "plugins", "--json").stdout)["plugins"]
    hello = next(p for p in listed if p["name"] == "hello")
    assert hello["enabled"] is False and hello["title"] == "Hello CRM"
    assert set(hello["capabilities"]) == {"lookup", "create_lead", "log_conversation", "on_event"}

    assert run(home, "plugins", "enable", "hello").returncode == 0
    assert run(home, "plugins", "set", "hello", "file", str(crm_file(tmp_path))).returncode == 0
    plain = run(home, "plugins").stdout
    assert "hello" in plain and "ativado" in plain

    wrong = run(home, "plugins", "set", "hello", "token", "x")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == (
        "O plugin hello não tem a configuração 'token' (as que tem: file)."
    )
    missing = run(home, "plugins", "enable", "nao-existe")
    assert missing.returncode == 1 and "Nenhum plugin se chama 'nao-existe'" in missing.stderr


def test_lookup_lead_and_log_through_the_plugin(home: dict[str, str], tmp_path: Path) -> None:
    path = crm_file(tmp_path)
    run(home, "plugins", "enable", "hello")
    run(home, "plugins", "set", "hello", "file", str(path))

    looked = run(home, "crm", "lookup", "+55 (11) 98765-4321", "--json")
    assert looked.returncode == 0, looked.stderr
    (card,) = json.loads(looked.stdout)["cards"]
    assert (card["plugin"], card["name"], card["company"]) == ("hello", "Ana Paula", "Malhas")
    assert card["phones"] == ["(11) 8765-4321"]

    lead = run(home, "crm", "lead", ANA, "--title", "Orçamento camisetas")
    assert lead.returncode == 0, lead.stderr
    assert lead.stdout.startswith("Hello CRM: 1")
    logged = run(home, "crm", "log", ANA)
    assert logged.returncode == 0, logged.stderr
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["leads"] == [{"title": "Orçamento camisetas", "customer": "2"}]
    (note,) = data["notes"]
    assert note["customer"] == "2"
    first, said = note["text"].splitlines()
    assert first.startswith("Conversa no WhatsApp com ")
    assert said.endswith(
        f"{first.removeprefix('Conversa no WhatsApp com ')}: "
        "Oi, queria um orçamento de 20 camisetas"
    )


def test_a_failing_plugin_is_one_line_naming_it_and_a_non_zero_exit(
    home: dict[str, str], tmp_path: Path
) -> None:
    run(home, "plugins", "enable", "hello")
    run(home, "plugins", "set", "hello", "file", str(tmp_path / "sumiu.json"))
    looked = run(home, "crm", "lookup", ANA, "--json")
    assert looked.returncode == 1
    assert json.loads(looked.stdout) == {"cards": []}
    assert looked.stderr.strip() == "hello: Não foi possível ler sumiu.json."
    assert "Traceback" not in looked.stderr
    logged = (Path(home["CRM_WHATSAPP_HOME"]) / "logs" / "crm-whatsapp.log").read_text("utf-8")
    assert "plugin hello lookup failed: unreachable" in logged
    assert ANA not in logged and "sumiu" not in logged


def test_nobody_matching_prints_no_cards_and_succeeds(home: dict[str, str], tmp_path: Path) -> None:
    run(home, "plugins", "enable", "hello")
    run(home, "plugins", "set", "hello", "file", str(crm_file(tmp_path)))
    looked = run(home, "crm", "lookup", "5531912345678", "--json")
    assert looked.returncode == 0, looked.stderr
    assert json.loads(looked.stdout) == {"cards": []}
