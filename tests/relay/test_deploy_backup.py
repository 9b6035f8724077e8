"""``backup`` while the relay serves a webhook load, and ``restore`` that desktops resume from."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from relay_support import (
    ACCESS_TOKEN,
    APP_SECRET,
    VERIFY_TOKEN,
    Harness,
    ack,
    cli_env,
    messages_payload,
    meta_bytes,
    open_stream,
    read_backlog,
    recv_frame,
    relay_process,
    run,
    run_cli,
    signature,
    sqlite_only,
    text_message,
)
from waiting import wait_until

from relay.serving import BackgroundServer
from relay.simulator.server import MetaSimulator

SECRETS = {
    "WHATSAPP_APP_SECRET": APP_SECRET,
    "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
    "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
}


def stored_message_ids(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT dedupe_key FROM events WHERE dedupe_key LIKE 'message:%'"
        ).fetchall()
    return {key.removeprefix("message:") for (key,) in rows}


@sqlite_only
def test_backup_during_a_webhook_load_holds_every_answered_event(
    make_relay: Callable[..., Harness], tmp_path: Path
) -> None:
    """Every webhook answered 200 before the backup began is in the copy, which is sound."""
    harness = make_relay()
    answered: list[tuple[float, str]] = []  # (monotonic time of the 200, wamid)
    lock = threading.Lock()
    stop = threading.Event()
    failures: list[str] = []

    def sender(worker: int) -> None:
        # Bounded: at most 400 webhooks or 60 s per worker, to loopback only.
        deadline = time.monotonic() + 60
        with httpx.Client(timeout=30.0) as client:
            for i in range(400):
                if stop.is_set() or time.monotonic() > deadline:
                    return
                wamid = f"wamid.load.{worker}.{i}"
                body = meta_bytes(messages_payload(harness.sim, [text_message(wamid)]))
                response = client.post(
                    harness.url + "/webhook",
                    content=body,
                    headers={"X-Hub-Signature-256": signature(body)},
                )
                if response.status_code != 200:
                    failures.append(f"{wamid}: {response.status_code}")
                    return
                with lock:
                    answered.append((time.monotonic(), wamid))

    workers = [threading.Thread(target=sender, args=(n,)) for n in range(3)]
    for worker in workers:
        worker.start()
    try:
        wait_until(lambda: len(answered) >= 60 or bool(failures), timeout=30)
        backup = tmp_path / "backups" / "relay-copy.db"
        backup.parent.mkdir()
        started = time.monotonic()
        env = cli_env(harness.db_url)
        result = run_cli(["backup", str(backup)], env, tmp_path)
        with lock:
            during = [w for t, w in answered if t > started]
    finally:
        stop.set()
        for worker in workers:
            worker.join(60)
    assert not failures, failures
    assert result.returncode == 0, result.stderr
    assert "integrity ok" in result.stdout
    with lock:
        before = {wamid for t, wamid in answered if t < started}
    assert len(before) >= 60
    assert during, "the relay must keep answering webhooks while the backup runs"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    missing = before - stored_message_ids(backup)
    assert not missing, sorted(missing)[:5]
    assert backup.stat().st_mode & 0o077 == 0, "a backup holds messages: owner-only"
    assert not list(backup.parent.glob(".*partial")), "no half-written file is left behind"


def test_backup_of_a_postgresql_relay_points_to_pg_dump(tmp_path: Path) -> None:
    env = cli_env("postgresql://relay@127.0.0.1:5432/relay")
    result = run_cli(["backup", str(tmp_path / "x.db")], env, tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "pg_dump" in line
    assert not (tmp_path / "x.db").exists()


def post_messages(url: str, sim: MetaSimulator, wamids: list[str]) -> None:
    """Signed webhooks, one message each, every one answered 200 before the next."""
    with httpx.Client(timeout=30.0) as client:
        for wamid in wamids:
            body = meta_bytes(messages_payload(sim, [text_message(wamid)]))
            response = client.post(
                url + "/webhook", content=body, headers={"X-Hub-Signature-256": signature(body)}
            )
            assert response.status_code == 200, response.text


def test_restore_then_start_and_desktops_resume(
    make_sim: Callable[..., tuple[MetaSimulator, BackgroundServer]], tmp_path: Path
) -> None:
    """Copy back, start: a desktop at the backup's head resumes; one past it replays.

    Events stored after the restore never take a seq a desktop already used, so
    a desktop that had received events the backup lacks misses nothing new.
    """
    sim, sim_server = make_sim()
    data = tmp_path / "data"
    data.mkdir()
    live = data / "relay.db"
    env = cli_env(
        f"sqlite:///{live}",
        **SECRETS,
        WHATSAPP_GRAPH_URL=sim_server.url,
        RELAY_DATA_DIR=str(data),
    )
    added = run_cli(["device", "add", "PC recepção", "--json"], env, tmp_path)
    assert added.returncode == 0, added.stderr
    code = json.loads(added.stdout)["code"]
    backup = tmp_path / "relay-backup.db"
    with relay_process(env, tmp_path, tmp_path / "relay1.log") as relay:
        enrolled = httpx.post(relay.url + "/v1/enroll", json={"code": code, "name": "PC"})
        token = enrolled.json()["token"]
        post_messages(relay.url, sim, [f"wamid.before.{i}" for i in range(5)])
        assert run_cli(["backup", str(backup)], env, tmp_path).returncode == 0
        post_messages(relay.url, sim, [f"wamid.lost.{i}" for i in range(3)])
        head_before_disaster = httpx.get(relay.url + "/healthz").json()["head_seq"]
        relay.terminate()

    restored = run_cli(["restore", str(backup)], env, tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "seq 5" in restored.stdout

    with relay_process(env, tmp_path, tmp_path / "relay2.log") as relay:
        assert httpx.get(relay.url + "/healthz").json()["head_seq"] == 5
        ws_url = relay.url.replace("http://", "ws://")

        async def desktops() -> None:
            # A desktop that had acked 3 (inside the backup) resumes right after it.
            async with open_stream(ws_url, token, after=3) as ws:
                _, events, _ = await read_backlog(ws)
                assert [f["seq"] for f in events] == [4, 5]
                await ack(ws, 5)
            # One that had taken the lost events is told its cursor is ahead, and replays.
            async with open_stream(ws_url, token, after=head_before_disaster) as ws:
                assert (await recv_frame(ws))["type"] == "hello"
                reset = await recv_frame(ws)
                assert reset["type"] == "reset" and reset["reason"] == "cursor_ahead"

        run(desktops())
        post_messages(relay.url, sim, ["wamid.after.restore"])
        new_head = httpx.get(relay.url + "/healthz").json()["head_seq"]
        assert new_head > head_before_disaster, "a new event must not reuse a lost event's seq"

        async def resumes_past_the_gap() -> None:
            async with open_stream(ws_url, token, after=head_before_disaster) as ws:
                _, events, _ = await read_backlog(ws)
                assert [f["event"]["data"]["id"] for f in events] == ["wamid.after.restore"]

        run(resumes_past_the_gap())


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_pg_dump_then_pg_restore_and_restore_and_desktops_resume(
    make_relay: Callable[..., Harness], database_url: str, tmp_path: Path
) -> None:
    """The guide's PostgreSQL path: pg_dump, disaster, pg_restore, `restore`, start."""
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    first = make_relay()
    token, _ = first.enroll()
    post_messages(first.url, first.sim, [f"wamid.pg.before.{i}" for i in range(3)])
    dump = tmp_path / "relay.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", database_url],
        check=True,
        capture_output=True,
        timeout=60,
    )
    post_messages(first.url, first.sim, [f"wamid.pg.lost.{i}" for i in range(2)])
    assert first.head() == 5
    first.server.stop()

    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", f"--dbname={database_url}", str(dump)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    restored = run_cli(["restore"], cli_env(database_url), tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "seq 3" in restored.stdout

    second = make_relay()
    assert second.head() == 3
    post_messages(second.url, second.sim, ["wamid.pg.after"])
    assert second.head() > 5, "a new event must not reuse a lost event's seq"

    async def desktop() -> None:
        async with open_stream(second.ws_url, token, after=5) as ws:
            _, events, _ = await read_backlog(ws)
            assert [f["event"]["data"]["id"] for f in events] == ["wamid.pg.after"]

    run(desktop())
