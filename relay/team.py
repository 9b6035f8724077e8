"""Team events: what attendants share through the stream besides WhatsApp traffic.

A desktop posts ``{"id", "kind": "team", "data"}`` to ``POST /v1/events``;
the relay checks ``data`` against the action it names (assignment, status,
labels, a private note, a quick reply, the label palette) and appends it
to the same ordered log as webhooks, so every desktop applies team changes
in one order. ``id`` is chosen by the desktop and retried with the
request: the dedupe key ``team:<device_id>:<id>`` makes a retry store nothing new.

Nothing here logs: notes and labels are the team's private business.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any

from sqlalchemy import Engine, select

from relay.db import events
from relay.devices import Device
from relay.webhook import NewEvent, UnstorableEvent

KIND = "team"
ACTIONS = ("assign", "status", "labels", "note", "quick_reply", "audit", "palette")
# "snoozed" carries ``until`` (epoch seconds): every desktop reopens it then, by its clock.
STATUSES = ("open", "pending", "resolved", "snoozed")
MAX_UNTIL = 4_102_444_800.0  # 2100-01-01: a time, not a typo
MAX_ID = 100
MAX_ASSIGNEE = 200
MAX_LABELS = 20
MAX_LABEL = 40
MAX_TEXT = 4096
MAX_SHORTCUT = 40
SHORTCUT = re.compile(r"[\w-]+")
MAX_PALETTE = 50
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
# Actions about the whole team, not one conversation.
TEAM_WIDE = ("quick_reply", "audit", "palette")
# The audit trail: what a desktop recorded (never message text; phones come masked).
AUDIT_KINDS = (
    "export",
    "erase",
    "recovery_key_shown",
    "recovery_key_restored",
    "plugin_enabled",
    "plugin_disabled",
    "plugin_settings",
)
MAX_AUDIT_FIELD = 200


class BadTeamEvent(Exception):
    """The request is not a valid team event; the message is one short sentence."""


def _check_conversation(data: dict[str, Any]) -> None:
    ref = data.get("conversation")
    if not isinstance(ref, dict):
        raise BadTeamEvent("data.conversation must be an object.")
    pnid = ref.get("phone_number_id")
    if not isinstance(pnid, str) or not pnid:
        raise BadTeamEvent("data.conversation.phone_number_id must be a non-empty string.")
    found = False
    for key in ("wa_id", "user_id"):
        value = ref.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadTeamEvent(f"data.conversation.{key} must be a string.")
        found = found or bool(value)
    if not found:
        raise BadTeamEvent("data.conversation needs a wa_id or a user_id.")


def _check_audit(data: dict[str, Any]) -> None:
    if data.get("kind") not in AUDIT_KINDS:
        raise BadTeamEvent(f"data.kind must be one of {', '.join(AUDIT_KINDS)}.")
    for key in ("subject", "detail"):
        value = data.get(key, "")
        if not isinstance(value, str) or len(value) > MAX_AUDIT_FIELD:
            raise BadTeamEvent(f"data.{key} must be a string of at most {MAX_AUDIT_FIELD}.")
    if set(data) - {"action", "kind", "subject", "detail"}:
        raise BadTeamEvent("data of an audit event holds only kind, subject and detail.")


def _check_action(action: str, data: dict[str, Any]) -> None:
    if action == "audit":
        _check_audit(data)
    elif action == "assign":
        if "assignee" not in data:
            raise BadTeamEvent("data.assignee is required (null unassigns).")
        assignee = data["assignee"]
        if assignee is not None and (not isinstance(assignee, str) or len(assignee) > MAX_ASSIGNEE):
            raise BadTeamEvent(f"data.assignee must be null or a string of at most {MAX_ASSIGNEE}.")
    elif action == "status":
        if data.get("status") not in STATUSES:
            raise BadTeamEvent("data.status must be open, pending, resolved or snoozed.")
        if data["status"] == "snoozed":
            until = data.get("until")
            if (
                isinstance(until, bool)
                or not isinstance(until, int | float)
                or not math.isfinite(until)
                or not 0 < until < MAX_UNTIL
            ):
                raise BadTeamEvent("data.until must be a time (seconds since 1970) for snoozed.")
    elif action == "labels":
        labels = data.get("labels")
        if not isinstance(labels, list) or len(labels) > MAX_LABELS:
            raise BadTeamEvent(f"data.labels must be a list of at most {MAX_LABELS} labels.")
        if not all(isinstance(x, str) and len(x) <= MAX_LABEL for x in labels):
            raise BadTeamEvent(f"Each label must be a string of at most {MAX_LABEL} characters.")
    elif action == "note":
        text = data.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            raise BadTeamEvent(f"data.text must be a non-empty string of at most {MAX_TEXT}.")
    elif action == "quick_reply":
        shortcut = data.get("shortcut")
        if (
            not isinstance(shortcut, str)
            or not 1 <= len(shortcut) <= MAX_SHORTCUT
            or not SHORTCUT.fullmatch(shortcut)
        ):
            raise BadTeamEvent(
                f"data.shortcut must be 1 to {MAX_SHORTCUT} letters, digits, _ or -."
            )
        if "text" not in data:
            raise BadTeamEvent("data.text is required (null deletes the quick reply).")
        text = data["text"]
        if text is not None and (not isinstance(text, str) or len(text) > MAX_TEXT):
            raise BadTeamEvent(f"data.text must be null or a string of at most {MAX_TEXT}.")
    elif action == "palette":
        _check_palette(data)


def _label_name(value: Any) -> bool:
    return isinstance(value, str) and 1 <= len(value) <= MAX_LABEL and value.strip() == value


def _check_palette(data: dict[str, Any]) -> None:
    """The whole palette: unique names of 1 to 40 characters, colours ``#RRGGBB``.

    ``renamed`` (optional) maps old names to new ones so every desktop
    renames the label on its conversations too.
    """
    labels = data.get("labels")
    if not isinstance(labels, list) or len(labels) > MAX_PALETTE:
        raise BadTeamEvent(f"data.labels must be a list of at most {MAX_PALETTE} labels.")
    names: set[str] = set()
    for entry in labels:
        if not isinstance(entry, dict) or set(entry) != {"name", "color"}:
            raise BadTeamEvent('Each palette label must be {"name", "color"}.')
        if not _label_name(entry["name"]):
            raise BadTeamEvent(
                f"A label name must be 1 to {MAX_LABEL} characters, without outer spaces."
            )
        if not isinstance(entry["color"], str) or not COLOUR.fullmatch(entry["color"]):
            raise BadTeamEvent("A label colour must be #RRGGBB.")
        if entry["name"].casefold() in names:
            raise BadTeamEvent("Label names must be unique.")
        names.add(entry["name"].casefold())
    renamed = data.get("renamed", {})
    if not isinstance(renamed, dict) or len(renamed) > MAX_PALETTE:
        raise BadTeamEvent(f"data.renamed must be an object of at most {MAX_PALETTE} names.")
    if not all(_label_name(k) and _label_name(v) for k, v in renamed.items()):
        raise BadTeamEvent(f"Renamed labels must be names of 1 to {MAX_LABEL} characters.")


def validate_team(payload: Any) -> tuple[str, dict[str, Any]]:
    """``(id, data)`` of a valid request; :class:`BadTeamEvent` otherwise."""
    if not isinstance(payload, dict):
        raise BadTeamEvent("The body must be a JSON object.")
    event_id = payload.get("id")
    if not isinstance(event_id, str) or not 1 <= len(event_id) <= MAX_ID:
        raise BadTeamEvent(f"id must be a string of 1 to {MAX_ID} characters.")
    if "\x00" in event_id:
        # It becomes part of the dedupe key, and PostgreSQL refuses NUL in text.
        raise BadTeamEvent("id must not contain a NUL character.")
    if payload.get("kind") != KIND:
        raise BadTeamEvent('kind must be "team".')
    data = payload.get("data")
    if not isinstance(data, dict):
        raise BadTeamEvent("data must be an object.")
    action = data.get("action")
    if not isinstance(action, str) or action not in ACTIONS:
        raise BadTeamEvent(
            "data.action must be assign, status, labels, note, quick_reply, audit or palette."
        )
    if action not in TEAM_WIDE:
        _check_conversation(data)
    _check_action(action, data)
    return event_id, data


def dedupe_key(device_id: str, event_id: str) -> str:
    """``team:<device_id>:<id>``: the same for every retry of one team event."""
    return f"{KIND}:{device_id}:{event_id}"


def team_event(
    device: Device, event_id: str, data: dict[str, Any], now: float | None = None
) -> NewEvent:
    """The event as stored and streamed; :class:`BadTeamEvent` if the log cannot hold it.

    Checked here, for this request alone: ``data`` nested deeper than the JSON
    encoder goes would otherwise fail every webhook in the same group commit.
    """
    body = {
        "kind": KIND,
        "data": data,
        "id": event_id,
        "device_id": device.id,
        "device_name": device.name,
        "at": time.time() if now is None else now,
    }
    try:
        return NewEvent(dedupe_key(device.id, event_id), KIND, body)
    except UnstorableEvent as exc:
        raise BadTeamEvent(f"{'data' if exc.part == 'body' else 'id'} {exc.why}.") from None


def stored_seq(engine: Engine, key: str) -> int | None:
    """The seq a dedupe key was stored under, if retention has not pruned it."""
    with engine.connect() as conn:
        seq = conn.execute(select(events.c.seq).where(events.c.dedupe_key == key)).scalar()
    return None if seq is None else int(seq)
