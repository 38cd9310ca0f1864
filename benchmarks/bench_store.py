"""The SQLite store at 20,000 shipments: what a pull, the table and the sync ask of it most.

The store is filled the way pulls fill it (``repository.upsert_shipment``, in one write), then:
- **a delta pull**: 200 changed shipments stored again, one by one (per shipment);
- **the listing** the table shows, every row with the state counts (on a worker thread, but the user
  waits for it after each action), and a search;
- **tracking results**: 10 scan events for a package, half of them already known (per package).
None of these has a target in an issue; the limits are a few times what this machine measured when
the benchmark got them (November 2026), so a change that makes one much slower fails here.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks._harness import Measure, Options, say
from benchmarks._product import Address, Contact, OrderLink, Package, Shipment, TrackEvent, open_store, repository

NAME = "store"
TITLE = "the SQLite store at 20,000 shipments (pull, listing, tracking results)"
GUARD = "guard: a few times the Nov 2026 number"


def make_shipment(n: int, *, modified: datetime) -> Shipment:
    return Shipment(
        id=f"guid-{n}", shipment_nbr=f"{n:06d}", status="Open", customer_id=f"C{n % 300:04d}",
        ship_via="UPSGROUND", last_modified=modified,
        ship_to_address=Address("1 Peachtree St", "", "Atlanta", "GA", "30303", "US"),
        ship_to_contact=Contact("Jane Roe", f"Customer {n}", "jane@example.com", "4045550199"),
        packages=tuple(Package(id=f"pkg-{n}-{i}", line_nbr=i, weight=Decimal("5.5"), uom="LB")
                       for i in range(1 + n % 3)),
        orders=(OrderLink("SO", f"SO{n:06d}"),),
    )


def _ms(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return 1000 * (time.perf_counter() - started)


def _store_each(shipments: list[Shipment]) -> None:
    for shipment in shipments:
        repository.upsert_shipment(shipment)


def _scans_of_each(numbers: list[str], scans: list[TrackEvent]) -> None:
    for number in numbers:
        repository.add_tracking_events(number, scans)


def run(options: Options) -> list[Measure]:
    rows = options.sizes([20_000], [5_000])[0]
    upsert = Measure("delta pull: one changed shipment stored", " ms", options.target(10, source=GUARD))
    listing = Measure(f"table listing with counts, {rows:,} shipments", " ms",
                      options.target(1000, scales_with_size=True, source=GUARD))
    search = Measure(f"listing searched for one customer, {rows:,} shipments", " ms",
                     options.target(500, scales_with_size=True, source=GUARD))
    events = Measure("tracking result stored: 10 scans, half known", " ms", options.target(10, source=GUARD))
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder))
        first = datetime(2026, 11, 25, tzinfo=UTC)
        shipments = [make_shipment(n, modified=first) for n in range(rows)]
        started = time.perf_counter()
        with store.write():
            for shipment in shipments:
                repository.upsert_shipment(shipment)
        say(f"    {rows:,} shipments stored as a first pull stores them: {time.perf_counter() - started:.1f} s")
        start = datetime(2026, 11, 25, tzinfo=UTC)
        scans = [TrackEvent("I", "AR", "Arrived", "Atlanta", start + timedelta(hours=h)) for h in range(10)]
        for run in range(options.runs):
            changed = [make_shipment(n, modified=first + timedelta(minutes=run + 1)) for n in range(200)]
            upsert.add(_ms(partial(_store_each, changed)) / len(changed))
            listing.add(_ms(repository.list_shipments))
            search.add(_ms(lambda: repository.list_shipments(search="Customer 1999")))
            numbers = [f"1Z{run}{n:04d}" for n in range(200)]
            for number in numbers:  # half of each package's scans are already stored
                repository.add_tracking_events(number, scans[:5])
            events.add(_ms(partial(_scans_of_each, numbers, scans)) / len(numbers))
            say(f"    run {run + 1}: upsert {upsert.samples[-1]:.2f} ms, listing {listing.samples[-1]:.0f} ms, "
                f"search {search.samples[-1]:.0f} ms, tracking result {events.samples[-1]:.2f} ms")
        store.close()
    return [upsert, listing, search, events]
