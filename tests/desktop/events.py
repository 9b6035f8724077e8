"""Relay stream events as the store tests feed them to ``History.apply``."""

from __future__ import annotations

from typing import Any

PNID = "106540352242922"


def text_message(
    n: int, wa_id: str, body: str, ts: int, name: str = "Cliente"
) -> tuple[int, dict[str, Any]]:
    """Stream frame ``n``: a customer's text message, with their WhatsApp profile name."""
    return (
        n,
        {
            "kind": "message",
            "phone_number_id": PNID,
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "data": {
                "from": wa_id,
                "id": f"wamid.T{n}",
                "timestamp": str(ts),
                "type": "text",
                "text": {"body": body},
            },
        },
    )
