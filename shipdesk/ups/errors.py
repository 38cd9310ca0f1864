"""UPS error answers → the right :mod:`shipdesk.errors` class, with UPS's own words in the sentence.

UPS error bodies look like ``{"response": {"errors": [{"code": "120541", "message": "..."}]}}``
(OAuth and every JSON API). Anything else (HTML from a proxy, empty body) is described by status.
401 and 429/5xx retries are the client's and the transport's business; this module only names
what is left.
"""

from __future__ import annotations

from typing import Any

import requests

from shipdesk.errors import ApiRefused, AuthenticationFailed, RemoteError, ServerError, Service
from shipdesk.i18n import N_, _

SERVICE = Service.UPS

#: UPS codes whose usual cause is worth telling the admin
_HINTS = {
    "250002": N_("This usually means the API product (e.g. Shipping) is not added to your app in the "
                 "UPS developer portal, or the client id and secret are wrong."),
    "250003": N_("Check the client id and secret in Settings."),
    "120541": N_("UPS accepts shipment-level reference numbers only outside US→US and PR→PR shipments."),
}


class ProductNotEnabled(AuthenticationFailed):
    """UPS refused a freshly granted token for one API product only (401, usually 250002): that product is not
    added to the app in the UPS developer portal. The token stays good for the other products.

    ``product`` names it ("Address Validation"); ``first`` is True for the call that found out, False for the
    calls refused without asking UPS while shipdesk waits before trying that product again.
    """

    def __init__(self, message: str, *, product: str, first: bool, code: str | None = None,
                 hint: str | None = None) -> None:
        self.product = product
        self.first = first
        super().__init__(message, service=SERVICE, status=401, code=code, hint=hint)


def ups_errors(body: Any) -> list[tuple[str, str]]:
    """(code, message) pairs from a UPS error body; empty when the body has none."""
    if not isinstance(body, dict):
        return []
    response = body.get("response") or body.get("Response") or {}
    errors = response.get("errors") if isinstance(response, dict) else None
    if isinstance(errors, dict):
        errors = [errors]
    pairs = []
    for item in errors if isinstance(errors, list) else []:
        if isinstance(item, dict):
            pairs.append((str(item.get("code", "")).strip(), str(item.get("message", "")).strip()))
    return pairs


def _body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def describe(response: requests.Response, action: str) -> tuple[str, str | None, str | None]:
    """(sentence, first UPS code, hint) for a failed answer to ``action`` ("create the label", marked with N_()
    by the caller: UPS's own words stay as UPS wrote them)."""
    pairs = ups_errors(_body(response))
    doing = _(action)  # i18n: the callers mark their action with N_()
    if not pairs:
        said = _("UPS could not {action} (HTTP {status}).").format(action=doing, status=response.status_code)
        return said, None, None
    texts = "; ".join(_("{message} (UPS error {code})").format(message=msg or "—", code=code or "—")
                      for code, msg in pairs)
    code = pairs[0][0] or None
    hint = next((_(_HINTS[c]) for c, _text in pairs if c in _HINTS), None)  # i18n: N_()-marked above
    return _("UPS could not {action}: {errors}.").format(action=doing, errors=texts), code, hint


def error_for(response: requests.Response, action: str) -> RemoteError:
    """The error to raise for a non-2xx answer that the transport did not retry."""
    message, code, hint = describe(response, action)
    status = response.status_code
    if status == 401:
        return AuthenticationFailed(message, service=SERVICE, status=status, code=code,
                                    hint=hint or _("Check the UPS client id and secret in Settings."))
    if status >= 500 or status == 429:
        return ServerError(message, service=SERVICE, status=status, code=code,
                           hint=hint or _("UPS has a problem on its side; try again in a few minutes."))
    return ApiRefused(message, service=SERVICE, status=status, code=code, hint=hint)


def unreadable(action: str, detail: str) -> ServerError:
    """UPS answered 2xx with something we cannot understand."""
    doing = _(action)  # i18n: the callers mark their action with N_()
    return ServerError(_("UPS answered the request to {action} with data shipdesk cannot read ({detail}).").format(
        action=doing, detail=detail), service=SERVICE,
        hint=_("Try again; if it keeps happening, send the log to support."))
