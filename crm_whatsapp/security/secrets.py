"""Secrets a person types into settings (the Copilot's API key, a CRM token): keyring only.

They never go in ``settings.json`` nor in the history: a copied profile
folder must not carry them. Each is stored per profile, so two profiles on
one PC keep their own, under the same service name as the data key.
"""

from __future__ import annotations

import contextlib

from keyring.backend import KeyringBackend

from crm_whatsapp.security.keys import SERVICE, keyring_call, resolve_backend


def _username(name: str, profile_id: str) -> str:
    return f"secret:{name}:{profile_id}"


def read_secret(name: str, profile_id: str, backend: KeyringBackend | None = None) -> str:
    """The secret ``name`` of a profile, "" when none was saved.

    Raises :class:`~crm_whatsapp.security.keys.KeyringUnavailable` when the
    keyring cannot be reached, so a caller can tell "none" from "cannot know".
    """
    chosen = resolve_backend(backend)
    return keyring_call(chosen.get_password, SERVICE, _username(name, profile_id)) or ""


def write_secret(
    name: str, profile_id: str, value: str, backend: KeyringBackend | None = None
) -> None:
    """Save (or, when ``value`` is blank, remove) the secret ``name`` of a profile."""
    chosen = resolve_backend(backend)
    username = _username(name, profile_id)
    if value.strip():
        keyring_call(chosen.set_password, SERVICE, username, value.strip())
        return
    # Removing what is not there is not an error (keyring raises PasswordDeleteError).
    if keyring_call(chosen.get_password, SERVICE, username) is not None:
        with contextlib.suppress(Exception):
            chosen.delete_password(SERVICE, username)
