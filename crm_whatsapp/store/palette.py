"""The team's label palette, applied from the relay's ``palette`` team events.

The event carries the whole palette (names and ``#RRGGBB`` colours, in
order), so applying it twice, or an old one after a newer one was applied
locally, ends where the stream ends. A label renamed (``renamed``: old →
new) is renamed on every conversation; one taken out of the palette is
taken off every conversation, as Chatwoot does.
"""

from __future__ import annotations

import json
import re
from typing import Any

from crm_whatsapp.store.changes import ApplyResult
from crm_whatsapp.store.fields import as_text
from crm_whatsapp.store.writer import Writer

COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
MAX_PALETTE = 50
MAX_LABEL = 40


def _entries(data: dict[str, Any]) -> list[tuple[str, str]] | None:
    labels = data.get("labels")
    if not isinstance(labels, list):
        return None
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for entry in labels[:MAX_PALETTE]:
        if not isinstance(entry, dict):
            return None
        name, color = as_text(entry.get("name")), entry.get("color")
        if not name or len(name) > MAX_LABEL or not isinstance(color, str):
            return None
        if not COLOUR.fullmatch(color) or name.casefold() in seen:
            return None
        seen.add(name.casefold())
        out.append((name, color.upper()))
    return out


def apply_palette(writer: Writer, data: dict[str, Any], result: ApplyResult) -> bool:
    """Replace the palette; rename or drop labels on conversations to match."""
    entries = _entries(data)
    renamed = data.get("renamed") or {}
    if entries is None or not isinstance(renamed, dict):
        return False
    renamed = {str(k): str(v) for k, v in renamed.items() if isinstance(v, str)}
    before = {str(r[0]) for r in writer.execute("SELECT name FROM label_palette").fetchall()}
    names = {name for name, _ in entries}
    dropped = before - names - set(renamed)
    writer.execute("DELETE FROM label_palette")
    writer.executemany(
        "INSERT INTO label_palette (name, color, position) VALUES (?, ?, ?)",
        [(name, color, n) for n, (name, color) in enumerate(entries)],
    )
    if renamed or dropped:
        touched = renamed.keys() | dropped
        for conversation_id, raw in writer.execute(
            "SELECT c.id, c.labels FROM conversations c WHERE c.labels IS NOT NULL AND EXISTS "
            f"(SELECT 1 FROM json_each(c.labels) WHERE json_each.value IN "
            f"({','.join('?' * len(touched))}))",
            tuple(touched),
        ).fetchall():
            old = json.loads(raw)
            new = sorted({renamed.get(x, x) for x in old if x not in dropped})
            writer.execute(
                "UPDATE conversations SET labels = ? WHERE id = ?",
                (json.dumps(new, ensure_ascii=False), conversation_id),
            )
            result.conversations.add(int(conversation_id))
    return True
