"""Fields of a message read as their documented type, or as empty, never as an exception."""

from __future__ import annotations

from crm_whatsapp.domain.shapes import as_object, as_objects, as_text, field, text_at

ITEM = {
    "template": "not an object",
    "interactive": {"button_reply": ["a list"], "list_reply": {"title": 42}},
    "contacts": [{"name": {"formatted_name": "Ana"}}, 7, None, {"name": "Bia"}],
    "document": {"filename": {"nested": "x"}},
}


def test_a_path_through_a_value_that_is_not_an_object_reads_as_missing() -> None:
    assert field(ITEM, "template", "name") is None
    assert field(ITEM, "interactive", "button_reply", "title") is None
    assert field("text", "a") is None and field(None) is None


def test_text_is_only_text() -> None:
    assert text_at(ITEM, "interactive", "list_reply", "title") == ""
    assert text_at(ITEM, "document", "filename") == ""
    assert as_text(1.5) == "" and as_text(None) == "" and as_text("<b>") == "<b>"


def test_lists_of_objects_keep_only_objects() -> None:
    contacts = as_objects(ITEM["contacts"])
    assert [text_at(c, "name", "formatted_name") for c in contacts] == ["Ana", ""]
    assert as_objects("abc") == [] and as_objects({"a": 1}) == []
    assert as_object([1]) == {} and as_object({"a": 1}) == {"a": 1}
