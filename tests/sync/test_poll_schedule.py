"""The poll cadence on its own: which wait applies to which package, when it is due, and what the store keeps."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import SyncConfig
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.core.store.migrations import MIGRATIONS
from shipdesk.core.tracking import poll_schedule
from shipdesk.core.tracking.poll_schedule import Cadence, PackagePoll, due, next_poll_at, wait_after_poll
from tests.core.factories import ship_result, shipment
from tests.support.factories import requesting_job

CADENCE = Cadence.from_config(SyncConfig())  # 60 / 15 / 60 minutes, 15-minute cycles
MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
TODAY = MORNING.date()


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


@pytest.mark.parametrize(("package", "local_now", "wait"), [
    (PackagePoll("1Z", ""), MORNING, minutes(60)),
    (PackagePoll("1Z", "M", "Shipper created a label"), MORNING, minutes(60)),
    (PackagePoll("1Z", "I", "Departed from Facility"), MORNING, minutes(60)),
    (PackagePoll("1Z", "X", "DAMAGED - RETURNING TO SENDER"), MORNING, minutes(60)),
    (PackagePoll("1Z", "I", "Out For Delivery Today"), MORNING, minutes(15)),
    (PackagePoll("1Z", "I", "Arrived at Facility", TODAY), MORNING, minutes(15)),
    (PackagePoll("1Z", "I", "Arrived at Facility", TODAY), MORNING.replace(hour=3), minutes(60)),  # night
    (PackagePoll("1Z", "I", "Arrived at Facility", TODAY + timedelta(days=1)), MORNING, minutes(60)),
    (PackagePoll("1Z", "D", "DELIVERED"), MORNING, None),
    (PackagePoll("1Z", "MV", "Shipper voided the shipment."), MORNING, None),
])
def test_the_wait_depends_on_what_ups_said_last(package, local_now, wait):
    assert wait_after_poll(package, local_now, CADENCE) == wait


def test_due_within_half_a_cycle_so_polls_stay_on_their_hour():
    polled = MORNING - minutes(55)  # polled a few minutes into the cycle an hour ago
    package = PackagePoll("1Z", "I", "Departed", polled_at=polled)

    assert next_poll_at(package, MORNING, CADENCE) == polled + minutes(52.5)
    assert due([package], MORNING, CADENCE) == ["1Z"]
    assert due([package], polled + minutes(50), CADENCE) == []
    out_for_delivery = PackagePoll("1Z", "I", "Out For Delivery", polled_at=MORNING)
    assert next_poll_at(out_for_delivery, MORNING, CADENCE) == MORNING + minutes(7.5)  # half its own 15


def test_a_new_label_counts_from_the_label_and_an_unknown_past_is_asked_at_once():
    labelled = PackagePoll("1ZNEW", "M", labelled_at=MORNING - minutes(30))
    moved_by_pushes = PackagePoll("1ZPUSHED", "I", "Arrival Scan", labelled_at=MORNING - minutes(30))
    from_before = PackagePoll("1ZOLD", "M")

    assert next_poll_at(labelled, MORNING, CADENCE) == MORNING + minutes(22.5)
    assert due([labelled, moved_by_pushes, from_before], MORNING, CADENCE) == ["1ZPUSHED", "1ZOLD"]


def test_the_longest_overdue_is_asked_first():
    packages = [PackagePoll(f"1Z{n}", "I", "Departed", polled_at=MORNING - minutes(m))
                for n, m in ((1, 70), (2, 200), (3, 10), (4, 90))]

    assert due(packages, MORNING, CADENCE) == ["1Z2", "1Z4", "1Z1"]


@pytest.fixture
def labelled(tmp_path):
    store = open_store(tmp_path / "data")
    repo.upsert_shipment(shipment("000123", packages=2))
    repo.set_state("000123", State.READY)
    job_id = requesting_job("000123")
    repo.record_label(job_id, ship_result("1ZA1B2C30311111111", "1ZA1B2C30322222222"))
    repo.mark_written_back(job_id)
    yield job_id
    store.close()


def test_the_store_keeps_the_last_poll_and_the_delivery_date(labelled):
    at = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    poll_schedule.mark_polled("1ZA1B2C30311111111", at, scheduled_delivery=date(2026, 11, 26))
    poll_schedule.mark_polled("1ZA1B2C30322222222", at, answered=False)

    packages = {p.tracking_number: p for p in poll_schedule.tracked_packages()}

    first, second = packages["1ZA1B2C30311111111"], packages["1ZA1B2C30322222222"]
    assert first.polled_at == at and first.scheduled_delivery == date(2026, 11, 26)
    assert second.polled_at == at and second.scheduled_delivery is None
    assert first.labelled_at is not None and first.labelled_at == second.labelled_at
    assert list(poll_schedule.tracked_packages(exclude={"1ZA1B2C30311111111"})) == [second]


def test_delivered_and_voided_packages_are_not_tracked(labelled):
    repo.record_package_status("1ZA1B2C30311111111", status_type="D", delivered_at=MORNING, signed_by="J")

    assert [p.tracking_number for p in poll_schedule.tracked_packages()] == ["1ZA1B2C30322222222"]
    repo.mark_job(labelled, State.VOIDED)
    assert poll_schedule.tracked_packages() == []


def test_an_existing_database_gets_the_columns_and_keeps_its_packages(tmp_path):
    data = tmp_path / "data"
    open_store(data, migrations_to_run=MIGRATIONS[:1]).close()
    db = sqlite3.connect(data / "shipdesk.db")
    db.execute("INSERT INTO shipment (shipment_nbr, acumatica_id, status, ship_via, customer_id, ship_to_name,"
               " ship_to_attention, ship_to_line1, ship_to_line2, ship_to_city, ship_to_state, ship_to_postal_code,"
               " ship_to_country, ship_to_phone, ship_to_email, order_numbers, package_count, weight_unit, raw_json,"
               " state, attention_reason, address_status, address_classification, address_override_reason,"
               " pulled_at, updated_at) VALUES ('000123', '', '', '', '', '', '', '', '', '', '', '', '', '', '',"
               " '', 1, '', '{}', 'in_transit', '', '', '', '', '2026-11-24', '2026-11-24')")
    db.execute("INSERT INTO package (shipment_id, acumatica_id, box_id, uom, tracking_number, status_type,"
               " status_description, signed_by) VALUES (1, 'p1', '', '', '1ZA1B2C30311111111', 'I', 'Departed', '')")
    db.commit()
    db.close()

    store = open_store(data)

    assert store.schema_version == len(MIGRATIONS)
    assert poll_schedule.tracked_packages() == [PackagePoll("1ZA1B2C30311111111", "I", "Departed")]
    assert due(poll_schedule.tracked_packages(), MORNING, CADENCE) == ["1ZA1B2C30311111111"]  # asked at once
    store.close()
