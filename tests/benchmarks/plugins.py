"""CRM plugins in the real window: the thread paints at once, cards follow, a hang stalls nothing.

Issue 15 asks that opening a conversation never wait for the CRMs: the
thread must paint in under 100 ms while the plugins are still being asked,
each card fills in as its CRM answers, and a CRM that hangs costs the
window's loop nothing (its card says "não respondeu" after the host's
timeout). This measures exactly that, with the built-in plugins against
their loopback vendor doubles (``tests/crm_plugins/*_server.py``) slowed to
answer every request in ``--delay`` seconds (300 ms by default), in the real
``MainWindow`` on a qasync loop, as ``tests/benchmarks/ui.py`` builds it.

The set-up, all on 127.0.0.1:

- ``crm_whatsapp.demo.start_stack``: the relay and the Meta simulator; a
  desktop is enrolled (``stack.new_code``), its profile made with
  ``Workspace.create`` (``MemoryKeyring``: benchmark only), a real
  ``InboxSession`` started and the real ``MainWindow`` shown, until it says
  "Conectado".
- The plugins: RD Station CRM, Kommo, and Pipedrive and HubSpot when their
  modules (``plugins/crm_whatsapp_crms/<name>.py``) and vendor doubles
  (``tests/crm_plugins/<name>_server.py``) exist; ``plugins`` in the output
  says how many ran, ``missing`` which were not there or could not be
  seeded. Each server holds a contact (with an open deal where the double
  knows deals) for every customer number the run uses, each number used
  once, so the host's 60 s card cache never answers. Before any delay is
  set, one lookup per plugin proves the seeding (a plugin that finds
  nobody is left out and named in ``missing``). The plugins run in the
  window through ``window.crm.use(PluginHost([...], timeout=--timeout))``.

Each round (one warm-up round first, not counted: plugin threads, HTTP
clients and fonts are made then): a new customer writes
(``stack.say``), the script waits until that conversation is in the
window's list, then takes ``perf_counter()`` and calls
``window.select_conversation(id)``. Measured from there:

- ``first_paint``: the end of the first paint of
  ``window.thread_view.viewport()`` while the thread model holds that
  conversation's rows (an event filter sees the ``Paint`` event and posts a
  zero timer, which runs once that paint is done). Target < 100 ms.
  ``painted_before_cards`` counts the rounds whose thread painted before
  the last card answered (all of them, if the thread does not wait).
- ``all_cards``: when ``window.crm.cards_shown`` fires (every card has its
  answer). With ``--delay`` per request this is about the slowest plugin's
  round trips times the delay (``requests_per_card`` gives each plugin's
  requests per lookup, counted on its server in the last round;
  ``requests_first_card`` in the warm-up, one-time reads included).
- ``stall``: a ``QTimer`` ticks every 10 ms all along; the longest gap
  between ticks (counted from the ``perf_counter()`` before
  ``select_conversation``, so its synchronous work is included) until both
  marks are in. An idle loop shows about 10 ms.

The hang phase: one more plugin, RD Station CRM under another name
("travado", title "CRM travado") against its own RD double that sleeps
``--hang-delay`` (30 s) before answering, joins the others in a host whose
timeout is ``--hang-timeout`` (3 s), put in with ``window.crm.use`` (which
asks the new host at once for the open customer; opening the next
conversation cancels that). The warm-up customer's conversation is opened
once on that host (its threads and clients are made then), then a new
customer's conversation the same way; ``hang_stall_max_ms`` is the loop's longest gap from
the open until ``cards_shown`` (the hung card's sentence, "O plugin CRM
travado não respondeu em 3 s.", is then on screen — checked), and
``hang_card_after_s`` the time that card took. ``hang_other_cards_ok`` says
whether the other plugins still showed their customers.

Prints progress to stderr and ONE JSON line to stdout, then exits 0 (the
qasync loop is registered but never run, so the process leaves with
``os._exit`` once the session, window, plugins, servers and stack are
closed, as ``ui.py`` does).

    xvfb-run -a .venv/bin/python tests/benchmarks/plugins.py [--rounds 10] [--delay 0.3]

``QT_QPA_PLATFORM=offscreen`` also works, and is what runs when the variable is
unset and there is no display (no ``DISPLAY`` nor ``WAYLAND_DISPLAY``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import inspect
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENDORS = ("rdstation", "kommo", "pipedrive", "hubspot")
FIRST_NUMBER = 87_650_000  # customers are 55119<8 digits>: 5511987650000, 5511987650001, …
WAIT_S = 30.0  # the longest any single wait of the script may take


def say(text: str) -> None:
    print(f"[plugins-bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[round(q * (len(ordered) - 1))] if ordered else 0.0


def number(k: int) -> str:
    return f"55119{FIRST_NUMBER + k:08d}"


# --------------------------------------------------------------------------- the vendors


@dataclass
class Vendor:
    """One built-in plugin and its loopback CRM, seeded."""

    name: str
    plugin: type[Any]
    server: Any
    settings: dict[str, str]
    requests_first_card: int = 0  # the warm-up's: one-time reads (stages, users) included
    requests_per_card: int = 0  # the last round's


def _seed_rdstation(server: Any, wa_id: str, k: int) -> None:
    contact = server.add_contact(f"Cliente {k}", [f"+{wa_id}"], organization="Malhas Bench")
    server.add_deal(contact, f"Orçamento {k}", stage="Proposta", amount=1500.0, owner="Ana")


def _seed_kommo(server: Any, wa_id: str, k: int) -> None:
    if not server.pipelines:
        server.default_pipeline()
    lead = 700_000 + k
    server.add_lead(lead, f"Orçamento {k}", 1500, 61003)
    server.add_contact(600_000 + k, f"Cliente {k}", f"+{wa_id}", leads=(lead,))


def _seed_pipedrive(server: Any, wa_id: str, k: int) -> None:
    if not server.stages:
        server.default_pipeline()
    server.add_person(600_000 + k, f"Cliente {k}", f"+{wa_id}")
    server.add_deal(800_000 + k, f"Orçamento {k}", 1500.0, 3, 600_000 + k)


def _seed_hubspot(server: Any, wa_id: str, k: int) -> None:
    server.add_contact(str(600_000 + k), "Cliente", str(k), phone=f"+{wa_id}")
    server.add_deal(
        str(800_000 + k), f"Orçamento {k}", "1500", "appointmentscheduled", str(600_000 + k)
    )


SEEDERS: dict[str, Callable[[Any, str, int], None]] = {
    "rdstation": _seed_rdstation,
    "kommo": _seed_kommo,
    "pipedrive": _seed_pipedrive,
    "hubspot": _seed_hubspot,
}


def _seed_guess(server: Any, wa_id: str, k: int) -> None:
    """A double this script does not know yet: its ``add_person``/``add_contact``, by signature."""
    add = getattr(server, "add_person", None) or getattr(server, "add_contact", None)
    if add is None:
        raise TypeError("the double has no add_person/add_contact")
    params = [
        p
        for p in inspect.signature(add).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
    ]
    name, phone = f"Cliente {k}", f"+{wa_id}"
    args: list[Any] = []
    for p in params:
        lowered = p.name.lower()
        if p.kind == p.VAR_POSITIONAL:
            args.append(phone)
            break
        if "phone" in lowered:
            many = "phones" in lowered or "list" in str(p.annotation).lower()
            args.append([phone] if many else phone)
        elif "name" in lowered:
            args.append(name)
        elif lowered in ("id", "cid", "pid", "person_id", "contact_id"):
            args.append(600_000 + k)
        elif p.default is inspect.Parameter.empty:
            raise TypeError(f"cannot guess the double's {p.name!r}")
        else:
            break
    add(*args)


def _settings_for(plugin: type[Any], server: Any, server_module: Any) -> dict[str, str]:
    """``base_url`` is the double; every secret setting gets the double's ``TOKEN``."""
    token = str(getattr(server_module, "TOKEN", "bench-token"))
    settings: dict[str, str] = {}
    for setting in plugin.settings:
        if setting.key == "base_url":
            settings[setting.key] = server.base_url
        elif setting.secret:
            settings[setting.key] = token
        elif setting.default:
            settings[setting.key] = setting.default
        elif setting.required:
            settings[setting.key] = "bench"
    return settings


