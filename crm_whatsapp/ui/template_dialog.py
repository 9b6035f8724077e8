"""Choose an approved template, fill it in and send it.

Outside the 24-hour window only an approved template reaches the customer.
The dialog lists the templates the session fetched from the relay, shows the
text with its placeholders, asks for what the template needs (body
variables, a header variable or a header photo/video/document, dynamic URL
button suffixes) and previews what the customer will read. "Enviar modelo"
stays disabled until everything is filled; then :attr:`TemplateDialog.template_chosen`
carries the Graph API body and, for a media header, the file to upload.
What a template needs and the body it becomes live in
:mod:`crm_whatsapp.domain.templates`, tested without a window.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.domain.richtext import plain_as_rich
from crm_whatsapp.domain.templates import (
    body_text,
    build_template_body,
    clean,
    component,
    fill,
    form,
    header_text,
    is_named,
    language_code,
)

MAX_HEADER_MEDIA = 16 * 1024 * 1024  # Meta's limit for a video; photos are 5 MB
MEDIA_FILTERS = {
    "image": QT_TRANSLATE_NOOP("TemplateDialog", "Imagens (*.jpg *.jpeg *.png)"),
    "video": QT_TRANSLATE_NOOP("TemplateDialog", "Vídeos (*.mp4 *.3gp)"),
    "document": QT_TRANSLATE_NOOP(
        "TemplateDialog", "Documentos (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)"
    ),
}


def plain_label(text: str, parent: QWidget) -> QLabel:
    """A label that shows its text as written (Qt would render text that looks like HTML)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class TemplateDialog(QDialog):
    """Pick a template, fill it in, send it.

    :attr:`template_chosen` carries the Graph body and ``None``, or, for a
    template with a media header, ``(data, mime_type, filename)`` of the file
    the outbox uploads first.
    """

    template_chosen = Signal(object, object)

    def __init__(self, templates: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Enviar modelo aprovado"))
        self.templates = [t for t in templates if isinstance(t, dict) and t.get("name")]
        self.fields: dict[str, QLineEdit] = {}
        self.header_fields: dict[str, QLineEdit] = {}
        self.button_fields: dict[int, QLineEdit] = {}
        self.media_file: Path | None = None
        self.media_button: QPushButton | None = None

        self.list = QListWidget(self)
        self.list.setMinimumWidth(220)
        for template in self.templates:
            item = QListWidgetItem(str(template["name"]).replace("_", " "))
            item.setToolTip(  # the relay's words: shown as text, never as HTML
                plain_as_rich(
                    f"{template['name']} · {language_code(template)} · "
                    f"{template.get('category', '')}"
                )
            )
            self.list.addItem(item)

        self.empty_label = QLabel(self.tr("Nenhum modelo aprovado está disponível."), self)
        self.empty_label.setWordWrap(True)
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
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
        self.note_label.setTextFormat(Qt.TextFormat.PlainText)
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
        right.addWidget(plain_label(self.tr("Texto do modelo:"), self))
        right.addWidget(self.body_label)
        right.addWidget(self.fields_box)
        right.addWidget(plain_label(self.tr("Como o cliente vai ler:"), self))
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

    def select(self, name: str) -> None:
        """Show template ``name`` (the Copilot's pick for a closed window), if listed."""
        for row, template in enumerate(self.templates):
            if template.get("name") == name:
                self.list.setCurrentRow(row)
                return

    def values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.fields.items()}

    def header_values(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.header_fields.items()}

    def button_values(self) -> dict[int, str]:
        return {index: edit.text() for index, edit in self.button_fields.items()}

    def can_send(self) -> bool:
        template = self.current
        if template is None:
            return False
        needs = form(template)
        if needs.unsupported or (needs.header_media and self.media_file is None):
            return False
        edits = [*self.fields.values(), *self.header_fields.values(), *self.button_fields.values()]
        return all(clean(edit.text()) for edit in edits)

    # -- updates

    def _field(self, label: str, name: str, hint: str) -> QLineEdit:
        edit = QLineEdit(self.fields_box)
        edit.setObjectName(name)
        edit.setPlaceholderText(hint)
        edit.textChanged.connect(self._refresh)
        # Variable names and button texts come with the template from the relay.
        caption = plain_label(label.replace("&", "&&"), self.fields_box)  # && shows one &
        caption.setBuddy(edit)
        self.form.addRow(caption, edit)
        return edit

    def _show(self, row: int) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields, self.header_fields, self.button_fields = {}, {}, {}
        self.media_file, self.media_button = None, None
        template = self.current
        if template is None:
            self.body_label.clear()
            self.preview_label.clear()
            self.fields_box.hide()
            self.note_label.hide()
            self._refresh()
            return
        needs = form(template)
        self.body_label.setText(
            "\n\n".join(t for t in (header_text(template), body_text(template)) if t)
        )
        if needs.header_media:
            self.media_button = QPushButton(self.tr("Escolher arquivo…"), self.fields_box)
            self.media_button.setObjectName("header_media")
            self.media_button.clicked.connect(lambda: self._choose_media(needs.header_media))
            self.form.addRow(plain_label(self.tr("Cabeçalho:"), self.fields_box), self.media_button)
        for name in needs.header:
            label = self.tr("Cabeçalho {0}").format(f"{{{{{name}}}}}")
            self.header_fields[name] = self._field(label, f"header_{name}", "")
        for name in needs.body:
            self.fields[name] = self._field(
                f"{{{{{name}}}}}", f"placeholder_{name}", self._example(template, name)
            )
        buttons = (component(template, "BUTTONS") or {}).get("buttons") or []
        for index in needs.url_buttons:
            url = str(buttons[index].get("url") or "")
            label = self.tr("Botão “{0}”").format(buttons[index].get("text") or index + 1)
            self.button_fields[index] = self._field(label, f"button_{index}", url)
        self.fields_box.setVisible(self.form.rowCount() > 0)
        if needs.unsupported:
            self.note_label.setText(
                self.tr(
                    "Este modelo pede um cabeçalho de localização ou botões de código, "
                    "e ainda não pode ser enviado por aqui."
                )
            )
            self.note_label.show()
        else:
            self.note_label.hide()
        first = next(iter([*self.header_fields.values(), *self.fields.values()]), None)
        if first is not None:
            first.setFocus()
        self._refresh()

    def _choose_media(self, kind: str | None) -> None:
        dialog = QFileDialog(self, self.tr("Arquivo do cabeçalho"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        if kind in MEDIA_FILTERS:
            dialog.setNameFilter(self.tr(MEDIA_FILTERS[kind]))
        dialog.fileSelected.connect(lambda path: self.set_media_file(Path(path)))
        dialog.open()
        self._file_dialog = dialog

    def set_media_file(self, path: Path) -> None:
        """The header's photo, video or document (chosen in the file dialog, or by a test)."""
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        if not 0 < size <= MAX_HEADER_MEDIA:
            self.note_label.setText(self.tr("Escolha um arquivo de até 16 MB para o cabeçalho."))
            self.note_label.show()
            return
        self.note_label.hide()
        self.media_file = path
        if self.media_button is not None:
            self.media_button.setText(path.name)
        self._refresh()

    def _example(self, template: dict[str, Any], name: str) -> str:
        """Meta's example value for ``name``, as a hint inside the empty field."""
        body = component(template, "BODY") or {}
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
            if self.media_file is not None:
                parts.append(f"[{self.media_file.name}]")
            title = header_text(template)
            if title:
                parts.append(fill(template, self.header_values(), title))
            parts.append(fill(template, self.values()))
            footer = component(template, "FOOTER")
            if footer:
                parts.append(str(footer.get("text") or ""))
            self.preview_label.setText("\n\n".join(p for p in parts if p))
        self.send_button.setEnabled(self.can_send())

    # -- sending

    def send(self) -> None:
        template = self.current
        if template is None or not self.can_send():
            return
        media = None
        if self.media_file is not None:
            try:
                data = self.media_file.read_bytes()
            except OSError:
                self.note_label.setText(self.tr("Não foi possível ler o arquivo do cabeçalho."))
                self.note_label.show()
                return
            mime = mimetypes.guess_type(self.media_file.name)[0] or "application/octet-stream"
            media = (data, mime, self.media_file.name)
        body = build_template_body(
            template,
            self.values(),
            header=self.header_values(),
            buttons=self.button_values(),
            media_filename=self.media_file.name if self.media_file else None,
        )
        self.template_chosen.emit(body, media)
        self.accept()


__all__ = ["TemplateDialog"]
