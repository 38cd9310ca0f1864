"""UPS's rules for a Ship request that the Shipping spec states in prose, where its JSON schema cannot.

ONE list for both sides: the tests' request validator (``specs.validate_ups_request``) applies it to every Ship
body a client builds, and the UPS sandbox refuses the same bodies with UPS's error shape and code
(``sandbox/ups/validation.py``). Each rule (:class:`Rule`) names where the spec states it, the code UPS answers,
and whether that code is settled by a capture or a guess.

- ``contacts``: attention names, phones, address lines and city lengths (issue 12);
- ``customs``: borders, commercial invoices, return labels, postal codes (issue 16);
- ``options``: signature (Delivery Confirmation by lane), notifications, declared value (issue 15);
- ``units``: one measurement system a package, and pounds and inches from the US and Puerto Rico (Ship and Rate);
- ``lanes``: the facts about origin/destination pairs both the rules and the client's wire use.
"""

from __future__ import annotations

from typing import Any

from shipdesk.ship_rules import contacts, customs, options, units
from shipdesk.ship_rules.rule import Rule, Violation, is_rate_path, is_ship_path

__all__ = ["Rule", "Violation", "is_rate_path", "is_ship_path", "rate_refusals", "rate_violations", "refusals",
           "violations"]


def violations(body: Any) -> list[Violation]:
    """Every rule ``body`` (a ``{"ShipmentRequest": ...}`` document) breaks: what our client must never send."""
    return [*contacts.violations(body), *customs.violations(body), *options.violations(body),
            *units.ship_violations(body)]


def refusals(body: Any) -> list[Violation]:
    """The violations UPS answers with a 400 (the sandbox's view): :func:`violations` but those production takes."""
    return [v for v in violations(body) if v.rule.ups_refuses]


def rate_violations(body: Any) -> list[Violation]:
    """The rules a ``{"RateRequest": ...}`` body breaks: the package units (Rate checks them as Ship does)."""
    return units.rate_violations(body)


def rate_refusals(body: Any) -> list[Violation]:
    return [v for v in rate_violations(body) if v.rule.ups_refuses]
