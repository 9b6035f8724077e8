"""Approved message templates: what an attendant fills in, and the Graph body it becomes.

Outside the 24-hour window only an approved template reaches the customer,
and Meta refuses one whose parameters do not match what was approved
(132000 / 132012). A template can ask for: body variables, one header
variable (text) or a header photo/video/document, and a suffix for each
dynamic URL button. This module reads those needs from the template Meta
lists and builds the ``/messages`` body; it has no Qt, so the dialog stays
a thin form over it.

Meta has two placeholder styles: positional ``{{1}}``, ``{{2}}`` (parameters
in number order) and named ``{{nome}}`` (``parameter_format: NAMED``; each
parameter carries its ``parameter_name``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*|[0-9]+)\s*\}\}")
MEDIA_HEADERS = {"IMAGE": "image", "VIDEO": "video", "DOCUMENT": "document"}
# Kinds this inbox does not fill in (a location header, codes, catalogues).
_UNSUPPORTED_HEADERS = frozenset({"LOCATION"})
_UNSUPPORTED_BUTTONS = frozenset({"COPY_CODE", "OTP", "CATALOG", "MPM", "FLOW"})


def component(template: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The template's component of type ``kind`` (HEADER, BODY, FOOTER, BUTTONS), if any."""
    for item in template.get("components") or []:
        if isinstance(item, dict) and str(item.get("type", "")).upper() == kind:
            return item
    return None


def body_text(template: dict[str, Any]) -> str:
    """The BODY component's text, placeholders included ("" when there is none)."""
    body = component(template, "BODY")
    return str(body.get("text") or "") if body else ""


def header_text(template: dict[str, Any]) -> str:
    """A text header's text, placeholders included ("" for none or a media header)."""
    header = component(template, "HEADER")
    if header is None or str(header.get("format", "TEXT")).upper() != "TEXT":
        return ""
    return str(header.get("text") or "")


def language_code(template: dict[str, Any]) -> str:
    """The template's language code ("pt_BR"); Graph gives a string, some tools a dict."""
    language = template.get("language", "")
    if isinstance(language, dict):
        return str(language.get("code", ""))
    return str(language)


def is_named(template: dict[str, Any]) -> bool:
    """Whether the template uses named placeholders (``{{nome}}``) rather than ``{{1}}``."""
    if str(template.get("parameter_format", "")).upper() == "NAMED":
        return True
    texts = body_text(template) + header_text(template)
    return any(not name.isdigit() for name in _PLACEHOLDER.findall(texts))


def _names(template: dict[str, Any], text: str) -> list[str]:
    found = list(dict.fromkeys(_PLACEHOLDER.findall(text)))
    return found if is_named(template) else sorted(found, key=int)


def placeholders(template: dict[str, Any]) -> list[str]:
    """The BODY placeholders, each once: ``["1", "2"]`` in number order, or named in text order."""
    return _names(template, body_text(template))


@dataclass(frozen=True)
class TemplateForm:
    """What has to be filled in before ``template`` can be sent."""

    body: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # a text header's variable (Meta allows one)
    header_media: str | None = None  # "image" | "video" | "document"
    url_buttons: list[int] = field(default_factory=list)  # button indexes taking a URL suffix
    unsupported: bool = False  # asks for something this inbox cannot fill in


def form(template: dict[str, Any]) -> TemplateForm:
    """What the attendant must fill to send ``template`` (its variables and header)."""
    header = component(template, "HEADER") or {}
    header_format = str(header.get("format", "TEXT")).upper() if header else ""
    unsupported = header_format in _UNSUPPORTED_HEADERS
    url_buttons: list[int] = []
    buttons = component(template, "BUTTONS") or {}
    for index, button in enumerate(buttons.get("buttons") or []):
        if not isinstance(button, dict):
            continue
        kind = str(button.get("type", "")).upper()
        if kind in _UNSUPPORTED_BUTTONS:
            unsupported = True
        elif kind == "URL" and _PLACEHOLDER.search(str(button.get("url") or "")):
            url_buttons.append(index)
    return TemplateForm(
        body=placeholders(template),
        header=_names(template, header_text(template)),
        header_media=MEDIA_HEADERS.get(header_format),
        url_buttons=url_buttons,
        unsupported=unsupported,
    )


