"""The inbox window at office scale: start-up, a 100,000-message thread, scrolling, memory.

The profile is the store benchmark's (``store.build``: 10,000 conversations,
1,000,000 messages through the real ``History.apply`` path, 5,000 events per
batch), created like a real one (``Workspace.create``: envelope keys,
SQLCipher file), plus one conversation of ``--big`` messages (wa_id
5511999999999: two customer messages for each attendant message, applied
through ``History.apply`` in batches of 5,000, spread over the past year and
ending an hour ago, so it tops the list). The window is then measured in a
separate process, the way the app runs: ``QT_QPA_PLATFORM=offscreen``, the
composition of ``crm_whatsapp.app.run_app`` (``application()``, preferences,
translators, theme, a qasync loop registered as the running loop as the window
tests do, ``Workspace.open`` + ``load_device``, a real ``InboxSession`` and the
real ``MainWindow``, and ``settle_memory()`` once the list has painted, as
``run_app`` does a second after start). The session is never started: no relay is needed to
paint, so the numbers are the window over the local history. The child reads
the throw-away profile's keyring entries from ``bench-keyring.json`` inside the
profile folder (a ``MemoryKeyring`` filled from that file; benchmark only,
the real app keeps them in the OS keyring).

What is measured (all in the child):

1. ``startup_to_list_paint_s``: the parent takes ``time.time()`` right
   before ``subprocess.Popen`` and passes it in ``UI_BENCH_SPAWN``; an event
   filter on ``window.list_view.viewport()`` sees the first ``QEvent.Paint``
   while the list model has rows and posts a zero timer, which fires once that
   paint has finished; that moment's ``time.time()`` minus the spawn time is the
   figure (interpreter start, imports, key unlock, SQLCipher open, window,
   first paint). ``startup_breakdown_s`` gives the cumulative marks.
   Target < 1.5 s.
2. ``open_big_ms``: ``perf_counter()`` before ``window.select_conversation(id)``
   to the end of the first paint of ``window.thread_view.viewport()`` showing
   that conversation (same filter + zero timer). ``open_big_sync_ms`` is the
   part spent inside ``select_conversation`` itself. Target < 100 ms.
3. ``scroll``: like a user flinging to the top, each step sets the thread's
   vertical scroll bar to its minimum (``_thread_scrolled`` then loads the
   previous page), runs ``QApplication.processEvents()`` and forces
   ``viewport().repaint()``; the step's duration is one frame. It stops when
   ``thread_model.has_older`` is False, after ``--scroll-steps`` steps (6,000;
   pages are 20 messages) or ``--scroll-seconds`` (300 s, checked between
   steps), or when 20 steps in
   a row load nothing (``stalled``). Reported: frames max / p95 / p50 ms,
   frames over 50 ms, messages loaded of the conversation, and the frame time
   when the loaded messages first passed a few milestones
   (``frame_ms_at_messages``). Target: no frame over 50 ms.
4. ``memory``: after the big conversation (scrolled as far as step 3 got)
   and 19 more from the top of the list have been opened (each until its
   thread painted; ``open_others_ms`` reports those times), resident memory
   from ``/proc/self/statm`` (``rss_mb``, 1 MB = 10^6 bytes) and the peak from
   ``resource.getrusage`` (``peak_rss_mb``). Target < 400 MB.

A finding that shapes the child: with the venv's PySide6 6.12.0 (a
``cp310-abi3`` wheel) on Python 3.11, every call of a Qt method that returns
nothing (``QPainter.save``, ``QTextDocument.setHtml``, ``QWidget.setEnabled``…)
drops one reference to ``None`` without having taken it (consistent with
CPython gh-134989: ``Py_RETURN_NONE`` in limited-API builds made with newer
headers treats ``None`` as immortal, which it is only from 3.12). Painting
bubbles makes thousands of such calls, so the window aborts with "Fatal
Python error: none_dealloc" after some tens of thousands of them (it did in the
scroll phase here). So that the figures can be measured at all, the child
adds 2**40 to ``None``'s reference count on Python < 3.12 (one integer
write, no effect on timing; ``UI_BENCH_NO_NONE_GUARD=1`` turns it off to
see the crash) and reports, per phase, how many references were dropped
(``none_refs_dropped``, net of the references legitimately taken and
released meanwhile). The app itself is not changed.

Opening a conversation with unread messages marks it read (the app's
``mark_read`` runs; sending the receipt fails quietly without a relay), so a
rerun over a ``--keep`` profile opens those conversations already read.

Prints progress to stderr and one JSON line to stdout, also written to
``tests/benchmarks/results/ui.json``.

    .venv/bin/python tests/benchmarks/ui.py [--messages 1000000 --conversations 10000
        --big 100000] [--keep /tmp/ui-bench-profile]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = Path(__file__).resolve().parent
MARKER = "bench-finished.json"
KEYRING_FILE = "bench-keyring.json"
BIG_CONV = 99_999_999  # store.event_for numbers wa_ids 55119<conv:08d>: 5511999999999
BATCH = 5_000
TARGETS = {
    "startup_to_list_paint_s": 1.5,
    "open_big_ms": 100.0,
    "scroll_max_frame_ms": 50.0,
    "rss_after_20_mb": 400.0,
}
MILESTONES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000)


def say(text: str) -> None:
    print(f"[ui-bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the profile


def big_conversation(history: Any, store: Any, first_seq: int, count: int, seed: int) -> int:
    """``count`` messages with one customer, two in for each out, through ``History.apply``."""
    rng = random.Random(seed + 7)
    end = time.time() - 3600
    spacing = (365 * 86400 - 3600) / count
    start = end - count * spacing
    wa_id = f"55119{BIG_CONV:08d}"
    conversation: int | None = None
    batch: list[tuple[int, dict[str, Any]]] = []
    for k in range(count):
        seq = first_seq + k
        ts = start + (k + 1) * spacing
        if k % 3 == 2:
            body = " ".join(rng.choice(store.WORDS) for _ in range(rng.randint(3, 18)))
            event = {
                "kind": "outbound",
                "phone_number_id": store.PNID,
                "data": {
                    "wamid": f"wamid.BIGOUT{k}",
                    "wa_id": wa_id,
                    "timestamp": ts,
                    "device_name": "Ana",
                    "message": {"type": "text", "text": {"body": body}},
                },
            }
        else:
            event = store.event_for(rng, seq, BIG_CONV, ts)
        batch.append((seq, event))
        if len(batch) == BATCH or k == count - 1:
            result = history.apply(batch)
            batch = []
            if conversation is None:
                conversation = next(iter(result.conversations))
            if (k + 1) % 20_000 < BATCH:
                say(f"  big conversation: {k + 1:,} of {count:,}")
    assert conversation is not None
    return conversation


def build_profile(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    """A real profile (envelope keys, SQLCipher history) filled through the apply path."""
    sys.path.insert(0, str(BENCHMARKS))
    store = import_module("store")
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.security.memory import MemoryKeyring
    from crm_whatsapp.workspace import Device, Workspace, save_device

    backend = MemoryKeyring()
    profile = Profile(root)
    workspace, _recovery = Workspace.create(profile, backend)
    try:
        say(f"building {args.messages:,} messages in {args.conversations:,} conversations…")
        figures = store.build(workspace.history, args.messages, args.conversations, args.seed)
        say(f"  built in {figures['build_s']} s; adding the big conversation ({args.big:,})…")
        started = time.perf_counter()
        big_id = big_conversation(workspace.history, store, args.messages + 1, args.big, args.seed)
        figures["big_build_s"] = round(time.perf_counter() - started, 1)
        device = Device("http://127.0.0.1:9", "ui-bench", "ui-bench-token", "Bench")
        save_device(profile, workspace.keys, device, backend)
    finally:
        workspace.close()
    entries = [[s, u, p] for (s, u), p in backend.entries.items()]
    (root / KEYRING_FILE).write_text(json.dumps(entries))
    info = {
        "messages": args.messages,
        "conversations": args.conversations,
        "big": args.big,
        "seed": args.seed,
        "big_conversation_id": big_id,
        "build": figures,
    }
    (root / MARKER).write_text(json.dumps(info))
    return info


def prepared_profile(root: Path, args: argparse.Namespace) -> dict[str, Any]:
    marker = root / MARKER
    if marker.exists():
        info = json.loads(marker.read_text())
        wanted = {k: getattr(args, k) for k in ("messages", "conversations", "big", "seed")}
        found = {k: info[k] for k in wanted}
        if found != wanted:
            raise SystemExit(f"{root} holds a profile built with {found}, not {wanted}")
        say(f"reusing the profile in {root} (built with {found})")
        info["reused"] = True
        return info
    if root.exists() and any(root.iterdir()):
        raise SystemExit(f"{root} is not empty and has no {MARKER}: remove it or pick another")
    info = build_profile(root, args)
    info["reused"] = False
    return info


# --------------------------------------------------------------------------- the window


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 1e6, 1)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6, 1)


def guard_none() -> bool:
    """Keep ``None`` alive under PySide6 6.12's abi3 wheel on Python 3.11 (see the docstring)."""
    if sys.version_info >= (3, 12) or os.environ.get("UI_BENCH_NO_NONE_GUARD"):
        return False
    import ctypes

    # ob_refcnt is PyObject's first field; 2**40 extra references are never all dropped.
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return True


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[int(q * (len(ordered) - 1))] if ordered else 0.0


