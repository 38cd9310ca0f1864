"""Acumatica's error answers turned into :mod:`shipdesk.errors`.

Acumatica answers errors as ``{"message", "exceptionMessage", "exceptionType", "stackTrace",
"modelState", "messageDetail"}``; a 422 returns the entity itself with ``"error"`` on the record,
on each refused field and on detail rows. A missing record is a 500 "No entity satisfies the
condition", not a 404. Stack traces are never put in a message.

A record that business logic refuses is a :class:`RecordRefused` (not retried: the same record gets
the same answer) whichever way it comes: 422 with the entity, or HTTP 500 with ``exceptionType``
``PX.Api.ContractBased.OutcomeEntityHasErrorsException`` ("Updating  'Shipment' record raised at least
one error. Please review the errors.", as integrators report it; docs/evidence/real-services.md 19.2).
Two saves of one record overlapping in time make the later one fail with HTTP 500
``PX.Data.PXLockViolationException`` ("Another process has updated the 'SOShipment' record. Your changes
will be lost."): a :class:`RecordChangedElsewhere`, retryable (reading the record again shows what landed).
Other 5xx stay :class:`ServerError`, retryable.
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
from shipdesk.i18n import N_, _

SERVICE = Service.ACUMATICA

LOGIN_LIMIT_MARKER = "api login limit"
OUTCOME_HAS_ERRORS = "PX.Api.ContractBased.OutcomeEntityHasErrorsException"
LOCK_VIOLATION = "PX.Data.PXLockViolationException"
NO_ENTITY_MARKER = "no entity satisfies the condition"
OPTIMIZATION_MARKER = "optimization cannot be performed"

#: hints marked with N_(): the error's ``str()`` translates its hint when shown
LOGIN_LIMIT_HINT = N_(
    "All licensed Acumatica API sessions are in use. Sessions that were not logged out expire after "
    "about 10 minutes: wait, or close other integrations using the API, and check the API limits of "
    "the licence on the License Monitoring Console (SM604000)."
)


REFUSAL_HINT = N_("Correct the record in Acumatica, then try again.")
#: when Acumatica named no field: its own screen shows which one it refuses
REFUSAL_HINT_NO_FIELD = N_("Correct the record in Acumatica (open it there and save it: Acumatica marks the field "
                           "it refuses), then try again.")


class RecordRefused(ApiRefused):
    """Acumatica's business logic refused the record: ``fields`` holds (field path, Acumatica's message) for
    each field it named (``Packages[2].TrackingNbr``), empty when it gave only its sentence."""

    retryable = False

    def __init__(self, message: str, *, status: int, fields: tuple[tuple[str, str], ...] = ()) -> None:
        self.fields = fields
        super().__init__(message, service=SERVICE, status=status,
                         hint=REFUSAL_HINT if fields else REFUSAL_HINT_NO_FIELD)


class RecordChangedElsewhere(ApiRefused):
    """Another user, process or station saved the record while this save was processed; nothing of this
    save was kept. Read the record again before deciding what to write."""

    retryable = True

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message, service=SERVICE, status=status, retryable=True,
                         hint=_("Someone saved the same record at the same moment; read it again and retry."))


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


class FieldsNotSaved(ApiRefused):
    """Acumatica answered the PUT but kept other values for some fields: a Confirmed shipment's header (custom
    ``Usr…`` fields included) is read-only and its writes are dropped without an error.

    ``fields`` maps each field that did not stick to (the value sent, the value Acumatica kept);
    ``status`` is the record's status as Acumatica answered it.
    """

    def __init__(self, message: str, *, fields: Mapping[str, tuple[Any, Any]], status: str,
                 hint: str | None = None) -> None:
        self.fields = dict(fields)
        self.record_status = status
        super().__init__(message, service=SERVICE, hint=hint)


def unreadable(what: str, detail: str) -> ServerError:
    """Acumatica answered 2xx with something of another shape than a record (HTML from a proxy, a string...)."""
    return ServerError(_("Acumatica sent {what} in a form shipdesk cannot read ({detail}).").format(
        what=what, detail=detail), service=SERVICE,
        hint=_("Try again; if it keeps happening, send the log to support."))


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


def _sentence(text: str) -> str:
    """Acumatica's text on one line, single-spaced ("Updating  'Shipment'" has two spaces)."""
    return " ".join(text.split())


