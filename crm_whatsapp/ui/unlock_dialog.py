"""When the system keyring does not open the history: type the recovery key, in the window.

Every day the history opens with a key kept in the system keyring. When
the keyring is locked, missing, or has no entry for this profile (a new
PC, a reinstalled system), the window says what happened in an
attendant's words and takes the recovery key: the sheet printed or saved
when this PC was set up. It opens the history and, when the keyring
works again, puts a new key there so the next start needs nothing.

A mistyped or wrong key is one sentence under the field and nothing on
disk or in the keyring changes; the person simply tries again. The key is
checked off the window's thread (the keyring can take a while to answer).
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.security.keys import (
    DataKeys,
    KeyProblem,
    KeyringEntryMissing,
    KeyringLocked,
    KeyStore,
    WrongKey,
    recover,
)
from crm_whatsapp.ui import i18n

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #D93025;"


class UnlockDialog(QDialog):
    """Asks for the recovery key; read :attr:`keys` (and :attr:`keyring_restored`) once accepted."""

    def __init__(self, store: KeyStore, problem: KeyProblem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.keys: DataKeys | None = None
        self.keyring_restored = False
        self.busy = False
        self.setWindowTitle(self.tr("Abrir o histórico"))
        self.setObjectName("unlock_dialog")

        self.what_label = QLabel(self.what_happened(problem), self)
        self.what_label.setObjectName("what_happened")
        self.what_label.setWordWrap(True)
        self.what_label.setTextFormat(Qt.TextFormat.PlainText)
        self.ask_label = QLabel(
            self.tr(
                "Para abrir o histórico, digite abaixo a chave de recuperação: a folha com "
                "14 grupos de letras e números, impressa ou salva quando este computador foi "
                "configurado. Nada do histórico se perde."
            ),
            self,
        )
        self.ask_label.setWordWrap(True)
        self.key_edit = QLineEdit(self)
        self.key_edit.setObjectName("recovery_key_input")
        self.key_edit.setPlaceholderText("XXXX-XXXX-XXXX-…")
        self.key_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(self)
        self.open_button = QPushButton(self.tr("Abrir o histórico"), self)
        self.open_button.setObjectName("open_history")
        self.open_button.setDefault(True)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Cancelar"))
        self.buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self.try_key)
        self.key_edit.returnPressed.connect(self.try_key)
        self.key_edit.textChanged.connect(self._edited)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.what_label)
        layout.addWidget(self.ask_label)
        layout.addWidget(self.key_edit)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._edited()
        # Wrapped labels take their height from this width (set first, never clipped).
        self.setMinimumWidth(560)
        self.adjustSize()

    def what_happened(self, problem: KeyProblem) -> str:
        """What went wrong, as an attendant would say it (never "use the recovery key")."""
        if isinstance(problem, KeyringLocked):
            return self.tr(
                "O chaveiro do sistema está trancado, e é nele que fica guardada a senha "
                "que abre o histórico deste computador."
            )
        if isinstance(problem, KeyringEntryMissing):
            return self.tr(
                "O chaveiro do sistema não tem a senha deste histórico. Isso acontece num "
                "computador novo, depois de reinstalar o sistema ou de trocar de usuário."
            )
        if isinstance(problem, WrongKey):
            return self.tr(
                "A senha guardada no chaveiro do sistema não abre este histórico; nada foi "
                "alterado."
            )
        return self.tr(
            "O chaveiro do sistema não abriu, e é nele que fica guardada a senha que abre "
            "o histórico deste computador."
        )

    def _edited(self) -> None:
        self.open_button.setEnabled(not self.busy and bool(self.key_edit.text().strip()))

    def show_error(self, sentence: str) -> None:
        self.error_label.setText(sentence)
        self.error_label.show()
        self.adjustSize()  # room for the sentence: nothing above it is squeezed

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.key_edit.setEnabled(not busy)
        self.cancel_button.setEnabled(not busy)
        self._edited()

    def try_key(self) -> None:
        """Check the typed key off the window's thread; accepted once it opens the history."""
        text = self.key_edit.text()
        if self.busy or not text.strip():
            return
        self.set_busy(True)
        self.error_label.hide()
        spawn(self._check(text), "recovery-key")

    async def _check(self, text: str) -> None:
        try:
            self.keys, self.keyring_restored = await asyncio.to_thread(recover, self.store, text)
        except KeyProblem as exc:
            self.set_busy(False)
            self.show_error(i18n.problem(exc))
            self.key_edit.setFocus()
            self.key_edit.selectAll()
            return
        except Exception:
            log.exception("checking the recovery key failed")
            self.set_busy(False)
            self.show_error(self.tr("Não foi possível conferir a chave agora; tente de novo."))
            return
        self.set_busy(False)
        self.accept()

    def reject(self) -> None:
        if self.busy:
            return  # the check in the thread cannot be stopped halfway; wait for it
        super().reject()
