"""OData query pieces for the contract-based API: literals quoted once, here.

Acumatica accepts a subset of OData v3/v4: ``eq``/``ne``/``gt``/``lt`` with ``and``/``or``,
string literals in single quotes (a quote inside doubled), date-times as ``datetimeoffset'...'``.
Filtering on detail rows is not supported by Acumatica.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

#: everything a Shipment needs for shipdesk, naming every level (Acumatica does not expand implicitly)
SHIPMENT_EXPAND = (
    "Packages",
    "Orders",
    "ShippingSettings",
    "ShippingSettings/ShipToAddress",
    "ShippingSettings/ShipToContact",
)


def string_literal(value: str) -> str:
    """``O'Brien`` → ``'O''Brien'``."""
    return "'" + value.replace("'", "''") + "'"


def datetime_literal(moment: datetime) -> str:
    """A UTC ``datetimeoffset'YYYY-MM-DDTHH:MM:SSZ'``; a naive datetime is taken as UTC.

    Seconds are truncated: with ``gt`` that can return the watermark record again (harmless, the
    pull is idempotent) but never skips one modified in the same second.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC).replace(microsecond=0)
    return f"datetimeoffset'{utc.strftime('%Y-%m-%dT%H:%M:%SZ')}'"


def equals(field: str, value: str) -> str:
    return f"{field} eq {string_literal(value)}"


def any_of(field: str, values: Sequence[str]) -> str:
    """``(F eq 'a' or F eq 'b')``; a single value needs no parentheses."""
    if not values:
        raise ValueError(f"any_of needs at least one value for {field}")  # i18n: a bug
    clauses = [equals(field, v) for v in values]
    return clauses[0] if len(clauses) == 1 else "(" + " or ".join(clauses) + ")"


def after(field: str, moment: datetime) -> str:
    return f"{field} gt {datetime_literal(moment)}"


def all_of(clauses: Iterable[str]) -> str:
    return " and ".join(c for c in clauses if c)


def field_list(names: Iterable[str]) -> str:
    """The value of ``$expand`` / ``$select``."""
    return ",".join(names)


def query_string(params: dict[str, str | int]) -> str:
    """Encode parameters with %20 for spaces (not ``+``) and ``$``, ``,``, ``/`` kept readable."""
    return urlencode(params, quote_via=quote, safe="$,/")
