"""The demo leaves nothing behind: its throw-away folder holds customers' messages."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from websockets.sync.client import connect

from crm_whatsapp.demo import CLOSED_WINDOW_AGE, CLOSED_WINDOW_CUSTOMER, start_stack
from crm_whatsapp.throwaway import PREFIX, ThrowawayHome, sweep_stale

# A demo that made its folder and is then killed before it can clean up.
HOLDER = (
    "import sys, time; from pathlib import Path; "
    "from crm_whatsapp.throwaway import ThrowawayHome; "
    "home = ThrowawayHome(Path(sys.argv[1])); (home.path / 'relay.db').write_bytes(b'x'); "
    "print(home.path, flush=True); time.sleep(600)"
)


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The machine's temp folder, as the demo sees it."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def demo_folders(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.name.startswith(PREFIX))


def test_the_demo_stack_removes_its_folder_with_the_relay_log_when_it_stops(
    temp_root: Path,
) -> None:
    stack = start_stack()
    assert demo_folders(temp_root) == [stack.home]
    assert (stack.home / "relay.db").exists()
    stack.stop()
    assert demo_folders(temp_root) == []


def test_a_killed_demos_folder_is_removed_at_the_next_start_and_a_running_ones_kept(
    temp_root: Path,
) -> None:
    killed = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(temp_root)], stdout=subprocess.PIPE, text=True
    )
    running = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(temp_root)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert killed.stdout is not None and running.stdout is not None
        killed_home = Path(killed.stdout.readline().strip())
        running_home = Path(running.stdout.readline().strip())
        killed.kill()  # kill -9: no chance to clean up
        killed.wait(timeout=10)
        assert killed_home.exists()

        assert sweep_stale() == [killed_home]
        assert not killed_home.exists()
        assert running_home.exists()  # its demo still holds the lock
    finally:
        for process in (killed, running):
            process.kill()
            process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()
    assert sweep_stale() == [running_home]


def test_sweeping_leaves_folders_that_are_not_a_demos(temp_root: Path) -> None:
    stranger = temp_root / f"{PREFIX}not-ours"
    stranger.mkdir()
    (stranger / "keep.txt").write_text("x")
    mine = ThrowawayHome()
    assert sweep_stale() == []
    assert stranger.exists() and mine.path.exists()
    mine.remove()
    assert not mine.path.exists()


def test_the_demo_seeds_a_quiet_customer_whose_24_hour_window_is_closed(temp_root: Path) -> None:
    stack = start_stack(auto_reply=False)
    try:
        name, wa_id = CLOSED_WINDOW_CUSTOMER
        stack.seed_closed_window()
        code = stack.new_code("teste")
        with httpx.Client(base_url=stack.relay_url, timeout=10) as http:
            token = http.post("/v1/enroll", json={"code": code, "name": "t"}).json()["token"]
        url = stack.relay_url.replace("http", "ws", 1) + "/v1/stream?after=0"
        with connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as ws:
            frame: dict = {}
            while frame.get("type") != "event":  # the stream opens with its own frames
                frame = json.loads(ws.recv(timeout=10))
        event = frame["event"]
        assert event["data"]["from"] == wa_id
        assert event["contacts"][0]["profile"]["name"] == name
        age = time.time() - float(event["data"]["timestamp"])
        assert CLOSED_WINDOW_AGE - 60 < age < CLOSED_WINDOW_AGE + 60  # window closed 6 h ago

        stack.play(30, 0).result(timeout=60)  # the background customers never include them
        assert stack.sim.customers[wa_id].last_inbound == pytest.approx(
            time.time() - CLOSED_WINDOW_AGE, abs=120
        )
    finally:
        stack.stop()
