"""The foundation issue's scripted session, on the raw wire (``requests`` only, no shipdesk clients).

What a script written from the vendors' documentation does against ``start_sandboxes()``: Acumatica
login and the ready shipments ($filter/$expand); a UPS token and one label per package of a
two-package shipment (request and answer checked against the UPS spec); the write-back (tracking
numbers by package row id, each label attached as ``Label #<tracking>.gif``), read back, logout with
no API session left open; then tracking through delivery on the shared simulated clock (signer and
signature). Plus ``shipdesk sandbox`` as a real process."""

from __future__ import annotations

import base64
import queue
import re
import subprocess
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import requests

from shipdesk.specs import (
    validate_acumatica_request,
    validate_acumatica_response,
    validate_ups_request,
    validate_ups_response,
)

from .conftest import PYTHON, server_root, stats, subprocess_env

VERSION = "24.200.001"
SHIP_PATH = "/api/shipments/v2409/ship"
UPS_SERVICES = {"UPSGROUND": "03", "UPS2DAY": "02", "UPSNEXTDAY": "01"}
EXPAND = "Packages,Orders,ShippingSettings,ShippingSettings/ShipToAddress,ShippingSettings/ShipToContact"
GIF_MAGIC = b"GIF8"
TIMEOUT = 10


def value(record: dict[str, Any], *path: str) -> Any:
    """A field's unwrapped value: ``value(r, "ShippingSettings", "ShipToAddress", "City")``."""
    node: Any = record
    for name in path:
        node = (node or {}).get(name)
    return node.get("value") if isinstance(node, dict) else None


def ups_token(ups_url: str) -> str:
    answer = requests.post(f"{ups_url}/security/v1/oauth/token", auth=("demo", "demo"),
                           data={"grant_type": "client_credentials"}, headers={"x-merchant-id": "A1B2C3"},
                           timeout=TIMEOUT)
    validate_ups_response("post", "/security/v1/oauth/token", answer.status_code, answer.json())
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def ship_request(shipment: dict[str, Any]) -> dict[str, Any]:
    """UPS ShipmentRequest for an Acumatica shipment (US→US: references at package level)."""
    to = ("ShippingSettings", "ShipToAddress")
    contact = ("ShippingSettings", "ShipToContact")
    ship_to_address: dict[str, Any] = {
        "AddressLine": [line for line in (value(shipment, *to, "AddressLine1"), value(shipment, *to, "AddressLine2"))
                        if line],
        "City": value(shipment, *to, "City"), "StateProvinceCode": value(shipment, *to, "State"),
        "PostalCode": value(shipment, *to, "PostalCode"), "CountryCode": value(shipment, *to, "Country"),
    }
    if value(shipment, "ResidentialDelivery"):
        ship_to_address["ResidentialAddressIndicator"] = ""
    shipper_address = {"AddressLine": ["100 Main St"], "City": "Atlanta", "StateProvinceCode": "GA",
                       "PostalCode": "30301", "CountryCode": "US"}
    order = value(shipment["Orders"][0], "OrderNbr")
    references = [{"Code": "IK", "Value": value(shipment, "ShipmentNbr")}, {"Code": "PO", "Value": order}]
    packages = [{"Packaging": {"Code": "02"},
                 "PackageWeight": {"UnitOfMeasurement": {"Code": "LBS"}, "Weight": str(value(row, "Weight"))},
                 "ReferenceNumber": references}
                for row in shipment["Packages"]]
    return {"ShipmentRequest": {
        "Request": {"RequestOption": "nonvalidate",
                    "TransactionReference": {"CustomerContext": value(shipment, "ShipmentNbr")}},
        "Shipment": {
            "Description": "Warehouse order",
            "Shipper": {"Name": "ACME Industrial Supply", "ShipperNumber": "A1B2C3",
                        "Phone": {"Number": "4045550100"}, "Address": shipper_address},
            "ShipFrom": {"Name": "ACME Industrial Supply", "Address": shipper_address},
            "ShipTo": {"Name": value(shipment, *contact, "BusinessName")[:35],
                       "AttentionName": value(shipment, *contact, "Attention")[:35],
                       "Phone": {"Number": value(shipment, *contact, "Phone1")},
                       "Address": ship_to_address},
            "PaymentInformation": {"ShipmentCharge": [{"Type": "01", "BillShipper": {"AccountNumber": "A1B2C3"}}]},
            "Service": {"Code": UPS_SERVICES[value(shipment, "ShipVia")]},
            "ShipmentRatingOptions": {"NegotiatedRatesIndicator": ""},
            "Package": packages,
        },
        "LabelSpecification": {"LabelImageFormat": {"Code": "GIF"}, "LabelStockSize": {"Height": "6", "Width": "4"}},
    }}


