"""Translations: one gettext catalogue for the core's sentences, the command line and the desktop app.

Everything a person reads goes through ``_()`` (or ``ngettext()`` when a number decides the form); text
defined before the language is known (module constants, settings declarations) is marked with ``N_()`` and
translated where it is shown. Electrum and MusicBrainz Picard do the same with one gettext catalogue for
their Qt windows; Qt's own words (the buttons of a message box, a line edit's menu) come from the
``qtbase_xx.qm`` files PySide6 ships, installed by ``shipdesk.ui.translation``.

The catalogues live in ``resources/locale/<language>/LC_MESSAGES/shipdesk.po`` (with the compiled ``.mo``
beside them); ``python -m shipdesk.core.catalogue`` extracts, merges and compiles them, ``--check`` fails
when one is out of date. Log lines stay in English: they are read by whoever supports the site.
"""

from __future__ import annotations

from shipdesk.i18n.language import (
    LANGUAGES,
    N_,
    _,
    current_language,
    current_locale,
    ngettext,
    use_language,
)

__all__ = ["LANGUAGES", "N_", "_", "current_language", "current_locale", "ngettext", "use_language"]
