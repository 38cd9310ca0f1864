"""A busy day made in one call: labelled UPS packages and Acumatica shipment copies (control API).

What they make must be what the services' own routes serve: packages that track along the timeline,
shipments and sales orders that read, filter and update like the seeded ones, quickly at 10,000.
"""

from __future__ import annotations

import pytest
import requests

from shipdesk.sandbox.acumatica.errors import AcumaticaFault
from shipdesk.sandbox.ups.tracking_numbers import is_valid_tracking_number

TRANS = {"transId": "bulk-seed-1", "transactionSrc": "shipdesk-tests"}


def test_packages_labelled_hours_ago_track_like_labels_ship_made(ups_sandbox, ups_sandbox_session):
    answer = requests.post(f"{ups_sandbox.url}/_sandbox/packages", json={"count": 3, "hours_ago": 5}, timeout=5)

    numbers = answer.json()["tracking_numbers"]
    assert answer.status_code == 200 and len(set(numbers)) == 3
    assert all(is_valid_tracking_number(n) for n in numbers)
    for number in numbers:
        tracked = ups_sandbox_session.get(f"{ups_sandbox.url}/api/track/v1/details/{number}", headers=TRANS,
                                          timeout=5)
        assert tracked.status_code == 200
        package = tracked.json()["trackResponse"]["shipment"][0]["package"][0]
        assert package["currentStatus"]["description"] == "Pickup Scan"  # picked up at +4 h, not departed yet


@pytest.mark.parametrize("body", [{"count": 0}, {"count": "many"}, {"service": "XX"}, {"colour": "red"}])
def test_a_bad_packages_request_is_400_and_makes_nothing(ups_sandbox, body):
    answer = requests.post(f"{ups_sandbox.url}/_sandbox/packages", json=body, timeout=5)

    assert answer.status_code == 400 and answer.json()["message"].startswith("bad control request")
    assert ups_sandbox.packages == {}


def test_shipment_copies_read_and_update_like_the_seeded_ones(acumatica_sandbox, acumatica_sandbox_session):
    base = f"{acumatica_sandbox.tenant_url}/entity/Default/24.200.001"
    made = requests.post(f"{acumatica_sandbox.url}/_sandbox/shipments",
                         json={"like": "SH000101", "count": 2, "prefix": "BX"}, timeout=5).json()["shipments"]
    assert made == ["BX000001", "BX000002"]
    again = requests.post(f"{acumatica_sandbox.url}/_sandbox/shipments",
                          json={"like": "SH000101", "count": 1, "prefix": "BX"}, timeout=5).json()["shipments"]
    assert again == ["BX000003"]  # numbered after the ones already made

    shipment = acumatica_sandbox_session.get(f"{base}/Shipment/BX000002", params={"$expand": "Packages,Orders"},
                                             timeout=5).json()
    seeded = acumatica_sandbox_session.get(f"{base}/Shipment/SH000101", params={"$expand": "Packages,Orders"},
                                           timeout=5).json()
    assert shipment["Status"]["value"] == "Open" and shipment["id"] != seeded["id"]
    assert shipment["Packages"][0]["TrackingNbr"].get("value") in (None, "")
    order_nbr = shipment["Orders"][0]["OrderNbr"]["value"]
    assert order_nbr == "BXO000002"
    order = acumatica_sandbox_session.get(f"{base}/SalesOrder/SO/{order_nbr}", params={"$expand": "Shipments"},
                                          timeout=5).json()
    assert [row["ShipmentNbr"]["value"] for row in order["Shipments"]] == ["BX000002"]  # its own order
    put = acumatica_sandbox_session.put(f"{base}/Shipment", json={"id": shipment["id"], "note": {"value": "hi"}},
                                        timeout=5)
    assert put.status_code == 200 and put.json()["note"]["value"] == "hi"


def test_copies_can_carry_tracking_numbers_and_a_status(acumatica_sandbox, acumatica_sandbox_session):
    base = f"{acumatica_sandbox.tenant_url}/entity/Default/24.200.001"
    requests.post(f"{acumatica_sandbox.url}/_sandbox/shipments", timeout=5, json={
        "like": "SH000101", "count": 2, "prefix": "BT", "status": "Confirmed",
        "tracking_numbers": ["1ZA1B2C30300000017", "1ZA1B2C30300000025"]})

    listed = acumatica_sandbox_session.get(f"{base}/Shipment", timeout=5, params={
        "$filter": "Status eq 'Confirmed'", "$expand": "Packages"}).json()

    assert {(s["ShipmentNbr"]["value"], s["Packages"][0]["TrackingNbr"]["value"]) for s in listed
            if s["ShipmentNbr"]["value"].startswith("BT")} == {
        ("BT000001", "1ZA1B2C30300000017"), ("BT000002", "1ZA1B2C30300000025")}


@pytest.mark.parametrize("body", [{"like": "SH999999"}, {"prefix": "no spaces"}, {"count": 0},
                                  {"tracking_numbers": ["1Z"], "count": 2}, {"status": "Shipped"},
                                  {"colour": "red"}])
def test_a_bad_shipments_request_is_400_and_copies_nothing(acumatica_sandbox, body):
    before = len(acumatica_sandbox.documents.shipments)

    answer = requests.post(f"{acumatica_sandbox.url}/_sandbox/shipments", json=body, timeout=5)

    assert answer.status_code == 400 and answer.json()["message"].startswith("bad control request")
    assert len(acumatica_sandbox.documents.shipments) == before


def test_lookups_by_key_follow_records_added_replaced_and_reloaded(acumatica_sandbox, acumatica_sandbox_session):
    """The sandbox finds records by key without reading every one (the sync benchmarks hold 10,000); a
    record a test appends, one a PUT replaced and a reset's fresh seed are all found."""
    documents = acumatica_sandbox.documents
    base = f"{acumatica_sandbox.tenant_url}/entity/Default/24.200.001"
    requests.post(f"{acumatica_sandbox.url}/_sandbox/shipments", json={"like": "SH000102", "count": 3,
                                                                       "prefix": "BL"}, timeout=5)
    first = documents.shipment("BL000001")
    acumatica_sandbox_session.put(f"{base}/Shipment", json={"id": first["id"], "note": {"value": "x"}}, timeout=5)
    assert documents.shipment("BL000001") is not first  # a PUT stores a new record object...
    assert documents.shipment(first["id"])["note"] == "x"  # ...found by its GUID too
    appended = dict(documents.shipment("BL000002"), ShipmentNbr="BL999999", id="0" * 8 + "-0000-0000-0000-" + "0" * 12)
    documents.shipments.append(appended)
    assert documents.shipment("BL999999") is appended
    order = documents.sales_order("SO", "BLO000002")
    assert [row["ShipmentNbr"] for row in documents.with_shipments(order)["Shipments"]] == ["BL000002", "BL999999"]

    acumatica_sandbox.reset()

    with pytest.raises(AcumaticaFault):
        documents.shipment("BL000001")
    assert documents.shipment("SH000101")["ShipmentNbr"] == "SH000101"
