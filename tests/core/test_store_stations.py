"""What the stations share through the store, on both backends: one live label job per shipment, label
files, the sync lease, the UPS token and its grants, the tracking status queue, per-shipment memories."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from peewee import IntegrityError

from shipdesk.core.domain.states import State
from shipdesk.core.store import jobs, label_files, leases, shipments, status_writes, tokens
from shipdesk.core.store import repository as repo
from shipdesk.core.store.models import LabelJob
from shipdesk.ups.token_store import SealedToken
from tests.support.factories import requesting_job

from .factories import ship_result, shipment

T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_the_schema_itself_keeps_one_live_label_job_per_shipment(store):
    """Even a write that skips the flow's checks cannot give a shipment two live labels."""
    repo.upsert_shipment(shipment("000800"))
    repo.set_state("000800", State.READY)
    other = jobs.prepare_label_job("000800", {}, label_format="GIF", station="PACK-02")  # prepared: not live
    live = requesting_job("000800", station="PACK-01")
    with pytest.raises(IntegrityError), store.write():
        LabelJob.update(state=State.REQUESTING).where(LabelJob.job_id == other).execute()
    repo.mark_job(live, State.FAILED, error="UPS refused")  # no longer live: the other may go
    repo.set_state("000800", State.READY)
    jobs.open_label_job("000800", {}, job_id=other, label_format="GIF", prepared=True)  # as the flow continues it
    assert repo.latest_job("000800").job_id == other and repo.latest_job("000800").station == "PACK-02"


def test_a_prepared_job_that_lost_the_race_is_forgotten_and_never_hides_the_winner(store):
    repo.upsert_shipment(shipment("000801"))
    repo.set_state("000801", State.READY)
    loser = jobs.prepare_label_job("000801", {}, label_format="GIF", station="PACK-02")
    winner = requesting_job("000801", station="PACK-01")
    assert repo.latest_job("000801").job_id == winner  # the live one, though the loser is not older
    assert jobs.discard_prepared(loser) and jobs.get_job(loser) is None
    assert not jobs.discard_prepared(winner)  # a job that went to UPS is never forgotten


def test_settling_a_shipment_leaves_one_labelled_meanwhile_alone(store):
    repo.upsert_shipment(shipment("000802"))
    assert shipments.settle("000802", State.READY)
    requesting_job("000802")
    assert not shipments.settle("000802", State.NEEDS_ATTENTION, reason="late news")
    assert repo.get_shipment("000802").state == State.REQUESTING


def test_label_files_are_kept_per_job_and_package(store):
    repo.upsert_shipment(shipment("000803"))
    repo.set_state("000803", State.READY)
    job_id = requesting_job("000803")
    label_files.save(job_id, "1ZRAW", "raw", b"<html>oops", usable=False)
    assert label_files.load("1ZRAW") is None and label_files.has("1ZRAW", usable=False)
    label_files.save(job_id, "1ZRAW", "GIF", b"GIF89a...")  # recovered later
    label_files.save(job_id, "1ZRAW", "GIF", b"GIF89a-v2")  # and again: replaced, not added
    assert label_files.load("1ZRAW") == label_files.StoredLabel("GIF", b"GIF89a-v2")
    assert label_files.load("1ZRAW", usable=False) == label_files.StoredLabel("raw", b"<html>oops")


def test_the_sync_lease_goes_to_one_holder_until_it_runs_out_or_is_given_up(store):
    def take(holder: str, at: datetime) -> str:
        return leases.take("sync", holder=holder, station=holder.split("/")[0], pid=1, now=at,
                           until=at + timedelta(seconds=90)).holder

    assert take("PACK-01/1", T0) == "PACK-01/1"
    assert take("PACK-02/1", T0 + timedelta(seconds=30)) == "PACK-01/1"  # held: the other one stands by
    assert take("PACK-01/1", T0 + timedelta(seconds=60)) == "PACK-01/1"  # renewed until 10:02:30
    assert take("PACK-02/1", T0 + timedelta(seconds=120)) == "PACK-01/1"
    assert take("PACK-02/1", T0 + timedelta(seconds=151)) == "PACK-02/1"  # it ran out: taken over
    assert leases.current("sync", T0 + timedelta(seconds=160)).station == "PACK-02"
    leases.release("sync", holder="PACK-01/1")  # only the holder can give it up
    assert leases.current("sync", T0 + timedelta(seconds=160)) is not None
    leases.release("sync", holder="PACK-02/1")
    assert leases.current("sync", T0 + timedelta(seconds=160)) is None


