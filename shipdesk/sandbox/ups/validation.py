"""Request bodies are checked against the vendored specs, as UPS does, so client bugs show up as 400s.

Problems are described the way a developer fixes them: where, and what was expected (not the
whole offending value). A few spec rules contradict the spec's own examples and what UPS accepts
in production; those known defects are tolerated (``KNOWN_SPEC_DEFECTS``) so a correct client is
not refused.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import jsonschema

from shipdesk.sandbox.ups.errors import INVALID_REQUEST, UpsRefusal
from shipdesk.specs import request_schema, ups_operation

# (path regex, location regex, failed keyword, message regex) of violations UPS does not enforce.
KNOWN_SPEC_DEFECTS: tuple[tuple[str, str, str, str], ...] = (
    # Rating: Service/Code is documented as 3 characters; every service code is 2 ("03").
    (r"^/api/rating/", r"/Service/Code$", "minLength", ""),
    # Label recovery: Roadie-only fields are marked required; image codes are documented as 4 characters.
    (r"^/api/labels/", r"^LabelRecoveryRequest$", "required", r"'(TrackingNumbers|ReferenceValues)'"),
    (r"^/api/labels/", r"/LabelImageFormat/Code$", "minLength", ""),
)
MAX_LISTED_PROBLEMS = 10

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


def _tolerated(path: str, location: str, kind: str, message: str) -> bool:
    return any(re.search(path_re, path) and re.search(location_re, location) and kind == defect_kind
               and re.search(message_re, message)
               for path_re, location_re, defect_kind, message_re in KNOWN_SPEC_DEFECTS)


def check_request(method: str, path: str, body: Any) -> None:
    """Raise a 400 :class:`UpsRefusal` naming every spec violation in ``body``."""
    validator = _validator_for(method, path)
    if validator is None:
        return
    problems = []
    for error in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path))):
        location, text = _describe(error)
        if not _tolerated(path, location, str(error.validator), error.message):
            problems.append(text)
    if problems:
        listed = "; ".join(problems[:MAX_LISTED_PROBLEMS])
        raise UpsRefusal(400, INVALID_REQUEST, f"Invalid request: {listed}")
