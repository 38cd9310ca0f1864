"""The catalogues are current, sound and complete where a clerk looks; the language is chosen as documented."""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po

from shipdesk.core import catalogue
from shipdesk.i18n import _, current_language, ngettext, use_language
from shipdesk.i18n.formats import money, quantity
from shipdesk.i18n.language import pick_locale

TRANSLATED = ("es", "fr")


@pytest.fixture
def language():
    """Switch the process's language for one test, and back to English after it."""
    yield use_language
    use_language("en")


def _catalog(code: str):
    po_path, _mo = catalogue.paths(code)
    with po_path.open("rb") as handle:
        return read_po(handle, locale=code)


def _fields(text: str) -> list[str]:
    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None)


def test_the_catalogues_hold_every_message_of_the_code():
    assert catalogue.out_of_date() == [], "run: python -m shipdesk.core.catalogue"


@pytest.mark.parametrize("code", TRANSLATED)
def test_a_translation_keeps_the_placeholders_and_markup_of_its_message(code):
    """A lost ``{number}`` would show a clerk a sentence without the shipment; a changed one raises KeyError."""
    broken = []
    for message in _catalog(code):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = _fields(ids[-1])
        for text in strings:
            if text and (_fields(text) != wanted and _fields(text) != _fields(ids[0])):
                broken.append(f"{ids[0]!r} → {text!r}")
            tags = sorted(re.findall(r"</?\w+", ids[0]))
            if text and sorted(re.findall(r"</?\w+", text)) != tags:
                broken.append(f"{ids[0]!r} → {text!r} (HTML tags)")
    assert not broken, "\n".join(broken)


def test_the_language_follows_the_setting_then_the_computer():
    assert pick_locale("system", ["es_MX.UTF-8", "en_US"]) == ("es", "es_MX")
    assert pick_locale("", ["fr-CA"]) == ("fr", "fr_CA")
    assert pick_locale("fr", ["es_MX"]) == ("fr", "fr")  # the setting wins; Mexico's formats are not French
    assert pick_locale("system", ["de_DE", "fr_BE"]) == ("fr", "fr_BE")  # the first one we have
    assert pick_locale("system", ["de_DE"]) == ("en", "en")


def test_spanish_and_french_are_used_when_chosen(language):
    assert language("es") == "es" and current_language() == "es"
    assert _("Stopped.") != "Stopped."
    assert language("fr") == "fr"
    assert _("Stopped.") not in ("Stopped.", "")
    assert language("en") == "en" and _("Stopped.") == "Stopped."


def test_a_number_decides_the_form_in_each_language(language):
    language("fr")
    assert ngettext("{count} shipment", "{count} shipments", 0) != ngettext("{count} shipment", "{count} shipments", 5)


def test_amounts_and_weights_are_written_the_languages_way(language):
    language("en")
    assert money(1234.5, "USD") == "$1,234.50" and quantity(12.5, "KGS") == "12.5 kg"
    language("fr")
    assert money(1234.5, "EUR").replace("\u202f", " ").replace("\xa0", " ") == "1 234,50 €"
    assert quantity(12.5, "KGS") == "12,5 kg"
    language("es")
    assert quantity(2.25, "LBS") == "2,25 lb"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_has_its_translation(code):
    """Spanish and French are complete: the clerk's screens, the errors, the command line and the settings."""
    missing = [message.id for message in _catalog(code) if message.id and (
        not message.string or (isinstance(message.string, tuple) and not all(message.string))
        or message.fuzzy)]
    assert not missing, f"{len(missing)} messages without a {code} translation (or fuzzy):\n" + "\n".join(
        map(repr, missing[:50]))
