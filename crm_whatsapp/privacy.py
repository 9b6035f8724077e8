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

from crm_whatsapp.security.files import SealedFileError, aad_for_message, open_file, seal
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
            target.write_bytes(
                clear if plain else seal(file_key, clear, aad_for_message(name, "export"))
            )
            message["media_file"] = str(target.relative_to(out_dir))
            media += 1
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    if plain:
        target = out_dir / f"contato-{key}.json"
        target.write_bytes(body)
    else:
        target = out_dir / f"contato-{key}.json.sealed"
        target.write_bytes(seal(file_key, body, aad_for_message(f"contato-{key}", "export")))
    total = sum(len(c["messages"]) for c in data["conversations"])
    return Export(target, total, media, unreadable)


def erase_contact(workspace: Workspace, phone: str) -> int | None:
    """Erase the customer with this number: history and cached media. Returns messages erased.

    None when no contact has the number.
    """
    history = workspace.history
    erased = store_privacy.erase_contact(history.writer, history.reader, phone)
    if erased is None:
        return None
    for message_id in erased.message_ids:
        workspace.media_path(message_id).unlink(missing_ok=True)
    return erased.messages
