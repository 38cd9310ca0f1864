"""Answers in the shape UPS gives the version asked for: lists of one become objects before v2403.

Shipping.yaml and Rating.yaml mark each such element: "For versions >= v2403, this element will
always be returned as an array. For requests using versions < v2403, this element will be returned
as an array if there is more than one object and a single object if there is only 1." The marked
elements are found in the spec, not listed by hand.
"""

from __future__ import annotations

import re
from typing import Any

from shipdesk.specs import response_schema, ups_operation

FIRST_ARRAY_VERSION = 2403
ALWAYS_ARRAY_NOTE = "always be returned as an array"


def url_version(version: str) -> int | None:
    match = re.fullmatch(r"v(\d+)", version)
    return int(match.group(1)) if match else None


def _resolve(spec: dict[str, Any], node: Any) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"])[2:].split("/"):
            target = target[part]
        node = target
    return node if isinstance(node, dict) else {}


def _is_array(schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def _collapse(spec: dict[str, Any], schema: dict[str, Any], node: Any) -> None:
    if not isinstance(node, dict):
        return
    properties = schema.get("properties", {})
    for key, value in list(node.items()):
        declared = properties.get(key)
        if declared is None:
            continue
        resolved = _resolve(spec, declared)
        if _is_array(resolved) and isinstance(value, list):
            items = _resolve(spec, resolved.get("items", {}))
            for element in value:
                _collapse(spec, items, element)
            note = f"{declared.get('description', '')} {resolved.get('description', '')}"
            if len(value) == 1 and ALWAYS_ARRAY_NOTE in note:
                node[key] = value[0]
        else:
            _collapse(spec, resolved, value)


def collapse_single_lists(method: str, path: str, version: str, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` (changed in place) as UPS sends it for ``version``: unchanged from v2403 on."""
    number = url_version(version)
    if number is None or number >= FIRST_ARRAY_VERSION:
        return body
    operation = ups_operation(method, path)
    schema = response_schema(operation, 200)
    if schema is not None:
        _collapse(operation.spec, _resolve(operation.spec, schema), body)
    return body
