"""A label job is "in flight" exactly while a live worker holds its lock: a dead process frees it.

Both implementations behind the one interface: the OS file lock of one station's SQLite store, and the
shared store's PostgreSQL advisory lock (released by the server when the holder's session ends).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from shipdesk.core.shipping.job_lock import FileJobLock, JobLocks, in_flight, job_locks_for
from shipdesk.core.store import Store, jobs, open_store, shipments
from tests.core.factories import shipment
from tests.support.postgres import PASSWORD

HOLDER = """
import os, sys, threading
from pathlib import Path
from shipdesk.core.shipping.job_lock import job_locks_for
from shipdesk.core.store import open_store
store = open_store(Path(sys.argv[1]), url=sys.argv[2], password=os.environ.get("SHIPDESK_STORE_PASSWORD"))
lock = job_locks_for(store).lock(sys.argv[3])
assert lock.acquire()
print("locked", flush=True)
threading.Event().wait()
"""


@dataclass
class Jobs:
    store: Store
    locks: JobLocks
    url: str
    first: str
    second: str


@pytest.fixture(params=["sqlite", "postgresql"])
def two_jobs(request: pytest.FixtureRequest, tmp_path) -> Iterator[Jobs]:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else ""
    store = open_store(tmp_path / "data", url=url, password=PASSWORD if url else None)
    ids = []
    for nbr in ("SH1", "SH2"):
        shipments.upsert_shipment(shipment(nbr))
        ids.append(jobs.prepare_label_job(nbr, {}, label_format="GIF"))
    yield Jobs(store, job_locks_for(store), url, *ids)
    store.close()


def test_in_flight_while_held_in_this_process(two_jobs):
    locks = two_jobs.locks
    assert not locks.in_flight(two_jobs.first)
    with locks.lock(two_jobs.first):
        assert locks.in_flight(two_jobs.first)
        assert not locks.in_flight(two_jobs.second)
        assert not locks.lock(two_jobs.first).acquire()  # another thread or window backs off
    assert not locks.in_flight(two_jobs.first)


def test_a_killed_process_no_longer_holds_the_job(two_jobs):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(two_jobs.store.paths.root), two_jobs.url,
                               two_jobs.first], stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert two_jobs.locks.in_flight(two_jobs.first)
        assert not two_jobs.locks.lock(two_jobs.first).acquire()
    finally:
        holder.kill()
        holder.wait(timeout=10)
    if two_jobs.url:  # the server notices the dead session when its socket closes: ask until it has
        _wait_until_free(two_jobs.locks, two_jobs.first)
    assert not two_jobs.locks.in_flight(two_jobs.first)
    assert two_jobs.locks.lock(two_jobs.first).acquire()


def _wait_until_free(locks: JobLocks, job_id: str) -> None:
    """The server drops a dead session's locks once it notices the closed socket (a moment, not a timeout)."""
    deadline = time.monotonic() + 10
    while locks.in_flight(job_id) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_file_lock_is_per_data_folder(tmp_path):
    assert not in_flight(tmp_path, "job-1")
    with FileJobLock(tmp_path, "job-1"):
        assert in_flight(tmp_path, "job-1")
        assert not in_flight(tmp_path / "other", "job-1")
