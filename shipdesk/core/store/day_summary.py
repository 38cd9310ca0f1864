"""The day's summary rows from the store: every label bought between two instants (the station's day), voided
ones included, as ``reports.ShipmentRow`` (the report adds them up per service and draws the PDF and CSV).

What a row holds comes from the label job, as UPS was asked and answered: the service and each package's weight
from the committed Ship request, the tracking numbers and the charges (before taxes) from UPS's answer. Return
labels do not leave the building and are not in it. Exceptions are the labels someone must look at: a delivery
exception UPS reported, a label Acumatica does not have yet, a shipment labelled twice.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.store.charges import service_of
from shipdesk.core.store.models import LabelJob, ShipmentRecord
from shipdesk.core.store.transaction import snapshot
from shipdesk.i18n import N_
from shipdesk.reports import PackageRow, ShipmentRow
from shipdesk.reports.day_summary import WeightUnit
from shipdesk.ups.services import service_name

#: marked with N_(): the PDF translates them when it writes the page (the CSV keeps them as they are)
EXCEPTIONS = {
    State.EXCEPTION: N_("UPS reported a delivery exception"),
    State.LABELLED: N_("not yet written back to Acumatica"),
    State.LABELLED_TWICE: N_("labelled twice: another station's label is in Acumatica"),
}


def day_rows(start: datetime, end: datetime) -> list[ShipmentRow]:
    """One row per label job created in [start, end) that got tracking numbers (voided ones included)."""
    job, s = LabelJob, ShipmentRecord
    wanted = [*LABEL_EXISTS, State.VOIDED]
    query = (job.select(job, s).join(s, on=(job.shipment == s.id))
             .where((job.created_at >= start) & (job.created_at < end) & job.state.in_(wanted)
                    & (s.return_of == ""))
             .order_by(job.created_at, job.id))
    with snapshot():
        jobs = list(query)
    return [_row(j) for j in jobs if j.tracking_numbers]


def _row(job: LabelJob) -> ShipmentRow:
    shipment = cast(ShipmentRecord, job.shipment)
    code = service_of(job.request)
    state = job.state if job.state in EXCEPTIONS else shipment.state
    return ShipmentRow(
        shipment_nbr=shipment.shipment_nbr,
        order_nbrs=tuple(n.strip() for n in shipment.order_numbers.split(",") if n.strip()),
        ship_to_name=shipment.ship_to_name, ship_to_city=shipment.ship_to_city,
        ship_to_country=shipment.ship_to_country, service_code=code, service_name=service_name(code),
        packages=_packages(job),
        negotiated_charge=job.negotiated_charges, published_charge=job.charges, currency=job.currency or "USD",
        shipped_at=job.created_at, voided=job.state == State.VOIDED, voided_at=job.voided_at,
        exception=job.state != State.VOIDED and state in EXCEPTIONS,
        exception_note=EXCEPTIONS.get(state, "") if job.state != State.VOIDED else "", station=job.station)


def _packages(job: LabelJob) -> tuple[PackageRow, ...]:
    request = job.request if isinstance(job.request, dict) else {}
    sent: Any = request.get("ShipmentRequest", {}).get("Shipment", {}).get("Package", [])
    sent = sent if isinstance(sent, list) else [sent]
    rows = []
    for index, number in enumerate(job.tracking_numbers):
        package = sent[index] if index < len(sent) and isinstance(sent[index], dict) else {}
        weight = package.get("PackageWeight", {})
        unit = str(weight.get("UnitOfMeasurement", {}).get("Code", "LBS")).upper()
        rows.append(PackageRow(number, _decimal(weight.get("Weight")),
                               cast(WeightUnit, unit if unit in ("LBS", "KGS", "OZS") else "LBS")))
    return tuple(rows)


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)
