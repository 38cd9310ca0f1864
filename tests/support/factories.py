"""Builders for what tests set up, each going through the store's own functions (the product's path).

- ``requesting_job``: a label job committed as requesting, as the ship flow does right before the UPS Ship call
  (``jobs.open_label_job``);
- ``stored_shipments``: many pulled shipments at once (``shipments.upsert_shipment`` in one transaction,
  so a test of thousands of rows does not wait for as many commits).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from shipdesk.acumatica.models import Shipment
from shipdesk.core.store import jobs, shipments, transaction


def requesting_job(shipment_nbr: str, request: Mapping[str, Any] | None = None, *, label_format: str = "GIF",
                   station: str = "") -> str:
    """A label job for the (stored) shipment, in ``requesting``; returns its job id."""
    job_id = str(uuid.uuid4())
    jobs.open_label_job(shipment_nbr, request or {}, job_id=job_id, label_format=label_format, station=station)
    return job_id


def stored_shipments(pulled: Iterable[Shipment]) -> int:
    """Store the shipments as a pull does; returns how many were stored."""
    count = 0
    with transaction.write():
        for shipment in pulled:
            shipments.upsert_shipment(shipment)
            count += 1
    return count

