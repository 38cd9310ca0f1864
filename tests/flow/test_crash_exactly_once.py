"""Kill ``shipdesk ship`` at every step, start it again: no duplicate label, no lost tracking number.

The sandboxes run in this test process so they outlive the killed command. The command stops at a
step through a checkpoint (``shipdesk.core.shipping.checkpoints``) that ``tests/support/pausing_ship.py``
installs before running ``shipdesk``; "during the Ship call" is hit with a sandbox delay fault: the kill
lands while UPS is still making the label.

Only a kill while the job is ``requesting`` (between the flip and UPS's answer) can leave a label nobody
knows about; everywhere else the rerun finishes without asking anybody.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from shipdesk.demo.launcher import ACUMATICA_URL_ENV, UPS_URL_ENV
from shipdesk.sandbox import Sandboxes

from .conftest import ship_requests

SHIPMENT = "SH000103"  # three packages
PACKAGES = 3
REPOSITORY = Path(__file__).resolve().parents[2]  # ``python -m tests.support...`` runs from here
SESSION_TIMEOUT_HOURS = 11 / 60  # Acumatica frees an abandoned API session after about 10 minutes


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def command(sandboxes: Sandboxes, tmp_path: Path) -> Callable[..., subprocess.Popen[str]]:
    env = {**os.environ, ACUMATICA_URL_ENV: sandboxes.acumatica_url, UPS_URL_ENV: sandboxes.ups_url,
           "SHIPDESK_DATA_DIR": str(tmp_path / "data"), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}

    def start(*args: str, pause_at: str | None = None) -> subprocess.Popen[str]:
        shipdesk = ["--demo", "--json", "ship", SHIPMENT, "--no-print", *args]
        runner = ["-m", "tests.support.pausing_ship", pause_at, str(tmp_path / "paused"), "--"] if pause_at else \
            ["-m", "shipdesk"]
        return subprocess.Popen([sys.executable, *runner, *shipdesk], env=env, cwd=REPOSITORY,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return start


def finish(process: subprocess.Popen[str]) -> dict:
    out, err = process.communicate(timeout=60)
    assert out, err
    (result,) = json.loads(out)["results"]
    return result


def kill(process: subprocess.Popen[str], sandboxes: Sandboxes) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    # a killed command cannot log out: its Acumatica session holds a licensed seat until it times out
    sandboxes.advance(hours=SESSION_TIMEOUT_HOURS)


def run_to_completion(command) -> tuple[dict, dict]:
    """Start again as a user would: a plain run, and --force-new-label only when UPS has no label.
    Returns the plain run's result and the final one."""
    first = finish(command())
    if first["state"] == "uncertain":
        return first, finish(command("--force-new-label"))
    return first, first


def label_jobs(tmp_path: Path) -> list[tuple[str, str]]:
    """(job id, state) of every label job in the killed command's store."""
    store = tmp_path / "data" / "demo" / "shipdesk.db"  # --demo keeps its data apart
    with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as db:
        return list(db.execute("SELECT job_id, state FROM label_job ORDER BY id"))


@pytest.mark.parametrize("step", ["after_label", "during_writeback"])
def test_kill_at_a_step_then_rerun(sandboxes, command, read_acumatica, tmp_path, step):
    paused = command(pause_at=step)
    wait_for(lambda: (tmp_path / "paused").exists(), f"the command to reach {step}")
    kill(paused, sandboxes)
    (job_id, _state), = label_jobs(tmp_path)

    first, result = run_to_completion(command)

    assert first is result  # finished without asking anybody, no --force-new-label
    assert ship_requests(sandboxes) == 1
    assert result["job_id"] == job_id and label_jobs(tmp_path) == [(job_id, "written_back")]
    # the one label UPS made was asked for by the job the killed run committed (transId: its id without dashes)
    assert [r.trans_id for r in sandboxes.ups.shipments.values()] == [job_id.replace("-", "")]
    assert_exactly_once(sandboxes, read_acumatica, result)


def test_kill_before_ship_leaves_nothing_to_settle_and_the_rerun_labels_once(sandboxes, command, read_acumatica,
                                                                            tmp_path):
    """Checked and claimed in Acumatica, nothing of the job committed: the rerun labels it as if new (its own
    station's claim does not stop it), without asking anybody."""
    paused = command(pause_at="before_ship")
    wait_for(lambda: (tmp_path / "paused").exists(), "the command to reach before_ship")
    kill(paused, sandboxes)
    assert label_jobs(tmp_path) == [] and ship_requests(sandboxes) == 0

    first, result = run_to_completion(command)

    assert first is result and result["state"] == "written_back"
    assert ship_requests(sandboxes) == 1
    assert [state for _job, state in label_jobs(tmp_path)] == ["written_back"]
    assert_exactly_once(sandboxes, read_acumatica, result)


