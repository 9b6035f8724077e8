"""A desktop process for the crash test: queue a reply and send it through the relay.

Run as ``python outbox_child.py DB RELAY_URL [--queue CONVERSATION TEXT]``
with the database key (hex) and the device token in the environment
(``CHILD_DB_KEY``, ``CHILD_TOKEN``): a test helper, never the product.

With ``--queue`` it queues a text reply first. With ``--hold-after-accept
MARKER`` the real outbox runs unchanged up to the relay's 200, and then,
instead of recording it, the process writes MARKER and waits to be killed:
exactly "between send and ack". Otherwise it drains what the outbox holds,
as the app does after a restart, and exits 0 when nothing is left.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
from pathlib import Path

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History, Outgoing
from crm_whatsapp.sync.outbox import Outbox


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("relay_url")
    parser.add_argument("--queue", nargs=2, metavar=("CONVERSATION", "TEXT"))
    parser.add_argument("--hold-after-accept", metavar="MARKER")
    args = parser.parse_args()
    history = History(open_engine(Path(args.db), bytes.fromhex(os.environ["CHILD_DB_KEY"])))
    outbox = Outbox(history, args.relay_url, os.environ["CHILD_TOKEN"])
    if args.hold_after_accept:
        marker = Path(args.hold_after_accept)

        def hold(_rows: Outgoing, client_id: str, wamid: str | None) -> None:
            marker.write_text(f"{client_id} {wamid}")
            threading.Event().wait()  # until SIGKILL: the acceptance is never recorded

        Outgoing.accepted = hold  # type: ignore[method-assign,assignment]
    if args.queue:
        outbox.send_text(int(args.queue[0]), args.queue[1])
    left = asyncio.run(outbox.drain(timeout=30))
    history.close()
    return 0 if left == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
