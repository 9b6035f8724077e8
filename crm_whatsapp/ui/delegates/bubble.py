"""Paints the thread: bubbles in and out, notes, day separators, ticks, reactions.

Message text is laid out once per (message, width) in a QTextDocument kept
in a small LRU cache, so scrolling repaints without re-laying out, and a
status change (a tick) repaints without changing the height.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPixmap,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP
from crm_whatsapp.domain.markup import to_html
from crm_whatsapp.domain.meta_errors import STATUS_LABELS, explain
from crm_whatsapp.domain.richtext import map_url, rich
from crm_whatsapp.domain.shapes import as_object, as_objects, as_text, field, text_at
from crm_whatsapp.domain.templates import FilledTemplate, fallback_text
from crm_whatsapp.ui.models.thread import Role, ThreadModel
from crm_whatsapp.ui.resources import icon
from crm_whatsapp.ui.thumbnails import PREVIEW_TYPES, Thumbnails, preview_box
from crm_whatsapp.ui.voice import VoicePlayer, clock, speed_label

MAX_BUBBLE = 560
PAINTED_BUDGET = 32 * 1024 * 1024  # bytes of drawn rows kept (a screenful is ~3 MB)
PAD = 8
MEDIA_HEIGHT = 34
SPEED_WIDTH = 38  # the voice note's speed button
STAMP_WIDTH = 44  # its length, "12:34"
FOOTER = 16
REACTION_HEIGHT = 20
MEDIA_LABELS = {
    "image": ("image", QT_TRANSLATE_NOOP("BubbleDelegate", "Foto")),
    "sticker": ("image", QT_TRANSLATE_NOOP("BubbleDelegate", "Figurinha")),
    "audio": ("audio", QT_TRANSLATE_NOOP("BubbleDelegate", "Áudio")),
    "video": ("video", QT_TRANSLATE_NOOP("BubbleDelegate", "Vídeo")),
    "document": ("document", QT_TRANSLATE_NOOP("BubbleDelegate", "Documento")),
    "location": ("location", QT_TRANSLATE_NOOP("BubbleDelegate", "Localização")),
    "contacts": ("contact", QT_TRANSLATE_NOOP("BubbleDelegate", "Contato")),
}
# Types whose bubble is its text alone (a deletion and an unsupported message say so in it).
QUIET_TYPES = frozenset({"text", "note", "reaction", "revoke", "unsupported", "unknown"})
HEADER_LABELS = {
    "image": ("image", QT_TRANSLATE_NOOP("BubbleDelegate", "Foto do cabeçalho")),
    "video": ("video", QT_TRANSLATE_NOOP("BubbleDelegate", "Vídeo do cabeçalho")),
    "document": ("document", QT_TRANSLATE_NOOP("BubbleDelegate", "Documento do cabeçalho")),
}
TICKS = frozenset({"pending", "sent", "delivered", "read", "failed"})  # resources/icons/status-*
# Meta's ``unsupported.type`` values worth saying in words (others are shown as sent).
UNSUPPORTED_KINDS = {
    "edit": QT_TRANSLATE_NOOP("BubbleDelegate", "uma edição de mensagem"),
    "poll": QT_TRANSLATE_NOOP("BubbleDelegate", "uma enquete"),
    "pool": QT_TRANSLATE_NOOP("BubbleDelegate", "uma enquete"),
    "view_once": QT_TRANSLATE_NOOP("BubbleDelegate", "uma mídia de visualização única"),
    "video_note": QT_TRANSLATE_NOOP("BubbleDelegate", "um vídeo circular"),
    "event": QT_TRANSLATE_NOOP("BubbleDelegate", "um evento"),
    "album": QT_TRANSLATE_NOOP("BubbleDelegate", "um álbum de fotos"),
}
COLOURS = {
    "light": {"in": "#FFFFFF", "out": "#D9FDD3", "note": "#FFF3C4", "day": "#E1F2FB"},
    "dark": {"in": "#202C33", "out": "#005C4B", "note": "#5C4B00", "day": "#182229"},
}


def media_caption(row: dict[str, Any]) -> tuple[str, str] | None:
    """The icon and the one-line label shown for a non-text message, if any."""
    msg_type = as_text(row["type"])
    translate = QCoreApplication.translate
    if msg_type not in MEDIA_LABELS:
        if msg_type in ("interactive", "button"):
            return ("reply", translate("BubbleDelegate", "Resposta de botão"))
        if msg_type == "template":
            return template_header(row.get("template"))
        if msg_type in QUIET_TYPES:
            return None
        return ("document", translate("BubbleDelegate", "Mensagem do tipo {0}").format(msg_type))
    glyph, label = MEDIA_LABELS[msg_type]
    body = field(row["item"], msg_type)
    text = translate("BubbleDelegate", label)
    if msg_type == "document":
        text = text_at(body, "filename") or text
    if msg_type == "location":
        text = text_at(body, "name") or text_at(body, "address") or text
    if msg_type == "contacts":
        names = [text_at(c, "name", "formatted_name") for c in as_objects(body)]
        text = ", ".join(n for n in names if n) or text
    return glyph, text


def template_header(shown: object) -> tuple[str, str] | None:
    """The icon row of a sent template whose header was a photo, video or document."""
    media = getattr(shown, "header_media", None)
    if media not in HEADER_LABELS:
        return None
    glyph, label = HEADER_LABELS[media]
    return glyph, QCoreApplication.translate("BubbleDelegate", label)


def template_html(row: dict[str, Any]) -> str:
    """A sent template as the customer read it: header, body, footer, buttons.

    Read with the approved templates this desktop remembers; a template it
    never saw shows the text kept with the message, or its name and values.
    """
    translate = QCoreApplication.translate
    shown = row.get("template")
    if isinstance(shown, FilledTemplate) and shown.known:
        parts = []
        if shown.header:
            parts.append(f"<b>{to_html(shown.header)}</b><br>")
        parts.append(to_html(shown.body))
        if shown.footer:
            parts.append(f"<br><span style='color:#8696A0'>{to_html(shown.footer)}</span>")
        if shown.buttons:
            labels = " · ".join(to_html(label) for label in shown.buttons)
            parts.append(f"<br><span style='color:#027EB5'>{labels}</span>")
        return "".join(parts)
    name = shown.name if isinstance(shown, FilledTemplate) else ""
    values = shown.parameters if isinstance(shown, FilledTemplate) else []
    text = as_text(row.get("text"))
    if text and text != fallback_text(row["item"]):
        return to_html(text)  # the filled text, kept when it was sent
    label = translate("BubbleDelegate", "Modelo «{0}»").format(name)
    if values:
        label += ": " + ", ".join(values)
    return f"<i>{to_html(label)}</i>"


def unsupported_text(item: object) -> str:
    """What an unsupported message was, as far as Meta says, and what the customer can do.

    Meta names the kind in ``unsupported.type`` (an edit, a poll…) when it
    can; its ``errors`` only say, in English, that the type is unsupported,
    which the sentence already says in the attendant's language.
    """
    translate = QCoreApplication.translate
    kind = text_at(item, "unsupported", "type")
    known = UNSUPPORTED_KINDS.get(kind)
    what = translate("BubbleDelegate", known) if known else (f"“{kind[:40]}”" if kind else "")
    if what:
        first = translate(
            "BubbleDelegate", "O cliente enviou algo que o WhatsApp não repassa: {0}."
        ).format(what)
    else:
        first = translate("BubbleDelegate", "O cliente enviou um tipo de mensagem não suportado.")
    advice = translate(
        "BubbleDelegate", "Peça que reenvie de outra forma (texto, foto ou documento)."
    )
    return f"{first} {advice}"


def edit_note(row: dict[str, Any]) -> str:
    """The tooltip line of an edited message: what it said before (when that ever came)."""
    translate = QCoreApplication.translate
    original = as_text(row.get("original_text"))
    if not original:
        return translate("BubbleDelegate", "Editada; o texto original não está no histórico.")
    return translate("BubbleDelegate", "Editada. Original: {0}").format(original)


def local_time(timestamp: object, pattern: str) -> str:
    """``timestamp`` as local time in ``pattern``, or ``""`` when it is no time the OS can show."""
    try:
        return datetime.fromtimestamp(float(timestamp)).strftime(pattern)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return ""


def row_of(index: QModelIndex | QPersistentModelIndex) -> dict[str, Any] | None:
    """The thread row behind ``index``, read straight from the model (no QVariant copy)."""
    model = index.model()
    if isinstance(model, ThreadModel):
        return model.item(index.row())
    return index.data(Role.Row) if index.isValid() else None


def media_height(row: dict[str, Any]) -> int:
    """Height of the media area above the text: a preview box, an icon row, or nothing."""
    if row["type"] in PREVIEW_TYPES:
        return preview_box(row["type"]).height() + PAD // 2
    return MEDIA_HEIGHT if media_caption(row) else 0


def body_html(row: dict[str, Any]) -> str:
    """What the bubble's text area shows, as rich text (any shape of payload: see domain.shapes)."""
    item = row["item"]
    translate = QCoreApplication.translate
    parts = []
    if field(item, "context", "forwarded") is True:
        label = translate("BubbleDelegate", "Encaminhada")
        parts.append(f"<i style='color:#8696A0'>↪ {label}</i><br>")
    quoted = as_object(row.get("quoted"))
    if quoted:
        snippet = (text_at(quoted, "text") or text_at(quoted, "type"))[:120]
        parts.append(
            "<table width='100%' cellspacing='0' cellpadding='4' style='background:#00000014'>"
            f"<tr><td style='color:#667781'>{to_html(snippet)}</td></tr></table>"
        )
    if row["direction"] == "note" or (
        row["direction"] == "out" and row["author"] not in (None, "me")
    ):
        parts.append(f"<b style='color:#1FA855'>{to_html(as_text(row['author']))}</b><br>")
    text = as_text(row.get("text"))
    msg_type = as_text(row["type"])
    if msg_type == "template":
        parts.append(template_html(row))
        return "".join(parts)
    if msg_type == "revoke":
        gone = translate("BubbleDelegate", "Mensagem apagada")
        parts.append(f"<i style='color:#8696A0'>🚫 {to_html(gone)}</i>")
        return "".join(parts)
    if msg_type in ("unsupported", "unknown"):
        parts.append(f"<i>{to_html(unsupported_text(item))}</i>")
        return "".join(parts)
    if msg_type == "location":
        # Coordinates come from the event as sent: only a valid position becomes a link.
        body = field(item, "location")
        url = map_url(field(body, "latitude"), field(body, "longitude"))
        if url is not None:
            label = translate("BubbleDelegate", "Abrir no mapa")
            parts.append(f"{to_html(text)}<br>" + rich('<a href="{0}">{1}</a>', url, label))
            return "".join(parts)
    if msg_type in ("interactive", "button") and not text:
        text = reply_title(item)
    parts.append(to_html(text))
    return "".join(parts)


