"""crm-whatsapp desktop inbox: the attendant's window over an encrypted local history."""

__version__ = "0.1.0"

import os as _os

# qasync picks the first Qt binding it can import; ours is PySide6.
_os.environ.setdefault("QT_API", "pyside6")
