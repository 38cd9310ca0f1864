"""Postal codes in the form UPS takes them, country by country. Pure.

Shipping.yaml (``ShipTo.Address.PostalCode``): "If the ShipTo country or territory is US or Puerto Rico, 5 or
9 digits are required. If the ShipTo country or territory is CA, then the postal code is required and must
be 6 alphanumeric characters whose format is A#A#A# [...] For all other countries or territories the postal
code is optional and must be no more than 9 alphanumeric characters long." UPS answers 120207 "Missing/Invalid
ShipTo PostalCode" otherwise (its Shipping Package developer guide's error table).

So people's ways of writing them become UPS's: ``M5B 2H1`` → ``M5B2H1``, ``30301-1234`` → ``303011234``,
``00-950`` (Poland) → ``00950``, ``1234 ab`` (Netherlands) → ``1234AB``. The national forms below let
shipdesk say *which* form is expected before UPS refuses, naming the country; a country not listed
only has UPS's general rule (at most 9 letters and digits). British postcodes keep their space
(``RG1 3AR``): it is how they are written and printed, and they stay within 9 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shipdesk.i18n import N_, _

MAX_LENGTH = 9


@dataclass(frozen=True)
class PostalForm:
    pattern: str  # full match on the normalised code
    expected: str  # the form, as a person reads it ("5 digits")
    keep_space: bool = False  # normalised with one space between its parts (GB), else without spaces


_FIVE = PostalForm(r"\d{5}", N_("5 digits"))
_FOUR = PostalForm(r"\d{4}", N_("4 digits"))
FORMS: dict[str, PostalForm] = {
    "US": PostalForm(r"\d{5}(\d{4})?", N_("5 or 9 digits (ZIP or ZIP+4)")),
    "PR": PostalForm(r"\d{5}(\d{4})?", N_("5 or 9 digits (ZIP or ZIP+4)")),
    "CA": PostalForm(r"[A-Z]\d[A-Z]\d[A-Z]\d", N_("letter-digit-letter digit-letter-digit (A1A 1A1)")),
    "MX": _FIVE,
    "GB": PostalForm(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", N_("a UK postcode such as RG1 3AR"), keep_space=True),
    # the European Union, as each country writes its codes (UPS takes them without spaces or dashes)
    "DE": _FIVE, "FR": _FIVE, "IT": _FIVE, "ES": _FIVE, "FI": _FIVE, "EE": _FIVE, "HR": _FIVE, "LT": _FIVE,
    "PL": _FIVE, "SE": _FIVE, "CZ": _FIVE, "SK": _FIVE, "GR": _FIVE,
    "AT": _FOUR, "BE": _FOUR, "BG": _FOUR, "DK": _FOUR, "HU": _FOUR, "LU": _FOUR, "SI": _FOUR, "CY": _FOUR,
    "LV": _FOUR,
    "NL": PostalForm(r"\d{4}[A-Z]{2}", N_("4 digits and 2 letters (1234 AB)")),
    "PT": PostalForm(r"\d{7}", N_("7 digits (1234-567)")),
    "RO": PostalForm(r"\d{6}", N_("6 digits")),
}
#: country prefixes some people type in front of the code ("LT-01100", "D-70565")
_PREFIXES = {"LT": ("LT",), "LV": ("LV",), "DE": ("D",), "AT": ("A",), "LU": ("L",), "SE": ("S",), "FI": ("FI",)}
_SEPARATORS = re.compile(r"[\s\-.]+")
_ALPHANUMERIC = re.compile(r"[A-Z0-9]+")


def normalise(country: str, code: str) -> str:
    """``code`` the way UPS takes it for ``country`` (best effort: a wrong code stays wrong)."""
    country = country.strip().upper()
    text = code.strip().upper()
    if not text:
        return ""
    form = FORMS.get(country)
    compact = _SEPARATORS.sub("", text)
    if form is None:
        return compact if len(text) > MAX_LENGTH else text
    for prefix in _PREFIXES.get(country, ()):
        if compact.startswith(prefix) and not re.fullmatch(form.pattern, compact):
            compact = compact[len(prefix):]
    if form.keep_space and len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def problem(country: str, code: str) -> str | None:
    """What is wrong with ``code`` for ``country`` ("" code: nothing to say here), as the form expected."""
    country = country.strip().upper()
    text = normalise(country, code)
    if not text:
        return None
    form = FORMS.get(country)
    if form is not None:
        return None if re.fullmatch(form.pattern, text) else _(form.expected)  # i18n: N_()-marked above
    compact = text.replace(" ", "")
    if len(compact) > MAX_LENGTH or not _ALPHANUMERIC.fullmatch(compact):
        return _("at most {count} letters and digits").format(count=MAX_LENGTH)
    return None
