"""UPS's error shape ``{"response": {"errors": [{"code", "message"}]}}`` and the refusal handlers raise."""

from __future__ import annotations

from shipdesk.sandbox.server import Response

# The codes the real services use for the refusals the sandbox reproduces.
INVALID_AUTHENTICATION = "250002"  # also: an API product not added to the app
MISSING_TOKEN = "UJ0001"
TOKEN_EXPIRED = "251004"
INVALID_REQUEST = "120100"
SHIPMENT_REFERENCE_NOT_ALLOWED = "120541"
INVALID_SERVICE = "120702"
INVALID_SHIPPER_NUMBER = "120100"
TOO_MANY_PACKAGES = "120217"
VOID_NOT_FOUND = "190117"
LABEL_NOT_FOUND = "120802"
TRACKING_NOT_FOUND = "TW0001"
MISSING_TRACK_HEADER = "TV1002"
RATE_LIMITED = "10429"


class UpsRefusal(Exception):
    """A request UPS would refuse; the app turns it into an error response."""

    def __init__(self, status: int, code: str, message: str, *,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        return error_response(self.status, [(self.code, self.message)], self.headers)


def error_body(problems: list[tuple[str, str]]) -> dict[str, object]:
    return {"response": {"errors": [{"code": code, "message": message} for code, message in problems]}}


def error_response(status: int, problems: list[tuple[str, str]],
                   headers: dict[str, str] | None = None) -> Response:
    return Response.json(error_body(problems), status, headers)
