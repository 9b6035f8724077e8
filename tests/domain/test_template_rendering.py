"""A sent template reads as the customer saw it, from its Graph body and the approved list."""

from __future__ import annotations

from crm_whatsapp.domain.templates import build_template_body, fallback_text, filled
from relay.simulator.server import TEMPLATES

PHOTO_OFFER = TEMPLATES[3]


def test_positional_and_named_parameters_fill_the_body() -> None:
    body = build_template_body(TEMPLATES[0], {"1": "Ana"})
    assert filled(body, TEMPLATES).text == "Olá Ana, podemos continuar nosso atendimento?"
    named = build_template_body(TEMPLATES[1], {"nome": "Ana", "data": "12/12", "hora": "15h"})
    assert filled(named, TEMPLATES).body == "Oi Ana, lembrando da sua visita em 12/12 às 15h."


def test_header_footer_and_buttons_come_from_the_definition() -> None:
    template = {
        "name": "boas_vindas",
        "language": "pt_BR",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Olá, {{1}}"},
            {"type": "BODY", "text": "Seu código é {{1}}."},
            {"type": "FOOTER", "text": "Imobiliária Exemplo"},
            {"type": "BUTTONS", "buttons": [{"type": "QUICK_REPLY", "text": "Obrigado"}]},
        ],
    }
    body = build_template_body(template, {"1": "4321"}, header={"1": "Ana"})
    shown = filled(body, [template])
    assert (shown.header, shown.body, shown.footer, shown.buttons) == (
        "Olá, Ana",
        "Seu código é 4321.",
        "Imobiliária Exemplo",
        ["Obrigado"],
    )
    photo = build_template_body(PHOTO_OFFER, {"1": "Ana"}, buttons={1: "x"}, media_filename="f")
    assert filled(photo, TEMPLATES).header_media == "image"
    assert filled(photo, TEMPLATES).buttons == ["Quero visitar", "Ver fotos"]


def test_an_unknown_template_keeps_its_name_and_values_and_garbage_reads_empty() -> None:
    body = build_template_body(TEMPLATES[1], {"nome": "Ana", "data": "12/12", "hora": "15h"})
    shown = filled(body, [])
    assert not shown.known and shown.parameters == ["Ana", "12/12", "15h"]
    assert fallback_text(body) == "lembrete_visita Ana 12/12 15h"
    for garbage in ({}, {"template": []}, {"template": {"name": 3, "components": "x"}}):
        assert filled(garbage, TEMPLATES).text == ""
        assert fallback_text(garbage) == ""