def pick_two_package_shipment(shipments: list[dict[str, Any]]) -> dict[str, Any]:
    """A ready US shipment with exactly two weighed packages, none tracked yet, on a Ship Via mapped to UPS."""
    for shipment in shipments:
        rows = shipment.get("Packages") or []
        if (len(rows) == 2 and not any(value(row, "TrackingNbr") for row in rows)
                and all((value(row, "Weight") or 0) > 0 for row in rows)
                and value(shipment, "ShippingSettings", "ShipToAddress", "Country") == "US"
                and value(shipment, "ShipVia") in UPS_SERVICES):
            return shipment
    raise AssertionError("the seeded day has no ready two-package US shipment")


def test_scripted_session_labels_tracks_and_writes_back(sandboxes):
    ups_url, tenant = sandboxes.ups_url, sandboxes.acumatica_url
    base = f"{tenant}/entity/Default/{VERSION}"

    # Acumatica: sign in and read the ready shipments with everything a label needs
    acu = requests.Session()
    login = acu.post(f"{tenant}/entity/auth/login", json={"name": "admin", "password": "demo", "tenant": "Demo"},
                     timeout=TIMEOUT)
    assert login.status_code == 204, login.text
    listing = acu.get(f"{base}/Shipment", params={"$filter": "Status eq 'Open'", "$expand": EXPAND},
                      timeout=TIMEOUT)
    assert listing.status_code == 200, listing.text
    validate_acumatica_response(VERSION, "get", "/Shipment", 200, listing.json())
    assert {value(s, "Status") for s in listing.json()} == {"Open"}
    shipment = pick_two_package_shipment(listing.json())
    nbr = value(shipment, "ShipmentNbr")

    # UPS: one token, one Ship call for both packages, checked against the spec both ways
    ups = requests.Session()
    ups.headers.update({"Authorization": f"Bearer {ups_token(ups_url)}", "transId": f"e2e{nbr}",
                        "transactionSrc": "shipdesk-e2e"})
    body = ship_request(shipment)
    validate_ups_request("post", SHIP_PATH, body)
    shipped = ups.post(f"{ups_url}{SHIP_PATH}", json=body, timeout=TIMEOUT)
    validate_ups_response("post", SHIP_PATH, shipped.status_code, shipped.json())
    assert shipped.status_code == 200, shipped.text
    results = shipped.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"]
    numbers = [r["TrackingNumber"] for r in results]
    labels = {r["TrackingNumber"]: base64.b64decode(r["ShippingLabel"]["GraphicImage"]) for r in results}
    assert len(set(numbers)) == 2 and all(n.startswith("1ZA1B2C3") and len(n) == 18 for n in numbers)
    assert all(image.startswith(GIF_MAGIC) for image in labels.values())

    # Write back: tracking numbers onto the package rows by row id, read back in the answer
    rows = shipment["Packages"]
    put = {"id": shipment["id"], "Packages": [{"id": row["id"], "TrackingNbr": {"value": number}}
                                              for row, number in zip(rows, numbers, strict=True)]}
    validate_acumatica_request(VERSION, "put", "/Shipment", put)
    saved = acu.put(f"{base}/Shipment", params={"$expand": "Packages"}, json=put, timeout=TIMEOUT)
    assert saved.status_code == 200, saved.text
    validate_acumatica_response(VERSION, "put", "/Shipment", 200, saved.json())
    assert [value(row, "TrackingNbr") for row in saved.json()["Packages"]] == numbers

    # Attach each label through the record's files:put link ('#' must be percent-encoded)
    files_put = saved.json()["_links"]["files:put"]
    for number in numbers:
        target = server_root(tenant) + files_put.replace("{filename}", quote(f"Label #{number}.gif", safe=""))
        attached = acu.put(target, data=labels[number], headers={"Content-Type": "application/octet-stream"},
                           timeout=TIMEOUT)
        assert attached.status_code == 204, attached.text

    # Read back what a user sees in Acumatica, fetch one file, sign out
    again = acu.get(f"{base}/Shipment/{quote(nbr, safe='')}", params={"$expand": "Packages"}, timeout=TIMEOUT)
    assert again.status_code == 200, again.text
    record = again.json()
    assert sorted(value(row, "TrackingNbr") for row in record["Packages"]) == sorted(numbers)
    filenames = {f["filename"]: f["href"] for f in record["files"]}
    assert {name.rsplit("\\", 1)[-1] for name in filenames} == {f"Label #{n}.gif" for n in numbers}
    first_href = next(href for name, href in filenames.items() if numbers[0] in name)
    assert acu.get(server_root(tenant) + first_href, timeout=TIMEOUT).content == labels[numbers[0]]
    assert acu.post(f"{tenant}/entity/auth/logout", timeout=TIMEOUT).status_code == 204
    acumatica = stats(tenant)  # read before the clock moves: idle sessions would time out by themselves
    assert acumatica["sessions_open"] == 0 and acumatica["logins"] == acumatica["logouts"] == 1
    assert acumatica["login_limit_hits"] == 0

    # Track both packages through delivery on the shared clock
    for number in numbers:
        assert track(ups, ups_url, number)["currentStatus"]["type"] == "M"
    clock = requests.post(f"{ups_url}/_sandbox/clock", json={"advance_hours": 40}, timeout=TIMEOUT)
    assert clock.status_code == 200
    # 40 simulated hours outlive the token (UPS grants them for about 4 hours): ask for a new one
    expired = ups.get(f"{ups_url}/api/track/v1/details/{numbers[0]}", params={"locale": "en_US"}, timeout=TIMEOUT)
    assert expired.status_code == 401
    ups.headers["Authorization"] = f"Bearer {ups_token(ups_url)}"
    attention = value(shipment, "ShippingSettings", "ShipToContact", "Attention")
    for number in numbers:
        package = track(ups, ups_url, number)
        assert package["currentStatus"]["type"] == "D"
        assert [d["type"] for d in package["deliveryDate"]] == ["DEL"]
        delivered = package["deliveryInformation"]
        assert delivered["receivedBy"] == attention.split()[-1].upper()
        assert base64.b64decode(delivered["signature"]["image"]).startswith(GIF_MAGIC)

    ups_stats = stats(ups_url)
    assert ups_stats["tokens_granted"] == 2 and ups_stats["labels_created"] == 2


