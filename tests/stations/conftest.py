"""Several packing stations against one Acumatica and one UPS: sandboxes, station configs, station processes.

A station is what a warehouse runs on one PC: its own data folder and config file (``[station] name``, and
``[store] url`` when the stations share a store), secrets from the environment (no keyring), the real
``shipdesk`` command. The sandboxes run in this test process and allow a few API sessions at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import Config, save_config
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes, start_sandboxes
from tests.support.postgres import PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 240
SHIP_ROUTE = "/api/shipments/"  # UPS Ship (and void): the route the tests slow down
SHIP_DELAY_MS = 300  # a realistic UPS Ship answer time


@pytest.fixture(scope="module")
def station_sandboxes() -> Iterator[Sandboxes]:
    with start_sandboxes(max_sessions=8) as started:
        yield started


@pytest.fixture
def sandboxes(station_sandboxes: Sandboxes) -> Sandboxes:
    station_sandboxes.reset()
    return station_sandboxes


def station_config(sandboxes: Sandboxes, *, station: str, store_url: str = "") -> Config:
    config = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
    return replace(config, store=replace(config.store, url=store_url), station=replace(config.station, name=station))


def station_context(sandboxes: Sandboxes, data_dir: Path, *, station: str, store_url: str = "",
                    **options: Any) -> AppContext:
    """A context of one station in this process (the app's worker, a test's station)."""
    secrets = {**DEMO_SECRETS, "store.password": PASSWORD}
    return AppContext.from_config(station_config(sandboxes, station=station, store_url=store_url),
                                  data_dir=data_dir, demo=True, secret_values=secrets,
                                  acumatica_poll_seconds=0.02, **options)


class StationProcess:
    """One ``shipdesk`` command run by a station in a process of its own."""

    def __init__(self, root: Path, sandboxes: Sandboxes, *, station: str, store_url: str = "") -> None:
        self.station = station
        self.data = root / station / "data"
        self.config = root / station / "config.toml"
        self.config.parent.mkdir(parents=True, exist_ok=True)
        save_config(self.config, station_config(sandboxes, station=station, store_url=store_url))
        self.process: subprocess.Popen[str] | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        paths = filter(None, env.get("PYTHONPATH", "").split(os.pathsep))
        env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *paths])
        env.update(SHIPDESK_DATA_DIR=str(self.data), SHIPDESK_CONFIG=str(self.config),
                   SHIPDESK_ACUMATICA_PASSWORD="demo", SHIPDESK_UPS_CLIENT_SECRET="demo",
                   SHIPDESK_STORE_PASSWORD=PASSWORD, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        return env

    def start(self, *args: str) -> StationProcess:
        self.process = subprocess.Popen([sys.executable, "-m", "shipdesk", "--json", *args], env=self.env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return self

    def result(self) -> dict[str, Any]:
        """The command's JSON document (it must have finished within the run timeout)."""
        assert self.process is not None
        out, err = self.process.communicate(timeout=RUN_TIMEOUT)
        assert out.strip(), f"{self.station} printed nothing; stderr: {err[-2000:]}"
        document: dict[str, Any] = json.loads(out)
        document["exit_code"] = self.process.returncode
        return document


def ship_all_ready(root: Path, sandboxes: Sandboxes, station: str, store_url: str = "") -> StationProcess:
    return StationProcess(root, sandboxes, station=station, store_url=store_url).start(
        "ship", "--all-ready", "--no-print")


def ups_labels_by_shipment(sandboxes: Sandboxes) -> dict[str, list[str]]:
    """Live (not voided) UPS shipments the sandbox made, by the Acumatica shipment number on their label."""
    found: dict[str, list[str]] = {}
    with sandboxes.ups.lock:
        records = list(sandboxes.ups.shipments.values())
    for record in records:
        if all(package.voided_at for package in record.packages):
            continue
        references = record.references or record.packages[0].references  # US→US: on the packages
        found.setdefault(references[0], []).append(record.identification_number)
    return found
