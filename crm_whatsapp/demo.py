"""``crm-whatsapp demo``: the product on embedded defaults, no credentials.

A relay on loopback with a throw-away SQLite log, the Meta simulator playing
Brazilian customers, and the inbox window on a throw-away profile (its key
in an in-memory keyring, gone when the demo ends). ``--terminal`` plays the
attendant in this terminal instead, answering each customer, for machines
without a display.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn
import websockets

from crm_whatsapp.throwaway import ThrowawayHome, sweep_stale
from relay.config import Settings
from relay.db import create_schema, make_engine
from relay.devices import add_device
from relay.server import uvicorn_config
from relay.serving import BackgroundServer
from relay.simulator.server import MetaSimulator

# The demo office's quick replies, so the Copilot has answers from the first
# customer message (its local engine ranks the team's own replies).
QUICK_REPLIES: dict[str, str] = {
    "horario": "Nosso horário é de segunda a sexta, das 9h às 18h, e aos sábados das 9h às 13h.",
    "pagamento": "Aceitamos Pix, cartão de débito e cartão de crédito em até 3x sem juros.",
    "endereco": "Estamos na Rua Domingos de Morais, 1234, Vila Mariana, São Paulo.",
    "agendar": "Claro! Qual dia e horário ficam melhores para você?",
    "orcamento": "Vou conferir o seu orçamento com o técnico e já te retorno por aqui.",
    "visita": "Podemos agendar a visita, sim! Qual dia e horário você prefere?",
    "valores": "Os valores dependem do serviço; me conta o que você precisa que eu te passo.",
}

# A customer who wrote 30 hours ago and not since: the newcomer meets a closed 24-hour
# window (and the approved templates it calls for) in the first minute.
CLOSED_WINDOW_CUSTOMER = ("Roberto Nunes", "5511976543210")
CLOSED_WINDOW_TEXT = "Boa tarde! Vocês consertam máquina de lavar? A minha parou de centrifugar."
CLOSED_WINDOW_AGE = 30 * 3600

TICKS = {"sent": "✓ enviada", "delivered": "✓✓ entregue", "read": "✓✓ lida", "failed": "✗ falhou"}


def describe(event: dict[str, Any]) -> str | None:
    """One human line per event, in Portuguese like the inbox will be."""
    kind, data = event.get("kind"), event.get("data") or {}
    if kind == "message":
        who = (event.get("contacts") or [{}])[0].get("profile", {}).get("name") or data.get("from")
        kind_of = data.get("type")
        content = data.get(kind_of) if isinstance(data.get(kind_of), dict) else {}
        text = (
            content.get("body")
            or content.get("caption")
            or content.get("emoji")
            or content.get("title")
            or content.get("name")
            or f"[{kind_of}]"
        )
        if kind_of == "interactive":
            reply = content.get("button_reply") or content.get("list_reply") or {}
            text = f"[resposta] {reply.get('title', '')}"
        return f"← {who}: {text}"
    if kind == "outbound":
        body = (data.get("message") or {}).get("text", {}).get("body", "[mídia/modelo]")
        return f"→ {data.get('to')}: {body}"
    if kind == "status":
        tick = TICKS.get(data.get("status"), data.get("status"))
        errors = data.get("errors") or []
        why = f" ({errors[0].get('code')})" if errors else ""
        return f"   {tick}{why}  {str(data.get('id'))[-10:]}"
    return f"   [{kind}]"


async def _attendant(
    url: str, token: str, sim: MetaSimulator, stop: asyncio.Event, answered: set[str]
) -> int:
    """Stream like a desktop, print each event, and greet each new customer once."""
    shown = 0
    async with httpx.AsyncClient(
        base_url=url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as http:
        ws_url = url.replace("http", "ws", 1) + "/v1/stream?after=0"
        async with websockets.connect(
            ws_url, additional_headers={"Authorization": f"Bearer {token}"}
        ) as ws:
            while not stop.is_set():
                try:
                    async with asyncio.timeout(0.5):  # not wait_for: see sync.client
                        raw = await ws.recv()
                except TimeoutError:
                    continue
                frame = json.loads(raw)
                if frame.get("type") != "event":
                    continue
                event = frame["event"]
                line = describe(event)
                if line:
                    stamp = dt.datetime.now().strftime("%H:%M:%S")
                    print(f"[{stamp}] #{frame['seq']:<4} {line}", flush=True)
                    shown += 1
                await ws.send(json.dumps({"type": "ack", "seq": frame["seq"]}))
                data = event.get("data") or {}
                sender = data.get("from")
                if event.get("kind") == "message" and sender and sender not in answered:
                    answered.add(sender)
                    name = ((event.get("contacts") or [{}])[0].get("profile") or {}).get("name", "")
                    await http.post(
                        "/v1/messages",
                        json={
                            "phone_number_id": event.get("phone_number_id"),
                            "client_id": str(uuid.uuid4()),
                            "messaging_product": "whatsapp",
                            "to": sender,
                            "type": "text",
                            "text": {
                                "body": f"Olá {name.split(' ')[0]}! Recebemos sua mensagem, "
                                "já vamos te atender."
                            },
                        },
                    )
    return shown


@dataclass
class DemoStack:
    """A relay and the Meta simulator on loopback, in background threads."""

    home: Path
    sim: MetaSimulator
    sim_server: BackgroundServer
    relay_server: BackgroundServer
    engine_url: str
    settings: Settings
    #: Set when the stack made its own folder: :meth:`stop` then removes it.
    throwaway: ThrowawayHome | None = None

    @property
    def relay_url(self) -> str:
        """The demo relay's address on loopback."""
        return self.relay_server.url

    def new_code(self, name: str) -> str:
        """A one-time enrollment code, as `crm-whatsapp-relay device add` prints."""
        engine = make_engine(self.engine_url)
        try:
            _, code, _ = add_device(engine, name)
        finally:
            engine.dispose()
        return code

    def seed_quick_replies(self) -> None:
        """Publish the demo office's quick replies, as a team member would from settings."""
        code = self.new_code("Equipe (demo)")
        url = self.relay_url
        with httpx.Client(base_url=url, timeout=10) as http:
            token = http.post("/v1/enroll", json={"code": code, "name": "Equipe"}).json()["token"]
            for shortcut, text in QUICK_REPLIES.items():
                event_id = uuid.uuid4().hex
                http.post(
                    "/v1/events",
                    headers={"Authorization": f"Bearer {token}"},
                    json={
                        "id": event_id,
                        "kind": "team",
                        "data": {"action": "quick_reply", "shortcut": shortcut, "text": text},
                    },
                ).raise_for_status()

    def seed_closed_window(self, now: float | None = None) -> str:
        """A customer whose last message is 30 hours old, who stays quiet; returns its wamid."""
        name, wa_id = CLOSED_WINDOW_CUSTOMER
        self.sim.customer(wa_id, name).plays = False
        sent_at = (time.time() if now is None else now) - CLOSED_WINDOW_AGE
        return self.say(wa_id, text=CLOSED_WINDOW_TEXT, name=name, timestamp=sent_at)

    def play(self, count: int, interval: float) -> Any:
        """Customers start writing in (a future; cancel it to stop them)."""
        return asyncio.run_coroutine_threadsafe(
            self.sim.play(count, interval),
            self.sim_server.loop,  # type: ignore[arg-type]
        )

    def say(self, wa_id: str, msg_type: str = "text", **kwargs: Any) -> str:
        """A customer writes in now; returns once the relay has the webhook."""
        return str(self.sim_server.call(self.sim.customer_says(wa_id, msg_type, **kwargs)))

    def restart_relay(self) -> None:
        """Stop the relay and start it again on the same port (desktops reconnect)."""
        port = self.relay_server.port
        self.relay_server.stop()
        self.relay_server = BackgroundServer(
            uvicorn_config(self.settings, port=port), "relay"
        ).start()

    def stop(self) -> None:
        """Stop the simulator and the relay, and remove the throw-away folder if it made one."""
        with contextlib.suppress(Exception):
            self.sim_server.call(self.sim.aclose(), timeout=5)
        self.relay_server.stop()
        self.sim_server.stop()
        if self.throwaway is not None:
            self.throwaway.remove()


