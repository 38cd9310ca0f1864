"""The process's language: which catalogue ``_()`` reads, chosen once at start (the setting, else the OS's)."""

from __future__ import annotations

import gettext
import logging
import threading
from pathlib import Path

from shipdesk.i18n.system_language import system_languages
from shipdesk.resources import resource_path

log = logging.getLogger(__name__)

DOMAIN = "shipdesk"
#: the languages with a catalogue, by code; English is the source text
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fr": "Français"}

_lock = threading.Lock()
_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"
_locale = "en_US"


def locale_dir() -> Path:
    return resource_path("locale")


def _(message: str) -> str:
    """``message`` in the chosen language (itself when the catalogue has no translation)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for ``count`` in the chosen language (French says "1 colis", "0 colis": its own rules)."""
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it yet (a constant defined at import time)."""
    return message


def current_language() -> str:
    """The language code in use: ``en``, ``es``, ``fr``."""
    return _language


def current_locale() -> str:
    """How numbers and amounts are written: the OS's region when it speaks the chosen language (``es_MX``:
    ``1,234.50``), else the language's own (``es``: ``1.234,50``)."""
    return _locale


def _split(code: str) -> tuple[str, str]:
    """``es-MX``, ``es_MX.UTF-8`` → (``es``, ``MX``)."""
    parts = code.replace("-", "_").split(".")[0].split("@")[0].strip().split("_")
    return parts[0].lower(), (parts[1].upper() if len(parts) > 1 else "")


def pick_locale(setting: str, system: list[str] | None = None) -> tuple[str, str]:
    """(language, locale) to use: the setting when it names a language we have, else the first of the OS's
    languages we have, else English; the locale keeps the OS's region when its language is the one used.

    ``es_MX``, ``fr-CA`` and ``fr_FR.UTF-8`` all match their language's catalogue.
    """
    system = system if system is not None else system_languages()
    wanted = [setting] if setting.strip() and setting != "system" else system
    language = next((base for base, _region in map(_split, wanted) if base in LANGUAGES), "en")
    region = next((region for base, region in map(_split, system) if base == language and region), "")
    return language, f"{language}_{region}" if region else language


def use_language(code: str) -> str:
    """Make ``code`` the process's language (``"system"`` or ``""``: the OS's); returns the one used.

    A missing or unreadable catalogue falls back to English with a line in the log, never an error: the
    app must start whatever happened to its files.
    """
    global _translations, _language, _locale
    chosen, locale = pick_locale(code)
    translations: gettext.NullTranslations = gettext.NullTranslations()
    if chosen != "en":
        try:
            translations = gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[chosen])
        except OSError as exc:
            log.warning("no %s catalogue (%s): English is used", chosen, exc)
            chosen, locale = "en", "en_US"
    with _lock:
        _translations, _language, _locale = translations, chosen, locale
    return chosen
