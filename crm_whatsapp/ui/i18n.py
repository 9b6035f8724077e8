"""Which language the window speaks: Brazilian Portuguese by default, English on request.

Source strings are Portuguese (the first users' language), so Portuguese
needs no catalogue of ours; English comes from ``resources/translations``.
Qt's own dialogs (file picker, buttons) get Qt's catalogue for the language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from crm_whatsapp.ui.resources import resources_dir

_installed: list[QTranslator] = []


def chosen_language(preference: str) -> str:
    """``pt_BR`` or ``en``: the preference, or the system's language when it says "system"."""
    if preference in ("pt_BR", "en"):
        return preference
    system = QLocale.system().name()
    return "en" if system.startswith("en") else "pt_BR"


def install(app: QApplication, preference: str) -> str:
    """Swap the application's translators; returns the language now in use."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    language = chosen_language(preference)
    ours = QTranslator(app)
    if ours.load(str(resources_dir() / "translations" / f"crm_whatsapp_{language}.qm")):
        app.installTranslator(ours)
        _installed.append(ours)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", qt_dir):
        app.installTranslator(qt)
        _installed.append(qt)
    QLocale.setDefault(QLocale("pt_BR" if language == "pt_BR" else "en_US"))
    return language


def problem(error: BaseException | str) -> str:
    """The sentence of a core error in the window's language.

    The engine (store, sync, keys, session) words its errors in Portuguese
    and marks each fixed sentence with ``QT_TRANSLATE_NOOP("Problems", …)``;
    the window looks the sentence up here. A sentence built with details
    (a keyring's name) has no entry and stays in Portuguese.
    """
    return QCoreApplication.translate("Problems", str(error))
