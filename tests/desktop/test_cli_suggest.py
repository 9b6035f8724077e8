"""``crm-whatsapp suggest``: the contract outside checks use (DESIGN.md, Copilot paragraph).

A real process against a real relay, keyring and an OpenAI-compatible server
on loopback. It prints what the bar would show and never sends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import Stack
from copilot.openai_server import OpenAIServer, suggestions_json

from relay.devices import add_device

CLI = str(Path(sys.executable).with_name("crm-whatsapp"))
ANA, BIA = "5511987654321", "5521998761234"
PAYMENT = "Aceitamos Pix, cartão de débito e cartão de crédito em até 3x sem juros."
CPF = "123.456.789-09"


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=90)


@pytest.fixture
def model() -> Iterator[OpenAIServer]:
    with OpenAIServer() as server:
        yield server


@pytest.fixture
def home(stack: Stack, real_keyring: object, tmp_path: Path) -> dict[str, str]:
    """An enrolled PC whose history holds a quick reply and two customers' questions."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OPENAI_", "CRM_WHATSAPP_COPILOT"))
    }
    env["CRM_WHATSAPP_HOME"] = str(tmp_path / "pc")
    _, code, _ = add_device(stack.relay.server.config.app.relay.engine, "PC caixa")
    assert run(env, "enroll", stack.url, code, "--name", "PC caixa").returncode == 0
    event_id = uuid.uuid4().hex
    httpx.post(
        f"{stack.url}/v1/events",
        headers={"Authorization": f"Bearer {stack.token}"},
        json={
            "id": event_id,
            "kind": "team",
            "data": {"action": "quick_reply", "shortcut": "pix", "text": PAYMENT},
        },
    ).raise_for_status()
    stack.say(ANA, text="bom dia, vcs aceitam pix?")
    stack.say(BIA, text=f"meu cpf é {CPF}, posso pagar no cartão?")
    assert run(env, "sync", "--until-idle").returncode == 0
    return env


def test_local_suggestions_as_json_with_no_model_and_nothing_sent(
    stack: Stack, home: dict[str, str]
) -> None:
    accepted = len(stack.sim.accepted)
    done = run(home, "suggest", "(11) 98765-4321", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["suggestions"][0] == {"text": PAYMENT, "engine": "local"}
    assert len(answer["suggestions"]) <= 3
    assert len(stack.sim.accepted) == accepted
    plain = run(home, "suggest", ANA)
    assert plain.stdout.startswith(f"1. {PAYMENT}")


def test_the_model_gets_no_personal_data_and_the_answer_gets_it_back(
    stack: Stack, home: dict[str, str], model: OpenAIServer
) -> None:
    model.answer = suggestions_json(
        ["Confirmei o cadastro do CPF [cpf_1].", "Pode sim!", "Qual o valor?"]
    )
    model.chunk_size = 3  # the placeholder arrives split over chunks
    env = {
        **home,
        "OPENAI_BASE_URL": model.root_url,  # without /v1, as people type it
        "OPENAI_API_KEY": "sk-teste",
        "CRM_WHATSAPP_COPILOT_MODEL": "modelo-teste",
    }
    done = run(env, "suggest", BIA, "--engine", "model", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["suggestions"][0] == {
        "text": f"Confirmei o cadastro do CPF {CPF}.",
        "engine": "model",
    }
    (request,) = model.chat_requests()
    sent = request.raw.decode()
    assert CPF not in sent and "12345678909" not in sent and "[CPF_1]" in sent
    assert BIA not in sent


def test_a_refused_key_fails_the_model_engine_and_auto_falls_back_to_the_team(
    stack: Stack, home: dict[str, str], model: OpenAIServer
) -> None:
    model.api_key = "the-right-key"
    env = {
        **home,
        "OPENAI_BASE_URL": model.base_url,
        "OPENAI_API_KEY": "wrong",
        "CRM_WHATSAPP_COPILOT_MODEL": "modelo-teste",
    }
    failed = run(env, "suggest", ANA, "--engine", "model", "--json")
    assert failed.returncode != 0
    assert "401" in failed.stderr and "Traceback" not in failed.stderr
    assert json.loads(failed.stdout) == {"suggestions": []}
    auto = run(env, "suggest", ANA, "--json")
    assert auto.returncode == 0
    assert json.loads(auto.stdout)["suggestions"][0]["engine"] == "local"
    assert "401" in auto.stderr


def test_an_unknown_number_is_one_sentence(home: dict[str, str]) -> None:
    done = run(home, "suggest", "5599999999999")
    assert done.returncode == 1 and done.stderr.strip() == "Nenhum contato com esse número."
