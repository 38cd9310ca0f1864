"""The vendors' own API descriptions, loaded from ``resources/specs`` and used to validate documents.

The sandboxes validate every UPS request at run time (a request UPS would refuse gets UPS's 400),
and the tests validate what the clients send and what the sandboxes answer. The spec files are
vendored unchanged; the quirks of loading them are handled here:

- two UPS files contain TAB characters strict YAML rejects: they are replaced in memory;
- Acumatica 22/23 are Swagger 2.0 (``definitions``, body parameters), 24 is OpenAPI 3.0.1
  (``components.schemas``, ``requestBody``); Track Alert v2 is OpenAPI 3.1 (JSON Schema 2020-12);
- OpenAPI 3.0 ``nullable`` becomes a JSON Schema ``null`` type.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import yaml

from shipdesk import ship_rules
from shipdesk.resources import resource_path

UPS_FILES = (
    "OAuthClientCredentials.yaml",
    "Shipping.yaml",
    "Rating.yaml",
    "AddressValidation.yaml",
    "Tracking.yaml",
    "UPSTrackAlert.yaml",
    "trackalert-v1/UPSTrackAlert.yaml",
    "TimeInTransit.yaml",
    "Paperless.yaml",
)
ACUMATICA_VERSIONS = ("22.200.001", "23.200.001", "24.200.001")

_lock = threading.Lock()


class SpecViolation(ValueError):
    """A document does not match the vendor's specification. ``errors`` lists each problem."""

    def __init__(self, where: str, errors: list[str]) -> None:
        self.where = where
        self.errors = errors
        super().__init__(f"{where}: " + "; ".join(errors[:5]))


@dataclass(frozen=True)
class Operation:
    spec: dict[str, Any]
    template: str
    method: str
    op: dict[str, Any]


def specs_dir() -> Path:
    return resource_path("specs")


@cache
def load_ups(name: str) -> dict[str, Any]:
    """One UPS spec file by its name under ``specs/ups`` (tabs replaced before parsing)."""
    text = (specs_dir() / "ups" / name).read_text(encoding="utf-8").replace("\t", "  ")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)
    _normalise(data)
    return data


@cache
def load_acumatica(version: str) -> dict[str, Any]:
    """The Default endpoint description for one version."""
    path = specs_dir() / "acumatica" / f"Default_{version}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    _normalise(data)
    return data


def _normalise(node: Any) -> None:
    """OpenAPI 3.0 ``nullable: true`` → JSON Schema's null type; done once at load time."""
    if isinstance(node, dict):
        if node.get("nullable") is True and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        for value in node.values():
            _normalise(value)
    elif isinstance(node, list):
        for value in node:
            _normalise(value)


def _template_regex(template: str) -> re.Pattern[str]:
    pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
    return re.compile(f"^{pattern}$")


@cache
def _ups_index() -> list[tuple[re.Pattern[str], int, str, str]]:
    """(regex, literal-score, file, template) for every UPS path, most specific first."""
    rows = []
    for name in UPS_FILES:
        spec = load_ups(name)
        prefix = _server_path(spec)
        for template in spec.get("paths", {}):
            full = prefix + template
            literal = len(re.sub(r"\{[^}]+\}", "", full))
            rows.append((_template_regex(full), literal, name, template))
    rows.sort(key=lambda r: -r[1])
    return rows


def _server_path(spec: dict[str, Any]) -> str:
    """The path part of the spec's first server URL ("/api", "/api/track/{version}" or "")."""
    servers = spec.get("servers") or []
    if not servers:
        return ""
    return urlsplit(servers[0]["url"]).path.rstrip("/")


def ups_operation(method: str, path: str, *, prefer: str | None = None) -> Operation:
    """The UPS operation for a concrete path such as ``/api/shipments/v2409/ship``.

    ``prefer`` picks a file when two describe the same path (Track Alert v1 and v2).
    """
    method = method.lower()
    if prefer is None and "/subscription/" in path:
        # Track Alert v1 and v2 describe the same path template: the version in the path decides.
        prefer = "trackalert-v1/UPSTrackAlert.yaml" if "/track/v1/" in path else "UPSTrackAlert.yaml"
    matches = [
        (name, template)
        for regex, _score, name, template in _ups_index()
        if regex.match(path) and method in load_ups(name)["paths"][template]
    ]
    if not matches:
        raise KeyError(f"no UPS operation for {method.upper()} {path}")  # i18n: a bug
    if prefer:
        preferred = [m for m in matches if m[0] == prefer]
        matches = preferred or matches
    name, template = matches[0]
    spec = load_ups(name)
    return Operation(spec, _server_path(spec) + template, method, spec["paths"][template][method])


