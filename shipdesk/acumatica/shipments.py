"""Shipments (and the sales orders they ship) read and written through a session.

Reads expand packages, orders and the ship-to address and contact (``query.SHIPMENT_EXPAND``). Every
write of tracking numbers is read back: Acumatica may keep other values (a Confirmed shipment's
package rows are read-only; a carrier plug-in may overwrite them), which raises ``TrackingNotSaved``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from shipdesk.acumatica import query
from shipdesk.acumatica.models import SalesOrder, Shipment
from shipdesk.acumatica.parse import sales_order_from_json, shipment_from_json
from shipdesk.acumatica.session import AcumaticaSession, key_path
from shipdesk.acumatica.tracking import check_tracking_saved
from shipdesk.acumatica.values import custom_field, get_str, wrap
from shipdesk.errors import NotFound, OptimizationFailed

log = logging.getLogger(__name__)


def _expanded() -> dict[str, str | int]:
    return {"$expand": query.field_list(query.SHIPMENT_EXPAND)}


def ready_shipments(session: AcumaticaSession, *, statuses: Sequence[str], modified_since: datetime | None,
                    top: int | None) -> list[Shipment]:
    """See :meth:`AcumaticaClient.ready_shipments`."""
    clauses = [query.any_of("Status", list(statuses))]
    if modified_since is not None:
        clauses.append(query.after("LastModifiedDateTime", modified_since))
    where = query.all_of(clauses)
    try:
        rows = session.list_records("/Shipment", {"$filter": where, **_expanded()}, top,
                                    doing="list the ready shipments")
    except OptimizationFailed:
        log.info("Acumatica cannot run the expanded shipment list; reading shipments one by one")
        return _ready_shipments_by_key(session, where, top)
    return [shipment_from_json(row) for row in rows]


def _ready_shipments_by_key(session: AcumaticaSession, where: str, top: int | None) -> list[Shipment]:
    keys = session.list_records("/Shipment", {"$filter": where, "$select": "ShipmentNbr"}, top,
                                doing="list the ready shipments")
    shipments = []
    for row in keys:
        try:
            shipments.append(get_shipment(session, get_str(row, "ShipmentNbr")))
        except NotFound:
            continue  # deleted between the two calls
    return shipments


def get_shipment(session: AcumaticaSession, shipment_nbr: str) -> Shipment:
    response = session.call("GET", session.url(f"/Shipment/{key_path([shipment_nbr])}"), params=_expanded(),
                            doing=f"read shipment {shipment_nbr}")
    return shipment_from_json(response.json())


def write_tracking(session: AcumaticaSession, shipment: Shipment, tracking_by_package_id: Mapping[str, str], *,
                   freight_cost: Decimal | None, note: str | None = None) -> Shipment:
    """See :meth:`AcumaticaClient.write_tracking`."""
    unknown = sorted(set(tracking_by_package_id) - {p.id for p in shipment.packages})
    if unknown:
        raise ValueError(f"package ids {unknown} are not on shipment {shipment.shipment_nbr}")
    return _put_tracking(session, shipment, dict(tracking_by_package_id), freight_cost, note=note,
                         doing=f"save the tracking numbers on shipment {shipment.shipment_nbr}")


def clear_tracking(session: AcumaticaSession, shipment: Shipment) -> Shipment:
    """See :meth:`AcumaticaClient.clear_tracking`."""
    cleared = {p.id: "" for p in shipment.packages if p.tracking_nbr}
    if not cleared:
        return shipment
    return _put_tracking(session, shipment, cleared, None,
                         doing=f"clear the tracking numbers on shipment {shipment.shipment_nbr}")


def _put_tracking(session: AcumaticaSession, shipment: Shipment, expected: dict[str, str],
                  freight_cost: Decimal | None, *, doing: str, note: str | None = None) -> Shipment:
    """PUT the package rows' tracking numbers (package id → number), then check the saved shipment.
    ``note``: the whole note to save with them (None: the note is not touched)."""
    fields: dict[str, Any] = {"ShipmentNbr": shipment.shipment_nbr}
    if shipment.id:
        fields["id"] = shipment.id
    fields["Packages"] = [{"id": pid, "TrackingNbr": nbr} for pid, nbr in expected.items()]
    if freight_cost is not None:
        fields["FreightCost"] = freight_cost
    if note is not None:
        fields["note"] = note
    response = session.call("PUT", session.url("/Shipment"), json=wrap(fields), params=_expanded(), doing=doing)
    saved = shipment_from_json(response.json())
    check_tracking_saved(saved, expected)
    return saved


def set_custom_fields(session: AcumaticaSession, shipment_nbr: str, fields: Mapping[str, object], *,
                      view: str) -> None:
    body = wrap({
        "ShipmentNbr": shipment_nbr,
        "custom": {view: {name: custom_field(value) for name, value in fields.items()}},
    })
    session.call("PUT", session.url("/Shipment"), json=body,
                 doing=f"save {', '.join(fields)} on shipment {shipment_nbr}")


def get_sales_order(session: AcumaticaSession, order_type: str, order_nbr: str) -> SalesOrder:
    response = session.call("GET", session.url(f"/SalesOrder/{key_path([order_type, order_nbr])}"),
                            doing=f"read sales order {order_type} {order_nbr}")
    return sales_order_from_json(response.json())
