"""The Copilot's model path overhead: what the engine adds around the model's own time.

Against the loopback OpenAI-compatible server of the tests
(``tests/copilot/openai_server.py``, a thread of this process, so both sides
read the same ``time.perf_counter``), over ``--rounds`` rounds on one
conversation of 20 turns with personal data in them, as the window asks
(one vault per conversation, kept between rounds; each round adds a new
customer message):

1. ``request_sent``: from calling ``ModelEngine.suggest`` until the server
   has the whole request body (building the prompt, redacting it, the
   ``openai`` package, HTTP on loopback). ``request_sent_cold_vault`` is the
   same with a fresh vault every round (the first suggestion of a
   conversation: the whole thread redacted from scratch).
2. ``first_suggestion``: from the server writing the streamed chunk that
   closes the first suggestion's string to the engine yielding that
   suggestion, restored (SSE parsing, incremental JSON, restoring).

The server streams 8 characters per chunk, 1 ms apart. A warm-up round (the
connection, first imports) is not counted. Target: p95 under 20 ms each.
Prints one JSON line.

    .venv/bin/python tests/benchmarks/copilot_model.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "copilot"))

from openai_server import DEFAULT_MODEL, OpenAIServer, suggestions_json

from crm_whatsapp.copilot.endpoint import ModelSettings
from crm_whatsapp.copilot.model import ModelEngine
from crm_whatsapp.copilot.prompt import Context, Turn
from crm_whatsapp.copilot.redaction import Vault

ANSWER = [
    "Claro, Ana! Já verifiquei o pedido [CPF_1] e está tudo certo para a entrega de amanhã.",
    "Pode me confirmar o endereço de entrega e um horário em que alguém estará em casa?",
    "Vou pedir ao financeiro o estorno da cobrança duplicada e te aviso por aqui ainda hoje.",
]
KNOWLEDGE = (
    "Horário: segunda a sexta, 9h às 18h; sábado, 9h às 13h. Entrega em até 3 dias úteis na "
    "capital. Trocas em até 7 dias com nota fiscal. Pagamento por Pix, boleto ou cartão em até "
    "10x sem juros acima de R$ 300. Contato do financeiro: financeiro@loja.com.br. "
) * 3


def thread(round_number: int) -> list[Turn]:
    """Twenty turns with a CPF, e-mails, phones and a card among them, and a new last message."""
    turns = []
    for i in range(19):
        if i % 2 == 0:
            text = (
                f"Oi, aqui é a Ana, meu CPF é 529.982.247-25 e o telefone (11) 98765-43{i:02d}. "
                f"O pedido {1000 + i} ainda não chegou, podem ver? Meu e-mail é ana{i}@exemplo.com"
            )
            turns.append(Turn("in", text, None, 1_700_000_000.0 + i * 60))
        else:
            text = "Olá, Ana! Vou verificar com a transportadora e já te retorno, tudo bem? 😊"
            turns.append(Turn("out", text, "Júlia", 1_700_000_000.0 + i * 60))
    last = (
        f"Mensagem {round_number}: cobraram duas vezes no cartão 4111 1111 1111 1111, "
        f"me liga no +55 21 99876-{round_number % 10000:04d}?"
    )
    turns.append(Turn("in", last, None, 1_700_010_000.0 + round_number))
    return turns


def context(round_number: int) -> Context:
    return Context(
        thread=thread(round_number),
        customer_name="Ana Souza",
        crm_card={"Telefone": "(11) 98765-4300", "E-mail": "ana@exemplo.com", "Plano": "Ouro"},
        knowledge=KNOWLEDGE,
        window_open=True,
        language="pt",
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _rounds(server: OpenAIServer, rounds: int) -> dict[str, list[float]]:
    answer = suggestions_json(ANSWER)
    first = json.dumps(ANSWER[0], ensure_ascii=False)
    first_closes = answer.index(first) + len(first)  # offset just past its closing quote
    settings = ModelSettings(server.base_url, DEFAULT_MODEL, "sk-bench")
    figures: dict[str, list[float]] = {
        "request_sent": [],
        "request_sent_cold_vault": [],
        "first_suggestion": [],
    }
    kept = Vault()
    async with ModelEngine(settings) as engine:
        for n in range(-1, rounds):  # round -1 warms up
            for cold in (False, True):
                vault = Vault() if cold else kept
                ctx = context(n)
                before = len(server.chat_requests())
                started = time.perf_counter()
                stream = engine.suggest(ctx, vault)
                try:
                    await anext(stream)
                    yielded = time.perf_counter()
                    async for _ in stream:
                        pass
                finally:
                    await stream.aclose()
                received = server.chat_requests()[before]
                written = next(t for t, end in received.chunks if end >= first_closes)
                if n < 0:
                    continue
                figures["request_sent_cold_vault" if cold else "request_sent"].append(
                    (received.arrived - started) * 1000
                )
                if not cold:
                    figures["first_suggestion"].append((yielded - written) * 1000)
    return figures


def measure_model_overhead(rounds: int) -> dict[str, float]:
    """p50/p95 (ms) of the model path's two overheads over ``rounds`` rounds."""
    with OpenAIServer() as server:
        server.answer = suggestions_json(ANSWER)
        server.chunk_size = 8
        server.chunk_delay = 0.001
        samples = asyncio.run(_rounds(server, rounds))
    result: dict[str, float] = {"model_rounds": float(rounds)}
    for name, values in samples.items():
        result[f"model_{name}_p50_ms"] = round(statistics.median(values), 2)
        result[f"model_{name}_p95_ms"] = round(_percentile(values, 0.95), 2)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    figures = {"benchmark": "copilot_model", **measure_model_overhead(args.rounds)}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
