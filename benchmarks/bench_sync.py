"""Sync cycles with 2,000 packages in transit, against the sandboxes with 100 ms latency per request.

    .venv/bin/python -m benchmarks.bench_sync [--packages N] [--rps R] [--concurrency C] [--latency-ms MS]

Setup (not timed): N labelled shipments of one package each, labels made over the last 30 hours so
their scans are spread out, written back and Confirmed in Acumatica (so the pull leaves them alone),
and one warm-up cycle without latency or rate limit that brings every status up to date. Then every
request is delayed and two cycles are timed, each one sync interval (15 minutes) after the last:
(a) every package due, as on the first cycle after an upgrade (no package polled yet);
(b) a steady state: the last polls spread over the cycles of the past hour, as labels made through
    the day leave them, so only the due ones are asked (a quarter, plus those out for delivery).
(c) The UPS track calls a day are estimated by running the poll schedule itself over a package's
    ~2 days in transit, with a cycle every interval, for labels made through the working day.
Prints the times and the requests each server saw. Asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from shipdesk.acumatica.models import Address, Contact, OrderLink, Package, Shipment
from shipdesk.core.context import AppContext
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import SyncConfig
from shipdesk.core.store import repository
from shipdesk.core.store.models import PackageRecord as LocalPackage
from shipdesk.core.store.models import ShipmentRecord
from shipdesk.core.tracking import poll_schedule
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.sync import SyncService
from shipdesk.core.tracking.throttle import TokenBucket
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
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


def _timed_cycle(title: str, sandboxes: Sandboxes, service: SyncService) -> CycleReport:
    ups_before, acu_before = sandboxes.ups.stats_payload(), sandboxes.acumatica.stats_payload()
    started = time.perf_counter()
    report = service.run_cycle()
    elapsed = time.perf_counter() - started
    ups_after, acu_after = sandboxes.ups.stats_payload(), sandboxes.acumatica.stats_payload()
    print(f"{title}")
    print(f"  time                      {elapsed:8.1f} s")
    print(f"  UPS requests              {_requests(ups_after) - _requests(ups_before):8d} "
          f"(track {ups_after['track_requests'] - ups_before['track_requests']}, "
          f"tokens {ups_after['tokens_granted'] - ups_before['tokens_granted']})")
    print(f"  Acumatica requests        {_requests(acu_after) - _requests(acu_before):8d} "
          f"(logins {acu_after.get('logins', 0) - acu_before.get('logins', 0)})")
    print(f"  packages tracked          {report.polled:8d}   not due {report.waiting}   new scans {report.new_events}")
    print(f"  statuses written          {report.statuses_written:8d}   Acumatica writes {report.acumatica_writes}")
    print(f"  delivered / exceptions    {len(report.delivered):8d} / {len(report.exceptions)}   ok={report.ok}",
          flush=True)
    return report


def _spread_last_polls(now: datetime, interval: timedelta, every: timedelta) -> None:
    """The steady state at the cycle about to run at ``now``: the packages were last polled in equal
    groups on the cycles of the past ``every`` (for an hour of 15-minute cycles: 15, 30, 45, 60 min ago)."""
    groups = max(1, round(every / interval))
    numbers = [package.tracking_number for package in LocalPackage.select().order_by(LocalPackage.id)]
    for i, number in enumerate(numbers):
        poll_schedule.mark_polled(number, now - interval * (1 + i % groups), answered=False)


# -- (c) calls a day ----------------------------------------------------------------------------------
def polls_per_package(sync: SyncConfig, labelled_at: datetime) -> int:
    """Polls of one package labelled at ``labelled_at`` (local), picked up at 17:30 that day, out for
    delivery at 08:00 two days later and delivered at 14:00 (UPS gives that date from the pickup on)."""
    cadence = poll_schedule.Cadence.from_config(sync)
    day = labelled_at.replace(hour=0, minute=0, second=0, microsecond=0)
    picked_up, out_for_delivery = day + timedelta(hours=17.5), day + timedelta(days=2, hours=8)
    delivered = day + timedelta(days=2, hours=14)
    package = poll_schedule.PackagePoll("1Z", "M", "Shipper created a label", labelled_at=labelled_at)
    polls, now = 0, labelled_at + cadence.cycle / 3  # the sync runs somewhere inside each interval
    while now < delivered + timedelta(days=1):
        if poll_schedule.due([package], now, cadence):
            polls += 1
            if now >= delivered:
                return polls  # delivery seen: no longer tracked
            moving = now >= picked_up
            status = ("I", "Out For Delivery Today") if now >= out_for_delivery else (
                ("I", "Departed from Facility") if moving else ("M", "Shipper created a label"))
            package = poll_schedule.PackagePoll("1Z", *status, scheduled_delivery=delivered.date() if moving else None,
                                                polled_at=now, labelled_at=labelled_at)
        now += cadence.cycle
    return polls


def calls_per_day(sync: SyncConfig, in_transit: int, days_in_transit: float) -> tuple[float, float]:
    """(calls a day, polls per package) for ``in_transit`` packages, labels made 08:00-17:00 every half hour."""
    monday = datetime(2026, 11, 23).astimezone()
    samples = [polls_per_package(sync, monday + timedelta(hours=8 + h / 2)) for h in range(19)]
    per_package = sum(samples) / len(samples)
    labels_a_day = in_transit / days_in_transit
    return labels_a_day * per_package, per_package


def run(count: int, rps: float, concurrency: int, latency_ms: int) -> None:
    with start_sandboxes(max_sessions=4) as sandboxes, tempfile.TemporaryDirectory() as folder:
        base = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
        config = replace(base, sync=SyncConfig(requests_per_second=rps, concurrency=concurrency))
        context = AppContext.from_config(config, data_dir=Path(folder), demo=True, secret_values=DEMO_SECRETS)
        shipments = _seed(sandboxes, count)
        for shipment in shipments:  # as a pull stores them
            repository.upsert_shipment(shipment)
        # labelled and written back (the seeded packages carry their tracking numbers): what the sync tracks
        ShipmentRecord.update(state=State.WRITTEN_BACK).where(ShipmentRecord.shipment_nbr.startswith("BS")).execute()
        service = SyncService(context, now=sandboxes.clock.now)
        warm_up = SyncService(context, now=sandboxes.clock.now, bucket=TokenBucket(500.0, burst=50))

        started = time.perf_counter()
        warm = warm_up.run_cycle()
        print(f"warm-up (no latency): {time.perf_counter() - started:6.1f} s, {warm.polled} tracked, "
              f"{warm.statuses_written} statuses written, ok={warm.ok}", flush=True)

        for server in (sandboxes.ups, sandboxes.acumatica):
            server.add_fault(route="*", delay_ms=latency_ms)
        interval = timedelta(minutes=config.sync.interval_minutes)
        setting = f"{count} packages in transit, {latency_ms} ms per request, {rps:g} requests/s, {concurrency} workers"
        LocalPackage.update(polled_at=None).execute()  # as after the upgrade: none polled yet
        sandboxes.advance(hours=interval.total_seconds() / 3600)
        _timed_cycle(f"(a) first cycle, every package due; {setting}:", sandboxes, service)

        sandboxes.advance(hours=interval.total_seconds() / 3600)
        _spread_last_polls(sandboxes.clock.now(), interval, timedelta(minutes=config.sync.poll_every_minutes))
        _timed_cycle(f"(b) steady-state cycle, only the due packages; {setting}:", sandboxes, service)

        daily, per_package = calls_per_day(config.sync, 2000, 2.0)
        every_cycle = 2000 * 24 * 60 / config.sync.interval_minutes
        print(f"(c) UPS track calls a day, 2,000 packages in transit ~2 days each (1,000 labels a day), "
              f"defaults {config.sync.poll_every_minutes}/{config.sync.poll_due_today_minutes}/"
              f"{config.sync.first_poll_after_minutes} min:")
        print(f"  {per_package:.1f} polls per package, {daily:,.0f} calls a day "
              f"(every package every {config.sync.interval_minutes} min: {every_cycle:,.0f})")
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
