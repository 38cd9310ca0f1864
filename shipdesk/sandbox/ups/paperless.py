"""UPS's Paperless Documents API (``POST /api/paperlessdocuments/{version}/upload``): the shipper's own trade
documents, kept in "Forms History" under a DocumentID that a Ship request then names (InternationalForms
FormType 07, ``UserCreatedForm.DocumentID``).

As UPS does (Paperless.yaml; docs/evidence/international-and-returns.md): the account must have "Upload
Forms Created Offline" enabled (the sandbox's ``paperless`` option); the ``ShipperNumber`` header and body
name it; at most 13 files; allowed formats bmp, doc, docx, gif, jpg, pdf, png, rtf, tif, txt, xls, xlsx;
document types 001 to 013; a file of at most 10 MB (1 MB on UPS's test host, CIE); the answer's
``DocumentID`` is always an array (UPS-API/api-documentation issue 60), each id 26 characters
(``2013-12-04-00.15.33.207814``, ShipStream/ups-rest-php-sdk issue 17). UPS publishes no error codes for
this API: the refusals use the general "well formed but not valid" code 10002.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shipdesk.sandbox.ups.errors import UpsRefusal

NOT_VALID = "10002"
ALLOWED_FORMATS = frozenset({"bmp", "doc", "docx", "gif", "jpg", "pdf", "png", "rtf", "tif", "txt", "xls", "xlsx"})
DOCUMENT_TYPES = frozenset(f"{n:03d}" for n in range(1, 14))
MAX_FILES = 13
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class StoredDocument:
    document_id: str
    shipper: str
    file_name: str
    file_format: str
    document_type: str
    data: bytes


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class FormsHistory:
    """The uploaded documents by DocumentID."""

    def __init__(self) -> None:
        self.documents: dict[str, StoredDocument] = {}
        self._last: datetime | None = None

    def _new_id(self, now: datetime) -> str:
        moment = now.replace(tzinfo=None)
        if self._last is not None and moment <= self._last:
            moment = self._last + timedelta(microseconds=1)
        self._last = moment
        return moment.strftime("%Y-%m-%d-%H.%M.%S.%f")

    def upload(self, body: dict[str, Any], header_shipper: str | None, account: str, *, enabled: bool,
               now: datetime) -> dict[str, Any]:
        request = body["UploadRequest"]
        shipper = str(request.get("ShipperNumber") or "").upper()
        if (header_shipper or "").upper() != account or shipper != account:
            raise UpsRefusal(400, NOT_VALID, "The ShipperNumber header and ShipperNumber must be your UPS account.")
        if not enabled:
            raise UpsRefusal(400, NOT_VALID, "The shipper account is not enabled for Upload Forms Created Offline "
                                             "(paperless documents).")
        forms = _as_list(request.get("UserCreatedForm"))
        if not 1 <= len(forms) <= MAX_FILES:
            raise UpsRefusal(400, NOT_VALID, f"Send 1 to {MAX_FILES} user created forms.")
        ids = []
        for form in forms:
            fmt = str(form.get("UserCreatedFormFileFormat", "")).lower()
            kind = str(form.get("UserCreatedFormDocumentType", ""))
            if fmt not in ALLOWED_FORMATS:
                raise UpsRefusal(400, NOT_VALID, f"Invalid UserCreatedFormFileFormat {fmt!r}.")
            if kind not in DOCUMENT_TYPES:
                raise UpsRefusal(400, NOT_VALID, f"Invalid UserCreatedFormDocumentType {kind!r}.")
            try:
                data = base64.b64decode(str(form.get("UserCreatedFormFile", "")), validate=True)
            except (binascii.Error, ValueError):
                raise UpsRefusal(400, NOT_VALID, "UserCreatedFormFile is not base64.") from None
            if not data or len(data) > MAX_FILE_BYTES:
                raise UpsRefusal(400, NOT_VALID, "UserCreatedFormFile is empty or larger than 10 MB.")
            document_id = self._new_id(now)
            self.documents[document_id] = StoredDocument(document_id, shipper, str(form["UserCreatedFormFileName"]),
                                                         fmt, kind, data)
            ids.append(document_id)
        return {"UploadResponse": {"Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
                                   "FormsHistoryDocumentID": {"DocumentID": ids}}}

    def known(self, document_id: str, account: str) -> bool:
        found = self.documents.get(document_id)
        return found is not None and found.shipper == account
