"""Records as the sandbox keeps them and as the contract-based API shows them.

A stored record is a plain dict: contract field names mapped to plain Python values (str, float,
int, bool, datetime, None), detail entities as lists of such dicts, linked entities as dicts, plus
the lower-case keys ``id``, ``note``, ``custom`` and ``files``. Which field is a value, a detail
list or a linked entity, and which value type it has, is read from the vendor spec of the version
asked for, so a 22.200.001 client sees exactly the 22.200.001 fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from shipdesk.specs import acumatica_entity_schema

RESERVED = ("id", "note", "custom", "files", "rowNumber", "_links", "delete", "error")


@dataclass(frozen=True)
class FieldInfo:
    name: str
    kind: str  # "value" | "detail" | "linked"
    type: str  # the value type ("StringValue") or the entity name ("ShipmentPackage")


def _ref_name(node: dict[str, Any]) -> str:
    return str(node["$ref"]).rsplit("/", 1)[-1]


@cache
def entity_fields(version: str, entity: str) -> dict[str, FieldInfo]:
    """Every contract field of ``entity`` in ``version``, by name."""
    schema = acumatica_entity_schema(version, entity)
    parts = schema.get("allOf", [schema])
    fields: dict[str, FieldInfo] = {}
    for part in parts:
        for name, node in part.get("properties", {}).items():
            if name in RESERVED:
                continue
            if node.get("type") == "array":
                fields[name] = FieldInfo(name, "detail", _ref_name(node["items"]))
            elif "$ref" in node:
                target = _ref_name(node)
                kind = "value" if target.endswith("Value") else "linked"
                fields[name] = FieldInfo(name, kind, target)
    return fields


def wrap(value: Any) -> dict[str, Any]:
    """A value object: ``{"value": ...}``; an empty value (null or "") is ``{}`` as Acumatica sends it."""
    if value is None or value == "":
        return {}
    if isinstance(value, datetime):
        return {"value": value.isoformat()}
    return {"value": value}


@dataclass
class Shape:
    """What to show of one entity level: ``$expand`` children and the ``$select`` field names."""

    expand: dict[str, Shape]
    select: set[str] | None = None  # None = every value field

    def child(self, name: str) -> Shape:
        return self.expand.get(name) or Shape({})


def build_shape(expand: str | None, select: str | None) -> Shape:
    """``Packages,ShippingSettings/ShipToAddress`` + ``ShipmentNbr,Packages/TrackingNbr`` → a tree."""
    root = Shape({})
    for path in _comma_list(expand):
        node = root
        for part in path.split("/"):
            node = node.expand.setdefault(part, Shape({}))
    for path in _comma_list(select):
        *parents, leaf = path.split("/")
        node = root
        for part in parents:
            node = node.expand.setdefault(part, Shape({}))
            node.select = node.select if node.select is not None else set()
        if node.select is None:
            node.select = set()
        node.select.add(leaf)
    return root


def _comma_list(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


@dataclass(frozen=True)
class Links:
    """Builds the ``_links`` and file hrefs of a record (they carry the instance path)."""

    base: str  # e.g. /AcumaticaERP/entity/Default/24.200.001
    graph: str  # e.g. PX.Objects.SO.SOShipmentEntry

    def record(self, entity: str, record_id: str) -> dict[str, str]:
        return {"self": f"{self.base}/{entity}/{record_id}",
                "files:put": f"{self.base}/files/{self.graph}/Document/{record_id}/{{filename}}"}

    def file(self, file_id: str) -> str:
        return f"{self.base}/files/{file_id}"


def render(record: dict[str, Any], entity: str, version: str, shape: Shape, *, row_number: int = 1,
           links: Links | None = None, custom: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """The wire JSON of ``record``: values wrapped, unexpanded details and linked entities left out."""
    out: dict[str, Any] = {"id": record["id"], "rowNumber": row_number,
                           "note": {"value": record.get("note") or ""}}
    for name, info in entity_fields(version, entity).items():
        if info.kind == "value":
            if name in record and (shape.select is None or name in shape.select):
                out[name] = wrap(record[name])
            continue
        if name not in shape.expand or name not in record:
            continue
        if shape.select is not None and name not in shape.select and shape.expand[name].select is None:
            continue  # $select names other fields at this level and nothing under this entity
        child = shape.child(name)
        if info.kind == "detail":
            out[name] = [render(row, info.type, version, child, row_number=i + 1)
                         for i, row in enumerate(record[name])]
        elif record[name] is not None:
            out[name] = render(record[name], info.type, version, child)
    out["custom"] = _render_custom(record.get("custom") or {}, custom or {})
    if record.get("files"):
        out["files"] = [{"id": f["id"], "filename": f["filename"],
                         "href": links.file(f["id"]) if links else ""} for f in record["files"]]
    if links is not None:
        out["_links"] = links.record(entity, record["id"])
    return out


def _render_custom(stored: dict[str, dict[str, Any]], wanted: dict[str, set[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for view, names in wanted.items():
        values = {name: stored[view][name] for name in names if name in stored.get(view, {})}
        if values:
            out[view] = values
    return out


def parse_custom(text: str | None) -> dict[str, set[str]]:
    """``$custom=Document.UsrUpsStatus,Document.UsrSignedBy`` → {"Document": {...}} (top level only)."""
    wanted: dict[str, set[str]] = {}
    for item in _comma_list(text):
        if "/" in item or "." not in item:
            continue  # detail-level custom fields are accepted and not kept by the sandbox
        view, name = item.split(".", 1)
        wanted.setdefault(view, set()).add(name)
    return wanted
