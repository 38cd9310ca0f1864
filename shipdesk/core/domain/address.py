"""What shipdesk knows about a shipment's ship-to address after UPS Address Validation (kept per shipment)."""

from __future__ import annotations

from enum import StrEnum


class AddressStatus(StrEnum):
    """UPS's verdict on the address, or the clerk's override of it."""

    NOT_CHECKED = ""
    VALID = "valid"
    AMBIGUOUS = "ambiguous"  # several candidates: the clerk picks one
    NO_CANDIDATES = "no_candidates"  # UPS does not know the address
    OVERRIDDEN = "overridden"  # a person confirmed the address as typed, with a reason (audited)
    NOT_VALIDATED = "not_validated"  # shipped as typed: UPS Address Validation is not enabled for the app


class AddressClass(StrEnum):
    """UPS's classification of the address (sets the residential indicator on the label)."""

    NOT_CHECKED = ""
    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"
    UNKNOWN = "unknown"

    @property
    def residential(self) -> bool | None:
        """The residential flag UPS's classification gives; None: UPS did not say."""
        return {AddressClass.RESIDENTIAL: True, AddressClass.COMMERCIAL: False}.get(self)
