"""The UPS client against the local UPS sandbox: real HTTP on 127.0.0.1, real spec checks on each body."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import requests

from shipdesk.errors import AuthenticationFailed, OutcomeUnknown
from shipdesk.net.retry import no_wait_policy
from shipdesk.net.transport import Timeouts, Transport
from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.ups.app import UpsSandbox
from shipdesk.ups.client import UpsClient
from shipdesk.ups.models import PackageSpec, UpsAddress
from shipdesk.ups.token_store import MemoryTokenStore
from shipdesk.ups.tracking_number import is_valid_1z

from .fakes import shipment


@pytest.fixture
def sandbox() -> Iterator[UpsSandbox]:
    server = UpsSandbox(SimClock()).start()
    try:
        yield server
    finally:
        server.stop()


def connect(sandbox: UpsSandbox, *, secret: str = "demo", store: MemoryTokenStore | None = None) -> UpsClient:
    transport = Transport("UPS", policy=no_wait_policy(), sleep=lambda _s: None, timeouts=Timeouts(5, 5))
    return UpsClient(
        base_url=sandbox.url,
        client_id="demo",
        client_secret=secret,
        account_number="A1B2C3",
        token_store=store or MemoryTokenStore(),
        transport=transport,
    )


def stats(sandbox: UpsSandbox) -> dict[str, Any]:
    return dict(requests.get(f"{sandbox.url}/_sandbox/stats", timeout=5).json())


def fault(sandbox: UpsSandbox, **spec: Any) -> None:
    requests.post(f"{sandbox.url}/_sandbox/faults", json=spec, timeout=5).raise_for_status()


def test_label_life_cycle_with_one_token(sandbox: UpsSandbox) -> None:
    client = connect(sandbox)
    spec = shipment(
        packages=(PackageSpec(weight=Decimal("12.5")), PackageSpec(weight=Decimal("3"))), label_format="ZPL"
    )
    result = client.ship(spec, trans_id="job-1")
    assert len(result.tracking_numbers) == 2
    assert all(is_valid_1z(n) for n in result.tracking_numbers)
    assert all(p.label is not None and p.label.data for p in result.packages)

    tracked = client.track(result.tracking_numbers[0])
    assert tracked.found and tracked.tracking_number == result.tracking_numbers[0]

    [label] = client.recover_label(result.tracking_numbers[0], "ZPL")
    assert label.data

    assert client.void(result.shipment_id).voided
    counters = stats(sandbox)
    assert counters["tokens_granted"] == 1 and counters["voided"] >= 1


def test_several_packages_of_a_shipment_are_voided_and_the_rest_stay(sandbox: UpsSandbox) -> None:
    """The client sends ``trackingnumber=["1Z…","1Z…"]`` (Shipping.yaml, UPS-API issue 108); UPS reads that form
    and answers with the CIE's singular ``PackageLevelResult`` (issue 12.6)."""
    client = connect(sandbox)
    packages = tuple(PackageSpec(weight=Decimal(w)) for w in ("12.5", "3", "7"))
    result = client.ship(shipment(packages=packages), trans_id="job-3")
    first, second, third = result.tracking_numbers

    voided = client.void(result.shipment_id, [first, third])

    assert voided.voided and dict(voided.packages) == {first: True, third: True}
    assert stats(sandbox)["voided"] == 2
    assert client.track(second).status_type != "MV" and client.track(first).status_type == "MV"
    [one] = client.void(result.shipment_id, [second]).packages  # one package: the answer's one object
    assert one == (second, True)


def test_rate_validate_and_subscribe(sandbox: UpsSandbox) -> None:
    client = connect(sandbox)
    assert client.rate(shipment())[0].total.amount > 0
    assert len(client.rate(shipment(), shop=True)) > 1
    checked = client.validate_address(UpsAddress(("2500 Broadway",), "New York", "NY", "10025", "US"))
    assert checked.status in ("valid", "ambiguous", "no_candidates")
    number = client.ship(shipment(), trans_id="job-2").tracking_numbers[0]
    subscribed = client.subscribe([number])
    assert subscribed.valid == (number,)


def test_quotes_carry_transit_days_for_every_service_and_the_taxed_total(sandbox: UpsSandbox) -> None:
    """The sandbox answers as UPS does (issue 19.4): Ground has no GuaranteedDelivery, its days come only in
    TimeInTransit; taxes only for a request that asks, on a taxed lane (from Canada)."""
    client = connect(sandbox)
    quotes = {q.service_code: q for q in client.rate(shipment(), shop=True)}
    assert (quotes["03"].business_days, quotes["03"].guaranteed) == (4, False)
    assert (quotes["01"].business_days, quotes["01"].guaranteed) == (1, True)
    assert all(q.total == q.total_before_taxes for q in quotes.values())  # no taxes in the US
    canada = UpsAddress(("1 Canada Pl",), "Vancouver", "BC", "V6B1A1", "CA")
    toronto = UpsAddress(("200 Bay St",), "Toronto", "ON", "M5J2J2", "CA")
    base = shipment()
    spec = shipment(shipper=replace(base.shipper, address=canada), ship_to=replace(base.ship_to, address=toronto),
                    references=(), negotiated_rates=False)
    [standard] = [q for q in client.rate(spec, shop=True) if q.service_code == "11"]
    assert standard.total_before_taxes is not None and standard.total.currency == "CAD"
    assert abs(standard.total.amount - standard.total_before_taxes.amount * Decimal("1.05")) <= Decimal("0.01")
    assert standard.business_days == 5 and not standard.guaranteed


def test_unknown_tracking_number_is_not_found(sandbox: UpsSandbox) -> None:
    assert not connect(sandbox).track("1Z999AA10123456784").found


def test_rate_limited_ship_is_retried_without_duplicates(sandbox: UpsSandbox) -> None:
    fault(sandbox, route="/api/shipments", status=429, count=2)
    result = connect(sandbox).ship(shipment(), trans_id="job-3")
    assert len(result.tracking_numbers) == 1
    assert stats(sandbox)["labels_created"] == 1


def test_lost_ship_answer_is_outcome_unknown(sandbox: UpsSandbox) -> None:
    fault(sandbox, route="/api/shipments", drop_after_handling=True, count=1)
    with pytest.raises(OutcomeUnknown):
        connect(sandbox).ship(shipment(), trans_id="job-4")
    assert stats(sandbox)["labels_created"] == 1  # created once, never sent again


def test_token_reused_across_clients_until_it_nears_its_end(sandbox: UpsSandbox) -> None:
    store = MemoryTokenStore()
    connect(sandbox, store=store).ping()
    assert not connect(sandbox, store=store).ping().granted_now
    assert stats(sandbox)["tokens_granted"] == 1
    assert (
        timedelta(hours=3)
        < connect(sandbox, store=store).ping().expires_at - datetime.now(UTC)
        < timedelta(hours=5)
    )


def test_wrong_secret_is_authentication_failed(sandbox: UpsSandbox) -> None:
    with pytest.raises(AuthenticationFailed, match="client id and secret"):
        connect(sandbox, secret="wrong").ping()
