"""What the attendant changes for the whole team: assign, transfer, status, notes, labels.

Each action goes to the relay as a team event through the session
(``InboxSession.team``) and is applied locally once the relay took it; the
small dialogs that ask for a note, a snooze time or the label palette open
from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.session import InboxSession, SessionError
from crm_whatsapp.store.team_view import Label
from crm_whatsapp.ui.activity import when
from crm_whatsapp.ui.label_palette import LabelPaletteDialog
from crm_whatsapp.ui.snooze_dialog import SnoozeDialog

MAX_LABELS = 20


class TeamActions(QObject):
    """Team changes for the conversation ``current()`` names, asked in dialogs over ``parent``.

    Sentences keep the window's translation context ("MainWindow").
    """

    # A status change the relay took, for this conversation: the window checks
    # whether it left the list's view.
    status_changed = Signal(int)
    # A sentence saying where the conversation went ("… espera em Pendentes").
    announced = Signal(str)

    def __init__(
        self,
        parent: QWidget,
        session: InboxSession,
        *,
        current: Callable[[], int | None],
        current_row: Callable[[], dict[str, Any] | None],
        problem: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.session = session
        self._current = current
        self._current_row = current_row
        self._problem = problem
        self.dialog: QInputDialog | None = None  # the last note dialog opened
        self.palette_dialog: LabelPaletteDialog | None = None
        self.snooze_dialog: SnoozeDialog | None = None

    def team(self, action: str, **data: Any) -> None:
        """Send ``action`` for the open conversation (nothing when none is open)."""
        conversation_id = self._current()
        if conversation_id is not None:
            spawn(self.run(conversation_id, action, data), f"team-{action}")

    def save_quick_reply(self, shortcut: str, text: str | None) -> None:
        """Add, change (``text``) or remove (None) a quick reply for the whole team."""
        spawn(self.run(None, "quick_reply", {"shortcut": shortcut, "text": text}), "quick-reply")

    async def run(self, conversation_id: int | None, action: str, data: dict[str, Any]) -> None:
        try:
            await self.session.team(conversation_id, action, **data)
        except SessionError as exc:
            self._problem(str(exc))
            return
        # The window may have closed while the relay answered: nothing left to tell.
        if action == "status" and conversation_id is not None and shiboken6.isValid(self):
            self.status_changed.emit(conversation_id)
            self._announce(data)

    def _announce(self, data: dict[str, Any]) -> None:
        if data.get("status") == "pending":
            self.announced.emit(
                QCoreApplication.translate(
                    "MainWindow", "Conversa pendente: saiu de Abertas e espera em Pendentes."
                )
            )
        elif data.get("status") == "snoozed":
            self.announced.emit(
                QCoreApplication.translate(
                    "MainWindow", "Conversa adiada: volta para Abertas em {0}."
                ).format(when(data.get("until"), "%d/%m %H:%M"))
            )

    def _ask(self, title: str, label: str) -> QInputDialog:
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        self.dialog = dialog
        return dialog

    def add_note(self) -> None:
        dialog = self._ask(
            QCoreApplication.translate("MainWindow", "Nota interna"),
            QCoreApplication.translate("MainWindow", "Só a equipe vê esta nota:"),
        )
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.textValueSelected.connect(
            lambda text: text.strip() and self.team("note", text=text.strip())
        )
        dialog.open()

    def toggle_label(self, name: str, on: bool) -> None:
        """Put a palette label on the open conversation, or take it off."""
        row = self._current_row()
        if row is None:
            return
        labels = set(row["labels"]) | {name} if on else set(row["labels"]) - {name}
        self.team("labels", labels=sorted(labels)[:MAX_LABELS])

    def manage_labels(self, palette: list[Label]) -> None:
        """The palette dialog; saving sends the whole palette to the team."""
        dialog = LabelPaletteDialog(palette, self._parent)
        dialog.saved.connect(
            lambda labels, renamed: spawn(
                self.run(None, "palette", {"labels": labels, "renamed": renamed}), "team-palette"
            )
        )
        self.palette_dialog = dialog
        dialog.open()

    def snooze(self, until: float) -> None:
        """Snooze the open conversation until ``until``: it leaves the open views, for everyone."""
        self.team("status", status="snoozed", until=until)

    def pick_snooze(self) -> None:
        dialog = SnoozeDialog(self._parent)
        dialog.chosen.connect(self.snooze)
        self.snooze_dialog = dialog
        dialog.open()
