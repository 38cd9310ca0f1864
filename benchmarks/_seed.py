"""A warehouse day in the sandboxes and in the app's store, built in seconds instead of hours.

``labelled_shipments`` leaves N single-package shipments as a day of labelling would: UPS has made the
labels (``POST /_sandbox/packages``, all at one moment, so the sandbox's scan timeline moves them all
alike), Acumatica has the shipments Confirmed with those tracking numbers and a sales order each
(``POST /_sandbox/shipments``), and the app has read them with its own Acumatica client, stored them
as a pull does and keeps them as written back. Labelling them through the ship flow would give the
same state at ~50-90 ms a label (15 minutes for 10,000); the label path itself is measured by
``bench_calls_per_label``. The one difference: no label job rows, so the poll schedule reads no label
time (every package has scans).

``ready_shipments`` makes N copies of a plain shipment ready to label (for a batch).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from benchmarks._product import AppContext, ShipmentRecord, State, repository
from benchmarks._sandbox import SandboxProcess

TEMPLATE = "SH000101"  # plain Open, commercial, New York, UPS Ground, one package, one sales order
PAGE = 1000


def labelled_shipments(sandbox: SandboxProcess, context: AppContext, count: int, *, hours_ago: float,
                       prefix: str = "BS") -> list[str]:
    """Returns the tracking numbers (one package each)."""
    started = datetime.fromisoformat(sandbox.advance()) - timedelta(minutes=1)
    numbers = sandbox.labelled_packages(count, hours_ago=hours_ago)
    made = set(sandbox.copy_shipments(TEMPLATE, count, prefix, tracking_numbers=numbers, status="Confirmed"))
    with context.acumatica() as acu:  # the app's own reading of Acumatica's records
        shipments = [s for s in acu.ready_shipments(statuses=("Confirmed",), modified_since=started, top=PAGE)
                     if s.shipment_nbr in made]
    if len(shipments) != count:
        raise RuntimeError(f"Acumatica listed {len(shipments)} of the {count} shipments made")
    with context.store.write():  # stored as a pull stores them, then as the label flow leaves them
        for shipment in shipments:
            repository.upsert_shipment(shipment)
        ShipmentRecord.update(state=State.WRITTEN_BACK.value).where(
            ShipmentRecord.shipment_nbr.startswith(prefix)).execute()
    return numbers


def ready_shipments(sandbox: SandboxProcess, count: int, *, prefix: str = "BR") -> list[str]:
    """Copies of a plain shipment, Open and without tracking: the app pulls them as ready to label."""
    return sandbox.copy_shipments(TEMPLATE, count, prefix)
