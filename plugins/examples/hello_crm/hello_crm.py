"""A toy CRM whose customers live in a JSON file: the smallest plugin that does everything.

Settings: ``file``, the JSON file (``{"customers": [{"id", "name", "phone",
"company"}], "notes": []}``); the plugin finds customers by number with
:func:`same_phone`, creates leads and logs conversations by appending to
the same file. A real plugin talks HTTP through :class:`Http` instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from crm_whatsapp.plugin_api import (
    Card,
    Created,
    Customer,
    Event,
    Plugin,
    PluginError,
    Setting,
    Transcript,
    same_phone,
)


class HelloCRM(Plugin):
    """Customers, leads and notes in one JSON file."""

    name = "hello"
    title = "Hello CRM"
    settings = (Setting("file", "Arquivo JSON dos clientes", required=True),)

    def _read(self) -> dict[str, Any]:
        path = Path(self.context.get("file"))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PluginError("unreachable", f"Não foi possível ler {path.name}.") from exc
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        # Whole or not at all: whoever reads the file meanwhile never sees half of it.
        path = Path(self.context.get("file"))
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, path)

    async def lookup(self, customer: Customer) -> Card | None:
        for row in self._read().get("customers", []):
            if same_phone(str(row.get("phone", "")), customer.phone):
                return Card(
                    record_id=str(row["id"]),
                    name=str(row.get("name", "")),
                    phones=(str(row.get("phone", "")),),
                    company=str(row.get("company", "")),
                )
        return None

    async def create_lead(self, customer: Customer, title: str, card: Card | None) -> Created:
        data = self._read()
        leads = data.setdefault("leads", [])
        leads.append({"title": title, "customer": card.record_id if card else customer.phone})
        self._write(data)
        return Created("lead", str(len(leads)))

    async def log_conversation(self, transcript: Transcript, card: Card | None) -> Created:
        data = self._read()
        notes = data.setdefault("notes", [])
        notes.append({"customer": card.record_id if card else None, "text": transcript.as_text()})
        self._write(data)
        return Created("note", str(len(notes)))

    async def on_event(self, event: Event) -> None:
        data = self._read()
        data.setdefault("events", []).append({"kind": event.kind, "phone": event.customer.phone})
        self._write(data)