def reply_title(item: object) -> str:
    """The text of the button or list row a customer tapped, as far as the item says."""
    for path in (
        ("interactive", "button_reply", "title"),
        ("interactive", "list_reply", "title"),
        ("button", "text"),
        ("button", "title"),
    ):
        title = text_at(item, *path)
        if title:
            return title
    return ""


class BubbleDelegate(QStyledItemDelegate):
    # A click on a photo/sticker preview (the message row), or on a link in the text.
    preview_clicked = Signal(object)
    audio_clicked = Signal(object)  # the play/pause of a voice note or audio
    link_clicked = Signal(str)

    def __init__(self, view: QAbstractItemView, theme: str = "light") -> None:
        super().__init__(view)
        self.view = view
        self.theme = theme
        self._docs: OrderedDict[tuple[int, int, int], QTextDocument] = OrderedDict()
        # Heights outlive the laid-out documents: the view asks every loaded
        # row's size when it re-lays out (scrolling up through thousands of
        # messages), and a size is a few bytes where a document is kilobytes.
        self._sizes: dict[tuple[int, int, int], tuple[int, int, bool]] = {}
        # Photo and sticker previews (the window sets it once the session is up).
        self.thumbnails: Thumbnails | None = None
        # Voice notes play in their bubble (the window sets the player).
        self.voice: VoicePlayer | None = None
        self._bubble_width: int | None = None
        self._painted: OrderedDict[tuple[Any, ...], QPixmap] = OrderedDict()
        self._painted_bytes = 0
        self._scratch = QTextDocument()
        self._scratch.setDocumentMargin(0)
        self._scratch_font: QFont | None = None
        view.viewport().installEventFilter(self)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self._docs.clear()
        self._sizes.clear()
        self._painted.clear()
        self._painted_bytes = 0

    def forget(self, message_id: int) -> None:
        for key in [k for k in self._docs if k[0] == message_id]:
            del self._docs[key]
        for key in [k for k in self._sizes if k[0] == message_id]:
            del self._sizes[key]
        for key in [k for k in self._painted if k[0][0] == message_id]:
            self._painted_bytes -= self._painted[key].width() * self._painted[key].height() * 4
            del self._painted[key]

    def _width(self) -> int:
        if self._bubble_width is None:  # asked for every row on each re-layout: kept per resize
            width = self.view.viewport().width()
            self._bubble_width = max(200, min(MAX_BUBBLE, int(width * 0.72)))
        return self._bubble_width

    def eventFilter(self, watched: Any, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._bubble_width = None
        return False

    @staticmethod
    def _key(row: dict[str, Any], width: int) -> tuple[int, int, int]:
        shown = (row.get("text"), row.get("status"), row.get("author"), row.get("type"))
        template = getattr(row.get("template"), "text", None)
        return (row["id"], width, hash((*shown, row.get("edited"), template)))

    def _fill(self, doc: QTextDocument, row: dict[str, Any], width: int, font: QFont) -> float:
        """Lay out ``row``'s text in ``doc`` at the bubble's widest; returns the width it needs.

        One layout: text that wraps at the widest wraps the same way at the
        width it needs, so only a quoted message (a table that takes all the
        width it is given) is laid out a second time, at the bubble's width.
        """
        if doc is not self._scratch:
            doc.setDefaultFont(font)
            doc.setDocumentMargin(0)
        elif font != self._scratch_font:  # setting a font costs a re-layout: only on a change
            doc.setDefaultFont(font)
            self._scratch_font = QFont(font)
        html = body_html(row)
        doc.setHtml(html)
        doc.setTextWidth(width - 2 * PAD)
        ideal = max(min(doc.idealWidth(), width - 2 * PAD), 60)
        if "<table" in html:
            doc.setTextWidth(ideal)
        return ideal

    def _doc(self, row: dict[str, Any], width: int, font: QFont) -> QTextDocument:
        """The laid-out text of a row being painted (kept for the rows on screen and near)."""
        key = self._key(row, width)
        doc = self._docs.get(key)
        if doc is None:
            doc = QTextDocument()
            self._fill(doc, row, width, font)
            self._docs[key] = doc
            if len(self._docs) > 400:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(key)
        return doc

    def _measure(self, row: dict[str, Any], font: QFont) -> tuple[int, int]:
        """Bubble width and height, measured once on a scratch document and remembered.

        The view asks the size of every row it holds on each re-layout (a
        page prepended while scrolling back), most of them never painted: a
        scratch document spares making and freeing a document per row.
        """
        width = self._width()
        key = self._key(row, width)
        known = self._sizes.get(key)
        if known is None:
            doc = self._docs.get(key)
            if doc is None:
                doc = self._scratch
                ideal = self._fill(doc, row, width, font)
            else:
                ideal = max(min(doc.idealWidth(), width - 2 * PAD), 60)
            media = media_height(row)
            text_height = int(doc.size().height()) if doc.toPlainText().strip() else 0
            least = 140 if row.get("edited") else 90
            if row["type"] in PREVIEW_TYPES:
                least = preview_box(row["type"]).width() + 2 * PAD
            elif row["type"] == "audio":
                least = 260  # play, track, speed and length side by side
            elif media:
                least = 150
            known = (
                int(max(ideal + 2 * PAD, least)),
                text_height + 2 * PAD + FOOTER + media,
                bool(media),
            )
            self._sizes[key] = known
        return known[0], known[1]

    def _layout(self, row: dict[str, Any], font: QFont) -> tuple[QTextDocument, int, int]:
        doc = self._doc(row, self._width(), font)
        width, height = self._measure(row, font)
        return doc, width, height

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        row = row_of(index)
        if row is None:
            return QSize(0, 0)
        if row["kind"] == "day":
            return QSize(self._width(), 34)
        if row["kind"] == "activity":
            return QSize(self._width(), 30)
        _, height = self._measure(row, option.font)
        if row["reactions"]:
            height += REACTION_HEIGHT - 4
        return QSize(self._width(), height + 6)

    def bubble_rect(self, option_rect: QRect, row: dict[str, Any], font: QFont) -> QRect:
        width, height = self._measure(row, font)
        if row["direction"] == "in":
            left = option_rect.left() + 14
        elif row["direction"] == "note":
            left = option_rect.left() + (option_rect.width() - width) // 2
        else:
            left = option_rect.right() - 14 - width
        return QRect(left, option_rect.top() + 3, width, height)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = row_of(index)
        if row is None:
            return
        if row["kind"] == "day":
            self._paint_day(painter, option, row)
        elif row["kind"] == "activity":
            self._paint_activity(painter, option, row)
        elif row["type"] in PREVIEW_TYPES or row["type"] == "audio":
            self._paint_message(painter, option, row)  # changes as its media loads or plays
        else:
            painter.drawPixmap(option.rect.topLeft(), self._painted_message(painter, option, row))

    def _paint_day(
        self, painter: QPainter, option: QStyleOptionViewItem, row: dict[str, Any]
    ) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(option.font)
        width = metrics.horizontalAdvance(row["label"]) + 24
        pill = QRect(option.rect.center().x() - width // 2, option.rect.top() + 6, width, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(COLOURS.get(self.theme, COLOURS["light"])["day"]))
        painter.drawRoundedRect(pill, 8, 8)
        painter.setPen(option.palette.color(option.palette.ColorRole.Text))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, row["label"])
        painter.restore()

    def _paint_activity(
        self, painter: QPainter, option: QStyleOptionViewItem, row: dict[str, Any]
    ) -> None:
        """A team change ("Ana atribuiu a Bruno · 14:02"): one centred line, like a day."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        painter.setFont(font)
        metrics = QFontMetrics(font)
        text = metrics.elidedText(
            row["label"], Qt.TextElideMode.ElideRight, max(40, option.rect.width() - 60)
        )
        width = metrics.horizontalAdvance(text) + 24
        pill = QRect(option.rect.center().x() - width // 2, option.rect.top() + 4, width, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(COLOURS.get(self.theme, COLOURS["light"])["day"]))
        painter.drawRoundedRect(pill, 8, 8)
        painter.setPen(option.palette.color(option.palette.ColorRole.Text))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def _painted_message(
        self, painter: QPainter, option: QStyleOptionViewItem, row: dict[str, Any]
    ) -> QPixmap:
        """The row drawn once into a pixmap, kept while nothing it shows changes.

        Text drawing dominates a frame while scrolling (a bubble costs about
        half a millisecond), and a row is painted again and again as the view
        moves: repaints become a copy.
        """
        key = (
            self._key(row, self._width()),
            option.rect.width(),
            option.rect.height(),
            self.theme,
            tuple(row["reactions"]),
        )
        pixmap = self._painted.get(key)
        if pixmap is not None:
            self._painted.move_to_end(key)
            return pixmap
        ratio = painter.device().devicePixelRatioF()
        pixmap = QPixmap(option.rect.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        local = QStyleOptionViewItem(option)
        local.rect = QRect(QPoint(0, 0), option.rect.size())
        canvas = QPainter(pixmap)
        try:
            self._paint_message(canvas, local, row)
        finally:
            canvas.end()
        self._painted[key] = pixmap
        self._painted_bytes += pixmap.width() * pixmap.height() * 4
        while self._painted_bytes > PAINTED_BUDGET and len(self._painted) > 1:
            _, old = self._painted.popitem(last=False)
            self._painted_bytes -= old.width() * old.height() * 4
        return pixmap

    def _paint_message(
        self, painter: QPainter, option: QStyleOptionViewItem, row: dict[str, Any]
    ) -> None:
        colours = COLOURS.get(self.theme, COLOURS["light"])
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = option.palette.color(option.palette.ColorRole.Text)
        doc, _, _ = self._layout(row, option.font)
        bubble = self.bubble_rect(option.rect, row, option.font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours.get(row["direction"], colours["in"])))
        painter.drawRoundedRect(bubble, 8, 8)
        y = bubble.top() + PAD
        caption = media_caption(row)
        if row["type"] in PREVIEW_TYPES:
            self._paint_preview(painter, self.preview_rect(bubble, row), row, option)
            y += media_height(row)
        elif row["type"] == "audio" and self.voice is not None:
            self._paint_audio(painter, self.audio_rect(bubble), row, option)
            y += MEDIA_HEIGHT
        elif caption:
            glyph, label = caption
            tint = "#AEBAC1" if self.theme == "dark" else "#54656F"
            icon(glyph, tint).paint(painter, QRect(bubble.left() + PAD, y + 4, 24, 24))
            painter.setPen(text_colour)
            metrics = QFontMetrics(option.font)
            area = QRect(bubble.left() + PAD + 30, y, bubble.width() - 2 * PAD - 30, 32)
            painter.drawText(
                area,
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, area.width()),
            )
            y += MEDIA_HEIGHT
        painter.translate(bubble.left() + PAD, y)
        painter.setPen(text_colour)
        doc.drawContents(painter)
        painter.translate(-(bubble.left() + PAD), -y)
        # Footer: time and tick
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 2))
        painter.setFont(small)
        painter.setPen(QColor("#8696A0" if self.theme == "light" else "#AEBAC1"))
        stamp = local_time(row["timestamp"], "%H:%M")
        if row.get("edited"):  # as WhatsApp: "editada 14:32"; the original is in the tooltip
            stamp = f"{QCoreApplication.translate('BubbleDelegate', 'editada')} {stamp}"
        footer = QRect(
            bubble.left() + PAD, bubble.bottom() - FOOTER - 2, bubble.width() - 2 * PAD, FOOTER
        )
        tick_space = 20 if row["direction"] == "out" else 0
        painter.drawText(
            footer.adjusted(0, 0, -tick_space, 0),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            stamp,
        )
        if row["direction"] == "out":
            status = {"accepted": "sent"}.get(row["status"], row["status"])
            name = status if status in TICKS else "pending"
            icon(f"status-{name}").paint(painter, QRect(footer.right() - 16, footer.top(), 16, 16))
        if row["reactions"]:
            text = " ".join(row["reactions"][:6])
            metrics = QFontMetrics(option.font)
            width = metrics.horizontalAdvance(text) + 12
            pill = QRect(bubble.left() + 10, bubble.bottom() - 4, width, REACTION_HEIGHT)
            painter.setPen(QColor("#D1D7DB"))
            painter.setBrush(QColor(colours["in"]))
            painter.drawRoundedRect(pill, 10, 10)
            painter.setFont(option.font)
            painter.setPen(text_colour)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    @staticmethod
    def preview_rect(bubble: QRect, row: dict[str, Any]) -> QRect:
        box = preview_box(row["type"])
        return QRect(bubble.left() + PAD, bubble.top() + PAD, box.width(), box.height())

    def preview_at(self, option_rect: QRect, row: dict[str, Any], font: QFont, pos: QPoint) -> bool:
        """Whether ``pos`` falls on the photo or sticker preview (a click opens it full size)."""
        if row["type"] not in PREVIEW_TYPES:
            return False
        return self.preview_rect(self.bubble_rect(option_rect, row, font), row).contains(pos)

    @staticmethod
    def audio_rect(bubble: QRect) -> QRect:
        """The play/pause row of an audio bubble (a click there plays or pauses)."""
        return QRect(bubble.left() + PAD, bubble.top() + PAD, bubble.width() - 2 * PAD, 32)

    @staticmethod
    def speed_rect(audio: QRect) -> QRect:
        """The playback speed button (1×, 1.5×, 2×) at the right of an audio row's track."""
        left = audio.right() - STAMP_WIDTH - 6 - SPEED_WIDTH
        return QRect(left, audio.top() + 6, SPEED_WIDTH, 20)

    def _paint_audio(
        self, painter: QPainter, rect: QRect, row: dict[str, Any], option: QStyleOptionViewItem
    ) -> None:
        assert self.voice is not None
        self.voice.measure(row)  # its length shows before it is played, as in WhatsApp
        state = self.voice.playback(int(row["id"]))
        tint = "#AEBAC1" if self.theme == "dark" else "#54656F"
        glyph = "pause" if state.playing else ("download" if state.loading else "play")
        icon(glyph, tint).paint(painter, QRect(rect.left(), rect.top() + 4, 24, 24))
        stamp = clock(state.position_ms if state.position_ms else state.duration_ms)
        speed = self.speed_rect(rect)
        track = QRect(rect.left() + 32, rect.center().y() - 2, 0, 4)
        track.setRight(speed.left() - 10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#8696A0" if self.theme == "dark" else "#C8CFD3"))
        painter.drawRoundedRect(track, 2, 2)
        played = QRect(track)
        played.setWidth(int(track.width() * state.fraction))
        painter.setBrush(QColor("#00A884"))
        painter.drawRoundedRect(played, 2, 2)
        knob = QPoint(track.left() + played.width(), track.center().y())
        painter.drawEllipse(knob, 6, 6)
        painter.setBrush(QColor("#00000014" if self.theme == "light" else "#FFFFFF26"))
        painter.drawRoundedRect(speed, 10, 10)
        painter.setPen(option.palette.color(option.palette.ColorRole.Text))
        painter.drawText(speed, Qt.AlignmentFlag.AlignCenter, speed_label(self.voice.speed))
        painter.drawText(
            QRect(rect.right() - STAMP_WIDTH, rect.top(), STAMP_WIDTH, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            stamp,
        )

    def _paint_preview(
        self, painter: QPainter, rect: QRect, row: dict[str, Any], option: QStyleOptionViewItem
    ) -> None:
        image = self.thumbnails.image(row) if self.thumbnails is not None else None
        if image is not None:
            target = QRect(rect.topLeft(), image.size())
            target.moveCenter(rect.center())
            rounded = QPainterPath()
            rounded.addRoundedRect(QRectF(target), 6, 6)
            painter.save()
            painter.setClipPath(rounded)
            painter.drawImage(target, image)
            painter.restore()
            return
        # Not here yet (or not to be had): a quiet placeholder of the same size.
        shade = "#2A3942" if self.theme == "dark" else "#E9EDEF"
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(shade))
        painter.drawRoundedRect(rect, 6, 6)
        tint = "#AEBAC1" if self.theme == "dark" else "#54656F"
        icon("image", tint).paint(
            painter, QRect(rect.center().x() - 16, rect.center().y() - 26, 32, 32)
        )
        failed = self.thumbnails is not None and self.thumbnails.failed(int(row["id"]))
        translate = QCoreApplication.translate
        label = (
            translate("BubbleDelegate", "Prévia indisponível")
            if failed
            else translate("BubbleDelegate", MEDIA_LABELS[row["type"]][1])
        )
        painter.setPen(QColor(tint))
        painter.drawText(
            QRect(rect.left(), rect.center().y() + 10, rect.width(), 20),
            Qt.AlignmentFlag.AlignCenter,
            QFontMetrics(option.font).elidedText(label, Qt.TextElideMode.ElideRight, rect.width()),
        )

    def status_text(self, row: dict[str, Any]) -> str:
        """The tooltip over an outgoing message: its status, or why it failed."""
        translate = QCoreApplication.translate
        status = as_text(row["status"]) or "pending"
        if status == "failed":
            return explain(row["error_code"], row.get("error_name"), translate=translate)
        return translate("Status", STATUS_LABELS.get(status, status))

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        row = row_of(index)
        if event.type() == QEvent.Type.ToolTip and row and row["kind"] == "message":
            tip = self.status_text(row) if row["direction"] == "out" else ""
            if row["direction"] == "in":
                tip = local_time(row["timestamp"], "%d/%m/%Y %H:%M")
            if row.get("edited"):
                tip = f"{tip}\n{edit_note(row)}".strip()
            QToolTip.showText(event.globalPos(), tip, view)
            return True
        return super().helpEvent(event, view, option, index)

    def editorEvent(
        self,
        event: QEvent,
        model: Any,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Clicks land here with their position in the view, whoever made them."""
        row = row_of(index)
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and row
            and row["kind"] == "message"
        ):
            pos = event.position().toPoint()
            if self.preview_at(option.rect, row, option.font, pos):
                self.preview_clicked.emit(row)
                return True
            audio = self.audio_rect(self.bubble_rect(option.rect, row, option.font))
            if row["type"] == "audio" and self.voice and self.speed_rect(audio).contains(pos):
                self.voice.cycle_speed()
                return True
            if row["type"] == "audio" and audio.contains(pos):
                self.audio_clicked.emit(row)
                return True
            link = self.link_at(option.rect, row, option.font, pos)
            if link:
                self.link_clicked.emit(link)
                return True
        return super().editorEvent(event, model, option, index)

    def link_at(self, option_rect: QRect, row: dict[str, Any], font: QFont, pos: QPoint) -> str:
        """The link under a click, if any (links open in the browser)."""
        doc, _, _ = self._layout(row, font)
        bubble = self.bubble_rect(option_rect, row, font)
        top = bubble.top() + PAD + media_height(row)
        local = pos - QPoint(bubble.left() + PAD, top)
        return doc.documentLayout().anchorAt(local.toPointF())
