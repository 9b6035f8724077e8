"""No lost message across relay restarts, including ``kill -9`` mid-traffic.

The relay runs as the admin runs it (``crm-whatsapp-relay serve`` in its own
process). Every webhook it answered 200 must reach a desktop afterwards,
exactly once, even though the process died with requests in flight.
"""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import httpx
import pytest
import websockets
from relay_support import (
    ACCESS_TOKEN,
    APP_SECRET,
    VERIFY_TOKEN,
    RelayProcess,
    ack,
    assert_strictly_increasing,
    cli_env,
    meta_bytes,
    open_stream,
    read_backlog,
    recv_frame,
    run,
    run_cli,
    signature,
)
from waiting import async_wait_until

from relay.simulator import payloads as p

PNID = "106540352242922"
WORKERS = 6
KILL_AFTER = 150  # accepted webhooks before the kill
MAX_POSTS = 3000


def _delivery(wamid: str) -> bytes:
    item = p.message(
        "5511987654321", "text", {"body": f"mensagem {wamid} ç"}, timestamp=1, wamid=wamid
    )
    value = {
        "contacts": [p.contact("Ana Souza", "5511987654321")],
        "messages": [item],
    }
    return meta_bytes(p.envelope("102290129340398", PNID, "5511930000000", value))


def _relay_env(db_url: str, graph_url: str = "http://127.0.0.1:9") -> dict[str, str]:
    return cli_env(
        db_url,
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_ACCESS_TOKEN=ACCESS_TOKEN,
        WHATSAPP_GRAPH_URL=graph_url,
    )


def _enroll(url: str, env: dict[str, str], cwd: Path) -> str:
    added = run_cli(["device", "add", "PC", "--json"], env, cwd)
    assert added.returncode == 0, added.stderr
    code = json.loads(added.stdout)["code"]
    response = httpx.post(url + "/v1/enroll", json={"code": code, "name": "PC"}, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


async def _post_until_killed(relay: RelayProcess) -> tuple[list[str], list[str]]:
    """Post signed webhooks from several workers; SIGKILL the relay mid-stream.

    Returns (answered 200, not answered 200).
    """
    accepted: list[str] = []
    unanswered: list[str] = []
    counter = iter(range(MAX_POSTS))
    killed = asyncio.Event()

    async def worker(client: httpx.AsyncClient) -> None:
        for n in counter:
            wamid = f"wamid.KILL.{n}"
            raw = _delivery(wamid)
            try:
                response = await client.post(
                    relay.url + "/webhook",
                    content=raw,
                    headers={"X-Hub-Signature-256": signature(raw)},
                )
            except httpx.HTTPError:
                unanswered.append(wamid)
                if killed.is_set():
                    return
                continue
            (accepted if response.status_code == 200 else unanswered).append(wamid)

    async def killer() -> None:
        await async_wait_until(lambda: len(accepted) >= KILL_AFTER, 30.0)
        relay.kill()
        killed.set()

    async with httpx.AsyncClient(timeout=10) as client:
        await asyncio.gather(killer(), *(worker(client) for _ in range(WORKERS)))
    return accepted, unanswered


@pytest.mark.slow
def test_kill_9_mid_traffic_loses_nothing_and_duplicates_nothing(
    database_url: str, tmp_path: Path
) -> None:
    """Answered webhooks survive SIGKILL; Meta's retries of the rest are stored once."""
    env = _relay_env(database_url)
    first = RelayProcess(env, tmp_path, tmp_path / "relay-1.log").start()
    try:
        accepted, unanswered = run(_post_until_killed(first), timeout=60)
    finally:
        first.ensure_stopped()
    assert len(accepted) >= KILL_AFTER
    assert len(accepted) + len(unanswered) < MAX_POSTS, "the relay was not killed mid-run"

    second = RelayProcess(env, tmp_path, tmp_path / "relay-2.log").start()
    try:
        token = _enroll(second.url, env, tmp_path)
        # Meta retries what it did not get a 200 for, and sometimes what it did.
        with httpx.Client(timeout=10) as client:
            for wamid in unanswered + accepted[:20]:
                raw = _delivery(wamid)
                response = client.post(
                    second.url + "/webhook",
                    content=raw,
                    headers={"X-Hub-Signature-256": signature(raw)},
                )
                assert response.status_code == 200

        async def drain() -> list[dict]:
            async with open_stream(second.url.replace("http", "ws"), token, 0) as ws:
                _, frames, _ = await read_backlog(ws, timeout=30)
            return frames

        frames = run(drain())
    finally:
        second.ensure_stopped()
    assert_strictly_increasing(frames)
    ids = [f["event"]["data"]["id"] for f in frames]
    assert len(ids) == len(set(ids)), "an event was delivered twice"
    assert set(accepted) <= set(ids), "a webhook answered 200 was lost"
    assert set(ids) == set(accepted) | set(unanswered)


@pytest.mark.slow
def test_graceful_restart_closes_streams_keeps_acks_and_resumes(
    database_url: str, tmp_path: Path
) -> None:
    """SIGTERM: desktops are told to reconnect (1012), acks are saved, nothing is replayed twice."""
    env = _relay_env(database_url)
    first = RelayProcess(env, tmp_path, tmp_path / "relay-1.log").start()
    try:
        token = _enroll(first.url, env, tmp_path)
        with httpx.Client(timeout=10) as client:
            for n in range(20):
                raw = _delivery(f"wamid.G1.{n}")
                response = client.post(
                    first.url + "/webhook",
                    content=raw,
                    headers={"X-Hub-Signature-256": signature(raw)},
                )
                assert response.status_code == 200

        async def stream_then_stop() -> tuple[int, int | None]:
            async with open_stream(first.url.replace("http", "ws"), token, 0) as ws:
                _, frames, _ = await read_backlog(ws)
                assert len(frames) == 20
                last = frames[-1]["seq"]
                await ack(ws, last)
                # The ack is on the wire; SIGTERM must not lose it.
                code = await asyncio.to_thread(first.terminate)
                # uvicorn re-raises SIGTERM after its graceful shutdown completes.
                assert code in (0, -signal.SIGTERM)
                with pytest.raises(websockets.ConnectionClosed):
                    await recv_frame(ws, 10.0)
                return last, ws.close_code

        last, close_code = run(stream_then_stop())
        assert close_code == 1012
    finally:
        first.ensure_stopped()

    listed = run_cli(["device", "list", "--json"], env, tmp_path)
    assert json.loads(listed.stdout)[0]["acked_seq"] == last

    second = RelayProcess(env, tmp_path, tmp_path / "relay-2.log").start()
    try:
        with httpx.Client(timeout=10) as client:
            for n in range(5):
                raw = _delivery(f"wamid.G2.{n}")
                response = client.post(
                    second.url + "/webhook",
                    content=raw,
                    headers={"X-Hub-Signature-256": signature(raw)},
                )
                assert response.status_code == 200

        async def resume() -> list[dict]:
            async with open_stream(second.url.replace("http", "ws"), token, last) as ws:
                _, frames, _ = await read_backlog(ws)
                return frames

        frames = run(resume())
    finally:
        second.ensure_stopped()
    assert [f["event"]["data"]["id"] for f in frames] == [f"wamid.G2.{n}" for n in range(5)]
    assert frames[0]["seq"] > last
