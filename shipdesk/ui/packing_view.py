"""Plain values the packing station's dialogs show and give back (no Qt, no core types): the packages of a
shipment, the boxes to choose from, the services with price and delivery date, the options ticked."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from shipdesk.i18n import _
from shipdesk.i18n.formats import number


@dataclass(frozen=True)
class BoxChoice:
    name: str  # the Box ID
    length: Decimal
    width: Decimal
    height: Decimal
    tare: Decimal

    @property
    def label(self) -> str:
        sizes = "×".join(number(x.normalize()) for x in (self.length, self.width, self.height)) if self.length else ""
        return f"{self.name}  {sizes}".strip()


@dataclass(frozen=True)
class PackageLine:
    box: str
    weight: Decimal
    length: Decimal | None = None  # None: the box's size
    width: Decimal | None = None
    height: Decimal | None = None


@dataclass(frozen=True)
class ServiceQuote:
    code: str
    name: str
    published: str  # "18.95 USD"
    negotiated: str = ""
    delivery: str = ""  # "Wed 9 Dec" ("" when UPS gave no transit time)

    @property
    def label(self) -> str:
        price = self.negotiated or self.published
        if not self.delivery:
            return f"{self.name} · {price}"
        return _("{service} · {price} · delivery {day}").format(service=self.name, price=price, day=self.delivery)


@dataclass(frozen=True)
class TickedOptions:
    signature: str = "none"  # none | required | adult
    saturday_delivery: bool = False
    notify: tuple[str, ...] = ()  # ship, exception, delivery
    declared_value: bool = True


@dataclass(frozen=True)
class PackingView:
    shipment: str
    ship_via: str
    weight_unit: str  # the shipment's (Acumatica's UOM): LB, KG
    packages: tuple[PackageLine, ...]
    boxes: tuple[BoxChoice, ...]
    mapped_service: str  # the Ship Via's UPS service code ("" when unmapped)
    options: TickedOptions  # the defaults for its customer or Ship Via
    notify_email: str  # where UPS's emails go ("" = nowhere: notifications cannot be ticked)
    scale: str  # "the scale on COM3"; "" when the station has none
    quotes: tuple[ServiceQuote, ...] = field(default=())
    labelled: bool = False  # a label exists: nothing to pack


@dataclass(frozen=True)
class PackChoice:
    """What the Pack dialog gives back."""

    packages: tuple[PackageLine, ...]
    service: str  # "" = the Ship Via's
    reason: str
    options: TickedOptions
