"""The recovery key a silent install kept for the attendant, shown when the window first opens.

IT enrolls PCs with ``crm-whatsapp enroll --defer-recovery-key`` from the
installers, with nobody at the screen: the key waits in the OS keyring
(:meth:`KeyStore.keep_pending_recovery`) instead of being printed into a
log nobody reads. The window then shows it the way the first-run wizard's
recovery page does (the same words, key layout, "Copiar", "Salvar em
arquivo…" with the printable sheet, and the "I kept it" confirmation).
Only once the attendant confirms does the entry leave the keyring and the
audit trail record "recovery_key_shown"; closing without confirming shows
it again at the next start, as WhatsApp keeps asking until a backup is set.

Keyring and history calls run off the window's thread.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp import audit
from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.security.keys import KeyProblem, KeyStore, RecoveryKey
from crm_whatsapp.store.database import StoreError
from crm_whatsapp.ui import i18n
from crm_whatsapp.ui.wizard import ERROR_STYLE, recovery_key_label, recovery_sheet_lines
from crm_whatsapp.workspace import Workspace, device_name

log = logging.getLogger(__name__)


def _page_tr(text: str) -> str:
    """The wizard recovery page's own words (its "RecoveryPage" translations)."""
    return QCoreApplication.translate("RecoveryPage", text)


@dataclass(frozen=True)
class PendingRecovery:
    """A recovery key still to be shown, and the name of the PC for its sheet."""

    key: RecoveryKey
    computer: str


def load_pending(workspace: Workspace) -> PendingRecovery | None:
    """The key a silent install left to show, or None (blocking: keyring and profile)."""
    key = KeyStore(workspace.profile, workspace.backend).pending_recovery()
    if key is None:
        return None
    return PendingRecovery(key, device_name(workspace.profile))


def confirm_kept(workspace: Workspace) -> None:
    """The attendant wrote the key down: the trail says it was shown, the keyring forgets it.

    The entry is recorded first: if the keyring then fails, the key is shown
    again next start rather than dropped without a trace (blocking).
    """
    audit.record(workspace, "recovery_key_shown", "", "janela")
    KeyStore(workspace.profile, workspace.backend).clear_pending_recovery()


