"""The model engine against a real OpenAI-compatible server on loopback.

What leaves the PC is asserted on the bytes the server received; what the
attendant sees, on the suggestions the engine yields.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import Any, TypeVar

import pytest
from openai_server import (
    DEFAULT_MODEL,
    DEFAULT_SUGGESTIONS,
    Failure,
    OpenAIServer,
    suggestions_json,
)
from waiting import async_wait_until, wait_until

from crm_whatsapp.copilot.endpoint import ModelSettings, model_settings
from crm_whatsapp.copilot.model import CopilotError, ModelEngine, parse_suggestions
from crm_whatsapp.copilot.prompt import Context, Turn
from crm_whatsapp.copilot.redaction import Vault
from crm_whatsapp.copilot.suggestions import Suggestion

T = TypeVar("T")

CPF = "529.982.247-25"
EMAIL = "ana.silva@exemplo.com.br"
PHONE = "(11) 98765-4321"
CARD = "4111 1111 1111 1111"


def run(scenario: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(scenario())


def context(*texts: str, window_open: bool = True, language: str = "pt") -> Context:
    turns = [
        Turn("out", "Bom dia! Em que posso ajudar? 😊", "Júlia", 1_700_000_000.0),
        *(Turn("in", text, None, 1_700_000_060.0 + i) for i, text in enumerate(texts)),
    ]
    return Context(
        thread=turns,
        customer_name="Ana",
        crm_card={"Telefone": PHONE, "Plano": "Ouro"},
        knowledge="Atendemos de segunda a sexta, das 9h às 18h.",
        window_open=window_open,
        language=language,
    )


CUSTOMER = context(f"Meu CPF é {CPF}, e-mail {EMAIL}. O cartão {CARD} foi cobrado duas vezes.")


def settings_for(server: OpenAIServer, **changes: Any) -> ModelSettings:
    values: dict[str, Any] = {"model": DEFAULT_MODEL, "api_key": "sk-teste", "timeout": 5.0}
    values.update(changes)
    if "base_url" not in values:
        values["base_url"] = server.base_url
    return ModelSettings(**values)


async def collect(engine: ModelEngine, ctx: Context, vault: Vault) -> list[Suggestion]:
    async with aclosing(engine.suggest(ctx, vault)) as stream:
        return [s async for s in stream]


async def suggest_once(
    server: OpenAIServer, ctx: Context = CUSTOMER, **changes: Any
) -> list[Suggestion]:
    async with ModelEngine(settings_for(server, **changes)) as engine:
        return await collect(engine, ctx, Vault())


async def failure_of(server: OpenAIServer, **changes: Any) -> tuple[CopilotError, float]:
    started = time.monotonic()
    with pytest.raises(CopilotError) as caught:
        await suggest_once(server, **changes)
    return caught.value, time.monotonic() - started


def placeholders(body: dict[str, Any]) -> list[str]:
    """The placeholders in what the conversation put in the request (the rules name examples)."""
    text = " ".join(m["content"] for m in body["messages"] if m["role"] != "system")
    return sorted(set(re.findall(r"\[[A-Z]+_\d+\]", text)))


def echo_placeholders(body: dict[str, Any]) -> str:
    """A model that uses every placeholder it was sent, lower- or title-casing them."""
    found = {p.strip("[]").split("_")[0]: p for p in placeholders(body)}
    return suggestions_json(
        [
            f"Confirmei o CPF {found['CPF'].lower()} e o e-mail {found['EMAIL'].title()}.",
            f"O cartão {found['CARTAO'].lower()} foi estornado?",
            f"Posso ligar no {found['TELEFONE'].replace('_', ' _ ')}?",
        ]
    )


# -- what leaves the PC -----------------------------------------------------------------------


def test_the_request_that_leaves_is_redacted_and_is_what_the_panel_shows(
    openai_server: OpenAIServer,
) -> None:
    async def scenario() -> dict[str, Any] | None:
        async with ModelEngine(settings_for(openai_server)) as engine:
            await collect(engine, CUSTOMER, Vault())
            return engine.last_request

    shown = run(scenario)
    (received,) = openai_server.chat_requests()
    raw = received.raw.decode()
    for value in (CPF, "52998224725", EMAIL, "98765-4321", "98765", CARD, "4111"):
        assert value not in raw
    assert placeholders(received.body) == ["[CARTAO_1]", "[CPF_1]", "[EMAIL_1]", "[TELEFONE_1]"]
    assert received.body == shown  # the panel shows exactly what was sent
    assert received.body["stream"] is True
    assert "n" not in received.body  # three in one answer: servers ignore or refuse n
    assert received.body["response_format"]["type"] == "json_schema"
    assert received.headers["authorization"] == "Bearer sk-teste"
    # The prompt carries what the engine must respect.
    prompt = json.dumps(received.body, ensure_ascii=False)
    assert "português do Brasil" in prompt
    assert "Nunca invente preços" in prompt
    assert "Atendemos de segunda a sexta" in prompt


def test_with_redaction_off_the_office_sends_the_text_as_written(
    openai_server: OpenAIServer,
) -> None:
    run(lambda: suggest_once(openai_server, redact=False))
    (received,) = openai_server.chat_requests()
    assert CPF in received.raw.decode()


def test_when_redaction_cannot_run_nothing_is_sent(openai_server: OpenAIServer) -> None:
    # A message whose text is not text (a corrupted row) makes redaction fail.
    broken = context(b"CPF 529.982.247-25")  # type: ignore[arg-type]
    error, _ = run(lambda: failure_of(openai_server, ctx=broken))
    assert error.kind == "redaction"
    assert error.sentence.startswith("Os dados pessoais da conversa não puderam ser protegidos")
    assert openai_server.requests == []


# -- what the attendant sees --------------------------------------------------------------------


def test_suggestions_hold_the_originals_though_the_model_recased_split_placeholders(
    openai_server: OpenAIServer,
) -> None:
    openai_server.answer = echo_placeholders
    openai_server.chunk_size = 3  # every placeholder crosses chunks
    suggestions = run(lambda: suggest_once(openai_server))
    assert [s.text for s in suggestions] == [
        f"Confirmei o CPF {CPF} e o e-mail {EMAIL}.",
        f"O cartão {CARD} foi estornado?",
        f"Posso ligar no {PHONE}?",
    ]
    assert {(s.engine, s.source) for s in suggestions} == {("model", "model")}
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_each_suggestion_arrives_while_the_model_still_writes_the_next(
    openai_server: OpenAIServer,
) -> None:
    openai_server.hold_after = DEFAULT_SUGGESTIONS[0] + '",'  # the stream stops here

    async def scenario() -> list[str]:
        async with ModelEngine(settings_for(openai_server)) as engine:
            stream = engine.suggest(CUSTOMER, Vault())
            async with aclosing(stream):
                first = await asyncio.wait_for(anext(stream), 5)
                (received,) = openai_server.chat_requests()
                assert not received.finished.is_set()  # the server is still holding
                openai_server.release.set()
                return [first.text] + [s.text async for s in stream]

    assert run(scenario) == DEFAULT_SUGGESTIONS


def test_json_schema_refused_falls_back_to_json_object_and_remembers(
    openai_server: OpenAIServer,
) -> None:
    openai_server.accept_json_schema = False

    async def scenario() -> tuple[list[Suggestion], list[Suggestion]]:
        async with ModelEngine(settings_for(openai_server)) as engine:
            return await collect(engine, CUSTOMER, Vault()), await collect(
                engine, CUSTOMER, Vault()
            )

    first, second = run(scenario)
    assert [s.text for s in first] == [s.text for s in second] == DEFAULT_SUGGESTIONS
    formats = [r.body.get("response_format", {}).get("type") for r in openai_server.chat_requests()]
    # Refused once, then json_object at once for the rest of the session.
    assert formats == ["json_schema", "json_object", "json_object"]


def test_both_json_modes_refused_falls_back_to_plain_text(openai_server: OpenAIServer) -> None:
    openai_server.accept_json_schema = False
    openai_server.accept_json_object = False
    openai_server.answer = (
        "Claro! Aqui vão três sugestões:\n\n"
        "1. Claro, Ana! Vou verificar a cobrança.\n"
        '2. "Pode me enviar o comprovante?"\n'
        "3. **Próximo passo:** Abro um chamado no financeiro agora."
    )
    suggestions = run(lambda: suggest_once(openai_server))
    assert [s.text for s in suggestions] == [
        "Claro, Ana! Vou verificar a cobrança.",
        "Pode me enviar o comprovante?",
        "Abro um chamado no financeiro agora.",
    ]
    formats = [r.body.get("response_format") for r in openai_server.chat_requests()]
    assert formats == [
        openai_server.chat_requests()[0].body["response_format"],
        {"type": "json_object"},
        None,
    ]


def test_a_malformed_answer_gives_no_suggestions_and_one_sentence(
    openai_server: OpenAIServer,
) -> None:
    openai_server.answer = '{"suggestions": ["Olá, tudo'  # cut off mid-string
    error, _ = run(lambda: failure_of(openai_server))
    assert error.kind == "unparseable"
    assert "formato" in error.sentence


def test_an_answer_cut_after_two_suggestions_keeps_the_two(openai_server: OpenAIServer) -> None:
    openai_server.answer = '{"suggestions": ["Primeira [cpf_1].", "Segunda.", "Terc'
    suggestions = run(lambda: suggest_once(openai_server))
    assert [s.text for s in suggestions] == [f"Primeira {CPF}.", "Segunda."]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('```json\n{"suggestions": ["a", "b", "c"]}\n```', ["a", "b", "c"]),
        ('Aqui está: {"suggestions": [{"text": "a"}, {"text": "b"}]} espero que ajude', ["a", "b"]),
        ('["a", "b"]', ["a", "b"]),
        ("- a\n- b\n- c", ["a", "b", "c"]),
        (
            "1. **Claro!** Vou ver.\n2. **Pergunta:** Qual o pedido?",
            ["**Claro!** Vou ver.", "Qual o pedido?"],
        ),
        ("Uma resposta só, sem lista.", ["Uma resposta só, sem lista."]),
        ('{"suggestions": ["a", "b"', []),
        ("", []),
    ],
)
def test_the_tolerant_reader(answer: str, expected: list[str]) -> None:
    assert parse_suggestions(answer) == expected


# -- failures, each one sentence and quick ------------------------------------------------------


def test_a_refused_key_is_auth(openai_server: OpenAIServer) -> None:
    openai_server.api_key = "sk-certa"
    error, elapsed = run(lambda: failure_of(openai_server))
    assert error.kind == "auth"
    assert error.sentence == (
        "A chave da API do Copilot foi recusada (401) — confira nas configurações."
    )
    assert len(openai_server.chat_requests()) == 1  # not retried
    assert elapsed < 2


def test_429_is_retried_after_the_servers_retry_after(openai_server: OpenAIServer) -> None:
    openai_server.failures.append(Failure(429, "Rate limit reached.", retry_after="0.4"))
    suggestions = run(lambda: suggest_once(openai_server))
    assert [s.text for s in suggestions] == DEFAULT_SUGGESTIONS
    refused, answered = openai_server.chat_requests()
    assert answered.arrived - refused.arrived >= 0.4


def test_persistent_429_is_quota_after_bounded_retries(openai_server: OpenAIServer) -> None:
    openai_server.always = Failure(429, "Rate limit reached.", retry_after="0.05")
    error, elapsed = run(lambda: failure_of(openai_server))
    assert error.kind == "quota"
    assert "429" in error.sentence
    assert len(openai_server.chat_requests()) == 3  # the first try and two retries
    assert elapsed < 2


def test_a_retry_after_past_the_timeout_fails_at_once(openai_server: OpenAIServer) -> None:
    openai_server.always = Failure(429, "Rate limit reached.", retry_after="60")
    error, elapsed = run(lambda: failure_of(openai_server))
    assert error.kind == "quota"
    assert len(openai_server.chat_requests()) == 1
    assert elapsed < 2


def test_an_exhausted_quota_is_not_retried(openai_server: OpenAIServer) -> None:
    openai_server.always = Failure(
        429, "You exceeded your current quota.", code="insufficient_quota", retry_after="0"
    )
    error, _ = run(lambda: failure_of(openai_server))
    assert (error.kind, len(openai_server.chat_requests())) == ("quota", 1)
    assert "cota" in error.sentence


def test_500_is_retried_then_unreachable(openai_server: OpenAIServer) -> None:
    openai_server.always = Failure(500, "The server had an error.", type="server_error")
    error, elapsed = run(lambda: failure_of(openai_server))
    assert error.kind == "unreachable"
    assert error.sentence == "O servidor do modelo falhou (500) — tente de novo em instantes."
    assert len(openai_server.chat_requests()) == 3
    assert elapsed < 3  # backoff 0.5 s then 1 s


def test_a_slow_server_is_a_timeout_within_the_settings_timeout(
    openai_server: OpenAIServer,
) -> None:
    openai_server.delay = 10
    error, elapsed = run(lambda: failure_of(openai_server, timeout=0.5))
    assert error.kind == "timeout"
    assert error.sentence.startswith("O modelo não respondeu em 0.5 s")
    assert 0.4 < elapsed < 2
    assert len(openai_server.chat_requests()) == 1  # a timeout is not retried


def test_a_stream_that_stalls_is_a_timeout(openai_server: OpenAIServer) -> None:
    openai_server.hold_after = "Claro"
    error, elapsed = run(lambda: failure_of(openai_server, timeout=0.5))
    assert error.kind == "timeout"
    assert elapsed < 2


def test_no_server_is_unreachable(openai_server: OpenAIServer) -> None:
    url = openai_server.base_url
    openai_server.stop()
    error, elapsed = run(lambda: failure_of(openai_server, base_url=url))
    assert error.kind == "unreachable"
    assert elapsed < 2


def test_an_unknown_model_points_at_the_settings(openai_server: OpenAIServer) -> None:
    error, _ = run(lambda: failure_of(openai_server, model="nao-existe"))
    assert error.kind == "config"
    assert "“nao-existe” (404)" in error.sentence


def test_a_content_filter_that_cut_the_answer_is_refused(openai_server: OpenAIServer) -> None:
    openai_server.answer = '{"suggestions": ['
    openai_server.finish_reason = "content_filter"
    error, _ = run(lambda: failure_of(openai_server))
    assert error.kind == "refused"


# -- where the model is -------------------------------------------------------------------------


def test_a_base_url_without_v1_works(openai_server: OpenAIServer) -> None:
    settings = model_settings(openai_server.root_url, DEFAULT_MODEL, "", True, {})
    assert settings is not None

    async def scenario() -> list[Suggestion]:
        async with ModelEngine(settings) as engine:
            return await collect(engine, CUSTOMER, Vault())

    assert [s.text for s in run(scenario)] == DEFAULT_SUGGESTIONS
    assert openai_server.chat_requests()[0].path == "/v1/chat/completions"


def test_the_environment_variables_are_honoured(openai_server: OpenAIServer) -> None:
    openai_server.api_key = "sk-do-ambiente"
    openai_server.models = ["qwen2.5"]
    environ = {
        "OPENAI_BASE_URL": openai_server.root_url,
        "OPENAI_API_KEY": "sk-do-ambiente",
        "CRM_WHATSAPP_COPILOT_MODEL": "qwen2.5",
    }
    settings = model_settings("", "", None, True, environ)
    assert settings is not None

    async def scenario() -> list[Suggestion]:
        async with ModelEngine(settings) as engine:
            return await collect(engine, CUSTOMER, Vault())

    assert len(run(scenario)) == 3
    (received,) = openai_server.chat_requests()
    assert received.body["model"] == "qwen2.5"
    assert received.headers["authorization"] == "Bearer sk-do-ambiente"


# -- cancelling ---------------------------------------------------------------------------------


def test_cancelling_mid_stream_closes_the_connection_and_leaves_no_task(
    openai_server: OpenAIServer,
) -> None:
    openai_server.answer = suggestions_json(["Primeira.", "Segunda " + "muito longa " * 400])
    openai_server.chunk_size = 4
    openai_server.chunk_delay = 0.005

    async def scenario() -> None:
        async with ModelEngine(settings_for(openai_server)) as engine:
            seen: list[Suggestion] = []

            async def consume() -> None:
                async for suggestion in engine.suggest(CUSTOMER, Vault()):
                    seen.append(suggestion)

            task = asyncio.create_task(consume())
            await async_wait_until(lambda: seen)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert asyncio.all_tasks() == {asyncio.current_task()}

    run(scenario)
    (received,) = openai_server.chat_requests()
    wait_until(received.aborted.is_set, timeout=5)  # the server saw the client go
    assert not received.finished.is_set()


# -- on demand ----------------------------------------------------------------------------------


def test_rewrite_sends_the_redacted_draft_and_restores_the_answer(
    openai_server: OpenAIServer,
) -> None:
    openai_server.answer = '"Prezada Ana, confirmamos o e-mail [email_1]."'
    openai_server.chunk_size = 5

    async def scenario() -> str:
        async with ModelEngine(settings_for(openai_server)) as engine:
            return await engine.rewrite(
                f"oi ana, teu email {EMAIL} ta ok", "formal", CUSTOMER, Vault()
            )

    assert run(scenario) == f"Prezada Ana, confirmamos o e-mail {EMAIL}."
    (received,) = openai_server.chat_requests()
    assert EMAIL not in received.raw.decode()
    assert "mais formal" in received.body["messages"][0]["content"]
    assert "response_format" not in received.body


def test_summary_and_translation_restore_the_originals(openai_server: OpenAIServer) -> None:
    async def scenario() -> tuple[str, str]:
        async with ModelEngine(settings_for(openai_server)) as engine:
            vault = Vault()
            openai_server.answer = "- Cliente com CPF [CPF_1] pede estorno."
            summary = await engine.summarise(CUSTOMER, vault)
            openai_server.answer = "Meu telefone é [telefone_1]."
            translation = await engine.translate(f"My phone is {PHONE}.", vault)
            return summary, translation

    summary, translation = run(scenario)
    assert summary == f"- Cliente com CPF {CPF} pede estorno."
    assert translation == f"Meu telefone é {PHONE}."
    for received in openai_server.chat_requests():
        assert CPF not in received.raw.decode()
        assert "98765-4321" not in received.raw.decode()


def test_connection_test_says_how_fast_or_why_not(openai_server: OpenAIServer) -> None:
    async def scenario(**changes: Any) -> str:
        async with ModelEngine(settings_for(openai_server, **changes)) as engine:
            return await engine.test_connection()

    assert re.fullmatch(rf"Conectado: modelo {DEFAULT_MODEL} respondeu em \d+ ms\.", run(scenario))
    openai_server.api_key = "sk-outra"
    assert run(scenario) == (
        "A chave da API do Copilot foi recusada (401) — confira nas configurações."
    )
