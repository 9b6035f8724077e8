"""Opening a link someone clicked in a message: only to places that are safe to send it.

A link in a bubble comes from a customer's text or an event the relay passed
on; handing any URL to the desktop would let one open local files or launch
whatever program claims a scheme. The scheme is judged on the same ``QUrl``
that is then opened, so the check and the opening cannot read the text apart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from crm_whatsapp.domain.richtext import is_safe_scheme

log = logging.getLogger("crm_whatsapp.ui.links")


def open_link(link: str) -> bool:
    """Open ``link`` in the system's browser, mail or phone app; False when refused or failed.

    A refusal is logged with the scheme only: the rest of the address may be
    the customer's text.
    """
    url = QUrl(link)
    scheme = url.scheme().lower()
    if not url.isValid() or not is_safe_scheme(scheme):
        log.warning("refused to open a link with scheme %r", scheme[:20])
        return False
    opened = QDesktopServices.openUrl(url)
    if not opened:
        log.warning("the system could not open a %s link", scheme)
    return opened
