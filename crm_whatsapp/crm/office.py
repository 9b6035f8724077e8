"""The plugins of one opened profile: the host over its enabled plugins, customers from its history.

What the window and the ``crm-whatsapp crm …`` commands share, so both
send the CRMs the same customer, name and transcript.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from crm_whatsapp import audit
from crm_whatsapp.crm.config import PluginConfig, missing, secret_name, set_value, settings_of
from crm_whatsapp.crm.host import Enabled, PluginHost
from crm_whatsapp.crm.registry import Available, discover
from crm_whatsapp.domain.phones import typed_phone
from crm_whatsapp.plugin_api import Customer, Transcript
from crm_whatsapp.security.keys import KeyProblem
from crm_whatsapp.security.secrets import read_secret
from crm_whatsapp.store.phones import digits
from crm_whatsapp.workspace import Workspace

# How much of a conversation a CRM note carries (the most recent messages).
TRANSCRIPT_MESSAGES = 500
_SPOKEN_TYPES = {"text", "image", "video", "document", "audio", "location", "interactive", "button"}

log = logging.getLogger(__name__)


class PluginSetupError(Exception):
    """A plugin cannot run as configured; ``str()`` is one Portuguese sentence."""


def enabled_plugins(
    workspace: Workspace, available: Sequence[Available] | None = None
) -> tuple[list[Enabled], list[str]]:
    """The enabled plugins ready to run, and one sentence per enabled one that cannot."""
    config = PluginConfig.load(workspace.profile.root)
    ready: list[Enabled] = []
    problems: list[str] = []
    for entry in discover(config.enabled) if available is None else available:
        if entry.name not in config.enabled:
            continue
        if entry.plugin is None:
            problems.append(f"O plugin {entry.name} {entry.error}.")
            continue
        try:
            settings = settings_of(
                config, entry.plugin, workspace.keys.profile_id, workspace.backend
            )
        except KeyProblem:
            problems.append(
                f"O token do plugin {entry.title} não pôde ser lido do cofre do sistema."
            )
            continue
        if blank := missing(entry.plugin, settings):
            problems.append(f"O plugin {entry.title} precisa de: {', '.join(blank)}.")
            continue
        ready.append(Enabled(entry.plugin, settings))
    return ready, problems


def open_host(workspace: Workspace, **options: float) -> tuple[PluginHost, list[str]]:
    """A host over this profile's enabled plugins, and why any enabled one is left out."""
    ready, problems = enabled_plugins(workspace)
    return PluginHost(ready, **options), problems


def customer_for(workspace: Workspace, phone: str) -> Customer:
    """The customer with this number as the history knows them (name, Meta's form of the number).

    A number never seen is taken as typed (Brazilian forms gain 55).
    """
    history = workspace.history
    contact_id = history.contact_by_phone(phone)
    if contact_id is not None:
        contact = history.reader.contact(contact_id)
        name = str(contact.get("name") or contact.get("profile_name") or "")
        return Customer(str(contact["wa_id"] or digits(phone)), name)
    return Customer(typed_phone(phone) or digits(phone))


def transcript_for(workspace: Workspace, customer: Customer, me: str = "") -> Transcript:
    """The customer's conversation as note lines: who wrote what and when, oldest first."""
    history = workspace.history
    contact_id = history.contact_by_phone(customer.phone)
    lines: list[tuple[float, str, str]] = []
    if contact_id is not None:
        for conversation_id in history.reader.conversations_of_contact(contact_id):
            for m in history.messages(conversation_id, limit=TRANSCRIPT_MESSAGES):
                text = str(m.get("text") or "").strip()
                if m["direction"] not in ("in", "out") or not text:
                    continue
                if m.get("type") not in _SPOKEN_TYPES:
                    continue
                who = (
                    customer.name or "Cliente"
                    if m["direction"] == "in"
                    else str(m.get("author") or me or "Atendente")
                )
                lines.append((float(m.get("timestamp") or 0.0), who, text))
    lines.sort(key=lambda line: line[0])
    return Transcript(customer, tuple(lines[-TRANSCRIPT_MESSAGES:]))


class PluginSettings:
    """The settings page's view of this profile's plugins: the CLI's files and keyring."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def installed(self) -> list[Available]:
        """Every installed plugin, loadable or not."""
        return discover()

    def config(self) -> PluginConfig:
        """What is on, the values and the log-on-resolve choices, as saved."""
        return PluginConfig.load(self._workspace.profile.root)

    def has_secret(self, plugin: str, key: str) -> bool:
        """Whether a secret setting holds something (its value is never shown)."""
        try:
            return bool(
                read_secret(
                    secret_name(plugin, key),
                    self._workspace.keys.profile_id,
                    self._workspace.backend,
                )
            )
        except KeyProblem:
            return False

    def save(self, config: PluginConfig, values: Mapping[str, Mapping[str, str]]) -> None:
        """Save the choices and the values typed (a blank secret keeps the saved one)."""
        before = PluginConfig.load(self._workspace.profile.root)  # for the audit trail
        typed_secret: set[str] = set()
        plugins = {entry.name: entry.plugin for entry in discover() if entry.plugin is not None}
        for name, typed in values.items():
            plugin = plugins.get(name)
            if plugin is None:
                continue
            secrets = {s.key for s in plugin.settings if s.secret}
            for key, value in typed.items():
                if key in secrets and not value.strip():
                    continue
                if key in secrets:
                    typed_secret.add(name)
                set_value(
                    config,
                    plugin,
                    key,
                    value,
                    self._workspace.keys.profile_id,
                    self._workspace.backend,
                )
        config.save()
        changed = typed_secret | {
            name
            for name in set(before.values) | set(config.values)
            if before.values.get(name, {}) != config.values.get(name, {})
        }
        audit.record_all(
            self._workspace, audit.plugin_changes(before.enabled, config.enabled, changed)
        )
