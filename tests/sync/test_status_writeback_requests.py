"""What a sync cycle costs (issue 14): in Acumatica one PUT per record, the notes read a few at a time, one
sign-in a cycle, and no line a person wrote lost on the way; in the store one transaction per batch of answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.settings.config import OrderNote
from shipdesk.core.store import repository
from shipdesk.core.store.models import database_proxy
from shipdesk.core.tracking import polling, scans, status_writeback
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.outages import CycleHealth
from shipdesk.ups.models import TrackEvent

from .conftest import EXCEPTION_SHIPMENT, SHIPPABLE, WITH_CUSTOM_FIELDS, acumatica_puts, acumatica_record, ship

DELIVERY_HOURS = 40  # the UPS sandbox delivers 36 h after the label


def _requests(sandboxes) -> dict[str, int]:
    return dict(sandboxes.acumatica.stats_payload()["requests"])


def _added(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {route: n - before.get(route, 0) for route, n in after.items() if n != before.get(route, 0)}


def test_one_put_per_record_no_read_of_one_record_and_one_sign_in_for_the_cycle(
        sandboxes, make_context, make_service):
    context = make_context(acumatica=WITH_CUSTOM_FIELDS)
    ship(context, *SHIPPABLE)
    sandboxes.advance(hours=DELIVERY_HOURS)
    service = make_service(context)
    orders = sum(len(acumatica_record(sandboxes, "Shipment", nbr)["Orders"]) for nbr in SHIPPABLE)
    before, logins_before = _requests(sandboxes), sandboxes.acumatica.stats_payload()["logins"]

    report = service.run_cycle()

    assert report.statuses_written == len(SHIPPABLE) and scans.pending_status_writebacks() == {}
    added = _added(_requests(sandboxes), before)
    puts = {route: n for route, n in added.items() if route.startswith("PUT ")}
    # the shipment's note and its custom fields in one PUT; each sales order's note in one
    assert sum(n for route, n in puts.items() if "Shipment" in route) == len(SHIPPABLE)
    assert sum(n for route, n in puts.items() if "SalesOrder" in route) == orders
    # no record is read alone: the notes come with two list reads (shipments, orders)
    assert not [route for route in added if route.startswith("GET ") and route.endswith("}")], added
    assert report.writeback_requests == len(SHIPPABLE) + orders + 2
    assert sandboxes.acumatica.stats_payload()["logins"] - logins_before == 1  # pull and write-back share it
    for nbr in SHIPPABLE:
        custom = acumatica_record(sandboxes, "Shipment", nbr)["custom"]["Document"]
        assert custom["UsrUpsStatus"]["value"] == "Delivered"


def test_lines_people_write_between_cycles_stay_in_the_shipment_s_and_the_order_s_note(
        sandboxes, make_context, make_service):
    context = make_context(acumatica={"order_note": OrderNote.EVERY_CHANGE})  # the order gets the in-transit line
    ship(context, "SH000101")
    service = make_service(context)
    sandboxes.advance(hours=12)  # in transit
    service.run_cycle()
    [order] = acumatica_record(sandboxes, "Shipment", "SH000101")["Orders"]
    order_keys = (order["OrderType"], order["OrderNbr"])
    with sandboxes.acumatica.lock:  # customer service writes in both notes after shipdesk's first line
        shipment = sandboxes.acumatica.documents.shipment("SH000101")
        shipment["note"] += "\nCustomer called: leave at dock 4"
        sales_order = sandboxes.acumatica.documents.sales_order(*order_keys)
        sales_order["note"] = "Rush order\n" + sales_order["note"] + "\nInvoice by email"
    sandboxes.advance(hours=DELIVERY_HOURS)

    report = service.run_cycle()

    assert report.ok, report.failures
    note = acumatica_record(sandboxes, "Shipment", "SH000101")["note"]
    assert "Customer called: leave at dock 4" in note and note.count("[shipdesk]") == 1
    assert "[shipdesk] UPS: Delivered" in note
    order_note = acumatica_record(sandboxes, "SalesOrder", *order_keys)["note"]
    assert order_note.startswith("Rush order\n") and order_note.endswith("Invoice by email")
    assert order_note.count("[shipdesk SH000101]") == 1 and "[shipdesk SH000101] UPS: Delivered" in order_note


def test_a_second_cycle_with_nothing_new_sends_nothing(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, *SHIPPABLE)
    sandboxes.advance(hours=DELIVERY_HOURS)
    service = make_service(context)
    service.run_cycle()
    puts = acumatica_puts(sandboxes)

    report = service.run_cycle()

    assert report.writeback_requests == 0 and acumatica_puts(sandboxes) == puts


def test_tracking_answers_are_stored_a_batch_in_one_transaction(sandboxes, make_context, make_service, monkeypatch):
    """One transaction for many answers, not one each: a label committed meanwhile waits for a few transactions,
    never for a stream of them that could outlast the busy timeout ("database is locked")."""
    context = make_context()
    shipped = ship(context, *SHIPPABLE, EXCEPTION_SHIPMENT)
    numbers = [n for group in shipped.values() for n in group]
    sandboxes.advance(hours=12)
    service = make_service(context)
    monkeypatch.setattr(polling, "BATCH_SECONDS", 60.0)
    statements: list[str] = []
    connection = database_proxy.connection()
    connection.set_trace_callback(statements.append)
    report = CycleReport(started_at=context.now())
    try:
        service.poller.poll(numbers, report, CycleHealth())
    finally:
        connection.set_trace_callback(None)

    assert report.polled == len(numbers) > 3
    assert len([s for s in statements if s.upper().startswith("BEGIN")]) == 1
    assert all(repository.packages_of(nbr)[0].status_type for nbr in shipped)  # every answer stored


def _order_of(sandboxes, nbr: str) -> tuple[str, str]:
    [order] = acumatica_record(sandboxes, "Shipment", nbr)["Orders"]
    return order["OrderType"], order["OrderNbr"]


def _routes(added: dict[str, int], method: str, entity: str) -> int:
    return sum(n for route, n in added.items() if route.startswith(f"{method} ") and f"/{entity}" in route)


def test_in_transit_scans_stay_off_the_sales_order_and_the_delivery_goes_on_it(sandboxes, make_context,
                                                                                make_service):
    """The default ``order_note = "outcomes"``: one request per shipment while it moves (its PUT; the notes of
    all of them in one list read), the order's read and PUT only for the outcome."""
    context = make_context()
    ship(context, "SH000101", "SH000103")
    service = make_service(context)
    order_keys = _order_of(sandboxes, "SH000101")
    sandboxes.advance(hours=12)  # in transit
    before = _requests(sandboxes)

    moving = service.run_cycle()

    added = _added(_requests(sandboxes), before)
    assert moving.statuses_written == 2 and moving.writeback_requests == 3  # 2 PUTs and 1 list read
    assert _routes(added, "PUT", "SalesOrder") == 0 and _routes(added, "GET", "SalesOrder") == 0
    assert "[shipdesk] UPS: In transit" in acumatica_record(sandboxes, "Shipment", "SH000101")["note"]
    assert "[shipdesk" not in acumatica_record(sandboxes, "SalesOrder", *order_keys)["note"]
    sandboxes.advance(hours=DELIVERY_HOURS)
    before = _requests(sandboxes)

    delivered = service.run_cycle()

    added = _added(_requests(sandboxes), before)
    assert delivered.ok, delivered.failures
    assert _routes(added, "PUT", "SalesOrder") == 2 and delivered.writeback_requests == 2 + 2 + 2
    order_note = acumatica_record(sandboxes, "SalesOrder", *order_keys)["note"]
    assert "[shipdesk SH000101] UPS: Delivered" in order_note and order_note.count("[shipdesk") == 1


