"""Request bodies are checked against the vendored specs, as UPS does, so client bugs show up as 400s.

Problems are described the way a developer fixes them: where, and what was expected (not the
whole offending value). What UPS accepts although the spec says otherwise — a single object where
an array is declared, and the rules listed in ``spec_exceptions.EXCEPTIONS`` — is not refused.
After the check, every single object sent for an array is turned into a list of one, so the
handlers read one shape whatever form the client chose.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import jsonschema

from shipdesk.sandbox.ups.errors import INVALID_REQUEST, UpsRefusal
from shipdesk.sandbox.ups.spec_exceptions import tolerated
from shipdesk.ship_rules import is_rate_path, is_ship_path, rate_refusals, refusals
from shipdesk.specs import request_schema, ups_operation

MAX_LISTED_PROBLEMS = 10
MAX_NESTING = 32  # a single object inside a single object...: one level is uncovered per pass

_validators: dict[tuple[str, str, str], jsonschema.protocols.Validator] = {}
_lock = threading.Lock()


def _validator_for(method: str, path: str) -> jsonschema.protocols.Validator | None:
    operation = ups_operation(method, path)
    key = (str(operation.spec.get("info", {}).get("title")), operation.template, method)
    with _lock:
        if key not in _validators:
            schema = request_schema(operation)
            if schema is None:
                return None
            # The spec's components stay the root so its "#/components/..." references resolve.
            root = {"components": operation.spec.get("components", {}), "$ref": "#/__target__",
                    "__target__": schema}
            is_31 = str(operation.spec.get("openapi", "")).startswith("3.1")
            cls = jsonschema.Draft202012Validator if is_31 else jsonschema.Draft7Validator
            _validators[key] = cls(root)
        return _validators[key]


def _describe(error: jsonschema.ValidationError) -> tuple[str, str]:
    location = "/".join(str(p) for p in error.absolute_path) or "(root)"
    kind = str(error.validator)
    if kind == "type":
        return location, f"{location}: must be of type {error.validator_value}"
    if kind in ("minLength", "maxLength"):
        return location, f"{location}: {error.instance!r} has a length outside the allowed range ({kind} " \
                         f"{error.validator_value})"
    if kind in ("maxItems", "minItems"):
        return location, f"{location}: has {len(error.instance)} items ({kind} {error.validator_value})"
    if kind == "required":
        return location, f"{location}: {error.message}"
    return location, f"{location}: {error.message[:200]}"


def _wants_array(error: jsonschema.ValidationError) -> bool:
    """A type error where the schema asks for an array and got one object or one string."""
    if error.validator != "type" or isinstance(error.instance, list):
        return False
    expected = error.validator_value
    types: Iterable[str] = [expected] if isinstance(expected, str) else expected
    return "array" in types and isinstance(error.instance, dict | str)


def lists_for_arrays(validator: jsonschema.protocols.Validator, body: Any) -> Any:
    """``body`` with every single object (or string) the schema wants as an array wrapped in a list."""
    for _ in range(MAX_NESTING):
        paths = [list(e.absolute_path) for e in validator.iter_errors(body) if _wants_array(e)]
        if not paths:
            break
        for path in sorted(paths, key=len, reverse=True):
            if not path:
                return body  # the whole body is not an object: left for the check to refuse
            parent = body
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = [parent[path[-1]]]
    return body


def check_request(method: str, path: str, body: Any) -> Any:
    """The body with arrays normalised; raises a 400 :class:`UpsRefusal` naming every spec violation.

    A Ship request is first held to the rules the spec states in prose (:mod:`shipdesk.ship_rules`), with
    the code UPS answers for each (a too-long attention name is UPS's 120201, not a schema error); a Rate
    request to the package unit rules, with Rate's codes."""
    broken = []
    if method.lower() == "post" and is_ship_path(path):
        broken = refusals(body)
    elif method.lower() == "post" and is_rate_path(path):
        broken = rate_refusals(body)  # a package's units (111057/110548)
    if broken:
        first = broken[0]
        raise UpsRefusal(400, first.rule.code, first.rule.message)
    validator = _validator_for(method, path)
    if validator is None:
        return body
    body = lists_for_arrays(validator, body)
    problems = []
    for error in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path))):
        location, text = _describe(error)
        if not tolerated(path, location, str(error.validator), error.message):
            problems.append(text)
    if problems:
        listed = "; ".join(problems[:MAX_LISTED_PROBLEMS])
        raise UpsRefusal(400, INVALID_REQUEST, f"Invalid request: {listed}")
    return body
