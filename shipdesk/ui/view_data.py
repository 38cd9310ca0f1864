"""Plain values the services adapter hands to the widgets. No Qt, no I/O: widgets only read these.

A table row is a tuple (cheap for ``data()`` to read by :class:`Col` index for 20,000 shipments) with
named fields (:class:`Row`), so whoever builds one never counts positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import NamedTuple

from shipdesk.i18n import N_, _


class Col(IntEnum):
    """Columns of the shipments table, in order; a row tuple has one value per column."""

    SHIPMENT = 0
    ORDER = 1
    CUSTOMER = 2
    CITY = 3
    REGION = 4
    COUNTRY = 5
    SERVICE = 6
    PACKAGES = 7
    WEIGHT = 8
    STATE = 9
    TRACKING = 10
    LAST_EVENT = 11
    DELIVERED = 12
    CHARGE = 13


#: the English titles (marked): shown with ``_()``
COLUMN_TITLES: dict[Col, str] = {
    Col.SHIPMENT: N_("Shipment"),
    Col.ORDER: N_("Order"),
    Col.CUSTOMER: N_("Customer"),
    Col.CITY: N_("City"),
    Col.REGION: N_("State"),
    Col.COUNTRY: N_("Country"),
    Col.SERVICE: N_("Ship Via → UPS"),
    Col.PACKAGES: N_("Pkgs"),
    Col.WEIGHT: N_("Weight"),
    Col.STATE: N_("Status"),
    Col.TRACKING: N_("Tracking"),
    Col.LAST_EVENT: N_("Last UPS event"),
    Col.DELIVERED: N_("Delivered"),
    Col.CHARGE: N_("Charge"),
}

class Row(NamedTuple):
    """One shipment in the table; field ``i`` is column ``Col(i)``."""

    shipment: str
    order: str = ""  # order number(s)
    customer: str = ""
    city: str = ""
    region: str = ""
    country: str = ""
    service: str = ""  # "UPSGROUND → Ground"
    packages: int = 0
    weight: float = 0.0
    state: str = "pending"  # a State value
    tracking: str = ""  # tracking number(s)
    last_event: str = ""  # the last UPS event
    delivered: str = ""  # delivered date, "" when none
    charge: float = 0.0  # what the label costs the shipper (negotiated, else published); 0 before a label


@dataclass(frozen=True)
class Listing:
    """Every shipment known locally (rows) and how many are in each state (state value → count)."""

    rows: list[Row]
    counts: dict[str, int]


@dataclass(frozen=True)
class AddressView:
    name: str = ""
    attention: str = ""
    lines: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""

    def one_line(self) -> str:
        place = " ".join(p for p in (self.region, self.postal_code) if p)
        parts = [*self.lines, self.city, place, self.country]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class PackageView:
    weight: str  # with unit, e.g. "12.5 LB"
    dimensions: str = ""
    tracking: str = ""
    last_event: str = ""


@dataclass(frozen=True)
class EventView:
    when: str
    description: str
    location: str = ""
    tracking: str = ""


@dataclass(frozen=True)
class AuditView:
    when: str
    user: str
    action: str
    detail: str = ""
    station: str = ""


@dataclass(frozen=True)
class RateLine:
    service: str
    amount: str  # "12.34 USD"
    negotiated: str = ""
    days: str = ""
    delivery: str = ""  # "Thu 10 Dec" (from the business days UPS gives, counted from today)
    mapped: bool = False  # the service the shipment's Ship Via maps to (what a label would use)


@dataclass(frozen=True)
class Rates:
    """UPS's quotes for one shipment (``shop``: every service), and what to know about them."""

    shipment: str
    lines: tuple[RateLine, ...]
    shop: bool = False
    note: str = ""  # "Labelled on 12-07 for 12.34 USD: today's quotes for comparison."


@dataclass(frozen=True)
class EstimateLine:
    shipment: str
    service: str = ""
    amount: str = ""  # "12.34 USD" (the negotiated rate when UPS gives one)
    problem: str = ""  # why it cannot be rated (it will fail to ship too)


@dataclass(frozen=True)
class ChargeEstimate:
    """What a batch of labels will cost, from a UPS rate quote for each shipment."""

    lines: tuple[EstimateLine, ...]
    totals: tuple[str, ...] = ()  # "231.40 USD", one per currency
    cancelled: bool = False


@dataclass(frozen=True)
class UncertainCheck:
    when: str
    what: str