def test_every_change_puts_each_in_transit_scan_on_the_sales_order_too(sandboxes, make_context, make_service):
    context = make_context(acumatica={"order_note": OrderNote.EVERY_CHANGE})
    ship(context, "SH000101")
    service = make_service(context)
    sandboxes.advance(hours=12)

    report = service.run_cycle()

    assert report.writeback_requests == 4  # each record's list read and PUT
    shipment_line = acumatica_record(sandboxes, "Shipment", "SH000101")["note"].splitlines()[-1]
    order_note = acumatica_record(sandboxes, "SalesOrder", *_order_of(sandboxes, "SH000101"))["note"]
    assert shipment_line.startswith("[shipdesk] UPS: In transit - ")
    assert order_note == shipment_line.replace("[shipdesk]", "[shipdesk SH000101]")


@pytest.mark.parametrize(("chunk", "order_reads"), [(200, 1), (1, 2)])
def test_two_shipments_of_one_order_each_keep_their_line_with_one_read_of_the_order(
        sandboxes, make_context, make_service, monkeypatch, chunk, order_reads):
    """Two shipments of one sales order written in the same chunk: the second merges into the note the first
    just saved (no read of its own, and not the read both started from, which would drop the first line). In
    two chunks (the second's read is no longer seconds old) the order's note is read again for the second."""
    monkeypatch.setattr(status_writeback, "CHUNK", chunk)
    context = make_context()
    order_keys = _order_of(sandboxes, "SH000101")
    with sandboxes.acumatica.lock:  # the order's second shipment (a back order) ships the same day
        second = sandboxes.acumatica.documents.shipment("SH000103")
        [link] = second["Orders"]
        second["Orders"] = [link, {**link, "id": "9d2b6c1e-0000-4000-8000-000000000103", "OrderNbr": order_keys[1]}]
        sandboxes.acumatica.documents.sales_order(*order_keys)["note"] = "Split shipment: OK with customer"
    ship(context, "SH000101", "SH000103")
    service = make_service(context)
    sandboxes.advance(hours=DELIVERY_HOURS)
    before = _requests(sandboxes)

    report = service.run_cycle()

    assert report.ok, report.failures
    added = _added(_requests(sandboxes), before)
    order_note = acumatica_record(sandboxes, "SalesOrder", *order_keys)["note"]
    assert order_note.startswith("Split shipment: OK with customer\n")
    assert "[shipdesk SH000101] UPS: Delivered" in order_note and "[shipdesk SH000103] UPS: Delivered" in order_note
    # the orders' notes in one list read a chunk; none read alone
    assert _routes(added, "GET", "SalesOrder") == order_reads, added
    assert not [route for route in added if route.startswith("GET ") and route.endswith("}")], added


