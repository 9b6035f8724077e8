""" "Gerenciar etiquetas": the team's labels, their colours, added, renamed, recoloured, deleted.

Saving sends the whole palette as one team event (``palette``), with the
renames, so every desktop renames the label on its conversations too and
takes a deleted one off them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.store.team_view import Label
from crm_whatsapp.ui.swatches import LABEL_COLOURS, dot

MAX_PALETTE = 50
MAX_LABEL = 40
NAME = Qt.ItemDataRole.UserRole + 1
COLOUR = Qt.ItemDataRole.UserRole + 2
ORIGINAL = Qt.ItemDataRole.UserRole + 3


class LabelPaletteDialog(QDialog):
    """Edits a copy of the palette; ``saved(labels, renamed)`` when the attendant saves."""

    saved = Signal(list, dict)

    def __init__(self, palette: list[Label], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Etiquetas da equipe"))
        self.list = QListWidget(self)
        for label in palette:
            self._add_item(label.name, label.color, label.name)
        self.problem = QLabel(self)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setObjectName("paletteProblem")
        self.add_button = QPushButton(self.tr("Nova etiqueta…"), self)
        self.rename_button = QPushButton(self.tr("Renomear…"), self)
        self.colour_button = QPushButton(self.tr("Cor"), self)
        self.colour_menu = QMenu(self)
        for colour in LABEL_COLOURS:
            self.colour_menu.addAction(dot(colour, 16), colour, lambda c=colour: self.recolour(c))
        self.colour_button.setMenu(self.colour_menu)
        self.delete_button = QPushButton(self.tr("Excluir"), self)
        self.add_button.clicked.connect(self._ask_new)
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button.clicked.connect(self.delete)
        side = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.colour_button, self.delete_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.list, 1)
        middle.addLayout(side)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(middle)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._selection_changed)
        self._selection_changed()
        self.asking: QInputDialog | None = None

    # -- editing ---------------------------------------------------------------------------------

    def _add_item(self, name: str, colour: str, original: str | None) -> QListWidgetItem:
        item = QListWidgetItem(dot(colour, 14), name)
        item.setData(NAME, name)
        item.setData(COLOUR, colour)
        item.setData(ORIGINAL, original)
        self.list.addItem(item)
        return item

    def _names(self, besides: QListWidgetItem | None = None) -> set[str]:
        return {
            str(self.list.item(i).data(NAME)).casefold()
            for i in range(self.list.count())
            if self.list.item(i) is not besides
        }

    def _valid(self, name: str, besides: QListWidgetItem | None = None) -> str | None:
        """The name to use, or None with the reason shown."""
        name = name.strip()
        if not name:
            self.problem.setText(self.tr("Dê um nome à etiqueta."))
            return None
        if len(name) > MAX_LABEL:
            self.problem.setText(self.tr("Use no máximo 40 caracteres."))
            return None
        if name.casefold() in self._names(besides):
            self.problem.setText(self.tr("Já existe uma etiqueta com esse nome."))
            return None
        self.problem.setText("")
        return name

    def add(self, name: str, colour: str | None = None) -> bool:
        if self.list.count() >= MAX_PALETTE:
            self.problem.setText(self.tr("A equipe pode ter até 50 etiquetas."))
            return False
        valid = self._valid(name)
        if valid is None:
            return False
        chosen = colour or LABEL_COLOURS[self.list.count() % len(LABEL_COLOURS)]
        self.list.setCurrentItem(self._add_item(valid, chosen, None))
        return True

    def rename(self, name: str) -> bool:
        item = self.list.currentItem()
        if item is None:
            return False
        valid = self._valid(name, besides=item)
        if valid is None:
            return False
        item.setData(NAME, valid)
        item.setText(valid)
        return True

    def recolour(self, colour: str) -> None:
        item = self.list.currentItem()
        if item is not None:
            item.setData(COLOUR, colour)
            item.setIcon(dot(colour, 14))

    def delete(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def _ask(self, title: str, text: str = "") -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(self.tr("Nome da etiqueta:"))
        dialog.setTextValue(text)
        self.asking = dialog
        return dialog

    def _ask_new(self) -> None:
        dialog = self._ask(self.tr("Nova etiqueta"))
        dialog.textValueSelected.connect(self.add)
        dialog.open()

    def _ask_rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            dialog = self._ask(self.tr("Renomear etiqueta"), str(item.data(NAME)))
            dialog.textValueSelected.connect(self.rename)
            dialog.open()

    def _selection_changed(self, *_: Any) -> None:
        chosen = self.list.currentItem() is not None
        for button in (self.rename_button, self.colour_button, self.delete_button):
            button.setEnabled(chosen)

    # -- saving ----------------------------------------------------------------------------------

    def result_palette(self) -> tuple[list[dict[str, str]], dict[str, str]]:
        labels, renamed = [], {}
        for i in range(self.list.count()):
            item = self.list.item(i)
            name, original = str(item.data(NAME)), item.data(ORIGINAL)
            labels.append({"name": name, "color": str(item.data(COLOUR)).upper()})
            if original and original != name:
                renamed[str(original)] = name
        return labels, renamed

    def accept(self) -> None:
        self.saved.emit(*self.result_palette())
        super().accept()
