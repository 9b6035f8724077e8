"""The 24-hour customer service window, as the conversation list shows it.

Free-form messages reach a customer only within 24 hours of their last
message; after that only an approved template can. The attendant should see
that coming ("closing" in the last 2 hours) rather than learn it from a failed
send. Computed locally from the last inbound timestamp; Meta's answer (error
131047, see ``meta_errors``) still wins when they disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crm_whatsapp.domain.i18n import QT_TRANSLATE_NOOP, Translate

WINDOW_SECONDS = 24 * 3600.0
CLOSING_SECONDS = 2 * 3600.0

WindowKind = Literal["open", "closing", "closed", "none"]


@dataclass(frozen=True)
class WindowState:
    """``none``: the customer never wrote; ``seconds_left`` is 0 unless open or closing."""

    kind: WindowKind
    expires_at: float | None
    seconds_left: float


def window_state(last_inbound_at: float | None, now: float) -> WindowState:
    """Where the window stands at ``now`` (epoch seconds) after the customer's last message."""
    if last_inbound_at is None:
        return WindowState("none", None, 0.0)
    expires_at = last_inbound_at + WINDOW_SECONDS
    # A customer clock ahead of ours must not promise more than 24 hours.
    left = min(max(0.0, expires_at - now), WINDOW_SECONDS)
    if left <= 0:
        return WindowState("closed", expires_at, 0.0)
    return WindowState("closing" if left < CLOSING_SECONDS else "open", expires_at, left)


def format_left(seconds: float, *, translate: Translate = QT_TRANSLATE_NOOP) -> str:
    """Time left, short and never rounded up: "23 h", "1 h 05 min", "12 min", "menos de 1 min"."""
    minutes_total = int(max(0.0, seconds) // 60)
    hours, minutes = divmod(minutes_total, 60)
    if minutes_total < 1:
        return translate("Window", QT_TRANSLATE_NOOP("Window", "menos de 1 min"))
    if hours < 1:
        return translate("Window", QT_TRANSLATE_NOOP("Window", "{minutes} min")).format(
            minutes=minutes
        )
    if hours < CLOSING_SECONDS // 3600:
        pattern = QT_TRANSLATE_NOOP("Window", "{hours} h {minutes:02d} min")
        return translate("Window", pattern).format(hours=hours, minutes=minutes)
    return translate("Window", QT_TRANSLATE_NOOP("Window", "{hours} h")).format(hours=hours)
