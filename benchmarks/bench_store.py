"""How fast the store is at what the UI and the sync do most. Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/bench_store.py [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.core.domain.states import State
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.ups.models import TrackEvent


def make_shipment(n: int) -> Shipment:
    return Shipment(
        id=f"guid-{n}", shipment_nbr=f"{n:06d}", status="Open", customer_id=f"C{n % 300:04d}",
        ship_via="UPSGROUND", last_modified=datetime(2026, 11, 25, tzinfo=UTC),
        ship_to_address=Address("1 Peachtree St", "", "Atlanta", "GA", "30303", "US"),
        ship_to_contact=Contact("Jane Roe", f"Customer {n}", "jane@example.com", "4045550199"),
        packages=tuple(Package(id=f"pkg-{n}-{i}", line_nbr=i, weight=Decimal("5.5"), uom="LB")
                       for i in range(1 + n % 3)),
        orders=(OrderLink("SO", f"SO{n:06d}"),),
    )


def timed(label: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    print(f"{label:<48} {1000 * (time.perf_counter() - start):9.1f} ms")
    return result


def main(rows: int = 20_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        shipments = [make_shipment(n) for n in range(rows)]
        timed(f"import_new_shipments ({rows} shipments)", lambda: repo.import_new_shipments(shipments))
        timed("upsert_shipment x 200 (a delta pull)", lambda: [repo.upsert_shipment(s) for s in shipments[:200]])
        timed("set_state x 200", lambda: [repo.set_state(s.shipment_nbr, State.READY) for s in shipments[:200]])
        listing = timed("list_shipments (all rows + counts)", repo.list_shipments)
        timed("list_shipments(ready)", lambda: repo.list_shipments([State.READY]))
        timed("list_shipments(search='Customer 1999')", lambda: repo.list_shipments(search="Customer 1999"))
        start = datetime(2026, 11, 25, tzinfo=UTC)
        events = [TrackEvent("I", "AR", "Arrived", "Atlanta", start + timedelta(hours=h)) for h in range(10)]
        timed("add_tracking_events x 200 (10 events, half known)",
              lambda: [repo.add_tracking_events(f"1Z{n % 100}", events) for n in range(200)])
        print(f"rows listed: {len(listing.rows)}, counts: {listing.counts}")
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
