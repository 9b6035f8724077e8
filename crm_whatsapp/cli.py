"""``crm-whatsapp``: the desktop's command line (``demo`` for now).

Errors print one sentence in Portuguese and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crm-whatsapp",
                                     description="Caixa de entrada do WhatsApp para o seu CRM.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="roda o produto com padrões embutidos, sem credenciais")
    demo.add_argument("--duration", type=float, help="encerra após N segundos")
    demo.add_argument("--interval", type=float, default=3.0,
                      help="segundos entre mensagens de clientes simulados")
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            from crm_whatsapp.demo import run_demo

            return run_demo(args.duration, args.interval)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"O comando falhou ({type(exc).__name__}).", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
