"""Track Alert pushes as UPS really sends them: local and GMT times, no ``gmtOffset`` (issue 19.1).

Each body is a file in ``tests/samples/`` (provenance in its README):
- ``ups_trackalert_v2_push_delivery_spec_example.json``: UPS's own delivery example (UPSTrackAlert.yaml '2'),
  local 09:50:04 in Charlotte, GMT 13:50:04, no ``gmtOffset``;
- ``ups_trackalert_push_in_transit_ups_staff_issue41.json``: a real push a UPS employee posted (Atlanta,
  local 15:42:07, GMT 20:42:07), blanks as "";
- ``ups_trackalert_push_delivery_no_offset_5digit.json``: constructed in that shape with 5-digit local times;
- ``ups_trackalert_v1_push_manifest_spec_example.json``: v1 example whose local time is 5 h *ahead* of GMT
  for a US scan (an impossible offset: the instant still comes from GMT).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import CustomFields
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.core.store.models import TrackingEvent
from shipdesk.core.track_alert.push import parse_push
from shipdesk.core.tracking import scans
from shipdesk.core.tracking.status_writeback import compose
from tests.core.factories import ship_result, shipment
from tests.support.factories import requesting_job

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EDT, EST = timezone(timedelta(hours=-4)), timezone(timedelta(hours=-5))


def sample(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "local", "utc"), [
    ("ups_trackalert_v2_push_delivery_spec_example.json", datetime(2024, 4, 23, 9, 50, 4, tzinfo=EDT),
     datetime(2024, 4, 23, 13, 50, 4, tzinfo=UTC)),
    ("ups_trackalert_push_in_transit_ups_staff_issue41.json", datetime(2024, 1, 12, 15, 42, 7, tzinfo=EST),
     datetime(2024, 1, 12, 20, 42, 7, tzinfo=UTC)),
    ("ups_trackalert_push_delivery_no_offset_5digit.json", datetime(2024, 11, 5, 9, 15, 4, tzinfo=EST),
     datetime(2024, 11, 5, 14, 15, 4, tzinfo=UTC)),
])
def test_a_push_without_offset_is_the_gmt_instant_shown_at_the_local_time(name, local, utc):
    event = parse_push(sample(name)).event
    assert event.occurred_at == utc  # the same instant
    assert (event.occurred_at.replace(tzinfo=None), event.occurred_at.utcoffset()) == (
        local.replace(tzinfo=None), local.utcoffset())  # shown as UPS shows it, with the offset it implies


@pytest.mark.parametrize("name", ["ups_trackalert_v2_push_delivery_spec_example.json",
                                  "ups_trackalert_push_delivery_no_offset_5digit.json"])
def test_the_delivery_time_of_a_push_without_offset_is_its_scan_time(name):
    pushed = parse_push(sample(name))
    assert pushed.delivered_at == pushed.event.occurred_at
    assert pushed.delivered_at is not None and pushed.delivered_at.utcoffset() != timedelta(0)


def test_an_impossible_local_time_never_moves_the_instant():
    """v1 example: local 09:12:30 with GMT 04:12:30 for a US scan; the GMT fields decide."""
    event = parse_push(sample("ups_trackalert_v1_push_manifest_spec_example.json")).event
    assert event.occurred_at == datetime(2024, 4, 22, 4, 12, 30, tzinfo=UTC)


def test_a_push_with_only_a_local_time_is_not_taken_for_utc():
    body = sample("ups_trackalert_push_in_transit_ups_staff_issue41.json")
    body["gmtActivityDate"] = body["gmtActivityTime"] = ""
    event = parse_push(body).event
    assert event.occurred_at.tzinfo is None  # zone unknown: kept as local, never labelled UTC
    assert event.occurred_at == datetime(2024, 1, 12, 15, 42, 7)


def test_an_offset_when_given_is_used_and_agrees_with_gmt():
    body = sample("ups_trackalert_v2_push_delivery_spec_example.json")
    body["gmtOffset"] = "-04.00"  # the spec's format, as FACTS.md quotes it
    pushed = parse_push(body)
    assert pushed.event.occurred_at == datetime(2024, 4, 23, 9, 50, 4, tzinfo=EDT)
    assert pushed.delivered_at == pushed.event.occurred_at


@pytest.fixture
def store(tmp_path):
    opened = open_store(tmp_path / "data")
    yield opened
    opened.close()


def test_delivered_time_scan_time_and_status_line_agree_for_ups_delivery_example(store):
    body = sample("ups_trackalert_v2_push_delivery_spec_example.json")
    number = body["trackingNumber"]
    repo.upsert_shipment(shipment("000123", packages=1))
    repo.set_state("000123", State.READY)
    job = requesting_job("000123")
    repo.record_label(job, ship_result(number))
    repo.mark_written_back(job)
    pushed = parse_push(body)

    scans.record_tracking(pushed.tracking_number, [pushed.event], source="push",
                          delivered_at=pushed.delivered_at, received_by=pushed.received_by)

    package = repo.packages_of("000123")[0]
    scan = TrackingEvent.get(TrackingEvent.tracking_number == number)
    assert package.delivered_at == scan.occurred_at == datetime(2024, 4, 23, 13, 50, 4, tzinfo=UTC)
    assert scan.occurred_local == "2024-04-23T09:50:04-04:00"
    plan = compose("000123", CustomFields("UsrDeliveredDate", "UsrUpsStatus", "UsrSignedBy"))
    assert plan.shipment_line == "UPS: Delivered 2024-04-23 09:50, signed by John"
    assert plan.custom_fields["UsrDeliveredDate"] == datetime(2024, 4, 23, 9, 50, 4)