def test_many_stations_asking_for_the_lease_at_once_get_one_holder(store):
    winners: list[str] = []
    start = threading.Barrier(8)

    def ask(n: int) -> None:
        start.wait()
        holder = leases.take("sync", holder=f"S{n}", station=f"S{n}", pid=n, now=T0,
                             until=T0 + timedelta(seconds=90)).holder
        if holder == f"S{n}":
            winners.append(holder)
        store.db.close()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(winners) == 1


def test_the_ups_token_is_kept_sealed_and_grants_are_counted_for_all(store):
    assert tokens.load("demo|https://ups") is None
    tokens.save("demo|https://ups", "gAAAA-sealed", 1_900_000_000.0)
    tokens.save("demo|https://ups", "gAAAA-sealed-2", 1_900_003_600.0)
    store_tokens = tokens.StoreTokenStore()
    assert store_tokens.load("demo|https://ups") == SealedToken("gAAAA-sealed-2", 1_900_003_600.0)
    day = date(2026, 12, 7)
    assert [store_tokens.count_grant(day) for _ in range(3)] == [1, 2, 3]
    assert store_tokens.grants_on(day) == 3 and store_tokens.grants_on(date(2026, 12, 8)) == 0


def test_one_refresh_at_a_time(store):
    inside = 0
    most = 0
    lock = threading.Lock()
    start = threading.Barrier(4)

    def refresh() -> None:
        nonlocal inside, most
        start.wait()
        with tokens.refreshing():
            with lock:
                inside += 1
                most = max(most, inside)
            tokens.grants_on(date(2026, 12, 7))  # some work inside
            with lock:
                inside -= 1
        store.db.close()

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def test_the_status_queue_keeps_a_change_made_while_writing(store):
    repo.upsert_shipment(shipment("000804"))
    status_writes.queue("000804", "mark-1")
    assert status_writes.queued() == {"000804": "mark-1"}
    status_writes.queue("000804", "mark-2")  # a new scan while the sync writes mark-1
    status_writes.done("000804", "mark-1")
    assert status_writes.queued() == {"000804": "mark-2"}
    status_writes.done("000804", "mark-2")
    assert status_writes.queued() == {}
    status_writes.remember_written("000804", {"shipment": "UPS: In transit", "orders": {"SO 1": "x"}})
    assert status_writes.written("000804") == {"shipment": "UPS: In transit", "orders": {"SO 1": "x"}}


def test_what_is_remembered_about_a_shipment(store):
    repo.upsert_shipment(shipment("000805"))
    assert shipments.address_memory("000805") is None and not shipments.reconfirm_wanted("000805")
    shipments.remember_address("000805", {"fingerprint": "f", "status": "valid"})
    shipments.set_reconfirm("000805", True)
    assert shipments.address_memory("000805") == {"fingerprint": "f", "status": "valid"}
    assert shipments.reconfirm_wanted("000805")
    repo.upsert_shipment(shipment("000805"))  # a re-pull keeps them
    assert shipments.reconfirm_wanted("000805") and shipments.address_memory("000805") is not None


def test_jobs_owning_tracking_numbers_and_their_station(store):
    repo.upsert_shipment(shipment("000806", packages=2))
    repo.set_state("000806", State.READY)
    job_id = requesting_job("000806", station="PACK-03")
    repo.record_label(job_id, ship_result("1ZA1B2C30806000011", "1ZA1B2C30806000022"))
    [owner] = jobs.jobs_owning(["1ZA1B2C30806000022", "1ZOTHER"])
    assert owner.job_id == job_id and owner.station == "PACK-03"
    assert jobs.jobs_owning(["1ZA1B2C30806"]) == []  # a part of a number is not the number
