"""``crm-whatsapp plugins …`` and ``crm-whatsapp crm lookup|lead|log`` (DESIGN.md), for IT.

The same code as the window: the registry, the profile's plugin settings and
the host with its timeouts. A failing plugin is one line on stderr naming it;
the others' results are still printed, and the exit code says something
failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from crm_whatsapp import audit
from crm_whatsapp.crm.config import ConfigError, PluginConfig, set_value
from crm_whatsapp.crm.host import PluginHost, as_json, results_failed
from crm_whatsapp.crm.office import customer_for, open_host, transcript_for
from crm_whatsapp.crm.registry import Available, discover
from crm_whatsapp.workspace import Workspace

T = TypeVar("T")

CAPABILITY_WORDS = {
    "lookup": "cartão",
    "create_contact": "contato",
    "create_lead": "lead",
    "log_conversation": "registro",
    "on_event": "eventos",
}


def _find(name: str) -> Available:
    for entry in discover():
        if entry.name == name:
            return entry
    known = ", ".join(e.name for e in discover()) or "nenhum"
    raise ConfigError(f"Nenhum plugin se chama {name!r} (instalados: {known}).")


def cmd_plugins(args: argparse.Namespace) -> int:
    """List plugins and their state, turn one on or off, or set one of its settings."""
    workspace = Workspace.open()
    try:
        config = PluginConfig.load(workspace.profile.root)
        action = args.plugins_action
        if action is None:
            return _list(config, args.json)
        entry = _find(args.name)
        if action in ("enable", "disable"):
            if action == "enable" and entry.plugin is None:
                print(f"O plugin {entry.name} {entry.error}.", file=sys.stderr)
                return 1
            was_on = entry.name in config.enabled
            config.set_enabled(entry.name, action == "enable")
            config.save()
            if was_on != (action == "enable"):  # the audit trail: a plugin connected or not
                audit.record_and_send(workspace, f"plugin_{action}d", entry.name)
            state = "ativado" if action == "enable" else "desativado"
            print(f"Plugin {entry.title} {state}.")
            return 0
        if entry.plugin is None:
            print(f"O plugin {entry.name} {entry.error}.", file=sys.stderr)
            return 1
        set_value(
            config, entry.plugin, args.key, args.value, workspace.keys.profile_id, workspace.backend
        )
        config.save()
        audit.record_and_send(workspace, "plugin_settings", entry.name, args.key)
        print(f"{entry.name}.{args.key} salvo.")
        return 0
    except ConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        workspace.close()


def _list(config: PluginConfig, as_json_lines: bool) -> int:
    rows: list[dict[str, Any]] = []
    for entry in discover():
        capabilities = sorted(entry.plugin.capabilities()) if entry.plugin else []
        rows.append(
            {
                "name": entry.name,
                "title": entry.title,
                "enabled": entry.name in config.enabled,
                "version": entry.version,
                "capabilities": capabilities,
                "settings": [s.key for s in entry.plugin.settings] if entry.plugin else [],
                "error": entry.error,
            }
        )
    if as_json_lines:
        print(json.dumps({"plugins": rows}, ensure_ascii=False))
        return 0
    if not rows:
        print("Nenhum plugin instalado.")
    for row in rows:
        state = "ativado" if row["enabled"] else "desativado"
        does = ", ".join(CAPABILITY_WORDS[c] for c in row["capabilities"])
        line = f"{row['name']:<12} {state:<11} {row['title']}"
        line += f" ({does})" if does else ""
        line += f" — {row['error']}" if row["error"] else ""
        print(line)
    return 0


def _with_host(
    workspace: Workspace, run: Callable[[PluginHost], Awaitable[T]]
) -> tuple[T, list[str], list[str]]:
    host, problems = open_host(workspace)

    async def go() -> T:
        try:
            return await run(host)
        finally:
            await host.aclose()

    return asyncio.run(go()), problems, host.names


def cmd_crm(args: argparse.Namespace) -> int:
    """Look a customer up, create a lead, or log the conversation in every enabled plugin."""
    workspace = Workspace.open()
    try:
        customer = customer_for(workspace, args.phone)
        if args.crm_action == "lookup":
            cards, problems, names = _with_host(workspace, lambda h: h.lookup(customer))
            found = [c for c in cards if c.card is not None]
            if args.json:
                print(json.dumps({"cards": [as_json(c) for c in found]}, ensure_ascii=False))
            else:
                for result in found:
                    card = result.card
                    assert card is not None
                    print(f"{result.title}: {card.name or '(sem nome)'}")
                    for label, value in (
                        ("Empresa", card.company),
                        ("E-mail", card.email),
                        ("Responsável", card.owner),
                        ("Telefones", ", ".join(card.phones)),
                        ("Abrir no CRM", card.url),
                    ):
                        if value:
                            print(f"  {label}: {value}")
                    for deal in card.deals:
                        print(f"  Negócio: {deal.title} ({deal.stage})")
                if not found and not [c for c in cards if c.error]:
                    print("Nenhum CRM conhece esse número.")
            results: list[Any] = cards
        elif args.crm_action == "lead":
            title = args.title or f"WhatsApp: {customer.name or '+' + customer.phone}"
            results, problems, names = _with_host(
                workspace, lambda h: h.create_lead(customer, title)
            )
            for action in results:
                if action.created is not None:
                    print(f"{action.title}: {action.created.id} {action.created.url}".rstrip())
        else:
            transcript = transcript_for(workspace, customer)
            results, problems, names = _with_host(
                workspace, lambda h: h.log_conversation(transcript)
            )
            for action in results:
                if action.created is not None:
                    print(f"{action.title}: registrado ({action.created.id})")
        for result in results:
            if result.error:
                print(f"{result.plugin}: {result.error}", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
        if not names and not problems:
            print("Nenhum plugin ativado: use 'crm-whatsapp plugins enable NOME'.", file=sys.stderr)
            return 1
        return 1 if results_failed(results) or problems else 0
    finally:
        workspace.close()


def add_commands(sub: Any) -> None:
    """Register ``plugins`` and ``crm`` on the desktop's argument parser."""
    plugins = sub.add_parser("plugins", help="list, enable, disable and configure the CRM plugins")
    plugins.add_argument("--json", action="store_true", help="the list as JSON")
    actions = plugins.add_subparsers(dest="plugins_action", required=False)
    for verb, text in (("enable", "enable a plugin"), ("disable", "disable a plugin")):
        one = actions.add_parser(verb, help=text)
        one.add_argument("name")
    setter = actions.add_parser("set", help="set one of the plugin's settings")
    setter.add_argument("name")
    setter.add_argument("key")
    setter.add_argument("value")
    plugins.set_defaults(func=cmd_plugins)

    crm = sub.add_parser(
        "crm", help="look the customer up in the CRMs, create a lead, log the conversation"
    )
    crm_actions = crm.add_subparsers(dest="crm_action", required=True)
    lookup = crm_actions.add_parser("lookup", help="the customer's card in each CRM")
    lookup.add_argument("phone")
    lookup.add_argument("--json", action="store_true")
    lead = crm_actions.add_parser("lead", help="create a lead or deal for the customer")
    lead.add_argument("phone")
    lead.add_argument("--title", default="")
    log = crm_actions.add_parser("log", help="log the conversation on the customer's record")
    log.add_argument("phone")
    lookup.set_defaults(func=cmd_crm)
    lead.set_defaults(func=cmd_crm, json=False)
    log.set_defaults(func=cmd_crm, json=False)
