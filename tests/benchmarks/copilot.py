"""The Copilot's figures in one JSON line: the local engine at office scale and the model path.

Runs ``copilot_local.measure_local`` (build the 1,000,000-message profile,
then in a fresh process: index build time and peak memory, the longest the
window's thread waited meanwhile, ``suggest()`` p50/p95, hit@1/hit@3/MRR on
the evaluation set) and ``copilot_model.measure_model_overhead`` (customer
message → request sent, first streamed token → suggestion shown, against
the OpenAI-compatible server on loopback). Issue 14's targets: local p95
under 50 ms, each model overhead under 20 ms, hit@3 at least 0.9.

    .venv/bin/python tests/benchmarks/copilot.py [--messages 1000000] [--rounds 200]
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import import_module
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    if not 1_000 <= args.messages <= 5_000_000:
        parser.error("--messages must be between 1,000 and 5,000,000")
    if not 1 <= args.rounds <= 10_000:
        parser.error("--rounds must be between 1 and 10,000")
    local = import_module("copilot_local").measure_local(
        args.messages, args.conversations, queries=args.queries
    )
    model = import_module("copilot_model").measure_model_overhead(args.rounds)
    print(json.dumps({"benchmark": "copilot", **local, **model}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
