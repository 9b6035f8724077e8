"""First run: connect this PC to the relay and show the recovery key once.

Page 1 ("Conectar ao relay") asks for the relay address, the one-time
enrollment code the administrator created, and the name colleagues will see
for this PC. Pressing "Conectar" does the slow parts off the UI thread
(``asyncio.to_thread`` inside a task started with :func:`spawn`; the window
never freezes and no nested event loop runs inside a coroutine):

1. exchange the code for a device token (:func:`enroll`), once the profile
   folder and the OS keyring have proved they work (:func:`check_can_enroll`)
   and a reconnecting profile is unlocked: the code is spent only then;
2. create the encrypted profile (:meth:`Workspace.create`), which returns the
   recovery key;
3. keep the relay address in the profile and the token in the OS keyring
   (:func:`save_device`).

Each step's result is kept, so a retry after a failure resumes where it
stopped: a code is never spent twice and a key is never created over the one
just made. Errors are one Portuguese sentence in red on the page.

Page 2 ("Chave de recuperação") shows the printable recovery key, with
"Copiar" and "Salvar em arquivo…", and "Concluir" stays disabled until the
attendant confirms the key is kept somewhere safe: it is shown only once and
is the only way back into the history on a new PC or after a keyring loss.
From there the wizard cannot be cancelled, and the page cannot be left
backwards (the enrollment is done).

If the profile already has keys (a set-up interrupted before the recovery
page, or a PC connecting again with a new code), the profile is opened
instead of created, there is no recovery key to show, and page 1 finishes the
wizard.

Given an open ``workspace`` (the history opened with the recovery key on a
new PC, or the window's own when the relay refused this PC), the wizard only
takes a new code for it, with ``reason`` as the page's words: the history,
its cursor and its recovery key stay as they are, and closing the wizard
leaves the workspace to whoever opened it.

Cancelling page 1 after the profile was created but before the device was
saved removes what this wizard created (a brand-new, empty profile), so the
next start offers a fresh set-up instead of a profile whose recovery key
nobody saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import socket
from pathlib import Path

from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from crm_whatsapp import audit, policy
from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.profile import Profile
from crm_whatsapp.security.keys import KeyProblem, KeyStore, RecoveryKey
from crm_whatsapp.store.database import StoreError
from crm_whatsapp.ui import i18n
from crm_whatsapp.workspace import Device, Workspace, check_can_enroll, enroll, save_device

log = logging.getLogger(__name__)

ERROR_STYLE = "color: #D93025;"


def default_device_name() -> str:
    """A name colleagues recognise: the OS user and this computer, e.g. "ana (RECEPCAO)"."""
    try:
        user = getpass.getuser().strip()
    except Exception:  # no user name in the environment (services, containers)
        user = ""
    host = socket.gethostname().split(".")[0].strip()
    if user and host:
        return f"{user} ({host})"
    return user or host


def normalise_relay_url(text: str) -> str:
    """The address as typed, with ``https://`` added when no scheme was given."""
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = "https://" + url
    return url


def recovery_sheet_lines(formatted: str, per_line: int = 7) -> str:
    """The key in two lines of groups, easier to copy by hand than one long line."""
    groups = formatted.split("-")
    return "\n".join("-".join(groups[i : i + per_line]) for i in range(0, len(groups), per_line))


