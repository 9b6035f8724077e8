"""LGPD requests on this desktop: export or erase everything about one customer.

The history's part (``store.privacy``) gathers or deletes rows; this
module adds the customer's cached media, which live as sealed files beside
the database. An export is sealed again for its destination unless the
office asks for plain files to hand to the customer. The command line
(``crm-whatsapp export-contact`` / ``erase-contact``), the window and
plugins all come through here, so media never outlive their messages.
Blocking: run off the window's thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crm_whatsapp import audit
from crm_whatsapp.domain.phones import display_phone
from crm_whatsapp.domain.readable import local_datetime_text
from crm_whatsapp.security.files import SealedFileError, aad_for_message, open_file, seal
from crm_whatsapp.security.private_file import write_private
from crm_whatsapp.store import privacy as store_privacy
from crm_whatsapp.store.phones import phone_key
from crm_whatsapp.workspace import Workspace


@dataclass(frozen=True)
class Export:
    """Where an export went and how much it holds."""

    path: Path  # the contact's JSON (sealed unless plain)
    messages: int
    media: int
    unreadable_media: int = 0  # cached files too damaged to open (left out, not fatal)


def export_contact(
    workspace: Workspace, phone: str, out_dir: Path, *, plain: bool
) -> Export | None:
    """Write everything kept about the customer with this number into ``out_dir``.

    Returns None when no contact has the number. Media are decrypted from
    the cache and, unless ``plain``, sealed again with an export binding. A
    cached file that no longer opens (damaged on disk, gone meanwhile) is
    left out and counted: one broken photo must not deny the customer the
    rest of what the office keeps about them.
    """
    data = workspace.history.export_contact(phone)
    if data is None:
        return None
    file_key = workspace.keys.file_key()
    out_dir.mkdir(parents=True, exist_ok=True)
    key = phone_key(data["contact"]["wa_id"] or phone)
    # Each customer's media in a folder of their own: an office that exports
    # every request into one folder must not hand one customer another's photos.
    media_dir = out_dir / f"contato-{key}-midia"
    media = unreadable = 0
    for conversation in data["conversations"]:
        for message in conversation["messages"]:
            cached = workspace.media_path(int(message["id"]))
            if not cached.exists():
                continue
            try:
                clear = open_file(file_key, cached, aad_for_message(str(message["id"]), "media"))
            except SealedFileError:
                unreadable += 1
                continue
            media_dir.mkdir(exist_ok=True)
            name = f"{message['id']}.bin"
            target = media_dir / (name if plain else name + ".sealed")
            write_private(
                target, clear if plain else seal(file_key, clear, aad_for_message(name, "export"))
            )
            message["media_file"] = str(target.relative_to(out_dir))
            media += 1
    total = sum(len(c["messages"]) for c in data["conversations"])
    if plain:
        body = json.dumps(readable(data), ensure_ascii=False, indent=2).encode("utf-8")
        target = write_private(out_dir / f"contato-{key}.json", body)
    else:
        body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
        target = write_private(
            out_dir / f"contato-{key}.json.sealed",
            seal(file_key, body, aad_for_message(f"contato-{key}", "export")),
        )
    audit.record_phone(
        workspace,
        "export",
        str(data["contact"]["wa_id"] or ""),
        f"{total} mensagens, {'em claro' if plain else 'criptografada'}",
    )
    return Export(target, total, media, unreadable)


# Fields of the export that hold a Unix time (the store's own and Meta's payload's).
_TIME_KEYS = frozenset(
    {"timestamp", "exported_at", "created_at", "updated_at", "read_at", "sent_at", "edited_at"}
)


def readable(data: dict[str, Any]) -> dict[str, Any]:
    """The export as the customer reads it: local ``dd/mm/aaaa HH:MM`` dates, phone formatted.

    Only the copy handed over in clear changes; the sealed export keeps the
    store's raw values for the office's own tools.
    """

    def dates(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: dates(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [dates(v) for v in value]
        if key in _TIME_KEYS and isinstance(value, int | float | str) and _number(value):
            return local_datetime_text(float(value))
        return value

    out: dict[str, Any] = dates(data)
    contact = out.get("contact")
    if isinstance(contact, dict) and contact.get("wa_id"):
        contact["telefone"] = display_phone(str(contact["wa_id"]))
    return out


def _number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        return float(value) > 0
    except ValueError:
        return False


@dataclass(frozen=True)
class ContactSummary:
    """Who an erasure would remove, for the confirmation question."""

    wa_id: str
    phone: str  # as people read it
    name: str
    messages: int


def contact_summary(workspace: Workspace, phone: str) -> ContactSummary | None:
    """The contact with this number, named and counted (None: no such contact)."""
    reader = workspace.history.reader
    contact_id = reader.contact_by_phone(phone)
    if contact_id is None:
        return None
    contact = reader.contact(contact_id)
    wa_id = str(contact.get("wa_id") or "")
    count = len(reader.message_ids_of_contact(contact_id))
    name = str(contact.get("name") or contact.get("profile_name") or "")
    return ContactSummary(wa_id, display_phone(wa_id) or wa_id, name, count)


def erase_contact(workspace: Workspace, phone: str) -> int | None:
    """Erase the customer with this number: history and cached media. Returns messages erased.

    None when no contact has the number.
    """
    history = workspace.history
    contact_id = history.reader.contact_by_phone(phone)
    wa_id = str(history.reader.contact(contact_id).get("wa_id") or "") if contact_id else ""
    erased = store_privacy.erase_contact(history.writer, history.reader, phone)
    if erased is None:
        return None
    for message_id in erased.message_ids:
        workspace.media_path(message_id).unlink(missing_ok=True)
    audit.record_phone(workspace, "erase", wa_id, f"{erased.messages} mensagens")
    return erased.messages
