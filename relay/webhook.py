"""Meta's webhook: signature check and splitting a delivery into events.

A delivery is a batch (up to 1,000 updates across ``entry[]``, ``changes[]``
and the item lists), Meta retries it for days and re-sends statuses, so every
item becomes one event with a deduplication key that is the same on every
retry. The Meta item itself is kept untouched inside the event.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any

import orjson

SIGNATURE_HEADER = "x-hub-signature-256"


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for ``body`` (also used by the simulator)."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_is_valid(body: bytes, header: str | None, app_secret: str) -> bool:
    """Compare in constant time over the raw bytes exactly as received.

    Meta signs the ``\\uXXXX``-escaped JSON it sends, so hashing a re-serialised
    parse would fail on every accented Portuguese message.
    """
    if not header or not app_secret:
        return False
    prefix, _, received = header.strip().partition("=")
    if prefix.lower() != "sha256" or not received or not received.isascii():
        # compare_digest raises on non-ASCII text: a forged header must be a 401, not a 500.
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received.strip().lower())


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event ready to append: the key that makes retries collapse, and the body."""

    dedupe_key: str
    kind: str
    body: dict[str, Any]


def _content_key(prefix: str, item: Any) -> str:
    digest = hashlib.sha256(orjson.dumps(item, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return f"{prefix}:{digest}"


def _raw_event(body: bytes, reason: str, now: float) -> NewEvent:
    try:
        text = body.decode("utf-8")
        data: dict[str, Any] = {"encoding": "utf-8", "body": text}
    except UnicodeDecodeError:
        data = {"encoding": "base64", "body": base64.b64encode(body).decode("ascii")}
    return NewEvent(
        dedupe_key="raw:" + hashlib.sha256(body).hexdigest(),
        kind="raw",
        body={"kind": "raw", "reason": reason, "data": data, "received_at": now},
    )


def _sender_contacts(contacts: list[Any], message: dict[str, Any]) -> list[Any]:
    """The ``contacts[]`` profile of the customer who sent ``message``.

    Matching is by ``wa_id`` or, for username users whose ``wa_id``/``from``
    are empty strings, by the business-scoped ``user_id``.
    """
    if not contacts:
        return []
    sender = message.get("from") or ""
    sender_uid = message.get("from_user_id") or ""
    for contact in contacts:
        if not isinstance(contact, dict):
            continue
        if sender and contact.get("wa_id") == sender:
            return [contact]
        if sender_uid and contact.get("user_id") == sender_uid:
            return [contact]
    return list(contacts) if len(contacts) == 1 else []


def _status_contacts(contacts: list[Any], status: dict[str, Any]) -> list[Any]:
    recipient = status.get("recipient_id") or ""
    recipient_uid = status.get("recipient_user_id") or ""
    for contact in contacts:
        if not isinstance(contact, dict):
            continue
        if (recipient and contact.get("wa_id") == recipient) or (
            recipient_uid and contact.get("user_id") == recipient_uid
        ):
            return [contact]
    return []


ITEM_KINDS = (("messages", "message"), ("statuses", "status"), ("errors", "error"))


def _events_of_value(value: dict[str, Any], field: str, waba_id: Any, now: float) -> list[NewEvent]:
    metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    envelope = {
        "phone_number_id": metadata.get("phone_number_id"),
        "display_phone_number": metadata.get("display_phone_number"),
        "waba_id": waba_id,
        "field": field,
        "received_at": now,
    }
    contacts = value.get("contacts") if isinstance(value.get("contacts"), list) else []
    out: list[NewEvent] = []
    for list_key, kind in ITEM_KINDS:
        items = value.get(list_key)
        if not isinstance(items, list):
            continue
        for item in items:
            if not isinstance(item, dict):
                out.append(
                    NewEvent(
                        _content_key("item", item),
                        "raw",
                        {
                            "kind": "raw",
                            "reason": f"non-object in {list_key}",
                            "data": item,
                            **envelope,
                        },
                    )
                )
                continue
            if kind == "message":
                wamid = item.get("id")
                key = f"message:{wamid}" if wamid else _content_key("message", item)
                who = _sender_contacts(contacts, item)
            elif kind == "status":
                wamid = item.get("id")
                key = (
                    f"status:{wamid}:{item.get('status')}:{item.get('timestamp')}"
                    if wamid
                    else _content_key("status", item)
                )
                who = _status_contacts(contacts, item)
            else:
                key = _content_key(f"error:{envelope['phone_number_id']}", item)
                who = []
            body: dict[str, Any] = {"kind": kind, "data": item, **envelope}
            if who:
                body["contacts"] = who
            out.append(NewEvent(key, kind, body))
    return out


def split_webhook(body: bytes, now: float | None = None) -> list[NewEvent]:
    """Turn one signed delivery into events; anything unrecognised is kept raw."""
    now = time.time() if now is None else now
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return [_raw_event(body, "not JSON", now)]
    if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
        return [_raw_event(body, "not a Meta webhook envelope", now)]

    events: list[NewEvent] = []
    for entry in payload["entry"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes"), list):
            events.append(
                NewEvent(
                    _content_key("entry", entry),
                    "raw",
                    {
                        "kind": "raw",
                        "reason": "entry without changes",
                        "data": entry,
                        "received_at": now,
                    },
                )
            )
            continue
        waba_id = entry.get("id")
        for change in entry["changes"]:
            field = change.get("field") if isinstance(change, dict) else None
            value = change.get("value") if isinstance(change, dict) else None
            if field == "messages" and isinstance(value, dict):
                found = _events_of_value(value, field, waba_id, now)
                if found:
                    events.extend(found)
                    continue
            # Template status, account and quality updates, echoes, user
            # preferences, calls …: kept whole under the field's own name.
            kind = field if isinstance(field, str) and field else "raw"
            events.append(
                NewEvent(
                    _content_key(f"field:{kind}", [waba_id, value]),
                    kind[:64],
                    {
                        "kind": kind[:64],
                        "data": value,
                        "field": field,
                        "waba_id": waba_id,
                        "time": entry.get("time"),
                        "received_at": now,
                    },
                )
            )
    if not events:
        return [_raw_event(body, "envelope without items", now)]
    return events
