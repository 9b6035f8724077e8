"""Reading fields of a message as shown, whatever shape the event gave them.

A message's payload is Meta's item as the relay passed it on: any field may be
missing, ``null``, a number where text is documented, a list where an object
is. Renderers read through these accessors, which answer the documented type
or an empty value, so a malformed message draws as less text instead of
raising while a thread is painted.

No Qt in this module: the rules are tested as plain functions.
"""

from __future__ import annotations

from typing import Any


def as_object(value: object) -> dict[str, Any]:
    """``value`` if it is an object (a dict), else an empty one."""
    return value if isinstance(value, dict) else {}


def as_objects(value: object) -> list[dict[str, Any]]:
    """The objects in ``value`` if it is a list (other elements skipped), else none."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def as_text(value: object) -> str:
    """``value`` if it is a string, else ``""`` (a number or object is not text to show)."""
    return value if isinstance(value, str) else ""


def field(value: object, *path: str) -> Any:
    """The value at ``path`` inside nested objects, or None where any step is not an object."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text_at(value: object, *path: str) -> str:
    """The text at ``path`` inside nested objects, or ``""``."""
    return as_text(field(value, *path))
