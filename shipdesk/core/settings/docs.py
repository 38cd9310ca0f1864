"""The key tables of docs/configuration.md, made from the declarations in ``config``.

Each table sits between ``<!-- settings: SECTION -->`` and ``<!-- /settings -->``; the prose around
the tables is written by hand. ``python -m shipdesk.core.settings.docs [FILE]`` rewrites the tables
in place; ``--check`` only says what is out of date (a test runs it, so a declared key that is not
documented, or a documented key that is not declared, fails the suite).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from shipdesk.core.settings.config import Config
from shipdesk.core.settings.schema import Key, Kind, sections

DEFAULT_FILE = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"
_BLOCK = re.compile(r"(<!-- settings: (?P<section>[\w.]+) -->\n)(?P<body>.*?)(<!-- /settings -->)", re.S)
_ROW_KEY = re.compile(r"^\| `(\w+)`", re.M)


def documented_sections() -> dict[str, str]:
    """Section path → its generated Markdown table, for every section that declares keys of its own."""
    out = {}
    for path, cls, keys in sections(Config):
        rows = [_row(key) for key in keys if key.kind not in (Kind.TABLE, Kind.TABLES)]
        rows += [f"| `{name}` | — | — | Retired: {why}. shipdesk ignores it. |" for name, why in cls.RETIRED.items()]
        if rows:
            out[path] = "\n".join(["| Key | Type | Default | Meaning |", "|---|---|---|---|", *rows]) + "\n"
    return out


def _row(key: Key) -> str:
    mark = " *" if key.setting.required is True or not key.has_default else ""
    meaning = key.setting.help.replace("|", "\\|").replace("\n", " ")
    return f"| `{key.name}`{mark} | {_type(key)} | {_default(key)} | {meaning} |"


def _type(key: Key) -> str:
    about = key.setting
    if key.kind is Kind.CHOICE:
        return " \\| ".join(f'`"{member.value}"`' for member in key.item)
    if key.kind in (Kind.WHOLE, Kind.NUMBER) and about.low is not None and about.high is not None:
        return f"{key.kind.value} {about.low:g}–{about.high:g}"
    return key.kind.value


def _default(key: Key) -> str:
    if not key.has_default:
        return "—"
    value: Any = key.default
    if isinstance(value, bool):
        shown = str(value).lower()
    elif isinstance(value, tuple | list):
        shown = json.dumps([str(v) for v in value])
    elif isinstance(value, dict):
        shown = "{}" if not value else json.dumps(value)
    elif isinstance(value, int | float):
        shown = repr(value)
    else:
        shown = json.dumps(str(value))
    return f"`{shown}`"


def problems(text: str) -> list[str]:
    """What is out of date in the documentation ``text`` (empty: nothing)."""
    wanted = documented_sections()
    found: dict[str, str] = {m["section"]: m["body"] for m in _BLOCK.finditer(text)}
    out = [f"[{s}] is documented but not declared." for s in found if s not in wanted]
    for section, table in wanted.items():
        if section not in found:
            out.append(f"[{section}] has no <!-- settings: {section} --> table.")
            continue
        declared, documented = _ROW_KEY.findall(table), _ROW_KEY.findall(found[section])
        out += [f"[{section}] {k} is declared but not documented." for k in declared if k not in documented]
        out += [f"[{section}] {k} is documented but not declared." for k in documented if k not in declared]
        if found[section] != table and sorted(declared) == sorted(documented):
            out.append(f"[{section}]'s table differs from the declarations.")
    return out


def render(text: str) -> str:
    """``text`` with every settings table made again from the declarations."""
    wanted = documented_sections()
    return _BLOCK.sub(lambda m: m[1] + wanted.get(m["section"], m["body"]) + m[4], text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the key tables of docs/configuration.md again.")
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--check", action="store_true", help="only list what is out of date (exit 1 if any)")
    args = parser.parse_args(argv)
    text = args.file.read_text(encoding="utf-8")
    if args.check:
        found = problems(text)
        print("\n".join(found) or f"{args.file}: the settings tables are up to date.")
        return 1 if found else 0
    args.file.write_text(render(text), encoding="utf-8")
    missing = [p for p in problems(render(text)) if "no <!--" in p or "not declared" in p]
    print("\n".join(missing) or f"{args.file}: the settings tables are made from the declarations.")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
