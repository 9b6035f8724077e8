"""Activity lines and conversation statuses in words: "Ana atribuiu a Bruno · 14:02".

The store keeps facts (``store.activity``); the sentence is made when the
thread is shown, so it follows the window's language. Names come from the
relay (device names) and are drawn as plain text.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP

CONTEXT = "Activity"


def _tr(text: str) -> str:
    """``text``, marked for lupdate where it is written, in the window's language."""
    return QCoreApplication.translate(CONTEXT, text)


def when(timestamp: object, pattern: str = "%H:%M") -> str:
    """Local time in ``pattern``, or "" when it is no time the OS can show."""
    try:
        return datetime.fromtimestamp(float(timestamp)).strftime(pattern)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return ""


def status_text(status: object, until: object = None) -> str:
    """The status as the header and the list name it."""
    if status == "snoozed":
        moment = when(until, "%d/%m %H:%M")
        return (
            _tr(QT_TRANSLATE_NOOP("Activity", "Adiada até {0}")).format(moment)
            if moment
            else _tr(QT_TRANSLATE_NOOP("Activity", "Adiada"))
        )
    return {
        "open": _tr(QT_TRANSLATE_NOOP("Activity", "Aberta")),
        "pending": _tr(QT_TRANSLATE_NOOP("Activity", "Pendente")),
        "resolved": _tr(QT_TRANSLATE_NOOP("Activity", "Resolvida")),
    }.get(str(status), "")


def _sentence(facts: dict[str, Any], who: str) -> str:
    action = facts.get("action")
    before, after = facts.get("before"), facts.get("after")
    if action == "assign":
        if after is None:
            return _tr(QT_TRANSLATE_NOOP("Activity", "{0} removeu a atribuição")).format(who)
        if after == who and before is None:
            return _tr(QT_TRANSLATE_NOOP("Activity", "{0} assumiu a conversa")).format(who)
        if before is None:
            return _tr(QT_TRANSLATE_NOOP("Activity", "{0} atribuiu a {1}")).format(who, after)
        if before == who:
            return _tr(QT_TRANSLATE_NOOP("Activity", "{0} transferiu para {1}")).format(who, after)
        return _tr(QT_TRANSLATE_NOOP("Activity", "{0} transferiu de {1} para {2}")).format(
            who, before, after
        )
    if action == "status":
        if after == "resolved":
            return _tr(QT_TRANSLATE_NOOP("Activity", "{0} resolveu a conversa")).format(who)
        if after == "pending":
            return _tr(QT_TRANSLATE_NOOP("Activity", "{0} marcou como pendente")).format(who)
        if after == "snoozed":
            return _tr(QT_TRANSLATE_NOOP("Activity", "{0} adiou até {1}")).format(
                who, when(facts.get("until"), "%d/%m %H:%M")
            )
        return _tr(QT_TRANSLATE_NOOP("Activity", "{0} reabriu a conversa")).format(who)
    if action == "labels":
        added = [str(x) for x in facts.get("added") or []]
        removed = [str(x) for x in facts.get("removed") or []]
        parts = []
        if added:
            parts.append(
                _tr(QT_TRANSLATE_NOOP("Activity", "{0} adicionou a etiqueta {1}")).format(
                    who, ", ".join(added)
                )
            )
        if removed:
            parts.append(
                _tr(QT_TRANSLATE_NOOP("Activity", "{0} removeu a etiqueta {1}")).format(
                    who, ", ".join(removed)
                )
            )
        return "; ".join(parts)
    return ""


def activity_line(row: dict[str, Any]) -> str:
    """The one-line sentence for an activity row of the thread (its payload and author)."""
    try:
        facts = json.loads(row.get("payload") or "{}")
    except ValueError:
        facts = {}
    if not isinstance(facts, dict):
        facts = {}
    who = str(row.get("author") or _tr(QT_TRANSLATE_NOOP("Activity", "Alguém")))
    sentence = _sentence(facts, who) or _tr(
        QT_TRANSLATE_NOOP("Activity", "{0} alterou a conversa")
    ).format(who)
    moment = when(row.get("timestamp"))
    return f"{sentence} · {moment}" if moment else sentence
