"""A host application with the inbox inside: the smallest runnable ``crm_whatsapp.embed`` example.

A toy "CRM" window: a list of customers on the left, the inbox on the
right. Double-clicking a customer opens their WhatsApp conversation in the
inbox (text ready in the composer, never sent); opening a conversation in
the inbox selects the customer in the list; a lead made by a CRM plugin is
shown in the status bar.

    python plugins/examples/host_app/host_app.py     # an enrolled profile (CRM_WHATSAPP_HOME)
"""

from __future__ import annotations

import asyncio
import sys

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QMainWindow, QSplitter

from crm_whatsapp.embed import InboxWidget, open_inbox
from crm_whatsapp.plugin_api import same_phone

CUSTOMERS = [
    ("Ana Souza", "5511987654321"),
    ("Bruno Lima", "5521998761234"),
]


class HostWindow(QMainWindow):
    """The host's own window, with the inbox as one of its widgets."""

    def __init__(self, inbox: InboxWidget) -> None:
        super().__init__()
        self.setWindowTitle("Meu CRM")
        self.inbox = inbox
        self.closed = asyncio.Event()
        self.customers = QListWidget()
        for name, phone in CUSTOMERS:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, phone)
            self.customers.addItem(item)
        self.customers.itemDoubleClicked.connect(self.chat_with)
        splitter = QSplitter()
        splitter.addWidget(self.customers)
        splitter.addWidget(inbox)
        splitter.setSizes([200, 1000])
        self.setCentralWidget(splitter)
        inbox.contact_opened.connect(self.select_customer)
        inbox.lead_created.connect(
            lambda plugin, lead, url: self.statusBar().showMessage(f"Lead {lead} ({plugin}) {url}")
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.set()
        super().closeEvent(event)

    def chat_with(self, item: QListWidgetItem) -> None:
        name = item.text().split()[0]
        self.inbox.open_chat(item.data(Qt.ItemDataRole.UserRole), f"Olá, {name}!")

    def select_customer(self, phone: str) -> None:
        for row in range(self.customers.count()):
            item = self.customers.item(row)
            if same_phone(item.data(Qt.ItemDataRole.UserRole), phone):
                self.customers.setCurrentItem(item)


async def main() -> int:
    inbox = open_inbox()
    window = HostWindow(inbox)
    window.resize(1300, 800)
    window.show()
    inbox.start()
    await window.closed.wait()
    await inbox.stop()
    return 0


if __name__ == "__main__":
    app = QApplication(sys.argv)
    sys.exit(qasync.run(main()))
