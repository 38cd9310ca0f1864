"""Ship refusals that need the sandbox's own state (the prose rules without state are ``shipdesk.ship_rules``)."""

from __future__ import annotations

from typing import Any

from shipdesk.sandbox.ups.errors import UpsRefusal
from shipdesk.sandbox.ups.paperless import FormsHistory
from shipdesk.ship_rules.customs import DOCUMENT_ID


def check_uploaded_documents(request: dict[str, Any], history: FormsHistory, account: str) -> None:
    """Form 07 must name documents this account uploaded (UPS 128223 "Invalid or missing DocumentID.")."""
    forms = ((request.get("Shipment") or {}).get("ShipmentServiceOptions") or {}).get("InternationalForms") or {}
    if "07" not in (forms.get("FormType") or []):
        return
    for document_id in (forms.get("UserCreatedForm") or {}).get("DocumentID") or []:
        if not history.known(str(document_id), account.upper()):
            raise UpsRefusal(400, DOCUMENT_ID.code, DOCUMENT_ID.message)
