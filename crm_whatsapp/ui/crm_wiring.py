"""The CRM plugins in the window: cards in the side panel, header actions, logging on resolve.

Thin over :class:`crm_whatsapp.crm.host.PluginHost`: opening a conversation
asks every enabled plugin for the customer's card (each card fills in as
its plugin answers; switching conversation cancels the questions still
out); the header's CRM menu creates a lead or logs the conversation now,
and what a plugin made is recorded as a private note in the thread with its
link. A plugin set to log on resolve does so when the attendant resolves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QInputDialog, QMenu, QToolButton, QVBoxLayout, QWidget

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.crm.config import PluginConfig
from crm_whatsapp.crm.host import DEFAULT_TIMEOUT, ActionResult, PluginHost
from crm_whatsapp.crm.office import open_host, transcript_for
from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.plugin_api import Customer, Event, Plugin
from crm_whatsapp.ui.widgets.crm_card import CrmCard
from crm_whatsapp.workspace import Workspace

log = logging.getLogger(__name__)

MADE = {
    "lead": QT_TRANSLATE_NOOP("CrmWiring", "Lead criado no {0}"),
    "deal": QT_TRANSLATE_NOOP("CrmWiring", "Negócio criado no {0}"),
    "contact": QT_TRANSLATE_NOOP("CrmWiring", "Contato criado no {0}"),
    "note": QT_TRANSLATE_NOOP("CrmWiring", "Conversa registrada no {0}"),
    "activity": QT_TRANSLATE_NOOP("CrmWiring", "Conversa registrada no {0}"),
}


class CrmWiring(QObject):
    """The side panel's plugin cards and the header's CRM menu for the open conversation."""

    cards_shown = Signal()  # every card of the open conversation has its answer
    action_done = Signal(list)  # [ActionResult] of a lead, log or contact
    loaded = Signal()  # the profile's enabled plugins are running (after start or a change)

    def __init__(
        self,
        parent: QWidget,
        workspace: Workspace,
        panel: QVBoxLayout,
        button: QToolButton,
        *,
        current: Callable[[], int | None],
        add_note: Callable[[int, str], None],
        problem: Callable[[str], None],
        me: Callable[[], str],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.workspace = workspace
        self.panel = panel
        self.button = button
        self._current = current
        self._add_note = add_note
        self._problem = problem
        self._me = me
        self.cards: dict[str, CrmCard] = {}
        self.customer: Customer | None = None
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.host = PluginHost([])  # until the profile's plugins are loaded, off this thread
        self._loading: asyncio.Task[None] | None = None
        self.problems: list[str] = []
        self.dialog: QInputDialog | None = None
        self.timeout = DEFAULT_TIMEOUT  # the longest a card waits for its plugin
        self.menu = QMenu(parent)
        self.lead_action = self.menu.addAction("", self.create_lead)
        self.log_action = self.menu.addAction("", self.log_now)
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.retranslate()
        button.hide()
        self.reload()

    def retranslate(self) -> None:
        """The menu and button in the window's language (the window calls it on a change)."""
        self.lead_action.setText(self.tr("Criar lead no CRM…"))
        self.log_action.setText(self.tr("Registrar a conversa no CRM"))
        self.button.setText(self.tr("CRM"))

    # -- the plugins --------------------------------------------------------------------

    async def _load(self) -> None:
        """Find the enabled plugins and read their secrets (entry points, keyring: slow reads)."""
        host, problems = await asyncio.to_thread(open_host, self.workspace, timeout=self.timeout)
        old, self.host, self.problems = self.host, host, problems
        spawn(old.aclose(), "plugins-close")  # outlives this object: not tracked
        for sentence in problems:
            self._problem(sentence)
        self._menu_follows_host()
        if self.customer is not None:
            self.show_customer(self.customer)
        self.loaded.emit()

    def _menu_follows_host(self) -> None:
        self.lead_action.setEnabled(bool(self.host.can("create_lead")))
        self.log_action.setEnabled(bool(self.host.can("log_conversation")))
        self.button.setVisible(bool(self.host.names))

    def use(self, host: PluginHost) -> None:
        """Run these plugins instead of the profile's (an embedding host's own, a benchmark)."""
        if self._loading is not None:
            self._loading.cancel()
        old = self.host
        spawn(old.aclose(), "plugins-close")  # outlives this object: not tracked
        self.host, self.problems = host, []
        self._menu_follows_host()
        if self.customer is not None:
            self.show_customer(self.customer)

    def reload(self) -> None:
        """Start the enabled plugins (again, after the settings changed); ``loaded`` says when."""
        if self._loading is not None:
            self._loading.cancel()
        self._loading = spawn(self._load(), "plugins-open")
        self._tasks.add(self._loading)
        self._loading.add_done_callback(self._tasks.discard)

    def stop(self) -> None:
        """The window closes: cancel the questions and actions out, close the plugins."""
        self._cancel()
        for task in list(self._tasks):
            task.cancel()
        spawn(self.host.aclose(), "plugins-close")

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        """Run an action of this window's; cancelled if the window closes first."""
        task = spawn(coro, name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- cards --------------------------------------------------------------------------

    def conversation_opened(self, row: dict[str, Any] | None) -> None:
        """Another conversation is open: drop the cards, ask for the new customer's."""
        if row is None or not row.get("wa_id"):
            self._cancel()
            self._clear()
            self.customer = None
            return
        self.show_customer(Customer(str(row["wa_id"]), str(row.get("name") or "")))

    def show_customer(self, customer: Customer) -> None:
        """Ask every plugin that looks up for this customer's card; each fills in as it answers."""
        self._cancel()
        self._clear()
        self.customer = customer
        at = self.panel.count() - 1  # before the stretch
        for enabled in self.host.can("lookup"):
            card = CrmCard(
                enabled.name,
                enabled.plugin.title or enabled.name,
                "create_contact" in enabled.plugin.capabilities(),
                widget=enabled.plugin.card_widget
                if enabled.plugin.card_widget.__func__ is not Plugin.card_widget.__func__
                else None,
            )
            card.create_contact.connect(self.create_contact)
            self.panel.insertWidget(at, card)
            at += 1
            self.cards[enabled.name] = card
        if self.cards:
            self._task = spawn(self._lookup(customer), "crm-cards")

    async def _lookup(self, customer: Customer) -> None:
        async for result in self.host.cards(customer):
            card = self.cards.get(result.plugin)
            if card is not None and customer == self.customer:
                card.show_result(result)
        self.cards_shown.emit()

    def _cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def _clear(self) -> None:
        for card in self.cards.values():
            self.panel.removeWidget(card)
            card.deleteLater()
        self.cards = {}

    # -- actions ------------------------------------------------------------------------

    def create_lead(self) -> None:
        """Ask for the lead's title (prefilled) and create it in every plugin that makes leads."""
        customer, conversation_id = self.customer, self._current()
        if customer is None or conversation_id is None:
            return
        dialog = QInputDialog(self._parent)
        dialog.setWindowTitle(self.tr("Criar lead no CRM"))
        dialog.setLabelText(self.tr("Título"))
        dialog.setTextValue(f"WhatsApp: {customer.name or '+' + customer.phone}")
        self.dialog = dialog

        def chosen() -> None:
            title = dialog.textValue().strip()
            if title:
                self._spawn(
                    self._act(conversation_id, self.host.create_lead(customer, title)), "crm-lead"
                )

        dialog.accepted.connect(chosen)
        dialog.open()

    def log_now(self, only: str | None = None) -> None:
        """Record the open conversation on the customer's record in each plugin that logs."""
        customer, conversation_id = self.customer, self._current()
        if customer is not None and conversation_id is not None:
            self._spawn(self._log(conversation_id, customer, only), "crm-log")

    async def _log(self, conversation_id: int, customer: Customer, only: str | None) -> None:
        transcript = await asyncio.to_thread(transcript_for, self.workspace, customer, self._me())
        await self._act(conversation_id, self.host.log_conversation(transcript, only))

    def create_contact(self, plugin: str) -> None:
        """Add the customer (WhatsApp name and number) to one CRM that does not know them."""
        customer, conversation_id = self.customer, self._current()
        if customer is not None and conversation_id is not None:
            self._spawn(
                self._act(conversation_id, self.host.create_contact(customer, plugin)),
                "crm-contact",
            )

    async def _act(self, conversation_id: int, action: Any) -> None:
        results: list[ActionResult] = await action
        for result in results:
            if result.error:
                self._problem(f"{result.title}: {result.error}")
            elif result.created is not None:
                made = QCoreApplication.translate("CrmWiring", MADE[result.created.kind])
                made = made.format(result.title)
                note = f"{made}: {result.created.url}" if result.created.url else made
                self._add_note(conversation_id, note)
        if self.customer is not None:
            self.show_customer(self.customer)  # the cards show what was just made
        self.action_done.emit(results)

    # -- inbox events -------------------------------------------------------------------

    def status_chosen(self, status: str) -> None:
        """The attendant resolved (or reopened) the open conversation."""
        customer, conversation_id = self.customer, self._current()
        if status != "resolved" or customer is None or conversation_id is None:
            return
        config = PluginConfig.load(self.workspace.profile.root)
        for enabled in self.host.can("log_conversation"):
            if enabled.name in config.log_on_resolve:
                self._spawn(self._log(conversation_id, customer, enabled.name), "crm-log-resolved")
        event = Event("conversation_resolved", customer, attendant=self._me())
        self._spawn(self.host.notify(event), "crm-event")

    def conversations_started(self, conversation_ids: Sequence[int]) -> None:
        """New conversations (a first message): plugins that react are told who with."""
        if self.host.can("on_event"):
            self._spawn(self._started(list(conversation_ids)), "crm-event")

    async def _started(self, conversation_ids: list[int]) -> None:
        history = self.workspace.history
        rows = await asyncio.to_thread(
            history.conversations, len(conversation_ids), ids=conversation_ids
        )
        for row in rows:
            if row.get("wa_id"):
                customer = Customer(str(row["wa_id"]), str(row.get("name") or ""))
                await self.host.notify(Event("conversation_started", customer))

    def sent(self, text: str) -> None:
        """The attendant sent ``text`` in the open conversation (plugins that react are told)."""
        if self.customer is not None and self.host.can("on_event"):
            event = Event("message_sent", self.customer, text=text, attendant=self._me())
            self._spawn(self.host.notify(event), "crm-event")
