"""What an Acumatica instance says about itself: the endpoint's OpenAPI document, an entity's ad-hoc
schema (its fields with their types, custom fields included) and the generic-inquiry OData metadata.

- ``GET <endpoint>/swagger.json`` answers the vendored description of that endpoint version, byte for
  byte (Swagger 2.0 for 22.200.001 and 23.200.001, OpenAPI 3.0.1 for 24.200.001).
- ``GET <endpoint>/<Entity>/$adHocSchema`` answers one record in which every field holds its type
  (``{"type": "StringValue"}``), detail entities as a list of one such record, and the custom fields the
  instance has under ``custom``, typed as a PUT must send them (``CustomStringField``...).
- ``GET /t/<tenant>/api/odata/gi/$metadata`` answers the EDMX document of a tenant with no generic
  inquiry published to OData: an empty ``Default`` schema with its entity container.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from shipdesk.resources import resource_path
from shipdesk.sandbox.acumatica.entities import entity_fields
from shipdesk.specs import acumatica_entity_schema

NO_RECORD_ID = "00000000-0000-0000-0000-000000000000"
# The custom type of a shipment custom field, when not CustomStringField.
CUSTOM_FIELD_TYPES = {"UsrDeliveredDate": "CustomDateTimeField"}
EMPTY_GI_METADATA = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">'
    b"<edmx:DataServices>"
    b'<Schema Namespace="Default" xmlns="http://docs.oasis-open.org/odata/ns/edm">'
    b'<EntityContainer Name="Default" />'
    b"</Schema>"
    b"</edmx:DataServices>"
    b"</edmx:Edmx>"
)


@cache
def swagger_document(version: str) -> bytes:
    """The vendored endpoint description, unchanged (the spec loader's in-memory copy is normalised)."""
    return (resource_path("specs") / "acumatica" / f"Default_{version}.json").read_bytes()


def has_entity(version: str, entity: str) -> bool:
    try:
        acumatica_entity_schema(version, entity)
    except KeyError:
        return False
    return True


def ad_hoc_schema(version: str, entity: str, custom: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The ``$adHocSchema`` answer for ``entity``; ``custom`` is {view: {field: custom type}}."""
    out = _typed_record(version, entity, depth=0)
    out["custom"] = {view: {name: {"type": kind} for name, kind in sorted(fields.items())}
                     for view, fields in sorted(custom.items())}
    return out


def _typed_record(version: str, entity: str, depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {"id": NO_RECORD_ID, "rowNumber": 1, "note": {"type": "StringValue"}}
    for name, info in entity_fields(version, entity).items():
        if info.kind == "value":
            out[name] = {"type": info.type}
        elif depth < 3:  # detail and linked entities nest a few levels at most in Default
            child = _typed_record(version, info.type, depth + 1)
            out[name] = [child] if info.kind == "detail" else child
    return out
