"""Shipments (and the sales orders they ship) read and written through a session.

Reads expand packages, orders and the ship-to address and contact (``query.SHIPMENT_EXPAND``). Every
write of tracking numbers is read back: Acumatica may keep other values (a Confirmed shipment's
package rows are read-only; a carrier plug-in may overwrite them), which raises ``TrackingNotSaved``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from shipdesk.acumatica import query
from shipdesk.acumatica.models import SalesOrder, Shipment
from shipdesk.acumatica.parse import sales_order_from_json, shipment_from_json
from shipdesk.acumatica.session import AcumaticaSession
from shipdesk.acumatica.tracking import check_tracking_saved, fields_not_saved, same_value
from shipdesk.acumatica.values import custom_field, get_str, unwrap_custom, wrap
from shipdesk.errors import NotFound, OptimizationFailed
from shipdesk.i18n import _

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
                                    doing=_("list the ready shipments"))
    except OptimizationFailed:
        log.info("Acumatica cannot run the expanded shipment list; reading shipments one by one")
        return _ready_shipments_by_key(session, where, top)
    return [_read(session, row) for row in rows]


#: numbers per request: 30 ``ShipmentNbr eq '...'`` clauses with the ``$expand`` stay under IIS's default
#: maxQueryString of 2048 bytes
NUMBERS_PER_REQUEST = 30


def shipments_by_number(session: AcumaticaSession, numbers: Sequence[str]) -> list[Shipment]:
    """See :meth:`AcumaticaClient.shipments_by_number`."""
    wanted = list(dict.fromkeys(n for n in numbers if n))
    found: list[Shipment] = []
    for start in range(0, len(wanted), NUMBERS_PER_REQUEST):
        where = query.any_of("ShipmentNbr", wanted[start:start + NUMBERS_PER_REQUEST])
        try:
            rows = session.list_records("/Shipment", {"$filter": where, **_expanded()}, None,
                                        doing=_("read the shipments named in a push notification"))
        except OptimizationFailed:
            found += _ready_shipments_by_key(session, where, None)
            continue
        found += [_read(session, row) for row in rows]
    return found


def shipment_pages(session: AcumaticaSession, *, statuses: Sequence[str], modified_since: datetime | None,
                   top: int) -> Iterator[list[Shipment]]:
    """See :meth:`AcumaticaClient.shipment_pages`."""
    clauses = [query.any_of("Status", list(statuses))]
    if modified_since is not None:
        clauses.append(query.after("LastModifiedDateTime", modified_since))
    where = query.all_of(clauses)
    pages = session.record_pages("/Shipment", {"$filter": where, **_expanded()}, top, doing=_("list the shipments"))
    try:
        first = next(pages, None)
    except OptimizationFailed:
        log.info("Acumatica cannot run the expanded shipment list; reading shipments one by one")
        yield _ready_shipments_by_key(session, where, top)
        return
    if first is not None:
        yield [_read(session, row) for row in first]
    for page in pages:
        yield [_read(session, row) for row in page]


def _ready_shipments_by_key(session: AcumaticaSession, where: str, top: int | None) -> list[Shipment]:
    keys = session.list_records("/Shipment", {"$filter": where, "$select": "ShipmentNbr"}, top,
                                doing=_("list the ready shipments"))
    shipments = []
    for row in keys:
        nbr = get_str(row, "ShipmentNbr")
        session.remember("Shipment", [nbr], row)  # by id: a number may hold a "/"
        try:
            shipments.append(get_shipment(session, nbr))
        except NotFound:
            continue  # deleted between the two calls
    return shipments


def _read(session: AcumaticaSession, entity: dict[str, Any]) -> Shipment:
    """The typed shipment, its id remembered so later calls address it by id (``records``)."""
    shipment = shipment_from_json(entity)
    session.remember("Shipment", [shipment.shipment_nbr], entity)
    return shipment


def get_shipment(session: AcumaticaSession, shipment_nbr: str) -> Shipment:
    entity = session.read_record("Shipment", ("ShipmentNbr",), [shipment_nbr], params=_expanded(),
                                 doing=_("read shipment {shipment}").format(shipment=shipment_nbr))
    return _read(session, entity)


def write_tracking(session: AcumaticaSession, shipment: Shipment, tracking_by_package_id: Mapping[str, str], *,
                   freight_cost: Decimal | None, note: str | None = None) -> Shipment:
    """See :meth:`AcumaticaClient.write_tracking`."""
    unknown = sorted(set(tracking_by_package_id) - {p.id for p in shipment.packages})
    if unknown:
        raise ValueError(f"package ids {unknown} are not on shipment {shipment.shipment_nbr}")  # i18n: a bug
    return _put_tracking(session, shipment, dict(tracking_by_package_id), freight_cost, note=note,
                         doing=_("save the tracking numbers on shipment {shipment}").format(
                             shipment=shipment.shipment_nbr))


def clear_tracking(session: AcumaticaSession, shipment: Shipment) -> Shipment:
    """See :meth:`AcumaticaClient.clear_tracking`."""
    cleared = {p.id: "" for p in shipment.packages if p.tracking_nbr}
    if not cleared:
        return shipment
    return _put_tracking(session, shipment, cleared, None,
                         doing=_("clear the tracking numbers on shipment {shipment}").format(
                             shipment=shipment.shipment_nbr))


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
    saved = _read(session, session.call_json("PUT", session.url("/Shipment"), json=wrap(fields), params=_expanded(),
                                             doing=doing))
    check_tracking_saved(saved, expected)
    return saved


def set_custom_fields(session: AcumaticaSession, shipment_nbr: str, fields: Mapping[str, object], *,
                      view: str) -> None:
    """PUT the custom fields and read back what Acumatica kept (``$custom`` on the PUT shapes its answer)."""
    sent = {name: custom_field(value) for name, value in fields.items()}
    body = wrap({**record_keys(session, shipment_nbr), "custom": {view: sent}})
    saved = session.call_json("PUT", session.url("/Shipment"), json=body,
                              params={"$custom": ",".join(f"{view}.{name}" for name in fields)},
                              doing=_("save {names} on shipment {shipment}").format(
                                  names=', '.join(fields), shipment=shipment_nbr))
    custom = unwrap_custom(saved.get("custom") if isinstance(saved, dict) else None).get(view, {})
    lost = {name: (wire["value"], custom.get(name)) for name, wire in sent.items()
            if not same_value(wire["value"], custom.get(name))}
    if lost:
        status = get_str(saved, "Status") if isinstance(saved, dict) else ""
        raise fields_not_saved(shipment_nbr, status, lost)


def get_sales_order(session: AcumaticaSession, order_type: str, order_nbr: str) -> SalesOrder:
    entity = session.read_record("SalesOrder", ("OrderType", "OrderNbr"), [order_type, order_nbr],
                                 doing=_("read sales order {order_type} {order_nbr}").format(
                                     order_type=order_type, order_nbr=order_nbr))
    return sales_order_from_json(entity)


def record_keys(session: AcumaticaSession, shipment_nbr: str) -> dict[str, Any]:
    """What a PUT or an action body names the shipment by: its number, and its id when this session read it."""
    ref = session.known("Shipment", [shipment_nbr])
    return {"ShipmentNbr": shipment_nbr, **({"id": ref.record_id} if ref is not None else {})}
