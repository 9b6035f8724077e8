"""Rich text built from data that someone else wrote: names, messages, template fields.

Qt guesses the format of a label, a tooltip or a message box (``Qt.AutoText``):
whatever *looks* like HTML is rendered as HTML, images are loaded from any
path and anchors point anywhere. A customer controls their WhatsApp name and
every message; a relay controls every event field. So data never reaches
rich text raw: it is escaped piece by piece here, the markup around it is
ours, and links are opened only for the schemes listed here.

No Qt in this module: the rules are tested as plain functions.
"""

from __future__ import annotations

import html
import math
from typing import Final

# What a click on a link may open: the web, e-mail, phone calls, and our own
# click-to-chat URLs. Never ``file:`` (local files, .desktop launchers),
# ``javascript:``, ``data:`` or a scheme some other program registered.
SAFE_LINK_SCHEMES: Final = frozenset({"http", "https", "mailto", "tel", "crm-whatsapp"})
_MAP = "https://www.openstreetmap.org/?mlat={0}&mlon={1}#map=17/{0}/{1}"


def escape_rich(value: object) -> str:
    """``value`` as rich text that shows exactly its characters (quotes too, for attributes)."""
    return html.escape(str(value), quote=True)


def rich(template: str, *args: object, **kwargs: object) -> str:
    """``template.format(...)`` with every argument escaped: the template is ours, the data not.

    An argument inside an attribute must be in double quotes: Qt decodes the
    escapes of ``"..."`` values only (``'a&amp;b'`` stays ``a&amp;b``).
    """
    return template.format(
        *(escape_rich(a) for a in args), **{k: escape_rich(v) for k, v in kwargs.items()}
    )


def plain_as_rich(text: str) -> str:
    """Plain ``text`` for a place where Qt guesses the format (tooltips, message boxes).

    Escaping alone is not enough there: escaped text with no tag left is taken
    as plain and shows ``&lt;`` to the reader. Wrapping it in a paragraph makes
    Qt read it as rich text, so the escapes show as the characters they stand
    for; ``pre-wrap`` keeps the line breaks and runs of spaces of the original.
    """
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{escape_rich(text)}</p>"


def is_safe_scheme(scheme: str) -> bool:
    """Whether a link with this scheme may be opened outside the app."""
    return scheme.lower() in SAFE_LINK_SCHEMES


def coordinate(value: object, limit: float) -> float | None:
    """A latitude (``limit`` 90) or longitude (180) as a number, or None if it is not one.

    Meta sends numbers; anything else (text, booleans, NaN, out of range) came
    from a malformed or hostile event and gets no map link.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


def map_url(latitude: object, longitude: object) -> str | None:
    """The OpenStreetMap address of a shared location, or None when it has no valid position."""
    lat, lon = coordinate(latitude, 90.0), coordinate(longitude, 180.0)
    if lat is None or lon is None:
        return None
    return _MAP.format(f"{lat:.6f}", f"{lon:.6f}")


def notification_body(text: str, *, markup: bool, limit: int = 120) -> str:
    """The body of a desktop notification that shows ``text`` as typed, cut to ``limit``.

    Notification servers that announce ``body-markup`` (GNOME Shell, KDE
    Plasma, dunst, mako…) read the body as a subset of HTML: ``<b>``, ``<i>``,
    ``<a href>``, ``<img src>``. For them the text is escaped. Any other way a
    message reaches the screen (servers without markup, Qt's own balloon,
    Windows, macOS) shows the body as it is, where an escape would show as
    ``&lt;``. The text is cut before escaping, so no entity is cut in half.
    """
    cut = text[:limit]
    return html.escape(cut, quote=False) if markup else cut
