"""Numbers, amounts and weights written the way the chosen language writes them (``12,5 kg``, ``1 234,50 $``).

Babel holds the Unicode CLDR's rules for every locale, so this module only says which to use: the
process's (``current_locale()``). Only what a person reads goes through here; files for machines (CSV,
``--json``, what UPS and Acumatica get) keep the plain ``12.50`` form.
"""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal

from shipdesk.i18n.language import current_locale

#: UPS's and Acumatica's unit codes → the symbol a person reads
UNIT_SYMBOLS = {"LBS": "lb", "LB": "lb", "KGS": "kg", "KG": "kg", "OZS": "oz", "OZ": "oz", "IN": "in", "CM": "cm"}


def number(value: Decimal | float | int, places: int | None = None) -> str:
    """``1234.5`` → ``1,234.5`` (en), ``1 234,5`` (fr), ``1.234,5`` (es); ``places`` fixes the decimals."""
    pattern = None if places is None else ("#,##0." + "0" * places if places else "#,##0")
    return format_decimal(value, format=pattern, locale=current_locale())


def money(amount: Decimal | float, currency: str) -> str:
    """``12.5, "USD"`` → ``$12.50`` (en_US), ``12,50 $US`` (fr), ``USD 12.50`` where the locale writes it so."""
    if not currency:
        return number(amount, 2)
    return format_currency(amount, currency.upper(), locale=current_locale())


def quantity(value: Decimal | float | int, unit: str, places: int | None = None) -> str:
    """``12.5, "KGS"`` → ``12,5 kg`` (fr); the unit code UPS or Acumatica uses becomes its symbol."""
    return f"{number(value, places)} {UNIT_SYMBOLS.get(unit.upper(), unit.lower())}"
