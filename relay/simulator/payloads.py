"""Webhook payloads shaped as Meta documents them (see docs/meta-simulator.md).

Written from the Cloud API reference pages ("messages" webhook reference and
its per-type pages, "status", "errors"); field names and nesting follow them
exactly, including the quirks: timestamps are strings, statuses since v24.0
carry no ``conversation`` object, a removed reaction omits ``emoji``, and
username users have empty ``wa_id``/``from`` with only ``user_id`` set.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any

ERROR_DOCS = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"


def new_wamid() -> str:
    """A message id in Meta's style: ``wamid.`` + base64 of opaque bytes."""
    return "wamid." + base64.b64encode(b"\x15\x02\x00\x11\x18" + secrets.token_bytes(18)).decode()


def media_sha256(data: bytes) -> str:
    """Webhooks carry the file's SHA-256 base64-encoded."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def envelope(
    waba_id: str, phone_number_id: str, display_phone_number: str, value: dict[str, Any]
) -> dict[str, Any]:
    """Meta's webhook envelope around one ``messages`` change carrying ``value``.

    ``value`` holds the lists (``messages``, ``statuses``, ``contacts``);
    the metadata naming the business number is added here.
    """
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": waba_id,
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": display_phone_number,
                                "phone_number_id": phone_number_id,
                            },
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def contact(name: str | None, wa_id: str, user_id: str | None = None) -> dict[str, Any]:
    """A ``contacts[]`` item; ``profile`` only with a name, ``user_id`` only when set."""
    out: dict[str, Any] = {}
    if name is not None:
        out["profile"] = {"name": name}
    out["wa_id"] = wa_id
    if user_id:
        out["user_id"] = user_id
    return out


def message(
    sender: str,
    msg_type: str,
    content: dict[str, Any] | None,
    *,
    timestamp: int,
    wamid: str | None = None,
    context: dict[str, Any] | None = None,
    from_user_id: str | None = None,
) -> dict[str, Any]:
    """One ``messages[]`` item; ``content`` goes under the key named by the type."""
    out: dict[str, Any] = {"from": sender}
    if from_user_id:
        out["from_user_id"] = from_user_id
    out["id"] = wamid or new_wamid()
    out["timestamp"] = str(timestamp)
    if context:
        out["context"] = context
    out["type"] = msg_type
    if content is not None:
        out[msg_type] = content
    return out


def status(
    wamid: str,
    state: str,
    recipient_id: str,
    *,
    timestamp: int,
    errors: list[dict[str, Any]] | None = None,
    callback_data: str | None = None,
    with_pricing: bool = False,
) -> dict[str, Any]:
    """One ``statuses[]`` item, v24.0 shape (per-message pricing, no conversation)."""
    out: dict[str, Any] = {
        "id": wamid,
        "status": state,
        "timestamp": str(timestamp),
        "recipient_id": recipient_id,
    }
    if callback_data:
        out["biz_opaque_callback_data"] = callback_data
    if with_pricing:
        out["pricing"] = {
            "billable": False,
            "pricing_model": "PMP",
            "category": "service",
            "type": "free_customer_service",
        }
    if errors:
        out["errors"] = errors
    return out


def error_object(code: int, title: str, details: str) -> dict[str, Any]:
    """The error shape of webhooks (``statuses[].errors``, ``value.errors``)."""
    return {
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": details},
        "href": ERROR_DOCS,
    }


def graph_error(
    code: int,
    message: str,
    details: str,
    *,
    error_type: str = "OAuthException",
    subcode: int | None = None,
) -> dict[str, Any]:
    """The Graph API error envelope returned synchronously by /messages."""
    err: dict[str, Any] = {
        "message": f"(#{code}) {message}",
        "type": error_type,
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "A" + secrets.token_hex(10),
    }
    if subcode is not None:
        err["error_subcode"] = subcode
    return {"error": err}


REENGAGEMENT = error_object(
    131047,
    "Re-engagement message",
    "Message failed to send because more than 24 hours have passed since the customer "
    "last replied to this number.",
)
UNDELIVERABLE = error_object(
    131026,
    "Message undeliverable",
    "Message could not be delivered to the recipient (not on WhatsApp, or old app version).",
)

# Meta's error on an inbound message it cannot pass on (``messages[].errors``, type unsupported).
UNSUPPORTED_TYPE = error_object(
    131051, "Message type unknown", "Message type is currently not supported."
)
