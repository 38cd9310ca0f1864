"""Two stations with a database each (no shared store) never overwrite each other in Acumatica.

Both run ``shipdesk ship --all-ready --no-print`` at nearly the same moment against one Acumatica, whose
saves take a realistic time (two saves of one shipment overlapping fail the later one, as on a real
instance), and a UPS whose Ship answers in 300 ms. Before each Ship call a station leaves a claim on the
Acumatica shipment and reads it back; a station that finds another's claim backs off. Races the claim
cannot see (both read before either wrote) still make two labels: then the write-back, which reads
first, finds the other station's tracking numbers, leaves Acumatica as it is and flags its own label
(labelled twice), voiding it because it was never printed. The numbers are printed for the report.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.core.store.models import LabelJob

from .conftest import SHIP_DELAY_MS, SHIP_ROUTE, StationProcess, ship_all_ready

ROUNDS = 3
SAVE_MS = 250  # how long an Acumatica shipment save takes


def jobs_of(station: StationProcess) -> list[LabelJob]:
    store = open_store(station.data)
    try:
        return [job for job in LabelJob.select() if job.tracking_numbers]
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize(("count", "rounds"), [(2, ROUNDS), (3, 2)])
def test_no_tracking_number_is_ever_overwritten_and_every_extra_label_is_flagged_and_voided(sandboxes, tmp_path,
                                                                                          count: int, rounds: int):
    rng = random.Random(1 + count)
    totals = {"shipments": 0, "claims_seen": 0, "labelled_twice": 0, "ups_labels": 0, "voided": 0, "tokens": 0,
              "sign_ins": 0}
    for round_nbr in range(rounds):
        sandboxes.reset()
        sandboxes.ups.add_fault(SHIP_ROUTE, delay_ms=SHIP_DELAY_MS)
        sandboxes.acumatica.save_seconds = SAVE_MS / 1000
        root = tmp_path / f"round{round_nbr}"
        stations = [ship_all_ready(root, sandboxes, "PACK-01")]
        for n in range(2, count + 1):
            time.sleep(rng.random() / 4)  # nearly together: the hard case for a claim
            stations.append(ship_all_ready(root, sandboxes, f"PACK-0{n}"))
        outcomes = [o for station in stations for o in station.result()["results"]]

        assert sandboxes.acumatica.stats_payload()["tracking_overwritten"] == 0
        with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                             auth=CookieAuth("admin", "demo", "Demo")) as acu:
            jobs = {station.station: jobs_of(station) for station in stations}
            written = {job.shipment.shipment_nbr: job for station_jobs in jobs.values() for job in station_jobs
                       if job.state == State.WRITTEN_BACK}
            for nbr, job in written.items():  # what Acumatica shows is the label that was written back
                assert sorted(acu.get_shipment(nbr).tracking_numbers) == sorted(job.tracking_numbers)
        extras = [job for station_jobs in jobs.values() for job in station_jobs if job.state != State.WRITTEN_BACK]
        for job in extras:  # flagged with both numbers, and voided: it was never printed
            assert job.state == State.VOIDED and job.voided_at is not None, job.last_error
            assert "labelled twice" in job.last_error and job.shipment.shipment_nbr in written
            theirs = written[job.shipment.shipment_nbr].tracking_numbers
            assert all(number in job.last_error for number in [*theirs, *job.tracking_numbers])
        labels = sandboxes.ups.stats_payload()
        assert labels["voided"] == sum(len(job.tracking_numbers) for job in extras)
        assert labels["labels_created"] - labels["voided"] == sum(len(j.tracking_numbers) for j in written.values())
        reasons = [o["reason"] for o in outcomes]
        assert reasons.count(Reason.LABELLED_TWICE.value) == len(extras)
        claims_seen = reasons.count(Reason.CLAIMED_ELSEWHERE.value)
        told = [w for o in outcomes for w in o["warnings"] if "shared store" in w]
        assert len(told) <= count, "each station says once that the stations should share a store"
        totals["shipments"] += len(written)
        totals["claims_seen"] += claims_seen
        totals["labelled_twice"] += len(extras)
        totals["ups_labels"] += labels["labels_created"]
        totals["voided"] += labels["voided"]
        totals["tokens"] += labels["tokens_granted"]
        totals["sign_ins"] += sandboxes.acumatica.stats_payload()["logins"]
    print(f"\nwithout a shared store, {rounds} rounds of {count} stations: {totals['shipments']} shipments labelled, "
          f"{totals['claims_seen']} races stopped by the claim on the Acumatica shipment (no label bought), "
          f"{totals['labelled_twice']} labelled twice anyway (caught at the write-back, voided), "
          f"{totals['ups_labels']} UPS labels bought ({totals['voided']} voided), "
          f"0 tracking numbers overwritten; {totals['tokens']} UPS token grants, "
          f"{totals['sign_ins']} Acumatica sign-ins")
    (Path(__file__).resolve().parents[2] / "test-artifacts").mkdir(exist_ok=True)
    (Path(__file__).resolve().parents[2] / "test-artifacts" / f"stations_without_shared_store_{count}.txt").write_text(
        str(totals) + "\n")


def test_one_after_the_other_the_second_station_never_says_void_that_label(sandboxes, tmp_path):
    """The first station labelled and wrote back; the second, with its own database, sees the tracking
    numbers in Acumatica: it ships nothing and does not tell its clerk to void a label that is on a box."""
    first = ship_all_ready(tmp_path, sandboxes, "PACK-01").result()
    second = StationProcess(tmp_path, sandboxes, station="PACK-02").start("ship", "SH000101", "--no-print").result()

    assert [o["reason"] for o in first["results"] if o["shipment_nbr"] == "SH000101"] == [Reason.LABELLED.value]
    [outcome] = second["results"]
    assert not outcome["ok"] and outcome["reason"] == Reason.NEEDS_ATTENTION.value
    assert "labelled at another station (each station keeps its own database)" in outcome["message"]
    assert "void that label" not in outcome["message"].lower()
    store = open_store(tmp_path / "PACK-02" / "data")
    try:
        assert repo.latest_job("SH000101") is None  # nothing was bought
    finally:
        store.close()
    assert sandboxes.ups.stats_payload()["voided"] == 0
