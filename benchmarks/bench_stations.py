"""Labels per minute of 1, 2 and 4 stations sharing one PostgreSQL store, at 100 ms API latency.

    .venv/bin/python -m benchmarks.bench_stations [SHIPMENTS] [LATENCY_MS]

The sandboxes run in a process of their own, seeded with SHIPMENTS (default 80) more ready single-package
shipments and every request to either of them answered LATENCY_MS late (default 100). PostgreSQL is the
test suite's own server (``tests/support/postgres.py``: the binaries of the ``pgserver`` wheel), a fresh
database per run. Each station is a real ``shipdesk ship --all-ready --no-print`` process with its own
data folder; all start at once and the clock stops when the last one is done (process start, pull and
the checks included, as a clerk would see them). Every run is checked: each shipment got exactly one
label. Prints the numbers; asserts nothing beyond that check.
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

import requests

from shipdesk.core.settings.config import save_config
from shipdesk.demo.settings import demo_config

REPO_ROOT = Path(__file__).resolve().parents[1]
STATIONS = (1, 2, 4)
PASSWORD_ENV = "SHIPDESK_STORE_PASSWORD"

#: the sandboxes' own process: seeded, slowed, serving until its standard input closes
SANDBOX_PROCESS = """
import json, sys
from benchmarks.bench_calls_per_label import add_ready_shipments
from shipdesk.sandbox import start_sandboxes
sandboxes = start_sandboxes(max_sessions=16)
add_ready_shipments(sandboxes, int(sys.argv[1]))
for server in (sandboxes.acumatica, sandboxes.ups):
    server.add_fault(route="*", delay_ms=int(sys.argv[2]))  # the control API (/_sandbox) is never delayed
print(json.dumps({"acumatica": sandboxes.acumatica_url, "ups": sandboxes.ups_url,
                  "acumatica_root": sandboxes.acumatica.url, "ups_root": sandboxes.ups.url}), flush=True)
sys.stdin.read()
sandboxes.stop()
"""


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))])
    env.update(extra)
    return env


def run(stations: int, shipments: int, latency_ms: int, url: str, password: str) -> dict[str, Any]:
    sandbox = subprocess.Popen([sys.executable, "-c", SANDBOX_PROCESS, str(shipments), str(latency_ms)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_env(), cwd=REPO_ROOT)
    try:
        assert sandbox.stdout is not None
        urls = json.loads(sandbox.stdout.readline())
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            config = demo_config(urls["acumatica"], urls["ups"])
            processes = []
            for n in range(1, stations + 1):
                name = f"PACK-{n:02d}"
                station_config = replace(config, store=replace(config.store, url=url),
                                         station=replace(config.station, name=name))
                save_config(root / f"{name}.toml", station_config)
                env = _env(SHIPDESK_DATA_DIR=str(root / name), SHIPDESK_CONFIG=str(root / f"{name}.toml"),
                           SHIPDESK_ACUMATICA_PASSWORD="demo", SHIPDESK_UPS_CLIENT_SECRET="demo",
                           PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **{PASSWORD_ENV: password})
                processes.append(env)
            started = time.perf_counter()
            running = [subprocess.Popen([sys.executable, "-m", "shipdesk", "--json", "ship", "--all-ready",
                                         "--no-print"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True) for env in processes]
            documents = [json.loads(p.communicate(timeout=1800)[0]) for p in running]
            seconds = time.perf_counter() - started
        ups = requests.get(f"{urls['ups_root']}/_sandbox/stats", timeout=10).json()
    finally:
        if sandbox.stdin is not None:
            sandbox.stdin.close()
        sandbox.wait(timeout=60)
    labelled = Counter(o["shipment_nbr"] for d in documents for o in d["results"] if o["reason"] == "labelled")
    assert all(n == 1 for n in labelled.values()), "a shipment was labelled twice"
    packages = ups["labels_created"]
    assert packages >= len(labelled), ups
    met = sum(o["reason"] in ("busy_elsewhere", "label_exists") for d in documents for o in d["results"])
    return {"stations": stations, "labels": len(labelled), "seconds": seconds,
            "per_minute": len(labelled) / seconds * 60, "ups_labels": packages, "met": met}


def main() -> None:
    from tests.support.postgres import PASSWORD, start_postgres  # the test suite's server

    shipments = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    latency_ms = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    server = start_postgres()
    try:
        print(f"{shipments} extra ready shipments (+ the seeded day's), {latency_ms} ms per API call, "
              "one PostgreSQL store:")
        for stations in STATIONS:
            url = server.create_database("bench")
            result = run(stations, shipments, latency_ms, url, PASSWORD)
            print(f"  {result['stations']} station(s): {result['labels']} labels in {result['seconds']:.1f} s = "
                  f"{result['per_minute']:.0f} labels/minute ({result['ups_labels']} UPS labels: each package "
                  f"once; {result['met']} times a station reached a shipment another one had)", flush=True)
            server.drop_database(url)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
