"""Fixtures of the Copilot's tests: the OpenAI-compatible server on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from openai_server import OpenAIServer


@pytest.fixture
def openai_server() -> Iterator[OpenAIServer]:
    """A fresh server per test, on its own port (so a remembered response format is its own)."""
    with OpenAIServer() as server:
        yield server
