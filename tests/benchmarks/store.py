"""The desktop history at office scale: 10,000 conversations, 1,000,000 messages.

Builds the same profile twice through the real apply path (stream events in
batches, as the sync client does): once encrypted (SQLCipher, the product)
and once on a plain SQLite file (same code, for the cost of encryption). Then
measures, on each: applying 10,000 streamed events, opening a conversation
(latest 50 messages), word search. Prints one JSON line and writes
``tests/benchmarks/results/store.json``.

    .venv/bin/python tests/benchmarks/store.py [--messages 1000000 --conversations 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History

ROOT = Path(__file__).resolve().parents[2]
WORDS = [
    "olá",
    "bom",
    "dia",
    "boa",
    "tarde",
    "apartamento",
    "disponível",
    "visita",
    "consulta",
    "horário",
    "agendar",
    "orçamento",
    "valor",
    "preço",
    "pix",
    "cartão",
    "parcelas",
    "entrega",
    "endereço",
    "obrigado",
    "obrigada",
    "notebook",
    "tela",
    "bateria",
    "conserto",
    "corte",
    "escova",
    "progressiva",
    "manicure",
    "condomínio",
    "aluguel",
    "venda",
    "quartos",
    "garagem",
    "sábado",
    "amanhã",
    "hoje",
    "semana",
    "documento",
    "contrato",
    "assinatura",
    "desconto",
    "à",
    "vista",
    "confirmado",
    "remarcar",
    "cancelar",
    "retorno",
    "exame",
    "clínica",
]
PNID = "106540352242922"


def event_for(rng: random.Random, n: int, conv: int, ts: float) -> dict[str, Any]:
    wa_id = f"55119{conv:08d}"
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 24)))
    return {
        "kind": "message",
        "phone_number_id": PNID,
        "contacts": [{"profile": {"name": f"Cliente {conv}"}, "wa_id": wa_id}],
        "data": {
            "from": wa_id,
            "id": f"wamid.STORE{n}",
            "timestamp": str(int(ts)),
            "type": "text",
            "text": {"body": words},
        },
    }


def build(history: History, messages: int, conversations: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    base = time.time() - 365 * 86400
    started = time.perf_counter()
    batch: list[tuple[int, dict[str, Any]]] = []
    for n in range(1, messages + 1):
        conv = n % conversations
        batch.append((n, event_for(rng, n, conv, base + n * 20)))
        if len(batch) == 5000:
            history.apply(batch)
            batch = []
    if batch:
        history.apply(batch)
    # What the idle desktop does in the background: the applied messages
    # reach the clustered table (counted in the build's time).
    history.fold_all()
    seconds = time.perf_counter() - started
    return {"build_s": round(seconds, 1), "build_events_per_s": round(messages / seconds)}


def p95(samples: list[float]) -> float:
    samples = sorted(samples)
    return round(samples[int(0.95 * (len(samples) - 1))] * 1000, 2)


def measure(history: History, messages: int, conversations: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed + 1)
    # Apply 10,000 new streamed events (new messages to existing conversations).
    start_seq = messages + 1
    fresh = [
        (start_seq + i, event_for(rng, start_seq + i, rng.randrange(conversations), time.time()))
        for i in range(10_000)
    ]
    t = time.perf_counter()
    for k in range(0, len(fresh), 500):  # the sync client's batch size
        history.apply(fresh[k : k + 500])
    apply_s = time.perf_counter() - t
    # The desktop folds them into their threads once the stream is idle (a
    # background thread, off the sync path); timed here on its own.
    t = time.perf_counter()
    folded = history.fold_all()
    fold_s = time.perf_counter() - t

    conv_ids = [row[0] for row in history.read("SELECT id FROM conversations")]
    open_times = []
    for _ in range(300):
        cid = rng.choice(conv_ids)
        t = time.perf_counter()
        rows = history.messages(cid, limit=50)
        open_times.append(time.perf_counter() - t)
        assert rows
    search_times = []
    hits = 0
    for _ in range(200):
        query = " ".join(rng.sample(WORDS, 2))
        t = time.perf_counter()
        found = history.search(query, limit=50)
        search_times.append(time.perf_counter() - t)
        hits += len(found)
    prefix_times = []
    for _ in range(100):
        query = rng.choice(WORDS)[:3]
        t = time.perf_counter()
        history.search(query, limit=50)
        prefix_times.append(time.perf_counter() - t)
    return {
        "apply_10k_s": round(apply_s, 3),
        "fold_10k_s": round(fold_s, 3),
        "folded": folded,
        "open_conversation_p95_ms": p95(open_times),
        "open_conversation_median_ms": round(statistics.median(open_times) * 1000, 2),
        "search_p95_ms": p95(search_times),
        "prefix_search_p95_ms": p95(prefix_times),
        "search_hits_avg": round(hits / 200, 1),
    }


def run_variant(folder: Path, plain: bool, args: argparse.Namespace) -> dict[str, Any]:
    path = folder / ("plain.db" if plain else "history.db")
    history = History(open_engine(path, None if plain else os.urandom(32), plain=plain))
    try:
        figures = build(history, args.messages, args.conversations, args.seed)
        figures.update(measure(history, args.messages, args.conversations, args.seed))
    finally:
        history.close()
    figures["file_mb"] = round(path.stat().st_size / 1e6, 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--encrypted-only", action="store_true", help="skip the plain baseline")
    args = parser.parse_args()
    if not 1_000 <= args.messages <= 5_000_000:
        parser.error("--messages must be between 1,000 and 5,000,000")
    with tempfile.TemporaryDirectory(prefix="store-bench-") as tmp:
        folder = Path(tmp)
        encrypted = run_variant(folder, False, args)
        plain = encrypted if args.encrypted_only else run_variant(folder, True, args)
    figures = {
        "benchmark": "store",
        "messages": args.messages,
        "conversations": args.conversations,
        "encrypted": encrypted,
        "plain": plain,
        "encrypted_vs_plain_build": round(
            plain["build_events_per_s"] / encrypted["build_events_per_s"], 2
        ),
        "encrypted_vs_plain_open": round(
            encrypted["open_conversation_median_ms"]
            / max(plain["open_conversation_median_ms"], 1e-3),
            2,
        ),
    }
    line = json.dumps(figures)
    print(line)
    results = ROOT / "tests" / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "store.json").write_text(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
