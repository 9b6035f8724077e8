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
