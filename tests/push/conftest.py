"""A sync on the sandboxes with Acumatica's pushes (and automatic mode) set up, and helpers to release."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
import requests

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import AcumaticaPushConfig, ListenerConfig, ShipConfig
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.sync import SyncService
from shipdesk.sandbox import Sandboxes
from tests.sync.conftest import make_context, make_service  # noqa: F401 (fixtures)

SECRET = "pushed-by-acumatica-7f3a"
HEADER = "X-Shipdesk-Secret"


@pytest.fixture
def push_context(make_context) -> Callable[..., AppContext]:  # noqa: F811
    """``push_context(**ship)``: a context whose listener takes Acumatica pushes (any free port)."""

    def build(**ship: Any) -> AppContext:
        context = make_context(secrets={"acumatica.push_secret": SECRET},
                               listener=ListenerConfig(enabled=False, port=0))
        config = context.config
        context.reconfigure(replace(config, acumatica=replace(config.acumatica, push=AcumaticaPushConfig(
            enabled=True, header_name=HEADER)), ship=replace(ShipConfig(), **ship)))
        return context
    return build


class RunningSync:
    """A started sync whose first cycle is over (its pull done), with its listener's push URL."""

    def __init__(self, service: SyncService, cycles: threading.Event) -> None:
        self.service = service
        self.cycles = cycles

    @property
    def push_url(self) -> str:
        listener = self.service.listener
        assert listener is not None
        return f"http://127.0.0.1:{listener.port}/acumatica/push"


@pytest.fixture
def start_sync(make_service) -> Callable[..., RunningSync]:  # noqa: F811
    def start(context: AppContext, **options: Any) -> RunningSync:
        finished = threading.Event()

        def reported(report: CycleReport) -> None:
            finished.set()
        service = make_service(context, on_report=reported, **options)
        service.start(interval_seconds=3600)  # polling off: only the first cycle runs
        assert finished.wait(60), "the first cycle did not finish"
        return RunningSync(service, finished)
    return start


def hold_copies(sandboxes: Sandboxes, like: str, count: int, prefix: str) -> list[str]:
    """Copies of a seeded shipment, On Hold (not released yet)."""
    answer = requests.post(f"{sandboxes.acumatica.url}/_sandbox/shipments",
                           json={"like": like, "count": count, "prefix": prefix, "status": "On Hold"}, timeout=10)
    answer.raise_for_status()
    return list(answer.json()["shipments"])


def point_pushes(sandboxes: Sandboxes, url: str, value: str = SECRET, **extra: Any) -> None:
    """SM302000: the destination, its header, the inquiry (released shipments with a UPS Ship Via)."""
    body = {"url": url, "header_name": HEADER, "header_value": value, "retry_seconds": 0.05, **extra}
    requests.post(f"{sandboxes.acumatica.url}/_sandbox/push", json=body, timeout=5).raise_for_status()


def release(sandboxes: Sandboxes, numbers: list[str]) -> None:
    answer = requests.post(f"{sandboxes.acumatica.url}/_sandbox/release", json={"shipments": numbers}, timeout=10)
    answer.raise_for_status()
    assert answer.json()["released"] == numbers


def shipment_reads(sandboxes: Sandboxes) -> int:
    """List GETs of shipments the Acumatica sandbox answered (the pull's and the push's reads)."""
    routes = sandboxes.acumatica.stats_payload()["requests"]
    return sum(n for route, n in routes.items() if route.endswith("/Shipment") and route.startswith("GET"))
