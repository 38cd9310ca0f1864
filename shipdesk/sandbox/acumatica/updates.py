"""PUT bodies: checking the value types (→ 422 with ``error`` on each bad field) and merging them.

Checking runs over the whole body first, so a refused PUT changes nothing. Merging writes only the
values that differ and reports whether anything changed (the caller bumps LastModifiedDateTime).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from shipdesk.sandbox.acumatica.entities import entity_fields

# Field lengths the sandbox enforces (Acumatica's DAC lengths for the fields shipdesk writes).
MAX_LENGTHS = {("ShipmentPackage", "TrackingNbr"): 60, ("ShipmentPackage", "Description"): 30,
               ("Address", "AddressLine1"): 50, ("Address", "AddressLine2"): 50}
INTEGER_TYPES = ("IntValue", "ShortValue", "LongValue", "ByteValue")
# Acumatica's ErrorMessages.RecordRaisedErrors, with the double space real answers carry ("Updating  'Sales
# Order' record...": prefix, then the cache name in quotes)
RECORD_ERROR = "{prefix}  '{entity}' record raised at least one error. Please review the errors."
CACHE_NAMES = {"SalesOrder": "Sales Order", "ShipmentPackage": "Package"}


def record_error(entity: str, *, updating: bool = False) -> str:
    return RECORD_ERROR.format(prefix="Updating" if updating else "Inserting", entity=CACHE_NAMES.get(entity, entity))

NewRow = Callable[[str, list[dict[str, Any]]], dict[str, Any]]


class CannotConvert(ValueError):
    pass


def coerce(value_type: str, raw: Any) -> Any:
    """The Python value of a wire value, or :class:`CannotConvert` with Acumatica-style wording."""
    if raw is None:
        return None
    if value_type in ("StringValue", "GuidValue"):
        if not isinstance(raw, str):
            raise CannotConvert(f"'{raw}' cannot be converted to a string.")
        if value_type == "GuidValue":
            try:
                uuid.UUID(raw)
            except ValueError as exc:
                raise CannotConvert(f"'{raw}' is not a valid GUID.") from exc
        return raw
    if value_type in ("DecimalValue", "DoubleValue"):
        if isinstance(raw, bool):
            raise CannotConvert(f"'{raw}' cannot be converted to a number.")
        try:
            return float(raw)
        except (TypeError, ValueError) as exc:
            raise CannotConvert(f"'{raw}' cannot be converted to a number.") from exc
    if value_type in INTEGER_TYPES:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or int(raw) != raw:
            raise CannotConvert(f"'{raw}' cannot be converted to an integer.")
        return int(raw)
    if value_type == "BooleanValue":
        if not isinstance(raw, bool):
            raise CannotConvert(f"'{raw}' cannot be converted to a boolean value.")
        return raw
    if value_type == "DateTimeValue":
        try:
            parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        except ValueError as exc:
            raise CannotConvert(f"'{raw}' cannot be converted to a date.") from exc
        return parsed
    return raw


def check(body: dict[str, Any], entity: str, version: str) -> tuple[dict[str, Any], bool]:
    """A copy of ``body`` with ``error`` on every bad field (and on the record), and whether any."""
    annotated = copy.deepcopy(body)
    bad = _check_level(annotated, entity, version)
    if bad:
        annotated["error"] = record_error(entity)
    return annotated, bad


def _check_level(body: dict[str, Any], entity: str, version: str) -> bool:
    bad = False
    fields = entity_fields(version, entity)
    for name, raw in body.items():
        info = fields.get(name)
        if info is None:
            continue  # Acumatica ignores fields the contract does not have
        if info.kind == "value":
            message = _value_problem(entity, info.type, name, raw)
            if message:
                body[name] = {"error": message}
                bad = True
        elif info.kind == "linked" and isinstance(raw, dict):
            bad = _check_level(raw, info.type, version) or bad
        elif info.kind == "detail" and isinstance(raw, list):
            for row in raw:
                if isinstance(row, dict) and _check_level(row, info.type, version):
                    row["error"] = record_error(info.type)
                    bad = True
    return bad


def _value_problem(entity: str, value_type: str, name: str, raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return f"The value of {name} must be an object with a 'value' property."
    try:
        value = coerce(value_type, raw.get("value"))
    except CannotConvert as exc:
        return str(exc)
    limit = MAX_LENGTHS.get((entity, name))
    if limit is not None and isinstance(value, str) and len(value) > limit:
        return f"The value is too long: {name} takes at most {limit} characters."
    return None


def merge(stored: dict[str, Any], body: dict[str, Any], entity: str, version: str, *,
          read_only: frozenset[str] = frozenset(), frozen_details: frozenset[str] = frozenset(),
          new_row: NewRow | None = None, row_read_only: frozenset[str] = frozenset()) -> bool:
    """Write a checked body into ``stored``; True when anything changed.

    ``read_only`` fields are ignored (Acumatica ignores them silently), and ``row_read_only`` ones of detail
    rows; details in ``frozen_details`` are left as they are (rows that are read-only in the record's status).
    """
    changed = False
    for name, raw in body.items():
        info = entity_fields(version, entity).get(name)
        if info is None or name in read_only:
            continue
        if info.kind == "value":
            value = coerce(info.type, raw.get("value"))
            if stored.get(name) != value:
                stored[name] = value
                changed = True
        elif info.kind == "linked" and isinstance(raw, dict):
            target = stored.setdefault(name, {"id": str(uuid.uuid4())})
            changed = merge(target, raw, info.type, version) or changed
        elif info.kind == "detail" and isinstance(raw, list) and name not in frozen_details:
            rows = stored.setdefault(name, [])
            changed = _merge_rows(rows, raw, info.type, version, new_row, row_read_only) or changed
    return changed


class UnknownRow(LookupError):
    """A detail row named by an ``id`` the record does not have."""


def _merge_rows(rows: list[dict[str, Any]], wire_rows: list[Any], entity: str, version: str,
                new_row: NewRow | None, read_only: frozenset[str] = frozenset()) -> bool:
    changed = False
    for wire in wire_rows:
        if not isinstance(wire, dict):
            continue
        row_id = wire.get("id")
        if row_id:
            match = next((r for r in rows if r["id"] == row_id), None)
            if match is None:
                raise UnknownRow(row_id)
            if wire.get("delete") is True:
                rows.remove(match)
                changed = True
            else:
                changed = merge(match, wire, entity, version, read_only=read_only) or changed
        elif wire.get("delete") is not True:
            row = new_row(entity, rows) if new_row else {"id": str(uuid.uuid4())}
            merge(row, wire, entity, version, read_only=read_only)
            rows.append(row)
            changed = True
    return changed
