"""What shipdesk knows about a shipment's ship-to address after UPS Address Validation (kept per shipment)."""

from __future__ import annotations

from enum import StrEnum

from shipdesk.i18n import N_


class AddressStatus(StrEnum):
    """UPS's verdict on the address, or the clerk's override of it."""

    NOT_CHECKED = ""
    VALID = "valid"
    AMBIGUOUS = "ambiguous"  # several candidates: the clerk picks one
    NO_CANDIDATES = "no_candidates"  # UPS does not know the address
    OVERRIDDEN = "overridden"  # a person confirmed the address as typed, with a reason (audited)
    NOT_VALIDATED = "not_validated"  # shipped as typed: UPS Address Validation is not enabled for the app

    @property
    def label(self) -> str:
        """In words, for a person (marked for the catalogue; translate where shown)."""
        return _STATUS_WORDS[self]


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

    @property
    def label(self) -> str:
        """In words, for a person (marked for the catalogue; translate where shown)."""
        return _CLASS_WORDS[self]


_STATUS_WORDS = {AddressStatus.NOT_CHECKED: N_("not checked"), AddressStatus.VALID: N_("valid"),
                 AddressStatus.AMBIGUOUS: N_("ambiguous"), AddressStatus.NO_CANDIDATES: N_("unknown to UPS"),
                 AddressStatus.OVERRIDDEN: N_("kept as typed"), AddressStatus.NOT_VALIDATED: N_("not validated")}
_CLASS_WORDS = {AddressClass.NOT_CHECKED: N_("not checked"), AddressClass.RESIDENTIAL: N_("residential"),
                AddressClass.COMMERCIAL: N_("commercial"), AddressClass.UNKNOWN: N_("unknown")}
