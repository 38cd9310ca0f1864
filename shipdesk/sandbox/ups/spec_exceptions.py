"""Where the UPS sandbox departs from the vendored spec, and why: the one list of such exceptions.

The sandbox refuses a request the way UPS does when it breaks the spec (``validation.py``). Two kinds
of spec rule are not enforced, because UPS itself does not enforce them:

1. **Object or array.** Wherever the schema declares an array (``Package``, ``ShipmentCharge``,
   ``ReferenceNumber``, ``AddressLine``, ``FormType``, ``EMailAddress``, ``Product``...), UPS also
   takes a single object, or a single string for an array of strings. This is generic, read from
   the schema, so it holds for every array of every request (:data:`SINGLE_FOR_ARRAY`). Answers do
   the mirror image for versions before v2403, where the spec says a list of one is sent as the
   object itself (:func:`shipdesk.sandbox.ups.response_shapes.collapse_single_lists`).
2. **Individual rules that contradict production** (:data:`EXCEPTIONS`): each names the rule, what
   is accepted instead, and the evidence. A violation is tolerated only when all of path, location,
   keyword and message match, so a value outside what UPS accepts is still refused.

``docs/sandboxes.md`` shows this table to users; keep the two in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SINGLE_FOR_ARRAY = (
    "UPS accepts a single object (or string) wherever the schema declares an array. Evidence: UPS's own "
    "Shipping.yaml examples send ShipmentCharge as one object in all 16 examples that have it, Package as "
    "one object in 13 of 17, AddressLine as one string in examples 14-16; UPS-API/api-documentation issue 78 "
    "shows a request with AddressLine as one string answered by UPS's CIE test host."
)


@dataclass(frozen=True)
class SpecException:
    """A spec violation UPS does not refuse: matched by API path, JSON location, keyword and message."""

    path: str  # regex on the request path, e.g. ^/api/shipments/
    location: str  # regex on the slash-joined JSON location, e.g. /Request/SubVersion$
    keyword: str  # the JSON Schema keyword that failed (maxLength, minLength, required...)
    message: str  # regex on jsonschema's message; "" matches any
    accepts: str  # what UPS accepts instead, in words
    evidence: str  # where that is shown

    def tolerates(self, path: str, location: str, keyword: str, message: str) -> bool:
        return (keyword == self.keyword and re.search(self.path, path) is not None
                and re.search(self.location, location) is not None
                and re.search(self.message, message) is not None)


EXCEPTIONS: tuple[SpecException, ...] = (
    SpecException(
        r"^/api/rating/", r"/Service/Code$", "minLength", "",
        "Service codes of 2 characters (\"03\"); the Rating spec says at least 3.",
        "Every UPS service code is 2 characters (the Rating and Shipping specs' own service tables and "
        "examples: Code '03').",
    ),
    SpecException(
        r"^/api/rating/", r"^RateRequest/Request$", "required", r"^'RequestOption'",
        "Rate requests without Request/RequestOption: the option is the URL's {requestoption} (Rate, Shop, "
        "Ratetimeintransit, Shoptimeintransit).",
        "Rating.yaml's own examples 1 to 10 send no RequestOption in the body.",
    ),
    SpecException(
        r"^/api/labels/", r"^LabelRecoveryRequest$", "required", r"'(TrackingNumbers|ReferenceValues)'",
        "Label Recovery without TrackingNumbers/ReferenceValues (marked required, but they are for "
        "Roadie labels only).",
        "Shipping.yaml's LabelRecoveryRequest description: both belong to Roadie labels (v2603); its "
        "examples send TrackingNumber alone.",
    ),
    SpecException(
        r"^/api/labels/", r"/LabelImageFormat/Code$", "minLength", "",
        "Image format codes of 3 characters (GIF, PNG, ZPL); the spec says at least 4.",
        "Shipping.yaml's own LabelRecovery examples send Code 'GIF'.",
    ),
    SpecException(
        r"^/api/shipments/", r"^ShipmentRequest/LabelSpecification$", "required", r"^'LabelStockSize'",
        "GIF and PNG labels without LabelStockSize (the schema marks it required; ZPL, EPL and SPL still need "
        "it, checked by the Ship rules).",
        "Shipping.yaml describes LabelStockSize as 'Valid for EPL2, ZPL and SPL Labels', and 8 of its 17 Ship "
        "examples ask for GIF without it.",
    ),
    SpecException(
        r"^/api/", r"/Request/SubVersion$", "maxLength", r"^'v\d{4}' is too long$",
        "SubVersion written like the URL version, 'v2409' (5 characters); the spec allows 4 (\"2409\").",
        "karrio's UPS connector (karrio.ups on PyPI, in production use against onlinetools.ups.com) sends "
        "SubVersion 'v2409' on every Ship request; UPS reads the version from the URL.",
    ),
    SpecException(
        r"^/api/shipments/", r"/Package/\d+/Dimensions/(Length|Width|Height)$", "maxLength",
        r"^'\d{1,6}(\.\d{1,2})?' is too long$",
        "Package dimensions with decimals up to 6 digits and 2 decimals (\"10.0\", \"12.25\"); the Shipping "
        "spec allows 3 characters.",
        "Rating.yaml describes the same Package/Dimensions as '6 digits in length with 2 digits of "
        "significance after the decimal point' (maxLength 9), and Shipping.yaml's own text allows up to 108 IN "
        "or 270 CM, which cannot be written with decimals in 3 characters; karrio sends '10.0' in production. "
        "UPS has corrected such length limits when reported (UPS-API/api-documentation issues 137, 140).",
    ),
)


@dataclass(frozen=True)
class ResponseShape:
    """Where the sandbox's answer takes the shape UPS sends rather than the one the spec declares."""

    location: str
    sent: str
    evidence: str


RESPONSE_SHAPES: tuple[ResponseShape, ...] = (
    ResponseShape(
        "RateResponse/RatedShipment/*/NegotiatedRateCharges/BaseServiceCharge",
        "one object {CurrencyCode, MonetaryValue} (the spec declares an array of them)",
        "It holds one charge, and the Rating spec's 'always an array from v2403' note does not cover it, so it "
        "keeps UPS's one-element-is-an-object form; karrio's UPS connector, whose response types are generated "
        "from UPS answers, reads it as one object.",
    ),
    ResponseShape(
        "Track Alert TrackingEventRequest (the push): blank fields (postalCode, stateProvince, actualDeliveryDate, "
        "actualDeliveryTime, deliveryStartTime, deliveryEndTime, deliveryTimeDescription, deliveryPhoto)",
        "an empty string \"\" (the schema's minLength and patterns refuse it; it would have the field left out)",
        "A UPS employee's sample of a real push (UPS-API/api-documentation issue 41) and the Track Alert v1 spec "
        "examples send every blank as \"\"; tests/samples/ups_trackalert_push_in_transit_ups_staff_issue41.json.",
    ),
    ResponseShape(
        "Lists documented 'for versions >= v2403 ... always returned as an array' (PackageResults, RatedPackage, "
        "ItemizedCharges...)",
        "one object when the list has one element and the URL version is before v2403",
        "The note in Shipping.yaml and Rating.yaml on each such element.",
    ),
)


def tolerated(path: str, location: str, keyword: str, message: str) -> bool:
    """True when UPS accepts this spec violation (see :data:`EXCEPTIONS`)."""
    return any(e.tolerates(path, location, keyword, message) for e in EXCEPTIONS)