def start_stack(home: Path | None = None, *, auto_reply: bool = True) -> DemoStack:
    """A relay and a Meta simulator on loopback, wired together, for the demo and tests.

    Without ``home`` the stack works in a throw-away folder that :meth:`DemoStack.stop`
    removes; folders a crashed demo left behind are removed first.
    """
    throwaway = None
    if home is None:
        sweep_stale()
        throwaway = ThrowawayHome()
        home = throwaway.path
    try:
        return _start_in(home, auto_reply, throwaway)
    except BaseException:
        if throwaway is not None:
            throwaway.remove()
        raise


def _start_in(home: Path, auto_reply: bool, throwaway: ThrowawayHome | None) -> DemoStack:
    app_secret, access_token = secrets.token_hex(16), secrets.token_hex(16)
    sim = MetaSimulator(
        webhook_url="", app_secret=app_secret, access_token=access_token, auto_reply=auto_reply
    )
    sim_server = BackgroundServer(
        uvicorn.Config(sim.app(), host="127.0.0.1", port=0, log_config=None, access_log=False),
        "meta-simulator",
    ).start()
    sim.base_url = sim_server.url
    settings = Settings(
        app_secret=app_secret,
        verify_token=secrets.token_hex(8),
        access_token=access_token,
        graph_url=sim_server.url,
        database_url=f"sqlite:///{home / 'relay.db'}",
        port=0,
        business_account_id=sim.waba_id,
        data_dir=home,
    )
    engine_url = settings.resolved_database_url()
    engine = make_engine(engine_url)
    create_schema(engine)
    engine.dispose()
    relay_server = BackgroundServer(uvicorn_config(settings, port=0), "relay").start()
    sim.webhook_url = relay_server.url + "/webhook"
    return DemoStack(home, sim, sim_server, relay_server, engine_url, settings, throwaway)


