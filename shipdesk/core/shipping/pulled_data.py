"""Labelling while Acumatica is down, from the shipment as last pulled: a supervisor's choice
(``[acumatica] label_when_down``, off by default), for the desktop app only.

A box can leave on time although Acumatica is not answering: the label is made from the local copy of
the shipment (what the last pull stored), checked like any other, printed, and its write-back is left to
the sync, which writes the tracking numbers when Acumatica answers again. The outcome says how old the
data was, and the audit log keeps it (the shipment may have been changed in Acumatica since).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import State
from shipdesk.core.shipping import after_label
from shipdesk.core.shipping.earlier_run import job_to_finish
from shipdesk.core.shipping.label_job import buy_label
from shipdesk.core.shipping.label_request import request_for
from shipdesk.core.shipping.parts import FlowParts, Notify
from shipdesk.core.store import shipments
from shipdesk.core.store.models import ShipmentRecord
from shipdesk.i18n import _, ngettext


def as_pulled(nbr: str) -> tuple[Shipment, datetime]:
    """The shipment as the last pull stored it, and when that pull was."""
    record = shipments.require_shipment(nbr)
    return _shipment(record), record.pulled_at


def age(pulled_at: datetime, now: datetime) -> str:
    """ "pulled at 09:42, 37 minutes ago" (local time, as the clerk reads it)."""
    minutes = max(0, int((now - pulled_at).total_seconds() // 60))
    time = f"{pulled_at.astimezone():%H:%M}"
    if minutes < 120:
        return ngettext("pulled at {time}, {count} minute ago", "pulled at {time}, {count} minutes ago",
                        minutes).format(time=time, count=minutes)
    return ngettext("pulled at {time}, {count} hour ago", "pulled at {time}, {count} hours ago",
                    minutes // 60).format(time=time, count=minutes // 60)


def ship_from_pulled_data(parts: FlowParts, nbr: str, *, print_labels: bool, step: Notify,
                          down_since: datetime) -> ShipOutcome:
    """Label ``nbr`` from its stored data; the write-back waits for Acumatica."""
    shipment, pulled_at = as_pulled(nbr)
    why = _("Acumatica has not been answering since {time}: this label was made from the shipment as {pulled}, and "
            "its tracking numbers are written to Acumatica when it answers again (the sync retries).").format(
        time=f"{down_since.astimezone():%H:%M}", pulled=age(pulled_at, parts.context.now()))
    earlier = job_to_finish(parts, nbr, force_new_label=False)
    if isinstance(earlier, ShipOutcome):
        return earlier
    if earlier is not None and earlier.state != State.READY:  # labelled before: only the write-back is left
        if earlier.state in after_label.DONE_STATES:
            return after_label.done_outcome(earlier, here=parts.station)
        said = _("Shipment {shipment} is already labelled; {why}").format(shipment=nbr, why=why)
        return ShipOutcome(nbr, True, earlier.state, said,
                           tracking_numbers=tuple(earlier.tracking_numbers), job_id=earlier.job_id,
                           reason=Reason.WRITEBACK_PENDING)
    request = request_for(parts, shipment, None, accept_ambiguous=False, step=step)
    if isinstance(request, ShipOutcome):
        return request
    step("labelling")
    request = replace(request, claim=False)  # Acumatica cannot take a claim now
    new = buy_label(parts, request, prepared=earlier.job_id if earlier is not None else None)
    if isinstance(new, ShipOutcome):
        return new
    try:
        return after_label.print_and_queue(parts, new.job, print_labels=print_labels, why=why, step=step,
                                           warnings=request.warnings, label_problem=new.label_problem)
    finally:
        new.lock.release()


def _shipment(record: ShipmentRecord) -> Shipment:
    """The stored columns as the Acumatica record they were pulled from (what labelling reads)."""
    name, attention = record.ship_to_name, record.ship_to_attention
    orders = []
    for item in record.order_numbers.split(","):
        kind, _sep, number = item.strip().partition(" ")
        if number:
            orders.append(OrderLink(kind, number))
    return Shipment(
        id=record.acumatica_id, shipment_nbr=record.shipment_nbr, status=record.status, ship_via=record.ship_via,
        customer_id=record.customer_id, residential=record.residential, package_count=record.package_count,
        package_weight=record.total_weight, last_modified=record.last_modified,
        ship_to_address=Address(record.ship_to_line1, record.ship_to_line2, record.ship_to_city,
                                record.ship_to_state, record.ship_to_postal_code, record.ship_to_country),
        ship_to_contact=Contact(attention=attention, business_name=name if name != attention else "",
                                email=record.ship_to_email, phone=record.ship_to_phone),
        packages=tuple(Package(p.acumatica_id, line_nbr=p.line_nbr, box_id=p.box_id, weight=p.weight, uom=p.uom,
                               length=p.length, width=p.width, height=p.height, declared_value=p.declared_value,
                               tracking_nbr=p.tracking_number)
                       for p in shipments.packages_of(record.shipment_nbr)),
        orders=tuple(orders),
    )
