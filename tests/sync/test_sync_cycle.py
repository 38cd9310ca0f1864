"""One sync cycle against the sandboxes: delivered statuses reach Acumatica once, exceptions show."""

from __future__ import annotations

from shipdesk.core.domain.states import State
from shipdesk.core.store import repository
from shipdesk.core.store.models import TrackingEvent

from .conftest import EXCEPTION_SHIPMENT, SHIPPABLE, acumatica_puts, acumatica_record, ship

DELIVERY_HOURS = 40  # the UPS sandbox delivers 36 h after the label


def test_one_cycle_delivers_everything_and_a_second_cycle_writes_nothing(sandboxes, make_context, make_service):
    context = make_context()
    shipped = ship(context, *SHIPPABLE, EXCEPTION_SHIPMENT)
    sandboxes.advance(hours=DELIVERY_HOURS)
    service = make_service(context)

    first = service.run_cycle()

    assert first.ok, first.failures
    assert sorted(first.delivered) == sorted(SHIPPABLE)
    assert first.exceptions == [EXCEPTION_SHIPMENT]
    for nbr, numbers in shipped.items():
        for package in repository.packages_of(nbr):
            if nbr == EXCEPTION_SHIPMENT:
                assert package.status_type == "X" and package.delivered_at is None
            else:
                assert package.status_type == "D" and package.delivered_at is not None and package.signed_by
        assert TrackingEvent.select().where(TrackingEvent.tracking_number.in_(numbers)).count() > 0
    for nbr in SHIPPABLE:
        assert repository.get_shipment(nbr).state == State.DELIVERED.value
        record = acumatica_record(sandboxes, "Shipment", nbr)
        signer = repository.packages_of(nbr)[0].signed_by
        assert "[shipdesk] UPS: Delivered " in record["note"] and f"signed by {signer}" in record["note"]
        custom = record["custom"]["Document"]
        assert custom["UsrUpsStatus"]["value"] == "Delivered"
        assert custom["UsrSignedBy"]["value"] == signer
        assert custom["UsrDeliveredDate"]["value"]
        for order in repository.get_shipment(nbr).order_numbers.split(", "):
            kind, order_nbr = order.split(" ")
            order_note = acumatica_record(sandboxes, "SalesOrder", kind, order_nbr)["note"]
            assert f"[shipdesk {nbr}] UPS: Delivered " in order_note and signer in order_note
    assert repository.get_shipment(EXCEPTION_SHIPMENT).state == State.EXCEPTION.value
    exception_note = acumatica_record(sandboxes, "Shipment", EXCEPTION_SHIPMENT)["note"]
    assert "UPS: Exception" in exception_note and "DAMAGED" in exception_note

    puts_before, events_before = acumatica_puts(sandboxes), TrackingEvent.select().count()
    second = service.run_cycle()

    assert second.ok, second.failures
    assert acumatica_puts(sandboxes) == puts_before
    assert second.acumatica_writes == 0 and second.statuses_written == 0
    assert TrackingEvent.select().count() == events_before  # no scan stored twice
    assert second.polled == 0 and second.waiting == 1  # the exception, still tracked, was asked a moment ago


def test_a_person_s_note_survives_the_status_line(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, "SH000101")
    with sandboxes.acumatica.lock:
        sandboxes.acumatica.documents.shipment("SH000101")["note"] = "Call before delivery.\nDock 4"
    sandboxes.advance(hours=DELIVERY_HOURS)

    make_service(context).run_cycle()

    note = acumatica_record(sandboxes, "Shipment", "SH000101")["note"]
    assert note.startswith("Call before delivery.\nDock 4\n[shipdesk] UPS: Delivered ")


def test_in_transit_then_delivered_updates_the_line_once_per_change(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, "SH000101")
    service = make_service(context)
    sandboxes.advance(hours=12)  # picked up, departed

    service.run_cycle()

    assert repository.get_shipment("SH000101").state == State.IN_TRANSIT.value
    note = acumatica_record(sandboxes, "Shipment", "SH000101")["note"]
    assert "[shipdesk] UPS: In transit - Departed from Facility" in note
    sandboxes.advance(hours=DELIVERY_HOURS)

    service.run_cycle()

    assert repository.get_shipment("SH000101").state == State.DELIVERED.value
    note = acumatica_record(sandboxes, "Shipment", "SH000101")["note"]
    assert note.count("[shipdesk]") == 1 and "UPS: Delivered" in note


def test_exception_shipments_are_listed_by_state(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, EXCEPTION_SHIPMENT, "SH000101")
    sandboxes.advance(hours=24)

    make_service(context).run_cycle()

    listing = repository.list_shipments([State.EXCEPTION])
    assert [row.shipment_nbr for row in listing.rows] == [EXCEPTION_SHIPMENT]


def test_a_number_with_a_slash_gets_its_status_on_the_shipment_and_its_order(sandboxes, make_context, make_service):
    """SH000136/B ships sales order SO005136/B: both are addressed by id or $filter, never by a key path."""
    context = make_context()
    ship(context, "SH000136/B")
    sandboxes.advance(hours=DELIVERY_HOURS)

    report = make_service(context).run_cycle()

    assert report.ok and report.delivered == ["SH000136/B"], report.failures
    assert "[shipdesk] UPS: Delivered " in acumatica_record(sandboxes, "Shipment", "SH000136/B")["note"]
    order_note = acumatica_record(sandboxes, "SalesOrder", "SO", "SO005136/B")["note"]
    assert "[shipdesk SH000136/B] UPS: Delivered " in order_note


def test_status_fields_a_confirmed_shipment_drops_are_named_once_and_the_notes_still_land(
        sandboxes, make_context, make_service):
    """Acumatica drops writes to a Confirmed shipment's header, Usr... fields included, without an error; the
    status write-back reads back what it wrote and says what did not stick and what to do (issue 12.8)."""
    context = make_context()
    ship(context, "SH000101")
    with sandboxes.acumatica.lock:  # a clerk confirms it in Acumatica, as most sites do before delivery
        sandboxes.acumatica.documents.shipment("SH000101")["Status"] = "Confirmed"
    sandboxes.advance(hours=DELIVERY_HOURS)
    service = make_service(context)

    first = service.run_cycle()

    assert first.delivered == ["SH000101"]
    [failure] = first.failures
    for name in ("UsrUpsStatus", "UsrSignedBy", "UsrDeliveredDate", "status Confirmed", "editable after Confirm",
                 "sales order's note"):
        assert name in failure, failure
    record = acumatica_record(sandboxes, "Shipment", "SH000101")
    assert "Document" not in record["custom"]  # nothing stuck...
    assert "[shipdesk] UPS: Delivered " in record["note"]  # ...but the note did, as Acumatica writes notes
    assert "[shipdesk SH000101] UPS: Delivered " in acumatica_record(sandboxes, "SalesOrder", "SO", "SO005101")["note"]

    puts_before = acumatica_puts(sandboxes)
    second = service.run_cycle()

    assert second.ok and second.failures == []  # said once, not every cycle
    assert acumatica_puts(sandboxes) == puts_before
