"""Which shipments' tracking status waits to be written to Acumatica, and what Acumatica was last given.

A shipment is queued with a fresh mark each time its packages' status changes; the sync writes it and
takes it off the queue only if the mark is still the one it read, so a change made while it was writing
is not lost. What was written is kept part by part (the note line, each order's line, the custom
fields), so a repeated run sends only what differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from shipdesk.core.store.models import ShipmentRecord
from shipdesk.core.store.transaction import tuples, write


def queue(shipment_nbr: str, mark: str) -> None:
    with write():
        ShipmentRecord.update(status_queued=mark).where(ShipmentRecord.shipment_nbr == shipment_nbr).execute()


def queued() -> dict[str, str]:
    """Shipment number → its mark, for every queued shipment, in shipment order."""
    query = (ShipmentRecord.select(ShipmentRecord.shipment_nbr, ShipmentRecord.status_queued)
             .where(ShipmentRecord.status_queued != "").order_by(ShipmentRecord.shipment_nbr))
    return {nbr: mark for nbr, mark in tuples(query)}


def done(shipment_nbr: str, mark: str) -> None:
    """Off the queue, unless it was queued again (a new mark) since ``mark`` was read."""
    with write():
        ShipmentRecord.update(status_queued="").where(
            (ShipmentRecord.shipment_nbr == shipment_nbr) & (ShipmentRecord.status_queued == mark)).execute()


def written(shipment_nbr: str) -> dict[str, Any]:
    row = ShipmentRecord.select(ShipmentRecord.status_written).where(
        ShipmentRecord.shipment_nbr == shipment_nbr).first()
    value = row.status_written if row is not None else None
    return dict(value) if isinstance(value, dict) else {}


def remember_written(shipment_nbr: str, parts: Mapping[str, Any]) -> None:
    with write():
        ShipmentRecord.update(status_written=dict(parts)).where(
            ShipmentRecord.shipment_nbr == shipment_nbr).execute()
