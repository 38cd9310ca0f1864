"""A label job is "in flight" exactly while a live worker holds its lock: a dead process frees it."""

from __future__ import annotations

import subprocess
import sys

from shipdesk.core.shipping.job_lock import JobLock, in_flight

HOLDER = """
import sys, threading
from pathlib import Path
from shipdesk.core.shipping.job_lock import JobLock
lock = JobLock(Path(sys.argv[1]), "job-1")
assert lock.acquire()
print("locked", flush=True)
threading.Event().wait()
"""


def test_in_flight_while_held_in_this_process(tmp_path):
    assert not in_flight(tmp_path, "job-1")
    with JobLock(tmp_path, "job-1"):
        assert in_flight(tmp_path, "job-1")
        assert not in_flight(tmp_path, "job-2")
    assert not in_flight(tmp_path, "job-1")


def test_a_killed_process_no_longer_holds_the_job(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert in_flight(tmp_path, "job-1")
    finally:
        holder.kill()
        holder.wait(timeout=10)
    assert not in_flight(tmp_path, "job-1")