def track(session: requests.Session, ups_url: str, number: str) -> dict[str, Any]:
    path = f"/api/track/v1/details/{number}"
    answer = session.get(f"{ups_url}{path}", params={"locale": "en_US", "returnSignature": "true",
                                                     "returnMilestones": "false", "returnPOD": "false"},
                         timeout=TIMEOUT)
    validate_ups_response("get", path, answer.status_code, answer.json())
    assert answer.status_code == 200, answer.text
    package: dict[str, Any] = answer.json()["trackResponse"]["shipment"][0]["package"][0]
    assert package["trackingNumber"] == number
    return package


# -- `shipdesk sandbox` as a process ----------------------------------------------------------------
URL = re.compile(r"(Acumatica|UPS) sandbox:\s+(http://127\.0\.0\.1:\d+\S*)")
STARTUP_TIMEOUT = 20.0


@pytest.fixture
def sandbox_process() -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [PYTHON, "-m", "shipdesk", "sandbox", "--acumatica-port", "0", "--ups-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=subprocess_env())
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        assert process.stdout is not None
        process.stdout.close()


def announced_urls(process: subprocess.Popen[str], timeout: float) -> dict[str, str]:
    """The URLs the process prints on start, read line by line until both are seen or time runs out."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)  # end of output: the process stopped

    threading.Thread(target=pump, daemon=True).start()
    found: dict[str, str] = {}
    while len(found) < 2:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"`shipdesk sandbox` printed no URLs within {timeout:.0f} s") from None
        if line is None:
            raise AssertionError(f"`shipdesk sandbox` stopped (exit {process.wait()}) before printing its URLs")
        match = URL.search(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


def test_shipdesk_sandbox_command_prints_both_urls_and_serves_stats(sandbox_process):
    urls = announced_urls(sandbox_process, STARTUP_TIMEOUT)

    assert urls["Acumatica"].endswith("/AcumaticaERP")
    acumatica, ups = stats(urls["Acumatica"]), stats(urls["UPS"])
    assert acumatica["sessions_open"] == 0 and "logins" in acumatica
    assert ups["tokens_granted"] == 0 and ups["labels_created"] == 0
    login = requests.post(f"{urls['Acumatica']}/entity/auth/login",
                          json={"name": "admin", "password": "demo", "tenant": "Demo"}, timeout=TIMEOUT)
    assert login.status_code == 204
    assert stats(urls["Acumatica"])["sessions_open"] == 1

    sandbox_process.terminate()  # SIGTERM: the command stops its servers and exits cleanly
    assert sandbox_process.wait(timeout=10) == 0
