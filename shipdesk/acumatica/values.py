"""Acumatica's value objects (``{"Field": {"value": ...}}``), wrapped and unwrapped in one place.

Every field of a contract-based entity travels wrapped; ``id``, ``rowNumber``, ``delete``,
``custom``, ``files`` and ``_links`` do not. Getters return typed Python values and tolerate a
missing field or a ``null`` value (Acumatica leaves out empty fields).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

#: entity keys that are never wrapped
PLAIN_KEYS = frozenset({"id", "rowNumber", "delete", "custom", "files", "_links", "error"})


def to_wire(value: Any) -> Any:
    """A Python scalar as JSON: Decimal → number, datetime/date → ISO 8601."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def wrap(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Wrap a plain record: scalars become ``{"value": x}``, dicts are sub-entities, lists detail rows."""
    wrapped: dict[str, Any] = {}
    for name, value in fields.items():
        if name in PLAIN_KEYS:
            wrapped[name] = value
        elif isinstance(value, Mapping):
            wrapped[name] = wrap(value)
        elif isinstance(value, list | tuple):
            wrapped[name] = [wrap(row) for row in value]
        else:
            wrapped[name] = {"value": to_wire(value)}
    return wrapped


def unwrap(node: Any) -> Any:
    """The plain form of a wire value, record or list of records (inverse of :func:`wrap`)."""
    if isinstance(node, list):
        return [unwrap(row) for row in node]
    if not isinstance(node, Mapping):
        return node
    if "value" in node and set(node) <= {"value", "error"}:
        return node["value"]
    return {name: (value if name in PLAIN_KEYS else unwrap(value)) for name, value in node.items()}


def raw(entity: Mapping[str, Any] | None, name: str) -> Any:
    """The unwrapped value of one field, None when absent (or when ``entity`` is not a record at all)."""
    # a JSON body's records are dicts: checked first (an ABC's isinstance is ten times slower, and a shipment
    # read asks for some 80 fields)
    if type(entity) is not dict and not isinstance(entity, Mapping):
        return None
    field = entity.get(name)
    if type(field) is dict or isinstance(field, Mapping):
        return field.get("value")
    return field


def get_str(entity: Mapping[str, Any] | None, name: str) -> str:
    value = raw(entity, name)
    return "" if value is None else str(value)


def get_decimal(entity: Mapping[str, Any] | None, name: str) -> Decimal | None:
    value = raw(entity, name)
    if value is None or value == "":
        return None
    try:
        # via str: a float like 0.1 becomes Decimal("0.1"), not its binary expansion
        return Decimal(str(value))
    except InvalidOperation:
        return None


def get_int(entity: Mapping[str, Any] | None, name: str) -> int | None:
    value = raw(entity, name)
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def get_bool(entity: Mapping[str, Any] | None, name: str) -> bool | None:
    value = raw(entity, name)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def parse_datetime(value: Any) -> datetime | None:
    """Acumatica date-times; a value without an offset is taken as UTC so comparisons never mix kinds."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def get_datetime(entity: Mapping[str, Any] | None, name: str) -> datetime | None:
    return parse_datetime(raw(entity, name))


def get_date(entity: Mapping[str, Any] | None, name: str) -> date | None:
    """A date field (Acumatica sends dates as midnight date-times): the calendar date as written."""
    parsed = get_datetime(entity, name)
    return parsed.date() if parsed else None


def custom_field(value: Any) -> dict[str, Any]:
    """One custom field in the contract API's typed form ``{"type": "CustomStringField", "value": ...}``."""
    if isinstance(value, bool):
        kind = "CustomBooleanField"
    elif isinstance(value, int):
        kind = "CustomIntField"
    elif isinstance(value, Decimal | float):
        kind = "CustomDecimalField"
    elif isinstance(value, datetime | date):
        kind = "CustomDateTimeField"
    elif isinstance(value, str):
        kind = "CustomStringField"
    else:
        raise TypeError(f"cannot send a {type(value).__name__} as an Acumatica custom field")  # i18n: a bug
    return {"type": kind, "value": to_wire(value)}


def unwrap_custom(custom: Any) -> dict[str, dict[str, Any]]:
    """``custom`` as ``{view: {field: value}}``, the field types dropped."""
    if not isinstance(custom, Mapping):
        return {}
    return {
        view: {name: raw(fields, name) for name in fields}
        for view, fields in custom.items()
        if isinstance(fields, Mapping)
    }
