"""Stations without a shared store claim a shipment on its Acumatica note before the Ship call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.shipping.claims import MARKER, claim_line
from shipdesk.core.store import repository as repo
from shipdesk.sandbox import Sandboxes

from .conftest import ship_requests

NBR = "SH000101"


def leave_claim(sandboxes: Sandboxes, station: str, since: datetime) -> None:
    with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        shipment = acu.get_shipment(NBR)
        acu.save_shipment_note(shipment, f"Call before delivery\n{MARKER} {claim_line(station, since, 'their-job')}")


def test_another_stations_fresh_claim_stops_this_one_before_ups(sandboxes, make_flow, read_acumatica):
    leave_claim(sandboxes, "PACK-09", datetime.now(UTC) - timedelta(seconds=5))
    flow = make_flow(station="PACK-01")

    outcome = flow.ship(NBR, print_labels=False)

    assert not outcome.ok and outcome.reason == Reason.CLAIMED_ELSEWHERE
    assert outcome.message.startswith(f"Shipment {NBR} is being labelled right now at PACK-09")
    assert ship_requests(sandboxes) == 0 and repo.latest_job(NBR) is None  # nothing bought, nothing kept
    assert any("one shared store" in w for w in outcome.warnings)
    assert "PACK-09" in read_acumatica(NBR).note  # the other station's claim is left as it was


def test_a_claim_left_by_a_station_that_stopped_long_ago_is_replaced_then_removed(sandboxes, make_flow,
                                                                                 read_acumatica):
    leave_claim(sandboxes, "PACK-09", datetime.now(UTC) - timedelta(minutes=11))
    flow = make_flow(station="PACK-01")

    outcome = flow.ship(NBR, print_labels=False)

    assert outcome.ok and outcome.reason == Reason.LABELLED
    note = read_acumatica(NBR).note
    assert MARKER not in note and "Call before delivery" in note  # a person's lines stay
    assert flow.claims.waited > 0  # it waited for a claim on its way before reading its own back


def test_a_refused_label_withdraws_the_claim(sandboxes, make_flow, read_acumatica):
    sandboxes.ups.add_fault("/api/shipments", status=400, count=1,
                            body={"response": {"errors": [{"code": "120100", "message": "Missing shipper"}]}})
    flow = make_flow(station="PACK-01")

    refused = flow.ship(NBR, print_labels=False)

    assert refused.reason == Reason.REFUSED
    assert MARKER not in read_acumatica(NBR).note  # no label: the other stations may try
