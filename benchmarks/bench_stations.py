"""Labels per minute of 1, 2 and 4 stations sharing one PostgreSQL store, at 100 ms API latency (issue 11).

The sandboxes run in their own process (``_sandbox.py``), seeded with more ready single-package shipments
and every API call answered ``--latency-ms`` late; the Acumatica sandbox's license gets a seat per
station. PostgreSQL is the test suite's own server (``tests/support/postgres.py``: the binaries of the
``pgserver`` wheel), a fresh database per run. Each station is a real ``shipdesk ship --all-ready
--no-print`` process with its own data folder; all start at once and the clock stops when the last one
is done (process start, pull and the checks included, as a clerk would see them). Every run is checked:
UPS made exactly one label per package of each labelled shipment (extra labels: the issue's "0").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks import _seed
from benchmarks._harness import Measure, Options, say
from benchmarks._product import Config, demo_config
from benchmarks._sandbox import SandboxProcess
from shipdesk.core.settings.config import save_config

NAME = "stations"
TITLE = "labels per minute of 1, 2 and 4 stations sharing one PostgreSQL store"
STATIONS = (1, 2, 4)
REPO_ROOT = Path(__file__).resolve().parents[1]
PASSWORD_ENV = "SHIPDESK_STORE_PASSWORD"


def run(options: Options) -> list[Measure]:
    from tests.support.postgres import PASSWORD, start_postgres  # the test suite's server

    shipments = options.size(80, 16)
    per_minute = {n: Measure(f"{n} station(s): labels per minute, {shipments}+ ready shipments", "", None)
                  for n in STATIONS}
    extra = Measure("UPS labels beyond one per package (every run, every station count)", "",
                    options.target(0, "at_most", source="issue 11"), worst=True)
    server = start_postgres()
    try:
        with SandboxProcess() as sandbox:
            for stations in STATIONS:
                for _ in range(options.runs):
                    sandbox.reset()
                    sandbox.acumatica_options(max_sessions=2 * stations + 2)
                    _seed.ready_shipments(sandbox, shipments, prefix="ST")
                    sandbox.add_latency(options.latency_ms)
                    url = server.create_database("bench")
                    try:
                        result = _race(sandbox, stations, url, PASSWORD)
                    finally:
                        server.drop_database(url)
                    per_minute[stations].add(result["per_minute"])
                    extra.add(result["extra_labels"])
                    say(f"  {stations} station(s): {result['labels']} shipments in {result['seconds']:.1f} s, "
                        f"{result['ups_labels']} UPS labels for {result['packages']} packages; a station reached "
                        f"a shipment another one had {result['met']} times; {result['tokens']} UPS token grants, "
                        f"{result['sign_ins']} Acumatica sign-ins")
    finally:
        server.stop()
    return [*per_minute.values(), extra]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))])
    env.update(extra)
    return env


def _station_config(config: Config, url: str, name: str) -> Config:
    return replace(config, store=replace(config.store, url=url), station=replace(config.station, name=name))


def _race(sandbox: SandboxProcess, stations: int, url: str, password: str) -> dict[str, Any]:
    before = sandbox.stats("ups")
    acumatica_logins = int(sandbox.stats("acumatica").get("logins", 0))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = demo_config(sandbox.acumatica_url, sandbox.ups_url)
        envs = []
        for n in range(1, stations + 1):
            name = f"PACK-{n:02d}"
            save_config(root / f"{name}.toml", _station_config(config, url, name))
            envs.append(_env(SHIPDESK_DATA_DIR=str(root / name), SHIPDESK_CONFIG=str(root / f"{name}.toml"),
                             SHIPDESK_ACUMATICA_PASSWORD="demo", SHIPDESK_UPS_CLIENT_SECRET="demo",
                             PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **{PASSWORD_ENV: password}))
        started = time.perf_counter()
        running = [subprocess.Popen([sys.executable, "-m", "shipdesk", "--json", "ship", "--all-ready", "--no-print"],
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                   for env in envs]
        documents = [json.loads(p.communicate(timeout=1800)[0]) for p in running]
        seconds = time.perf_counter() - started
    outcomes = [o for d in documents for o in d["results"]]
    labelled = Counter(o["shipment_nbr"] for o in outcomes if o["reason"] == "labelled")
    if any(n != 1 for n in labelled.values()):
        raise AssertionError(f"a shipment was labelled twice: {labelled.most_common(3)}")
    packages = sum(len(o["tracking_numbers"]) for o in outcomes if o["reason"] == "labelled")
    ups = sandbox.stats("ups")
    ups_labels = int(ups["labels_created"]) - int(before.get("labels_created", 0))
    tokens = int(ups.get("tokens_granted", 0)) - int(before.get("tokens_granted", 0))
    sign_ins = int(sandbox.stats("acumatica").get("logins", 0)) - acumatica_logins
    met = sum(o["reason"] in ("busy_elsewhere", "label_exists") for o in outcomes)
    return {"labels": len(labelled), "seconds": seconds, "per_minute": len(labelled) / seconds * 60,
            "packages": packages, "ups_labels": ups_labels, "extra_labels": ups_labels - packages, "met": met,
            "tokens": tokens, "sign_ins": sign_ins}
