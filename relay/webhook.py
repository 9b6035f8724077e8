"""Meta's webhook: signature check and splitting a delivery into events.

A delivery is a batch (up to 1,000 updates across ``entry[]``, ``changes[]``
and the item lists), Meta retries it for days and re-sends statuses, so every
item becomes one event with a deduplication key that is the same on every
retry. The Meta item itself is kept untouched inside the event.

Every event is checked and encoded here, on its own, before it can join a
group commit: a value the database cannot hold (a NUL or an over-long key, an
item nested deeper than orjson encodes) would otherwise fail every webhook
committed beside it. Such an item is keyed by its content or kept ``raw``.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from typing import Any

import orjson

SIGNATURE_HEADER = "x-hub-signature-256"
MAX_KEY = 300  # events.dedupe_key is String(300)
MAX_KIND = 64  # events.kind is String(64)

# The kinds our own code names; only others (webhook field names) need checking.
KNOWN_KINDS = frozenset(("message", "status", "error", "raw", "outbound", "read", "team"))

log = logging.getLogger("relay.webhook")


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


class UnstorableEvent(ValueError):
    """The log cannot hold this event; ``part`` is ``key``, ``kind`` or ``body``."""

    def __init__(self, part: str, why: str) -> None:
        super().__init__(f"The event's {part} {why}.")
        self.part = part
        self.why = why


def storable_text(value: str, limit: int) -> bool:
    """Whether ``value`` fits a text column of ``limit`` characters on both backends.

    PostgreSQL refuses a NUL anywhere in text and anything that is not UTF-8
    (a lone surrogate); SQLite would take both, so the check is ours.
    """
    if len(value) > limit or "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def encode_body(body: Any) -> str:
    """The body as the JSON text stored and streamed; NUL comes out escaped as ``\\u0000``."""
    try:
        return orjson.dumps(body).decode("utf-8")
    except orjson.JSONEncodeError as exc:
        if "Recursion limit" in str(exc):
            raise UnstorableEvent("body", "is nested too deeply to store") from None
        raise UnstorableEvent("body", "cannot be encoded as JSON") from None


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event ready to append: the key that makes retries collapse, and the body.

    Built only if it can be stored: the key and kind fit their columns and the
    body is encoded to ``text`` here, once, so a group commit never meets an
    encoding error that belongs to one event (:class:`UnstorableEvent` instead).
    ``body`` must not be changed afterwards: ``text`` is what is stored.
    """

    dedupe_key: str
    kind: str
    body: dict[str, Any]
    text: str = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not storable_text(self.dedupe_key, MAX_KEY):
            raise UnstorableEvent("key", f"has a NUL or is over {MAX_KEY} characters")
        if self.kind not in KNOWN_KINDS and not (self.kind and storable_text(self.kind, MAX_KIND)):
            raise UnstorableEvent("kind", f"is empty, has a NUL or is over {MAX_KIND} characters")
        object.__setattr__(self, "text", encode_body(self.body))


class _Literal(str):
    """JSON text already encoded, waiting on :func:`json_text`'s stack."""


def _push_container(stack: list[Any], value: dict[Any, Any] | list[Any], sort_keys: bool) -> None:
    """Push ``value``'s members between its brackets, last first (the stack pops them in order)."""
    if isinstance(value, dict):
        pairs = sorted(value.items()) if sort_keys else list(value.items())
        stack.append(_Literal("}"))
        for index in range(len(pairs) - 1, -1, -1):
            name, member = pairs[index]
            stack.append(member)
            stack.append(_Literal(orjson.dumps(str(name)).decode("utf-8") + ":"))
            if index:
                stack.append(_Literal(","))
        stack.append(_Literal("{"))
        return
    stack.append(_Literal("]"))
    for index in range(len(value) - 1, -1, -1):
        stack.append(value[index])
        if index:
            stack.append(_Literal(","))
    stack.append(_Literal("["))


def json_text(value: Any, *, sort_keys: bool = False) -> str:
    """JSON text of a parsed value at any depth.

    orjson stops at 255 levels while it reads up to 1,024, and the standard
    library's encoder recurses too; this walks an explicit stack instead. Only
    values orjson refused take the slow path.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode("utf-8")
    except orjson.JSONEncodeError:
        pass
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        top = stack.pop()
        if isinstance(top, _Literal):
            out.append(top)
        elif isinstance(top, dict | list):
            _push_container(stack, top, sort_keys)
        else:
            out.append(orjson.dumps(top).decode("utf-8"))
    return "".join(out)


def _content_key(prefix: str, item: Any) -> str:
    """A key from the item's content: the same on every retry, whatever its depth."""
    digest = hashlib.sha256(json_text(item, sort_keys=True).encode("utf-8")).hexdigest()
    return f"{prefix}:{digest}"


