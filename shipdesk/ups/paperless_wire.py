"""UPS's Paperless Documents API (``Paperless.yaml``): the upload request and its answer. Pure.

The answer's ``DocumentID`` is an array even for one document, against the spec of the time
(UPS-API/api-documentation issue 60; ShipStream/ups-rest-php-sdk issue 17): both forms are read.
"""

from __future__ import annotations

import base64
from typing import Any

from shipdesk.i18n import N_
from shipdesk.ups import errors

#: UserCreatedFormDocumentType "002 - Commercial Invoice"
COMMERCIAL_INVOICE = "002"
NAME_MAX = 300


def upload_request(data: bytes, filename: str, shipper_number: str, *, document_type: str) -> dict[str, Any]:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "pdf"
    return {"UploadRequest": {
        "Request": {"TransactionReference": {"CustomerContext": filename[:512]}},
        "ShipperNumber": shipper_number,
        "UserCreatedForm": [{
            "UserCreatedFormFileName": filename[:NAME_MAX],
            "UserCreatedFormFileFormat": extension,
            "UserCreatedFormDocumentType": document_type,
            "UserCreatedFormFile": base64.b64encode(data).decode("ascii"),
        }],
    }}


def parse_upload_response(body: Any) -> str:
    answer = body.get("UploadResponse") if isinstance(body, dict) else None
    found = answer.get("FormsHistoryDocumentID") if isinstance(answer, dict) else None
    ids = found.get("DocumentID") if isinstance(found, dict) else None
    ids = ids if isinstance(ids, list) else [ids] if ids else []
    if not ids or not isinstance(ids[0], str) or not ids[0].strip():
        raise errors.unreadable(N_("upload the invoice to UPS"), "no DocumentID")
    return ids[0].strip()
