"""Relay settings, read from the environment and an optional ``.env`` file.

The names are a contract (see DESIGN.md): an admin configures the relay the same
way on a VPS, in Docker or under systemd, so settings come only from
environment variables, with a ``.env`` file as a convenience for the last two.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v24.0"
# Meta's media CDN: besides the Graph host, the only place the access token may go.
DEFAULT_MEDIA_HOSTS = ("lookaside.fbsbx.com",)
# Meta: a webhook POST is a batch of up to 1,000 updates and up to 3 MB (Webhooks overview).
# Refusing a legitimate batch would make Meta retry it until it gives up: lost messages.
MAX_WEBHOOK_BYTES = 4 * 1024 * 1024


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one sentence for the admin."""


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse ``KEY=value`` lines; quotes around the value are removed.

    Deliberately tiny: a full dotenv dialect (interpolation, multiline) is a
    source of surprises in a file that holds secrets.
    """
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def default_data_dir() -> Path:
    """Where the relay keeps its SQLite log when no database URL is given."""
    explicit = os.environ.get("RELAY_DATA_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "crm-whatsapp-relay"


def _split(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def _media_hosts(value: str | None) -> tuple[str, ...]:
    """``RELAY_MEDIA_HOSTS``: unset means Meta's CDN; the Graph URL's host is always allowed."""
    return DEFAULT_MEDIA_HOSTS if value is None else _split(value)


def _positive_int(merged: Mapping[str, str], name: str, default: int) -> int:
    """A count setting; a typo stops ``serve`` with one sentence, not a traceback."""
    raw = merged.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18 or int(raw) < 1:
        raise ConfigError(f"{name} must be a whole number above 0 (it is {raw!r}).")
    return int(raw)


def _trusted_proxies(value: str) -> tuple[str, ...]:
    """``RELAY_TRUSTED_PROXIES``: IPs or CIDRs whose X-Forwarded-For is believed.

    Empty by default: a forwarded header from anyone else is a claim the client
    makes about itself, and believing it lets one address pose as many.
    """
    proxies = _split(value)
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError as exc:
            raise ConfigError(
                f"RELAY_TRUSTED_PROXIES must list IP addresses or networks; {proxy!r} is neither."
            ) from exc
    return proxies


@dataclass(frozen=True)
class Settings:
    """Everything the relay needs to run; secrets never appear in ``repr``."""

    app_secret: str = field(repr=False)
    verify_token: str = field(repr=False)
    access_token: str = field(repr=False)
    api_version: str = DEFAULT_API_VERSION
    graph_url: str = DEFAULT_GRAPH_URL
    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    retention_days: float = 30.0
    business_account_id: str = ""
    data_dir: Path = field(default_factory=default_data_dir)
    max_inflight: int = 1000
    stuck_timeout: float = 30.0
    ping_interval: float = 20.0
    send_retry_budget: float = 20.0
    max_unacked_bytes: int = 4 * 1024 * 1024
    max_streams_per_device: int = 4
    tail_cache_bytes: int = 64 * 1024 * 1024
    media_hosts: tuple[str, ...] = DEFAULT_MEDIA_HOSTS
    trusted_proxies: tuple[str, ...] = ()
    # RELAY_METRICS_TOKEN: when set, GET /metrics wants it as a bearer token.
    metrics_token: str = field(default="", repr=False)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        """Build settings; the process environment wins over the ``.env`` file."""
        merged: dict[str, str] = {}
        if dotenv is not None:
            merged.update(read_dotenv(dotenv))
        merged.update(os.environ if env is None else env)
        data_dir = (
            Path(merged["RELAY_DATA_DIR"]) if merged.get("RELAY_DATA_DIR") else (default_data_dir())
        )
        try:
            port = int(merged.get("RELAY_PORT", "8000"))
            retention = float(merged.get("RELAY_RETENTION_DAYS", "30"))
        except ValueError as exc:
            raise ConfigError(
                f"RELAY_PORT and RELAY_RETENTION_DAYS must be numbers ({exc})."
            ) from exc
        version = merged.get("WHATSAPP_API_VERSION", DEFAULT_API_VERSION).strip()
        if not version.startswith("v"):
            version = "v" + version
        return cls(
            app_secret=merged.get("WHATSAPP_APP_SECRET", ""),
            verify_token=merged.get("WHATSAPP_VERIFY_TOKEN", ""),
            access_token=merged.get("WHATSAPP_ACCESS_TOKEN", ""),
            api_version=version,
            graph_url=merged.get("WHATSAPP_GRAPH_URL", DEFAULT_GRAPH_URL).rstrip("/"),
            database_url=merged.get("RELAY_DATABASE_URL", ""),
            host=merged.get("RELAY_HOST", "127.0.0.1"),
            port=port,
            retention_days=retention,
            business_account_id=merged.get("WHATSAPP_BUSINESS_ACCOUNT_ID", ""),
            data_dir=data_dir,
            max_unacked_bytes=_positive_int(merged, "RELAY_STREAM_MAX_UNACKED_BYTES", 4 << 20),
            max_streams_per_device=_positive_int(merged, "RELAY_STREAM_MAX_PER_DEVICE", 4),
            tail_cache_bytes=_positive_int(merged, "RELAY_TAIL_CACHE_BYTES", 64 << 20),
            media_hosts=_media_hosts(merged.get("RELAY_MEDIA_HOSTS")),
            trusted_proxies=_trusted_proxies(merged.get("RELAY_TRUSTED_PROXIES", "")),
            metrics_token=merged.get("RELAY_METRICS_TOKEN", "").strip(),
        )

    def resolved_database_url(self) -> str:
        """The SQLAlchemy URL, defaulting to a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'relay.db'}"

    def require_serving_secrets(self) -> None:
        """Refuse to serve without the secrets Meta's traffic depends on."""
        missing = [
            name
            for name, value in (
                ("WHATSAPP_APP_SECRET", self.app_secret),
                ("WHATSAPP_VERIFY_TOKEN", self.verify_token),
                ("WHATSAPP_ACCESS_TOKEN", self.access_token),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: "
                "the relay cannot verify Meta's webhooks or send without "
                f"{'it' if len(missing) == 1 else 'them'} (set it in the environment or in .env)."
            )
