"""Scans stored once whatever the source, states derived from them, and the line customer service reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import CustomFields, OrderNote
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.core.store.models import TrackingEvent
from shipdesk.core.track_alert.push import parse_push
from shipdesk.core.tracking import scans
from shipdesk.core.tracking.status_writeback import compose
from shipdesk.ups.models import TrackEvent
from tests.core.factories import ship_result, shipment
from tests.support.factories import requesting_job

EASTERN = timezone(timedelta(hours=-4))
NUMBERS = ("1ZA1B2C30311111111", "1ZA1B2C30322222222")


@pytest.fixture
def labelled(tmp_path):
    """Shipment 000123 with two packages, labelled and written back."""
    store = open_store(tmp_path / "data")
    repo.upsert_shipment(shipment("000123", packages=2,
                                  orders=(*shipment().orders, *shipment("000124").orders)))
    repo.set_state("000123", State.READY)
    job_id = requesting_job("000123")
    repo.record_label(job_id, ship_result(*NUMBERS))
    repo.mark_written_back(job_id)
    yield "000123"
    store.close()


def scan(kind: str, code: str, description: str, hour: int, *, day: int = 24) -> TrackEvent:
    return TrackEvent(kind, code, description, "ATLANTA, GA, US", datetime(2026, 11, day, hour, 5, tzinfo=EASTERN))


@pytest.mark.parametrize(("kind", "code", "description", "category"), [
    ("M", "MP", "Shipper created a label", scans.LABEL_CREATED),
    ("I", "PU", "Pickup Scan", scans.IN_TRANSIT),
    ("W", "", "Warehouse scan", scans.IN_TRANSIT),
    ("ZZ", "", "a type UPS invents next year", scans.IN_TRANSIT),
    ("X", "DM", "DAMAGED - RETURNING TO SENDER", scans.EXCEPTION),
    ("D", "KB", "DELIVERED", scans.DELIVERED),
    ("DD", "", "Delivered destination", scans.DELIVERED),
    ("D", "", "RETURNED TO SHIPPER", scans.RETURNED),
    ("I", "RS", "Returned to sender", scans.RETURNED),
    ("MV", "VD", "Shipper voided the shipment.", scans.VOIDED),
])
def test_package_categories(kind, code, description, category):
    assert scans.package_category(kind, description, code) == category


@pytest.mark.parametrize(("categories", "state"), [
    (["label_created", "label_created"], None),
    (["in_transit", "label_created"], State.IN_TRANSIT),
    (["delivered", "in_transit"], State.IN_TRANSIT),
    (["delivered", "delivered"], State.DELIVERED),
    (["delivered", "voided"], State.DELIVERED),
    (["delivered", "exception"], State.EXCEPTION),
    (["returned", "in_transit"], State.EXCEPTION),
])
def test_shipment_state_from_its_packages(categories, state):
    assert scans.shipment_state_for(categories) == state


def test_a_scan_polled_and_pushed_is_stored_once(labelled):
    polled = scan("I", "OT", "Out For Delivery Today", 7)
    scans.record_tracking(NUMBERS[0], [polled], source="poll")
    pushed = parse_push({
        "trackingNumber": NUMBERS[0], "localActivityDate": "20261124", "localActivityTime": "70500",
        "gmtOffset": "-04.00", "activityStatus": {"type": "I", "code": "OT", "description": "Out For Delivery Today"},
        "activityLocation": {"city": "ATLANTA", "stateProvince": "GA", "country": "US"}})

    update = scans.record_tracking(pushed.tracking_number, [pushed.event], source="push")

    assert update is not None and update.new_events == 0 and not update.changed
    assert TrackingEvent.select().count() == 1


def test_state_follows_the_latest_scan_whatever_the_arrival_order(labelled):
    delivered = scan("D", "KB", "DELIVERED", 14, day=26)
    scans.record_tracking(NUMBERS[0], [delivered], source="push", received_by="J SMITH")
    late_pickup = scans.record_tracking(NUMBERS[0], [scan("I", "PU", "Pickup Scan", 9)], source="push")

    assert late_pickup is not None and late_pickup.category == scans.DELIVERED
    package = repo.packages_of(labelled)[0]
    assert package.status_type == "D" and package.signed_by == "J SMITH"
    assert package.delivered_at == datetime(2026, 11, 26, 18, 5, tzinfo=UTC)
    assert repo.get_shipment(labelled).state == State.IN_TRANSIT.value  # the second package has not moved


def test_delivery_of_every_package_delivers_the_shipment_and_its_job(labelled):
    for number in NUMBERS:
        update = scans.record_tracking(number, [scan("D", "KB", "DELIVERED", 14, day=26)], source="poll",
                                          received_by="J SMITH")
    assert update is not None and update.shipment_state == State.DELIVERED
    assert repo.get_shipment(labelled).state == State.DELIVERED.value
    assert repo.latest_job(labelled).state == State.DELIVERED.value


def test_an_unknown_number_changes_nothing(labelled):
    assert scans.record_tracking("1Z999AA10123456784", [scan("I", "PU", "Pickup", 9)], source="push") is None
    assert TrackingEvent.select().count() == 0


def test_a_change_queues_the_shipment_once_and_a_repeat_does_not(labelled):
    scans.record_tracking(NUMBERS[0], [scan("I", "PU", "Pickup Scan", 9)], source="poll")
    mark = scans.pending_status_writebacks()[labelled]
    scans.status_written(labelled, mark)

    scans.record_tracking(NUMBERS[0], [scan("I", "PU", "Pickup Scan", 9)], source="poll")

    assert scans.pending_status_writebacks() == {}


def test_a_change_while_writing_is_not_lost(labelled):
    scans.record_tracking(NUMBERS[0], [scan("I", "PU", "Pickup Scan", 9)], source="poll")
    seen = scans.pending_status_writebacks()[labelled]
    scans.record_tracking(NUMBERS[0], [scan("I", "DP", "Departed from Facility", 11)], source="push")

    scans.status_written(labelled, seen)  # the sync finishes writing what it composed earlier

    assert labelled in scans.pending_status_writebacks()


def test_status_lines_for_customer_service(labelled):
    fields = CustomFields("UsrDeliveredDate", "UsrUpsStatus", "UsrSignedBy")
    assert compose(labelled, fields).shipment_line == ""  # only the label so far: nothing to say
    scans.record_tracking(NUMBERS[0], [scan("I", "AR", "Arrived at Facility", 10)], source="poll")
    scans.record_tracking(NUMBERS[1], [scan("D", "KB", "DELIVERED", 14, day=26)], source="poll",
                             received_by="J SMITH")

    in_transit = compose(labelled, fields)

    assert in_transit.shipment_line == ("UPS: In transit - Arrived at Facility, ATLANTA, GA, US, 2026-11-24 10:05 "
                                        "(1 of 2 packages delivered)")
    assert in_transit.custom_fields == {"UsrUpsStatus": "In transit"}
    # the orders: only the outcomes by default; a moving shipment's line only for an order that shows an earlier one
    pointer = "UPS: In transit (the latest scan is in the note of shipment 000123)"
    assert in_transit.order_lines == dict.fromkeys(("SO SO000123", "SO SO000124"), pointer)
    assert in_transit.orders_only_if_written
    every_change = compose(labelled, fields, OrderNote.EVERY_CHANGE)
    assert every_change.order_lines == dict.fromkeys(("SO SO000123", "SO SO000124"), in_transit.shipment_line)
    assert not every_change.orders_only_if_written
    scans.record_tracking(NUMBERS[0], [scan("D", "KB", "DELIVERED", 16, day=26)], source="poll",
                             received_by="DOCK 4")

    delivered = compose(labelled, fields)

    assert delivered.shipment_line == "UPS: Delivered 2026-11-26 16:05 (2 packages), signed by DOCK 4, J SMITH"
    assert delivered.custom_fields == {"UsrUpsStatus": "Delivered", "UsrSignedBy": "DOCK 4, J SMITH",
                                       "UsrDeliveredDate": datetime(2026, 11, 26, 16, 5)}
    assert delivered.order_lines == dict.fromkeys(("SO SO000123", "SO SO000124"), delivered.shipment_line)
    assert not delivered.orders_only_if_written


def test_an_exception_names_the_package_and_the_reason(labelled):
    scans.record_tracking(NUMBERS[1], [scan("X", "DM", "DAMAGED - RETURNING TO SENDER", 12)], source="poll")

    plan = compose(labelled, CustomFields(status="UsrUpsStatus"))

    assert plan.shipment_line == (f"UPS: Exception 2026-11-24 12:05 - DAMAGED - RETURNING TO SENDER, ATLANTA, GA, "
                                  f"US (package {NUMBERS[1]})")
    assert plan.custom_fields == {"UsrUpsStatus": "Exception"}
    assert repo.get_shipment(labelled).state == State.EXCEPTION.value


def test_a_shipment_tracked_before_its_write_back_settles_once_written_back(tmp_path):
    store = open_store(tmp_path / "data")
    repo.upsert_shipment(shipment("000125", packages=1))
    repo.set_state("000125", State.READY)
    job_id = requesting_job("000125")
    repo.record_label(job_id, ship_result(NUMBERS[0]))  # labelled; the write-back failed
    scans.record_tracking(NUMBERS[0], [scan("I", "PU", "Pickup Scan", 9)], source="poll")
    assert repo.get_shipment("000125").state == State.LABELLED.value
    repo.mark_written_back(job_id)  # the sync's retry got the tracking numbers into Acumatica

    assert scans.settle_written_back() == ["000125"]

    assert repo.get_shipment("000125").state == State.IN_TRANSIT.value
    assert scans.settle_written_back() == []
    store.close()


def test_a_return_flagged_only_by_code_rs_raises_the_exception_alert(labelled):
    update = scans.record_tracking(NUMBERS[0], [scan("I", "RS", "Returned to sender", 12)], source="poll")

    assert update.category == scans.RETURNED and update.shipment_state == State.EXCEPTION
    assert repo.get_shipment(labelled).state == State.EXCEPTION.value


def test_a_push_and_a_poll_of_the_same_scans_at_once_plan_one_write_back(labelled, monkeypatch):
    import threading

    # both recorders meet after storing the scans (if the store lets them both in at once), so a
    # read-compare-write that is not one transaction would compare both against the old status
    from shipdesk.core.store import models, tracking

    meeting = threading.Barrier(2, timeout=0.5)
    store_events = tracking.add_tracking_events

    def store_then_meet(*args, **kwargs):
        stored = store_events(*args, **kwargs)
        try:
            meeting.wait()
        except threading.BrokenBarrierError:
            pass  # the other recorder is held at the transaction's start: the fix works
        return stored

    monkeypatch.setattr(tracking, "add_tracking_events", store_then_meet)
    events = [scan("I", "PU", "Pickup Scan", 9), scan("I", "AR", "Arrived at Facility", 10)]
    updates = []

    def record(source):
        updates.append(scans.record_tracking(NUMBERS[0], events, source=source))
        models.database_proxy.close()  # this thread's connection

    workers = [threading.Thread(target=record, args=(source,)) for source in ("push", "poll")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)

    assert sorted(u.changed for u in updates) == [False, True]  # one write-back planned, not two
    assert sum(u.new_events for u in updates) == 2
    assert TrackingEvent.select().where(TrackingEvent.tracking_number == NUMBERS[0]).count() == 2
    assert list(scans.pending_status_writebacks()) == [labelled]
