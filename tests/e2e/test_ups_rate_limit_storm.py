"""Issue: "Against the sandbox with 30% of requests answered 429: 200 labels are created with no
duplicates and exactly one token grant; the test asserts both from the sandbox's stats".

``UpsClient`` with the real ``Transport`` (only the waits shrunk to milliseconds), eight threads
sharing one client, as the desktop app's batch workers do.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from shipdesk.net.retry import RetryPolicy
from shipdesk.net.transport import Transport
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import PackageSpec, Party, Reference, ShipmentSpec, UpsAddress

from .conftest import stats

LABELS = 200
THREADS = 8
SHIP_ROUTE = "POST /api/shipments/{version}/ship"

#: the backoff of production, scaled down so a storm of ~90 retries takes milliseconds, not minutes
FAST_STORM_POLICY = RetryPolicy(base_seconds=0.001, max_wait_seconds=0.01, budget_seconds=30.0, max_attempts=40)

SHIPPER = Party(name="ACME Industrial Supply", phone="4045550100",
                address=UpsAddress(("100 Main St",), "Atlanta", "GA", "30301", "US"))
SHIP_TO = Party(name="Empire Supplies Inc", attention="Receiving", phone="2125550199",
                address=UpsAddress(("350 5th Ave",), "New York", "NY", "10118", "US"))


def one_package_spec(index: int) -> ShipmentSpec:
    return ShipmentSpec(shipper=SHIPPER, shipper_number="A1B2C3", ship_to=SHIP_TO, service_code="03",
                        packages=(PackageSpec(weight=Decimal("5")),),
                        references=(Reference(f"STORM{index:04d}", "IK"),), label_format="ZPL")


@pytest.fixture
def storm_client(sandboxes):
    client = UpsClient(base_url=sandboxes.ups_url, client_id="demo", client_secret="demo", account_number="A1B2C3",
                       transport=Transport("UPS", policy=FAST_STORM_POLICY))
    yield client
    client.close()


@pytest.mark.parametrize("route", ["/api/shipments", "*"], ids=["ship-calls", "every-call-incl-token"])
def test_200_labels_through_a_429_storm_no_duplicates_one_token(sandboxes, storm_client, route):
    sandboxes.ups.add_fault(route=route, status=429, rate=0.3)

    def ship(index: int) -> str:
        result = storm_client.ship(one_package_spec(index), trans_id=f"storm-{index}")
        return result.tracking_numbers[0]

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        numbers = list(pool.map(ship, range(LABELS)))

    ups = stats(sandboxes.ups_url)
    assert ups["labels_created"] == LABELS
    assert len(set(numbers)) == LABELS
    assert ups["tokens_granted"] == 1
    refused = ups["requests"][SHIP_ROUTE] - LABELS
    assert refused > LABELS * 0.2, f"only {refused} answers were 429: the storm did not happen"
