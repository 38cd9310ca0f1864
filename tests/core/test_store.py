"""The local database: schema and migrations, WAL, and the repository the ship flow and sync use."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from shipdesk.core.domain import audit
from shipdesk.core.domain.address import AddressClass, AddressStatus
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.states import State
from shipdesk.core.store import audit_log, jobs, open_store
from shipdesk.core.store import repository as repo
from shipdesk.core.store.migrations import MIGRATIONS
from shipdesk.errors import InvalidTransition, LabelAlreadyExists, StoreError
from shipdesk.ups.models import TrackEvent
from tests.support.factories import requesting_job, stored_shipments

from .factories import ship_result, shipment


def test_new_database_is_wal_with_foreign_keys(sqlite_store):
    store = sqlite_store
    pragma = store.db.execute_sql
    assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
    assert pragma("PRAGMA busy_timeout").fetchone()[0] == 10_000
    assert store.schema_version == len(MIGRATIONS)
    assert store.paths.labels.is_dir() and store.paths.logs.is_dir() and store.paths.backups.is_dir()


def test_migrations_run_once_and_back_up_first(tmp_path):
    data = tmp_path / "data"
    open_store(data).close()
    assert list((data / "backups").iterdir()) == []  # a brand-new file has nothing to back up
    repo_marker = sqlite3.connect(data / "shipdesk.db")
    repo_marker.execute("INSERT INTO sync_state VALUES ('marker', 'before v2', '2026-01-01')")
    repo_marker.commit()
    repo_marker.close()

    calls: list[str] = []

    def v2_add_column(db):
        calls.append("v2")
        db.execute_sql('ALTER TABLE "shipment" ADD COLUMN "note" TEXT NOT NULL DEFAULT \'\'')

    with_v2 = (*MIGRATIONS, v2_add_column)
    store = open_store(data, migrations_to_run=with_v2)
    assert store.schema_version == len(MIGRATIONS) + 1
    store.close()
    backups = list((data / "backups").glob(f"shipdesk-{len(MIGRATIONS)}-*.db"))
    assert len(backups) == 1
    saved = sqlite3.connect(backups[0])
    assert saved.execute("SELECT value FROM sync_state WHERE key = 'marker'").fetchone() == ("before v2",)
    assert "note" not in [c[1] for c in saved.execute("PRAGMA table_info(shipment)")]  # taken before
    saved.close()

    open_store(data, migrations_to_run=with_v2).close()
    assert calls == ["v2"]
    assert len(list((data / "backups").iterdir())) == 1  # nothing to migrate, no new backup


def test_only_the_last_five_backups_are_kept(tmp_path):
    data = tmp_path / "data"
    migrations = list(MIGRATIONS)
    open_store(data).close()
    for n in range(7):
        migrations.append(lambda db, n=n: db.execute_sql(f'CREATE TABLE "t{n}" ("x" INTEGER)'))
        open_store(data, migrations_to_run=migrations).close()
    assert len(list((data / "backups").glob("shipdesk-*.db"))) == 5


def test_database_from_a_newer_shipdesk_is_refused(tmp_path):
    data = tmp_path / "data"
    open_store(data, migrations_to_run=(*MIGRATIONS, lambda db: None)).close()
    with pytest.raises(StoreError) as err:
        open_store(data)
    assert "newer shipdesk" in str(err.value)


def test_pull_stores_shipment_and_keeps_state_on_repull(store):
    assert repo.upsert_shipment(shipment("000123"), raw={"ShipmentNbr": {"value": "000123"}})  # new
    record = repo.require_shipment("000123")
    assert record.state is State.PENDING
    assert record.ship_to_name == "Müller & Söhne GmbH"
    assert record.order_numbers == "SO SO000123"
    assert record.package_count == 2 and record.total_weight == Decimal("11")
    assert record.raw == {"ShipmentNbr": {"value": "000123"}}

    repo.set_state("000123", State.NEEDS_ATTENTION, reason="Ship-to postal code is empty.")
    assert not repo.upsert_shipment(shipment("000123", packages=1, ship_via="UPS2DAY"))  # known
    again = repo.require_shipment("000123")
    assert again.state is State.NEEDS_ATTENTION
    assert again.attention_reason == "Ship-to postal code is empty."
    assert again.ship_via == "UPS2DAY"
    assert [p.acumatica_id for p in repo.packages_of("000123")] == ["pkg-000123-1"]


def test_state_changes_follow_the_table(store):
    repo.upsert_shipment(shipment("000200"))
    with pytest.raises(InvalidTransition) as err:
        repo.set_state("000200", State.DELIVERED)
    assert "'Waiting' and cannot become 'Delivered'" in str(err.value)
    with pytest.raises(StoreError):
        repo.set_state("999999", State.READY)


def test_label_job_life(store):
    repo.upsert_shipment(shipment("000300", packages=2))
    repo.set_state("000300", State.READY)
    job_id = requesting_job("000300", {"ShipmentRequest": {}}, label_format="GIF")
    assert repo.get_shipment("000300").state is State.REQUESTING
    with pytest.raises(LabelAlreadyExists):
        requesting_job("000300")

    repo.record_label(job_id, ship_result("1ZA1B2C30300000011", "1ZA1B2C30300000022"),
                      label_paths=["labels/000300-1.gif", "labels/000300-2.gif"])
    job = repo.require_job(job_id)
    assert job.state is State.LABELLED and job.ups_shipment_id == "1ZSHIPMENTID"
    assert str(job.charges) == "21.40" and str(job.negotiated_charges) == "15.10" and job.currency == "USD"
    assert job.label_paths == ["labels/000300-1.gif", "labels/000300-2.gif"]
    assert job.tracking_numbers == ["1ZA1B2C30300000011", "1ZA1B2C30300000022"]
    assert [p.tracking_number for p in repo.packages_of("000300")] == ["1ZA1B2C30300000011",
                                                                      "1ZA1B2C30300000022"]
    assert [j.job_id for j in repo.jobs_in(State.LABELLED)] == [job_id]

    repo.note_job_error(job_id, "Acumatica is not answering.")
    assert repo.require_job(job_id).state is State.LABELLED
    repo.mark_written_back(job_id)
    assert repo.get_shipment("000300").state is State.WRITTEN_BACK
    assert repo.tracked_numbers() == ["1ZA1B2C30300000011", "1ZA1B2C30300000022"]

    repo.mark_voided(job_id)
    assert repo.latest_job("000300").voided_at is not None
    assert repo.tracked_numbers() == []
    assert all(p.tracking_number == "" for p in repo.packages_of("000300"))
    with pytest.raises(InvalidTransition):  # a voided shipment goes back to ready before a new label
        requesting_job("000300")
    repo.set_state("000300", State.READY)
    assert requesting_job("000300") != job_id


def test_uncertain_job_blocks_a_second_label_until_the_user_supersedes_it(store):
    repo.upsert_shipment(shipment("000400"))
    repo.set_state("000400", State.READY)
    job_id = requesting_job("000400", label_format="ZPL", station="PACK-01")
    repo.mark_job(job_id, State.UNCERTAIN, error="The answer from UPS was lost.")
    with pytest.raises(LabelAlreadyExists, match="at PACK-01"):
        requesting_job("000400", label_format="ZPL")
    jobs.supersede(job_id, on=date.today(), why="replaced by a new label on the user's decision")
    repo.set_state("000400", State.READY)
    second = requesting_job("000400", label_format="ZPL")
    assert repo.latest_job("000400").job_id == second
    assert [j.job_id for j in jobs.superseded_since(date.today())] == [job_id]


def test_failed_job_keeps_the_reason_on_the_shipment(store):
    repo.upsert_shipment(shipment("000500"))
    repo.set_state("000500", State.READY)
    job_id = requesting_job("000500")
    repo.mark_job(job_id, State.FAILED, error="UPS: Invalid postal code.")
    assert repo.get_shipment("000500").attention_reason == "UPS: Invalid postal code."
    assert repo.list_shipments([State.FAILED]).rows[0].attention_reason == "UPS: Invalid postal code."


def test_tracking_events_are_stored_once(store):
    eastern = timezone(timedelta(hours=-5))
    scan = TrackEvent("I", "OR", "Origin Scan", "Atlanta, GA, US",
                      datetime(2026, 11, 25, 18, 5, tzinfo=eastern))
    delivered = TrackEvent("D", "KB", "Delivered", "Austin, TX, US",
                           datetime(2026, 11, 27, 11, 0, tzinfo=eastern))
    assert repo.add_tracking_events("1Z1", [scan], source="poll") == 1
    assert repo.add_tracking_events("1Z1", [delivered, scan], source="poll") == 1
    # the same scan pushed by Track Alert with a different offset is the same instant: not stored again
    same_scan_pushed = TrackEvent("I", "OR", "Origin Scan", "Atlanta, GA, US",
                                  datetime(2026, 11, 25, 19, 5, tzinfo=timezone(timedelta(hours=-4))))
    assert repo.add_tracking_events("1Z1", [same_scan_pushed], source="push") == 0
    assert repo.add_tracking_events("1Z2", [scan]) == 1  # another package may share a scan

    events = repo.tracking_events("1Z1")
    assert [e.status_code for e in events] == ["KB", "OR"]
    assert events[1].occurred_local == "2026-11-25T18:05:00-05:00"
    assert events[1].occurred_at == datetime(2026, 11, 25, 23, 5, tzinfo=UTC)


def test_sync_values_and_subscriptions(store):
    assert repo.get_value(repo.WATERMARK_SHIPMENTS) is None
    mark = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    repo.set_time(repo.WATERMARK_SHIPMENTS, mark)
    repo.set_time(repo.WATERMARK_SHIPMENTS, mark + timedelta(minutes=15))
    assert repo.get_time(repo.WATERMARK_SHIPMENTS) == mark + timedelta(minutes=15)

    repo.save_subscription("1ZA", subscribed_at=mark, expires_at=mark + timedelta(days=14))
    repo.save_subscription("1ZB", subscribed_at=mark, expires_at=mark + timedelta(days=3))
    repo.save_subscription("1ZB", subscribed_at=mark, expires_at=mark + timedelta(days=17))
    repo.end_subscription("1ZA")
    kept = repo.subscriptions()
    assert {n: (s.active, s.expires_at) for n, s in kept.items()} == {
        "1ZA": (False, mark + timedelta(days=14)), "1ZB": (True, mark + timedelta(days=17))}


def test_audit_records_the_os_user(store, monkeypatch, request):
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "packer1")
    audit.os_user.cache_clear()  # read once per process: read again now, and again after this test
    request.addfinalizer(audit.os_user.cache_clear)
    audit_log.record(AuditAction.LABELLED, shipment_nbr="000123", job_id="job-1", detail="2 labels")
    audit_log.record(AuditAction.PULL, detail="14 shipments")
    [entry] = audit_log.entries("000123")
    assert (entry.user, entry.action, entry.job_id, entry.detail) == ("packer1", AuditAction.LABELLED, "job-1",
                                                                        "2 labels")
    assert [e.action for e in audit_log.entries()] == [AuditAction.PULL, AuditAction.LABELLED]


def test_listing_filters_searches_and_counts(store):
    for nbr in ("000001", "000002", "000003"):
        repo.upsert_shipment(shipment(nbr, packages=1))
    repo.set_state("000002", State.NEEDS_ATTENTION, reason="No package weight.")
    listing = repo.list_shipments()
    assert [r.shipment_nbr for r in listing.rows] == ["000003", "000002", "000001"]
    assert listing.counts == {"pending": 2, "needs_attention": 1} and listing.total == 3
    assert [r.shipment_nbr for r in repo.list_shipments([State.NEEDS_ATTENTION]).rows] == ["000002"]
    assert [r.shipment_nbr for r in repo.list_shipments(search="SO000003").rows] == ["000003"]


def test_listing_thousands_of_shipments(store):
    """Stored the way a pull stores them (the 20,000-row timing is in benchmarks/bench_store.py)."""
    states = [State.PENDING, State.READY, State.WRITTEN_BACK, State.NEEDS_ATTENTION]
    assert stored_shipments(shipment(f"{n:06d}", packages=1) for n in range(4_000)) == 4_000
    stored_shipments([shipment("000001"), shipment("004000")])
    with store.write():
        # id - (id / 4) * 4: the remainder in integer arithmetic both databases share
        store.db.execute_sql("UPDATE shipment SET state = CASE id - (id / 4) * 4 WHEN 0 THEN 'pending' "
                             "WHEN 1 THEN 'ready' WHEN 2 THEN 'written_back' ELSE 'needs_attention' END")
    listing = repo.list_shipments()
    assert len(listing.rows) == 4_001
    assert listing.counts == {s.value: 1_000 for s in states} | {"ready": 1_001}
    assert set(listing.counts) <= set(State) and all(isinstance(r.state, State) for r in listing.rows)
    first = listing.rows[0]
    assert first.shipment_nbr == "004000" and first.ship_to_city == "Atlanta" and first.package_count == 2
    assert repo.packages_of("000001")[0].acumatica_id == "pkg-000001-1"  # the re-pull kept its package


def test_typed_columns_keep_the_stored_text(store):
    """States, address verdicts and JSON lists read back typed and are stored as the same text as before."""
    repo.upsert_shipment(shipment("000600", packages=2), raw={"ShipmentNbr": {"value": "000600"}})
    repo.set_state("000600", State.READY)
    repo.record_address_check("000600", status=AddressStatus.VALID, classification=AddressClass.RESIDENTIAL)
    job_id = requesting_job("000600", {"ShipmentRequest": {"Shipment": {"Description": "Café"}}})
    repo.record_label(job_id, ship_result("1ZA1B2C30600000011", "1ZA1B2C30600000022"), label_paths=["a.gif"])

    record, job = repo.get_shipment("000600"), repo.require_job(job_id)
    assert (record.state, record.address_status, record.address_classification) == (
        State.LABELLED, AddressStatus.VALID, AddressClass.RESIDENTIAL)
    assert job.request == {"ShipmentRequest": {"Shipment": {"Description": "Café"}}}
    stored = store.db.execute_sql(
        "SELECT s.state, s.address_status, s.raw_json, j.state, j.request_json, j.tracking_numbers_json, "
        "j.label_paths_json FROM shipment s JOIN label_job j ON j.shipment_id = s.id").fetchone()
    assert stored == ("labelled", "valid", json.dumps({"ShipmentNbr": {"value": "000600"}}), "labelled",
                      json.dumps({"ShipmentRequest": {"Shipment": {"Description": "Café"}}}),
                      '["1ZA1B2C30600000011", "1ZA1B2C30600000022"]', '["a.gif"]')


def test_a_sqlite_library_without_returning_is_refused_at_open_not_after_a_label(tmp_path, monkeypatch):
    """A label's answer is committed by UPDATEs that return their rows (SQLite 3.35+): an older library is
    refused when the store opens, before anything is sent to UPS, with what to do."""
    from shipdesk.core.store import db as store_db

    monkeypatch.setattr(store_db.sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(store_db.sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(StoreError) as refused:
        open_store(tmp_path / "data")
    assert "3.31.1" in str(refused.value) and "3.35.0" in str(refused.value)
    assert "installer" in (refused.value.hint or "")
