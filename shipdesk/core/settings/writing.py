"""Writing a settings table into an existing TOML file without losing the admin's comments.

tomlkit edits the document in place, so comments, key order and layout survive. Only values that
changed are touched, and a key the file does not have is only added when its value differs from its
declared default: the admin's file stays short. Which keys are data tables (their removed keys are
removed from the file) and which are arrays of tables comes from the declarations (see ``schema``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from shipdesk.core.settings.schema import Key, Kind, keys_of, plain
from shipdesk.core.settings.schema import Table as SettingsTable
from shipdesk.errors import ConfigError
from shipdesk.i18n import _


def write_table(path: str | os.PathLike[str], value: SettingsTable) -> None:
    """Write ``value`` (the root table) to ``path``, keeping the file's comments, layout and retired keys."""
    file = Path(path)
    try:
        existing = file.read_text(encoding="utf-8-sig") if file.exists() else ""
        document = tomlkit.parse(existing)
    except Exception as exc:  # tomlkit raises its own parse errors
        raise ConfigError(_("The config file {file} is not valid TOML, so shipdesk will not overwrite it.").format(
                              file=file),
                          hint=_("Fix or move the file, then save the settings again.")) from exc
    _merge(document, type(value), plain(value))
    tmp = file.with_name(file.name + ".tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(tomlkit.dumps(document), encoding="utf-8")
        os.replace(tmp, file)  # atomic: a crash never leaves half a config
    except OSError as exc:
        raise ConfigError(_("The config file {file} cannot be written ({strerror}).").format(
                              file=file, strerror=exc.strerror),
                          hint=_("Check that this user may write to that folder.")) from exc


def _merge(target: Any, cls: type, wanted: Mapping[str, Any]) -> None:
    """Write the ``cls`` table's values into the tomlkit container, touching only what changed."""
    for key in keys_of(cls):
        value, current = wanted[key.name], target.get(key.name)
        if current is None and not _differs(key, value):
            continue
        if key.kind is Kind.TABLE:
            if not isinstance(current, Table | dict) or isinstance(current, AoT):
                target[key.name] = tomlkit.table()
            _merge(target[key.name], key.item, value)
        elif key.kind is Kind.DATA_TABLE:
            if not isinstance(current, Table | dict):
                target[key.name] = current = tomlkit.table()
            for stale in [k for k in current if k not in value]:
                del current[stale]  # a Ship Via removed in the settings leaves the file
            for name, text in value.items():
                if _unwrap(current.get(name)) != text:
                    current[name] = text
        elif key.kind is Kind.TABLES:
            _merge_array(target, key, value, current)
        elif _unwrap(current) != value or current is None:
            target[key.name] = value


def _merge_array(target: Any, key: Key, items: list[dict[str, Any]], current: Any) -> None:
    if isinstance(current, AoT) and len(current) == len(items):
        for table, item in zip(current, items, strict=True):
            _merge(table, key.item, item)  # the same tables: keep their comments
    elif _unwrap(current) != items:
        aot = tomlkit.aot()
        for item in items:
            table = tomlkit.table()
            _merge(table, key.item, item)
            aot.append(table)
        target[key.name] = aot


def _differs(key: Key, value: Any) -> bool:
    """Whether a value the file does not hold must be written (it is not the declared default)."""
    return not key.has_default or value != plain(key.default)


def _unwrap(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value
