"""Who did what: the actions the audit log records, and who "who" is.

The entries are written and read through the store (``core/store/audit_log.py``). The user is the OS login
name: warehouse PCs are often shared, and that is the name IT can trace. The station is the packing station's
name (``[station] name``, by default the computer's name): on a shared store it says at which PC.
"""

from __future__ import annotations

import getpass
import os
import platform
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
    PACKAGES_EDITED = "packages_edited"  # boxes, weights, sizes changed at the station and written to Acumatica
    SERVICE_CHANGED = "service_changed"  # shipped with another service than the Ship Via's (reason kept)
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
    AUTOMATIC_LABEL = "automatic_label"  # bought by automatic mode, no clerk involved
    AUTOMATIC_STOPPED = "automatic_stopped"  # by a person, or by the daily cap
    AUTOMATIC_STARTED = "automatic_started"
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
    # stations without a shared store
    CLAIMED = "claimed"  # this station's claim left on the Acumatica shipment before the Ship call
    CLAIM_SEEN = "claim_seen"  # another station's fresh claim was there: this one backed off
    LABELLED_TWICE = "labelled_twice"  # Acumatica already had another station's tracking numbers


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account without USER/LOGNAME, odd containers)
        return os.environ.get("USERNAME", "") or "unknown"


def computer_name() -> str:
    """This PC's name (the host name without its domain), the default station name."""
    name = platform.node().split(".")[0].strip()
    return name.upper() or "STATION"
