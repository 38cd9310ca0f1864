"""One sync cycle with 2,000 packages in transit, against the sandboxes with 100 ms latency per request.

    .venv/bin/python -m benchmarks.bench_sync [--packages N] [--rps R] [--concurrency C] [--latency-ms MS]

Setup (not timed): N labelled shipments of one package each, labels made over the last 30 hours so
their scans are spread out, written back and Confirmed in Acumatica (so the pull leaves them alone),
and one warm-up cycle without latency or rate limit that brings every status up to date. Then the clock moves on
by one sync interval (15 minutes), every request is delayed, and ONE cycle is timed: the polling of
every package at the configured rate plus the write-back of the statuses that changed in those 15
minutes. Prints the time and the requests each server saw. Asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.core.config import SyncConfig, demo_config
from shipdesk.core.context import AppContext
from shipdesk.core.demo import DEMO_SECRETS
from shipdesk.core.states import State
from shipdesk.core.store import repository
from shipdesk.core.store.models import ShipmentRecord
from shipdesk.core.sync import SyncService
from shipdesk.core.throttle import TokenBucket
from shipdesk.sandbox import Sandboxes, start_sandboxes
from shipdesk.sandbox.ups.labels import LabelContent
from shipdesk.sandbox.ups.rating import service
from shipdesk.sandbox.ups.records import PackageRecord, Place
from shipdesk.sandbox.ups.records import ShipmentRecord as UpsShipment
from shipdesk.sandbox.ups.tracking_numbers import make_tracking_number

ORIGIN = Place("ATLANTA", "GA", "30301", "US")
DESTINATION = Place("NEW YORK", "NY", "10001", "US")
LABEL_SPREAD = timedelta(hours=30)  # younger than the sandbox's 36 h to delivery: all still in transit


def _seed(sandboxes: Sandboxes, count: int) -> list[Shipment]:
    """The packages in the UPS sandbox, the shipments and orders in Acumatica; the local models."""
    now = sandboxes.clock.now()
    docs = sandboxes.acumatica.documents
    template = copy.deepcopy(docs.shipment("SH000101"))
    order_template = copy.deepcopy(docs.sales_order("SO", "SO005101"))
    local: list[Shipment] = []
    for i in range(count):
        nbr, so = f"BS{i:06d}", f"BO{i:06d}"
        number = make_tracking_number(sandboxes.ups.account, "03", 6_000_000 + i)
        label = LabelContent(number, "UPS Ground", [], [], "5 LBS", 1, 1, now.date().isoformat())
        created = now - LABEL_SPREAD * (i / count)
        record = UpsShipment(number, sandboxes.ups.account, service("03"), created, ORIGIN, DESTINATION,
                             f"Customer {i}", "Receiving", False, [nbr])
        package = PackageRecord(number, 1, 5.0, [so], label, "GIF")
        record.packages.append(package)
        shipment = copy.deepcopy(template)
        shipment.update(id=f"bench-{i}", ShipmentNbr=nbr, Status="Confirmed", note="")
        shipment["Packages"] = [{**template["Packages"][0], "id": f"bench-pkg-{i}", "TrackingNbr": number}]
        shipment["Orders"] = [{**template["Orders"][0], "id": f"bench-link-{i}", "OrderNbr": so,
                               "ShipmentNbr": nbr}]
        order = copy.deepcopy(order_template)
        order.update(id=f"bench-order-{i}", OrderNbr=so, note="")
        with sandboxes.ups.lock:
            sandboxes.ups.shipments[number] = record
            sandboxes.ups.packages[number] = (record, package)  # as the sandbox's own Ship route keeps it
        with sandboxes.acumatica.lock:
            docs.shipments.append(shipment)
            docs.sales_orders.append(order)
        local.append(Shipment(
            id=f"bench-{i}", shipment_nbr=nbr, status="Confirmed", ship_via="UPSGROUND",
            ship_to_address=Address("1 Main St", "", "New York", "NY", "10001", "US"),
            ship_to_contact=Contact("Receiving", f"Customer {i}"),
            packages=(Package(id=f"bench-pkg-{i}", line_nbr=1, weight=Decimal(5), uom="LB", tracking_nbr=number),),
            orders=(OrderLink("SO", so),)))
    return local


def _requests(stats: dict[str, Any]) -> int:
    return sum(stats["requests"].values())


def run(count: int, rps: float, concurrency: int, latency_ms: int) -> None:
    with start_sandboxes(max_sessions=4) as sandboxes, tempfile.TemporaryDirectory() as folder:
        base = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
        config = replace(base, sync=SyncConfig(requests_per_second=rps, concurrency=concurrency))
        context = AppContext.from_config(config, data_dir=Path(folder), demo=True, secret_values=DEMO_SECRETS)
        shipments = _seed(sandboxes, count)
        repository.import_new_shipments(shipments)
        ShipmentRecord.update(state=State.WRITTEN_BACK.value).where(
            ShipmentRecord.shipment_nbr.startswith("BS")).execute()
        service = SyncService(context, now=sandboxes.clock.now)
        warm_up = SyncService(context, now=sandboxes.clock.now, bucket=TokenBucket(500.0, burst=50))

        started = time.perf_counter()
        warm = warm_up.run_cycle()
        print(f"warm-up (no latency): {time.perf_counter() - started:6.1f} s, {warm.polled} tracked, "
              f"{warm.statuses_written} statuses written, ok={warm.ok}")

        sandboxes.advance(hours=0.25)
        for server in (sandboxes.ups, sandboxes.acumatica):
            server.add_fault(route="*", delay_ms=latency_ms)
        ups_before, acu_before = sandboxes.ups.stats_payload(), sandboxes.acumatica.stats_payload()
        started = time.perf_counter()
        report = service.run_cycle()
        elapsed = time.perf_counter() - started
        ups_after, acu_after = sandboxes.ups.stats_payload(), sandboxes.acumatica.stats_payload()

        print(f"one cycle, {count} packages in transit, {latency_ms} ms per request, {rps:g} requests/s, "
              f"{concurrency} workers:")
        print(f"  time                      {elapsed:8.1f} s")
        print(f"  UPS requests              {_requests(ups_after) - _requests(ups_before):8d} "
              f"(track {ups_after['track_requests'] - ups_before['track_requests']}, "
              f"tokens {ups_after['tokens_granted'] - ups_before['tokens_granted']})")
        print(f"  Acumatica requests        {_requests(acu_after) - _requests(acu_before):8d} "
              f"(logins {acu_after.get('logins', 0) - acu_before.get('logins', 0)})")
        print(f"  packages tracked          {report.polled:8d}   new scans {report.new_events}")
        print(f"  statuses written          {report.statuses_written:8d}   Acumatica writes {report.acumatica_writes}")
        print(f"  delivered / exceptions    {len(report.delivered):8d} / {len(report.exceptions)}   ok={report.ok}")
        print(f"  at most {count / rps / 60:.1f} min of polling per cycle at {rps:g}/s: "
              f"{count * 24 * 60 / config.sync.interval_minutes:.0f} track calls a day at a "
              f"{config.sync.interval_minutes}-minute interval")
        context.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=2000)
    parser.add_argument("--rps", type=float, default=SyncConfig().requests_per_second)
    parser.add_argument("--concurrency", type=int, default=SyncConfig().concurrency)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args(argv if argv is not None else [])
    run(args.packages, args.rps, args.concurrency, args.latency_ms)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
