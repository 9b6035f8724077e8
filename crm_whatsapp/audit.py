"""The audit trail, recorded: what this desktop (window or command line) did with customers' data.

Each entry is made here first, kept in the history as *pending*, then sent
to the relay as a ``team`` event with action ``audit``; every desktop files
it from the stream (``store.audit``), so the office's manager reads the
same trail on any PC. A desktop offline when it records keeps the entry
and sends it once the relay answers (the window on connecting, the
command line on its next run). Entries never hold message text: a phone
is masked, a plugin is named.

Blocking (HTTP and the database): call off the window's thread.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

import httpx

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP, Translate
from crm_whatsapp.domain.masking import masked_phone
from crm_whatsapp.domain.readable import local_datetime_text
from crm_whatsapp.security.keys import KeyProblem
from crm_whatsapp.security.private_file import write_private
from crm_whatsapp.store import audit as store_audit
from crm_whatsapp.store.audit import AuditEntry
from crm_whatsapp.workspace import Device, Workspace, device_name, load_device

log = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0
_PHONE_LIKE = re.compile(r"[+\d][\d •()\-]*")

# What each kind reads as, in the settings page and the CSV ("Audit" context).
KIND_LABELS: dict[str, str] = {
    "export": QT_TRANSLATE_NOOP("Audit", "Exportação de contato"),
    "erase": QT_TRANSLATE_NOOP("Audit", "Exclusão de contato"),
    "recovery_key_shown": QT_TRANSLATE_NOOP("Audit", "Chave de recuperação exibida"),
    "recovery_key_restored": QT_TRANSLATE_NOOP(
        "Audit", "Histórico aberto com a chave de recuperação"
    ),
    "plugin_enabled": QT_TRANSLATE_NOOP("Audit", "Plugin de CRM ligado"),
    "plugin_disabled": QT_TRANSLATE_NOOP("Audit", "Plugin de CRM desligado"),
    "plugin_settings": QT_TRANSLATE_NOOP("Audit", "Configuração de plugin alterada"),
    "assign": QT_TRANSLATE_NOOP("Audit", "Conversa atribuída"),
    "transfer": QT_TRANSLATE_NOOP("Audit", "Conversa transferida"),
    "unassign": QT_TRANSLATE_NOOP("Audit", "Conversa sem responsável"),
}
CSV_HEADER = (
    QT_TRANSLATE_NOOP("Audit", "Data e hora"),
    QT_TRANSLATE_NOOP("Audit", "Ação"),
    QT_TRANSLATE_NOOP("Audit", "Quem"),
    QT_TRANSLATE_NOOP("Audit", "Sobre"),
    QT_TRANSLATE_NOOP("Audit", "Detalhe"),
)


def record(
    workspace: Workspace,
    kind: str,
    subject: str = "",
    detail: str = "",
    who: str | None = None,
) -> str:
    """Keep one entry of this desktop's, pending until :func:`send_pending`; returns its id."""
    if kind not in store_audit.KINDS:
        raise ValueError(f"unknown audit kind {kind!r}")
    event_id = uuid.uuid4().hex
    name = who if who is not None else device_name(workspace.profile)
    event = {
        "kind": "team",
        "id": event_id,
        "device_name": name,
        "at": time.time(),
        "data": {"action": "audit", "kind": kind, "subject": subject, "detail": detail},
    }
    store_audit.record_pending(workspace.history.writer, event)
    log.info("audit entry %s recorded (%s)", event_id, kind)
    return event_id


def record_phone(workspace: Workspace, kind: str, wa_id: str, detail: str = "") -> str:
    """An entry about a customer, named by their masked phone."""
    return record(workspace, kind, masked_phone(wa_id), detail)


