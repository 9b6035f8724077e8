"""The local Copilot at office scale: building its index, suggesting, and how good it is.

The profile is the store benchmark's (``store.batches``: 1,000,000 messages
in 10,000 conversations, random words from an office vocabulary), except
that every other message of a conversation is an attendant's reply (an
``outbound`` event), so half the history is exchanges: 500,000 distinct
replies, the worst case for grouping (real offices repeat themselves). The
evaluation set (``tests/copilot/office_conversations.py``) is filed in the
same history, its exchanges amid the noise, with five quick replies.

Measured in a fresh process over the encrypted profile (so memory is the
index's, not the profile build's): the build from scratch (time, peak RSS,
and the longest the main thread waited for the GIL meanwhile, the window's
responsiveness), ``suggest()`` p50/p95 for new customer messages, and
hit@1/hit@3/MRR on the evaluation set's paraphrases and held-out
paraphrases, in the big profile and alone. ``--compare`` also measures
the alternatives on the same exchanges: SQLite FTS5 inside the encrypted
database, and bm25s when it is installed (it is not a dependency).

    .venv/bin/python tests/benchmarks/copilot_local.py [--messages 1000000 --conversations 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = Path(__file__).resolve().parent
for entry in (str(ROOT), str(BENCHMARKS)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from crm_whatsapp.copilot.local import LocalEngine, terms  # noqa: E402
from crm_whatsapp.copilot.pairs import PairMaker  # noqa: E402
from crm_whatsapp.store.database import open_engine  # noqa: E402
from crm_whatsapp.store.history import History  # noqa: E402
from tests.copilot.office_conversations import (  # noqa: E402
    EXCHANGES,
    evaluate,
    exchange_events,
    word_overlap,
)

store = import_module("store")  # the store benchmark's profile builder

PNID = store.PNID
QUICK_REPLIES = (
    ("pix", "Nossa chave pix é o CNPJ 12.345.678/0001-90."),
    ("horario", "Atendemos de segunda a sexta, das 8h às 18h."),
    ("endereco", "Estamos na Av. Paulista, 1000, sala 12."),
    ("obrigado", "Nós que agradecemos! Qualquer dúvida, estamos à disposição."),
    ("aguarde", "Um momento, por favor, já vou verificar."),
)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ms(ordered[int(share * (len(ordered) - 1))])


def as_reply(event: dict[str, Any]) -> dict[str, Any]:
    """The store benchmark's customer message, turned into an attendant's reply."""
    data = event["data"]
    return {
        "kind": "outbound",
        "phone_number_id": PNID,
        "data": {
            "wamid": data["id"].replace("STORE", "REPLY"),
            "wa_id": data["from"],
            "timestamp": float(data["timestamp"]),
            "device_name": "Bench",
            "message": {"type": "text", "text": {"body": data["text"]["body"]}},
        },
    }


def profile_batches(
    messages: int, conversations: int, seed: int
) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """The store profile, every other message of each conversation a reply."""
    for batch in store.batches(messages, conversations, seed):
        yield [
            (seq, as_reply(event) if (seq // conversations) % 2 else event) for seq, event in batch
        ]


def build_profile(path: Path, key: bytes, args: argparse.Namespace) -> dict[str, float]:
    """The encrypted history the index is built from (applied as the sync applies)."""
    history = History(open_engine(path, key))
    started = time.perf_counter()
    try:
        for batch in profile_batches(args.messages, args.conversations, args.seed):
            history.apply(batch)
        seq = args.messages + 1
        history.apply(exchange_events(seq, time.time() - 200 * 86400))
        seq += 1000
        history.apply(
            [
                (
                    seq + n,
                    {"kind": "team", "data": {"action": "quick_reply", "shortcut": s, "text": t}},
                )
                for n, (s, t) in enumerate(QUICK_REPLIES)
            ]
        )
        history.fold_all()
        store.settle(history)
    finally:
        history.close()
    return {"profile_build_s": round(time.perf_counter() - started, 1)}


def rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def measure_build(history: History) -> tuple[LocalEngine, dict[str, float]]:
    """Build in a worker thread, as the window does, while this thread ticks every 5 ms.

    The longest gap between ticks is how long the window's event loop would
    have waited for the interpreter during the build.
    """
    engine = LocalEngine()
    before = rss_mb()
    read: list[int] = [0]
    thread = threading.Thread(target=engine.build, args=(history.reader, read.append))
    started = time.perf_counter()
    thread.start()
    gaps: list[float] = []
    last = time.perf_counter()
    while thread.is_alive():
        time.sleep(0.005)
        now = time.perf_counter()
        gaps.append(now - last - 0.005)
        last = now
    thread.join()
    seconds = time.perf_counter() - started
    return engine, {
        "index_build_s": round(seconds, 1),
        "index_build_messages_per_s": round(read[-1] / seconds),
        "index_exchanges": engine.size,
        "index_replies": engine.index.replies,
        "index_rss_mb": round(rss_mb() - before),
        "build_main_thread_stall_p99_ms": percentile(gaps, 0.99),
        "build_main_thread_stall_max_ms": ms(max(gaps)),
    }


def new_messages(count: int, seed: int) -> list[list[str]]:
    """New customer messages like the profile's (1 to 3 of them, 4 to 24 words each)."""
    rng = random.Random(seed)
    return [
        [
            " ".join(rng.choice(store.WORDS) for _ in range(rng.randint(4, 24)))
            for _ in range(rng.randint(1, 3))
        ]
        for _ in range(count)
    ]


