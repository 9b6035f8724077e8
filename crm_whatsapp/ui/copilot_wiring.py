"""The Copilot wired to the window: when to ask, what to show, what a click does.

When: a conversation opened whose last message is the customer's is asked
about at once; a customer message arriving in the open conversation clears
the bar and waits :data:`PAUSE_MS` for the next one (customers split one
request over several messages) before asking. Switching conversation
cancels a request in flight at once; an answer for a conversation no longer
open is dropped.

What a click does: the text goes into the composer for editing; a
template suggestion (24-hour window closed) opens the template dialog on
that template. Nothing here sends: the attendant presses Enter.

The local index is built off the window's thread when the window starts,
and kept current from what arrives (the service adds each new exchange).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Callable, Sequence
from contextlib import aclosing
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.copilot.model import CopilotError
from crm_whatsapp.copilot.service import Copilot, Update
from crm_whatsapp.copilot.suggestions import Suggestion
from crm_whatsapp.ui.widgets.composer import Composer
from crm_whatsapp.ui.widgets.suggestion_bar import SuggestionBar

# Seconds between forced GIL hand-overs while the index builds (Python's default: 0.005).
BUILD_SWITCH_INTERVAL = 0.0001

log = logging.getLogger("crm_whatsapp.ui.copilot")

# Wait this long after a customer's message for the next one before asking.
PAUSE_MS = 2500


class TextDialog(QDialog):
    """Read-only text (a summary, a translation, the last request sent), selectable.

    ``extra`` adds one button beside Close (the summary's "add as a note").
    """

    def __init__(
        self, title: str, intro: str, text: str, parent: QWidget, extra: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        label = QLabel(intro, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            QCoreApplication.translate("Copilot", "Fechar")
        )
        self.buttons.rejected.connect(self.reject)
        self.extra_button: QPushButton | None = None
        if extra:
            self.extra_button = self.buttons.addButton(
                extra, QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 420)


class CopilotWiring(QObject):
    """Runs the Copilot for the open conversation and fills the bar.

    ``shown`` is emitted with each set of suggestions put on screen (tests
    and the window's screenshot tool wait for it).
    """

    shown = Signal(list)  # [Suggestion]
    settled = Signal()  # a request finished (its last update shown)

    def __init__(
        self,
        parent: QWidget,
        copilot: Copilot,
        bar: SuggestionBar,
        composer: Composer,
        *,
        current: Callable[[], int | None],
        enabled: Callable[[], bool],
        open_template: Callable[[str], None],
        add_note: Callable[[int, str], None],
        save_quick_reply: Callable[[str, str | None], None],
        status: Callable[[str, int], None],
        problem: Callable[[str], None],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.copilot = copilot
        self.bar = bar
        self.composer = composer
        self._current = current
        self._enabled = enabled
        self._open_template = open_template
        self._add_note = add_note
        self._save_quick_reply = save_quick_reply
        self._status = status
        self._problem = problem
        self._task: asyncio.Task[None] | None = None
        self._asked_for: int | None = None
        self._building: asyncio.Task[None] | None = None
        self._to_learn: list[int] = []  # new message ids the index has not looked at yet
        self._learning: asyncio.Task[None] | None = None
        self._closing = False
        self.dialog: QWidget | None = None  # the last dialog opened (tests look at it)
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(PAUSE_MS)
        self.pause.timeout.connect(self.ask)
        for number in range(1, 4):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), parent)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda n=number: self.choose(n - 1))
        bar.chosen.connect(self.choose)
        bar.summarise_requested.connect(self.summarise)
        bar.rewrite_requested.connect(self.rewrite)
        bar.translate_requested.connect(self.translate)
        bar.outgoing_requested.connect(self.show_outgoing)

    # -- the index -------------------------------------------------------------------------

    def start(self) -> None:
        """Build the local index in a worker thread; asks made meanwhile get what is ready."""
        self._building = spawn(self._build(), "copilot-index")

    async def _build(self) -> None:
        # The build is pure Python on another thread: each time the window's thread
        # lets go of the GIL (every Qt call does) it waited up to the switch
        # interval (5 ms) to get it back, and a frame of a scroll took 110 ms.
        # 0.1 ms while the build runs: the longest frame 28-42 ms (UI benchmark, 200k).
        interval = sys.getswitchinterval()
        sys.setswitchinterval(BUILD_SWITCH_INTERVAL)
        try:
            await asyncio.to_thread(self.copilot.build_local, None, lambda: self._closing)
        except Exception as exc:
            log.warning("copilot index not built: %s", type(exc).__name__)
            return
        finally:
            sys.setswitchinterval(interval)
        if not self._closing:
            current = self._current()
            if current is not None and not self.bar.suggestions:
                self.ask()

    def messages_arrived(self, message_ids: Sequence[int]) -> None:
        """Messages came through sync: colleagues' replies among them join the index, off-thread.

        One read runs at a time; ids arriving meanwhile (a backlog replaying)
        are gathered into the next.
        """
        if self._closing or not message_ids:
            return
        self._to_learn.extend(message_ids)
        if self._learning is None or self._learning.done():
            self._learning = spawn(self._learn(), "copilot-learn")

    async def _learn(self) -> None:
        while self._to_learn and not self._closing:
            batch, self._to_learn = self._to_learn, []
            try:
                await asyncio.to_thread(self.copilot.learn_from_sync, batch)
            except Exception as exc:
                log.warning("copilot did not learn from synced replies: %s", type(exc).__name__)
                return

    def stop(self) -> None:
        """The window closes: stop the build and any request."""
        self._closing = True
        self.pause.stop()
        self._cancel()
        if self._building is not None:
            self._building.cancel()
        if self._learning is not None:
            self._learning.cancel()
        spawn(self.copilot.aclose(), "copilot-close")

    # -- when to ask -----------------------------------------------------------------------

    def conversation_opened(self, conversation_id: int | None) -> None:
        """Another conversation is open: drop what was on screen, ask for the new one now."""
        self.pause.stop()
        self._cancel()
        self.bar.clear()
        self.bar.setVisible(conversation_id is not None and self._enabled())
        if conversation_id is not None:
            self.ask()

    def customer_wrote(self, conversation_id: int) -> None:
        """A customer message arrived: in the open conversation, wait for the next, then ask."""
        if conversation_id != self._current():
            return
        self._cancel()
        self.bar.clear()
        self.pause.start()

    def ask(self) -> None:
        """Ask the Copilot for the open conversation (replacing a request in flight)."""
        conversation_id = self._current()
        self._cancel()
        if conversation_id is None or not self._enabled() or self._closing:
            return
        self._asked_for = conversation_id
        self._task = spawn(self._run(conversation_id), "copilot-suggest")

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
        self._asked_for = None

    async def _run(self, conversation_id: int) -> None:
        last = Update()
        try:
            async with aclosing(self.copilot.suggest(conversation_id)) as updates:
                async for update in updates:
                    if conversation_id != self._current():
                        return
                    last = update
                    self.bar.show_suggestions(update.suggestions)
                    self.bar.show_notice(update.notice)
        except Exception as exc:
            log.warning("copilot request failed: %s", type(exc).__name__)
            return
        if conversation_id == self._current():
            self.copilot.shown(conversation_id, last.suggestions)
            self.shown.emit(list(last.suggestions))
        self.settled.emit()

    # -- what a click does -----------------------------------------------------------------

    def choose(self, index: int) -> None:
        """Put suggestion ``index`` in the composer (a template opens the template dialog)."""
        conversation_id = self._current()
        suggestions = self.bar.suggestions
        if conversation_id is None or not 0 <= index < len(suggestions) or not self.bar.isVisible():
            return
        suggestion: Suggestion = suggestions[index]
        self.copilot.inserted(conversation_id, suggestion)
        if suggestion.source == "template":
            self._open_template(suggestion.template or "")
            return
        self._replace_composer_text(suggestion.text)

    def _replace_composer_text(self, text: str) -> None:
        """Replace the composer's text as one undoable edit (Ctrl+Z brings the draft back)."""
        edit = self.composer.edit
        cursor = edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        edit.setTextCursor(cursor)
        edit.setFocus()

    def sent(self, conversation_id: int, text: str) -> None:
        """The attendant sent ``text``: settle the suggestions; propose a habit as quick reply."""
        self.pause.stop()
        self._cancel()
        self.bar.clear()
        habit = self.copilot.sent(conversation_id, text)
        if habit is not None:
            self._propose_quick_reply(habit)

    def _propose_quick_reply(self, text: str) -> None:
        box = QMessageBox(self._parent)
        box.setWindowTitle(QCoreApplication.translate("Copilot", "Resposta rápida"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            QCoreApplication.translate(
                "Copilot",
                "Você já escreveu esta resposta várias vezes. Salvar como resposta rápida?",
            )
        )
        box.setInformativeText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(
            QCoreApplication.translate("Copilot", "Salvar")
        )
        box.button(QMessageBox.StandardButton.No).setText(
            QCoreApplication.translate("Copilot", "Agora não")
        )
        box.accepted.connect(lambda: self._ask_shortcut(text))
        box.open()
        self.dialog = box

    def _ask_shortcut(self, text: str) -> None:
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(QCoreApplication.translate("Copilot", "Resposta rápida"))
        dialog.setLabelText(QCoreApplication.translate("Copilot", "Atalho (digitado depois de /):"))
        dialog.textValueSelected.connect(
            lambda shortcut: (
                "".join(shortcut.split())
                and self._save_quick_reply("".join(shortcut.split()), text)
            )
        )
        dialog.open()
        self.dialog = dialog

    # -- the menu ----------------------------------------------------------------------------

    def summarise(self) -> None:
        conversation_id = self._current()
        if conversation_id is not None:
            spawn(self._summarise(conversation_id), "copilot-summary")

    async def _summarise(self, conversation_id: int) -> None:
        self._status(QCoreApplication.translate("Copilot", "Resumindo a conversa…"), 3000)
        try:
            summary = await self.copilot.summarise(conversation_id)
        except CopilotError as exc:
            self._problem(exc.sentence)
            return
        dialog = TextDialog(
            QCoreApplication.translate("Copilot", "Resumo da conversa"),
            QCoreApplication.translate(
                "Copilot", "Para quem vai assumir a conversa. Confira antes de usar."
            ),
            summary,
            self._parent,
            extra=QCoreApplication.translate("Copilot", "Adicionar como nota interna"),
        )
        dialog.accepted.connect(
            lambda: self._add_note(conversation_id, dialog.text.toPlainText().strip())
        )
        dialog.open()
        self.dialog = dialog

    def rewrite(self, style: str) -> None:
        conversation_id = self._current()
        draft = self.composer.edit.toPlainText().strip()
        if conversation_id is None:
            return
        if not draft:
            self._status(
                QCoreApplication.translate(
                    "Copilot", "Escreva um rascunho para o Copilot reescrever."
                ),
                5000,
            )
            return
        spawn(self._rewrite(conversation_id, draft, style), "copilot-rewrite")

    async def _rewrite(self, conversation_id: int, draft: str, style: str) -> None:
        self._status(QCoreApplication.translate("Copilot", "Reescrevendo o rascunho…"), 3000)
        try:
            text = await self.copilot.rewrite(conversation_id, draft, style)
        except CopilotError as exc:
            self._problem(exc.sentence)
            return
        # The attendant may have typed on or switched meanwhile: never overwrite that.
        if conversation_id == self._current() and self.composer.edit.toPlainText().strip() == draft:
            self._replace_composer_text(text)

    def translate(self) -> None:
        conversation_id = self._current()
        if conversation_id is not None:
            spawn(self._translate(conversation_id), "copilot-translate")

    async def _translate(self, conversation_id: int) -> None:
        seen = await asyncio.to_thread(self.copilot.read, conversation_id)
        last = next((t.text for t in reversed(seen.context.thread) if t.direction == "in"), "")
        if not last:
            self._status(
                QCoreApplication.translate("Copilot", "Não há mensagem do cliente para traduzir."),
                5000,
            )
            return
        try:
            text = await self.copilot.translate(conversation_id, last)
        except CopilotError as exc:
            self._problem(exc.sentence)
            return
        dialog = TextDialog(
            QCoreApplication.translate("Copilot", "Tradução"), last, text, self._parent
        )
        dialog.open()
        self.dialog = dialog

    def show_outgoing(self) -> None:
        """The exact request last sent to a model, as it left this PC (personal data hidden)."""
        request: Any = self.copilot.last_request
        if request is None:
            text = QCoreApplication.translate(
                "Copilot", "Nada foi enviado a um modelo desde que o programa abriu."
            )
        else:
            text = json.dumps(request, ensure_ascii=False, indent=2)
        dialog = TextDialog(
            QCoreApplication.translate("Copilot", "O que sai deste computador"),
            QCoreApplication.translate(
                "Copilot",
                "A última requisição enviada ao modelo, exatamente como saiu. Dados pessoais "
                "aparecem como [CPF_1], [EMAIL_1]… e só este computador sabe os valores.",
            ),
            text,
            self._parent,
        )
        dialog.open()
        self.dialog = dialog
