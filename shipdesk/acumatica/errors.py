"""Acumatica's error answers turned into :mod:`shipdesk.errors`.

Acumatica answers errors as ``{"message", "exceptionMessage", "exceptionType", "stackTrace",
"modelState", "messageDetail"}``; a 422 returns the entity itself with ``"error"`` on the record,
on each refused field and on detail rows. A missing record is a 500 "No entity satisfies the
condition", not a 404. Stack traces are never put in a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

from shipdesk.errors import (
    ApiRefused,
    AuthenticationFailed,
    LoginLimitReached,
    NotFound,
    RemoteError,
    ServerError,
    Service,
)

SERVICE = Service.ACUMATICA

LOGIN_LIMIT_MARKER = "api login limit"
NO_ENTITY_MARKER = "no entity satisfies the condition"
OPTIMIZATION_MARKER = "optimization cannot be performed"

LOGIN_LIMIT_HINT = (
    "All licensed Acumatica API sessions are in use. Sessions that were not logged out expire after "
    "about 10 minutes: wait, or close other integrations using the API, and check the API limits of "
    "the licence on the License Monitoring Console (SM604000)."
)


class TrackingNotSaved(ApiRefused):
    """Acumatica accepted the PUT but did not keep some tracking numbers (e.g. shipment Confirmed).

    ``missing`` maps package row id → the tracking number that was not saved; ``status`` is the
    shipment status Acumatica returned.
    """

    def __init__(self, message: str, *, shipment_nbr: str, missing: Mapping[str, str], status: str,
                 hint: str | None = None) -> None:
        self.shipment_nbr = shipment_nbr
        self.missing = dict(missing)
        self.shipment_status = status
        super().__init__(message, service=SERVICE, hint=hint)


def body_of(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def vendor_message(response: requests.Response) -> str:
    """The most specific human text in an error answer (never the stack trace)."""
    body = body_of(response)
    if isinstance(body, Mapping):
        for key in ("exceptionMessage", "messageDetail", "message", "error_description", "error"):
            text = body.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip()
    text = (response.text or "").strip()
    if text and not text.startswith("<"):
        return text[:300]
    return f"HTTP {response.status_code} {response.reason or ''}".strip()


def mentions(response: requests.Response, marker: str) -> bool:
    return marker in (response.text or "").lower()


def entity_errors(node: Any, path: str = "") -> list[str]:
    """Every ``error`` in a 422 entity, as ``"Packages[2].TrackingNbr: message"``."""
    found: list[str] = []
    if isinstance(node, Mapping):
        error = node.get("error")
        if isinstance(error, str) and error:
            found.append(f"{path}: {error}" if path else error)
        for name, value in node.items():
            if name in ("error", "_links", "files"):
                continue
            found.extend(entity_errors(value, f"{path}.{name}" if path else name))
    elif isinstance(node, list):
        for index, row in enumerate(node, start=1):
            found.extend(entity_errors(row, f"{path}[{index}]"))
    return found


def error_for(response: requests.Response, *, doing: str) -> RemoteError:
    """The shipdesk error for a failed answer; ``doing`` completes "Acumatica refused to ..."."""
    status = response.status_code
    message = vendor_message(response)
    if mentions(response, LOGIN_LIMIT_MARKER):
        return LoginLimitReached(f"Acumatica refused to {doing}: {message}", service=SERVICE,
                                 status=status, hint=LOGIN_LIMIT_HINT)
    if status == 422:
        problems = entity_errors(body_of(response)) or [message]
        return ApiRefused(f"Acumatica refused to {doing}: " + "; ".join(problems), service=SERVICE,
                          status=status, hint="Correct the record in Acumatica, then try again.")
    if mentions(response, NO_ENTITY_MARKER) or status == 404:
        return NotFound(f"Acumatica could not {doing}: the record does not exist ({message}).",
                        service=SERVICE, status=status)
    if status == 401:
        return AuthenticationFailed(
            f"Acumatica ended the session and did not accept a new sign-in ({message}).",
            service=SERVICE, status=status, hint="Check the user name and password in Settings.")
    if status >= 500:
        return ServerError(f"Acumatica failed to {doing}: {message}", service=SERVICE, status=status)
    return ApiRefused(f"Acumatica refused to {doing}: {message}", service=SERVICE, status=status,
                      retryable=status in (409, 412))
