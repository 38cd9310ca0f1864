"""What shipdesk asks UPS for and what UPS answers, as typed values.

Inputs (``ShipmentSpec`` and friends) are built by ``core.shipping.mapping``; ``ups.wire`` turns them into
UPS JSON (and knows UPS's rules, e.g. where reference numbers go) and UPS JSON back into results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

LabelFormat = Literal["GIF", "PNG", "ZPL", "EPL", "SPL"]
Classification = Literal["residential", "commercial", "unknown"]


# -- inputs ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UpsAddress:
    lines: tuple[str, ...]
    city: str
    state: str  # StateProvinceCode, may be "" outside US/CA
    postal_code: str
    country: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Party:
    name: str  # company or person, UPS "Name" (35 chars max)
    address: UpsAddress
    attention: str = ""
    phone: str = ""
    email: str = ""
    residential: bool = False


@dataclass(frozen=True)
class Reference:
    value: str  # 1-35 characters
    code: str = ""  # UPS reference type code, 2 characters ("" = none)
    barcode: bool = False


@dataclass(frozen=True)
class PackageSpec:
    weight: Decimal
    weight_unit: Literal["LBS", "KGS", "OZS"] = "LBS"
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    dimension_unit: Literal["IN", "CM"] = "IN"
    packaging_code: str = "02"  # customer supplied package
    description: str = ""
    declared_value: Decimal | None = None


@dataclass(frozen=True)
class InvoiceProduct:
    """One line of the commercial invoice (``InternationalForms.Product``)."""

    description: str  # UPS prints up to 3 lines of 35 characters
    quantity: int  # UPS takes whole numbers only (Unit.Number: 1 to 7 digits)
    unit: str  # UPS's product unit code: EA, BOX, PR, PCS... or OTH with ``unit_description``
    unit_value: Decimal  # price of one unit, in the invoice's currency; more than zero
    part_number: str = ""  # the item's number (required on a commercial invoice)
    commodity_code: str = ""  # tariff (HS) code, 6 to 15 characters
    origin_country: str = ""  # where the goods were made (ISO alpha-2)
    unit_description: str = ""  # up to 3 characters, when ``unit`` is OTH

    @property
    def total(self) -> Decimal:
        return self.unit_value * self.quantity


#: ``InternationalForms.FormType``: UPS's commercial invoice, the partial invoice a return carries, the
#: shipper's own invoice uploaded beforehand with the Paperless Documents API
INVOICE, PARTIAL_INVOICE, USER_CREATED_FORM = "01", "05", "07"


@dataclass(frozen=True)
class InvoiceForm:
    """The commercial invoice data sent in the Ship request (``ShipmentServiceOptions.InternationalForms``)."""

    form_type: str  # INVOICE, PARTIAL_INVOICE or USER_CREATED_FORM
    products: tuple[InvoiceProduct, ...]
    currency: str  # the order's currency (ISO 4217)
    invoice_number: str = ""
    invoice_date: date | None = None
    reason_for_export: str = "SALE"
    terms_of_shipment: str = ""  # Incoterm (DAP, DDP...); "" = not stated
    purchase_order: str = ""  # the customer's PO number
    declaration: str = ""
    comments: str = ""
    sold_to: Party | None = None  # the buyer; required with an invoice
    document_ids: tuple[str, ...] = ()  # USER_CREATED_FORM: the uploaded documents' DocumentIDs
    override_paperless: bool = False  # a paperless account still gets a copy of the form back

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.products), Decimal(0))


Signature = Literal["", "signature", "adult"]


@dataclass(frozen=True)
class ShipOptions:
    """The options people tick for one shipment; ``ups.wire`` places them where UPS wants them for the lane."""

    signature: Signature = ""  # Delivery Confirmation: signature required, or an adult's
    saturday_delivery: bool = False
    notifications: tuple[str, ...] = ()  # Quantum View email codes: "6" ship, "7" exception, "8" delivery
    notify_email: str = ""  # the ship-to contact's email the notifications go to
    send_declared_value: bool = True  # each package's declared value (from Acumatica) is sent
    declared_value: Decimal | None = None  # per package, instead of Acumatica's (None: Acumatica's)


#: ``Shipment.ReturnService.Code``
ELECTRONIC_RETURN_LABEL, PRINT_RETURN_LABEL = "8", "9"


@dataclass(frozen=True)
class ShipmentSpec:
    shipper: Party
    shipper_number: str  # the UPS account number
    ship_to: Party
    service_code: str
    packages: tuple[PackageSpec, ...]
    #: shipment number, order number...: ``ups.wire`` places them per UPS's rule (package level
    #: for US→US and PR→PR, shipment level otherwise)
    references: tuple[Reference, ...] = ()
    ship_from: Party | None = None
    negotiated_rates: bool = True
    label_format: LabelFormat = "GIF"
    label_stock_height: int = 6  # thermal stock 4x6 or 4x8
    description: str = ""  # required for international shipments
    currency: str = "USD"
    invoice_total: Decimal | None = None  # international: goods value for customs
    invoice: InvoiceForm | None = None  # the commercial invoice UPS prints (and files, paperless)
    documents_only: bool = False  # papers of no commercial value: no invoice, no customs value
    #: a return label: ELECTRONIC_RETURN_LABEL (UPS emails it to ``label_email``) or PRINT_RETURN_LABEL;
    #: ship_from is then the customer and ship_to the warehouse
    return_service: str = ""
    label_email: str = ""
    options: ShipOptions = ShipOptions()


# -- results --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class LabelImage:
    format: str  # GIF, PNG, ZPL, EPL, SPL, PDF as UPS named it
    data: bytes  # decoded from base64
    html: bytes | None = None  # the HTML wrapper UPS sends with GIF labels


@dataclass(frozen=True)
class PackageResult:
    tracking_number: str
    label: LabelImage | None = None
    charges: Money | None = None


@dataclass(frozen=True)
class FormDocument:
    """``ShipmentResults.Form``: UPS's international forms as one document (a PDF), and their id."""

    image: LabelImage | None  # None when UPS files them without sending a copy (paperless)
    form_group_id: str = ""


