"""Sandboxes, a context on them and a sync service on the sandboxes' simulated clock, fresh per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
import requests

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import Config, CustomFields, SyncConfig
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.tracking.sync import SyncService
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes

#: seeded shipments that ship cleanly (one with three packages, one linked to two orders)
SHIPPABLE = ("SH000101", "SH000103", "SH000127")
EXCEPTION_SHIPMENT = "SH000126"  # the UPS sandbox tracks it into an exception
#: ``make_context(acumatica=WITH_CUSTOM_FIELDS)``: the sandbox's custom fields (the demo settings leave them out)
WITH_CUSTOM_FIELDS = {"custom_fields": CustomFields("UsrDeliveredDate", "UsrUpsStatus", "UsrSignedBy")}


@pytest.fixture
def make_context(tmp_path, sandboxes: Sandboxes) -> Iterator[Callable[..., AppContext]]:
    """``make_context(secrets={...}, acumatica={...}, **sync_settings)``: a context on the sandboxes with those
    ``[sync]`` settings (and ``[acumatica]`` ones, and extra secrets, e.g. the listener's)."""
    contexts: list[AppContext] = []

    def build(*, secrets: dict[str, str] | None = None, acumatica: dict[str, Any] | None = None,
              **sync: Any) -> AppContext:
        base: Config = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
        config = replace(base, sync=replace(SyncConfig(), **sync),
                         acumatica=replace(base.acumatica, **(acumatica or {})))
        context = AppContext.from_config(config, data_dir=tmp_path / "data", demo=True,
                                         secret_values={**DEMO_SECRETS, **(secrets or {})},
                                         acumatica_poll_seconds=0.02)
        contexts.append(context)
        return context

    yield build
    for context in contexts:
        context.close()


@pytest.fixture
def make_service(make_context, sandboxes) -> Iterator[Callable[..., SyncService]]:
    services: list[SyncService] = []

    def build(context: AppContext | None = None, **options: Any) -> SyncService:
        service = SyncService(context or make_context(), now=sandboxes.clock.now, **options)
        services.append(service)
        return service

    yield build
    for service in services:
        service.stop()


def ship(context: AppContext, *numbers: str) -> dict[str, tuple[str, ...]]:
    """Label and write back the shipments through the ship flow; shipment → its tracking numbers."""
    flow = ShipFlow(context)
    flow.pull()
    shipped = {}
    for nbr in numbers:
        outcome = flow.ship(nbr, print_labels=False)
        assert outcome.ok, outcome.message
        shipped[nbr] = outcome.tracking_numbers
    return shipped


def acumatica_record(sandboxes: Sandboxes, entity: str, *keys: str) -> dict[str, Any]:
    """The record as stored in the Acumatica sandbox (what a user would see there)."""
    with sandboxes.acumatica.lock:
        if entity == "Shipment":
            return dict(sandboxes.acumatica.documents.shipment(keys[0]))
        return dict(sandboxes.acumatica.documents.sales_order(*keys))


def acumatica_puts(sandboxes: Sandboxes) -> int:
    requests = sandboxes.acumatica.stats_payload()["requests"]
    return sum(n for route, n in requests.items() if route.startswith("PUT "))


def track_requests(sandboxes: Sandboxes) -> int:
    return int(sandboxes.ups.stats_payload()["track_requests"])


def read_shipment(sandboxes: Sandboxes, nbr: str):
    with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        return acu.get_shipment(nbr)


def point_callback(sandboxes: Sandboxes, **destination: str) -> None:
    """Register the Track Alert callback with the UPS sandbox (as a site does in UPS's portal)."""
    answer = requests.post(f"{sandboxes.ups_url}/_sandbox/callback", json=destination, timeout=5)
    answer.raise_for_status()