@dataclass(frozen=True)
class UncertainLabel:
    """What shipdesk did about a label whose UPS answer was lost, and whether a person may now decide."""

    since: str  # when the answer was lost
    checks: tuple[UncertainCheck, ...]  # each look-up at UPS by reference, newest first
    decide_from: str  # when "Buy a new label" is offered ("" once it is)
    can_decide: bool


class RetryAction(StrEnum):
    """What the detail pane's Retry button does about a shipment's problem."""

    VALIDATE = "validate"  # check the address with UPS again (then choose or keep it)
    SHIP = "ship"  # try the label again
    WRITE_BACK = "writeback"  # write the tracking numbers and labels to Acumatica again
    RECONCILE = "reconcile"  # look the uncertain label up at UPS
    FORCE_NEW = "force_new"  # a new label although UPS may have made one (asked first; voided if it turns up)

    @property
    def button_text(self) -> str:
        return _(_BUTTON_TEXTS[self])  # i18n: marked with N_()


_BUTTON_TEXTS = {
    RetryAction.VALIDATE: N_("Check address again"),
    RetryAction.SHIP: N_("Try the label again"),
    RetryAction.WRITE_BACK: N_("Write back to Acumatica again"),
    RetryAction.RECONCILE: N_("Look the label up at UPS"),
    RetryAction.FORCE_NEW: N_("Buy a new label…"),
}


@dataclass(frozen=True)
class ShipmentDetail:
    """Everything the detail pane shows for one shipment."""

    shipment: str
    state: str
    state_label: str
    customer: str = ""
    orders: str = ""
    ship_via: str = ""
    service: str = ""
    ship_to: AddressView = field(default_factory=AddressView)
    validation: str = ""  # "Valid", "Ambiguous (3 candidates)", "Not checked", "Overridden: <reason>"
    #: the AddressStatus value the sentence says (what colours its chip); None: the chip goes by the English words
    validation_status: str | None = None
    classification: str = ""  # "Residential", "Commercial", ""
    packages: tuple[PackageView, ...] = ()
    rates: tuple[RateLine, ...] = ()
    label_previews: tuple[bytes, ...] = ()  # PNG bytes, one per package label
    events: tuple[EventView, ...] = ()
    audit: tuple[AuditView, ...] = ()
    #: why a human must act, and what to do (a sentence from core), or ""
    problem: str = ""
    #: what the Retry button does about the problem (None: no button)
    retry_action: RetryAction | None = None
    #: "Labelled at PACK-02, 2026-12-07 10:02" when another station made the shipment's label ("" otherwise)
    labelled_at: str = ""
    #: what UPS charged for the label ("12.34 USD, negotiated 10.12 USD"), "" before a label
    charge: str = ""
    #: the look-ups of an uncertain label and the decision a person may take
    uncertain: UncertainLabel | None = None


@dataclass(frozen=True)
class Candidate:
    lines: tuple[str, ...]
    city: str
    region: str
    postal_code: str
    country: str
    classification: str = ""

    def one_line(self) -> str:
        return ", ".join(p for p in (*self.lines, self.city, f"{self.region} {self.postal_code}".strip(),
                                     self.country) if p)


@dataclass(frozen=True)
class AddressCheck:
    """UPS address validation for one shipment: what was entered, what UPS said, its candidates."""

    shipment: str
    entered: AddressView
    status: str  # "valid" | "ambiguous" | "no_candidates"
    classification: str = ""
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class ActionResult:
    """The outcome of one action on one shipment, as the batch result list and notices show it."""

    shipment: str
    ok: bool
    message: str
    tracking: tuple[str, ...] = ()
    #: UPS's candidates when the ship stopped because the address is ambiguous (a decision to ask for)
    address: AddressCheck | None = None
    #: what to do about a failure (empty when the message says it, or nothing is to be done)
    fix: str = ""
    #: what UPS charged for a label just bought ("12.34 USD")
    charge: str = ""


@dataclass(frozen=True)
class BatchProgress:
    done: int
    total: int
    current: str
    result: ActionResult | None = None


@dataclass(frozen=True)
class StatusInfo:
    acumatica: str = "not connected"
    ups: str = "not connected"
    last_sync: str = ""
    next_sync: str = ""
    pending_writebacks: int = 0
    demo: bool = False
    automatic: str = ""  # "" when automatic labelling is off; else what it is doing ("stopped", "12/300 today")
    automatic_note: str = ""  # why it is stopped (the tooltip)
    sync_runs_at: str = ""  # who runs the sync for everyone sharing the store, when it is not this app
