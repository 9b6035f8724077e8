"""Marking user-visible text for translation without importing Qt.

The domain package must stay importable (and testable) without Qt, yet its
Portuguese sentences are shown in a Qt UI that also speaks English. Qt's
``pyside6-lupdate`` finds translatable strings by the *name* of the call, so
the domain uses a function with Qt's name that does nothing at run time.
"""

from __future__ import annotations

from collections.abc import Callable

# ``QCoreApplication.translate`` has this shape; domain functions that build text
# with ``.format()`` take one (keyword ``translate``) so the UI gets finished,
# translated text. The default, QT_TRANSLATE_NOOP, keeps the Portuguese source.
Translate = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Return ``text`` unchanged; mark it for ``pyside6-lupdate`` under ``context``.

    Domain code stays Qt-free: it wraps each user-visible Portuguese source
    string in this call (string literals only, so lupdate can read them) and
    returns the Portuguese text. The UI shows it through
    ``QCoreApplication.translate(context, text)``, which looks the same
    ``(context, text)`` pair up in the loaded translation, English for example.
    Placeholders such as ``{code}`` are filled with ``.format()`` after the
    translation, never before.
    """
    return text
