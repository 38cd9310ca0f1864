"""Every UPS route the client calls, its headers and bodies, and how each failure reaches the user."""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from shipdesk.errors import ApiRefused, OutcomeUnknown, RateLimited, ServerError
from shipdesk.specs import validate_ups_request
from shipdesk.ups.client import UpsClient
from shipdesk.ups.errors import ProductNotEnabled
from shipdesk.ups.models import UpsAddress
from shipdesk.ups.token_store import CachedToken, MemoryTokenStore

from .fakes import (
    BASE,
    SHIP_URL,
    TOKEN_URL,
    assert_valid_request,
    b64,
    calls_to,
    ship_answer,
    shipment,
    token_body,
)

NUMBER = "1Z999AA10123456784"
TRACK_URL = f"{BASE}/api/track/v1/details/{NUMBER}"
ALERT_URL = f"{BASE}/api/track/v2/subscription/standard/package"


def ups_error(code: str, message: str) -> dict[str, Any]:
    return {"response": {"errors": [{"code": code, "message": message}]}}


def sent_json(call: Any) -> Any:
    return json.loads(call.request.body)


def query(call: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(call.request.url).query)


# -- ship ---------------------------------------------------------------------------------------
def test_ship_sends_a_valid_body_with_trans_id_and_returns_labels(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    mocked.add(responses.POST, SHIP_URL, json=ship_answer())
    result = client.ship(shipment(), trans_id="6f1c2a9e-0b7d-4c55-9a51-3d1e2f4a5b6c")
    assert result.tracking_numbers == (NUMBER,)
    assert result.packages[0].label is not None and result.packages[0].label.data.startswith(b"GIF89a")
    [call] = calls_to(mocked, SHIP_URL)
    assert call.request.headers["transId"] == "6f1c2a9e0b7d4c559a513d1e2f4a5b6c"  # UPS takes 32 characters
    assert call.request.headers["transactionSrc"] == "shipdesk"
    assert call.request.headers["Authorization"] == "Bearer tok-1"
    validate_ups_request("POST", "/api/shipments/v2409/ship", sent_json(call))


def test_ship_is_never_retried_after_a_read_timeout(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    mocked.add(responses.POST, SHIP_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    mocked.add(responses.POST, SHIP_URL, json=ship_answer())
    with pytest.raises(OutcomeUnknown, match="may or may not"):
        client.ship(shipment(), trans_id="job-1")
    assert len(calls_to(mocked, SHIP_URL)) == 1


@pytest.mark.parametrize("status", [502, 504])
def test_ship_gateway_failure_is_outcome_unknown_not_retried(
    client: UpsClient, mocked: responses.RequestsMock, status: int
) -> None:
    mocked.add(responses.POST, SHIP_URL, body="Bad gateway", status=status)
    with pytest.raises(OutcomeUnknown):
        client.ship(shipment(), trans_id="job-1")
    assert len(calls_to(mocked, SHIP_URL)) == 1


def test_ship_429_proves_nothing_was_created_so_it_is_retried(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    mocked.add(responses.POST, SHIP_URL, json={}, status=429)
    mocked.add(responses.POST, SHIP_URL, json=ship_answer())
    assert client.ship(shipment(), trans_id="job-1").tracking_numbers == (NUMBER,)
    assert len(calls_to(mocked, SHIP_URL)) == 2


def test_ship_refusal_shows_ups_code_and_message_and_is_not_retried(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    mocked.add(
        responses.POST,
        SHIP_URL,
        status=400,
        json=ups_error("120541", "Shipment level reference number is not allowed"),
    )
    with pytest.raises(ApiRefused) as caught:
        client.ship(shipment(), trans_id="job-1")
    assert caught.value.code == "120541" and caught.value.status == 400
    assert "Shipment level reference number is not allowed (UPS error 120541)" in str(caught.value)
    assert "could not create the label" in str(caught.value)
    assert len(calls_to(mocked, SHIP_URL)) == 1


# -- authentication -----------------------------------------------------------------------------
def test_401_refreshes_the_token_once_then_succeeds(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    from .fakes import make_client

    # a token from an earlier run that UPS no longer takes (revoked, or ended early)
    store.save(CachedToken("old", time.time() + 3600, "demo", BASE))
    mocked.add(responses.POST, TOKEN_URL, json=token_body("new"))
    mocked.add(
        responses.GET, TRACK_URL, status=401, json=ups_error("250002", "Invalid Authentication Information.")
    )
    mocked.add(
        responses.GET,
        TRACK_URL,
        json={
            "trackResponse": {
                "shipment": [
                    {
                        "package": [
                            {
                                "trackingNumber": NUMBER,
                                "currentStatus": {"type": "I", "description": "On the Way"},
                            }
                        ]
                    }
                ]
            }
        },
    )
    client = make_client(store)
    assert client.track(NUMBER).status_type == "I"
    tracks = calls_to(mocked, TRACK_URL)
    assert [c.request.headers["Authorization"] for c in tracks] == ["Bearer old", "Bearer new"]
    assert len(calls_to(mocked, TOKEN_URL)) == 1
    assert client.tokens_granted_today() == 1


def test_a_fresh_token_refused_by_one_product_keeps_the_token_and_names_the_product(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    """UPS answers 250002 for an API product not added to the app, and "same result with a brand new token"
    (UPS-API/api-documentation issue 116): one grant to find out, then the token serves the other products and
    the product is not asked again for a while (issue 12.2)."""
    from .fakes import make_client

    store.save(CachedToken("stored", time.time() + 3600, "demo", BASE))
    mocked.add(responses.POST, TOKEN_URL, json=token_body("fresh"))
    av_url = f"{BASE}/api/addressvalidation/v2/3"
    mocked.add(responses.POST, av_url, status=401, json=ups_error("250002", "Invalid Authentication Information"))
    mocked.add(responses.POST, SHIP_URL, json=ship_answer())
    client = make_client(store)
    address = UpsAddress(("2500 Broadway",), "New York", "NY", "10025", "US")

    with pytest.raises(ProductNotEnabled) as first:
        client.validate_address(address)
    with pytest.raises(ProductNotEnabled) as later:
        client.validate_address(address)
    client.ship(shipment(), trans_id="job-1")

    assert first.value.first and not later.value.first and first.value.product == "Address Validation"
    text = str(first.value)
    assert "250002" in text and "Address Validation API is not added to this app in the UPS developer portal" in text
    assert "Bearer" not in text and "s3cret-value" not in text
    assert [c.request.headers["Authorization"] for c in calls_to(mocked, av_url)] == ["Bearer stored", "Bearer fresh"]
    assert calls_to(mocked, SHIP_URL)[0].request.headers["Authorization"] == "Bearer fresh"  # kept for Shipping
    assert len(calls_to(mocked, TOKEN_URL)) == 1


def test_shipping_refused_is_tried_again_with_the_kept_token_and_one_new_token_an_hour(
    mocked: responses.RequestsMock, store: MemoryTokenStore
) -> None:
    """A label must not wait an hour for a passing refusal (UPS has had waves of 250002): Shipping is still tried,
    but asks for no new token within the hour."""
    from .fakes import make_client

    now = [1_800_000_000.0]
    mocked.add(responses.POST, TOKEN_URL, json=token_body("tok-1"))
    refused = mocked.add(responses.POST, SHIP_URL, status=401,
                         json=ups_error("250002", "Invalid Authentication Information"))
    client = make_client(store, clock=lambda: now[0])
    with pytest.raises(ProductNotEnabled) as first:
        client.ship(shipment(), trans_id="job-1")  # the token was granted for this call: no second grant
    with pytest.raises(ProductNotEnabled) as second:
        client.ship(shipment(), trans_id="job-2")
    assert first.value.first and not second.value.first
    assert len(calls_to(mocked, SHIP_URL)) == 2 and len(calls_to(mocked, TOKEN_URL)) == 1

    now[0] += 3601
    mocked.add(responses.POST, TOKEN_URL, json=token_body("tok-2"))
    with pytest.raises(ProductNotEnabled) as later:
        client.ship(shipment(), trans_id="job-3")
    assert later.value.first and len(calls_to(mocked, TOKEN_URL)) == 2  # one new token an hour

    mocked.remove(refused)
    mocked.add(responses.POST, SHIP_URL, json=ship_answer())  # the product was added in the portal
    assert client.ship(shipment(), trans_id="job-4").tracking_numbers
    assert len(calls_to(mocked, TOKEN_URL)) == 2


def test_250002_on_a_403_is_refused_with_the_portal_hint(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    mocked.add(
        responses.POST,
        f"{BASE}/api/rating/v2409/Ratetimeintransit",
        status=403,
        json=ups_error("250002", "Invalid Authentication Information."),
    )
    with pytest.raises(ApiRefused, match="UPS developer portal"):
        client.rate(shipment())


# -- retries ------------------------------------------------------------------------------------
def test_429_is_retried_then_succeeds(client: UpsClient, mocked: responses.RequestsMock) -> None:
    mocked.add(responses.GET, TRACK_URL, status=429, json=ups_error("10429", "Too Many Requests"))
    mocked.add(responses.GET, TRACK_URL, status=503, body="busy")
    mocked.add(
        responses.GET,
        TRACK_URL,
        json={"trackResponse": {"shipment": [{"package": [{"trackingNumber": NUMBER}]}]}},
    )
    assert client.track(NUMBER).found
    assert len(calls_to(mocked, TRACK_URL)) == 3


def test_429_forever_says_ups_is_rate_limiting(client: UpsClient, mocked: responses.RequestsMock) -> None:
    mocked.add(responses.GET, TRACK_URL, status=429, json=ups_error("10429", "Too Many Requests"))
    with pytest.raises(RateLimited, match=r"UPS is rate-limiting us; retried 9 times over \d+ seconds"):
        client.track(NUMBER)


def test_500_with_a_ups_error_is_a_server_error(client: UpsClient, mocked: responses.RequestsMock) -> None:
    mocked.add(
        responses.DELETE,
        f"{BASE}/api/shipments/v2409/void/cancel/{NUMBER}",
        status=500,
        json=ups_error("9999", "General system failure"),
    )
    with pytest.raises(ServerError, match="General system failure"):
        client.void(NUMBER)


def test_unreadable_success_answer_is_a_server_error(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    mocked.add(responses.POST, f"{BASE}/api/addressvalidation/v2/3", body="<html>oops</html>")
    with pytest.raises(ServerError, match="cannot read"):
        client.validate_address(UpsAddress(("1 Main St",), "Albany", "NY", "12207", "US"))


# -- other routes -------------------------------------------------------------------------------
def test_void_whole_shipment_and_single_packages(client: UpsClient, mocked: responses.RequestsMock) -> None:
    url = f"{BASE}/api/shipments/v2409/void/cancel/{NUMBER}"
    answer = {
        "VoidShipmentResponse": {
            "Response": {"ResponseStatus": {"Code": "1", "Description": "Success"}},
            "SummaryResult": {"Status": {"Code": "1", "Description": "Voided"}},
        }
    }
    mocked.add(responses.DELETE, url, json=answer)
    assert client.void(NUMBER).voided
    assert client.void(NUMBER, ["1Z999AA10123456784", "1ZCIETST0111111114"]).voided
    calls = calls_to(mocked, url)
    assert "trackingnumber" not in query(calls[0])
    assert query(calls[1])["trackingnumber"] == ['["1Z999AA10123456784","1ZCIETST0111111114"]']


def test_recover_label(client: UpsClient, mocked: responses.RequestsMock) -> None:
    url = f"{BASE}/api/labels/v1/recovery"
    mocked.add(
        responses.POST,
        url,
        json={
            "LabelRecoveryResponse": {
                "LabelResults": [
                    {
                        "TrackingNumber": NUMBER,
                        "LabelImage": {
                            "LabelImageFormat": {"Code": "GIF"},
                            "GraphicImage": b64(b"GIF89a"),
                            "HTMLImage": b64(b"<html/>"),
                        },
                    }
                ]
            }
        },
    )
    [label] = client.recover_label(NUMBER.lower())
    assert label.data == b"GIF89a" and label.html == b"<html/>"
    body = sent_json(calls_to(mocked, url)[0])
    assert body["LabelRecoveryRequest"]["TrackingNumber"] == NUMBER
    assert_valid_request("POST", "/api/labels/v1/recovery", body)


@pytest.mark.parametrize(("shop", "option"), [(False, "Ratetimeintransit"), (True, "Shoptimeintransit")])
def test_rate_and_shop_routes(
    client: UpsClient, mocked: responses.RequestsMock, shop: bool, option: str
) -> None:
    url = f"{BASE}/api/rating/v2409/{option}"
    rated = {"Service": {"Code": "03"}, "TotalCharges": {"CurrencyCode": "USD", "MonetaryValue": "9.99"}}
    mocked.add(responses.POST, url, json={"RateResponse": {"RatedShipment": [rated]}})
    [quote] = client.rate(shipment(), shop=shop)
    assert quote.service_code == "03"
    assert_valid_request("POST", f"/api/rating/v2409/{option}", sent_json(calls_to(mocked, url)[0]))


def test_validate_address_uses_validation_with_classification(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    url = f"{BASE}/api/addressvalidation/v2/3"
    mocked.add(responses.POST, url, json={"XAVResponse": {"NoCandidatesIndicator": ""}})
    result = client.validate_address(
        UpsAddress(("1 Nowhere Rd",), "Albany", "NY", "12207", "US"), name="Acme"
    )
    assert result.status == "no_candidates" and result.candidates == ()
    assert_valid_request("POST", "/api/addressvalidation/v2/3", sent_json(calls_to(mocked, url)[0]))


def test_track_sends_required_headers_and_query(client: UpsClient, mocked: responses.RequestsMock) -> None:
    mocked.add(
        responses.GET,
        TRACK_URL,
        json={
            "trackResponse": {
                "shipment": [
                    {
                        "package": [
                            {
                                "trackingNumber": NUMBER,
                                "currentStatus": {"type": "D", "description": "Delivered"},
                                "deliveryInformation": {"receivedBy": "FRONT DESK"},
                            }
                        ]
                    }
                ]
            }
        },
    )
    result = client.track(NUMBER.lower())
    assert result.delivered and result.received_by == "FRONT DESK"
    [call] = calls_to(mocked, TRACK_URL)
    assert query(call) == {
        "locale": ["en_US"],
        "returnSignature": ["true"],
        "returnMilestones": ["false"],
        "returnPOD": ["false"],
    }
    assert len(call.request.headers["transId"]) == 32 and call.request.headers["transactionSrc"] == "shipdesk"


def test_track_unknown_number_as_tw0001_warning_or_404(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    warning = {
        "trackResponse": {
            "shipment": [
                {
                    "inquiryNumber": NUMBER,
                    "warnings": [{"code": "TW0001", "message": "Tracking Information Not Found"}],
                }
            ]
        }
    }
    mocked.add(responses.GET, TRACK_URL, json=warning)
    mocked.add(
        responses.GET, TRACK_URL, status=404, json=ups_error("TV1002", "Tracking Information Not Found")
    )
    first, second = client.track(NUMBER), client.track(NUMBER)
    assert not first.found and first.warnings == ("TW0001: Tracking Information Not Found",)
    assert not second.found and second.tracking_number == NUMBER


def test_track_reference(client: UpsClient, mocked: responses.RequestsMock) -> None:
    url = f"{BASE}/api/track/v1/reference/details/SH000123"
    mocked.add(
        responses.GET,
        url,
        json={
            "trackResponse": {
                "shipment": [
                    {
                        "package": [
                            {"trackingNumber": NUMBER, "referenceNumber": [{"number": "SH000123"}]},
                            {"trackingNumber": "1ZCIETST0111111114"},
                        ]
                    }
                ]
            }
        },
    )
    mocked.add(responses.GET, url, status=404, json=ups_error("TV1002", "not found"))
    found = client.track_reference("SH000123", from_date=date(2026, 11, 20), to_date=date(2026, 11, 25))
    assert [r.tracking_number for r in found] == [NUMBER, "1ZCIETST0111111114"]
    assert query(calls_to(mocked, url)[0]) == {
        "locale": ["en_US"],
        "shipperNum": ["A1B2C3"],
        "fromPickUpDate": ["20261120"],
        "toPickUpDate": ["20261125"],
        "refNumType": ["SmallPackage"],
    }
    assert client.track_reference("SH000123", from_date=date(2026, 11, 20), to_date=date(2026, 11, 25)) == []


def test_subscribe_splits_into_batches_of_100_and_merges(
    client: UpsClient, mocked: responses.RequestsMock
) -> None:
    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        numbers = json.loads(request.body)["trackingNumberList"]
        return (
            200,
            {},
            json.dumps({"validTrackingNumbers": numbers[:-1], "invalidTrackingNumbers": numbers[-1:]}),
        )

    mocked.add_callback(responses.POST, ALERT_URL, callback=answer)
    numbers = [f"1Z{i:016d}" for i in range(250)]
    result = client.subscribe(numbers)
    calls = calls_to(mocked, ALERT_URL)
    assert [len(sent_json(c)["trackingNumberList"]) for c in calls] == [100, 100, 50]
    for call in calls:
        validate_ups_request("POST", "/api/track/v2/subscription/standard/package", sent_json(call))
    assert len(result.valid) == 247 and len(result.invalid) == 3
    assert result.expires_at is not None


def test_subscribe_account(client: UpsClient, mocked: responses.RequestsMock) -> None:
    url = f"{BASE}/api/track/v2/subscription/standard/account"
    mocked.add(responses.POST, url, json={"expiryDate": "9999-12-31"})
    result = client.subscribe_account()
    assert result.expires_at is not None and result.expires_at.year == 9999
    body = sent_json(calls_to(mocked, url)[0])
    assert body["shipperAccountNumber"] == "A1B2C3"
    # "Required for non-XOLT clients" (UPSTrackAlert.yaml 564-592): a REST client always sends both ids
    assert body["subscriptionId"] == body["clientSubscriptionId"] == "shipdesk"
    assert body["subAccountType"] == ["Outbound"]
    validate_ups_request("POST", "/api/track/v2/subscription/standard/account", body)


def test_subscribe_account_under_the_configured_ids(client: UpsClient, mocked: responses.RequestsMock) -> None:
    url = f"{BASE}/api/track/v2/subscription/standard/account"
    mocked.add(responses.POST, url, json={"expiryDate": "9999-12-31"})
    client.subscribe_account(subscription_id="ACME-WH1", client_subscription_id="dock-3")
    body = sent_json(calls_to(mocked, url)[0])
    assert (body["subscriptionId"], body["clientSubscriptionId"]) == ("ACME-WH1", "dock-3")


def test_ping_reports_grants(client: UpsClient) -> None:
    info = client.ping()
    assert info.granted_now and info.grants_today == 1
    again = client.ping()
    assert not again.granted_now and again.grants_today == 1
