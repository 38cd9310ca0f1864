"""Qt's own words in the chosen language: the buttons of message boxes and button boxes, a text field's menu.

shipdesk's words come from its gettext catalogue (``shipdesk.i18n``); Qt's come from the ``qtbase_xx.qm``
files PySide6 ships in its translations folder (the frozen build carries them too, see
``packaging/shipdesk.spec``). ``QLocale.setDefault`` makes the spin boxes and dates follow the same language.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from shipdesk.i18n import current_language, current_locale

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer


def install_qt_translations(app: QCoreApplication) -> None:
    """Load Qt's catalogue for the process's language (chosen by ``shipdesk.i18n.use_language``)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    language = current_language()
    QLocale.setDefault(QLocale(current_locale()))
    if language == "en":
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _installed.append(translator)
    else:
        log.warning("Qt's %s catalogue is not in %s: Qt's own buttons stay in English", language, folder)
