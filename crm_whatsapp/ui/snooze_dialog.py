""" "Adiar até…": the attendant picks the day and time a conversation comes back."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


class SnoozeDialog(QDialog):
    """Emits ``chosen`` with the time (seconds since 1970), never one in the past."""

    chosen = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Adiar conversa"))
        now = QDateTime.currentDateTime()
        self.when = QDateTimeEdit(now.addSecs(3600), self)
        self.when.setCalendarPopup(True)
        self.when.setMinimumDateTime(now.addSecs(60))
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("A conversa volta para Abertas em:"), self))
        layout.addWidget(self.when)
        layout.addWidget(buttons)

    def accept(self) -> None:
        self.chosen.emit(float(self.when.dateTime().toSecsSinceEpoch()))
        super().accept()
