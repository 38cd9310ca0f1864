"""Who did what: the actions the audit log records, and who "who" is.

The entries are written and read through the store (``core/store/audit_log.py``). The user is the OS login
name: warehouse PCs are often shared, and that is the name IT can trace.
"""

from __future__ import annotations

import getpass
import os
from enum import StrEnum


class AuditAction(StrEnum):
    # pulling and checking
    PULL = "pull"
    RATE = "rate"
    ADDRESS_VALIDATED = "address_validated"
    ADDRESS_CHOSEN = "address_chosen"
    ADDRESS_ACCEPTED = "address_accepted"  # shipped as typed although UPS found it ambiguous
    ADDRESS_OVERRIDDEN = "address_overridden"
    CORRECTED = "corrected"  # a Confirmed shipment corrected in Acumatica so shipdesk can write to it
    # the label
    LABEL_REQUESTED = "label_requested"
    LABELLED = "labelled"
    LABEL_REFUSED = "label_refused"
    LABEL_UNDECODABLE = "label_undecodable"
    UNCERTAIN = "uncertain"
    RECONCILED_FOUND = "reconciled_found"
    RECONCILED_NOT_FOUND = "reconciled_not_found"
    FORCE_NEW_LABEL = "force_new_label"
    DUPLICATE_VOIDED = "duplicate_voided"
    REPRINT = "reprint"
    PAPERLESS_UPLOADED = "paperless_uploaded"  # shipdesk's invoice filed with UPS before the label
    RETURN_LABEL = "return_label"  # a return label made for a shipped order
    # writing back to Acumatica
    TRACKING_WRITTEN = "tracking_written"
    LABEL_ATTACHED = "label_attached"
    CONFIRMED = "confirmed"
    WRITTEN_BACK = "written_back"
    WRITEBACK_FAILED = "writeback_failed"
    # voiding
    VOIDED = "voided"
    TRACKING_CLEARED = "tracking_cleared"
    # tracking
    UPS_DELIVERED = "ups_delivered"
    UPS_EXCEPTION = "ups_exception"


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account without USER/LOGNAME, odd containers)
        return os.environ.get("USERNAME", "") or "unknown"
