"""One sync cycle against the sandboxes: delivered statuses reach Acumatica once, exceptions show."""

from __future__ import annotations

import gc
import types

from shipdesk.acumatica.errors import FieldsNotSaved
from shipdesk.core.domain.states import State
from shipdesk.core.store import repository
from shipdesk.core.store.models import TrackingEvent

from .conftest import EXCEPTION_SHIPMENT, SHIPPABLE, WITH_CUSTOM_FIELDS, acumatica_puts, acumatica_record, ship

DELIVERY_HOURS = 40  # the UPS sandbox delivers 36 h after the label


def test_one_cycle_delivers_everything_and_a_second_cycle_writes_nothing(sandboxes, make_context, make_service):
    context = make_context(acumatica=WITH_CUSTOM_FIELDS)
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


def _confirm(sandboxes, *numbers: str) -> None:
    with sandboxes.acumatica.lock:  # a clerk confirms them in Acumatica, as most sites do before delivery
        for nbr in numbers:
            sandboxes.acumatica.documents.shipment(nbr)["Status"] = "Confirmed"


def test_status_fields_a_confirmed_shipment_drops_are_named_once_and_the_notes_still_land(
        sandboxes, make_context, make_service):
    """Acumatica drops writes to a Confirmed shipment's header, Usr... fields included, without an error; the
    status write-back reads back what it wrote and says what did not stick and what to do (issue 12.8)."""
    context = make_context(acumatica=WITH_CUSTOM_FIELDS)
    ship(context, "SH000101")
    _confirm(sandboxes, "SH000101")
    sandboxes.advance(hours=DELIVERY_HOURS)
    service = make_service(context)

    first = service.run_cycle()

    assert first.delivered == ["SH000101"]
    # the status reached Acumatica (the notes): a notice for the admin, not a failed cycle
    assert first.ok and first.failures == []
    [notice] = [n for n in first.notices if "UsrUpsStatus" in n]
    for name in ("UsrUpsStatus", "UsrSignedBy", "UsrDeliveredDate", "status Confirmed", "editable after Confirm",
                 "sales order's note"):
        assert name in notice, notice
    record = acumatica_record(sandboxes, "Shipment", "SH000101")
    assert "Document" not in record["custom"]  # nothing stuck...
    assert "[shipdesk] UPS: Delivered " in record["note"]  # ...but the note did, as Acumatica writes notes
    assert "[shipdesk SH000101] UPS: Delivered " in acumatica_record(sandboxes, "SalesOrder", "SO", "SO005101")["note"]

    puts_before = acumatica_puts(sandboxes)
    second = service.run_cycle()

    assert second.ok and not [n for n in second.notices if "UsrUpsStatus" in n]  # said once, not every cycle
    assert acumatica_puts(sandboxes) == puts_before


def test_confirmed_shipments_refusing_different_fields_make_one_notice_for_the_cycle(
        sandboxes, make_context, make_service):
    """One delivered (three fields refused), one in an exception (the status field only): one sentence that
    names the first shipment's details, the other shipment and every field to make editable."""
    context = make_context(acumatica=WITH_CUSTOM_FIELDS)
    ship(context, *SHIPPABLE, EXCEPTION_SHIPMENT)
    _confirm(sandboxes, *SHIPPABLE, EXCEPTION_SHIPMENT)
    sandboxes.advance(hours=DELIVERY_HOURS)

    report = make_service(context).run_cycle()

    assert report.ok and report.failures == [], report.failures
    assert report.statuses_written == len(SHIPPABLE) + 1
    [notice] = [n for n in report.notices if "Usr" in n]
    first = min((*SHIPPABLE, EXCEPTION_SHIPMENT))
    assert f"shipment {first} " in notice and "on 3 other shipments either" in notice, notice
    to_make_editable = notice.split("Make ")[1].split(" editable after Confirm")[0]
    assert set(to_make_editable.split(", ")) == {"UsrUpsStatus", "UsrSignedBy", "UsrDeliveredDate"}, notice


def test_the_demo_settings_write_confirmed_shipments_statuses_without_a_notice(sandboxes, make_context, make_service):
    """The demo (and the sync benchmark) tracks Confirmed shipments: its settings ask for no field Acumatica
    refuses there, so a cycle is a healthy one."""
    context = make_context()
    ship(context, *SHIPPABLE)
    _confirm(sandboxes, *SHIPPABLE)
    sandboxes.advance(hours=DELIVERY_HOURS)

    report = make_service(context).run_cycle()

    assert report.ok and report.failures == [] and report.notices == [], (report.failures, report.notices)
    assert sorted(report.delivered) == sorted(SHIPPABLE)
    for nbr in SHIPPABLE:
        assert "[shipdesk] UPS: Delivered " in acumatica_record(sandboxes, "Shipment", nbr)["note"]


def test_a_cycle_with_refused_fields_leaves_no_reference_cycle_through_tracebacks(
        sandboxes, make_context, make_service):
    """A caught FieldsNotSaved kept with its traceback holds the frames of the write-back (task, futures, locks):
    a cycle only a full garbage collection frees, with the GIL held (a stall of the desktop app)."""
    context = make_context(acumatica=WITH_CUSTOM_FIELDS)
    ship(context, *SHIPPABLE)
    _confirm(sandboxes, *SHIPPABLE)
    sandboxes.advance(hours=DELIVERY_HOURS)
    service = make_service(context)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds unreachable stays in gc.garbage to be looked at
    try:
        report = service.run_cycle()
        gc.collect()
        garbage = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()

    assert [n for n in [*report.notices, *report.failures] if "UsrUpsStatus" in n]  # fields were refused
    kept_errors = [o for o in garbage if isinstance(o, FieldsNotSaved)]
    writeback_frames = [o for o in garbage if isinstance(o, types.FrameType)
                        and o.f_code.co_filename.endswith("status_writeback.py")]
    assert kept_errors == [] and writeback_frames == [], (len(kept_errors), len(writeback_frames))


def test_a_note_acumatica_does_not_keep_fails_the_cycle_with_what_to_check(
        sandboxes, make_context, make_service, monkeypatch):
    """A customization that makes the shipment's note read-only: the status did not land, so it is a failure
    (the custom-field refusals alone are a notice), with what to check."""
    context = make_context()
    ship(context, "SH000101")
    sandboxes.advance(hours=DELIVERY_HOURS)
    monkeypatch.setattr(sandboxes.acumatica.documents, "_merge_note", lambda record, body: False)

    report = make_service(context).run_cycle()

    assert not report.ok
    [failure] = [f for f in report.failures if "SH000101" in f]
    assert "makes the note read-only" in failure and "editable after Confirm" not in failure, failure
