"""Two stations sharing one PostgreSQL store label every ready shipment exactly once.

Each station is a real ``shipdesk ship --all-ready --no-print`` process with its own data folder, started a
random fraction of a second after the other, against one pair of sandboxes whose UPS Ship answers in
300 ms (time enough for both to reach the same shipment). Five rounds, each on a fresh database and
the seeded day: UPS makes no extra label, each ready shipment gets exactly one, and Acumatica's tracking
numbers are the store's. Then the same with the desktop app's worker (a ``ShipFlow`` on a thread of this
process, as the app runs it) and a command-line station at once.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.domain.outcomes import Reason, ShipOutcome
from shipdesk.core.domain.states import LABEL_EXISTS, State
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import open_store
from shipdesk.core.store import repository as repo
from shipdesk.sandbox import Sandboxes
from tests.support.postgres import PASSWORD, PostgresServer

from .conftest import SHIP_DELAY_MS, SHIP_ROUTE, StationProcess, ship_all_ready, station_context, ups_labels_by_shipment

ROUNDS = 5
#: a station that reaches a shipment the other one is labelling (or labelled) says so and moves on
LOST_THE_RACE = {Reason.BUSY_ELSEWHERE.value, Reason.LABEL_EXISTS.value}


def acumatica_tracking(sandboxes: Sandboxes, nbrs: list[str]) -> dict[str, list[str]]:
    with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        return {nbr: sorted(acu.get_shipment(nbr).tracking_numbers) for nbr in nbrs}


def store_labels(root: Path, url: str) -> dict[str, tuple[str, list[str]]]:
    """Shipment → (station, tracking numbers) of its live label job, read from the shared store."""
    store = open_store(root / "checker", url=url, password=PASSWORD)
    try:
        labelled = {}
        for row in repo.list_shipments().rows:
            job = repo.latest_job(row.shipment_nbr)
            if job is not None and job.state in LABEL_EXISTS:
                labelled[row.shipment_nbr] = (job.station, sorted(job.tracking_numbers))
        ready_left = [r.shipment_nbr for r in repo.list_shipments([State.READY]).rows]
        assert ready_left == [], f"ready shipments nobody labelled: {ready_left}"
        return labelled
    finally:
        store.close()


def check_exactly_once(sandboxes: Sandboxes, labelled: dict[str, tuple[str, list[str]]]) -> None:
    at_ups = ups_labels_by_shipment(sandboxes)
    packages = sum(len(numbers) for _station, numbers in labelled.values())
    assert sandboxes.ups.stats_payload()["labels_created"] == packages, "UPS made extra labels"
    assert {nbr: len(ids) for nbr, ids in at_ups.items()} == dict.fromkeys(labelled, 1)
    in_acumatica = acumatica_tracking(sandboxes, sorted(labelled))
    assert in_acumatica == {nbr: numbers for nbr, (_station, numbers) in labelled.items()}
    assert sandboxes.acumatica.stats_payload()["tracking_overwritten"] == 0


@pytest.mark.slow
@pytest.mark.parametrize(("stations", "rounds"), [(2, ROUNDS), (3, 3)])
def test_station_processes_label_every_ready_shipment_exactly_once(sandboxes, postgres_server: PostgresServer,
                                                                   tmp_path, stations: int, rounds: int):
    rng = random.Random(11 + stations)
    totals = {"shipments": 0, "ups_labels": 0, "packages": 0, "met": 0, "tokens": 0, "sign_ins": 0}
    for round_nbr in range(rounds):
        sandboxes.reset()
        sandboxes.ups.add_fault(SHIP_ROUTE, delay_ms=SHIP_DELAY_MS)
        url = postgres_server.create_database()
        root = tmp_path / f"round{round_nbr}"
        running = []
        for n in range(1, stations + 1):
            if running:
                time.sleep(rng.random())  # the next clerk presses Ship a moment later
            running.append(ship_all_ready(root, sandboxes, f"PACK-0{n}", url))
        outcomes = [o for station in running for o in station.result()["results"]]

        labelled = store_labels(root, url)
        check_exactly_once(sandboxes, labelled)
        assert len(labelled) >= 15  # the seeded day's ready shipments
        # counted, not a set: one shipment reported labelled by two stations is a label written back twice
        won = Counter(o["shipment_nbr"] for o in outcomes if o["reason"] == Reason.LABELLED.value)
        assert won == dict.fromkeys(labelled, 1), "every label was bought by exactly one of the stations"
        lost = [o for o in outcomes if not o["ok"] and o["shipment_nbr"] in labelled]
        assert {o["reason"] for o in lost} <= LOST_THE_RACE
        # "being labelled right now at PACK-02", "being printed or written back right now at PACK-01"
        busy = [o["message"] for o in lost if o["reason"] == Reason.BUSY_ELSEWHERE.value]
        assert all("right now at PACK-0" in message for message in busy), busy
        assert {station for station, _numbers in labelled.values()} <= {f"PACK-0{n}" for n in range(1, stations + 1)}
        totals["shipments"] += len(labelled)
        totals["packages"] += sum(len(numbers) for _station, numbers in labelled.values())
        totals["ups_labels"] += sandboxes.ups.stats_payload()["labels_created"]
        totals["met"] += len(lost)
        totals["tokens"] += sandboxes.ups.stats_payload()["tokens_granted"]
        totals["sign_ins"] += sandboxes.acumatica.stats_payload()["logins"]
        postgres_server.drop_database(url)
    print(f"\nshared store, {rounds} rounds of {stations} stations: {totals['shipments']} shipments, "
          f"{totals['ups_labels']} UPS labels for {totals['packages']} packages, a station reached a shipment "
          f"another one had {totals['met']} times (and called nothing); {totals['tokens']} UPS token grants, "
          f"{totals['sign_ins']} Acumatica sign-ins")
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / f"stations_shared_store_{stations}.txt").write_text(str(totals) + "\n")


def test_the_apps_worker_and_a_command_line_station_at_once(sandboxes, postgres_server: PostgresServer, tmp_path):
    sandboxes.ups.add_fault(SHIP_ROUTE, delay_ms=SHIP_DELAY_MS)
    url = postgres_server.create_database()
    app = station_context(sandboxes, tmp_path / "app-data", station="DESK-APP", store_url=url)
    flow = ShipFlow(app)
    flow.pull()
    ready = flow.ready_shipments()
    outcomes: list[ShipOutcome] = []
    worker = threading.Thread(target=lambda: outcomes.extend(flow.ship_many(ready, print_labels=False)),
                              name="app-worker")  # the app's batch runs on a worker thread like this
    cli = StationProcess(tmp_path, sandboxes, station="PACK-CLI", store_url=url)
    worker.start()
    time.sleep(random.Random(5).random())
    cli.start("ship", "--all-ready", "--no-print")
    worker.join(timeout=240)
    cli_outcomes = cli.result()["results"]
    app.close()

    labelled = store_labels(tmp_path, url)  # also: no shipment is left ready
    assert set(labelled) <= set(ready) and len(labelled) >= 15
    check_exactly_once(sandboxes, labelled)
    stations = {station for station, _numbers in labelled.values()}
    assert stations == {"DESK-APP", "PACK-CLI"}, "both really labelled some of them"
    app_won = {o.shipment_nbr for o in outcomes if o.ok and o.reason == Reason.LABELLED}
    cli_won = {o["shipment_nbr"] for o in cli_outcomes if o["reason"] == Reason.LABELLED.value}
    assert not app_won & cli_won and app_won | cli_won == set(labelled)