def child(args: argparse.Namespace) -> int:
    """Runs in the measured process: start the window like the app does, then drive it."""
    entered = time.time()
    spawned = float(os.environ["UI_BENCH_SPAWN"])
    marks: dict[str, float] = {"interpreter": entered - spawned}
    guarded = guard_none()
    dropped: dict[str, int] = {}
    last_count = [sys.getrefcount(None)]

    def none_drop(phase: str) -> None:
        now = sys.getrefcount(None)
        dropped[phase] = last_count[0] - now
        last_count[0] = now

    import asyncio

    import qasync
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from crm_whatsapp.app import application, settle_memory
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.security.memory import MemoryKeyring
    from crm_whatsapp.session import InboxSession
    from crm_whatsapp.settings import load_preferences
    from crm_whatsapp.ui import i18n
    from crm_whatsapp.ui.resources import apply_theme
    from crm_whatsapp.workspace import Workspace, load_device

    marks["imports"] = time.time() - spawned

    class PaintWatch(QObject):
        """The end of the first paint of ``widget`` after :meth:`arm`, once ``ready()``."""

        def __init__(self, widget: Any, ready: Any) -> None:
            super().__init__()
            self.ready = ready
            self.armed = False
            self.done: float | None = None
            self.done_wall: float | None = None
            widget.installEventFilter(self)

        def arm(self) -> None:
            self.armed, self.done, self.done_wall = True, None, None

        def eventFilter(self, _obj: Any, event: Any) -> bool:
            if self.armed and event.type() == QEvent.Type.Paint and self.ready():
                self.armed = False
                # Posted now, run after this paint event has been handled.
                QTimer.singleShot(0, self._painted)
            return False

        def _painted(self) -> None:
            self.done, self.done_wall = time.perf_counter(), time.time()

    profile = Profile(Path(args.child)).ensure()
    app = application()
    prefs = load_preferences(profile.root)
    i18n.install(app, prefs.language)
    theme = apply_theme(app, prefs.theme)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)  # as the window tests do: Qt spins, asyncio runs
    heartbeat = QTimer()  # wakes the wait below now and then, to check its deadline
    heartbeat.start(50)
    marks["qt_app"] = time.time() - spawned

    def wait_for(watch: PaintWatch, limit: float = 60.0) -> float:
        deadline = time.perf_counter() + limit
        while watch.done is None:
            if time.perf_counter() > deadline:
                raise SystemExit("no paint within the time limit")
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return watch.done

    def settle(seconds: float) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)

    backend = MemoryKeyring()
    for service, username, password in json.loads((profile.root / KEYRING_FILE).read_text()):
        backend.set_password(service, username, password)
    workspace = Workspace.open(profile, backend)
    device = load_device(profile, workspace.keys, backend)
    marks["profile_open"] = time.time() - spawned

    from crm_whatsapp.ui.mainwindow import MainWindow
    from crm_whatsapp.ui.models.conversations import Role as ListRole

    session = InboxSession(workspace, device)
    window = MainWindow(session, theme, preferences=prefs)
    marks["window_built"] = time.time() - spawned
    list_watch = PaintWatch(window.list_view.viewport(), lambda: window.list_model.rowCount() > 0)
    list_watch.arm()
    window.show()
    marks["shown"] = time.time() - spawned
    wait_for(list_watch)
    assert list_watch.done_wall is not None
    startup = list_watch.done_wall - spawned
    marks["list_painted"] = startup
    settle_memory()  # as run_app does a second after the window shows
    say(f"child: list painted {startup:.3f} s after spawn ({window.list_model.rowCount()} rows)")
    memory = {"rss_after_start_mb": rss_mb()}
    none_drop("startup")

    # 2. the big conversation, until its thread is painted
    big = args.big_id
    target = [big]
    thread_watch = PaintWatch(
        window.thread_view.viewport(),
        lambda: (
            window.thread_model.conversation_id == target[0] and window.thread_model.rowCount() > 0
        ),
    )

    def open_one(conversation_id: int) -> tuple[float, float]:
        target[0] = conversation_id
        thread_watch.arm()
        started = time.perf_counter()
        window.select_conversation(conversation_id)
        returned = time.perf_counter()
        painted = wait_for(thread_watch)
        return painted - started, returned - started

    open_big, open_big_sync = open_one(big)
    say(f"child: big conversation painted in {ms(open_big)} ms")
    settle(0.5)  # mark_read runs and its change lands, as it would before anyone scrolls
    memory["rss_after_big_open_mb"] = rss_mb()
    none_drop("open_big")

    # 3. scrolling it to the top
    model, view = window.thread_model, window.thread_view
    bar = view.verticalScrollBar()

    # The model keeps a bounded window of rows (it lets the newest go while the
    # attendant reads far back), so progress is counted as messages scrolled
    # through: those on screen at the start plus every page prepended.
    reached = [sum(1 for item in model._items if item["kind"] == "message")]

    def prepended(_parent: object, first: int, last: int) -> None:
        if first == 0:
            reached[0] += sum(
                1 for item in model._items[first : last + 1] if item["kind"] == "message"
            )

    model.rowsInserted.connect(prepended)

    def loaded() -> int:
        return reached[0]

    frames: list[float] = []
    curve: dict[str, float] = {}
    next_mark = 0
    stalled = 0
    began = time.perf_counter()
    while (
        model.has_older
        and len(frames) < args.scroll_steps
        and time.perf_counter() - began < args.scroll_seconds
        and stalled < 20
    ):
        before = loaded()
        started = time.perf_counter()
        bar.setValue(bar.minimum())
        QApplication.processEvents()
        view.viewport().repaint()
        frames.append(time.perf_counter() - started)
        stalled = stalled + 1 if loaded() == before else 0
        count = loaded()
        while next_mark < len(MILESTONES) and count >= MILESTONES[next_mark]:
            curve[str(MILESTONES[next_mark])] = ms(frames[-1])
            next_mark += 1
        if len(frames) % 50 == 0:
            say(
                f"child: scroll step {len(frames)}: {count:,} messages loaded, "
                f"last frame {ms(frames[-1])} ms"
            )
    scroll_s = time.perf_counter() - began
    messages_loaded = loaded()
    if not model.has_older:
        ended = "top"
    elif stalled >= 20:
        ended = "stalled"
    elif len(frames) >= args.scroll_steps:
        ended = "step_limit"
    else:
        ended = "time_limit"
    scroll = {
        "reached_top": not model.has_older,
        "ended": ended,
        "steps": len(frames),
        "seconds": round(scroll_s, 1),
        "messages_loaded": messages_loaded,
        "messages_total": args.big,
        "rows_in_model": model.rowCount(),
        "max_frame_ms": ms(max(frames, default=0.0)),
        "p95_frame_ms": ms(percentile(frames, 0.95)),
        "p50_frame_ms": ms(statistics.median(frames) if frames else 0.0),
        "frames_over_50ms": sum(1 for f in frames if f > 0.050),
        "frame_ms_at_messages": curve,
    }
    say(f"child: scroll ended ({ended}) with {messages_loaded:,} of {args.big:,} messages")
    memory["rss_after_scroll_mb"] = rss_mb()
    none_drop("scroll")

    # 4. nineteen more conversations from the top of the list
    others = [
        int(window.list_model.index(i).data(ListRole.Id))
        for i in range(min(window.list_model.rowCount(), 40))
    ]
    others = [c for c in others if c != big][:19]
    open_others = []
    for conversation_id in others:
        painted, _ = open_one(conversation_id)
        open_others.append(painted)
    settle(0.5)
    none_drop("open_others")
    memory.update(
        {
            "conversations_opened": 1 + len(others),
            "rss_after_20_mb": rss_mb(),
            "peak_rss_mb": peak_rss_mb(),
        }
    )
    figures = {
        "startup_to_list_paint_s": round(startup, 3),
        "startup_breakdown_s": {k: round(v, 3) for k, v in marks.items()},
        "list_rows": window.list_model.rowCount(),
        "open_big_ms": ms(open_big),
        "open_big_sync_ms": ms(open_big_sync),
        "open_others_ms": {
            "p50": ms(statistics.median(open_others)) if open_others else None,
            "max": ms(max(open_others, default=0.0)),
        },
        "scroll": scroll,
        "memory": memory,
        "none_refs_dropped": {"guarded": guarded, **dropped},
    }
    print(json.dumps(figures), flush=True)
    heartbeat.stop()
    window.hide()
    workspace.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # qasync's loop is registered, never run: leave without tearing Qt down under it.
    os._exit(0)