def test_after_an_exception_the_order_says_in_transit_again_once(sandboxes, make_context, make_service):
    """An exception goes on the order; when the package moves again the order's line must not stay on the
    exception: it says "In transit" once (pointing at the shipment's note), and the scans after that stay off it."""
    context = make_context()
    [number] = ship(context, EXCEPTION_SHIPMENT)[EXCEPTION_SHIPMENT]
    service = make_service(context)
    order_keys = _order_of(sandboxes, EXCEPTION_SHIPMENT)
    sandboxes.advance(hours=DELIVERY_HOURS)
    service.run_cycle()
    assert f"[shipdesk {EXCEPTION_SHIPMENT}] UPS: Exception" in acumatica_record(
        sandboxes, "SalesOrder", *order_keys)["note"]
    puts: list[int] = []
    for hours, description in ((1, "Departed from Facility"), (2, "Arrived at Facility")):
        when = sandboxes.clock.now() + timedelta(hours=hours)
        scans.record_tracking(number, [TrackEvent("I", "AR", description, "ATLANTA, GA, US", when)], source="push")
        before = _requests(sandboxes)

        report = service.run_cycle()

        assert report.ok and report.statuses_written == 1, report.failures
        puts.append(_routes(_added(_requests(sandboxes), before), "PUT", "SalesOrder"))
        order_note = acumatica_record(sandboxes, "SalesOrder", *order_keys)["note"]
        assert order_note.endswith(f"[shipdesk {EXCEPTION_SHIPMENT}] UPS: In transit (the latest scan is in the "
                                   f"note of shipment {EXCEPTION_SHIPMENT})")
        assert description in acumatica_record(sandboxes, "Shipment", EXCEPTION_SHIPMENT)["note"]
    assert puts == [1, 0]


def test_a_line_a_person_saves_between_the_read_and_the_put_is_the_one_that_can_be_lost(
        sandboxes, make_context, make_service, monkeypatch):
    """As docs/architecture.md says: the notes are read right before the PUTs (a second or so); a line saved in
    that window is overwritten by the PUT, which replaces the whole note. A moving shipment's sales order is not
    written by default, so what a person saves there meanwhile stays whatever the timing."""
    context = make_context()
    ship(context, "SH000101")
    service = make_service(context)
    order_keys = _order_of(sandboxes, "SH000101")
    sandboxes.advance(hours=12)
    read_notes = AcumaticaClient.read_notes

    def person_saves_right_after_the_read(acu, entity, keys):
        notes = read_notes(acu, entity, keys)
        if entity != "Shipment":
            return notes
        with sandboxes.acumatica.lock:
            sandboxes.acumatica.documents.shipment("SH000101")["note"] += "\nCall before delivery"
            sandboxes.acumatica.documents.sales_order(*order_keys)["note"] += "Customer asked for tracking"
        return notes

    monkeypatch.setattr(AcumaticaClient, "read_notes", person_saves_right_after_the_read)

    report = service.run_cycle()

    assert report.ok, report.failures
    note = acumatica_record(sandboxes, "Shipment", "SH000101")["note"]
    assert "[shipdesk] UPS: In transit" in note and note.startswith("Deliver to the rear dock.")
    assert "Call before delivery" not in note  # saved inside the window: the PUT replaced it
    assert acumatica_record(sandboxes, "SalesOrder", *order_keys)["note"] == "Customer asked for tracking"
