"""Sandboxes and a ship flow wired to them, fresh for each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.models import Shipment
from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import Config
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes
from tests.support.postgres import PASSWORD


@pytest.fixture
def config(sandboxes: Sandboxes) -> Config:
    return demo_config(sandboxes.acumatica_url, sandboxes.ups_url)


@pytest.fixture
def make_flow(tmp_path, config) -> Iterator[Callable[..., ShipFlow]]:
    """``make_flow(acumatica={...}, ups={...}, printing={...}, store_url=..., station=..., **flow_options)``: a
    ShipFlow on the sandboxes (``store_url``: on that shared store instead of a SQLite file)."""
    contexts: list[AppContext] = []

    def build(*, acumatica: dict[str, Any] | None = None, ups: dict[str, Any] | None = None,
              printing: dict[str, Any] | None = None, store_url: str = "", station: str = "",
              data: str = "data", claim: bool = True, **options: Any) -> ShipFlow:
        cfg = replace(config, acumatica=replace(config.acumatica, **(acumatica or {})),
                      ups=replace(config.ups, **(ups or {})),
                      printing=replace(config.printing, **(printing or {})),
                      store=replace(config.store, url=store_url), station=replace(config.station, name=station,
                                                                                      claim=claim))
        secrets = {**DEMO_SECRETS, "store.password": PASSWORD} if store_url else DEMO_SECRETS
        context = AppContext.from_config(cfg, data_dir=tmp_path / data, demo=True, secret_values=secrets,
                                         acumatica_poll_seconds=0.02)
        contexts.append(context)
        return ShipFlow(context, **options)

    yield build
    for context in contexts:
        context.close()


@pytest.fixture
def flow(make_flow) -> ShipFlow:
    return make_flow()


@pytest.fixture
def read_acumatica(sandboxes: Sandboxes) -> Callable[[str], Shipment]:
    """Read a shipment straight from the Acumatica sandbox (what a user would see in Acumatica)."""
    def read(nbr: str) -> Shipment:
        with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                             auth=CookieAuth("admin", "demo", "Demo")) as acu:
            return acu.get_shipment(nbr)
    return read


def ship_requests(sandboxes: Sandboxes) -> int:
    return int(sandboxes.ups.stats_payload()["requests"].get("POST /api/shipments/{version}/ship", 0))
