"""Released in Acumatica → ready in the store within moments, through Acumatica's push notifications alone.

The sandbox sends pushes as Acumatica does (same body, same header, up to five attempts); the sync's polling
is off (one first cycle, then an hour's interval), so only the push path can make a shipment ready.
"""

from __future__ import annotations

import json
import logging
import time

import requests

from shipdesk.core.domain.states import State
from shipdesk.core.store import shipments
from tests.push.conftest import HEADER, SECRET, hold_copies, point_pushes, release, shipment_reads


def wait_for(condition, timeout: float) -> bool:
    """Poll the store (another thread writes it; no signal crosses into the test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def states(numbers):
    """Each shipment's local state (None: not pulled yet)."""
    return {nbr: record.state if (record := shipments.get_shipment(nbr)) else None for nbr in numbers}


def test_released_shipments_are_ready_through_the_push_alone(sandboxes, push_context, start_sync):
    numbers = hold_copies(sandboxes, "SH000101", 5, "PU")
    running = start_sync(push_context())
    point_pushes(sandboxes, running.push_url)
    reads_before = shipment_reads(sandboxes)

    release(sandboxes, numbers)

    # the 2-second target is the benchmark's (release_to_label: 0.23 s); a test on shared cores only waits
    assert wait_for(lambda: all(s == State.READY for s in states(numbers).values()), 10.0), states(numbers)
    assert shipment_reads(sandboxes) - reads_before == 1  # one request for all five
    push = sandboxes.acumatica.pushes.deliveries[-1]
    assert push.delivered and push.attempts == 1
    assert sorted(row["ShipmentNbr"] for row in push.body["Inserted"]) == numbers and push.body["Deleted"] == []


def test_a_replayed_push_pulls_nothing_again(sandboxes, push_context, start_sync):
    numbers = hold_copies(sandboxes, "SH000101", 2, "RP")
    running = start_sync(push_context())
    point_pushes(sandboxes, running.push_url)
    release(sandboxes, numbers)
    assert wait_for(lambda: all(s == State.READY for s in states(numbers).values()), 5.0)
    assert sandboxes.acumatica.pushes.wait_idle()
    body = sandboxes.acumatica.pushes.deliveries[-1].body
    reads = shipment_reads(sandboxes)

    again = requests.post(running.push_url, json=body, headers={HEADER: SECRET}, timeout=5)
    other_id = requests.post(running.push_url, json={**body, "Id": "9d1e0c55-0000-4000-8000-000000000001"},
                             headers={HEADER: SECRET}, timeout=5)

    assert again.status_code == other_id.status_code == 200
    assert again.json() == other_id.json() == {"status": "duplicate"}
    assert len(running.service.pushes) == 0
    assert shipment_reads(sandboxes) == reads


def test_a_forged_or_missing_secret_is_refused_and_logged_once(sandboxes, push_context, start_sync, caplog):
    running = start_sync(push_context())
    body = {"Inserted": [{"ShipmentNbr": "SH000113"}], "Deleted": [], "Query": "q", "CompanyId": "Demo",
            "Id": "x", "TimeStamp": 638_000_000_000_000_000, "AdditionalInfo": {}}
    reads = shipment_reads(sandboxes)
    caplog.set_level(logging.INFO, logger="shipdesk.core.acumatica_push")

    answers = [requests.post(running.push_url, json=body, headers=headers, timeout=5).status_code
               for headers in ({}, {HEADER: "guess"}, {HEADER: SECRET + "x"}, {"X-Other": SECRET}, {})]

    assert answers == [401] * 5
    refusals = [r for r in caplog.records if "refused" in r.getMessage() and r.levelno >= logging.WARNING]
    assert len(refusals) == 1 and SECRET not in caplog.text
    assert len(running.service.pushes) == 0 and shipment_reads(sandboxes) == reads


def test_acumatica_tries_five_times_when_the_listener_refuses(sandboxes, push_context, start_sync):
    numbers = hold_copies(sandboxes, "SH000101", 1, "FV")
    running = start_sync(push_context())
    point_pushes(sandboxes, running.push_url, value="not-the-secret")

    release(sandboxes, numbers)
    assert sandboxes.acumatica.pushes.wait_idle()

    delivery = sandboxes.acumatica.pushes.deliveries[-1]
    assert delivery.statuses == [401] * 5 and not delivery.delivered
    assert shipments.get_shipment(numbers[0]) is None  # nothing pulled: polling will find it later


def test_junk_bodies_are_refused_with_400(sandboxes, push_context, start_sync):
    running = start_sync(push_context())
    junk = [b"not json", b"[1, 2]", json.dumps({"Inserted": "SH1"}).encode(),
            json.dumps({"Inserted": [{"Other": 1}]}).encode(),
            json.dumps({"Deleted": [], "TimeStamp": "soon"}).encode(),
            b"[" * 100_000]
    answers = [requests.post(running.push_url, data=body, headers={HEADER: SECRET}, timeout=5).status_code
               for body in junk]
    huge = requests.post(running.push_url, data=b" " * (1024 * 1024 + 1), headers={HEADER: SECRET}, timeout=5)

    assert answers == [400] * len(junk)
    assert huge.status_code == 413
    assert len(running.service.pushes) == 0


def test_a_shipment_put_back_on_hold_leaves_ready(sandboxes, push_context, start_sync):
    numbers = hold_copies(sandboxes, "SH000101", 1, "HB")
    running = start_sync(push_context())
    point_pushes(sandboxes, running.push_url)
    release(sandboxes, numbers)
    assert wait_for(lambda: states(numbers)[numbers[0]] == State.READY, 5.0)

    answer = requests.put(f"{sandboxes.acumatica_url}/entity/Default/24.200.001/Shipment",
                          json={"ShipmentNbr": {"value": numbers[0]}, "Hold": {"value": True}},
                          auth=None, cookies=_signed_in(sandboxes), timeout=5)
    answer.raise_for_status()

    assert wait_for(lambda: shipments.state_of(numbers[0]) == State.NEEDS_ATTENTION, 5.0)
    push = sandboxes.acumatica.pushes.deliveries[-1]
    assert push.body["Inserted"] == [] and [r["ShipmentNbr"] for r in push.body["Deleted"]] == numbers
    assert "On Hold" in shipments.get_shipment(numbers[0]).attention_reason


def _signed_in(sandboxes) -> requests.cookies.RequestsCookieJar:
    answer = requests.post(f"{sandboxes.acumatica_url}/entity/auth/login",
                           json={"name": "admin", "password": "demo", "company": "Demo"}, timeout=5)
    answer.raise_for_status()
    return answer.cookies


def test_named_shipments_are_read_thirty_to_a_request_whatever_their_status(sandboxes):
    from shipdesk.acumatica.auth import CookieAuth
    from shipdesk.acumatica.client import AcumaticaClient

    numbers = hold_copies(sandboxes, "SH000101", 31, "NM")
    reads = shipment_reads(sandboxes)
    with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                         auth=CookieAuth("admin", "demo", "Demo")) as acu:
        found = acu.shipments_by_number([*numbers, "NOSUCH1", numbers[0]])
    assert sorted(s.shipment_nbr for s in found) == numbers
    assert {s.status for s in found} == {"On Hold"}
    assert shipment_reads(sandboxes) - reads == 2
