"""Fixtures shared by the sandbox tests (each sandbox's engineer adds fixtures named after it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from shipdesk.sandbox.acumatica.app import AcumaticaSandbox
from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.ups.app import UpsSandbox


@pytest.fixture
def acumatica_sandbox() -> Iterator[AcumaticaSandbox]:
    """A started Acumatica sandbox (seeded, two API seats) on a free port."""
    sandbox = AcumaticaSandbox(SimClock()).start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def acumatica_sandbox_session(acumatica_sandbox: AcumaticaSandbox) -> Iterator[requests.Session]:
    """A ``requests`` session logged in to ``acumatica_sandbox`` with the demo credentials."""
    session = requests.Session()
    answer = session.post(f"{acumatica_sandbox.tenant_url}/entity/auth/login",
                          json={"name": "admin", "password": "demo", "tenant": "Demo"}, timeout=5)
    assert answer.status_code == 204
    yield session
    session.post(f"{acumatica_sandbox.tenant_url}/entity/auth/logout", timeout=5)
    session.close()


# -- UPS sandbox fixtures ---------------------------------------------------------------------------


@pytest.fixture
def ups_sandbox() -> Iterator[UpsSandbox]:
    """A started UPS sandbox on a free port with its own simulated clock."""
    sandbox = UpsSandbox(SimClock()).start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


@pytest.fixture
def ups_sandbox_token(ups_sandbox: UpsSandbox) -> str:
    """A bearer token for the sandbox's demo client."""
    answer = requests.post(f"{ups_sandbox.url}/security/v1/oauth/token", auth=("demo", "demo"),
                           data={"grant_type": "client_credentials"}, headers={"x-merchant-id": "A1B2C3"},
                           timeout=10)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


@pytest.fixture
def ups_sandbox_session(ups_sandbox: UpsSandbox, ups_sandbox_token: str) -> Iterator[requests.Session]:
    """A requests session that sends the bearer token and UPS's transaction headers."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {ups_sandbox_token}", "transId": "test-trans-1",
                            "transactionSrc": "shipdesk-tests"})
    yield session
    session.close()


@pytest.fixture
def ups_sandbox_ship_request() -> Callable[..., dict[str, Any]]:
    """A factory for spec-valid ShipmentRequest bodies (US to US, package-level references)."""

    def build(*, packages: int = 1, service: str = "03", label_format: str = "GIF",
              ship_to_name: str = "Jane Doe", attention: str = "Jane Doe",
              address_line: str = "5 Elm Lane", city: str = "Springfield", state: str = "IL",
              postal_code: str = "62701", country: str = "US", residential: bool = True,
              references: tuple[str, ...] = ("SH000123", "SO000456"), negotiated: bool = True,
              account: str = "A1B2C3") -> dict[str, Any]:
        ship_to_address: dict[str, Any] = {"AddressLine": [address_line], "City": city,
                                           "StateProvinceCode": state, "PostalCode": postal_code,
                                           "CountryCode": country}
        if residential:
            ship_to_address["ResidentialAddressIndicator"] = ""
        shipper_address = {"AddressLine": ["100 Main St"], "City": "Atlanta", "StateProvinceCode": "GA",
                           "PostalCode": "30301", "CountryCode": "US"}
        payment = {"ShipmentCharge": [{"Type": "01", "BillShipper": {"AccountNumber": account}}]}
        dimensions = {"UnitOfMeasurement": {"Code": "IN"}, "Length": "10", "Width": "8", "Height": "6"}
        shipment: dict[str, Any] = {
            "Description": "Warehouse order",
            "Shipper": {"Name": "ACME Industrial Supply", "AttentionName": "Shipping Dept", "ShipperNumber": account,
                        "Phone": {"Number": "4045550100"}, "Address": shipper_address},
            "ShipFrom": {"Name": "ACME Industrial Supply", "Address": shipper_address},
            "ShipTo": {"Name": ship_to_name, "AttentionName": attention, "Phone": {"Number": "2175550100"},
                       "Address": ship_to_address},
            "PaymentInformation": payment,
            "Service": {"Code": service, "Description": "Service"},
            "Package": [
                {"Packaging": {"Code": "02"}, "Dimensions": dimensions,
                 "PackageWeight": {"UnitOfMeasurement": {"Code": "LBS"}, "Weight": str(5 + n)},
                 "ReferenceNumber": [{"Code": "PO", "Value": ref} for ref in references]}
                for n in range(packages)
            ],
        }
        if negotiated:
            shipment["ShipmentRatingOptions"] = {"NegotiatedRatesIndicator": ""}
        if country in ("CA", "PR"):  # UPS wants the goods' value from the US to these (ship_rules)
            shipment["InvoiceLineTotal"] = {"CurrencyCode": "USD", "MonetaryValue": "100"}
        return {"ShipmentRequest": {
            "Request": {"RequestOption": "nonvalidate", "TransactionReference": {"CustomerContext": "job-1"}},
            "Shipment": shipment,
            "LabelSpecification": {"LabelImageFormat": {"Code": label_format},
                                   "LabelStockSize": {"Height": "6", "Width": "4"}},
        }}

    return build


@pytest.fixture(scope="module")
def acumatica_sandbox_shared() -> Iterator[AcumaticaSandbox]:
    """One Acumatica sandbox for a whole test module (stopping a server takes half a second);
    tests that use it call ``reset()`` and ``clear_faults()`` first."""
    sandbox = AcumaticaSandbox(SimClock()).start()
    try:
        yield sandbox
    finally:
        sandbox.stop()
