"""Where the model is: base URLs as people paste them, and the environment's fallbacks."""

from __future__ import annotations

import pytest

from crm_whatsapp.copilot.endpoint import NO_KEY, ModelSettings, model_settings, normalise_base_url


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("http://localhost:11434", "http://localhost:11434/v1"),
        ("http://localhost:11434/", "http://localhost:11434/v1"),
        ("  http://localhost:1234/v1/  ", "http://localhost:1234/v1"),
        ("http://127.0.0.1:8080/v1/chat/completions", "http://127.0.0.1:8080/v1"),
        ("https://api.openai.com/v1", "https://api.openai.com/v1"),
        ("HTTPS://api.openai.com", "https://api.openai.com/v1"),
        ("https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1"),
        ("https://gateway.example/llm", "https://gateway.example/llm/v1"),
        (
            "https://recurso.openai.azure.com/openai/v1/",
            "https://recurso.openai.azure.com/openai/v1",
        ),
        (
            "https://recurso.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21",
            "https://recurso.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21",
        ),
        (
            "https://generativelanguage.googleapis.com/v1beta/openai/",
            "https://generativelanguage.googleapis.com/v1beta/openai",
        ),
    ],
)
def test_base_urls_as_people_type_them(typed: str, expected: str) -> None:
    assert normalise_base_url(typed) == expected


@pytest.mark.parametrize(
    "typed", ["ftp://servidor/v1", "localhost:11434", "api.openai.com/v1", "http://", ""]
)
def test_anything_but_an_http_address_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="http"):
        normalise_base_url(typed)


def test_settings_page_values_win_over_the_environment() -> None:
    environ = {
        "OPENAI_BASE_URL": "http://outro:1/v1",
        "OPENAI_API_KEY": "sk-env",
        "CRM_WHATSAPP_COPILOT_MODEL": "modelo-env",
    }
    settings = model_settings("http://localhost:11434", "llama3.2", "sk-page", False, environ)
    assert settings == ModelSettings(
        base_url="http://localhost:11434/v1", model="llama3.2", api_key="sk-page", redact=False
    )


def test_the_environment_fills_what_the_settings_page_left_empty() -> None:
    environ = {
        "OPENAI_BASE_URL": "http://10.0.0.5:8000",
        "OPENAI_API_KEY": "sk-env",
        "CRM_WHATSAPP_COPILOT_MODEL": "qwen2.5",
    }
    settings = model_settings("", "", None, True, environ)
    assert settings == ModelSettings("http://10.0.0.5:8000/v1", "qwen2.5", "sk-env", True)


def test_no_base_url_or_no_model_means_the_engine_is_off() -> None:
    assert model_settings("", "llama3.2", None, True, {}) is None
    assert model_settings("http://localhost:11434", "", None, True, {}) is None


def test_an_empty_key_is_allowed_for_local_servers() -> None:
    settings = model_settings("http://localhost:11434", "llama3.2", "", True, {})
    assert settings is not None
    assert settings.api_key == NO_KEY


def test_the_key_never_shows_in_a_repr() -> None:
    settings = ModelSettings("http://localhost:11434/v1", "llama3.2", "sk-segredo")
    assert "sk-segredo" not in repr(settings)
