"""Any shape of message an event can carry is drawn, as text, without an exception.

Meta documents each message type's fields, but an event is whatever the relay
passed on: ``template`` may be a string, ``interactive.button_reply`` a list,
``contacts`` a list of numbers, ``context`` ``true``. A renderer that trusted
the documented shape raised while painting, and a row that raises while
painting breaks the whole thread. Here Hypothesis feeds random shapes through
the real path (``History.apply`` → thread and list models → delegates painting
into an image) and checks that nothing raises and that the rich text of a
bubble holds no image and no link the inbox did not make itself.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, QRect, QUrl
from PySide6.QtGui import QImage, QPainter, QTextDocument
from PySide6.QtWidgets import QListView, QStyleOptionViewItem

from crm_whatsapp.store.database import open_engine
from crm_whatsapp.store.history import History
from crm_whatsapp.ui.delegates.bubble import BubbleDelegate, body_html, media_caption
from crm_whatsapp.ui.delegates.conversation import ConversationDelegate
from crm_whatsapp.ui.models.conversations import ConversationListModel
from crm_whatsapp.ui.models.conversations import Role as ListRole
from crm_whatsapp.ui.models.thread import ThreadModel

PNID = "106540352242922"
TYPES = [
    "text", "image", "sticker", "audio", "video", "document", "location", "contacts",
    "interactive", "button", "template", "reaction", "order", "system", "unsupported",
]  # fmt: skip
KEYS = [
    "body", "caption", "filename", "mime_type", "name", "formatted_name", "title", "text",
    "description", "button_reply", "list_reply", "nfm_reply", "latitude", "longitude",
    "address", "forwarded", "emoji", "message_id", "id", "payload", "phones", "first_name",
]  # fmt: skip
HOSTILE = [
    "<img src=/nonexistent.png>",
    "<a href=file:///etc/passwd>senhas</a>",
    "<b>negrito</b> &lt; &amp;",
    "*negrito* _itálico_ https://exemplo.com.br contato@exemplo.com.br",
    "javascript:alert(1) file:///etc/passwd data:text/html,oi",
]
LINK_SCHEMES = {"http", "https", "mailto"}
_customers = itertools.count(5511900000000)

texts = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    texts,
)
shapes = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    """A Meta message item: valid envelope, any shape inside."""
    odd = draw(st.integers(0, 3)) == 0  # one in four of another type than Meta's
    msg_type = draw(st.text(min_size=1, max_size=12) if odd else st.sampled_from(TYPES))
    item: dict[str, Any] = {"type": msg_type, msg_type: draw(shapes)}
    for extra in ("context", "referral", "template", "interactive", "button"):
        if draw(st.booleans()):
            item[extra] = draw(shapes)
    return item


class RecordingDocument(QTextDocument):
    """A text document that records every resource (image) its layout asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.requested: list[str] = []

    def loadResource(self, kind: int, name: QUrl) -> Any:
        self.requested.append(name.toString())
        return None


def assert_only_our_markup(rich: str) -> None:
    doc = RecordingDocument()
    doc.setHtml(rich)
    doc.setTextWidth(400)
    doc.size()
    assert doc.requested == [], rich
    for fmt in doc.allFormats():
        assert not fmt.isImageFormat(), rich
        if fmt.isCharFormat() and fmt.toCharFormat().isAnchor():
            href = fmt.toCharFormat().anchorHref()
            assert urlsplit(href).scheme in LINK_SCHEMES, href


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    opened = History(open_engine(tmp_path / "history.db", os.urandom(32)))
    yield opened
    opened.close()


@pytest.fixture
def canvas(qapp: Any) -> Iterator[tuple[QListView, QImage]]:
    view = QListView()  # never shown: the delegates need a view to measure against
    view.resize(700, 600)
    yield view, QImage(700, 400, QImage.Format.Format_ARGB32)
    view.deleteLater()


def paint(delegate: Any, view: QListView, image: QImage, index: QModelIndex) -> None:
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = QRect(0, 0, 600, 100)
    height = delegate.sizeHint(option, index).height()
    option.rect = QRect(0, 0, 600, min(max(height, 1), image.height()))
    painter = QPainter(image)
    try:
        delegate.paint(painter, option, index)
    finally:
        painter.end()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(item=messages(), name=texts)
def test_any_message_shape_is_painted_as_text(
    history: History, canvas: tuple[QListView, QImage], item: dict[str, Any], name: str
) -> None:
    view, image = canvas
    wa_id = str(next(_customers))
    seq = int(wa_id) - 5511900000000 + 1
    data = {"from": wa_id, "id": f"wamid.S{seq}", "timestamp": str(int(time.time())), **item}
    contact = {"profile": {"name": name}, "wa_id": wa_id}
    frame = {"kind": "message", "phone_number_id": PNID, "contacts": [contact], "data": data}
    history.apply([(seq, frame)])
    found = [r for r in history.conversations(1000) if r["wa_id"] == wa_id]
    if not found:
        event("set aside by the store")
        return  # nothing to draw
    event(f"drawn: {data['type'] if data['type'] in TYPES else 'other type'}")
    conversation_id = int(found[0]["id"])

    thread = ThreadModel(history)
    thread.open(conversation_id)
    bubbles = BubbleDelegate(view)
    for row_number in range(thread.rowCount()):
        row = thread.item(row_number)
        assert row is not None
        if row["kind"] == "message":
            assert_only_our_markup(body_html(row))
            media_caption(row)
        paint(bubbles, view, image, thread.index(row_number))

    listed = ConversationListModel(history, "eu")
    listed.set_filter(view="all", status=None, contacts=[int(found[0]["contact_id"])])
    rows = [listed.index(i) for i in range(listed.rowCount())]
    mine = [i for i in rows if i.data(ListRole.Id) == conversation_id]
    assert mine, "the conversation is listed"
    paint(ConversationDelegate(view), view, image, mine[0])
