"""The audit trail in the history: who exported, erased, restored or connected what, and when.

The LGPD and the office's manager ask who did what with the customers'
data. Each entry comes to every desktop as a ``team`` event with action
``audit`` (the relay keeps it in its log like any team change), so the
trail is the same on every PC. Assignments and transfers are not sent
twice: they are read off the ``assign`` events the team already shares.

An entry never holds message text: a kind, who (the device's name), when,
and a subject (a masked phone, a plugin's name). An entry made while the
relay was out of reach is kept here as *pending* until the relay takes
it; its echo then only clears that mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from crm_whatsapp.domain.masking import masked_phone
from crm_whatsapp.store.fields import as_dict, as_id, as_text, as_timestamp
from crm_whatsapp.store.writer import Writer

# What an audit event may say it records (the relay checks the same list).
KINDS = (
    "export",
    "erase",
    "recovery_key_shown",
    "recovery_key_restored",
    "plugin_enabled",
    "plugin_disabled",
    "plugin_settings",
)
# Derived from the team's assign events, never sent as audit events.
DERIVED_KINDS = ("assign", "transfer", "unassign")
MAX_FIELD = 200


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail, as the settings page and the CSV show it."""

    key: str
    at: float
    kind: str
    who: str
    subject: str
    detail: str
    pending: bool = False


def _field(value: Any) -> str:
    return (as_text(value) or "")[:MAX_FIELD]


def apply_audit(writer: Writer, event: dict[str, Any]) -> bool:
    """File one ``audit`` team event; its echo clears the pending mark of our own entry.

    False (the caller sets it aside) for an entry of unknown kind or without an id.
    """
    data = as_dict(event.get("data"))
    key = as_id(event.get("id"))
    kind = data.get("kind")
    if key is None or kind not in KINDS:
        return False
    writer.execute(
        "INSERT INTO audit_log (event_key, at, kind, who, subject, detail, pending) "
        "VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (event_key) DO UPDATE SET pending = 0",
        (
            key,
            as_timestamp(event.get("at")) or 0.0,
            kind,
            _field(event.get("device_name")),
            _field(data.get("subject")),
            _field(data.get("detail")),
        ),
    )
    return True


def note_assignment(
    writer: Writer, event: dict[str, Any], conversation_id: int, now: float
) -> None:
    """Record an ``assign`` event as an assignment, a transfer or an unassignment.

    Called before the assignee changes, so the previous one tells a transfer
    from a first assignment. The event's own key makes its echo (or a
    replay) add nothing.
    """
    key = f"assign:{as_id(event.get('device_id')) or ''}:{as_id(event.get('id')) or ''}"
    if writer.one("SELECT 1 FROM audit_log WHERE event_key = ?", (key,)):
        return
    row = writer.execute(
        "SELECT conversations.assignee, contacts.wa_id FROM conversations "
        "JOIN contacts ON contacts.id = conversations.contact_id WHERE conversations.id = ?",
        (conversation_id,),
    ).fetchone()
    before = (row[0] if row else None) or ""
    subject = masked_phone(row[1] if row else None)
    after = as_text(as_dict(event.get("data")).get("assignee")) or ""
    if before == after:
        return
    kind = "unassign" if not after else ("transfer" if before else "assign")
    detail = f"{before} → {after}" if before and after else (after or before)
    writer.execute(
        "INSERT INTO audit_log (event_key, at, kind, who, subject, detail, pending) "
        "VALUES (?, ?, ?, ?, ?, ?, 0) ON CONFLICT (event_key) DO NOTHING",
        (key, now, kind, _field(event.get("device_name")), subject[:MAX_FIELD], _field(detail)),
    )


def record_pending(writer: Writer, event: dict[str, Any]) -> None:
    """Keep an entry this desktop made, pending until the relay takes it (or echoes it)."""
    data = as_dict(event.get("data"))
    with writer.transaction():
        writer.execute(
            "INSERT INTO audit_log (event_key, at, kind, who, subject, detail, pending) "
            "VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (event_key) DO NOTHING",
            (
                str(event["id"]),
                float(event["at"]),
                str(data["kind"]),
                _field(event.get("device_name")),
                _field(data.get("subject")),
                _field(data.get("detail")),
            ),
        )


def mark_sent(writer: Writer, key: str) -> None:
    """The relay took this entry: it is no longer ours alone."""
    with writer.transaction():
        writer.execute("UPDATE audit_log SET pending = 0 WHERE event_key = ?", (key,))


def entries(
    engine: Engine, kinds: tuple[str, ...] = (), limit: int = 5000, pending_only: bool = False
) -> list[AuditEntry]:
    """The trail, newest first, optionally of some kinds only."""
    where: list[str] = []
    params: list[Any] = []
    if kinds:
        where.append(f"kind IN ({', '.join('?' for _ in kinds)})")
        params += list(kinds)
    if pending_only:
        where.append("pending = 1")
    sql = "SELECT event_key, at, kind, who, subject, detail, pending FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY at DESC, event_key LIMIT ?"
    params.append(limit)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(sql, tuple(params)).fetchall()
    return [
        AuditEntry(str(k), float(at), str(kind), str(who), str(subj), str(det), bool(p))
        for k, at, kind, who, subj, det, p in rows
    ]
