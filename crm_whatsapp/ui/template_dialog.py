"""Choose an approved template, fill its placeholders and send it.

Outside the 24-hour window only an approved template reaches the customer.
The dialog lists the templates the session fetched from the relay, shows the
body with its placeholders, asks for one value per placeholder and previews
the text the customer will read. "Enviar modelo" stays disabled until every
placeholder has text; then :attr:`TemplateDialog.template_chosen` carries the
Graph API body, ready for ``InboxSession.send_body``.

Meta has two placeholder styles: positional ``{{1}}``, ``{{2}}`` (parameters
listed in number order) and named ``{{nome}}`` (``parameter_format: NAMED``;
each parameter carries its ``parameter_name``). The body builder and the
placeholder reader are plain functions, tested without a window.

Templates whose header takes media or a variable, or whose buttons take a
parameter (dynamic URL, copy code, one-time password), need parameters this
dialog does not ask for yet; they are listed but cannot be sent from here.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*|[0-9]+)\s*\}\}")
_MEDIA_HEADERS = frozenset({"IMAGE", "VIDEO", "DOCUMENT", "LOCATION"})
_BUTTONS_WITH_PARAMETERS = frozenset({"COPY_CODE", "OTP", "CATALOG", "MPM"})


def _component(template: dict[str, Any], kind: str) -> dict[str, Any] | None:
    for component in template.get("components") or []:
        if isinstance(component, dict) and str(component.get("type", "")).upper() == kind:
            return component
    return None


def body_text(template: dict[str, Any]) -> str:
    """The BODY component's text, placeholders included ("" when there is none)."""
    body = _component(template, "BODY")
    return str(body.get("text") or "") if body else ""


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
    return any(not name.isdigit() for name in _PLACEHOLDER.findall(body_text(template)))


def placeholders(template: dict[str, Any]) -> list[str]:
    """The BODY placeholders, each once: ``["1", "2"]`` in number order, or named in text order."""
    found = list(dict.fromkeys(_PLACEHOLDER.findall(body_text(template))))
    if is_named(template):
        return found
    return sorted(found, key=int)


def needs_extra_parameters(template: dict[str, Any]) -> bool:
    """True when the header or buttons need parameters this dialog does not collect."""
    header = _component(template, "HEADER")
    if header is not None:
        if str(header.get("format", "TEXT")).upper() in _MEDIA_HEADERS:
            return True
        if _PLACEHOLDER.search(str(header.get("text") or "")):
            return True
    buttons = _component(template, "BUTTONS")
    for button in (buttons or {}).get("buttons") or []:
        if not isinstance(button, dict):
            continue
        if str(button.get("type", "")).upper() in _BUTTONS_WITH_PARAMETERS:
            return True
        if _PLACEHOLDER.search(str(button.get("url") or "")):
            return True
    return False


def _clean(value: str) -> str:
    # Meta refuses parameter text with new lines, tabs or more than four spaces in a row.
    return " ".join(value.split())


def fill(template: dict[str, Any], values: dict[str, str]) -> str:
    """The body text with each placeholder replaced by its value (unfilled ones left as is)."""

    def replace(match: re.Match[str]) -> str:
        value = _clean(values.get(match.group(1), ""))
        return value or match.group(0)

    return _PLACEHOLDER.sub(replace, body_text(template))