def test_kill_after_the_flip_to_requesting_needs_the_users_decision(sandboxes, command, read_acumatica, tmp_path):
    """The one window that cannot be told from "sent": requesting, killed before the bytes left."""
    paused = command(pause_at="before_request")
    wait_for(lambda: (tmp_path / "paused").exists(), "the command to reach before_request")
    kill(paused, sandboxes)
    assert [state for _job, state in label_jobs(tmp_path)] == ["requesting"]

    first, result = run_to_completion(command)

    assert first["state"] == "uncertain" and first["reason"] == "uncertain"
    assert ship_requests(sandboxes) == 1
    assert_exactly_once(sandboxes, read_acumatica, result)


def test_kill_during_the_ship_call_then_rerun(sandboxes, command, read_acumatica):
    sandboxes.ups.add_fault("/api/shipments", delay_ms=1500, count=1)
    in_flight = command()
    wait_for(lambda: ship_requests(sandboxes) == 1, "the Ship call to reach UPS")
    kill(in_flight, sandboxes)
    wait_for(lambda: sandboxes.ups.stats_payload()["labels_created"] == PACKAGES, "UPS to finish the label")

    first, result = run_to_completion(command)

    assert first is result  # found by reference, adopted, never shipped again
    assert ship_requests(sandboxes) == 1
    assert_exactly_once(sandboxes, read_acumatica, result)


def test_kill_in_a_batch_before_the_written_back_state_is_committed(sandboxes, command, read_acumatica, tmp_path):
    """In a batch the written-back state waits for the next label's first commit (``group_commit``): a kill in
    between leaves the job labelled, and the rerun's write-back finds everything in Acumatica already (it never
    writes a tracking number or attaches a label twice) and only commits the state."""
    env = {**os.environ, ACUMATICA_URL_ENV: sandboxes.acumatica_url, UPS_URL_ENV: sandboxes.ups_url,
           "SHIPDESK_DATA_DIR": str(tmp_path / "data"), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    batch = ["-m", "tests.support.pausing_ship", "after_writeback", str(tmp_path / "paused"), "--",
             "--demo", "--json", "ship", SHIPMENT, "SH000101", "--no-print"]
    paused = subprocess.Popen([sys.executable, *batch], env=env, cwd=REPOSITORY, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    wait_for(lambda: (tmp_path / "paused").exists(), "the batch to write back its first label")
    written = read_acumatica(SHIPMENT)
    kill(paused, sandboxes)
    (job_id, state), = label_jobs(tmp_path)
    assert state == "labelled"  # everything is in Acumatica; the store's state was not committed yet
    assert len(written.tracking_numbers) == PACKAGES and len(written.files) == PACKAGES
    writes_before = _acumatica_writes(sandboxes)

    first, result = run_to_completion(command)

    assert first is result and result["job_id"] == job_id and label_jobs(tmp_path) == [(job_id, "written_back")]
    assert ship_requests(sandboxes) == 1
    assert _acumatica_writes(sandboxes) == writes_before  # the rerun only read the shipment
    assert_exactly_once(sandboxes, read_acumatica, result)
    assert sorted(f.filename for f in read_acumatica(SHIPMENT).files) == sorted(f.filename for f in written.files)


def _acumatica_writes(sandboxes: Sandboxes) -> tuple[int, int]:
    """(records saved, files attached) in Acumatica so far."""
    stats = sandboxes.acumatica.stats_payload()
    return stats["writes"], stats["files_attached"]


def assert_exactly_once(sandboxes: Sandboxes, read_acumatica, result: dict) -> None:
    assert result["ok"] and result["state"] == "written_back", result
    assert sandboxes.ups.stats_payload()["labels_created"] == PACKAGES  # zero duplicates
    in_acumatica = read_acumatica(SHIPMENT)
    assert sorted(in_acumatica.tracking_numbers) == sorted(result["tracking_numbers"])  # zero lost
    assert len(set(result["tracking_numbers"])) == PACKAGES
    files = " ".join(f.filename for f in in_acumatica.files)
    assert all(f"Label #{number}.gif" in files for number in result["tracking_numbers"])
