"""Where the model engine sends its requests, from the settings page or the environment.

Any OpenAI-compatible server will do (OpenAI, Azure OpenAI, Ollama, vLLM,
LM Studio, llama.cpp server), and people paste their addresses in many
forms: ``http://localhost:11434`` without the ``/v1`` the ``openai`` package
needs (Chatwoot #14789), the full ``…/v1/chat/completions`` from a
tutorial, a trailing slash. :func:`normalise_base_url` turns each into the
base URL the package expects. Beside the settings page the engine honours
``OPENAI_BASE_URL`` and ``OPENAI_API_KEY`` (the package's own variables) and
``CRM_WHATSAPP_COPILOT_MODEL`` (DESIGN.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit, urlunsplit

ENV_BASE_URL: Final = "OPENAI_BASE_URL"
ENV_API_KEY: Final = "OPENAI_API_KEY"
ENV_MODEL: Final = "CRM_WHATSAPP_COPILOT_MODEL"

# Ollama, LM Studio and llama.cpp take no key, but the openai package refuses to send without
# one; servers that check nothing ignore this one.
NO_KEY: Final = "sem-chave"
DEFAULT_TIMEOUT: Final = 20.0

# A path segment that already names an API version: v1, v1beta, v2…
_VERSION_SEGMENT: Final = re.compile(r"v\d+[a-z0-9]*", re.IGNORECASE)
# What people paste after the base: the endpoint itself.
_ENDPOINT_SUFFIXES: Final = ("/chat/completions", "/completions", "/models")


def normalise_base_url(url: str) -> str:
    """The base URL the ``openai`` package expects, from what a person typed.

    ``http://localhost:11434`` -> ``http://localhost:11434/v1``; a trailing
    slash or a pasted ``/chat/completions`` goes; a path that already names
    a version (``/v1``, ``/api/v1``, ``/v1beta/openai``) or is Azure's
    ``/openai/…`` is left alone. Raises ValueError (one Portuguese sentence)
    for anything but an http(s) address with a host, since a missing scheme
    would otherwise send the API key in clear.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("O endereço do modelo deve ser uma URL http:// ou https:// com servidor.")
    path = parts.path.rstrip("/")
    for suffix in _ENDPOINT_SUFFIXES:
        if path.lower().endswith(suffix):
            path = path[: -len(suffix)].rstrip("/")
            break
    segments = [s for s in path.split("/") if s]
    named = any(_VERSION_SEGMENT.fullmatch(s) or s.lower() == "openai" for s in segments)
    if not named:
        path = f"{path}/v1"
    return urlunsplit((scheme, parts.netloc, path, parts.query, ""))


@dataclass(frozen=True)
class ModelSettings:
    """Everything the model engine needs to reach one model.

    ``redact`` is the office's setting (on by default, guarantee 5);
    ``timeout`` is the most the attendant waits, in seconds, for an answer
    to start and between two pieces of it. The key never shows in a repr.
    """

    base_url: str
    model: str
    api_key: str = field(repr=False)
    redact: bool = True
    timeout: float = DEFAULT_TIMEOUT


def model_settings(
    base_url: str,
    model: str,
    api_key: str | None,
    redact: bool,
    environ: Mapping[str, str],
) -> ModelSettings | None:
    """The engine's settings: the settings page's values, else the environment's.

    None when there is still no base URL or no model: the model engine is
    off and the local engine works alone. An empty key is allowed (local
    servers) and replaced by a placeholder the package accepts. Raises
    ValueError for a base URL that is not http(s).
    """
    url = base_url.strip() or environ.get(ENV_BASE_URL, "").strip()
    name = model.strip() or environ.get(ENV_MODEL, "").strip()
    if not url or not name:
        return None
    key = (api_key or "").strip() or environ.get(ENV_API_KEY, "").strip() or NO_KEY
    return ModelSettings(base_url=normalise_base_url(url), model=name, api_key=key, redact=redact)
