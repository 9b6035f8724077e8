"""Exactly once across a crash between send and ack, with a real process killed (guarantee 1).

A desktop process queues a reply and sends it through the real relay to the
Meta simulator. Once the relay has answered 200 (Meta accepted the message)
and before the outbox records it, the process is stopped with SIGKILL, as a
power cut or the task manager would. A new process on the same profile then
finds the send still queued, sends it again with the same ``client_id``,
and the customer still receives exactly one message.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import ANA, Stack
from waiting import wait_until

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.sync.client import SyncClient

CHILD = str(Path(__file__).with_name("outbox_child.py"))
REPLY = "Abrimos sábado das 9h às 13h."


def sent_to_ana(stack: Stack) -> list[dict[str, object]]:
    return [a for a in stack.sim.accepted if a["to"] == ANA]


def test_killed_between_send_and_ack_the_customer_gets_one_message(
    stack: Stack, tmp_path: Path
) -> None:
    stack.say(ANA, text="Oi, vocês abrem no sábado?")
    db, key = tmp_path / "pc" / "history.db", os.urandom(32)
    history = History(open_engine(db, key))
    asyncio.run(SyncClient(stack.url, stack.token, history).run_until_idle(timeout=30))
    conversation = history.conversations()[0]["id"]
    history.close()
    env = {**os.environ, "CHILD_DB_KEY": key.hex(), "CHILD_TOKEN": stack.token}
    command = [sys.executable, CHILD, str(db), stack.url]
    marker = tmp_path / "accepted-not-recorded"
    log = tmp_path / "child.log"

    with log.open("wb") as out:
        child = subprocess.Popen(
            [*command, "--queue", str(conversation), REPLY, "--hold-after-accept", str(marker)],
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        wait_until(
            lambda: child.poll() is not None or (marker.exists() and marker.read_text()),
            timeout=30,
        )
        assert child.poll() is None, log.read_text()
        assert len(sent_to_ana(stack)) == 1  # Meta accepted it: the customer has it
        child.send_signal(signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)

    # The crash came before the outbox wrote anything: the send is still queued.
    history = History(open_engine(db, key))
    assert history.outbox.pending_count() == 1
    history.close()

    # Restart on the same profile: the outbox sends it again, the relay knows it.
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    sent = sent_to_ana(stack)
    assert len(sent) == 1, sent
    assert sent[0]["body"]["text"]["body"] == REPLY

    history = History(open_engine(db, key))
    try:
        assert history.outbox.pending_count() == 0
        asyncio.run(SyncClient(stack.url, stack.token, history).run_until_idle(timeout=30))
        mine = [m for m in history.messages(conversation) if m["direction"] == "out"]
        assert len(mine) == 1  # one bubble in the thread, too
        assert mine[0]["wamid"] == sent[0]["wamid"]
        assert mine[0]["status"] != "pending"
    finally:
        history.close()