def needs_extra_parameters(template: dict[str, Any]) -> bool:
    """True when the template asks for something this inbox cannot fill in."""
    return form(template).unsupported


def clean(value: str) -> str:
    """Meta refuses parameter text with new lines, tabs or more than four spaces in a row."""
    return " ".join(value.split())


def fill(template: dict[str, Any], values: dict[str, str], text: str | None = None) -> str:
    """``text`` (the body by default) with each placeholder replaced by its value."""

    def replace(match: re.Match[str]) -> str:
        """The placeholder's value, cleaned; with none, the placeholder stays visible."""
        value = clean(values.get(match.group(1), ""))
        return value or match.group(0)

    return _PLACEHOLDER.sub(replace, body_text(template) if text is None else text)


def _text_parameters(
    template: dict[str, Any], names: list[str], values: dict[str, str]
) -> list[dict[str, str]]:
    named = is_named(template)
    parameters: list[dict[str, str]] = []
    for name in names:
        parameter = {"type": "text", "text": clean(values[name])}
        if named:
            parameter["parameter_name"] = name
        parameters.append(parameter)
    return parameters


def media_path(body: dict[str, Any]) -> list[str | int] | None:
    """Where, in a built body, the header's uploaded media id goes (``None``: no media header)."""
    for index, item in enumerate(body.get("template", {}).get("components") or []):
        if item.get("type") == "header":
            parameter = item["parameters"][0]
            if parameter["type"] in MEDIA_HEADERS.values():
                return ["template", "components", index, "parameters", 0, parameter["type"]]
    return None


def build_template_body(
    template: dict[str, Any],
    values: dict[str, str],
    *,
    header: dict[str, str] | None = None,
    buttons: dict[int, str] | None = None,
    media_filename: str | None = None,
) -> dict[str, Any]:
    """The Graph API message body that sends ``template`` filled in.

    ``values`` maps each body placeholder ("1", "nome") to its text,
    ``header`` the header's, ``buttons`` each dynamic URL button's index to
    its suffix. A media header gets an empty object at :func:`media_path`
    for the outbox to complete with the uploaded file's id (a document keeps
    ``media_filename`` as the name the customer sees). Raises ``ValueError``
    when something the template asks for is missing.
    """
    needs = form(template)
    if needs.unsupported:
        raise ValueError("the template asks for parameters this inbox cannot fill in")
    header, buttons = header or {}, buttons or {}
    missing = [n for n in needs.body if not clean(values.get(n, ""))]
    missing += [f"header:{n}" for n in needs.header if not clean(header.get(n, ""))]
    missing += [f"button:{i}" for i in needs.url_buttons if not clean(buttons.get(i, ""))]
    if needs.header_media and not media_filename:
        missing.append("header:media")
    if missing:
        raise ValueError(f"placeholders without a value: {missing}")
    body: dict[str, Any] = {
        "name": str(template["name"]),
        "language": {"code": language_code(template)},
    }
    components: list[dict[str, Any]] = []
    if needs.header:
        components.append(
            {"type": "header", "parameters": _text_parameters(template, needs.header, header)}
        )
    elif needs.header_media:
        media: dict[str, str] = {}
        if needs.header_media == "document" and media_filename:
            media["filename"] = media_filename
        components.append(
            {
                "type": "header",
                "parameters": [{"type": needs.header_media, needs.header_media: media}],
            }
        )
    if needs.body:
        components.append(
            {"type": "body", "parameters": _text_parameters(template, needs.body, values)}
        )
    for index in needs.url_buttons:
        components.append(
            {
                "type": "button",
                "sub_type": "url",
                "index": str(index),
                "parameters": [{"type": "text", "text": clean(buttons[index])}],
            }
        )
    if components:
        body["components"] = components
    return {"type": "template", "template": body}


# -- what a sent template showed the customer ------------------------------------------------


@dataclass(frozen=True)
class FilledTemplate:
    """A sent template as the customer saw it: its parts with the parameters put in.

    ``known`` is False when the template's definition was not at hand: then
    ``body`` is empty and ``parameters`` lists the values sent, so the
    bubble can still say which template went out and with what.
    """

    name: str
    known: bool
    header: str = ""  # a text header, filled
    header_media: str | None = None  # "image" | "video" | "document"
    body: str = ""
    footer: str = ""
    buttons: list[str] = field(default_factory=list)  # the buttons' labels, in order
    parameters: list[str] = field(default_factory=list)  # every text value sent, in order

    @property
    def text(self) -> str:
        """The words the customer read (header, body, footer): what search finds."""
        return "\n".join(part for part in (self.header, self.body, self.footer) if part)


