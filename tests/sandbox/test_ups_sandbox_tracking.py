"""UPS sandbox: Track (details, reference), Track Alert subscriptions and pushes."""

from __future__ import annotations

import base64
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from PIL import Image

from shipdesk.sandbox.clock import SimClock
from shipdesk.sandbox.ups import UpsSandbox
from shipdesk.specs import load_ups, validate, validate_ups_response

SHIP = "/api/shipments/v2409/ship"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
LONG_TOKEN_S = 90 * 24 * 3600


@pytest.fixture
def ups_sandbox() -> Iterator[UpsSandbox]:
    """These tests move the clock by days: tokens outlive them so only tracking changes."""
    sandbox = UpsSandbox(SimClock(), token_lifetime_s=LONG_TOKEN_S).start()
    try:
        yield sandbox
    finally:
        sandbox.stop()


def _ship(sandbox, session, body) -> dict[str, Any]:
    answer = session.post(f"{sandbox.url}{SHIP}", json=body, timeout=20)
    assert answer.status_code == 200, answer.text
    return answer.json()["ShipmentResponse"]["ShipmentResults"]


def _shipped_number(sandbox, session, body) -> str:
    return str(_ship(sandbox, session, body)["ShipmentIdentificationNumber"])


def _track(sandbox, session, number, **params) -> requests.Response:
    path = f"/api/track/v1/details/{number}"
    answer = session.get(f"{sandbox.url}{path}", params={"locale": "en_US", **params}, timeout=10)
    validate_ups_response("get", path, answer.status_code, answer.json())
    return answer


def _package(answer: requests.Response) -> dict[str, Any]:
    return answer.json()["trackResponse"]["shipment"][0]["package"][0]


def test_fresh_label_tracks_as_manifest_with_scheduled_date(ups_sandbox, ups_sandbox_session,
                                                            ups_sandbox_ship_request):
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    package = _package(_track(ups_sandbox, ups_sandbox_session, number))
    assert package["trackingNumber"] == number
    assert package["currentStatus"]["type"] == "M"
    assert [d["type"] for d in package["deliveryDate"]] == ["SDD"]
    assert {r["number"] for r in package["referenceNumber"]} == {"SH000123", "SO000456"}


def test_tracking_progresses_to_delivered_with_signer_and_signature(ups_sandbox, ups_sandbox_session,
                                                                    ups_sandbox_ship_request):
    number = _ship(ups_sandbox, ups_sandbox_session,
                   ups_sandbox_ship_request(attention="Maria Lopez"))["ShipmentIdentificationNumber"]
    ups_sandbox.clock.advance(hours=31)
    in_transit = _package(_track(ups_sandbox, ups_sandbox_session, number))
    assert in_transit["currentStatus"]["code"] == "OT" and in_transit["currentStatus"]["type"] == "I"
    ups_sandbox.clock.advance(hours=6)
    package = _package(_track(ups_sandbox, ups_sandbox_session, number, returnSignature="true"))
    activity = package["activity"]
    assert package["currentStatus"]["type"] == "D"
    assert activity[0]["status"]["type"] == "D" and activity[-1]["status"]["type"] == "M"  # newest first
    assert [a["date"] + a["time"] for a in activity] == sorted((a["date"] + a["time"] for a in activity),
                                                               reverse=True)
    assert len(activity[0]["date"]) == 8 and len(activity[0]["time"]) == 6
    assert activity[0]["gmtOffset"] == "-05:00"
    assert [d["type"] for d in package["deliveryDate"]] == ["DEL"]
    assert package["deliveryInformation"]["receivedBy"] == "LOPEZ"
    signature = base64.b64decode(package["deliveryInformation"]["signature"]["image"])
    assert Image.open(io.BytesIO(signature)).format == "GIF"