def run_child(root: Path, info: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(root),
        "--big-id",
        str(info["big_conversation_id"]),
        "--big",
        str(args.big),
        "--scroll-steps",
        str(args.scroll_steps),
        "--scroll-seconds",
        str(args.scroll_seconds),
    ]
    say("starting the window process…")
    env["UI_BENCH_SPAWN"] = repr(time.time())
    done = subprocess.run(
        command, env=env, stdout=subprocess.PIPE, text=True, timeout=args.scroll_seconds + 480
    )
    if done.returncode != 0:
        raise SystemExit(f"the window process failed (exit {done.returncode})")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1])


def meets(figures: dict[str, Any]) -> dict[str, bool]:
    return {
        "startup_to_list_paint_s": figures["startup_to_list_paint_s"]
        < TARGETS["startup_to_list_paint_s"],
        "open_big_ms": figures["open_big_ms"] < TARGETS["open_big_ms"],
        "scroll_max_frame_ms": figures["scroll"]["reached_top"]
        and figures["scroll"]["max_frame_ms"] <= TARGETS["scroll_max_frame_ms"],
        "rss_after_20_mb": figures["memory"]["rss_after_20_mb"] < TARGETS["rss_after_20_mb"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000, help="messages in the big chat")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="build the profile here once, reuse it after")
    parser.add_argument("--scroll-steps", type=int, default=6_000)
    parser.add_argument("--scroll-seconds", type=float, default=300.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--big-id", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    if not 10_000 <= args.messages <= 5_000_000:
        parser.error("--messages must be between 10,000 and 5,000,000")
    if not 20 <= args.conversations <= args.messages:
        parser.error("--conversations must be between 20 and --messages")
    if not 1_000 <= args.big <= 1_000_000:
        parser.error("--big must be between 1,000 and 1,000,000")
    if not (1 <= args.scroll_steps <= 20_000 and 1 <= args.scroll_seconds <= 600):
        parser.error("--scroll-steps 1..20,000 and --scroll-seconds 1..600")
    with tempfile.TemporaryDirectory(prefix="ui-bench-") as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp) / "profile"
        info = prepared_profile(root, args)
        figures = run_child(root, info, args)
        file_mb = round((root / "history.db").stat().st_size / 1e6, 1)
    result = {
        "benchmark": "ui",
        "messages": args.messages,
        "conversations": args.conversations,
        "big_conversation_messages": args.big,
        "profile": {"reused": info["reused"], "file_mb": file_mb, **info["build"]},
        **figures,
        "targets": TARGETS,
        "meets": meets(figures),
    }
    line = json.dumps(result)
    print(line)
    results = ROOT / "tests" / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "ui.json").write_text(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
