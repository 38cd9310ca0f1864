"""Keep the catalogues current: ``python -m shipdesk.core.catalogue [--check]``.

With no flag: extract every marked message (``_``, ``N_``, ``ngettext``) from ``shipdesk/`` and every
label, help text and choice of the settings declarations into ``resources/locale/shipdesk.pot``, merge it
into each language's ``shipdesk.po`` (a new message comes in untranslated, a changed one fuzzy), and compile
each ``.mo``. ``--check`` changes nothing and exits 1 naming what is out of date (a test runs it).

References name the file without the line (``#: shipdesk/ui/window/toolbar.py``) so that moving code
does not churn the catalogues; a translator still sees where a sentence is shown.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from shipdesk.i18n.language import DOMAIN, LANGUAGES, locale_dir

PACKAGE = Path(__file__).resolve().parent.parent  # shipdesk/
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
#: not shipdesk's words: the sandboxes speak for UPS and Acumatica
SKIPPED = ("sandbox",)
SETTINGS_SOURCE = "shipdesk/core/settings/config.py"
WIDTH = 100


Text = str | tuple[str, ...]  # a message, or ngettext's (singular, plural)


def _source_messages() -> Iterator[tuple[Text, str, list[str]]]:
    def keep(path: str) -> bool:
        return Path(path).name not in SKIPPED and Path(path).name != "__pycache__"

    for filename, _line, message, comments, _context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True, directory_filter=keep):
        yield message, f"shipdesk/{Path(filename).as_posix()}", list(comments)


def _settings_messages() -> Iterator[tuple[str, str, list[str]]]:
    from shipdesk.core.settings.config import Config
    from shipdesk.core.settings.schema import sections

    for path, _table, keys in sections(Config):
        for key in keys:
            about = key.setting
            where = [f"setting [{path or key.name}] {key.name}"]
            for text in (about.label, about.help, about.unit.strip(), about.expect, *about.choices.values()):
                if text and any(ch.isalpha() for ch in text):
                    yield text, SETTINGS_SOURCE, where


def template() -> Catalog:
    """Every message shipdesk shows, with where it comes from."""
    catalog = Catalog(project="shipdesk", domain=DOMAIN, fuzzy=False, charset="utf-8")
    found: list[tuple[Text, str, list[str]]] = [*_source_messages(), *_settings_messages()]
    for text, source, comments in found:
        if not text or (isinstance(text, tuple) and not text[0]):
            continue
        where = (source, None)  # the file without the line: moving code does not churn the catalogues
        known = catalog.get(text)
        if known is not None:
            if where not in known.locations:
                known.locations.append(where)  # type: ignore[arg-type]  # Babel allows None for "no line"
            known.auto_comments.extend(c for c in comments if c not in known.auto_comments)
        else:
            catalog.add(text, locations=[where], auto_comments=comments)  # type: ignore[list-item]
    for message in catalog:
        message.locations.sort(key=str)
    return catalog


def _po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_lineno=False, sort_output=True, ignore_obsolete=True,
             omit_header=False)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _stable_header(catalog: Catalog) -> None:
    """Dates in a catalogue's header change every run: pin them so an unchanged catalogue stays byte-identical."""
    import datetime as dt

    fixed = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    catalog.creation_date = fixed
    catalog.revision_date = fixed


def paths(language: str) -> tuple[Path, Path]:
    folder = locale_dir() / language / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def updated(language: str, pot: Catalog) -> Catalog:
    """``language``'s catalogue merged with ``pot`` (what is new untranslated, what changed fuzzy)."""
    po_path, _mo = paths(language)
    if po_path.exists():
        catalog = _read(po_path, language)
    else:
        catalog = Catalog(locale=language, project="shipdesk", domain=DOMAIN, charset="utf-8")
    catalog.update(pot, no_fuzzy_matching=False, update_header_comment=False)
    _stable_header(catalog)
    catalog.language_team = f"{LANGUAGES[language]} <shipdesk>"
    return catalog


def out_of_date() -> list[str]:
    """What ``--check`` reports: files a run without ``--check`` would change."""
    problems = []
    pot = template()
    _stable_header(pot)
    pot_path = locale_dir() / f"{DOMAIN}.pot"
    if not pot_path.exists() or pot_path.read_bytes() != _po_text(pot):
        problems.append(f"{pot_path} does not list the messages in the code")
    for language in LANGUAGES:
        if language == "en":
            continue
        po_path, mo_path = paths(language)
        if not po_path.exists() or po_path.read_bytes() != _po_text(updated(language, pot)):
            problems.append(f"{po_path} is not merged with the template")
        elif not mo_path.exists() or mo_path.read_bytes() != _mo_bytes(_read(po_path, language)):
            problems.append(f"{mo_path} is not compiled from its .po")
    return problems


def write_all() -> None:
    pot = template()
    _stable_header(pot)
    pot_path = locale_dir() / f"{DOMAIN}.pot"
    pot_path.parent.mkdir(parents=True, exist_ok=True)
    pot_path.write_bytes(_po_text(pot))
    for language in LANGUAGES:
        if language == "en":
            continue
        po_path, mo_path = paths(language)
        po_path.parent.mkdir(parents=True, exist_ok=True)
        po_path.write_bytes(_po_text(updated(language, pot)))
        mo_path.write_bytes(_mo_bytes(_read(po_path, language)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shipdesk.core.catalogue", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a catalogue is stale")
    args = parser.parse_args(argv)
    if args.check:
        problems = out_of_date()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("Run: python -m shipdesk.core.catalogue", file=sys.stderr)
        return 1 if problems else 0
    write_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
