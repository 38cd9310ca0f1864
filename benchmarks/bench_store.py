"""How fast the store is at what the UI and the sync do most, through the paths the product takes.
Prints numbers; asserts nothing.

    .venv/bin/python benchmarks/bench_store.py [ROWS]

A first pull of ROWS ready shipments and a delta pull go through ``pull.pull_shipments`` (the sync's and
``shipdesk pull``'s path: store each shipment, check it, settle its state) against an Acumatica stand-in
that answers at once, so the numbers are shipdesk's own work.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.acumatica.ship_via import CarrierPlugins
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.pull import pull_shipments
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.demo.settings import demo_config
from shipdesk.ups.models import TrackEvent

CONFIG = demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2")


def make_shipment(n: int, modified: datetime) -> Shipment:
    return Shipment(
        id=f"guid-{n}", shipment_nbr=f"{n:06d}", status="Open", customer_id=f"C{n % 300:04d}",
        ship_via="UPSGROUND", last_modified=modified,
        ship_to_address=Address("1 Peachtree St", "", "Atlanta", "GA", "30303", "US"),
        ship_to_contact=Contact("Jane Roe", f"Customer {n}", "jane@example.com", "4045550199"),
        packages=tuple(Package(id=f"pkg-{n}-{i}", line_nbr=i, weight=Decimal("5.5"), uom="LB")
                       for i in range(1 + n % 3)),
        orders=(OrderLink("SO", f"SO{n:06d}"),),
    )


class Acumatica:
    """Answers a pull with the shipments it was given: only shipdesk's work is timed."""

    def __init__(self, shipments: Sequence[Shipment]) -> None:
        self.shipments = list(shipments)

    entity_url = "http://acumatica.invalid/entity/Default/24.200.001"

    def carrier_plugins(self) -> CarrierPlugins:
        return CarrierPlugins(frozenset(), frozenset(), {})

    def carrier_plugin_fields_listed(self) -> bool:
        return True

    def ready_shipments(self, *, statuses: Sequence[str], modified_since: datetime | None) -> list[Shipment]:
        return [s for s in self.shipments if s.status in statuses]


def timed(label: str, work: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = work()
    print(f"{label:<48} {1000 * (time.perf_counter() - start):9.1f} ms")
    return result


def main(rows: int = 20_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        monday = datetime(2026, 11, 23, tzinfo=UTC)
        backlog = [make_shipment(n, monday) for n in range(rows)]
        acu: Any = Acumatica(backlog)
        timed(f"first pull ({rows} shipments)", lambda: pull_shipments(acu, CONFIG))
        edited = [replace(s, last_modified=monday + timedelta(hours=1)) for s in backlog[:200]]
        timed("delta pull (200 changed shipments)", lambda: pull_shipments(Acumatica(edited), CONFIG))  # type: ignore[arg-type]
        listing = timed("list_shipments (all rows + counts)", repo.list_shipments)
        timed("list_shipments(ready)", lambda: repo.list_shipments([State.READY]))
        timed("list_shipments(search='Customer 1999')", lambda: repo.list_shipments(search="Customer 1999"))
        events = [TrackEvent("I", "AR", "Arrived", "Atlanta", monday + timedelta(hours=h)) for h in range(10)]
        timed("add_tracking_events x 200 (10 events, half known)",
              lambda: [repo.add_tracking_events(f"1Z{n % 100}", events) for n in range(200)])
        print(f"rows listed: {len(listing.rows)}, counts: {dict(listing.counts)}")
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