def _is_field(node: Any) -> bool:
    """A wrapped value (``{"value": ..., "error": ...}``), not a linked record or a detail row."""
    return isinstance(node, Mapping) and set(node) <= {"value", "error", "type"}


def field_errors(node: Any, path: str = "") -> list[tuple[str, str]]:
    """(field path, message) for every ``error`` below the record itself, detail rows included."""
    found: list[tuple[str, str]] = []
    if isinstance(node, Mapping):
        for name, value in node.items():
            if name in ("error", "_links", "files"):
                continue
            where = f"{path}.{name}" if path else name
            if _is_field(value) and isinstance(value.get("error"), str) and value["error"].strip():
                found.append((where, value["error"].strip()))  # verbatim: key values come padded ('A1  ')
            found.extend(field_errors(value, where))
    elif isinstance(node, list):
        for index, row in enumerate(node, start=1):
            found.extend(field_errors(row, f"{path}[{index}]"))
    return found


def _model_state(body: Mapping[str, Any]) -> list[tuple[str, str]]:
    """ASP.NET's ``modelState`` ({field: [messages]}) in an error envelope, when Acumatica fills it."""
    state = body.get("modelState")
    if not isinstance(state, Mapping):
        return []
    found = []
    for name, messages in state.items():
        for message in messages if isinstance(messages, list) else [messages]:
            if isinstance(message, str) and message.strip():
                found.append((str(name), message.strip()))
    return found


def refusal(response: requests.Response, *, doing: str) -> RecordRefused | None:
    """A :class:`RecordRefused` when the answer is a business-logic refusal of the record, else None."""
    body = body_of(response)
    if not isinstance(body, Mapping):
        return None
    if body.get("exceptionType") == OUTCOME_HAS_ERRORS:
        sentence = _sentence(vendor_message(response))
        fields = tuple(_model_state(body) + field_errors(body))
    elif response.status_code == 422:
        record = body.get("error")
        fields = tuple(field_errors(body))
        sentence = _sentence(record) if isinstance(record, str) and record.strip() else ""
        if not sentence and not fields:
            sentence = _sentence(vendor_message(response))
    else:
        return None
    named = "; ".join(f"{where}: {message}" for where, message in fields)
    text = " ".join(part for part in (sentence, named) if part)
    return RecordRefused(_("Acumatica refused to {doing}: {reason}").format(doing=doing, reason=text),
                         status=response.status_code, fields=fields)


def error_for(response: requests.Response, *, doing: str) -> RemoteError:
    """The shipdesk error for a failed answer; ``doing`` completes "Acumatica refused to ..."."""
    status = response.status_code
    message = vendor_message(response)
    if mentions(response, LOGIN_LIMIT_MARKER):
        return LoginLimitReached(_("Acumatica refused to {doing}: {reason}").format(doing=doing, reason=message),
                                 service=SERVICE,
                                 status=status, hint=LOGIN_LIMIT_HINT)
    refused = refusal(response, doing=doing)
    if refused is not None:
        return refused
    body = body_of(response)
    if isinstance(body, Mapping) and body.get("exceptionType") == LOCK_VIOLATION:
        return RecordChangedElsewhere(_("Acumatica did not {doing}: {reason}").format(
            doing=doing, reason=_sentence(message)), status=status)
    if mentions(response, NO_ENTITY_MARKER) or status == 404:
        return NotFound(_("Acumatica could not {doing}: the record does not exist ({reason}).").format(
            doing=doing, reason=message),
                        service=SERVICE, status=status)
    if status == 401:
        return AuthenticationFailed(
            _("Acumatica ended the session and did not accept a new sign-in ({reason}).").format(reason=message),
            service=SERVICE, status=status, hint=_("Check the user name and password in Settings."))
    if status >= 500:
        return ServerError(_("Acumatica failed to {doing}: {reason}").format(doing=doing, reason=message),
                           service=SERVICE, status=status)
    return ApiRefused(_("Acumatica refused to {doing}: {reason}").format(doing=doing, reason=message),
                      service=SERVICE, status=status,
                      retryable=status in (409, 412))