def _parameter_text(parameter: object) -> str:
    """The text a Graph parameter puts in a placeholder (a currency or date by its fallback)."""
    if not isinstance(parameter, dict):
        return ""
    kind = str(parameter.get("type", ""))
    if kind == "text":
        return str(parameter.get("text") or "")
    if kind in ("currency", "date_time"):
        inner = parameter.get(kind)
        return str(inner.get("fallback_value") or "") if isinstance(inner, dict) else ""
    return ""


def _values(template: dict[str, Any] | None, text: str, parameters: list[Any]) -> dict[str, str]:
    """Each placeholder of ``text`` mapped to the parameter sent for it."""
    named = {
        str(p["parameter_name"]): _parameter_text(p)
        for p in parameters
        if isinstance(p, dict) and p.get("parameter_name")
    }
    if named:
        return named
    names = _names(template, text) if template is not None else []
    values = [_parameter_text(p) for p in parameters]
    return {name: value for name, value in zip(names, values, strict=False)}


def sent_parts(body: dict[str, Any]) -> tuple[str, str, dict[str, list[Any]]]:
    """A Graph template body's name, language code, and its parameters by component.

    Keys of the last: ``header``, ``body`` and ``button:<index>``; anything
    malformed reads as absent.
    """
    template = body.get("template") if isinstance(body, dict) else None
    template = template if isinstance(template, dict) else {}
    language = template.get("language")
    code = str(language.get("code", "")) if isinstance(language, dict) else str(language or "")
    parts: dict[str, list[Any]] = {}
    for item in template.get("components") or []:
        if not isinstance(item, dict):
            continue
        parameters = item.get("parameters")
        parameters = parameters if isinstance(parameters, list) else []
        kind = str(item.get("type", "")).lower()
        if kind == "button":
            kind = f"button:{item.get('index', '')}"
        parts[kind] = parameters
    name = template.get("name")
    return (name if isinstance(name, str) else ""), code, parts


def definition(templates: list[dict[str, Any]], name: str, language: str) -> dict[str, Any] | None:
    """The approved template ``name`` in ``language`` (else in any language listed)."""
    same_name = [t for t in templates if isinstance(t, dict) and t.get("name") == name]
    for template in same_name:
        if language_code(template) == language:
            return template
    return same_name[0] if same_name else None


def filled(body: dict[str, Any], templates: list[dict[str, Any]]) -> FilledTemplate:
    """What a sent template (its Graph ``body``) showed, read with the approved ``templates``."""
    name, language, parts = sent_parts(body)
    sent_values = [
        text for key in ("header", "body") for text in map(_parameter_text, parts.get(key, []))
    ]
    sent_values += [
        _parameter_text(p) for key, ps in parts.items() if key.startswith("button:") for p in ps
    ]
    parameters = [v for v in sent_values if v]
    template = definition(templates, name, language)
    if template is None:
        return FilledTemplate(name, False, parameters=parameters)
    header_part = component(template, "HEADER") or {}
    header_format = str(header_part.get("format", "TEXT")).upper() if header_part else ""
    header = header_text(template)
    if header:
        header = fill(template, _values(template, header, parts.get("header", [])), header)
    text = body_text(template)
    footer = component(template, "FOOTER") or {}
    buttons = component(template, "BUTTONS") or {}
    labels = [
        str(b.get("text") or "")
        for b in buttons.get("buttons") or []
        if isinstance(b, dict) and b.get("text")
    ]
    return FilledTemplate(
        name,
        True,
        header=header,
        header_media=MEDIA_HEADERS.get(header_format),
        body=fill(template, _values(template, text, parts.get("body", [])), text),
        footer=str(footer.get("text") or ""),
        buttons=labels,
        parameters=parameters,
    )


def fallback_text(body: dict[str, Any]) -> str:
    """A sent template's name and values, for a history that lacks its definition."""
    name, _, _ = sent_parts(body)
    values = filled(body, []).parameters
    return " ".join([name, *values]).strip()
