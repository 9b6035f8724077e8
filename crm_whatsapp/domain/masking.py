"""A customer's phone as the audit trail shows it: enough to tell who, not enough to dial.

The trail is read by the office's manager and exported to files that
travel; it names the customer an action touched with the country and
area code and the last four digits (``+55 11 9••••-4321``), the way banks
print a card number.
"""

from __future__ import annotations

from crm_whatsapp.domain.phones import display_phone

MASK = "•"
_KEEP_END = 4
_KEEP_START = 4  # Brazil: 55 and the area code


def masked_phone(wa_id: str | None) -> str:
    """``"5511987654321"`` -> ``"+55 11 9••••-4321"``; ``""`` for no digits."""
    shown = display_phone(wa_id)
    total = sum(ch.isdigit() for ch in shown)
    if not total:
        return ""
    keep_start = max(0, min(_KEEP_START, total - _KEEP_END - 4))
    out: list[str] = []
    seen = 0
    for ch in shown:
        if ch.isdigit():
            seen += 1
            if keep_start < seen <= total - _KEEP_END:
                ch = MASK
        out.append(ch)
    return "".join(out)
