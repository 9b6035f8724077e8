"""The list's preview is worded in the window's language from what the store keeps."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.previews import preview_line
from tests.desktop import events


def first_row(history: History) -> dict[str, Any]:
    return history.conversations()[0]


def test_an_english_window_shows_english_previews_of_the_same_history(
    qapp: Any, tmp_path: Path
) -> None:
    history = History(open_engine(tmp_path / "h.db", os.urandom(32)))
    try:
        seq, photo = events.text_message(1, "5511987654321", "", 1000)
        item = photo["data"]
        item["type"] = "image"
        item.pop("text")
        item["image"] = {"id": "m1", "caption": "planta do 302"}
        history.apply([(seq, photo)])
        conversation = first_row(history)["id"]
        try:
            assert preview_line(first_row(history)) == "📷 Foto: planta do 302"
            i18n.install(qapp, "en")
            assert preview_line(first_row(history)) == "📷 Photo: planta do 302"
            history.outbox.queue(conversation, {"type": "text", "text": {"body": "Linda!"}}, "c1")
            assert preview_line(first_row(history)) == "You: Linda!"
            i18n.install(qapp, "pt_BR")
            assert preview_line(first_row(history)) == "Você: Linda!"
        finally:
            i18n.install(qapp, "pt_BR")
    finally:
        history.close()


def test_a_conversation_with_no_message_yet_has_an_empty_preview(qapp: Any) -> None:
    row = {"preview_type": None, "preview_direction": None, "preview_text": None}
    assert preview_line(row) == ""
    unknown = {"preview_type": "order", "preview_direction": "in", "preview_text": ""}
    assert preview_line(unknown) == "Mensagem"
