"""Return labels in the store: each is a shipment row of its own, ``<original>-R<n>``, whose ``return_of``
names the shipment it returns. Its packages carry the return's tracking numbers, so the sync tracks them like
any package and the table lists the return beside the shipment it comes back for.

The row copies the original's consignee (the customer, where the return is picked up) and Ship Via; its
``order_numbers`` are the records the return's tracking number is written to in Acumatica: the original
orders, or the RMA order ("RM RM005117") when returns are written to RMA orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shipdesk.core.domain.states import State
from shipdesk.core.store.fields import utcnow
from shipdesk.core.store.models import LabelJob, PackageRecord, ShipmentRecord
from shipdesk.core.store.shipments import require_shipment
from shipdesk.core.store.transaction import write

SUFFIX = "-R"
#: the columns a return row takes over from the shipment it returns
_COPIED = ("customer_id", "ship_via", "ship_to_name", "ship_to_attention", "ship_to_line1", "ship_to_line2",
           "ship_to_city", "ship_to_state", "ship_to_postal_code", "ship_to_country", "ship_to_phone",
           "ship_to_email", "residential", "status")


@dataclass(frozen=True)
class ReturnPackage:
    weight: Decimal
    uom: str = "LB"
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None


def is_return(shipment_nbr: str) -> bool:
    record = ShipmentRecord.get_or_none(ShipmentRecord.shipment_nbr == shipment_nbr)
    return record is not None and bool(record.return_of)


def returns_of(original_nbr: str) -> list[ShipmentRecord]:
    return list(ShipmentRecord.select().where(ShipmentRecord.return_of == original_nbr)
                .order_by(ShipmentRecord.id))


def prepared_return(original_nbr: str) -> tuple[str, str] | None:
    """(return row, job id) of a return label an earlier run prepared but never sent, to continue it."""
    for record in reversed(returns_of(original_nbr)):
        job = LabelJob.select().where(LabelJob.shipment == record.id).order_by(LabelJob.id.desc()).first()
        if record.state == State.READY and job is not None and job.state == State.READY:
            return record.shipment_nbr, job.job_id
    return None


def add_return(original_nbr: str, packages: Sequence[ReturnPackage], *, order_numbers: str) -> str:
    """A new return row for ``original_nbr``, ready for its label job; returns its number (``SH000106-R1``)."""
    with write():
        original = require_shipment(original_nbr)
        taken = {r.shipment_nbr for r in returns_of(original_nbr)}
        number = next(f"{original_nbr}{SUFFIX}{n}" for n in range(1, len(taken) + 2)
                      if f"{original_nbr}{SUFFIX}{n}" not in taken)
        now = utcnow()
        weights = [p.weight for p in packages]
        units = {p.uom for p in packages}
        record_id = ShipmentRecord.insert(
            shipment_nbr=number, acumatica_id="", state=State.READY, return_of=original_nbr,
            order_numbers=order_numbers, package_count=len(packages), total_weight=sum(weights, Decimal(0)),
            weight_unit=units.pop() if len(units) == 1 else "", last_modified=None, raw={},
            address_status=original.address_status, address_classification=original.address_classification,
            pulled_at=now, updated_at=now, **{name: getattr(original, name) for name in _COPIED},
        ).execute()
        PackageRecord.insert_many([{
            "shipment": record_id, "acumatica_id": f"return-{line}", "line_nbr": line, "box_id": "", "weight": p.weight,
            "uom": p.uom, "length": p.length, "width": p.width, "height": p.height, "declared_value": None,
            "tracking_number": ""} for line, p in enumerate(packages, start=1)]).execute()
    return number
