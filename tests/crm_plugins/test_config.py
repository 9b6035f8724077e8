"""A profile's plugin settings: hostile or broken plugins.json, secrets kept out of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_whatsapp.crm.config import (
    CONFIG_FILE,
    ConfigError,
    PluginConfig,
    set_value,
    settings_of,
)
from crm_whatsapp.plugin_api import Plugin, Setting
from crm_whatsapp.security.memory import MemoryKeyring


class Vendor(Plugin):
    name = "vendor"
    title = "Vendor CRM"
    settings = (
        Setting("base_url", "Endereço", default="https://api.vendor.example"),
        Setting("token", "Token", secret=True, required=True),
    )


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe garbage",
        b"[1, 2]",
        b'{"enabled": "vendor", "values": [], "log_on_resolve": 7}',
        b'{"enabled": [1, null, {"x": 1}], "values": {"vendor": {"token": ["x"]}}}',
        b"{" * 100_000,
    ],
)
def test_a_broken_or_hostile_file_turns_every_plugin_off_without_a_crash(
    tmp_path: Path, body: bytes
) -> None:
    (tmp_path / CONFIG_FILE).write_bytes(body)
    config = PluginConfig.load(tmp_path)
    assert config.enabled == set()
    assert all(isinstance(v, str) for items in config.values.values() for v in items.values())


def test_secrets_go_to_the_keyring_and_never_into_the_file(tmp_path: Path) -> None:
    keyring = MemoryKeyring()
    config = PluginConfig.load(tmp_path)
    config.set_enabled("vendor", True)
    set_value(config, Vendor, "token", "s3cr3t-token", "profile-1", keyring)
    set_value(config, Vendor, "base_url", " https://self.hosted/ ", "profile-1", keyring)
    config.save()
    written = (tmp_path / CONFIG_FILE).read_text(encoding="utf-8")
    assert "s3cr3t-token" not in written
    again = PluginConfig.load(tmp_path)
    assert again.enabled == {"vendor"}
    assert settings_of(again, Vendor, "profile-1", keyring) == {
        "base_url": "https://self.hosted/",
        "token": "s3cr3t-token",
    }
    with pytest.raises(ConfigError, match="não tem a configuração 'senha'"):
        set_value(again, Vendor, "senha", "x", "profile-1", keyring)
