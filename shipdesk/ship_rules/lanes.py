"""UPS's lanes: which rules apply between two countries. The client's wire (``ups/forms_wire.py``) builds its
requests by these same facts that the rules check."""

from __future__ import annotations

#: the European Union (goods entering it from outside follow the EU inbound rules)
EU = frozenset({"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
                "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"})
#: forward shipments from the US to these need the shipment-level invoice total; returns from them to the US too
INVOICE_TOTAL_DESTINATIONS = frozenset({"CA", "PR"})
#: where a documents-only shipment may not be flagged as such (Shipping.yaml DocumentsOnlyIndicator)
NO_DOCUMENTS_FLAG_TO = frozenset({"CA", "PR", "MX"})
#: CommodityFieldSpecialConditionCode: no standardised product id is given (EU inbound)
NO_STANDARD_PRODUCT_ID = "01"
#: "For all other countries or territories the postal code [...] must be no more than 9 alphanumeric characters"
POSTAL_CODE_MAX = 9


def crosses_customs(origin: str, destination: str) -> bool:
    """Goods cross a customs border: different countries, except between the US and Puerto Rico."""
    pair = {origin.upper(), destination.upper()}
    return len(pair) == 2 and pair != {"US", "PR"}


def invoice_line_total_applies(origin: str, destination: str, *, returning: bool) -> bool:
    """Where UPS wants (and only accepts) the shipment-level ``InvoiceLineTotal``: "Required for forward shipments
    whose origin is the US and destination is Puerto Rico or Canada. Not available for any other shipments";
    a return from CA/PR to the US needs it too (ShipWorks' UPS client, found by trial and error)."""
    origin, destination = origin.upper(), destination.upper()
    if returning:
        return origin in INVOICE_TOTAL_DESTINATIONS and destination == "US"
    return origin == "US" and destination in INVOICE_TOTAL_DESTINATIONS


def documents_flag_allowed(origin: str, destination: str) -> bool:
    """``DocumentsOnlyIndicator``: "Valid only for shipments with different origin and destination [...]. The
    origin [...] is not US, and the destination [...] is not CA, PR or MX"."""
    origin, destination = origin.upper(), destination.upper()
    return origin != destination and origin != "US" and destination not in NO_DOCUMENTS_FLAG_TO


def eu_inbound(origin: str, destination: str) -> bool:
    return destination.upper() in EU and origin.upper() not in EU


# -- the rules -------------------------------------------------------------------------------------------


#: where Delivery Confirmation is a package option; everywhere else it is a shipment option
PACKAGE_CONFIRMATION_COUNTRIES = frozenset({"US", "PR"})


def package_delivery_confirmation(origin: str, destination: str) -> bool:
    """UPS's appendix "Delivery Confirmation Origin-Destination Pairs": a package-level ``DeliveryConfirmation``
    within (and between) the US and Puerto Rico, a shipment-level one for every other pair."""
    return {origin.upper(), destination.upper()} <= PACKAGE_CONFIRMATION_COUNTRIES