def acumatica_operation(version: str, method: str, path: str) -> Operation:
    """The Acumatica operation for a path relative to ``/entity/Default/{version}``."""
    spec = load_acumatica(version)
    method = method.lower()
    candidates = []
    for template, ops in spec["paths"].items():
        if method in ops and _template_regex(template).match(path):
            literal = len(re.sub(r"\{[^}]+\}", "", template))
            candidates.append((literal, template))
    if not candidates:
        raise KeyError(f"no Acumatica {version} operation for {method.upper()} {path}")  # i18n: a bug
    candidates.sort(reverse=True)
    template = candidates[0][1]
    return Operation(spec, template, method, spec["paths"][template][method])


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while isinstance(node, dict) and "$ref" in node and len(node) == 1:
        node = _pointer(spec, node["$ref"])
    return node


def _pointer(spec: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise KeyError(f"external reference {ref} not supported")  # i18n: a bug
    node: Any = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def request_schema(operation: Operation) -> dict[str, Any] | None:
    op = operation.op
    if "requestBody" in op:
        body = _resolve(operation.spec, op["requestBody"])
        content = body.get("content", {})
        media = content.get("application/json") or next(iter(content.values()), None)
        return media.get("schema") if media else None
    for param in op.get("parameters", []):
        param = _resolve(operation.spec, param)
        if param.get("in") == "body":
            return param.get("schema")
    return None


def response_schema(operation: Operation, status: int) -> dict[str, Any] | None:
    responses = operation.op.get("responses", {})
    entry = responses.get(str(status)) or responses.get(status) or responses.get("default")
    if entry is None:
        raise SpecViolation(f"{operation.method.upper()} {operation.template}",
                            [f"status {status} is not a documented response"])
    entry = _resolve(operation.spec, entry)
    if "schema" in entry:  # Swagger 2.0
        return entry["schema"]
    content = entry.get("content", {})
    media = content.get("application/json") or content.get("*/*")
    if media is None and content:
        media = next(iter(content.values()))
    return media.get("schema") if media else None


_validators: dict[tuple[int, str], jsonschema.protocols.Validator] = {}


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    key = (id(spec), json.dumps(schema, sort_keys=True))
    with _lock:
        found = _validators.get(key)
        if found is None:
            # The whole spec is the root document, so "#/components/..." and "#/definitions/..."
            # references resolve in place; the operation's schema sits beside them under a key
            # no spec uses.
            root = {k: v for k, v in spec.items() if k in ("components", "definitions")}
            root["__shipdesk_target__"] = schema
            root["$ref"] = "#/__shipdesk_target__"
            cls = jsonschema.Draft202012Validator if str(spec.get("openapi", "")).startswith("3.1") \
                else jsonschema.Draft7Validator
            found = cls(root)
            _validators[key] = found
        return found


def validate(spec: dict[str, Any], schema: dict[str, Any] | None, document: Any, where: str) -> None:
    """Raise :class:`SpecViolation` listing every mismatch between ``document`` and ``schema``."""
    errors = schema_errors(spec, schema, document)
    if errors:
        raise SpecViolation(where, errors)


def schema_errors(spec: dict[str, Any], schema: dict[str, Any] | None, document: Any) -> list[str]:
    """Every mismatch between ``document`` and ``schema``, described ("location: message")."""
    if schema is None:
        return []
    validator = _validator(spec, schema)
    return [_describe(e) for e in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))]


def _describe(error: jsonschema.ValidationError) -> str:
    location = "/".join(str(p) for p in error.absolute_path) or "(root)"
    return f"{location}: {error.message[:300]}"


def validate_request(operation: Operation, body: Any) -> None:
    validate(operation.spec, request_schema(operation), body,
             f"request {operation.method.upper()} {operation.template}")


def validate_response(operation: Operation, status: int, body: Any) -> None:
    validate(operation.spec, response_schema(operation, status), body,
             f"response {status} to {operation.method.upper()} {operation.template}")


def validate_ups_request(method: str, path: str, body: Any, *, prefer: str | None = None) -> None:
    """The schema, and for a Ship (or Rate) request the rules the spec states in prose (:mod:`shipdesk.ship_rules`)."""
    operation = ups_operation(method, path, prefer=prefer)
    errors = schema_errors(operation.spec, request_schema(operation), body)
    if method.lower() == "post" and ship_rules.is_ship_path(path):
        errors += [str(v) for v in ship_rules.violations(body)]
    elif method.lower() == "post" and ship_rules.is_rate_path(path):
        errors += [str(v) for v in ship_rules.rate_violations(body)]
    if errors:
        raise SpecViolation(f"request {operation.method.upper()} {operation.template}", errors)


def validate_ups_response(method: str, path: str, status: int, body: Any, *, prefer: str | None = None) -> None:
    validate_response(ups_operation(method, path, prefer=prefer), status, body)


def validate_acumatica_request(version: str, method: str, path: str, body: Any) -> None:
    validate_request(acumatica_operation(version, method, path), body)


def validate_acumatica_response(version: str, method: str, path: str, status: int, body: Any) -> None:
    validate_response(acumatica_operation(version, method, path), status, body)


def acumatica_entity_schema(version: str, entity: str) -> dict[str, Any]:
    """The schema of an entity (``Shipment``, ``SalesOrder``...) for building and checking documents."""
    spec = load_acumatica(version)
    container = spec.get("definitions") or spec.get("components", {}).get("schemas", {})
    return container[entity]
