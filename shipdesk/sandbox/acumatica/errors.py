"""Acumatica's error answers: the JSON shape every failure of the contract-based API has.

Handlers raise :class:`AcumaticaFault`; the app turns it into the response, so a deep helper
(the ``$filter`` parser, the PUT merger) can fail the request without threading responses back.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from shipdesk.sandbox.server import Request, Response

PX_EXCEPTION = "PX.Data.PXException"
#: what Acumatica answers (HTTP 500) when business logic refuses a record on PUT, as integrators report it
#: (pass-culture's Cegid/Acumatica client matches it on a 500 to PUT Bill; see docs/evidence/real-services.md 19.2)
OUTCOME_HAS_ERRORS = "PX.Api.ContractBased.OutcomeEntityHasErrorsException"
NO_ENTITY = "No entity satisfies the condition."
LOGIN_LIMIT = ("API Login Limit: the number of concurrent API sessions allowed by the licence is reached. "
               "Log out of an existing session or wait until one times out.")
INVALID_CREDENTIALS = "Invalid credentials. Please try again."
#: the bodies a sign-in over the seat count has been seen with (docs/evidence/real-services.md 19.3): Acumatica's
#: JSON, a styled page whose whole message is its title, or IIS's custom-error text that replaces the body when
#: no error page is configured for the status (IIS has none for 429)
LOGIN_LIMIT_BODIES = ("json", "html", "iis")
IIS_UNKNOWN_ERROR = "The custom error module does not recognize this error."
LOGIN_LIMIT_PAGE = ("<!DOCTYPE html>\n<html><head><title>API Login Limit</title>\n<style>body{font-family:Segoe UI,"
                    "sans-serif;background:#f5f5f5}.box{margin:10% auto;width:40%;padding:2em;background:#fff}</style>"
                    "</head>\n<body><div class=\"box\"><h1>API Login Limit</h1></div></body></html>")
NOT_LOGGED_IN = "Authorization has been denied for this request."


def error_body(exception_message: str | None, *, exception_type: str | None = PX_EXCEPTION,
               message: str = "An error has occurred.") -> dict[str, Any]:
    return {"message": message, "exceptionMessage": exception_message, "exceptionType": exception_type,
            "stackTrace": None}


def error_response(status: int, exception_message: str | None, *, exception_type: str | None = PX_EXCEPTION,
                   headers: dict[str, str] | None = None) -> Response:
    return Response.json(error_body(exception_message, exception_type=exception_type), status, headers)


def login_limit_response(body: str) -> Response:
    """429 for a sign-in over the seat count, with one of :data:`LOGIN_LIMIT_BODIES`."""
    if body == "iis":
        return Response(429, IIS_UNKNOWN_ERROR.encode("ascii"), {"Content-Type": "text/html"})
    if body == "html":
        return Response(429, LOGIN_LIMIT_PAGE.encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
    return error_response(429, LOGIN_LIMIT)


def not_found_page() -> Response:
    """What IIS answers for a path no endpoint serves (a wrong version, say): plain, not JSON."""
    html = b"<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>"
    return Response(404, html, {"Content-Type": "text/html"})


#: ASP.NET's default requestPathInvalidCharacters, refused in the decoded path (Acumatica's Web.config keeps them)
INVALID_PATH_CHARACTERS = frozenset("<>*%&:\\?")


def iis_refusal(request: Request) -> Response | None:
    """What IIS and ASP.NET answer before Acumatica sees the request, or None (docs/evidence 12.10).

    IIS decodes the path once for routing (``%2F`` is a slash by then). Request filtering's default
    ``allowDoubleEscaping=false`` refuses a path that a second decoding would change, and ``+`` in it, with
    404.11; ASP.NET then refuses ``< > * % & : \\ ?`` in the decoded path with 400.
    """
    if "+" in request.path or unquote(request.path) != request.path:
        html = (b"<html><head><title>404 - Not Found</title></head><body><h1>HTTP Error 404.11 - Not Found</h1>"
                b"<p>The request filtering module is configured to deny a request that contains a double escape "
                b"sequence.</p></body></html>")
        return Response(404, html, {"Content-Type": "text/html"})
    if INVALID_PATH_CHARACTERS & set(request.path):
        html = (b"<html><head><title>A potentially dangerous Request.Path value was detected from the client"
                b"</title></head><body><h1>Bad Request</h1></body></html>")
        return Response(400, html, {"Content-Type": "text/html"})
    return None


class AcumaticaFault(Exception):
    """A request the sandbox refuses; ``response`` is what goes back on the wire."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response

    @classmethod
    def server_error(cls, exception_message: str, exception_type: str = PX_EXCEPTION) -> AcumaticaFault:
        return cls(error_response(500, exception_message, exception_type=exception_type))

    @classmethod
    def no_entity(cls) -> AcumaticaFault:
        return cls(error_response(500, NO_ENTITY))