def test_signature_only_when_asked(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    ups_sandbox.clock.advance(hours=40)
    package = _package(_track(ups_sandbox, ups_sandbox_session, number))
    assert "signature" not in package["deliveryInformation"]


def test_exception_party_gets_an_x_scan_instead_of_delivery(ups_sandbox, ups_sandbox_session,
                                                            ups_sandbox_ship_request):
    number = _ship(ups_sandbox, ups_sandbox_session,
                   ups_sandbox_ship_request(attention="EXCEPTION Test"))["ShipmentIdentificationNumber"]
    ups_sandbox.clock.advance(hours=48)
    package = _package(_track(ups_sandbox, ups_sandbox_session, number))
    assert package["currentStatus"]["type"] == "X"
    assert "RETURNING TO SENDER" in package["currentStatus"]["description"]
    assert "deliveryInformation" not in package


def test_forced_exception(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    ups_sandbox.force_exception(number)
    ups_sandbox.clock.advance(hours=48)
    assert _package(_track(ups_sandbox, ups_sandbox_session, number))["currentStatus"]["type"] == "X"


def test_voided_package_tracks_as_mv(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    ups_sandbox_session.delete(f"{ups_sandbox.url}/api/shipments/v2409/void/cancel/{number}", timeout=10)
    ups_sandbox.clock.advance(hours=48)
    assert _package(_track(ups_sandbox, ups_sandbox_session, number))["currentStatus"]["type"] == "MV"


def test_multi_package_details_returns_the_package_asked_for(ups_sandbox, ups_sandbox_session,
                                                             ups_sandbox_ship_request):
    results = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=3))
    second = results["PackageResults"][1]["TrackingNumber"]
    package = _package(_track(ups_sandbox, ups_sandbox_session, second))
    assert package["trackingNumber"] == second and package["packageCount"] == 3


def test_unknown_number_is_404_as_the_spec_documents(ups_sandbox, ups_sandbox_session):
    answer = _track(ups_sandbox, ups_sandbox_session, "1ZA1B2C30399999990")
    assert answer.status_code == 404
    assert answer.json()["response"]["errors"][0]["code"] == "TW0001"


def test_unknown_number_can_answer_like_the_live_service(ups_sandbox, ups_sandbox_session):
    requests.post(f"{ups_sandbox.url}/_sandbox/options", json={"unknown_tracking": "warning"}, timeout=10)
    answer = _track(ups_sandbox, ups_sandbox_session, "1ZA1B2C30399999990")
    assert answer.status_code == 200
    assert answer.json()["trackResponse"]["shipment"][0]["warnings"][0]["code"] == "TW0001"


def test_track_requires_transaction_headers(ups_sandbox, ups_sandbox_token):
    answer = requests.get(f"{ups_sandbox.url}/api/track/v1/details/1ZA1B2C30399999990",
                          headers={"Authorization": f"Bearer {ups_sandbox_token}"}, timeout=10)
    assert answer.status_code == 400
    assert "transId" in answer.json()["response"]["errors"][0]["message"]


def test_reference_lookup_finds_the_shipment(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    results = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=2))
    _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(references=("SH000999",)))
    path = "/api/track/v1/reference/details/SO000456"
    answer = ups_sandbox_session.get(f"{ups_sandbox.url}{path}", params={"shipperNum": "A1B2C3"}, timeout=10)
    validate_ups_response("get", path, answer.status_code, answer.json())
    found = {p["trackingNumber"] for p in answer.json()["trackResponse"]["shipment"][0]["package"]}
    assert found == {p["TrackingNumber"] for p in results["PackageResults"]}
    assert ups_sandbox.stats_payload()["track_requests"] == 1


def test_reference_lookup_of_unknown_reference_is_404(ups_sandbox, ups_sandbox_session):
    path = "/api/track/v1/reference/details/NOPE"
    answer = ups_sandbox_session.get(f"{ups_sandbox.url}{path}", timeout=10)
    assert answer.status_code == 404
    validate_ups_response("get", path, 404, answer.json())


# -- Track Alert ------------------------------------------------------------------------------------
class _Listener:
    """A tiny local webhook receiver that records what UPS pushes and a token endpoint for v2."""

    def __init__(self, expected: int) -> None:
        self.events: list[tuple[dict[str, str], dict[str, Any]]] = []
        self.done = threading.Event()
        self.expected = expected
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path == "/token":
                    payload = json.dumps({"access_token": "listener-token"}).encode()
                else:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    listener.events.append((headers, json.loads(body)))
                    if len(listener.events) >= listener.expected:
                        listener.done.set()
                    payload = b"{}"
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    receiver = _Listener(expected=2)
    yield receiver
    receiver.close()


def _event_schema() -> dict[str, Any]:
    return {"$ref": "#/components/schemas/TrackingEventRequest"}


def _without_blanks(event: dict[str, Any]) -> dict[str, Any]:
    """UPS writes a blank field as "" where the schema wants it left out (spec_exceptions.RESPONSE_SHAPES)."""
    return {k: _without_blanks(v) if isinstance(v, dict) else v for k, v in event.items() if v != ""}