def build_template_body(template: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The Graph API message body that sends ``template`` with ``values`` for its placeholders.

    ``values`` maps each name from :func:`placeholders` ("1", "nome") to its text.
    Raises ``ValueError`` if a placeholder has no text.
    """
    names = placeholders(template)
    missing = [name for name in names if not _clean(values.get(name, ""))]
    if missing:
        raise ValueError(f"placeholders without a value: {missing}")
    body: dict[str, Any] = {
        "name": str(template["name"]),
        "language": {"code": language_code(template)},
    }
    if names:
        named = is_named(template)
        parameters: list[dict[str, str]] = []
        for name in names:
            parameter = {"type": "text", "text": _clean(values[name])}
            if named:
                parameter["parameter_name"] = name
            parameters.append(parameter)
        body["components"] = [{"type": "body", "parameters": parameters}]
    return {"type": "template", "template": body}


class TemplateDialog(QDialog):
    """Pick a template, fill it in, send it; emits :attr:`template_chosen` with the body."""

    template_chosen = Signal(object)

    def __init__(self, templates: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Enviar modelo aprovado"))
        self.templates = [t for t in templates if isinstance(t, dict) and t.get("name")]
        self.fields: dict[str, QLineEdit] = {}

        self.list = QListWidget(self)
        self.list.setMinimumWidth(220)
        for template in self.templates:
            item = QListWidgetItem(str(template["name"]).replace("_", " "))
            item.setToolTip(
                f"{template['name']} · {language_code(template)} · {template.get('category', '')}"
            )
            self.list.addItem(item)

        self.empty_label = QLabel(self.tr("Nenhum modelo aprovado está disponível."), self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setVisible(not self.templates)

        self.body_label = QLabel(self)
        self.body_label.setWordWrap(True)
        self.body_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body_label.setTextFormat(Qt.TextFormat.PlainText)

        self.fields_box = QGroupBox(self.tr("Preencha as variáveis"), self)
        self.form = QFormLayout(self.fields_box)

        self.preview_label = QLabel(self)
        self.preview_label.setWordWrap(True)
        self.preview_label.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview_label.setFrameShape(QLabel.Shape.StyledPanel)
        self.preview_label.setMargin(8)

        self.note_label = QLabel(self)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: #D93025;")
        self.note_label.hide()

        self.buttons = QDialogButtonBox(self)
        self.send_button = QPushButton(self.tr("Enviar modelo"), self)
        self.send_button.setDefault(True)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancelar"))
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Texto do modelo:"), self))
        right.addWidget(self.body_label)
        right.addWidget(self.fields_box)
        right.addWidget(QLabel(self.tr("Como o cliente vai ler:"), self))
        right.addWidget(self.preview_label)
        right.addWidget(self.note_label)
        right.addStretch(1)

        columns = QHBoxLayout()
        columns.addWidget(self.list)
        columns.addLayout(right, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        self.list.currentRowChanged.connect(self._show)
        if self.templates:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)
        self.resize(720, 440)

    # -- state

    @property
    def current(self) -> dict[str, Any] | None:
        row = self.list.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.fields.items()}

    def can_send(self) -> bool:
        template = self.current
        if template is None or needs_extra_parameters(template):
            return False
        return all(_clean(edit.text()) for edit in self.fields.values())

    # -- updates

    def _show(self, row: int) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        template = self.current
        if template is None:
            self.body_label.clear()
            self.preview_label.clear()
            self.fields_box.hide()
            self.note_label.hide()
            self._refresh()
            return
        self.body_label.setText(body_text(template))
        names = placeholders(template)
        for name in names:
            edit = QLineEdit(self.fields_box)
            edit.setObjectName(f"placeholder_{name}")
            edit.setPlaceholderText(self._example(template, name))
            edit.textChanged.connect(self._refresh)
            self.form.addRow(f"{{{{{name}}}}}", edit)
            self.fields[name] = edit
        self.fields_box.setVisible(bool(names))
        if needs_extra_parameters(template):
            self.note_label.setText(
                self.tr(
                    "Este modelo tem cabeçalho com mídia ou variável, ou botões com parâmetros, "
                    "e ainda não pode ser enviado por aqui."
                )
            )
            self.note_label.show()
        else:
            self.note_label.hide()
        if names:
            self.fields[names[0]].setFocus()
        self._refresh()

    def _example(self, template: dict[str, Any], name: str) -> str:
        """Meta's example value for ``name``, as a hint inside the empty field."""
        body = _component(template, "BODY") or {}
        example = body.get("example") or {}
        try:
            if is_named(template):
                for item in example.get("body_text_named_params") or []:
                    if item.get("param_name") == name:
                        return self.tr("ex.: {0}").format(item.get("example", ""))
            else:
                rows = example.get("body_text") or []
                return self.tr("ex.: {0}").format(rows[0][int(name) - 1])
        except (IndexError, TypeError, ValueError, AttributeError):
            pass
        return ""

    def _refresh(self) -> None:
        template = self.current
        if template is not None:
            parts = []
            header = _component(template, "HEADER")
            if header and str(header.get("format", "TEXT")).upper() == "TEXT":
                parts.append(str(header.get("text") or ""))
            parts.append(fill(template, self.values()))
            footer = _component(template, "FOOTER")
            if footer:
                parts.append(str(footer.get("text") or ""))
            self.preview_label.setText("\n\n".join(p for p in parts if p))
        self.send_button.setEnabled(self.can_send())

    # -- sending

    def send(self) -> None:
        template = self.current
        if template is None or not self.can_send():
            return
        body = build_template_body(template, self.values())
        self.template_chosen.emit(body)
        self.accept()


__all__ = [
    "TemplateDialog",
    "body_text",
    "build_template_body",
    "fill",
    "is_named",
    "language_code",
    "needs_extra_parameters",
    "placeholders",
]
