"""``crm-whatsapp``: the desktop's command line.

``demo`` runs the product on embedded defaults. The headless commands serve
IT (enrolling a PC from the installer's silent mode), scripts and LGPD
requests. Every command honours ``CRM_WHATSAPP_HOME``. Errors print one
sentence in Portuguese and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm_whatsapp.privacy import ContactSummary
    from crm_whatsapp.workspace import Workspace


def cmd_enroll(args: argparse.Namespace) -> int:
    """Connect this PC to the relay with a one-time code (IT runs it from silent installs).

    ``--defer-recovery-key`` (what the installers pass: nobody reads a silent
    install's output) keeps the recovery key in the OS keyring instead of
    printing it; the window shows it at the attendant's first start and
    records "recovery_key_shown" only once they confirm it is written down.
    """
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.workspace import enroll_profile

    defer = bool(args.defer_recovery_key)
    workspace, device, recovery = enroll_profile(
        Profile.default(),
        args.relay_url,
        args.code,
        args.name or socket.gethostname(),
        defer_recovery_key=defer,
    )
    try:
        if recovery is not None and not defer:
            _audit(workspace, "recovery_key_shown", detail="linha de comando")
    finally:
        workspace.close()
    print(f"Computador conectado ao relay {device.relay_url} (dispositivo {device.device_id}).")
    if recovery is not None and defer:
        print(
            "A chave de recuperação será mostrada ao atendente na primeira vez que ele abrir "
            "o CRM WhatsApp neste computador."
        )
    elif recovery is not None:
        print(
            "\nCHAVE DE RECUPERAÇÃO — anote e guarde em local seguro (não será mostrada de novo):"
        )
        print(f"\n    {recovery.formatted}\n")
        print(
            "Ela permite abrir este histórico em outro computador ou se o cofre de senhas "
            "do sistema for perdido."
        )
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """Apply what the relay holds for this desktop, then print what the history holds."""
    from crm_whatsapp.sync.client import DeviceRejected, SyncClient
    from crm_whatsapp.workspace import NeedsNewCode, Workspace, load_device

    workspace = Workspace.open()
    try:
        device = load_device(workspace.profile, workspace.keys)
        client = SyncClient(device.relay_url, device.token, workspace.history)
        summary = asyncio.run(client.run_until_idle(timeout=args.timeout))
        conversations, messages = workspace.history.totals()
        _send_audit(workspace)
    except (NeedsNewCode, DeviceRejected):
        print(f"{NeedsNewCode.TEXT} {_NEW_CODE_HOW}", file=sys.stderr)
        return 3
    finally:
        workspace.close()
    note = (
        " (histórico anterior à retenção do relay não estava mais disponível)"
        if (summary.reset == "cursor_expired")
        else ""
    )
    print(
        f"{summary.events} eventos aplicados em {summary.seconds:.1f} s; "
        f"{conversations} conversas, {messages} mensagens{note}."
    )
    return 0


def cmd_export_contact(args: argparse.Namespace) -> int:
    """LGPD: write everything kept about one customer into a folder."""
    from crm_whatsapp.privacy import export_contact
    from crm_whatsapp.workspace import Workspace

    workspace = Workspace.open()
    try:
        export = export_contact(workspace, args.phone, Path(args.out_dir), plain=args.plain)
        if export is not None:
            _send_audit(workspace)
    finally:
        workspace.close()
    if export is None:
        print("Nenhum contato com esse número.", file=sys.stderr)
        return 1
    print(
        f"Exportadas {export.messages} mensagens para {export.path}"
        f"{'' if args.plain else ' (criptografado; use --plain para entregar ao titular)'}."
    )
    return 0


def cmd_erase_contact(args: argparse.Namespace) -> int:
    """LGPD: erase one customer, their messages and cached media from this PC."""
    from crm_whatsapp.privacy import contact_summary, erase_contact
    from crm_whatsapp.workspace import Workspace

    if not args.yes and not sys.stdin.isatty():
        print(
            "Apagar um contato pede confirmação: rode num terminal ou acrescente --yes.",
            file=sys.stderr,
        )
        return 2
    workspace = Workspace.open()
    try:
        summary = contact_summary(workspace, args.phone)
        if summary is None:
            print("Nenhum contato com esse número.", file=sys.stderr)
            return 1
        if not args.yes and not _confirmed(summary):
            print("Nada foi apagado.", file=sys.stderr)
            return 1
        erased = erase_contact(workspace, args.phone)
        _send_audit(workspace)
    finally:
        workspace.close()
    if erased is None:
        print("Nenhum contato com esse número.", file=sys.stderr)
        return 1
    print(f"Contato apagado: {erased} mensagens e suas mídias removidas deste computador.")
    return 0


def _confirmed(summary: ContactSummary) -> bool:
    """Ask on the terminal; the phone typed again (any way) or "sim" confirms."""
    from crm_whatsapp.store.phones import phone_key

    who = f"{summary.name} ({summary.phone})" if summary.name else summary.phone
    print(
        f"Isto apaga deste computador {who}, {summary.messages} mensagens e suas mídias, sem volta."
    )
    try:
        answer = input('Para confirmar, digite o número do contato ou "sim": ').strip()
    except EOFError:
        return False
    if answer.casefold() == "sim":
        return True
    from crm_whatsapp.domain.phones import typed_phone

    typed = typed_phone(answer)
    return bool(typed) and phone_key(typed) == phone_key(summary.wa_id)


# What the sync says after "this PC needs a new enrollment code".
_NEW_CODE_HOW = (
    "Com o código, rode 'crm-whatsapp enroll ENDEREÇO CÓDIGO' (ou abra a janela) neste "
    "computador; as conversas já baixadas não são baixadas de novo."
)


def _audit(workspace: Workspace, kind: str, subject: str = "", detail: str = "") -> None:
    """Record an audit entry and try to hand it to the relay (kept pending if it cannot)."""
    from crm_whatsapp import audit

    audit.record_and_send(workspace, kind, subject, detail)


def _send_audit(workspace: Workspace) -> None:
    """Send the audit entries still pending, if this PC is enrolled and the relay answers."""
    from crm_whatsapp import audit

    audit.flush(workspace)


def cmd_prune(args: argparse.Namespace) -> int:
    """Apply a retention policy now (what the window does daily with the office's setting)."""
    from crm_whatsapp.store.retention import MAX_MONTHS
    from crm_whatsapp.workspace import Workspace

    months = args.older_than_months
    if not 1 <= months <= MAX_MONTHS:
        print(f"Informe um número de meses entre 1 e {MAX_MONTHS}.", file=sys.stderr)
        return 1
    workspace = Workspace.open()
    try:
        result = workspace.prune(months)
    finally:
        workspace.close()
    print(
        f"Histórico anterior a {_date(result.cutoff)} apagado: {result.messages} mensagens "
        f"de {len(result.conversations)} conversas e suas mídias removidas deste computador."
    )
    return 0


def cmd_suggest(args: argparse.Namespace) -> int:
    """Print what the Copilot bar would show for a customer's conversation; never sends."""
    import json

    from crm_whatsapp.copilot.office import open_copilot
    from crm_whatsapp.copilot.service import suggest_once
    from crm_whatsapp.workspace import Workspace

    workspace = Workspace.open()
    try:
        contact_id = workspace.history.contact_by_phone(args.phone)
        conversations = (
            workspace.history.reader.conversations_of_contact(contact_id) if contact_id else []
        )
        if not conversations:
            print("Nenhum contato com esse número.", file=sys.stderr)
            return 1
        copilot = open_copilot(workspace)
        if args.engine != "model":
            copilot.build_local()
        update = asyncio.run(suggest_once(copilot, conversations[-1], args.engine))
    finally:
        workspace.close()
    if args.json:
        items = [{"text": s.text, "engine": s.engine} for s in update.suggestions]
        print(json.dumps({"suggestions": items}, ensure_ascii=False))
    else:
        for number, suggestion in enumerate(update.suggestions, 1):
            print(f"{number}. {suggestion.text}")
        if not update.suggestions and not update.notice:
            print("Nenhuma sugestão: a última mensagem não é do cliente.")
    if update.notice:
        print(update.notice, file=sys.stderr)
    return 1 if update.failed and args.engine == "model" else 0


def cmd_open(args: argparse.Namespace) -> int:
    """Click-to-chat: hand the request to the running inbox, or start one on it."""
    from crm_whatsapp.domain.chat_link import ChatLinkError, chat_request, parse_chat_url
    from crm_whatsapp.profile import Profile

    try:
        request = parse_chat_url(args.url) if args.url else chat_request(args.phone, args.text)
    except ChatLinkError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    profile = Profile.default()
    from crm_whatsapp.ui.handoff import hand_over

    if hand_over(profile.root, request):
        return 0
    from crm_whatsapp.app import run_app

    return run_app(profile, chat=request)


def cmd_quit(args: argparse.Namespace) -> int:
    """Close this user's running inbox and wait for it to end (installers, before upgrading)."""
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.ui.handoff import ask_to_quit

    ended = ask_to_quit(Profile.default().root, timeout_ms=int(args.timeout * 1000))
    if ended is False:
        print(
            f"O CRM WhatsApp aberto não fechou em {args.timeout:.0f} s; feche-o e tente de novo.",
            file=sys.stderr,
        )
        return 1
    return 0


def _seconds(text: str) -> float:
    """A wait of 0.1 s to a day: Qt reads a negative wait as "for ever"."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.1 <= value <= 86_400:
        raise argparse.ArgumentTypeError("use a number of seconds from 0.1 to 86400")
    return value


def _date(timestamp: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(timestamp).strftime("%d/%m/%Y")


def cmd_recovery_key(args: argparse.Namespace) -> int:
    """Explain the recovery key, or put it back in the keyring (--restore) when lost."""
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.security.keys import KeyStore

    profile = Profile.default()
    if args.restore:
        text = (
            sys.stdin.readline().strip()
            if not sys.stdin.isatty()
            # Not echoed: the key unlocks the whole history, and screens are shared.
            else getpass.getpass("Digite a chave de recuperação: ")
        )
        keys = KeyStore(profile.ensure()).restore_keyring_from_recovery(text)
        from crm_whatsapp.workspace import Workspace

        workspace = Workspace.open_with(profile, keys)
        try:
            _audit(workspace, "recovery_key_restored", detail="linha de comando")
        finally:
            workspace.close()
        print("Chave restaurada no cofre de senhas do sistema; o histórico já pode ser aberto.")
        return 0
    print(
        "A chave de recuperação foi mostrada uma única vez, na ativação deste computador.\n"
        "Para abrir este histórico num computador novo ou após perder o cofre de senhas:\n"
        "  1. copie a pasta do perfil (ou aponte CRM_WHATSAPP_HOME para ela);\n"
        "  2. rode 'crm-whatsapp recovery-key --restore' e digite a chave anotada.\n"
        f"Perfil: {profile.root}"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line, its help in English like argparse's own words and the relay's CLI.

    What a command prints for its user (results, failures) stays in Portuguese.
    """
    parser = argparse.ArgumentParser(
        prog="crm-whatsapp",
        description="WhatsApp inbox for your CRM (with no command: opens the window).",
    )
    from crm_whatsapp import __version__

    parser.add_argument("--version", action="version", version=f"crm-whatsapp {__version__}")
    sub = parser.add_subparsers(dest="command", required=False)
    sub.add_parser(
        "self-check", help="check this installation offscreen (one line per check; exit 0 if ok)"
    )
    demo = sub.add_parser("demo", help="run the product with built-in defaults, no credentials")
    demo.add_argument(
        "--terminal", action="store_true", help="no window: this terminal plays the attendant"
    )
    demo.add_argument("--duration", type=float, help="stop after N seconds")
    demo.add_argument(
        "--interval", type=float, default=3.0, help="seconds between simulated customers' messages"
    )
    enroll = sub.add_parser("enroll", help="connect this computer to the relay with a code")
    enroll.add_argument("relay_url")
    enroll.add_argument("code")
    enroll.add_argument("--name", help="this computer's name on the relay")
    enroll.add_argument(
        "--defer-recovery-key",
        action="store_true",
        help="keep the recovery key in the OS keyring and show it in the window at first start "
        "(silent installs) instead of printing it",
    )
    enroll.set_defaults(func=cmd_enroll)
    sync = sub.add_parser("sync", help="sync the history with the relay")
    sync.add_argument(
        "--until-idle",
        action="store_true",
        required=True,
        help="apply everything pending and exit",
    )
    sync.add_argument("--timeout", type=float, default=600.0)
    sync.set_defaults(func=cmd_sync)
    export = sub.add_parser("export-contact", help="LGPD: export everything about a contact")
    export.add_argument("phone")
    export.add_argument("out_dir")
    export.add_argument(
        "--plain", action="store_true", help="write it unencrypted, to hand to the data subject"
    )
    export.set_defaults(func=cmd_export_contact)
    erase = sub.add_parser("erase-contact", help="LGPD: erase a contact and everything about them")
    erase.add_argument("phone")
    erase.add_argument(
        "--yes", action="store_true", help="do not ask (for scripts): erase without confirming"
    )
    erase.set_defaults(func=cmd_erase_contact)
    prune = sub.add_parser("prune", help="erase history older than N months")
    prune.add_argument(
        "--older-than-months",
        type=int,
        required=True,
        metavar="N",
        help="erase messages (and their indexes, statuses and media) older than N months",
    )
    prune.set_defaults(func=cmd_prune)
    suggest = sub.add_parser(
        "suggest", help="show the Copilot's suggestions for the conversation (never sends)"
    )
    suggest.add_argument("phone")
    suggest.add_argument("--engine", choices=("auto", "local", "model"), default="auto")
    suggest.add_argument("--json", action="store_true", help="one JSON object on standard output")
    suggest.set_defaults(func=cmd_suggest)
    recovery = sub.add_parser("recovery-key", help="how to restore with the recovery key")
    recovery.add_argument(
        "--restore",
        action="store_true",
        help="read the key from standard input and restore it into the system keyring",
    )
    recovery.set_defaults(func=cmd_recovery_key)
    chat = sub.add_parser(
        "open", help="open the conversation with a number, text in the message box (never sends)"
    )
    chat.add_argument("phone", nargs="?", default="")
    chat.add_argument("--text", default="", help="text for the message box")
    chat.add_argument("--url", default="", help=argparse.SUPPRESS)  # crm-whatsapp://chat?…
    chat.set_defaults(func=cmd_open)
    leave = sub.add_parser(
        "quit", help="close the running inbox and wait for it to end (installers run it first)"
    )
    leave.add_argument(
        "--timeout", type=_seconds, default=30.0, help="seconds to wait for it to end (30)"
    )
    leave.set_defaults(func=cmd_quit)
    from crm_whatsapp.crm.commands import add_commands

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one sentence on stderr and a non-zero exit."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0].lower().startswith("crm-whatsapp:"):  # the OS opening one of our links
        argv = ["open", "--url", argv[0]]
    args = build_parser().parse_args(argv)
    if args.command == "self-check":  # IT and CI, after installing: touches no profile
        from crm_whatsapp.selfcheck import main as self_check

        return self_check()
    from crm_whatsapp.security.keys import KeyProblem
    from crm_whatsapp.store.database import StoreError
    from crm_whatsapp.sync.client import SyncError

    if args.command != "demo":  # the demo's profile is thrown away; its log lines stay on stderr
        from crm_whatsapp.logs import log_to_folder
        from crm_whatsapp.profile import Profile

        log_to_folder(Profile.default().logs)
    try:
        if args.command is None:
            from crm_whatsapp.app import run_app

            return run_app()
        if args.command == "demo":
            from crm_whatsapp.demo import run_demo, run_window_demo

            if args.terminal:
                return run_demo(args.duration, args.interval)
            return run_window_demo(args.duration, args.interval)
        return int(args.func(args))
    except (KeyProblem, StoreError, SyncError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"O comando falhou ({type(exc).__name__}).", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