def test_v1_push_arrives_with_credential_header(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request,
                                                listener):
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    path = "/api/track/v1/subscription/standard/package"
    body = {"locale": "en_US", "countryCode": "US", "trackingNumberList": [number],
            "destination": {"url": f"{listener.url}/ups", "credentialType": "Bearer", "credential": "s3cret"}}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", json=body, timeout=10)
    validate_ups_response("post", path, answer.status_code, answer.json())
    assert answer.json()["validTrackingNumbers"] == [number]
    requests.post(f"{ups_sandbox.url}/_sandbox/clock", json={"advance_hours": 11}, timeout=10)
    assert listener.done.wait(10)
    headers, event = listener.events[0]
    assert headers["credential"] == "s3cret" and headers["user-agent"] == "UPSPubSubTrackingService"
    assert event["trackingNumber"] == number and event["activityStatus"]["code"] == "PU"
    spec = load_ups("UPSTrackAlert.yaml")
    for _headers, pushed in listener.events:
        validate(spec, _event_schema(), _without_blanks(pushed), "push")
    ups_sandbox.pump_events()  # waits for the background pump to finish its batch
    assert ups_sandbox.stats_payload()["pushes_sent"] >= 2


def test_v2_push_fetches_a_token_first(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request, listener):
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    requests.post(f"{ups_sandbox.url}/_sandbox/callback", json={
        "url": f"{listener.url}/ups", "mode": "v2", "token_url": f"{listener.url}/token",
        "client_id": "app-id", "client_secret": "app-secret"}, timeout=10)
    path = "/api/track/v2/subscription/standard/package"
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", timeout=10, json={
        "locale": "en_US", "countryCode": "US", "trackingNumberList": [number, "1ZA1B2C30399999990"]})
    validate_ups_response("post", path, answer.status_code, answer.json())
    assert answer.json() == {"validTrackingNumbers": [number],
                             "invalidTrackingNumbers": ["1ZA1B2C30399999990"]}
    ups_sandbox.clock.advance(hours=37)
    ups_sandbox.pump_events()
    assert listener.done.wait(10)
    headers, _event = listener.events[0]
    assert headers["authorization"] == "Bearer listener-token" and headers["x-api-key"] == "app-id"
    delivered = [e for _h, e in listener.events if e["activityStatus"]["type"] == "D"]
    assert delivered and delivered[0]["receivedBy"] == "DOE"


def test_pushes_are_shaped_like_ups_examples(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request,
                                             listener):
    """As UPS's delivery example (UPSTrackAlert.yaml '2') and issue 41's real push: local and GMT times,
    no gmtOffset, blanks as "", 6-digit times (tests/samples/ups_trackalert_push_in_transit_ups_staff_issue41.json,
    ups_trackalert_v2_push_delivery_spec_example.json)."""
    requests.post(f"{ups_sandbox.url}/_sandbox/callback",
                  json={"url": f"{listener.url}/ups", "credential": "x"}, timeout=10)
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    ups_sandbox_session.post(f"{ups_sandbox.url}/api/track/v2/subscription/standard/package", timeout=10,
                             json={"locale": "en_US", "trackingNumberList": [number]})
    ups_sandbox.clock.advance(hours=37)
    ups_sandbox.pump_events()
    assert listener.done.wait(10)
    sample = json.loads((SAMPLES / "ups_trackalert_push_in_transit_ups_staff_issue41.json").read_text())
    for _headers, event in listener.events:
        assert "gmtOffset" not in event
        assert set(sample) <= set(event)  # every field the real push has, blanks included
        assert all(len(event[k]) == 6 for k in ("localActivityTime", "gmtActivityTime"))
        validate(load_ups("UPSTrackAlert.yaml"), _event_schema(), _without_blanks(event), "push")
    in_transit = next(e for _h, e in listener.events if e["activityStatus"]["type"] == "I")
    assert in_transit["actualDeliveryDate"] == "" and in_transit["deliveryPhoto"] == ""
    delivered = next(e for _h, e in listener.events if e["activityStatus"]["type"] == "D")
    assert delivered["actualDeliveryTime"] == delivered["localActivityTime"]


def test_pushes_carry_an_offset_only_when_asked(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request,
                                                listener):
    answer = requests.post(f"{ups_sandbox.url}/_sandbox/options", json={"push_gmt_offset": True}, timeout=10)
    assert answer.json()["push_gmt_offset"] is True
    requests.post(f"{ups_sandbox.url}/_sandbox/callback",
                  json={"url": f"{listener.url}/ups", "credential": "x"}, timeout=10)
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    ups_sandbox_session.post(f"{ups_sandbox.url}/api/track/v2/subscription/standard/package", timeout=10,
                             json={"locale": "en_US", "trackingNumberList": [number]})
    ups_sandbox.clock.advance(hours=11)
    ups_sandbox.pump_events()
    assert listener.done.wait(10)
    assert {event["gmtOffset"] for _h, event in listener.events} == {"-05.00"}  # the spec's (-/+)HH.MM


@pytest.mark.parametrize(("choice", "fields"), [("offset", {"gmtDate", "gmtTime", "gmtOffset"}),
                                                ("no_offset", {"gmtDate", "gmtTime"}), ("none", set())])