def _storable_event(key: str, kind: str, body: dict[str, Any], source: Any) -> NewEvent:
    """The event as split, or the closest form the log can hold: never an unstorable one.

    ``source`` is what the event's content key is computed from (the item,
    with whatever else distinguishes it). A key the database refuses (a NUL or
    an over-long id from Meta) gives way to that content key, so the item still
    arrives as its own kind; a body orjson cannot encode is kept ``raw``.
    """
    try:
        return NewEvent(key, kind, body)
    except UnstorableEvent as exc:
        if exc.part == "body":
            return _kept_raw(kind, body, source, exc)
    log.warning("webhook item keyed by its content", extra={"fields": _kind_fields(kind)})
    try:
        return NewEvent(_content_key(kind, source), kind, body)
    except UnstorableEvent as exc:
        return _kept_raw(kind, body, source, exc)


def _kind_fields(kind: str) -> dict[str, Any]:
    """The kind as a log line may carry it: our own names, else a fixed description.

    Other kinds are webhook field names, data from the body: only their length is logged.
    """
    if kind in KNOWN_KINDS:
        return {"kind": kind}
    return {"kind": "other webhook field", "field_length": len(kind)}


def _kept_raw(kind: str, body: dict[str, Any], source: Any, exc: UnstorableEvent) -> NewEvent:
    """A ``raw`` event holding the item as JSON text, which any depth can become.

    The envelope's plain values (phone number id, field, times) stay beside it
    so a desktop can still tell where it came from.
    """
    fields = {**_kind_fields(kind), "reason": exc.why}
    log.warning("webhook item kept raw", extra={"fields": fields})
    raw: dict[str, Any] = {
        "kind": "raw",
        "reason": f"{kind} item {exc.why}",
        "data": {"encoding": "json", "body": json_text(body.get("data"))},
    }
    for name, value in body.items():
        if name not in raw and name != "contacts" and _plain(value):
            raw[name] = value
    return NewEvent(_content_key(f"raw:{kind}", source), "raw", raw)


def _plain(value: Any) -> bool:
    """A scalar that is always storable (strings are escaped, never refused, in bodies)."""
    return value is None or isinstance(value, str | int | float)


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
    sender = _string(message.get("from"))
    sender_uid = _string(message.get("from_user_id"))
    for contact in contacts:
        if not isinstance(contact, dict):
            continue
        if sender and contact.get("wa_id") == sender:
            return [contact]
        if sender_uid and contact.get("user_id") == sender_uid:
            return [contact]
    return list(contacts) if len(contacts) == 1 else []


def _string(value: Any) -> str:
    """``value`` if it is a string, else empty: comparing two deep lists would recurse."""
    return value if isinstance(value, str) else ""


def _status_contacts(contacts: list[Any], status: dict[str, Any]) -> list[Any]:
    recipient = _string(status.get("recipient_id"))
    recipient_uid = _string(status.get("recipient_user_id"))
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
                body = {"kind": "raw", "reason": f"non-object in {list_key}", "data": item}
                key = _content_key("item", item)
                out.append(_storable_event(key, "raw", {**body, **envelope}, item))
                continue
            if kind == "message":
                key = _item_key("message", item, ())
                who = _sender_contacts(contacts, item)
            elif kind == "status":
                key = _item_key("status", item, ("status", "timestamp"))
                who = _status_contacts(contacts, item)
            else:
                pnid = envelope["phone_number_id"]
                key = _content_key(f"error:{pnid}" if _plain(pnid) else "error", item)
                who = []
            body: dict[str, Any] = {"kind": kind, "data": item, **envelope}
            if who:
                body["contacts"] = who
            source = [envelope["phone_number_id"], item] if kind == "error" else item
            out.append(_storable_event(key, kind, body, source))
    return out


def _item_key(kind: str, item: dict[str, Any], parts: tuple[str, ...]) -> str:
    """``kind:<wamid>[:part…]`` when the wamid and parts are plain values, else a content key.

    Only scalars go into the key text: a nested value there would make a key
    as long (and as deep) as the value itself.
    """
    wamid = item.get("id")
    if not wamid or not _plain(wamid):
        return _content_key(kind, item)
    key = f"{kind}:{wamid}"
    for part in parts:
        value = item.get(part)
        if not _plain(value):
            return _content_key(kind, item)
        key = f"{key}:{value}"
    return key


def _field_kind(field: Any) -> str:
    """The event kind for a change's ``field``: its name, or ``raw`` if the log cannot hold it."""
    if isinstance(field, str) and field and storable_text(field[:MAX_KIND], MAX_KIND):
        return field
    return "raw"


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
            body = {"kind": "raw", "reason": "entry without changes", "data": entry}
            key = _content_key("entry", entry)
            events.append(_storable_event(key, "raw", {**body, "received_at": now}, entry))
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
            kind = _field_kind(field)
            body = {
                "kind": kind[:MAX_KIND],
                "data": value,
                "field": field,
                "waba_id": waba_id,
                "time": entry.get("time"),
                "received_at": now,
            }
            key = _content_key(f"field:{kind}", [waba_id, value])
            events.append(_storable_event(key, kind[:MAX_KIND], body, [waba_id, value]))
    if not events:
        return [_raw_event(body, "envelope without items", now)]
    return events
