"""Who did what: the actions the audit log records, and who "who" is.

The entries are written and read through the store (``core/store/audit_log.py``). The user is the OS login
name: warehouse PCs are often shared, and that is the name IT can trace. The station is the packing station's
name (``[station] name``, by default the computer's name): on a shared store it says at which PC.
"""

from __future__ import annotations

import functools
import getpass
import os
import platform
from enum import StrEnum

from shipdesk.i18n import N_, _


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


A = AuditAction
#: what the history in the detail pane calls each action (English, marked: shown with ``action_label``)
ACTION_LABELS: dict[AuditAction, str] = {
    A.PULL: N_("Read from Acumatica"),
    A.RATE: N_("Rate asked"),
    A.ADDRESS_VALIDATED: N_("Address checked"),
    A.ADDRESS_CHOSEN: N_("UPS address chosen"),
    A.ADDRESS_ACCEPTED: N_("Address accepted as entered"),
    A.ADDRESS_OVERRIDDEN: N_("Address kept as entered"),
    A.CORRECTED: N_("Corrected in Acumatica"),
    A.PACKAGES_EDITED: N_("Packages changed"),
    A.SERVICE_CHANGED: N_("Service changed"),
    A.LABEL_REQUESTED: N_("Label requested"),
    A.LABELLED: N_("Labelled"),
    A.LABEL_REFUSED: N_("Label refused by UPS"),
    A.LABEL_UNDECODABLE: N_("Label unreadable"),
    A.UNCERTAIN: N_("Label uncertain"),
    A.RECONCILED_FOUND: N_("Label found at UPS"),
    A.RECONCILED_NOT_FOUND: N_("No label at UPS"),
    A.FORCE_NEW_LABEL: N_("New label bought anyway"),
    A.DUPLICATE_VOIDED: N_("Second label voided"),
    A.REPRINT: N_("Reprinted"),
    A.PAPERLESS_UPLOADED: N_("Invoice sent to UPS"),
    A.RETURN_LABEL: N_("Return label"),
    A.AUTOMATIC_LABEL: N_("Automatic label"),
    A.AUTOMATIC_STOPPED: N_("Automatic labelling stopped"),
    A.AUTOMATIC_STARTED: N_("Automatic labelling started"),
    A.TRACKING_WRITTEN: N_("Tracking numbers written to Acumatica"),
    A.LABEL_ATTACHED: N_("Label attached in Acumatica"),
    A.CONFIRMED: N_("Confirmed in Acumatica"),
    A.WRITTEN_BACK: N_("Written back to Acumatica"),
    A.WRITEBACK_FAILED: N_("Write-back failed"),
    A.VOIDED: N_("Voided"),
    A.TRACKING_CLEARED: N_("Tracking numbers cleared in Acumatica"),
    A.UPS_DELIVERED: N_("Delivered"),
    A.UPS_EXCEPTION: N_("Delivery exception"),
    A.CLAIMED: N_("Claimed by this station"),
    A.CLAIM_SEEN: N_("Another station was on it"),
    A.LABELLED_TWICE: N_("Labelled twice"),
}


def action_label(action: str) -> str:
    """What a person reads for an audit action value (the value itself when it is not one we know)."""
    try:
        return _(ACTION_LABELS[AuditAction(action)])  # i18n: marked with N_() above
    except (ValueError, KeyError):
        return action


@functools.cache
def os_user() -> str:
    """The OS login name of this process (read once: every audit entry names it)."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account without USER/LOGNAME, odd containers)
        return os.environ.get("USERNAME", "") or "unknown"


def computer_name() -> str:
    """This PC's name (the host name without its domain), the default station name."""
    name = platform.node().split(".")[0].strip()
    return name.upper() or "STATION"
