"""Keeps the approved templates in the history, so sent templates show their text.

A template message names its template and carries the values put in; the
words the customer read come from the template's definition, which only
the relay lists. Each time the session goes live, the list is fetched once
(the session caches it for the template dialog too), kept in the history
(``store.template_book``: later sends file their filled text, and the
thread reads them offline), and the open thread re-reads its template rows.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from PySide6.QtCore import QObject

from crm_whatsapp.asyncqt import spawn
from crm_whatsapp.session import InboxSession, SessionError
from crm_whatsapp.store import template_book
from crm_whatsapp.ui.models.thread import ThreadModel

log = logging.getLogger("crm_whatsapp.ui.template_texts")


class TemplateTexts(QObject):
    """Fetches and keeps the templates when the session goes live."""

    def __init__(self, session: InboxSession, thread: ThreadModel, parent: QObject | None = None):
        super().__init__(parent)
        self._session = session
        self._thread = thread
        self._fetching = False
        session.connection.connect(self._connection)

    def _connection(self, state: str) -> None:
        if state == "live" and not self._fetching:
            self._fetching = True
            spawn(self.refresh(), "template-texts")

    async def refresh(self) -> list[dict[str, Any]]:
        """Fetch the relay's templates, keep them, and show them in the open thread."""
        try:
            templates = await self._session.templates(refresh=True)
            await asyncio.to_thread(template_book.remember, self._session.history.writer, templates)
        except SessionError:
            log.info("templates not fetched (relay unreachable); the last ones kept still serve")
            return []
        except Exception as exc:  # an answer of another shape: the kept list still serves
            log.warning("templates not kept: %s", type(exc).__name__)
            return []
        finally:
            self._fetching = False
        self._thread.templates_known(templates)
        return templates