class ConnectPage(QWizardPage):
    """Page 1: relay address, enrollment code and this PC's name."""

    def __init__(self, wizard: SetupWizard, relay_url: str) -> None:
        super().__init__(wizard)
        self.setup = wizard
        self.busy = False
        self.done_ok = False
        self.setTitle(self.tr("Conectar ao relay"))
        self.setSubTitle(
            self.tr(
                "Informe o endereço do relay do escritório e o código de ativação que o "
                "administrador gerou para este computador."
            )
        )
        self.url_edit = QLineEdit(relay_url, self)
        self.url_edit.setObjectName("relay_url")
        self.url_edit.setPlaceholderText(self.tr("https://relay.seuescritorio.com.br"))
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("enrollment_code")
        self.code_edit.setPlaceholderText("XXXX-XXXX-XXXX")
        self.name_edit = QLineEdit(default_device_name(), self)
        self.name_edit.setObjectName("device_name")
        self.name_edit.setMaxLength(200)
        self.name_edit.setToolTip(
            self.tr("É o nome que os colegas veem como autor das mensagens e responsável.")
        )
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow(self.tr("Endereço do relay:"), self.url_edit)
        form.addRow(self.tr("Código de ativação:"), self.code_edit)
        form.addRow(self.tr("Nome deste computador:"), self.name_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

        for edit in (self.url_edit, self.code_edit, self.name_edit):
            edit.textChanged.connect(self._edited)

    def _edited(self) -> None:
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return (
            not self.busy
            and bool(self.url_edit.text().strip())
            and bool(self.code_edit.text().strip())
            and bool(self.name_edit.text().strip())
        )

    def nextId(self) -> int:
        return -1 if self.setup.reconnecting else self.setup.recovery_id

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for edit in (self.url_edit, self.code_edit, self.name_edit):
            edit.setReadOnly(busy)
        self.status_label.setText(self.tr("Conectando ao relay…") if busy else "")
        cancel = self.setup.button(QWizard.WizardButton.CancelButton)
        if cancel is not None:
            cancel.setEnabled(not busy)
        self.completeChanged.emit()

    def validatePage(self) -> bool:
        """Start the connection and say no; the task moves the wizard on when it succeeds."""
        if self.done_ok:
            return True
        if self.busy:
            return False
        url = normalise_relay_url(self.url_edit.text())
        if not url.startswith(("https://", "http://")):
            self.show_error(self.tr("O endereço do relay deve começar com https://."))
            return False
        self.show_error("")
        self.set_busy(True)
        spawn(
            self.setup.connect_relay(url, self.code_edit.text().strip(), self.name_edit.text()),
            "setup-enroll",
        )
        return False


def recovery_key_label(parent: QWidget) -> QLabel:
    """The key in a large fixed font, selectable, never markup (wizard page and notice)."""
    label = QLabel(parent)
    label.setObjectName("recovery_key")
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(font.pointSizeF() * 1.25)
    label.setFont(font)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setFrameShape(QLabel.Shape.StyledPanel)
    label.setMargin(12)
    return label


class RecoveryPage(QWizardPage):
    """Page 2: the recovery key, shown once, to copy, save or write down."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard)
        self.setup = wizard
        self.setTitle(self.tr("Chave de recuperação"))
        # In the page, not the subtitle: QWizard's header keeps two lines and cut this
        # warning at "…nunca", the very word that says where the key must not go.
        self.warning_label = QLabel(
            self.tr(
                "Esta chave abre o histórico num computador novo ou se o cofre de senhas do "
                "sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num "
                "pendrive guardado, nunca no próprio computador."
            ),
            self,
        )
        self.warning_label.setObjectName("recovery_warning")
        self.warning_label.setWordWrap(True)
        self.key_label = recovery_key_label(self)

        self.copy_button = QPushButton(self.tr("Copiar"), self)
        self.copy_button.clicked.connect(self.copy_key)
        self.save_button = QPushButton(self.tr("Salvar em arquivo…"), self)
        self.save_button.clicked.connect(self.choose_file)
        self.feedback_label = QLabel(self)
        self.feedback_label.setWordWrap(True)
        self.feedback_label.setTextFormat(Qt.TextFormat.PlainText)

        self.confirm = QCheckBox(self.tr("Guardei a chave de recuperação em lugar seguro"), self)
        self.confirm.toggled.connect(self.completeChanged)

        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.key_label)
        layout.addLayout(buttons)
        layout.addWidget(self.feedback_label)
        layout.addStretch(1)
        layout.addWidget(self.confirm)
        self._file_dialog: QFileDialog | None = None

    @property
    def formatted(self) -> str:
        recovery = self.setup.recovery
        return recovery.formatted if recovery is not None else ""

    def initializePage(self) -> None:
        self.key_label.setText(recovery_sheet_lines(self.formatted))
        self.setup.setOption(QWizard.WizardOption.NoCancelButton, True)

    def isComplete(self) -> bool:
        return self.confirm.isChecked() and bool(self.formatted)

    def nextId(self) -> int:
        return -1

    def _feedback(self, message: str, error: bool = False) -> None:
        self.feedback_label.setStyleSheet(ERROR_STYLE if error else "")
        self.feedback_label.setText(message)

    def copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.formatted)
        self._feedback(
            self.tr("Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.")
        )

    def choose_file(self) -> None:
        """A non-modal save dialog (``open()``): never a nested event loop."""
        dialog = QFileDialog(self, self.tr("Salvar chave de recuperação"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("Texto (*.txt)"))
        dialog.setDefaultSuffix("txt")
        dialog.selectFile(self.tr("chave-de-recuperacao-crm-whatsapp.txt"))
        dialog.fileSelected.connect(lambda name: self.save_to(Path(name)))
        dialog.open()
        self._file_dialog = dialog

    def sheet_text(self) -> str:
        return "\n".join(
            [
                self.tr("CRM WhatsApp — chave de recuperação"),
                "",
                self.formatted,
                "",
                self.tr("Computador: {0}").format(self.setup.connect_page.name_edit.text()),
                self.tr(
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
                self.tr("Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive."),
                error=True,
            )
            return False
        self._feedback(self.tr("Chave salva em {0}.").format(str(path)))
        return True


class SetupWizard(QWizard):
    """The first-run wizard; read :attr:`result_workspace` and :attr:`result_device` after
    :attr:`finished_ok`.

    ``backend`` pins a keyring backend (tests); ``None`` is the OS keyring.
    Show it with ``open()`` or ``show()``, never ``exec()`` inside a coroutine.
    """

    finished_ok = Signal()

    def __init__(
        self,
        profile: Profile,
        backend: KeyringBackend | None = None,
        relay_url: str = "",
        parent: QWidget | None = None,
        workspace: Workspace | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(parent)
        self.profile = profile
        self.backend = backend
        self.result_workspace: Workspace | None = None
        self.result_device: Device | None = None
        self.recovery: RecoveryKey | None = None
        # An open history (opened with the recovery key, or the window's own) is
        # kept as it is: this wizard only gives it a new device.
        self.reconnecting = workspace is not None or KeyStore(profile, backend).exists()
        self._device: Device | None = None
        self._enrolled_with: tuple[str, str] | None = None
        self._workspace: Workspace | None = workspace
        self._owns_workspace = workspace is None
        self._created_here = False
        self._saved = False
        self._finished = False

        self.setWindowTitle(self.tr("Configurar o CRM WhatsApp"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("Voltar"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Avançar"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Conectar"))
        self.setButtonText(
            QWizard.WizardButton.FinishButton,
            self.tr("Conectar") if self.reconnecting else self.tr("Concluir"),
        )
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Cancelar"))

        # No saved address: the one IT set by Group Policy, if any (a registry read, instant).
        self.connect_page = ConnectPage(self, relay_url or policy.relay_url())
        self.recovery_page = RecoveryPage(self)
        self.connect_page.setCommitPage(not self.reconnecting)
        if reason:
            self.connect_page.setSubTitle(reason)
        elif self.reconnecting:
            self.connect_page.setSubTitle(
                self.tr(
                    "Este computador já tem um histórico protegido; informe um código de "
                    "ativação novo para conectá-lo de novo ao relay."
                )
            )
        self.connect_id = self.addPage(self.connect_page)
        self.recovery_id = self.addPage(self.recovery_page)
        if self.connect_page.url_edit.text():
            self.connect_page.code_edit.setFocus()
        self.resize(620, 440)

    # -- the slow part, off the UI thread

    async def connect_relay(self, url: str, code: str, name: str) -> None:
        """Enroll, create (or open) the profile, save the device; then move on."""
        page = self.connect_page
        try:
            if self._device is None or self._enrolled_with != (url, code):
                await self._ready_to_spend_code()
                self._device = await asyncio.to_thread(enroll, url, code, name.strip())
                self._enrolled_with = (url, code)
            if self._workspace is None:
                if self.reconnecting:
                    self._workspace = await asyncio.to_thread(
                        Workspace.open, self.profile, self.backend
                    )
                else:
                    self._workspace, self.recovery = await asyncio.to_thread(
                        Workspace.create, self.profile, self.backend
                    )
                    self._created_here = True
            await asyncio.to_thread(
                save_device, self.profile, self._workspace.keys, self._device, self.backend
            )
            self._saved = True
            if self.recovery is not None:  # the next page shows it: the audit trail says so
                await asyncio.to_thread(
                    audit.record,
                    self._workspace,
                    "recovery_key_shown",
                    who=self._device.name or self._device.device_id,
                )
        except (KeyProblem, StoreError) as exc:
            page.set_busy(False)
            page.show_error(i18n.problem(exc))
            return
        except Exception:
            log.exception("set-up failed")
            page.set_busy(False)
            page.show_error(
                self.tr(
                    "Não foi possível concluir a configuração; tente de novo e, se continuar, "
                    "chame o suporte."
                )
            )
            return
        page.set_busy(False)
        page.done_ok = True
        if self.reconnecting:
            self.accept()
        else:
            self.next()

    async def _ready_to_spend_code(self) -> None:
        """Everything local that follows the exchange is tried first: the code works once."""
        await asyncio.to_thread(check_can_enroll, self.profile, self.backend)
        if self.reconnecting and self._workspace is None:
            self._workspace = await asyncio.to_thread(Workspace.open, self.profile, self.backend)

    # -- closing

    @property
    def busy(self) -> bool:
        return self.connect_page.busy

    def accept(self) -> None:
        # On the reconnect page "Conectar" is the finish button: validatePage starts the
        # connection and says no; the task calls accept() again once the device is saved.
        if not self.validateCurrentPage() or not self._saved:
            return
        self.result_workspace = self._workspace
        self.result_device = self._device
        self._finished = True
        super().accept()
        self.finished_ok.emit()

    def reject(self) -> None:
        """Cancel, Esc or the window's close box (QDialog.closeEvent calls this)."""
        if self.busy:
            return  # the work in the thread cannot be stopped halfway; wait for it
        if self._saved and not self._finished:
            # On the recovery page: the key is shown only once, so confirm before leaving.
            self.recovery_page._feedback(
                self.tr("Guarde a chave de recuperação e marque a confirmação para concluir."),
                error=True,
            )
            return
        self._roll_back()
        super().reject()

    def _roll_back(self) -> None:
        """Remove a profile this wizard created whose device was never saved (it is empty)."""
        if self._workspace is None or not self._owns_workspace:
            return  # a history opened before the wizard is its opener's to close
        workspace, self._workspace = self._workspace, None
        workspace.close()
        if not self._created_here or self._saved:
            return
        with contextlib.suppress(KeyProblem, OSError):
            KeyStore(self.profile, self.backend).forget()
        database = self.profile.database
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                database.with_name(database.name + suffix).unlink(missing_ok=True)
