"""Save a picture of the inbox window: ``xvfb-run -a python tools/screenshot.py OUT``.

It runs the demo's relay and Meta simulator, lets a few customers write in
(one sends a photo, shown as its preview), answers one of them from the
window, waits for the ticks, and grabs the window as a real X server (Xvfb)
draws it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from crm_whatsapp.app import application, run_app
from crm_whatsapp.demo import start_stack
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.memory import MemoryKeyring

SCRIPT = [
    (
        "5511987654321",
        "Marina Alves",
        "Bom dia! O apartamento da *Rua Augusta* ainda está disponível?",
    ),
    ("5511912345678", "Carlos Oliveira", "Consegue me mandar o orçamento até amanhã?"),
    ("5521998765432", "Beatriz Gonçalves", "Obrigada pelo atendimento 😊"),
    ("5531987001122", "João Pereira", "Qual o valor do condomínio?"),
    ("5511987654321", "Marina Alves", "Posso visitar no sábado de manhã?"),
]


def main() -> int:
    out = Path(sys.argv[1]).resolve()
    stack = start_stack()
    application()
    for wa_id, name, text in SCRIPT:
        stack.sim.customer(wa_id, name)
        stack.say(wa_id, text=text)
    stack.say(SCRIPT[0][0], "image", text="A fachada, para você conferir")
    done = {"ok": False}

    def window():  # type: ignore[no-untyped-def]
        from crm_whatsapp.ui.mainwindow import MainWindow

        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def answer() -> None:
        w = window()
        if w is None or w.list_model.rowCount() < 4:
            QTimer.singleShot(200, answer)
            return
        marina = next(r for r in w.session.history.conversations(10) if r["wa_id"] == SCRIPT[0][0])
        w.select_conversation(marina["id"])
        w.send_text("Bom dia! Está sim. Sábado às 10h fica bom?", None)
        QTimer.singleShot(2500, grab)

    def grab() -> None:
        w = window()
        assert w is not None
        w.grab().save(str(out))
        done["ok"] = True
        w.close()

    QTimer.singleShot(500, answer)
    started = time.monotonic()
    try:
        run_app(
            Profile(stack.home / "desktop"),
            backend=MemoryKeyring(),
            enroll_with=(stack.relay_url, stack.new_code("Ana"), "Ana"),
            quit_after=60,
        )
    finally:
        stack.stop()
    print(
        f"screenshot {'saved' if done['ok'] else 'NOT saved'} in {time.monotonic() - started:.1f} s"
    )
    return 0 if done["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