def _classes(name: str) -> tuple[type[Any], type[Any], Any]:
    from crm_whatsapp.plugin_api import Plugin
    from tests.crm_plugins.vendor_server import VendorServer

    plugin_module = importlib.import_module(f"crm_whatsapp_crms.{name}")
    server_module = importlib.import_module(f"tests.crm_plugins.{name}_server")
    plugins = [
        c
        for c in vars(plugin_module).values()
        if isinstance(c, type) and issubclass(c, Plugin) and c.__module__ == plugin_module.__name__
    ]
    servers = [
        c
        for c in vars(server_module).values()
        if isinstance(c, type)
        and issubclass(c, VendorServer)
        and c.__module__ == server_module.__name__
    ]
    if len(plugins) != 1 or len(servers) != 1:
        raise ImportError(f"{len(plugins)} plugin classes and {len(servers)} vendor doubles")
    return plugins[0], servers[0], server_module


def _proves(plugin: type[Any], settings: dict[str, str], wa_id: str) -> bool:
    """One lookup straight through the plugin: the seeded contact is found."""
    from crm_whatsapp.plugin_api import Context, Customer

    async def go() -> bool:
        instance = plugin(Context(settings=dict(settings), timeout=10))
        try:
            card = await asyncio.wait_for(instance.lookup(Customer(wa_id, "Bench")), 20)
        finally:
            await instance.aclose()
        return card is not None

    return asyncio.run(go())


