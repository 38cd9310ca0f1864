"""Track Alert against the sandboxes: subscriptions, pushes through the listener, renewals, no polling."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import ListenerConfig
from shipdesk.core.store import repository
from shipdesk.core.store.models import AlertSubscription, TrackingEvent
from shipdesk.core.track_alert import subscriptions

from .conftest import EXCEPTION_SHIPMENT, SHIPPABLE, acumatica_record, point_callback, ship, track_requests

LISTENER_SECRETS = {"track_alert.client_secret": "listener-secret", "track_alert.credential": "v1-credential"}


@pytest.fixture
def alert_context(make_context):
    return make_context(track_alert=True, secrets=LISTENER_SECRETS,
                        listener=ListenerConfig(enabled=True, port=0, credential_mode="token"))


@pytest.fixture
def listening(sandboxes, alert_context, make_service):
    """A sync service with its listener running, registered with the UPS sandbox as a v2 callback."""
    service = make_service(alert_context)
    service.listener = service.build_listener().start()
    point_callback(sandboxes, url=service.listener.url, mode="v2", token_url=service.listener.token_url,
                   client_id="demo", client_secret=LISTENER_SECRETS["track_alert.client_secret"])
    return service


def test_pushed_events_are_stored_and_written_back_without_polling(sandboxes, alert_context, listening):
    sandboxes.ups.unpadded_push_times = True  # 5-digit times, as the live feed sends them
    shipped = ship(alert_context, *SHIPPABLE)
    packages = [n for numbers in shipped.values() for n in numbers]

    first = listening.run_cycle()

    assert first.ok, first.failures
    assert first.subscribed == len(packages) and first.polled == 0 and first.covered == len(packages)
    assert sandboxes.ups.stats_payload()["subscriptions"] == len(packages)
    polls_before = track_requests(sandboxes)
    sandboxes.advance(hours=40)  # the sandbox pushes every scan to the listener

    second = listening.run_cycle()

    assert second.ok, second.failures
    assert track_requests(sandboxes) == polls_before  # the pushes were enough
    pushed = TrackingEvent.select().where(TrackingEvent.source == "push")
    assert pushed.count() == 5 * len(packages)  # pickup, departure, arrival, out for delivery, delivered
    for nbr in SHIPPABLE:
        assert repository.get_shipment(nbr).state == State.DELIVERED.value
        assert "UPS: Delivered" in acumatica_record(sandboxes, "Shipment", nbr)["note"]
    delivered = repository.packages_of(SHIPPABLE[0])[0]
    scan = TrackingEvent.get((TrackingEvent.tracking_number == delivered.tracking_number)
                             & (TrackingEvent.status_type == "D"))
    assert scan.occurred_local.endswith("-05:00") and delivered.signed_by
    # the sandbox pushes as UPS does, without gmtOffset: delivery time, scan time and status line agree
    assert delivered.delivered_at == scan.occurred_at
    shown = datetime.fromisoformat(scan.occurred_local).strftime("%Y-%m-%d %H:%M")
    assert f"UPS: Delivered {shown}" in acumatica_record(sandboxes, "Shipment", SHIPPABLE[0])["note"]
    assert AlertSubscription.select().count() == 0  # dropped once delivered


def test_pushes_without_api_key_and_chunked_are_stored(sandboxes, alert_context, listening):
    """UPS may leave x-api-key out (the spec marks it optional) and may chunk the body (nothing says it does
    not); it never resends an event the listener refused (issue 12.5)."""
    sandboxes.ups.push_api_key = False
    sandboxes.ups.push_chunked = True
    shipped = ship(alert_context, SHIPPABLE[0])
    listening.run_cycle()

    sandboxes.advance(hours=40)

    assert sandboxes.ups.stats_payload()["pushes_failed"] == 0
    assert sandboxes.ups.stats_payload()["pushes_sent"] == 5 * len(shipped[SHIPPABLE[0]])
    assert TrackingEvent.select().where(TrackingEvent.source == "push").count() == 5 * len(shipped[SHIPPABLE[0]])


def test_subscriptions_are_renewed_before_day_14_for_packages_still_in_transit(
        sandboxes, alert_context, listening):
    shipped = ship(alert_context, EXCEPTION_SHIPMENT, "SH000101")
    listening.run_cycle()
    stuck = shipped[EXCEPTION_SHIPMENT][0]
    first_expiry = AlertSubscription.get(AlertSubscription.tracking_number == stuck).expires_at
    sandboxes.advance(hours=24)  # the exception scan is pushed; after it, nothing more
    sandboxes.advance(hours=12.5 * 24)

    report = listening.run_cycle()

    assert report.renewed == 1 and report.subscribed == 0
    renewed = AlertSubscription.get(AlertSubscription.tracking_number == stuck)
    assert renewed.expires_at - first_expiry >= timedelta(days=13)
    assert sandboxes.ups.subscriptions[stuck].expires_at > sandboxes.clock.now() + timedelta(days=13)
    assert repository.get_shipment(EXCEPTION_SHIPMENT).state == State.EXCEPTION.value
    # no push for 12 days (it is stuck): polled as the safety net. Of its scans (label, pickup, departure,
    # exception) only the label scan, made before the subscription, was never pushed: nothing is doubled
    assert report.polled == 1 and report.new_events == 1
    stored = TrackingEvent.select().where(TrackingEvent.tracking_number == stuck)
    assert stored.count() == 4 and stored.where(TrackingEvent.source == "push").count() == 3


def test_v1_credential_pushes_are_accepted(sandboxes, make_context, make_service):
    context = make_context(track_alert=True, secrets=LISTENER_SECRETS,
                           listener=ListenerConfig(enabled=True, port=0, credential_mode="credential"))
    service = make_service(context)
    service.listener = service.build_listener().start()
    point_callback(sandboxes, url=service.listener.url, mode="v1",
                   credential=LISTENER_SECRETS["track_alert.credential"])
    ship(context, "SH000101")
    service.run_cycle()
    sandboxes.advance(hours=40)

    service.run_cycle()

    assert repository.get_shipment("SH000101").state == State.DELIVERED.value
    assert service.listener.counts["accepted"] == 5 and sandboxes.ups.stats_payload()["pushes_failed"] == 0


def test_silent_subscriptions_are_polled_again(sandboxes, make_context, make_service):
    context = make_context(track_alert=True)  # subscribed, but nothing listens: pushes are lost
    ship(context, "SH000101")
    service = make_service(context)
    assert service.run_cycle().polled == 0
    sandboxes.advance(hours=25)

    report = service.run_cycle()

    assert report.polled == 1
    assert repository.get_shipment("SH000101").state == State.IN_TRANSIT.value
    assert subscriptions.covered(sandboxes.clock.now()) == set()


def test_account_wide_subscription_needs_no_package_subscriptions(sandboxes, make_context, make_service):
    context = make_context(track_alert=True, account_wide_alerts=True)
    ship(context, "SH000103")
    service = make_service(context)

    report = service.run_cycle()

    assert report.subscribed == 3 and report.polled == 0
    stats = sandboxes.ups.stats_payload()["requests"]
    assert stats.get("POST /api/track/{version}/subscription/{type}/account") == 1
    assert not stats.get("POST /api/track/{version}/subscription/{type}/package")
    service.run_cycle()
    assert sandboxes.ups.stats_payload()["requests"]["POST /api/track/{version}/subscription/{type}/account"] == 1


def test_the_account_is_subscribed_under_the_configured_ids(sandboxes, make_context, make_service):
    """UPS refuses an account subscription without subscriptionId/clientSubscriptionId (issue 12.4)."""
    context = make_context(track_alert=True, account_wide_alerts=True, alert_subscription_id="ACME-WH1")
    ship(context, "SH000101")

    report = make_service(context).run_cycle()

    assert report.ok and report.subscribed == 1
    assert sandboxes.ups.account_subscription_ids == ("ACME-WH1", "ACME-WH1")