class RecoveryNotice(QDialog):
    """The recovery page's pieces in a dialog over the window; ``confirmed`` asks to finish."""

    confirmed = Signal()

    def __init__(self, pending: PendingRecovery, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pending = pending
        self.setObjectName("recovery_notice")
        self.setWindowTitle(_page_tr("Chave de recuperação"))
        self.intro_label = QLabel(
            self.tr(
                "Este computador foi configurado pelo suporte. Antes de começar, guarde a "
                "chave de recuperação do histórico."
            ),
            self,
        )
        self.intro_label.setWordWrap(True)
        self.warning_label = QLabel(
            _page_tr(
                "Esta chave abre o histórico num computador novo ou se o cofre de senhas do "
                "sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num "
                "pendrive guardado, nunca no próprio computador."
            ),
            self,
        )
        self.warning_label.setObjectName("recovery_warning")
        self.warning_label.setWordWrap(True)
        self.key_label = recovery_key_label(self)
        self.key_label.setText(recovery_sheet_lines(self.formatted))

        self.copy_button = QPushButton(_page_tr("Copiar"), self)
        self.copy_button.clicked.connect(self.copy_key)
        self.save_button = QPushButton(_page_tr("Salvar em arquivo…"), self)
        self.save_button.clicked.connect(self.choose_file)
        self.feedback_label = QLabel(self)
        self.feedback_label.setObjectName("recovery_feedback")
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm = QCheckBox(_page_tr("Guardei a chave de recuperação em lugar seguro"), self)

        self.buttons = QDialogButtonBox(self)
        self.done_button = QPushButton(self.tr("Concluir"), self)
        self.done_button.setObjectName("recovery_done")
        self.done_button.setEnabled(False)
        self.buttons.addButton(self.done_button, QDialogButtonBox.ButtonRole.AcceptRole)
        later = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        later.setText(self.tr("Mostrar depois"))
        self.confirm.toggled.connect(self.done_button.setEnabled)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.key_label)
        layout.addLayout(row)
        layout.addWidget(self.feedback_label)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._file_dialog: QFileDialog | None = None

    @property
    def formatted(self) -> str:
        return self.pending.key.formatted

    def _feedback(self, message: str, error: bool = False) -> None:
        self.feedback_label.setStyleSheet(ERROR_STYLE if error else "")
        self.feedback_label.setText(message)

    def _confirm(self) -> None:
        if not self.confirm.isChecked():
            return
        self.done_button.setEnabled(False)
        self.confirmed.emit()

    def show_error(self, sentence: str) -> None:
        """Finishing failed: say so and let the attendant try again."""
        self._feedback(sentence, error=True)
        self.done_button.setEnabled(self.confirm.isChecked())

    def copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.formatted)
        self._feedback(
            _page_tr("Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.")
        )

    def choose_file(self) -> None:
        """A non-modal save dialog (``open()``): never a nested event loop."""
        dialog = QFileDialog(self, _page_tr("Salvar chave de recuperação"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(_page_tr("Texto (*.txt)"))
        dialog.setDefaultSuffix("txt")
        dialog.selectFile(_page_tr("chave-de-recuperacao-crm-whatsapp.txt"))
        dialog.fileSelected.connect(lambda name: self.save_to(Path(name)))
        dialog.open()
        self._file_dialog = dialog

    def sheet_text(self) -> str:
        """The same printable sheet the wizard saves."""
        return "\n".join(
            [
                _page_tr("CRM WhatsApp — chave de recuperação"),
                "",
                self.formatted,
                "",
                _page_tr("Computador: {0}").format(self.pending.computer),
                _page_tr(
                    "Guarde esta folha longe do computador. Quem tiver esta chave e o arquivo "
                    "do perfil consegue ler o histórico."
                ),
                "",
            ]
        )

    def save_to(self, path: Path) -> bool:
        try:
            path.write_text(self.sheet_text(), encoding="utf-8")
        except OSError:
            log.warning("could not save the recovery key sheet")
            self._feedback(
                _page_tr("Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive."),
                error=True,
            )
            return False
        self._feedback(_page_tr("Chave salva em {0}.").format(str(path)))
        return True


class RecoveryNoticeWiring:
    """Finds a pending recovery key for the window's workspace and shows it until confirmed."""

    def __init__(self, window: QWidget, workspace: Workspace) -> None:
        self.window = window
        self.workspace = workspace
        self.notice: RecoveryNotice | None = None

    def start(self) -> asyncio.Task[None]:
        """Look for a pending key off the window's thread; show it if there is one."""
        return spawn(self._look(), "pending-recovery-key")

    async def _look(self) -> None:
        try:
            pending = await asyncio.to_thread(load_pending, self.workspace)
        except KeyProblem as exc:  # the keyring shut: the next start looks again
            log.warning("pending recovery key not read (%s)", type(exc).__name__)
            return
        if pending is None or self.notice is not None:
            return
        notice = RecoveryNotice(pending, self.window)
        notice.confirmed.connect(lambda: spawn(self._finish(notice), "recovery-key-kept"))
        notice.finished.connect(self._closed)
        self.notice = notice
        notice.open()

    async def _finish(self, notice: RecoveryNotice) -> None:
        try:
            await asyncio.to_thread(confirm_kept, self.workspace)
        except (KeyProblem, StoreError) as exc:
            log.warning("recovery key confirmation not kept (%s)", type(exc).__name__)
            notice.show_error(i18n.problem(exc))
            return
        log.info("the attendant confirmed the pending recovery key is kept")
        notice.accept()

    def _closed(self) -> None:
        if self.notice is not None:
            self.notice.deleteLater()
        self.notice = None
