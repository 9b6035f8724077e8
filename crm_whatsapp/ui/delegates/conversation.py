"""Paints one conversation row: avatar, name, time, preview, badges, window state.

Besides: a pin mark, the status when it is not "open" (Pendente, Adiada até
…), the labels as chips in their palette colours, and the unread dot of a
conversation the attendant marked as unread.

Rows have one fixed height (the view sets uniform item sizes), so 10,000 of
them lay out instantly and only the visible ones are ever painted.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from crm_whatsapp.domain.dates import list_time
from crm_whatsapp.domain.markup import plain_preview
from crm_whatsapp.domain.shapes import as_text
from crm_whatsapp.domain.window import format_left
from crm_whatsapp.ui.activity import status_text
from crm_whatsapp.ui.models.conversations import Role
from crm_whatsapp.ui.swatches import text_on

ROW_HEIGHT = 68
GREEN = QColor("#25D366")
AMBER = QColor("#F59E0B")
GREY = QColor("#8696A0")
AVATAR_COLOURS = ["#00A884", "#53BDEB", "#FFBC38", "#E26A6A", "#9B7AE0", "#35CD96", "#F78B5C"]


def initials(name: str) -> str:
    """Two letters of the name, or a number's last two digits (``+55 41 99654-3210``: 10)."""
    parts = [p for p in name.replace("+", " ").split() if p and p[0].isalnum()]
    if not parts:
        return "?"
    if parts[0].isdigit():
        return "".join(ch for ch in name if ch.isdigit())[-2:]
    return (parts[0][0] + (parts[1][0] if len(parts) > 1 else "")).upper()


def list_when(timestamp: object) -> str:
    """When the last message came, as the list shows it; ``""`` for none or no valid time."""
    if not isinstance(timestamp, int | float) or isinstance(timestamp, bool) or not timestamp:
        return ""
    try:
        return list_time(timestamp, time.time(), translate=QCoreApplication.translate)
    except (ValueError, OverflowError, OSError):
        return ""


def window_text(row: dict[str, Any]) -> tuple[str, QColor | None]:
    state = row["window"]
    translate = QCoreApplication.translate
    if state.kind == "open":
        return format_left(state.seconds_left, translate=translate), GREEN
    if state.kind == "closing":
        return format_left(state.seconds_left, translate=translate), AMBER
    if state.kind == "closed":
        return translate("ConversationDelegate", "janela fechada"), GREY
    return "", None


class ConversationDelegate(QStyledItemDelegate):
    # Label name -> #RRGGBB, from the team's palette (set by ui.team_wiring).
    colours: dict[str, str] = {}  # noqa: RUF012 (replaced whole, never mutated)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width(), ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        row = index.data(Role.Row)
        if row is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hovered:
            painter.fillRect(
                rect,
                palette.color(
                    QPalette.ColorRole.Midlight
                    if hovered and not selected
                    else QPalette.ColorRole.Mid
                ),
            )
        text_colour = palette.color(QPalette.ColorRole.Text)
        name = as_text(index.data(Qt.ItemDataRole.DisplayRole))
        # Avatar
        avatar = QRect(rect.left() + 10, rect.top() + 10, 48, 48)
        colour = QColor(AVATAR_COLOURS[row["contact_id"] % len(AVATAR_COLOURS)])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(avatar)
        painter.setPen(QColor("white"))
        font = QFont(option.font)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, initials(name))
        # Time, top right
        left = avatar.right() + 12
        right = rect.right() - 10
        when = list_when(row["last_message_at"])
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        painter.setFont(small)
        metrics = QFontMetrics(small)
        unread = bool(row["unread"]) or bool(row.get("marked_unread"))
        painter.setPen(GREEN if unread else GREY)
        time_width = metrics.horizontalAdvance(when) + 4
        painter.drawText(
            QRect(right - time_width, rect.top() + 12, time_width, 18),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            when,
        )
        # Name
        bold = QFont(option.font)
        bold.setBold(unread)
        painter.setFont(bold)
        painter.setPen(text_colour)
        name_right = right - time_width - 6
        if row.get("pinned"):
            pin_rect = QRect(name_right - 18, rect.top() + 10, 18, 22)
            painter.drawText(pin_rect, Qt.AlignmentFlag.AlignCenter, "📌")
            name_right = pin_rect.left() - 2
        name_rect = QRect(left, rect.top() + 10, name_right - left, 22)
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width()),
        )
        # Unread badge, bottom right
        badge_right = right
        if row["unread"]:
            count = str(row["unread"]) if row["unread"] < 1000 else "999+"
            width = max(20, metrics.horizontalAdvance(count) + 10)
            badge = QRect(right - width, rect.top() + 36, width, 20)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(GREEN)
            painter.drawRoundedRect(badge, 10, 10)
            painter.setPen(QColor("white"))
            painter.setFont(small)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, count)
            badge_right = badge.left() - 6
        elif row.get("marked_unread"):
            mark = QRect(right - 14, rect.top() + 39, 14, 14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(GREEN)
            painter.drawEllipse(mark)
            badge_right = mark.left() - 6
        # Window state and assignee, small, before the badge
        painter.setFont(small)
        # (text, colour, chip): a chip is painted filled, in the label's colour.
        extras: list[tuple[str, QColor, bool]] = []
        label, colour = window_text(row)
        status = row.get("status")
        if status in ("pending", "snoozed"):
            extras.append((status_text(status, row.get("snoozed_until")), AMBER, False))
        assignee = as_text(row["assignee"])
        if assignee:
            extras.append(("@" + assignee, GREY, False))
        labels = row["labels"] if isinstance(row["labels"], list) else []
        for tag in [t for t in labels if isinstance(t, str)][:2]:
            known = self.colours.get(tag)
            extras.append((tag, QColor(known), True) if known else ("#" + tag, GREY, False))
        if label:
            extras.append((label, colour or GREY, False))
        x = badge_right
        for text, colour, chip in reversed(extras):
            width = metrics.horizontalAdvance(text) + (12 if chip else 6)
            if x - width < left + 80:
                break
            box = QRect(x - width, rect.top() + 36, width, 20)
            if chip:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(box.adjusted(0, 2, 0, -2), 6, 6)
                painter.setPen(QColor(text_on(colour.name())))
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            else:
                painter.setPen(colour)
                painter.drawText(
                    box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text
                )
            x -= width + 4
        # Preview
        painter.setPen(GREY)
        preview = plain_preview(as_text(row["preview"]))
        preview_rect = QRect(left, rect.top() + 36, x - left - 4, 20)
        painter.drawText(
            preview_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(preview, Qt.TextElideMode.ElideRight, preview_rect.width()),
        )
        painter.restore()
