"""A keyring that lives only in this process: for the demo's throw-away profile and tests.

It is never picked by ``keyring``'s auto-detection (its priority raises), so
a real profile can't end up with its key in memory by accident.
"""

from __future__ import annotations

import keyring.errors
from keyring.backend import KeyringBackend
from keyring.compat import properties


class MemoryKeyring(KeyringBackend):
    """Secrets in a dict, gone when the process ends."""

    @properties.classproperty
    def priority(cls) -> float:
        """Never chosen automatically: raising keeps ``keyring``'s detection away."""
        raise RuntimeError("in-process backend; pass it explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        """The secret stored for (service, username), or None."""
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        """Store (or replace) a secret."""
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        """Forget a secret; raises ``PasswordDeleteError`` when there is none, as keyring does."""
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such entry") from None