def measure_suggest(engine: LocalEngine, args: argparse.Namespace) -> dict[str, float]:
    timings: list[float] = []
    for asked in new_messages(args.queries, args.seed + 7):
        started = time.perf_counter()
        engine.suggest(asked, "Ana")
        timings.append(time.perf_counter() - started)
    office: list[float] = []
    for exchange in EXCHANGES:
        started = time.perf_counter()
        engine.suggest(exchange.paraphrase, exchange.asker)
        office.append(time.perf_counter() - started)
    return {
        "suggest_p50_ms": percentile(timings, 0.5),
        "suggest_p95_ms": percentile(timings, 0.95),
        "suggest_max_ms": ms(max(timings)),
        "suggest_office_questions_p95_ms": percentile(office, 0.95),
    }


def evaluation(engine: LocalEngine, prefix: str) -> dict[str, float]:
    figures: dict[str, float] = {}
    for field in ("paraphrase", "held_out"):
        figures.update(evaluate(engine.suggest, field).as_dict(f"{prefix}{field}_"))
    return figures


def evaluation_alone(folder: Path) -> dict[str, float]:
    """The evaluation set in a history of its own (the test's setting)."""
    history = History(open_engine(folder / "alone.db", os.urandom(32)))
    try:
        history.apply(exchange_events(1, time.time() - 30 * 86400))
        engine = LocalEngine()
        engine.build(history.reader)
    finally:
        history.close()
    figures = evaluation(engine, "alone_")
    for field in ("paraphrase", "held_out"):
        figures[f"word_overlap_{field}_hit_at_3"] = round(word_overlap(field).hit_at_3, 3)
    return figures


# -- the alternatives, for docs/copilot.md ----------------------------------------------


def exchanges_terms(history: History) -> Iterator[list[str]]:
    """Each exchange's indexed terms, as the local engine indexes them."""
    names: dict[int, str] = {}
    maker: PairMaker | None = None
    for batch in history.reader.message_stream():
        for conversation_id, direction, kind, text, timestamp, author in batch:
            if maker is None or maker.conversation_id != conversation_id:
                if maker is not None and (pair := maker.finish()) is not None:
                    yield terms(pair.prompt)
                maker = PairMaker(conversation_id, names.get(conversation_id))
            if (pair := maker.add(direction, kind, text, timestamp, author)) is not None:
                yield terms(pair.prompt)
    if maker is not None and (pair := maker.finish()) is not None:
        yield terms(pair.prompt)


def fts_word(term: str) -> str:
    """A term as one FTS5 token (its tokenizer splits on "~" and "_")."""
    return term.replace("~", "zq").replace("_", "")


def compare_fts5(history: History, queries: list[list[str]]) -> dict[str, float]:
    """FTS5 inside the encrypted database over the same terms: build, then OR queries."""
    fairy = history.engine.raw_connection()
    conn = fairy.driver_connection
    try:
        started = time.perf_counter()
        conn.execute("CREATE VIRTUAL TABLE bench_exchanges USING fts5(terms, detail=none)")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO bench_exchanges (terms) VALUES (?)",
            (
                (" ".join(t.replace("~", "c_") for t in found),)
                for found in exchanges_terms(history)
            ),
        )
        conn.execute("COMMIT")
        build = time.perf_counter() - started
        timings: list[float] = []
        for asked in queries:
            words = {fts_word(t) for t in terms(" ".join(asked))}
            if not words:
                continue
            match = " OR ".join(f'"{w}"' for w in words)
            started = time.perf_counter()
            conn.execute(
                "SELECT rowid FROM bench_exchanges WHERE bench_exchanges MATCH ? "
                "ORDER BY bm25(bench_exchanges) LIMIT 300",
                (match,),
            ).fetchall()
            timings.append(time.perf_counter() - started)
        conn.execute("DROP TABLE bench_exchanges")
    finally:
        fairy.close()
    return {
        "fts5_build_s": round(build, 1),
        "fts5_query_p50_ms": percentile(timings, 0.5),
        "fts5_query_p95_ms": percentile(timings, 0.95),
    }


