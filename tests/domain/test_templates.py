"""Templates with a header variable, a header file and dynamic URL buttons become valid bodies."""

from __future__ import annotations

from typing import Any

import pytest

from crm_whatsapp.domain.templates import build_template_body, form, media_path

OFFER: dict[str, Any] = {
    "name": "oferta_com_foto",
    "language": "pt_BR",
    "components": [
        {"type": "HEADER", "format": "IMAGE"},
        {"type": "BODY", "text": "Olá {{1}}, separamos o imóvel {{2}} para você."},
        {
            "type": "BUTTONS",
            "buttons": [
                {"type": "QUICK_REPLY", "text": "Quero visitar"},
                {"type": "URL", "text": "Ver fotos", "url": "https://imob.example/i/{{1}}"},
            ],
        },
    ],
}
GREETING: dict[str, Any] = {
    "name": "boas_vindas",
    "language": "pt_BR",
    "parameter_format": "NAMED",
    "components": [
        {"type": "HEADER", "format": "TEXT", "text": "Bem-vinda, {{nome}}!"},
        {"type": "BODY", "text": "Seu atendimento é o nº {{protocolo}}."},
    ],
}


def test_a_photo_header_and_a_url_button_are_asked_for_and_placed_where_meta_wants_them() -> None:
    needs = form(OFFER)
    assert needs.header_media == "image" and needs.body == ["1", "2"]
    assert needs.url_buttons == [1] and not needs.unsupported
    body = build_template_body(
        OFFER,
        {"1": "Ana", "2": "Rua Augusta, 500"},
        buttons={1: " augusta-500 "},
        media_filename="fachada.jpg",
    )
    assert body["template"]["components"] == [
        {"type": "header", "parameters": [{"type": "image", "image": {}}]},
        {
            "type": "body",
            "parameters": [
                {"type": "text", "text": "Ana"},
                {"type": "text", "text": "Rua Augusta, 500"},
            ],
        },
        {
            "type": "button",
            "sub_type": "url",
            "index": "1",
            "parameters": [{"type": "text", "text": "augusta-500"}],
        },
    ]
    # The outbox puts the uploaded file's id here.
    assert media_path(body) == ["template", "components", 0, "parameters", 0, "image"]


def test_a_document_header_keeps_the_file_name_the_customer_sees() -> None:
    contract = {
        "name": "contrato",
        "language": "pt_BR",
        "components": [{"type": "HEADER", "format": "DOCUMENT"}, {"type": "BODY", "text": "Ok"}],
    }
    body = build_template_body(contract, {}, media_filename="contrato.pdf")
    assert body["template"]["components"] == [
        {
            "type": "header",
            "parameters": [{"type": "document", "document": {"filename": "contrato.pdf"}}],
        }
    ]


def test_a_named_header_variable_carries_its_name() -> None:
    needs = form(GREETING)
    assert needs.header == ["nome"] and needs.body == ["protocolo"]
    body = build_template_body(GREETING, {"protocolo": "8812"}, header={"nome": "Ana"})
    header, text = body["template"]["components"]
    assert header == {
        "type": "header",
        "parameters": [{"type": "text", "text": "Ana", "parameter_name": "nome"}],
    }
    assert text["parameters"] == [{"type": "text", "text": "8812", "parameter_name": "protocolo"}]
    assert media_path(body) is None


@pytest.mark.parametrize(
    ("values", "buttons", "media"),
    [
        ({"1": "Ana", "2": "x"}, {1: "a"}, None),  # no file for the photo header
        ({"1": "Ana", "2": "x"}, {}, "f.jpg"),  # no URL suffix
        ({"1": "Ana", "2": "   "}, {1: "a"}, "f.jpg"),  # an empty body variable
    ],
)
def test_something_missing_is_refused_before_meta_would(
    values: dict[str, str], buttons: dict[int, str], media: str | None
) -> None:
    with pytest.raises(ValueError):
        build_template_body(OFFER, values, buttons=buttons, media_filename=media)


def test_codes_and_locations_are_not_offered() -> None:
    code = {**OFFER, "components": [{"type": "BUTTONS", "buttons": [{"type": "COPY_CODE"}]}]}
    assert form(code).unsupported
    with pytest.raises(ValueError):
        build_template_body(code, {})
