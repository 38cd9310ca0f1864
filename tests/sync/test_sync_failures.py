"""A cycle that fails half-way loses nothing, reports an outage once, and finishes the work later."""

from __future__ import annotations

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import repository
from shipdesk.core.tracking import scans
from shipdesk.core.tracking.throttle import TokenBucket
from shipdesk.net.retry import no_wait_policy

from .conftest import SHIPPABLE, acumatica_puts, acumatica_record, ship, track_requests


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Three tries without waiting, so an outage is declared in milliseconds."""
    monkeypatch.setattr("shipdesk.net.transport.RetryPolicy", lambda: no_wait_policy(3))


@pytest.fixture
def delivered_day(sandboxes, make_context):
    context = make_context()
    shipped = ship(context, *SHIPPABLE)
    sandboxes.advance(hours=40)
    return context, shipped


@pytest.mark.parametrize(("fault", "wording"), [({"status": 429}, "UPS refusing requests (too many) since"),
                                                ({"drop": True}, "UPS unreachable since")])
def test_a_ups_outage_is_reported_once_and_tracking_resumes(sandboxes, delivered_day, make_service, fault,
                                                            wording):
    context, shipped = delivered_day
    packages = sum(len(n) for n in shipped.values())
    sandboxes.ups.add_fault(route="/api/track", **fault)
    service = make_service(context, bucket=TokenBucket(40.0, burst=4))

    first = service.run_cycle()

    assert not first.ok and first.polled == 0
    assert len(first.failures) == 1 and first.failures[0].startswith(wording)
    assert track_requests(sandboxes) < packages * 3  # it stopped asking instead of trying every package
    if fault.get("status") == 429:
        assert service.bucket.rate < 40.0  # UPS pushed back: the rate went down
    second = service.run_cycle()
    assert not second.ok and second.failures == []  # the same outage: not reported again
    sandboxes.ups.clear_faults()

    third = service.run_cycle()

    assert third.ok and third.polled == packages
    assert third.notices == [next(n for n in third.notices if n.startswith("UPS reachable again"))]
    assert all(repository.get_shipment(nbr).state == State.DELIVERED.value for nbr in SHIPPABLE)


def test_an_acumatica_failure_half_way_keeps_what_was_fetched_and_writes_the_rest_later(
        sandboxes, delivered_day, make_service):
    context, _ = delivered_day
    orders = sandboxes.acumatica.tenant_url.replace(sandboxes.acumatica.url, "") + \
        "/entity/Default/24.200.001/SalesOrder"
    sandboxes.acumatica.add_fault(route=orders, status=500)
    service = make_service(context)
    puts_before = acumatica_puts(sandboxes)

    first = service.run_cycle()

    assert not first.ok and len(first.failures) == 1 and first.failures[0].startswith("Acumatica failing since")
    assert all(repository.get_shipment(nbr).state == State.DELIVERED.value for nbr in SHIPPABLE)  # stored
    assert sorted(scans.pending_status_writebacks()) == sorted(SHIPPABLE)  # nothing is forgotten
    assert service.run_cycle().failures == []
    sandboxes.acumatica.clear_faults()

    third = service.run_cycle()

    assert third.ok and any(n.startswith("Acumatica reachable again") for n in third.notices)
    assert scans.pending_status_writebacks() == {}
    expected_puts = 0
    for nbr in SHIPPABLE:
        record = acumatica_record(sandboxes, "Shipment", nbr)
        assert record["note"].count("[shipdesk]") == 1 and "UPS: Delivered" in record["note"]
        order_numbers = repository.get_shipment(nbr).order_numbers.split(", ")
        for order in order_numbers:
            order_note = acumatica_record(sandboxes, "SalesOrder", *order.split())["note"]
            assert f"[shipdesk {nbr}] UPS: Delivered" in order_note
        expected_puts += 1 + len(order_numbers)  # the shipment's note and custom fields in one PUT, order notes
    assert acumatica_puts(sandboxes) - puts_before == expected_puts  # nothing was written twice


def test_acumatica_down_does_not_stop_tracking(sandboxes, delivered_day, make_service):
    context, _ = delivered_day
    sandboxes.acumatica.add_fault(route="*", drop=True)
    service = make_service(context)

    report = service.run_cycle()

    assert not report.ok and report.polled == 6 and len(report.delivered) == 3
    assert [f for f in report.failures if f.startswith("Acumatica unreachable since")] == report.failures
    sandboxes.acumatica.clear_faults()
    assert service.run_cycle().ok
    assert "UPS: Delivered" in acumatica_record(sandboxes, "Shipment", SHIPPABLE[0])["note"]


@pytest.mark.parametrize("fault", [{"status": 503}, {"drop": True}])
def test_acumatica_down_during_label_write_backs_is_one_outage_not_one_failure_per_label(
        sandboxes, make_context, make_service, fault):
    context = make_context()
    waiting = ("SH000101", "SH000103", "SH000105", "SH000118", "SH000132")
    shipments = sandboxes.acumatica.tenant_url.replace(sandboxes.acumatica.url, "") + \
        "/entity/Default/24.200.001/Shipment"
    for nbr in waiting:  # Acumatica takes the tracking numbers but not the label files
        sandboxes.acumatica.add_fault(route=f"{shipments}/{nbr}/files", **fault)
    flow = ShipFlow(context)
    flow.pull()
    for nbr in waiting:
        assert flow.ship(nbr, print_labels=False).state == State.LABELLED
    service = make_service(context)

    reports = [service.run_cycle(), service.run_cycle()]

    failures = [f for report in reports for f in report.failures]
    assert len(failures) == 1 and failures[0].startswith("Acumatica ")  # one sentence for the outage
    assert not reports[1].ok  # still out: the cycle did not work, it just does not say so again
    assert all(repository.get_shipment(nbr).state == State.LABELLED.value for nbr in waiting)
    sandboxes.acumatica.clear_faults()

    recovered = service.run_cycle()

    assert recovered.ok and recovered.written_back == len(waiting)
    assert len([n for n in recovered.notices if n.startswith("Acumatica reachable again")]) == 1
    assert all(repository.get_shipment(nbr).state != State.LABELLED.value for nbr in waiting)


def test_listeners_are_told_of_an_outage_its_end_and_every_cycle(sandboxes, delivered_day, make_service):
    from shipdesk.core.events import ServiceStatusChanged, SyncFinished
    from shipdesk.errors import Service

    context, _ = delivered_day
    heard: list[object] = []
    context.events.subscribe(ServiceStatusChanged, heard.append)
    context.events.subscribe(SyncFinished, heard.append)
    service = make_service(context, bucket=TokenBucket(40.0, burst=4))
    sandboxes.ups.add_fault(route="/api/track", drop=True)

    service.run_cycle()
    service.run_cycle()  # the same outage: told once
    sandboxes.ups.clear_faults()
    service.run_cycle()

    changes = [e for e in heard if isinstance(e, ServiceStatusChanged)]
    assert [(e.service, e.reachable) for e in changes] == [(Service.UPS, False), (Service.UPS, True)]
    assert changes[0].sentence.startswith("UPS unreachable since")
    assert changes[1].sentence.startswith("UPS reachable again")
    cycles = [e for e in heard if isinstance(e, SyncFinished)]
    assert [e.ok for e in cycles] == [False, False, True]
    assert heard.index(changes[1]) < heard.index(cycles[2])  # the recovery comes before its cycle's end
