"""The languages the person at this computer reads, most preferred first (``["es_MX", "en_US"]``).

gettext's own rule on POSIX (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``); on Windows those are
rarely set, so the user's display language comes from ``GetUserDefaultUILanguage`` (the language Windows
itself is shown in, which is what a clerk reads), on macOS from the locale Python was started with.
"""

from __future__ import annotations

import locale
import os
import sys

_ENV = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _from_environment() -> list[str]:
    for name in _ENV:
        value = os.environ.get(name, "").strip()
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return [part for part in value.split(":") if part]
    return []


def _windows_ui_language() -> list[str]:
    import ctypes

    try:
        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return []
    name = locale.windows_locale.get(int(lcid))
    return [name] if name else []


def system_languages() -> list[str]:
    found = _from_environment()
    if not found and sys.platform == "win32":
        found = _windows_ui_language()
    if not found:
        code = locale.getlocale(locale.LC_CTYPE)[0]
        found = [code] if code else []
    return found