def has_display() -> bool:
    """Whether a window can be shown here (Linux needs an X or Wayland display)."""
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_window_demo(duration: float | None = None, interval: float = 3.0) -> int:
    """The product: relay, simulator and the inbox window on a throw-away profile."""
    from crm_whatsapp.app import run_app
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.security.memory import MemoryKeyring

    if not has_display():
        print("Sem tela disponível (DISPLAY/WAYLAND_DISPLAY): rodando o demo no terminal.")
        return run_demo(duration, interval)
    stack = start_stack()
    print(f"crm-whatsapp demo: relay {stack.relay_url}, simulador Meta {stack.sim_server.url}")
    print(f"perfil temporário em {stack.home}; feche a janela para sair.", flush=True)
    stack.seed_quick_replies()
    stack.seed_closed_window()
    player = stack.play(10_000, interval)
    try:
        return run_app(
            Profile(stack.home / "desktop"),
            backend=MemoryKeyring(),
            enroll_with=(stack.relay_url, stack.new_code("Atendente (demo)"), "Atendente"),
            quit_after=duration,
        )
    finally:
        player.cancel()
        stack.stop()


def run_demo(duration: float | None = None, interval: float = 3.0) -> int:
    """The loop without a window: this terminal plays the attendant."""
    stack = start_stack()
    sim, sim_server, relay_server = stack.sim, stack.sim_server, stack.relay_server
    home = stack.home
    code = stack.new_code("Demo")
    token = httpx.post(relay_server.url + "/v1/enroll", json={"code": code, "name": "Demo"}).json()[
        "token"
    ]
    print(f"crm-whatsapp demo: relay {relay_server.url}, simulador Meta {sim_server.url}")
    print(f"perfil temporário em {home}; Ctrl+C para sair.\n", flush=True)
    player = stack.play(10_000, interval)

    async def main() -> int:
        stop = asyncio.Event()
        if duration is not None:
            asyncio.get_running_loop().call_later(duration, stop.set)
        return await _attendant(relay_server.url, token, sim, stop, set())

    shown = 0
    started = time.monotonic()
    try:
        shown = asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        player.cancel()
        stack.stop()
    print(f"\n{shown} eventos em {time.monotonic() - started:.0f} s.")
    return 0
