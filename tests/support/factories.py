"""Builders for what tests set up, each going through the store's own functions (the product's path).

- ``requesting_job``: a label job committed as prepared and flipped to requesting, as the ship flow does
  right before the UPS Ship call (``jobs.prepare_label_job`` then ``jobs.begin_request``);
- ``stored_shipments``: many pulled shipments at once (``shipments.upsert_shipment`` in one transaction,
  so a test of 20,000 rows does not wait for 20,000 commits);
- ``table_row``: one row of the desktop app's shipments table, by column name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shipdesk.acumatica.models import Shipment
from shipdesk.core.store import jobs, shipments, transaction
from shipdesk.ui.view_data import Row


def requesting_job(shipment_nbr: str, request: Mapping[str, Any] | None = None, *, label_format: str = "GIF",
                   allow_second_label: bool = False) -> str:
    """A label job for the (stored) shipment, in ``requesting``; returns its job id."""
    job_id = jobs.prepare_label_job(shipment_nbr, request or {}, label_format=label_format,
                                    allow_second_label=allow_second_label)
    jobs.begin_request(job_id, allow_second_label=allow_second_label)
    return job_id


def stored_shipments(pulled: Iterable[Shipment]) -> int:
    """Store the shipments as a pull does; returns how many were stored."""
    count = 0
    with transaction.write():
        for shipment in pulled:
            shipments.upsert_shipment(shipment)
            count += 1
    return count


def table_row(*, shipment: str, order: str = "", customer: str = "", city: str = "", region: str = "",
              country: str = "", service: str = "", packages: int = 0, weight: float = 0.0, state: str = "pending",
              tracking: str = "", last_event: str = "", delivered: str = "") -> Row:
    return (shipment, order, customer, city, region, country, service, packages, weight, state, tracking,
            last_event, delivered)
