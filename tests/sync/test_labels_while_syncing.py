"""A clerk's label never fails because the sync is busy: on one station's SQLite file, the sync stores a big
tracking cycle's answers (batch after batch, back to back) and renews its lease while a batch of labels commits
its four transactions each; every one of them gets in, and without waiting for the whole cycle."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.store import db as store_db
from shipdesk.core.store import jobs, leases, open_store, shipments, transaction
from shipdesk.core.store import repository as repo
from shipdesk.core.store.write_turns import WriteTurns
from shipdesk.core.tracking import polling
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.outages import CycleHealth
from shipdesk.core.tracking.throttle import TokenBucket
from shipdesk.ups.models import TrackEvent, TrackResult
from tests.core.factories import ship_result, shipment
from tests.support.factories import requesting_job, stored_shipments

PACKAGES = 300
LABELS = 12
BUSY_MS = 1_000  # SQLite's busy timeout, shortened: a writer starved this long is the failure tested here
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path, monkeypatch):
    pragmas = tuple((name, BUSY_MS if name == "busy_timeout" else value) for name, value in store_db.PRAGMAS)
    monkeypatch.setattr(store_db, "PRAGMAS", pragmas)
    opened = open_store(tmp_path / "data", station="PACK-01")
    yield opened
    opened.close()


def _labelled(count: int) -> list[str]:
    """``count`` shipments labelled and written back, one package each; their tracking numbers."""
    stored_shipments(shipment(f"S{n:05d}", packages=1) for n in range(count))
    numbers = []
    with transaction.write():
        for n in range(count):
            repo.set_state(f"S{n:05d}", State.READY)
            job_id = requesting_job(f"S{n:05d}")
            number = f"1ZSYNC{n:012d}"
            jobs.record_label(job_id, ship_result(number))
            jobs.mark_written_back(job_id)
            numbers.append(number)
    return numbers


def _answer(number: str, cycle: int) -> TrackResult:
    scans = tuple(TrackEvent("I", "AR", f"Arrived at facility {k}", "ATLANTA, GA, US",
                             NOW - timedelta(hours=cycle, minutes=k)) for k in range(4))
    return TrackResult(number, found=True, events=scans, status_type="I", status_description="Arrived")


def _poller(cycle: list[int], abort: threading.Event) -> polling.TrackingPoller:
    """The sync's poller, UPS answering at once: every batch is ready the moment the last one committed."""
    ups = SimpleNamespace(on_answer=lambda _listener: None, track=lambda number: _answer(number, cycle[0]))
    context = SimpleNamespace(ups=ups, config=SimpleNamespace(sync=SimpleNamespace(concurrency=16)))
    return polling.TrackingPoller(context, bucket=TokenBucket(1e6, burst=1e6), now=lambda: NOW,  # type: ignore[arg-type]
                                  abort=abort)


def test_a_batch_of_labels_commits_while_the_sync_stores_its_answers(store):
    numbers = _labelled(PACKAGES)
    stored_shipments(shipment(f"B{n:05d}", packages=1) for n in range(LABELS))
    for n in range(LABELS):
        repo.set_state(f"B{n:05d}", State.READY)
    labels_done = threading.Event()
    errors: list[BaseException] = []
    cycles = [0]
    renewals = [0]
    waits: list[float] = []

    def sync() -> None:  # cycle after cycle until the batch is over, as the sync runs a 2,000-package cycle
        try:
            while not labels_done.is_set():
                cycles[0] += 1
                _poller(cycles, threading.Event()).poll(numbers, CycleReport(started_at=NOW), CycleHealth())
        except BaseException as exc:  # collected, asserted below
            errors.append(exc)
        finally:
            store.release_thread()

    def lease() -> None:
        try:
            while not labels_done.wait(0.05):
                taken = leases.take("sync", holder="me", station="PACK-01", pid=1, now=NOW,
                                    until=NOW + timedelta(seconds=90))
                assert taken.holder == "me"
                renewals[0] += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.release_thread()

    def timed(write: Callable[[], object]) -> None:
        began = time.monotonic()
        write()
        waits.append(time.monotonic() - began)

    threads = [threading.Thread(target=sync), threading.Thread(target=lease)]
    for thread in threads:
        thread.start()
    try:
        while cycles[0] < 1 or len(repo.tracking_events(numbers[0])) == 0:  # the sync is storing answers
            time.sleep(0.01)
        for n in range(LABELS):  # a label's transactions: requesting, UPS's answer, written back
            nbr = f"B{n:05d}"
            job_id = str(uuid.uuid4())
            timed(lambda: jobs.open_label_job(nbr, {}, job_id=job_id, label_format="GIF",  # noqa: B023
                                              station="PACK-01"))
            timed(lambda: jobs.record_label(job_id, ship_result(f"1ZBATCH{n:011d}")))  # noqa: B023
            timed(lambda: jobs.mark_written_back(job_id))  # noqa: B023
    finally:
        labels_done.set()
        for thread in threads:
            thread.join()

    assert errors == []
    assert [shipments.require_shipment(f"B{n:05d}").state for n in range(LABELS)] == [State.WRITTEN_BACK] * LABELS
    assert max(waits) < BUSY_MS / 1000 / 2, sorted(waits)[-5:]  # a turn between two of the sync's transactions
    assert len(repo.tracking_events(numbers[-1])) >= 4  # the sync's work really happened meanwhile
    assert renewals[0] > 0


def test_writers_get_their_turn_in_the_order_they_asked():
    turns = WriteTurns()
    assert turns.acquire(timeout=1)
    order: list[int] = []
    queued = []

    def writer(n: int) -> None:
        assert turns.acquire(timeout=5)
        order.append(n)
        turns.release()

    for n in range(5):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        queued.append(thread)
        while len(turns._waiting) < n + 1:  # queued before the next one asks
            time.sleep(0.001)
    turns.release()
    for thread in queued:
        thread.join()
    assert order == [0, 1, 2, 3, 4]


def test_a_writer_gives_up_after_the_busy_timeout_and_leaves_the_queue():
    turns = WriteTurns()
    assert turns.acquire(timeout=1)
    gave_up = []
    thread = threading.Thread(target=lambda: gave_up.append(not turns.acquire(timeout=0.05)))
    thread.start()
    thread.join()
    assert gave_up == [True]
    turns.release()
    assert turns.acquire(timeout=0)  # nobody left waiting holds it
