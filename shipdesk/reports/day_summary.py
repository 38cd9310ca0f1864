"""The day's summary as numbers: what left the building per UPS service, the voids and the exceptions.

The input is plain rows (:class:`ShipmentRow`, one per shipment labelled that day, voided ones
included) so that the store, the sandbox or a test can fill them. :func:`summarize` adds them up:

- per service (and currency): shipments, packages, weight, negotiated and published charges;
- totals per currency (one line for a warehouse that ships in one currency);
- the voided shipments, which count nowhere else: their packages do not leave and UPS credits them;
- the shipments with an exception (they left, and someone must look at them).

The PDF (`day_summary_pdf`) and the CSV (`day_summary_csv`) are made from the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

WeightUnit = Literal["LBS", "KGS", "OZS"]

_POUNDS_PER = {"LBS": Decimal(1), "KGS": Decimal(1) / Decimal("0.45359237"), "OZS": Decimal(1) / 16}
#: UPS services from the earliest delivery to the latest, as a pickup summary lists them
SERVICE_ORDER = ("14", "01", "13", "59", "02", "12", "03", "93", "54", "07", "65", "08", "11", "75")


@dataclass(frozen=True)
class PackageRow:
    tracking_number: str
    weight: Decimal
    weight_unit: WeightUnit = "LBS"  # as sent to UPS


@dataclass(frozen=True)
class ShipmentRow:
    """One shipment labelled on the day, as the store knows it."""

    shipment_nbr: str
    order_nbrs: tuple[str, ...]
    ship_to_name: str
    ship_to_city: str
    ship_to_country: str
    service_code: str
    service_name: str
    packages: tuple[PackageRow, ...]
    negotiated_charge: Decimal | None  # None: UPS sent none (account not eligible) or it is unknown
    published_charge: Decimal | None
    currency: str = "USD"
    shipped_at: datetime | None = None
    voided: bool = False
    voided_at: datetime | None = None
    exception: bool = False
    exception_note: str = ""  # what happened, one phrase ("write-back to Acumatica failed")
    station: str = ""

    def weight_in(self, unit: WeightUnit) -> Decimal:
        """Total weight of the packages in ``unit`` (exact; rounded only when shown)."""
        pounds = sum((p.weight * _POUNDS_PER[p.weight_unit] for p in self.packages), Decimal(0))
        return pounds / _POUNDS_PER[unit]


@dataclass(frozen=True)
class ServiceTotals:
    """One line of the per-service table; ``service_code`` is "" on a totals line."""

    service_code: str
    service_name: str
    currency: str
    shipments: int
    packages: int
    weight: Decimal
    negotiated: Decimal
    published: Decimal
    missing_charges: int = 0  # shipments counted without a charge (UPS sent none)


@dataclass(frozen=True)
class DaySummary:
    day: date
    shipper_name: str
    shipper_number: str
    shipper_address: tuple[str, ...]
    weight_unit: WeightUnit
    services: tuple[ServiceTotals, ...]
    totals: tuple[ServiceTotals, ...]  # one per currency
    shipped: tuple[ShipmentRow, ...]  # not voided, in the order they were labelled
    voids: tuple[ShipmentRow, ...]
    exceptions: tuple[ShipmentRow, ...]
    stations: tuple[str, ...]

    @property
    def packages(self) -> int:
        return sum(t.packages for t in self.totals)

    def pickup_counts(self) -> list[tuple[str, str, int]]:
        """(service code, service name, packages) for the driver's receipt: every currency together."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for line in self.services:
            counts[(line.service_code, line.service_name)] += line.packages
        return [(code, name, count) for (code, name), count in counts.items()]


def summarize(rows: list[ShipmentRow] | tuple[ShipmentRow, ...], *, day: date, shipper_name: str,
              shipper_number: str, shipper_address: tuple[str, ...] = (), weight_unit: WeightUnit = "LBS",
              ) -> DaySummary:
    """Add up one day's shipments (rows of other days are the caller's to leave out)."""
    shipped = tuple(sorted((r for r in rows if not r.voided), key=_labelled_order))
    voids = tuple(sorted((r for r in rows if r.voided), key=_labelled_order))
    groups: dict[tuple[str, str], list[ShipmentRow]] = defaultdict(list)
    for row in shipped:
        groups[(row.service_code, row.currency)].append(row)
    services = tuple(
        _totals(code, groups[(code, currency)][0].service_name, currency, groups[(code, currency)], weight_unit)
        for code, currency in sorted(groups, key=lambda key: (_service_rank(key[0]), key[0], key[1]))
    )
    currencies = sorted({row.currency for row in shipped})
    totals = tuple(_totals("", "Total", currency, [r for r in shipped if r.currency == currency], weight_unit)
                   for currency in currencies)
    return DaySummary(
        day=day, shipper_name=shipper_name, shipper_number=shipper_number, shipper_address=shipper_address,
        weight_unit=weight_unit, services=services, totals=totals, shipped=shipped, voids=voids,
        exceptions=tuple(r for r in shipped if r.exception),
        stations=tuple(sorted({r.station for r in rows if r.station})),
    )


def _totals(code: str, name: str, currency: str, rows: list[ShipmentRow], unit: WeightUnit) -> ServiceTotals:
    return ServiceTotals(
        service_code=code, service_name=name, currency=currency, shipments=len(rows),
        packages=sum(len(r.packages) for r in rows),
        weight=sum((r.weight_in(unit) for r in rows), Decimal(0)),
        negotiated=sum((r.negotiated_charge for r in rows if r.negotiated_charge is not None), Decimal(0)),
        published=sum((r.published_charge for r in rows if r.published_charge is not None), Decimal(0)),
        missing_charges=sum(1 for r in rows if r.negotiated_charge is None or r.published_charge is None),
    )


def _service_rank(code: str) -> int:
    return SERVICE_ORDER.index(code) if code in SERVICE_ORDER else len(SERVICE_ORDER)


def _labelled_order(row: ShipmentRow) -> tuple[str, str]:
    return (row.shipped_at.isoformat() if row.shipped_at else "", row.shipment_nbr)