def send_pending(workspace: Workspace, device: Device, timeout: float = SEND_TIMEOUT) -> int:
    """Send the entries the relay has not taken yet; returns how many it took.

    Stops at the first failure (offline, refused): what is left stays
    pending for the next try, and nothing is lost or sent twice (the relay
    dedupes a retried id).
    """
    pending = store_audit.entries(workspace.history.engine, pending_only=True)
    sent = 0
    if not pending:
        return 0
    url = device.relay_url.rstrip("/") + "/v1/events"
    headers = {"Authorization": f"Bearer {device.token}"}
    with httpx.Client(timeout=timeout, headers=headers) as client:
        for entry in reversed(pending):  # oldest first, as they happened
            body = {
                "id": entry.key,
                "kind": "team",
                "data": {
                    "action": "audit",
                    "kind": entry.kind,
                    "subject": entry.subject,
                    "detail": entry.detail,
                },
            }
            try:
                response = client.post(url, json=body)
            except httpx.HTTPError as exc:
                log.info("audit entries left pending: relay unreachable (%s)", type(exc).__name__)
                break
            if response.status_code != 200:
                log.warning(
                    "relay refused audit entry %s (HTTP %s)", entry.key, response.status_code
                )
                break
            store_audit.mark_sent(workspace.history.writer, entry.key)
            sent += 1
    return sent


def flush(workspace: Workspace) -> int:
    """Send pending entries if this PC is enrolled and the relay answers (the command line's way).

    Not enrolled here (yet), or the keyring shut: the entries wait in the history.
    """
    try:
        device = load_device(workspace.profile, workspace.keys, workspace.backend)
    except KeyProblem:
        return 0
    return send_pending(workspace, device)


def record_and_send(workspace: Workspace, kind: str, subject: str = "", detail: str = "") -> None:
    """Record an entry, then try to hand it (and older pending ones) to the relay."""
    record(workspace, kind, subject, detail)
    flush(workspace)


def entries(workspace: Workspace, kinds: Iterable[str] = ()) -> list[AuditEntry]:
    """The trail, newest first (every kind when ``kinds`` is empty)."""
    return store_audit.entries(workspace.history.engine, tuple(kinds))


def csv_text(rows: Iterable[AuditEntry], translate: Translate | None = None) -> str:
    """The trail as CSV (``;``-separated, as Brazilian spreadsheets read it), dates local."""
    # Not named ``tr``: lupdate would read ``tr("Audit", …)`` as a message "Audit".
    translated: Callable[[str, str], str] = translate or (lambda _context, text: text)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([translated("Audit", title) for title in CSV_HEADER])
    for entry in rows:
        label = KIND_LABELS.get(entry.kind, entry.kind)
        writer.writerow(
            [
                local_datetime_text(entry.at),
                translated("Audit", label),
                entry.who,
                _safe_cell(entry.subject),
                _safe_cell(entry.detail),
            ]
        )
    return out.getvalue()


def _safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (names come from outside).

    A masked phone (``+55 11 •••••-4321``) stays as it is.
    """
    if text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in ("+", "-") and not _PHONE_LIKE.fullmatch(text)
    ):
        return "'" + text
    return text


def export_csv(rows: Iterable[AuditEntry], path: Path, translate: Translate | None = None) -> Path:
    """Write the trail to ``path``, readable by this user only (mode 600)."""
    write_private(path, ("\ufeff" + csv_text(rows, translate)).encode("utf-8"))
    return path


def plugin_changes(
    before_enabled: set[str], after_enabled: set[str], changed_settings: Iterable[str]
) -> list[tuple[str, str]]:
    """``(kind, plugin)`` for each plugin turned on or off, or whose settings changed."""
    changes = [("plugin_enabled", name) for name in sorted(after_enabled - before_enabled)]
    changes += [("plugin_disabled", name) for name in sorted(before_enabled - after_enabled)]
    changes += [("plugin_settings", name) for name in sorted(set(changed_settings))]
    return changes


def record_all(workspace: Workspace, changes: Iterable[tuple[str, str]]) -> list[str]:
    """Record several ``(kind, subject)`` entries (a settings page saved at once)."""
    return [record(workspace, kind, subject) for kind, subject in changes]