def test_track_activities_carry_the_gmt_fields_chosen(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request,
                                                      choice, fields):
    """Default as UPS answers since 2024 (issue 187: gmtTime "15:44:34", gmtOffset "-07:00"); "none" as the
    answer of late 2023 (issue 38: date and time only)."""
    requests.post(f"{ups_sandbox.url}/_sandbox/options", json={"activity_gmt": choice}, timeout=10)
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    ups_sandbox.clock.advance(hours=5)
    activity = _package(_track(ups_sandbox, ups_sandbox_session, number))["activity"][0]
    assert {k for k in activity if k.startswith("gmt")} == fields
    if "gmtTime" in fields:
        assert activity["gmtTime"].count(":") == 2


def test_unknown_activity_gmt_choice_is_refused(ups_sandbox):
    answer = requests.post(f"{ups_sandbox.url}/_sandbox/options", json={"activity_gmt": "utc"}, timeout=10)
    assert answer.status_code == 400 and "activity_gmt" in answer.json()["message"]


def test_subscription_ends_after_14_days(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request,
                                         listener):
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    requests.post(f"{ups_sandbox.url}/_sandbox/callback",
                  json={"url": f"{listener.url}/ups", "credential": "x"}, timeout=10)
    ups_sandbox_session.post(f"{ups_sandbox.url}/api/track/v2/subscription/standard/package", timeout=10,
                             json={"locale": "en_US", "trackingNumberList": [number]})
    ups_sandbox.clock.advance(days=15)
    assert ups_sandbox.pump_events() == 0
    assert listener.events == []


def test_more_than_100_numbers_is_400(ups_sandbox, ups_sandbox_session):
    path = "/api/track/v2/subscription/standard/package"
    numbers = [f"1ZA1B2C303{n:08d}" for n in range(101)]
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", timeout=10,
                                      json={"locale": "en_US", "trackingNumberList": numbers})
    assert answer.status_code == 400
    validate_ups_response("post", path, 400, answer.json())


ACCOUNT_SUBSCRIPTION = json.loads((SAMPLES / "ups_trackalert_account_subscription_request_spec_example.json")
                                  .read_text(encoding="utf-8"))


def test_account_subscription_never_expires(ups_sandbox, ups_sandbox_session):
    path = "/api/track/v2/subscription/standard/account"
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", timeout=10,
                                      json={**ACCOUNT_SUBSCRIPTION, "shipperAccountNumber": "A1B2C3"})
    validate_ups_response("post", path, answer.status_code, answer.json())
    assert answer.json() == {"expiryDate": "9999-12-31"}


@pytest.mark.parametrize(("kind", "change", "code"), [
    ("standard", {"subscriptionId": None}, "VSS000"),  # "Required for non-XOLT clients": every REST client
    ("standard", {"clientSubscriptionId": None}, "VSS000"),
    ("standard", {"subAccountType": ["Inbound"]}, None),  # the schema's enum: Outbound only
    ("enhanced", {}, "VSS930"),  # "Currently available for package subscription request only"
])
def test_account_subscription_refusals(ups_sandbox, ups_sandbox_session, kind, change, code):
    path = f"/api/track/v2/subscription/{kind}/account"
    body = {key: value for key, value in {**ACCOUNT_SUBSCRIPTION, "shipperAccountNumber": "A1B2C3",
                                          **change}.items() if value is not None}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", timeout=10, json=body)
    assert answer.status_code == 400
    if code is not None:
        assert answer.json()["response"]["errors"][0]["code"] == code
    assert ups_sandbox.account_subscription_ids is None


def test_push_times_can_drop_the_leading_zero_like_the_live_feed(ups_sandbox, ups_sandbox_session,
                                                                 ups_sandbox_ship_request, listener):
    requests.post(f"{ups_sandbox.url}/_sandbox/options", json={"unpadded_push_times": True}, timeout=10)
    requests.post(f"{ups_sandbox.url}/_sandbox/callback",
                  json={"url": f"{listener.url}/ups", "credential": "x"}, timeout=10)
    number = _shipped_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    ups_sandbox_session.post(f"{ups_sandbox.url}/api/track/v2/subscription/standard/package", timeout=10,
                             json={"locale": "en_US", "trackingNumberList": [number]})
    ups_sandbox.clock.advance(hours=37)
    ups_sandbox.pump_events()
    assert listener.done.wait(10)
    times = [event["localActivityTime"] for _headers, event in listener.events]
    # The live feed drops one leading zero only: 5 digits before 10:00, 6 after. The pushed scans
    # (+4 h ... +36 h) are never more than 8 h apart, so one always falls before 10:00.
    assert all(len(t) == (5 if int(t) < 100000 else 6) for t in times)
    assert any(len(t) == 5 for t in times)
