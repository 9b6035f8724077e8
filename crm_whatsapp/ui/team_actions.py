"""What the attendant changes for the whole team: assign, transfer, status, notes, labels.

Each action goes to the relay as a team event through the session
(``InboxSession.team``) and is applied locally once the relay took it; the
small dialogs that ask for a colleague's name, a note or labels live here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QInputDialog, QWidget

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.session import InboxSession, SessionError

MAX_LABELS = 20


class TeamActions(QObject):
    """Team changes for the conversation ``current()`` names, asked in dialogs over ``parent``.

    Sentences keep the window's translation context ("MainWindow").
    """

    # A status change the relay took, for this conversation: the window checks
    # whether it left the list's view.
    status_changed = Signal(int)

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
        self.dialog: QInputDialog | None = None  # the last dialog opened

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

    def _ask(self, title: str, label: str) -> QInputDialog:
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        self.dialog = dialog
        return dialog

    def transfer_other(self) -> None:
        dialog = self._ask(
            QCoreApplication.translate("MainWindow", "Transferir conversa"),
            QCoreApplication.translate("MainWindow", "Nome do colega ou da fila:"),
        )
        dialog.textValueSelected.connect(
            lambda name: name.strip() and self.team("assign", assignee=name.strip())
        )
        dialog.open()

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

    def edit_labels(self) -> None:
        row = self._current_row()
        if row is None:
            return
        dialog = self._ask(
            QCoreApplication.translate("MainWindow", "Etiquetas"),
            QCoreApplication.translate("MainWindow", "Etiquetas separadas por vírgula:"),
        )
        dialog.setTextValue(", ".join(row["labels"]))
        dialog.textValueSelected.connect(
            lambda text: self.team(
                "labels", labels=[x.strip() for x in text.split(",") if x.strip()][:MAX_LABELS]
            )
        )
        dialog.open()
