"""Polling against the sandboxes only when a package is due: hourly, sooner out for delivery, later for a new label."""

from __future__ import annotations

from shipdesk.core.store import repository

from .conftest import ship, track_requests


def polled_at(nbr: str):
    return repository.packages_of(nbr)[0].polled_at


def test_a_second_cycle_polls_nothing_until_the_hour_has_passed(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, "SH000101")
    sandboxes.advance(hours=12)  # picked up, departed
    service = make_service(context)
    assert service.run_cycle().polled == 1
    asked = track_requests(sandboxes)

    right_after = service.run_cycle()

    assert right_after.ok and right_after.polled == 0 and right_after.waiting == 1
    assert track_requests(sandboxes) == asked
    assert "1 not due yet" in right_after.summary()
    sandboxes.advance(hours=0.5)
    assert service.run_cycle().polled == 0
    sandboxes.advance(hours=0.55)  # an hour and 3 minutes since the poll

    again = service.run_cycle()

    assert again.polled == 1 and again.waiting == 0
    assert track_requests(sandboxes) == asked + 1


def test_a_package_out_for_delivery_is_polled_every_15_minutes(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, "SH000101")
    sandboxes.advance(hours=20)
    ship(context, "SH000103")
    sandboxes.advance(hours=11)  # SH000101 out for delivery (30 h), SH000103 departed (10 h)
    service = make_service(context)
    assert service.run_cycle().polled == 4  # SH000103 has three packages
    assert "Out For Delivery" in repository.packages_of("SH000101")[0].status_description
    first_polls = (polled_at("SH000101"), polled_at("SH000103"))
    sandboxes.advance(hours=0.27)  # 16 minutes

    quarter_hour = service.run_cycle()

    assert quarter_hour.polled == 1 and quarter_hour.waiting == 3
    assert polled_at("SH000101") > first_polls[0] and polled_at("SH000103") == first_polls[1]
    sandboxes.advance(hours=0.75)  # 61 minutes after the first poll

    hour = service.run_cycle()

    assert hour.polled == 4
    assert polled_at("SH000103") > first_polls[1]


def test_a_new_label_waits_an_hour_for_its_first_poll(sandboxes, make_context, make_service):
    context = make_context()
    ship(context, "SH000101")
    service = make_service(context)

    just_labelled = service.run_cycle()

    assert just_labelled.polled == 0 and just_labelled.waiting == 1 and track_requests(sandboxes) == 0
    sandboxes.advance(hours=0.75)
    assert service.run_cycle().polled == 0
    sandboxes.advance(hours=0.3)  # 63 minutes after the label; UPS has only the label scan (pickup at 4 h)
    assert service.run_cycle().polled == 1
    sandboxes.advance(hours=0.5)
    assert service.run_cycle().polled == 0  # still no scan: the hour starts again
    sandboxes.advance(hours=0.55)
    assert service.run_cycle().polled == 1


def test_faster_settings_poll_sooner(sandboxes, make_context, make_service):
    context = make_context(poll_every_minutes=20, interval_minutes=5)
    ship(context, "SH000101")
    sandboxes.advance(hours=12)
    service = make_service(context)
    service.run_cycle()
    sandboxes.advance(hours=0.3)  # 18 minutes: within half a 5-minute cycle of the 20 minutes

    assert service.run_cycle().polled == 1