def quiet(server: Any) -> None:
    """A client that left before its answer (a lookup cancelled by opening another
    conversation, a timed-out call) is expected here: no traceback for it on stderr."""
    http = server._server
    complain = http.handle_error

    def handle_error(request: Any, address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            complain(request, address)

    http.handle_error = handle_error


def start_vendors(
    numbers: list[str], stack: contextlib.ExitStack, missing: dict[str, str]
) -> list[Vendor]:
    """Every built-in vendor whose plugin and double exist, seeded with every number."""
    vendors: list[Vendor] = []
    for name in VENDORS:
        try:
            plugin, server_cls, server_module = _classes(name)
        except ImportError as exc:
            missing[name] = f"not available ({type(exc).__name__}: {exc})"
            continue
        server = stack.enter_context(server_cls())
        quiet(server)
        settings = _settings_for(plugin, server, server_module)
        seed = SEEDERS.get(name, _seed_guess)
        try:
            for k, wa_id in enumerate(numbers):
                seed(server, wa_id, k)
            found = _proves(plugin, settings, numbers[0])
        except Exception as exc:  # a double of another shape: leave it out, say why
            missing[name] = f"could not seed ({type(exc).__name__}: {exc})"
            continue
        if not found:
            missing[name] = "the seeded contact was not found"
            continue
        server.requests.clear()
        vendors.append(Vendor(name, plugin, server, settings))
    return vendors


# --------------------------------------------------------------------------- the window


def run(args: argparse.Namespace) -> dict[str, Any]:
    import qasync
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QLabel

    from crm_whatsapp.app import application
    from crm_whatsapp.crm.host import Enabled, PluginHost
    from crm_whatsapp.demo import start_stack
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.security.memory import MemoryKeyring
    from crm_whatsapp.session import InboxSession
    from crm_whatsapp.ui.mainwindow import MainWindow
    from crm_whatsapp.workspace import Workspace, enroll, save_device
    from tests.crm_plugins.rdstation_server import TOKEN as RD_TOKEN
    from tests.crm_plugins.rdstation_server import RDStationServer

    class PaintWatch(QObject):
        """The end of the first paint of ``widget`` after :meth:`arm`, once ``ready()``."""

        def __init__(self, widget: Any, ready: Callable[[], bool]) -> None:
            super().__init__()
            self.ready = ready
            self.armed = False
            self.done: float | None = None
            widget.installEventFilter(self)

        def arm(self) -> None:
            self.armed, self.done = True, None

        def eventFilter(self, _obj: Any, event: Any) -> bool:
            if self.armed and event.type() == QEvent.Type.Paint and self.ready():
                self.armed = False
                QTimer.singleShot(0, self._painted)  # runs once this paint has been handled
            return False

        def _painted(self) -> None:
            self.done = time.perf_counter()

    @dataclass
    class Ticker:
        """The loop's longest gap between 10 ms ticks since :meth:`reset`."""

        last: float = 0.0
        longest: float = 0.0
        timer: Any = field(default=None)

        def reset(self, now: float) -> None:
            self.last, self.longest = now, 0.0

        def tick(self) -> None:
            now = time.perf_counter()
            self.longest = max(self.longest, now - self.last)
            self.last = now

    numbers = [number(k) for k in range(args.rounds + 2)]  # warm-up, rounds, hang
    missing: dict[str, str] = {}
    with contextlib.ExitStack() as servers, tempfile.TemporaryDirectory(prefix="pl-bench-") as tmp:
        vendors = start_vendors(numbers, servers, missing)
        if not vendors:
            raise SystemExit(f"no plugin could run: {missing}")
        say(f"plugins: {', '.join(v.name for v in vendors)}; missing: {missing or 'none'}")
        from crm_whatsapp_crms.rdstation import RDStation

        class Travado(RDStation):
            """RD Station CRM under another name, against a CRM that takes far too long."""

            name = "travado"
            title = "CRM travado"

        hung = servers.enter_context(RDStationServer())
        quiet(hung)
        for k, wa_id in enumerate(numbers):
            _seed_rdstation(hung, wa_id, k)
        hung_settings = {"base_url": hung.base_url, "token": RD_TOKEN}
        for vendor in vendors:
            vendor.server.delay = args.delay
        hung.delay = args.hang_delay

        office = start_stack(Path(tmp) / "stack", auto_reply=False)
        servers.callback(office.stop)
        app = application()
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        asyncio.events._set_running_loop(loop)  # as the window tests do: Qt spins, asyncio runs

        ticker = Ticker()
        ticker.timer = QTimer()
        ticker.timer.setInterval(10)
        ticker.timer.timeout.connect(ticker.tick)
        ticker.timer.start()

        def spin_until(done: Callable[[], bool], what: str, limit: float = WAIT_S) -> None:
            deadline = time.perf_counter() + limit
            while not done():
                if time.perf_counter() > deadline:
                    raise SystemExit(f"gave up after {limit:.0f} s waiting for {what}")
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)

        def finish(coro: Coroutine[Any, Any, Any], what: str, limit: float = 10.0) -> None:
            task = asyncio.ensure_future(coro)
            with contextlib.suppress(SystemExit):
                spin_until(task.done, what, limit)
            if not task.done():
                task.cancel()

        profile = Profile(Path(tmp) / "desk").ensure()
        backend = MemoryKeyring()
        device = enroll(office.relay_url, office.new_code("Bench"), "Bench")
        workspace, _recovery = Workspace.create(profile, backend)
        save_device(profile, workspace.keys, device, backend)
        session = InboxSession(workspace, device)
        window = MainWindow(session, "light", sound=False)
        window.show()
        session.start()
        spin_until(
            lambda: any(label.text() == "Conectado" for label in window.findChildren(QLabel)),
            "the window to connect",
        )
        window.crm.use(PluginHost([Enabled(v.plugin, v.settings) for v in vendors], timeout=8))
        say("window connected; plugins in place")

        target: list[int | None] = [None]
        watch = PaintWatch(
            window.thread_view.viewport(),
            lambda: (
                window.thread_model.conversation_id == target[0]
                and window.thread_model.rowCount() > 0
            ),
        )
        shown: list[float] = []
        window.crm.cards_shown.connect(lambda: shown.append(time.perf_counter()))

        def conversation_of(wa_id: str) -> int | None:
            for row in session.history.conversations(1000, view="all"):
                if row["wa_id"] == wa_id:
                    return int(row["id"])
            return None

        def open_round(wa_id: str, k: int) -> tuple[float, float, float]:
            """A customer writes; their conversation is opened. (paint, cards, stall) s."""
            office.say(wa_id, text=f"Oi, aqui é o cliente {k}, queria um orçamento")
            found: list[int | None] = [None]

            def listed() -> bool:
                found[0] = found[0] or conversation_of(wa_id)
                return found[0] is not None and window.list_model.row_of(found[0]) >= 0

            spin_until(listed, "the conversation to be listed")
            until = time.perf_counter() + 0.2  # the arrival's own repaints pass first
            spin_until(lambda: time.perf_counter() > until, "a quiet moment")
            conversation = found[0]
            assert conversation is not None
            target[0] = conversation
            shown.clear()
            watch.arm()
            started = time.perf_counter()
            ticker.reset(started)
            window.select_conversation(conversation)
            spin_until(lambda: watch.done is not None and bool(shown), "the thread and cards")
            stall = ticker.longest
            assert watch.done is not None
            return watch.done - started, shown[0] - started, stall

        def card_errors() -> list[str]:
            return [n for n, card in window.crm.cards.items() if card.property("failed")]

        paint, cards, stalls, errors = [], [], [], 0
        before_cards = 0
        warm = open_round(numbers[0], 0)
        for vendor in vendors:
            vendor.requests_first_card = len(vendor.server.requests)
        say(f"warm-up: paint {ms(warm[0])} ms, cards {ms(warm[1])} ms, stall {ms(warm[2])} ms")
        for k in range(1, args.rounds + 1):
            asked = {v.name: len(v.server.requests) for v in vendors}
            painted, all_cards, stall = open_round(numbers[k], k)
            for vendor in vendors:
                vendor.requests_per_card = len(vendor.server.requests) - asked[vendor.name]
            paint.append(painted)
            cards.append(all_cards)
            stalls.append(stall)
            before_cards += painted < all_cards
            errors += len(card_errors())
            say(f"round {k}: paint {ms(painted)} ms, cards {ms(all_cards)} ms, stall {ms(stall)}")

        # the hang: the others plus one that never answers within the timeout
        hang_host = PluginHost(
            [Enabled(v.plugin, v.settings) for v in vendors] + [Enabled(Travado, hung_settings)],
            timeout=args.hang_timeout,
        )
        window.crm.use(hang_host)
        open_round(numbers[0], 0)  # its threads and clients are made here, as in the warm-up
        hang_paint, hang_card, hang_stall = open_round(numbers[-1], len(numbers) - 1)
        sentence = window.crm.cards["travado"].body.text()
        if "não respondeu" not in sentence:
            raise SystemExit(f"the hung card says {sentence!r}, not its timeout sentence")
        others_ok = not [n for n in card_errors() if n != "travado"]
        say(f"hang: card after {hang_card:.2f} s, stall {ms(hang_stall)} ms: {sentence}")

        result = {
            "benchmark": "plugins",
            "plugins": len(vendors),
            "plugin_names": [v.name for v in vendors],
            "missing": missing,
            "delay_ms": ms(args.delay),
            "rounds": args.rounds,
            "first_paint_p50_ms": ms(statistics.median(paint)),
            "first_paint_p95_ms": ms(percentile(paint, 0.95)),
            "first_paint_max_ms": ms(max(paint)),
            "all_cards_p50_ms": ms(statistics.median(cards)),
            "all_cards_p95_ms": ms(percentile(cards, 0.95)),
            "all_cards_max_ms": ms(max(cards)),
            "stall_max_ms": ms(max(stalls)),
            "stall_p50_ms": ms(statistics.median(stalls)),
            "painted_before_cards": before_cards,
            "card_errors": errors,
            "requests_per_card": {v.name: v.requests_per_card for v in vendors},
            "requests_first_card": {v.name: v.requests_first_card for v in vendors},
            "warmup_ms": {"first_paint": ms(warm[0]), "all_cards": ms(warm[1])},
            "host_timeout_s": 8,
            "hang_timeout_s": args.hang_timeout,
            "hang_delay_s": args.hang_delay,
            "hang_first_paint_ms": ms(hang_paint),
            "hang_stall_max_ms": ms(hang_stall),
            "hang_card_after_s": round(hang_card, 3),
            "hang_other_cards_ok": others_ok,
            "target_first_paint_ms": 100,
        }

        # the end: nothing left running that would hold the process
        ticker.timer.stop()
        finish(window.crm.host.aclose(), "the plugins to close")
        finish(session.stop(), "the session to stop")
        window.close()
        workspace.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="conversations opened (1..50)")
    parser.add_argument("--delay", type=float, default=0.3, help="seconds per CRM answer")
    parser.add_argument("--hang-timeout", type=float, default=3.0, help="host timeout, hang")
    parser.add_argument("--hang-delay", type=float, default=30.0, help="the hung CRM's delay")
    args = parser.parse_args()
    if not 1 <= args.rounds <= 50:
        parser.error("--rounds must be between 1 and 50")
    if not 0.0 <= args.delay <= 1.0:
        parser.error("--delay must be between 0 and 1 second")
    if not 1.0 <= args.hang_timeout <= 8.0:
        parser.error("--hang-timeout must be between 1 and 8 seconds")
    if not args.hang_timeout * 2 <= args.hang_delay <= 120.0:
        parser.error("--hang-delay must be at least twice --hang-timeout and at most 120 s")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen: Qt's own
    sys.path.insert(0, str(ROOT))
    result = run(args)
    print(json.dumps(result), flush=True)
    sys.stderr.flush()
    # qasync's loop is registered, never run: leave without tearing Qt down under it.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
