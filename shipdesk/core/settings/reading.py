"""Reading settings tables from parsed TOML, driven by the declarations (see ``schema``).

Every value is checked against its declaration; a wrong one raises ``ConfigError`` with a sentence
that names where it was read (the file), the key and what is expected. A key or section that is not
declared is an error too, naming the closest declared one: a misspelled key is never silently ignored.
Keys a table lists as ``RETIRED`` are read from old files and ignored.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from shipdesk.core.settings.schema import Key, Kind, Table, choice, keys_of
from shipdesk.errors import ConfigError
from shipdesk.i18n import N_, _

log = logging.getLogger(__name__)
T = TypeVar("T", bound=Table)
_HINT = N_("Correct or remove it: docs/configuration.md lists every setting.")


def read_table(cls: type[T], data: Mapping[str, Any], where: str, section: str = "") -> T:
    """The ``cls`` table read from ``data`` (the TOML table at ``section``; ``where`` names the file)."""
    keys = {key.name: key for key in keys_of(cls)}
    for name, value in data.items():
        if name in cls.RETIRED:
            log.info("In %s, %s is no longer used (%s); it can be removed.", where,
                     _shown(section, name), cls.RETIRED[name])
        elif name not in keys:
            raise _unknown(where, section, name, value, list(keys))
    values = {key.name: _value(key, data, where, section) for key in keys.values()}
    result = cls(**values)
    broken = result.invalid_setting()
    if broken:
        raise _fail(where, section, data, *broken)
    return result


def _value(key: Key, data: Mapping[str, Any], where: str, section: str) -> Any:
    name, about = key.name, key.setting
    if name not in data:
        if not key.has_default:
            raise _fail(where, section, data, name, _expected_text(key))
        return key.default
    value = data[name]

    def fail(expected: str) -> ConfigError:
        return _fail(where, section, data, name, expected)

    kind, path = key.kind, f"{section}.{name}" if section else name
    if kind in (Kind.TABLE, Kind.TABLES):
        return _tables(key, value, where, path, fail)
    if kind is Kind.DATA_TABLE:
        return _data_table(key, value, where, path, fail)
    if kind is Kind.FLAG:
        if not isinstance(value, bool):
            raise fail(_("true or false (no quotes)"))
        return value
    if kind in (Kind.WHOLE, Kind.NUMBER):
        whole = kind is Kind.WHOLE
        numeric = isinstance(value, int) if whole else isinstance(value, int | float)
        low, high = about.low, about.high
        if isinstance(value, bool) or not numeric or (low is not None and value < low) or (
                high is not None and value > high):
            raise fail(_range(whole, low, high))
        return value if whole else float(value)
    if kind is Kind.TEXTS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(_('a list of texts, like ["A", "B"]'))
        texts = tuple(v.strip() for v in value if v.strip())
        return texts if texts or key.setting.required else key.default
    if not isinstance(value, str):
        raise fail(_expected_text(key))
    if kind is Kind.CHOICE:
        try:
            return choice(key.item, value)
        except ValueError:
            raise fail(_("one of {choices}").format(choices=", ".join(key.item))) from None
    return _text(key, value.strip(), fail)


def _text(key: Key, text: str, fail: Callable[[str], ConfigError]) -> str:
    about = key.setting
    if not text:  # an empty optional key means its default; an empty required one stays empty to be named
        if not key.has_default:
            raise fail(_expected_text(key))
        return text if about.required else key.default
    if about.web_address:
        text = text.rstrip("/")
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise fail(_('a web address starting with https://, like "{example}"').format(example=about.example))
    if about.upper:
        text = text.upper()
    if about.max_length and len(text) > about.max_length:
        raise fail(_("at most {count} characters").format(count=about.max_length))
    if about.pattern and not re.fullmatch(about.pattern, text):
        raise fail(_(about.expect))  # i18n: the declarations are in the catalogue
    return text


def _data_table(key: Key, value: Any, where: str, path: str, fail: Callable[[str], ConfigError]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise fail(_("a table ([{path}])").format(path=path))
    out: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(text, str):
            raise _fail(where, path, value, name, _expected_text(key))
        text = text.strip()
        if key.setting.pattern and not re.fullmatch(key.setting.pattern, text):
            raise _fail(where, path, value, name, _(key.setting.expect))  # i18n: the declarations are in the catalogue
        out[str(name).strip()] = text
    return out


def _tables(key: Key, value: Any, where: str, path: str, fail: Callable[[str], ConfigError]) -> Any:
    if key.kind is Kind.TABLE:
        if not isinstance(value, Mapping):
            raise fail(_("a table ([{path}])").format(path=path))
        return read_table(key.item, value, where, path)
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise fail(_("a list of [[{path}]] tables").format(path=path))
    return tuple(read_table(key.item, item, where, f"{path} #{n}") for n, item in enumerate(value, start=1))


def _expected_text(key: Key) -> str:
    return _('text in quotes, like "{example}"').format(example=key.setting.example or "value")


def _range(whole: bool, low: float | None, high: float | None) -> str:
    """``a whole number from 1 to 20``, ``a number of at least 0.5``..."""
    values = {"low": f"{low:g}" if low is not None else "", "high": f"{high:g}" if high is not None else ""}
    if low is not None and high is not None:
        said = _("a whole number from {low} to {high}") if whole else _("a number from {low} to {high}")
    elif low is not None:
        said = _("a whole number of at least {low}") if whole else _("a number of at least {low}")
    elif high is not None:
        said = _("a whole number of at most {high}") if whole else _("a number of at most {high}")
    else:
        said = _("a whole number") if whole else _("a number")
    return said.format(**values)


def _shown(section: str, name: str) -> str:
    return f"[{section}] {name}" if section else name


def _fail(where: str, section: str, data: Mapping[str, Any], name: str, expected: str) -> ConfigError:
    found = _show(data[name]) if name in data else _("missing")
    return ConfigError(_("In {where}, {shown} must be {expected} (found {found}).").format(
                           where=where, shown=_shown(section, name), expected=expected, found=found))


def _unknown(where: str, section: str, name: str, value: Any, known: list[str]) -> ConfigError:
    def shown(key: str, table: bool) -> str:
        return f"[{section}.{key}]" if table and section else f"[{key}]" if table else key

    is_table = isinstance(value, Mapping)
    what = shown(name, True) if is_table else _shown(section, name)
    close = difflib.get_close_matches(name.lower(), [k.lower() for k in known], n=1, cutoff=0.6)
    said = _("In {where}, {name} is not a section;") if is_table else _("In {where}, {name} is not a setting;")
    said = said.format(where=where, name=what)
    if close:
        tail = _("did you mean {name}?").format(name=shown(known[[k.lower() for k in known].index(close[0])], is_table))
    elif section:
        tail = _("[{section}] has {names}.").format(section=section, names=", ".join(known))
    else:
        tail = _("the sections are {names}.").format(names=", ".join(shown(k, True) for k in known))
    return ConfigError(f"{said} {tail}", hint=_(_HINT))  # i18n: N_()-marked above


#: ``scheme://user:password@``: a password typed into an address is never repeated in a sentence
_PASSWORD_IN_URL = re.compile(r"(//[^/@:\s]*):[^@/\s]*@")


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    text = repr(value) if isinstance(value, str) else str(value)
    text = _PASSWORD_IN_URL.sub(r"\1:***@", text)
    return text if len(text) <= 60 else text[:57] + "..."
