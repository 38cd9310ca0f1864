"""What the seeded boxes hold, as the Acumatica sandbox serves it: shipment lines, priced order lines in the
order's currency, stock items with attributes and cross-references; every answer valid per the vendor spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.sandbox.acumatica.app import AcumaticaSandbox
from shipdesk.sandbox.seed import RMA_ORDER
from shipdesk.specs import validate_acumatica_response

VERSIONS = ("22.200.001", "23.200.001", "24.200.001")


@pytest.fixture
def sandbox(acumatica_sandbox: AcumaticaSandbox) -> AcumaticaSandbox:
    return acumatica_sandbox


@pytest.fixture
def session(sandbox: AcumaticaSandbox) -> Iterator[requests.Session]:
    with requests.Session() as logged_in:
        answer = logged_in.post(f"{sandbox.tenant_url}/entity/auth/login",
                                json={"name": "admin", "password": "demo", "tenant": "Demo"}, timeout=5)
        assert answer.status_code == 204
        yield logged_in
        logged_in.post(f"{sandbox.tenant_url}/entity/auth/logout", timeout=5)


def get(session: requests.Session, sandbox: AcumaticaSandbox, version: str, rel: str, **params: str) -> Any:
    answer = session.get(f"{sandbox.tenant_url}/entity/Default/{version}{rel}", params=params, timeout=5)
    validate_acumatica_response(version, "GET", rel, answer.status_code, answer.json())
    return answer.json()


@pytest.mark.parametrize("version", VERSIONS)
def test_shipment_lines_order_prices_and_stock_items_follow_the_spec(sandbox, session, version):
    shipment = get(session, sandbox, version, "/Shipment/SH000107", **{"$expand": "Details"})
    lines = [(row["InventoryID"]["value"], row["ShippedQty"]["value"], row["UOM"]["value"])
             for row in shipment["Details"]]
    assert lines == [("GAUGEDIG", 4, "EA"), ("TAPEPTFE", 50, "EA")]

    (order,) = get(session, sandbox, version, "/SalesOrder", **{"$filter": "OrderNbr eq 'SO005107'",
                                                                 "$expand": "Details"})
    assert order["CurrencyID"]["value"] == "EUR"
    assert [row["UnitPrice"]["value"] for row in order["Details"]] == [189.0, 2.1]

    items = get(session, sandbox, version, "/StockItem", **{"$filter": "InventoryID eq 'GAUGEDIG'",
                                                              "$expand": "Attributes,CrossReferences"})
    (item,) = items
    assert item["TariffCode"]["value"] == "902620" and item["CountryOfOrigin"]["value"] == "JP"
    assert {a["AttributeID"]["value"]: a["Value"]["value"] for a in item["Attributes"]} == {
        "HSCODE": "902620", "ORIGIN": "JP"}
    assert ("Global", "902620") in {(r["AlternateType"]["value"], r["AlternateID"]["value"])
                                    for r in item["CrossReferences"]}
    by_key = get(session, sandbox, version, "/StockItem/gaugedig")
    assert by_key["InventoryID"]["value"] == "GAUGEDIG" and "Attributes" not in by_key  # not expanded: not sent


def test_the_orders_currency_is_the_orders_not_the_destinations(sandbox):
    with AcumaticaClient(url=sandbox.tenant_url, version="24.200.001", auth=CookieAuth("admin", "demo", "Demo")) as acu:
        currencies = {nbr: acu.priced_order("SO", nbr).currency for nbr in ("SO005106", "SO005107", "SO005108",
                                                                             "SO005109", "SO005101")}
    assert currencies == {"SO005106": "CAD", "SO005107": "EUR", "SO005108": "GBP", "SO005109": "USD",
                          "SO005101": "USD"}


def test_an_unknown_stock_item_is_acumaticas_no_entity_answer(sandbox, session):
    answer = session.get(f"{sandbox.tenant_url}/entity/Default/24.200.001/StockItem/NOSUCHITEM", timeout=5)
    assert answer.status_code == 500 and "No entity satisfies the condition" in answer.text


def test_a_file_can_be_attached_to_the_rma_order(sandbox):
    with AcumaticaClient(url=sandbox.tenant_url, version="24.200.001", auth=CookieAuth("admin", "demo", "Demo")) as acu:
        acu.attach_file_to("SalesOrder", ["RM", RMA_ORDER], "Return label #1Z.gif", b"GIF89a")
    with sandbox.lock:
        files = sandbox.documents.sales_order("RM", RMA_ORDER)["files"]
    assert [f["filename"] for f in files] == [f"Sales Orders (RM, {RMA_ORDER})\\Return label #1Z.gif"]
