"""What one prose rule of the Shipping spec is, what breaking it looks like, and reading a Ship body safely."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class Rule:
    """What UPS answers when the rule is broken (HTTP 400), and how sure we are of that answer."""

    code: str
    message: str
    evidence: str
    settled: bool = True
    #: False where production takes what the spec forbids: the client still follows the spec (the tests' validator
    #: flags it), the sandbox answers as UPS does and lets it through
    ups_refuses: bool = True


@dataclass(frozen=True)
class Violation:
    rule: Rule
    location: str  # e.g. ShipmentRequest/Shipment/ShipTo/AttentionName
    detail: str  # what is wrong, for a developer

    def __str__(self) -> str:
        return f"{self.location}: {self.detail} (UPS {self.rule.code} {self.rule.message})"


WHERE = "ShipmentRequest/Shipment"


def is_ship_path(path: str) -> bool:
    """``/api/shipments/{version}/ship`` (the rules are for Ship requests only)."""
    parts = path.rstrip("/").split("/")
    return len(parts) == 5 and parts[:3] == ["", "api", "shipments"] and parts[4] == "ship"


def is_rate_path(path: str) -> bool:
    """``/api/rating/{version}/{requestoption}``."""
    parts = path.rstrip("/").split("/")
    return len(parts) == 5 and parts[:3] == ["", "api", "rating"]


def obj(node: Any, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def items(node: Any, key: str) -> list[Any]:
    value = node.get(key) if isinstance(node, dict) else None
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]  # UPS takes one object (or string) for a list of one


def text(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    return value.strip() if isinstance(value, str) else ""


def country(party: dict[str, Any]) -> str:
    return text(obj(party, "Address"), "CountryCode").upper()


def decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, ValueError):
        return None
