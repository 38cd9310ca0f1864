"""The SQLite store at 20,000 shipments, through the paths the product takes.

A first pull of all of them and delta pulls of 200 changed ones go through ``pull_shipments`` (the
sync's and ``shipdesk pull``'s path: store each shipment, check it, settle its state) against an
Acumatica stand-in that answers at once, so the numbers are shipdesk's own work. Then the listing the
table shows (every row with the state counts: on a worker thread, but the user waits for it after each
action), a search, and storing a tracking result (10 scans for a package, half of them known already).

None of these has a target in an issue; the limits are a few times what this machine measured when the
benchmark got them (November 2026), so a change that makes one much slower fails here.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks._harness import Measure, Options, say
from benchmarks._product import (
    Address,
    CarrierPlugins,
    Contact,
    OrderLink,
    Package,
    Shipment,
    TrackEvent,
    demo_config,
    open_store,
    pull_shipments,
    repository,
)

NAME = "store"
TITLE = "the SQLite store at 20,000 shipments (pulls, listing, tracking results)"
GUARD = "guard: a few times the Nov 2026 number"
CONFIG = demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2")
DELTA = 200


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

    def shipment_pages(self, *, statuses: Sequence[str], modified_since: datetime | None = None,
                       top: int = 200) -> Iterator[list[Shipment]]:
        wanted = self.ready_shipments(statuses=statuses, modified_since=modified_since)
        for start in range(0, len(wanted), top):
            yield wanted[start:start + top]


def _ms(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return 1000 * (time.perf_counter() - started)


def _scans_of_each(numbers: list[str], scans: list[TrackEvent]) -> None:
    for number in numbers:
        repository.add_tracking_events(number, scans)


def run(options: Options) -> list[Measure]:
    rows = options.sizes([20_000], [5_000])[0]
    first = Measure("first pull, per shipment", " ms", options.target(10, source=GUARD))
    delta = Measure(f"delta pull of {DELTA} changed shipments, per shipment", " ms", options.target(10, source=GUARD))
    listing = Measure(f"table listing with counts, {rows:,} shipments", " ms",
                      options.target(1000, scales_with_size=True, source=GUARD))
    search = Measure(f"listing searched for one customer, {rows:,} shipments", " ms",
                     options.target(500, scales_with_size=True, source=GUARD))
    events = Measure("tracking result stored: 10 scans, half known", " ms", options.target(10, source=GUARD))
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    backlog = [make_shipment(n, monday) for n in range(rows)]
    scans = [TrackEvent("I", "AR", "Arrived", "Atlanta", monday + timedelta(hours=h)) for h in range(10)]
    for run in range(options.runs):
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(Path(folder))
            acu: Any = Acumatica(backlog)
            first.add(_ms(partial(pull_shipments, acu, CONFIG)) / rows)
            edited: Any = Acumatica([replace(s, last_modified=monday + timedelta(hours=1)) for s in backlog[:DELTA]])
            delta.add(_ms(partial(pull_shipments, edited, CONFIG)) / DELTA)
            listing.add(_ms(repository.list_shipments))
            search.add(_ms(partial(repository.list_shipments, search="Customer 1999")))
            numbers = [f"1Z{n:04d}" for n in range(200)]
            _scans_of_each(numbers, scans[:5])  # half of each package's scans are known already
            events.add(_ms(partial(_scans_of_each, numbers, scans)) / len(numbers))
            store.close()
        say(f"    run {run + 1}: first pull {first.samples[-1]:.2f} ms a shipment, delta pull "
            f"{delta.samples[-1]:.2f} ms, listing {listing.samples[-1]:.0f} ms, search {search.samples[-1]:.0f} ms, "
            f"tracking result {events.samples[-1]:.2f} ms")
    return [first, delta, listing, search, events]