@dataclass(frozen=True)
class ShipResult:
    shipment_id: str  # ShipmentIdentificationNumber
    packages: tuple[PackageResult, ...]
    total_charges: Money | None = None  # TotalCharges, before taxes (what the freight cost is)
    negotiated_charges: Money | None = None  # NegotiatedRateCharges.TotalCharge, before taxes
    billing_weight: Decimal | None = None
    alerts: tuple[str, ...] = ()
    #: TotalChargesWithTaxes beside them, when UPS adds taxes (asked with TaxInformationIndicator; e.g. Canada):
    #: what the shipper pays UPS
    total_charges_with_taxes: Money | None = None
    negotiated_charges_with_taxes: Money | None = None
    forms: FormDocument | None = None  # the commercial invoice UPS made, when one was asked for

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        return tuple(p.tracking_number for p in self.packages)


@dataclass(frozen=True)
class VoidResult:
    shipment_id: str
    voided: bool
    status_code: str = ""
    description: str = ""
    packages: tuple[tuple[str, bool], ...] = ()  # (tracking number, voided)


@dataclass(frozen=True)
class RateQuote:
    service_code: str
    service_name: str
    #: what the shipper pays at published rates: TotalChargesWithTaxes when UPS adds taxes, else TotalCharges
    total: Money
    #: the same at the account's negotiated rates (NegotiatedRateCharges), None when UPS gives none
    negotiated: Money | None = None
    #: business days in transit: UPS's guarantee (GuaranteedDelivery), else its estimate (TimeInTransit)
    business_days: int | None = None
    alerts: tuple[str, ...] = ()
    #: TotalCharges and NegotiatedRateCharges.TotalCharge, before taxes, kept beside
    total_before_taxes: Money | None = None
    negotiated_before_taxes: Money | None = None
    guaranteed: bool = False  # business_days is UPS's published guarantee, not an estimate


@dataclass(frozen=True)
class AddressCandidate:
    address: UpsAddress
    classification: Classification = "unknown"


@dataclass(frozen=True)
class AddressValidation:
    status: Literal["valid", "ambiguous", "no_candidates"]
    classification: Classification = "unknown"
    candidates: tuple[AddressCandidate, ...] = ()


@dataclass(frozen=True)
class TrackEvent:
    status_type: str  # M, MV, I, X, D, DO, DD, W, NA, U (unknown types are kept as sent)
    status_code: str
    description: str
    location: str
    #: the instant, at the scan location's offset (UPS's, or local minus GMT); UTC when only GMT is known;
    #: naive when UPS gave only a local time (zone unknown: never taken for UTC here)
    occurred_at: datetime


@dataclass(frozen=True)
class TrackResult:
    tracking_number: str
    found: bool = True
    status_type: str = ""
    status_description: str = ""
    events: tuple[TrackEvent, ...] = ()  # newest first, as UPS sends them
    scheduled_delivery: date | None = None
    delivered_at: datetime | None = None
    received_by: str = ""
    signature_image: bytes | None = None
    reference_numbers: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def delivered(self) -> bool:
        return self.delivered_at is not None or self.status_type in ("D", "DO", "DD")


@dataclass(frozen=True)
class SubscriptionResult:
    valid: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    expires_at: datetime | None = None


@dataclass(frozen=True)
class TokenInfo:
    """What ``UpsClient.ping`` reports; the token itself never leaves the client."""

    expires_at: datetime
    granted_now: bool
    grants_today: int
    extra: dict[str, str] = field(default_factory=dict)
