"""The UI worker, the sync thread and a command-line process write at the same time: nobody may ever
see "database is locked" (SQLite), nor a write decided on data another writer was changing (both stores)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.domain.states import State
from shipdesk.core.store import Store, audit_log
from shipdesk.core.store import repository as repo
from shipdesk.ups.models import TrackEvent

from .factories import shipment

#: each writer's rounds: a count, not a time budget (on a loaded machine 2 s held fewer than 10 rounds)
ROUNDS = 25
DEADLINE = 120.0  # seconds: a writer starved this long is the failure this test exists for

# SQLite's busy handler lets waiters poll at growing intervals (up to 100 ms), so a process that starts its
# next write transaction the instant it committed the last one can hold the others off for seconds. Real
# commands read and compute between their writes (the pull reads each shipment's label job, ``ship`` waits
# for UPS); the stand-in command below reads back what it wrote, so the three writers really take turns.
CLI_PROCESS = """
import json, os, sys, time
from pathlib import Path
from shipdesk.core.domain.audit import AuditAction
from shipdesk.core.store import audit_log, open_store, repository as repo
sys.path.insert(0, sys.argv[2])
from factories import shipment

store = open_store(Path(sys.argv[1]), url=sys.argv[4], password=os.environ.get("SHIPDESK_STORE_PASSWORD"))
done = errors = 0
print("ready", flush=True)
sys.stdin.readline()  # "go": every writer starts at once
started = time.monotonic()
end = started + float(sys.argv[5])
while done < int(sys.argv[3]) and time.monotonic() < end:
    try:
        nbr = f"C{done % 50:05d}"
        repo.upsert_shipment(shipment(nbr))
        repo.require_shipment(nbr)  # a command reads between its writes (see above)
        audit_log.record(AuditAction.PULL, detail=str(done))
        repo.set_value("cli.last_run", str(done))
        done += 1
    except Exception as exc:
        errors += 1
        print(repr(exc), file=sys.stderr)
print(json.dumps({"done": done, "errors": errors, "started": started, "ended": time.monotonic()}), flush=True)
"""


def _url_of(store: Store) -> str:
    """The ``[store] url`` the test's store was opened with ("" for SQLite)."""
    if not store.shared:
        return ""
    db = store.db
    return f"postgresql://{db.connect_params['user']}@{db.connect_params['host']}:{db.connect_params['port']}/{db.database}"


def test_two_threads_and_a_process_write_without_lock_errors(store):
    for n in range(20):
        repo.upsert_shipment(shipment(f"T{n:05d}"))
    child = subprocess.Popen(
        [sys.executable, "-c", CLI_PROCESS, str(store.paths.root), str(__file__.rsplit("/", 1)[0]), str(ROUNDS),
         _url_of(store), str(DEADLINE)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"

    errors: list[BaseException] = []
    done = {"ui": 0, "sync": 0}
    spans: dict[str, tuple[float, float]] = {}
    go = threading.Barrier(3)  # the two threads and this one, which tells the process

    def ui_worker() -> None:
        go.wait()
        started = time.monotonic()
        end = started + DEADLINE
        while done["ui"] < ROUNDS and time.monotonic() < end:
            nbr = f"T{done['ui'] % 20:05d}"
            try:
                repo.upsert_shipment(shipment(nbr))
                current = repo.require_shipment(nbr).state
                repo.set_state(nbr, State.READY if current == State.PENDING else State.PENDING)
                audit_log.record(AuditAction.ADDRESS_OVERRIDDEN, shipment_nbr=nbr)
                done["ui"] += 1
            except BaseException as exc:  # collected, asserted below
                errors.append(exc)
        spans["ui"] = (started, time.monotonic())
        store.db.close()

    def sync_worker() -> None:
        go.wait()
        started = time.monotonic()
        end = started + DEADLINE
        start = datetime(2026, 11, 25, tzinfo=UTC)
        while done["sync"] < ROUNDS and time.monotonic() < end:
            n = done["sync"]
            try:
                event = TrackEvent("I", "AR", "Arrived", "Atlanta", start + timedelta(minutes=n))
                repo.add_tracking_events(f"1Z{n % 7}", [event])
                repo.set_time(repo.WATERMARK_SHIPMENTS, start + timedelta(seconds=n))
                repo.list_shipments()
                done["sync"] += 1
            except BaseException as exc:
                errors.append(exc)
        spans["sync"] = (started, time.monotonic())
        store.db.close()

    threads = [threading.Thread(target=ui_worker), threading.Thread(target=sync_worker)]
    for t in threads:
        t.start()
    go.wait()
    child.stdin.write("go\n")
    child.stdin.flush()
    for t in threads:
        t.join()
    out, _ = child.communicate(timeout=DEADLINE + 60)
    cli = json.loads(out.strip().splitlines()[-1])
    spans["cli"] = (cli["started"], cli["ended"])  # the same clock: Linux's monotonic clock is system-wide

    assert errors == []
    assert cli["errors"] == 0
    assert child.returncode == 0
    assert done["ui"] == done["sync"] == cli["done"] == ROUNDS, (done, cli)  # nobody starved
    assert max(a for a, _b in spans.values()) < min(b for _a, b in spans.values()), spans  # they really overlapped
    assert len(audit_log.entries(limit=100_000)) == done["ui"] + cli["done"]
    assert repo.get_value("cli.last_run") == str(cli["done"] - 1)
