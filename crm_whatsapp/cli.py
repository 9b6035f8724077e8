"""``crm-whatsapp``: the desktop's command line.

``demo`` runs the product on embedded defaults. The headless commands serve
IT (enrolling a PC from the installer's silent mode), scripts and LGPD
requests. Every command honours ``CRM_WHATSAPP_HOME``. Errors print one
sentence in Portuguese and exit non-zero; never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
from collections.abc import Sequence
from pathlib import Path


def cmd_enroll(args: argparse.Namespace) -> int:
    """Connect this PC to the relay with a one-time code (IT runs it from silent installs)."""
    from crm_whatsapp.profile import Profile
    from crm_whatsapp.workspace import enroll_profile

    workspace, device, recovery = enroll_profile(
        Profile.default(), args.relay_url, args.code, args.name or socket.gethostname()
    )
    workspace.close()
    print(f"Computador conectado ao relay {device.relay_url} (dispositivo {device.device_id}).")
    if recovery is not None:
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
    from crm_whatsapp.sync.client import SyncClient
    from crm_whatsapp.workspace import Workspace, load_device

    workspace = Workspace.open()
    try:
        device = load_device(workspace.profile, workspace.keys)
        client = SyncClient(device.relay_url, device.token, workspace.history)
        summary = asyncio.run(client.run_until_idle(timeout=args.timeout))
        conversations, messages = workspace.history.totals()
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
    from crm_whatsapp.privacy import erase_contact
    from crm_whatsapp.workspace import Workspace

    workspace = Workspace.open()
    try:
        erased = erase_contact(workspace, args.phone)
    finally:
        workspace.close()
    if erased is None:
        print("Nenhum contato com esse número.", file=sys.stderr)
        return 1
    print(f"Contato apagado: {erased} mensagens e suas mídias removidas deste computador.")
    return 0


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
            else input("Digite a chave de recuperação: ")
        )
        KeyStore(profile.ensure()).restore_keyring_from_recovery(text)
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
    """The command line, with Portuguese help (the people who run it speak it)."""
    parser = argparse.ArgumentParser(
        prog="crm-whatsapp",
        description="Caixa de entrada do WhatsApp para o seu CRM (sem comando: abre a janela).",
    )
    sub = parser.add_subparsers(dest="command", required=False)
    demo = sub.add_parser("demo", help="roda o produto com padrões embutidos, sem credenciais")
    demo.add_argument(
        "--terminal", action="store_true", help="sem janela: este terminal faz o papel do atendente"
    )
    demo.add_argument("--duration", type=float, help="encerra após N segundos")
    demo.add_argument(
        "--interval", type=float, default=3.0, help="segundos entre mensagens de clientes simulados"
    )
    enroll = sub.add_parser("enroll", help="conecta este computador ao relay com um código")
    enroll.add_argument("relay_url")
    enroll.add_argument("code")
    enroll.add_argument("--name", help="nome deste computador no relay")
    enroll.set_defaults(func=cmd_enroll)
    sync = sub.add_parser("sync", help="sincroniza o histórico com o relay")
    sync.add_argument(
        "--until-idle",
        action="store_true",
        required=True,
        help="aplica tudo o que está pendente e sai",
    )
    sync.add_argument("--timeout", type=float, default=600.0)
    sync.set_defaults(func=cmd_sync)
    export = sub.add_parser("export-contact", help="LGPD: exporta tudo sobre um contato")
    export.add_argument("phone")
    export.add_argument("out_dir")
    export.add_argument(
        "--plain", action="store_true", help="grava em claro, para entregar ao titular dos dados"
    )
    export.set_defaults(func=cmd_export_contact)
    erase = sub.add_parser("erase-contact", help="LGPD: apaga um contato e tudo sobre ele")
    erase.add_argument("phone")
    erase.set_defaults(func=cmd_erase_contact)
    prune = sub.add_parser("prune", help="apaga o histórico mais antigo que N meses")
    prune.add_argument(
        "--older-than-months",
        type=int,
        required=True,
        metavar="N",
        help="apaga mensagens (e seus índices, status e mídias) com mais de N meses",
    )
    prune.set_defaults(func=cmd_prune)
    suggest = sub.add_parser(
        "suggest", help="mostra as sugestões do Copilot para a conversa (nunca envia)"
    )
    suggest.add_argument("phone")
    suggest.add_argument("--engine", choices=("auto", "local", "model"), default="auto")
    suggest.add_argument("--json", action="store_true", help="um objeto JSON na saída padrão")
    suggest.set_defaults(func=cmd_suggest)
    recovery = sub.add_parser("recovery-key", help="como restaurar com a chave de recuperação")
    recovery.add_argument(
        "--restore",
        action="store_true",
        help="lê a chave da entrada padrão e a restaura no cofre do sistema",
    )
    recovery.set_defaults(func=cmd_recovery_key)
    chat = sub.add_parser(
        "open", help="abre a conversa com um número, com texto no campo de mensagem (nunca envia)"
    )
    chat.add_argument("phone", nargs="?", default="")
    chat.add_argument("--text", default="", help="texto para o campo de mensagem")
    chat.add_argument("--url", default="", help=argparse.SUPPRESS)  # crm-whatsapp://chat?…
    chat.set_defaults(func=cmd_open)
    from crm_whatsapp.crm.commands import add_commands

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one sentence on stderr and a non-zero exit."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0].lower().startswith("crm-whatsapp:"):  # the OS opening one of our links
        argv = ["open", "--url", argv[0]]
    args = build_parser().parse_args(argv)
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
