"""The relay address IT sets by Group Policy (crm_whatsapp/policy.py), read through a
stand-in for the Windows registry: the parsing and precedence run here, ``winreg``
only on Windows."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from crm_whatsapp import policy

CHECKOUT = Path(__file__).resolve().parents[2]


def registry(values: dict[str, object]) -> policy.Reader:
    """A registry holding ``values`` as {hive: RelayUrl}; a missing hive has no key."""

    def read(hive: str, name: str) -> object:
        assert name == "RelayUrl"
        return values.get(hive)

    return read


def test_machine_policy_wins_over_user_policy() -> None:
    read = registry({"HKLM": "https://relay.matriz.com.br/", "HKCU": "https://outro.com.br"})
    assert policy.relay_url(read) == "https://relay.matriz.com.br"


def test_user_policy_when_the_machine_has_none() -> None:
    assert policy.relay_url(registry({"HKCU": "  https://relay.loja.com.br  "})) == (
        "https://relay.loja.com.br"
    )


def test_no_policy_is_no_address() -> None:
    assert policy.relay_url(registry({})) == ""


@pytest.mark.parametrize(
    "value",
    [
        "relay.loja.com.br",  # no scheme: a policy is exact, never guessed at
        "ftp://relay.loja.com.br",
        "https://",
        "https:///caminho",
        "https://relay.loja.com.br/\x00",
        "https://relay loja.com.br",
        1,  # REG_DWORD by mistake
        ["https://relay.loja.com.br"],  # REG_MULTI_SZ by mistake
        b"https://relay.loja.com.br",  # REG_BINARY
    ],
)
def test_a_wrong_machine_value_falls_back_to_the_user_value_and_is_logged(
    value: object, caplog: pytest.LogCaptureFixture
) -> None:
    read = registry({"HKLM": value, "HKCU": "HTTPS://relay.loja.com.br"})
    with caplog.at_level(logging.WARNING, logger="crm_whatsapp.policy"):
        assert policy.relay_url(read) == "https://relay.loja.com.br"
    assert "ignored the HKLM policy RelayUrl" in caplog.text
    assert "relay.loja" not in caplog.text  # the value itself is not logged


def test_an_unreadable_key_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    def read(hive: str, name: str) -> object:
        if hive == "HKLM":
            raise PermissionError("access denied")
        return "https://relay.loja.com.br"

    with caplog.at_level(logging.WARNING, logger="crm_whatsapp.policy"):
        assert policy.relay_url(read) == "https://relay.loja.com.br"
    assert "could not read the HKLM policy key" in caplog.text


@pytest.mark.skipif(sys.platform == "win32", reason="Windows has a registry to read")
def test_not_windows_has_no_policy() -> None:
    """Off Windows there is no registry: the wizard keeps an empty field."""
    assert policy.relay_url() == ""


def test_the_installer_writes_the_key_and_value_the_app_reads() -> None:
    """A per-machine NSIS install with /RELAY= writes the same machine policy GPO would."""
    script = (CHECKOUT / "installer" / "windows" / "crm-whatsapp.nsi").read_text("utf-8")
    assert f'!define POLICY_KEY "{policy.POLICY_KEY}"' in script
    assert f'WriteRegStr HKLM "${{POLICY_KEY}}" "{policy.RELAY_URL_VALUE}" "$Relay"' in script
