"""The Copilot of one opened profile: its settings, its key, the relay's templates.

The window and ``crm-whatsapp suggest`` build their Copilot here, so both
read the model settings the same way: the settings page's values
(``settings.json``, and the API key from the OS keyring), then the
``openai`` package's own environment variables and
``CRM_WHATSAPP_COPILOT_MODEL`` (DESIGN.md) where the page left a field blank.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

import httpx

from crm_whatsapp.copilot.endpoint import ModelSettings, model_settings
from crm_whatsapp.copilot.model import ModelEngine
from crm_whatsapp.copilot.service import NO_MODEL, Copilot
from crm_whatsapp.security.keys import KeyProblem
from crm_whatsapp.security.secrets import read_secret, write_secret
from crm_whatsapp.settings import Preferences, load_preferences
from crm_whatsapp.store.copilot_log import Acceptance
from crm_whatsapp.workspace import Workspace, load_device

log = logging.getLogger(__name__)

API_KEY_SECRET = "copilot-api-key"
TEMPLATES_TIMEOUT = 10.0
BAD_URL = "O endereço da API do Copilot deve começar com https:// (ou http:// na rede local)."


def read_api_key(workspace: Workspace) -> str:
    """The Copilot's API key saved for this profile ("" when none, or the keyring is away)."""
    try:
        return read_secret(API_KEY_SECRET, workspace.keys.profile_id, workspace.backend)
    except KeyProblem:
        log.warning("copilot api key unreadable: keyring unavailable")
        return ""


def save_api_key(workspace: Workspace, key: str) -> None:
    """Keep the Copilot's API key in the OS keyring (blank removes it); raises KeyProblem."""
    write_secret(API_KEY_SECRET, workspace.keys.profile_id, key, workspace.backend)


def settings_for(
    prefs: Preferences, api_key: str, environ: Mapping[str, str] | None = None
) -> ModelSettings | None:
    """Where the model is for these preferences (None: no model configured)."""
    if not prefs.copilot_enabled:
        return None
    return model_settings(
        prefs.copilot_base_url,
        prefs.copilot_model,
        api_key or None,
        prefs.redact_personal_data,
        os.environ if environ is None else environ,
    )


async def relay_templates(workspace: Workspace) -> list[dict[str, Any]]:
    """The business's approved templates, straight from the relay (for the command line)."""
    device = load_device(workspace.profile, workspace.keys)
    async with httpx.AsyncClient(
        base_url=device.relay_url,
        headers={"Authorization": f"Bearer {device.token}"},
        timeout=TEMPLATES_TIMEOUT,
    ) as http:
        response = await http.get("/v1/templates")
        response.raise_for_status()
        body = response.json()
    items = body.get("data", body) if isinstance(body, dict) else body
    return [t for t in items if isinstance(t, dict) and t.get("status", "APPROVED") == "APPROVED"]


def open_copilot(workspace: Workspace, *, templates: Any = None, card: Any = None) -> Copilot:
    """A Copilot over this workspace that re-reads the preferences at each request.

    ``templates`` (an async callable) defaults to asking the relay directly;
    the window passes its session's cached list instead.
    """
    root = workspace.profile.root

    def current() -> ModelSettings | None:
        prefs = load_preferences(root)
        try:
            return settings_for(prefs, read_api_key(workspace))
        except ValueError:  # an address the settings dialog would refuse, typed in the file
            log.warning("copilot model address unusable; model engine off")
            return None

    async def from_relay() -> list[dict[str, Any]]:
        return await relay_templates(workspace)

    return Copilot(
        workspace.history,
        settings=current,
        model_enabled=lambda: load_preferences(root).copilot_model_enabled,
        templates=templates or from_relay,
        card=card,
    )


class OfficeSettings:
    """What the settings page keeps outside ``settings.json`` for one workspace.

    The API key goes to the OS keyring, the knowledge notes into the
    encrypted history; "Testar conexão" tries the form's values unsaved.
    """

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def api_key(self) -> str:
        return read_api_key(self._workspace)

    def save_api_key(self, key: str) -> None:
        save_api_key(self._workspace, key)

    def knowledge(self) -> str:
        return self._workspace.history.copilot.knowledge()

    def save_knowledge(self, text: str) -> None:
        self._workspace.history.copilot.save_knowledge(text)

    def acceptance(self) -> list[Acceptance]:
        return self._workspace.history.copilot.acceptance()

    async def test_connection(self, prefs: Preferences, api_key: str) -> str:
        """One sentence: the model answered with these values, or why it did not."""
        try:
            settings = settings_for(prefs, api_key)
        except ValueError:
            return BAD_URL
        if settings is None:
            return NO_MODEL
        async with ModelEngine(settings) as engine:
            return await engine.test_connection()