def compare_bm25s(history: History, queries: list[list[str]]) -> dict[str, float]:
    """bm25s (sparse matrices, NumPy) over the same terms, if it is installed."""
    try:
        bm25s = import_module("bm25s")
    except ImportError:
        return {}
    before = rss_mb()
    started = time.perf_counter()
    corpus = list(exchanges_terms(history))
    tokenised = bm25s.tokenization.Tokenized
    vocabulary: dict[str, int] = {}
    ids = [[vocabulary.setdefault(t, len(vocabulary)) for t in found] for found in corpus]
    retriever = bm25s.BM25()
    retriever.index(tokenised(ids=ids, vocab=vocabulary), show_progress=False)
    build = time.perf_counter() - started
    timings: list[float] = []
    for asked in queries:
        known = [vocabulary[t] for t in terms(" ".join(asked)) if t in vocabulary]
        if not known:
            continue
        started = time.perf_counter()
        retriever.retrieve(
            tokenised(ids=[known], vocab=vocabulary), k=300, show_progress=False, n_threads=1
        )
        timings.append(time.perf_counter() - started)
    return {
        "bm25s_build_s": round(build, 1),
        "bm25s_query_p50_ms": percentile(timings, 0.5),
        "bm25s_query_p95_ms": percentile(timings, 0.95),
        "bm25s_rss_mb": round(rss_mb() - before),
    }


# -- the two processes ---------------------------------------------------------------


def child(path: Path, key: bytes, args: argparse.Namespace) -> dict[str, Any]:
    """Everything measured over the profile, in a process that has built nothing else."""
    history = History(open_engine(path, key))
    try:
        engine, figures = measure_build(history)
        figures["index_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
        )
        figures.update(measure_suggest(engine, args))
        figures.update(evaluation(engine, ""))
        if args.compare:
            queries = new_messages(args.queries, args.seed + 7)
            del engine
            figures.update(compare_fts5(history, queries))
            figures.update(compare_bm25s(history, queries))
    finally:
        history.close()
    figures.update(evaluation_alone(path.parent))
    return figures


def measure_local(
    messages: int, conversations: int, *, seed: int = 11, queries: int = 400, compare: bool = False
) -> dict[str, float]:
    """Build the profile, then measure the local engine over it in a fresh process."""
    args = argparse.Namespace(
        messages=messages, conversations=conversations, seed=seed, queries=queries, compare=compare
    )
    with tempfile.TemporaryDirectory(prefix="copilot-bench-") as tmp:
        path, key = Path(tmp) / "history.db", os.urandom(32)
        figures: dict[str, Any] = build_profile(path, key, args)
        command = [
            sys.executable,
            __file__,
            "--child",
            str(path),
            "--messages",
            str(messages),
            "--conversations",
            str(conversations),
            "--seed",
            str(seed),
            "--queries",
            str(queries),
        ]
        if compare:
            command.append("--compare")
        done = subprocess.run(
            command,
            input=key.hex(),
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")},
        )
        if done.returncode != 0:
            raise RuntimeError(f"the measuring process failed:\n{done.stderr}")
        figures.update(json.loads(done.stdout.strip().splitlines()[-1]))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--compare", action="store_true", help="also FTS5 and bm25s")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        key = bytes.fromhex(sys.stdin.read().strip())
        print(json.dumps(child(args.child, key, args)))
        return 0
    if not 1_000 <= args.messages <= 5_000_000:
        parser.error("--messages must be between 1,000 and 5,000,000")
    figures = measure_local(
        args.messages,
        args.conversations,
        seed=args.seed,
        queries=args.queries,
        compare=args.compare,
    )
    print(
        json.dumps(
            {
                "benchmark": "copilot_local",
                "messages": args.messages,
                "conversations": args.conversations,
                **figures,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
