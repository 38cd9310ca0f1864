"""UPS sandbox: OAuth, Ship, Void, Label Recovery, spec checks, faults, concurrency."""

from __future__ import annotations

import base64
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from PIL import Image

from shipdesk.sandbox.ups.tracking_numbers import compute_check_digit, is_valid_tracking_number
from shipdesk.specs import validate_ups_response

SHIP = "/api/shipments/v2409/ship"
TOKEN = "/security/v1/oauth/token"


def _ship(sandbox, session, body, path=SHIP):
    answer = session.post(f"{sandbox.url}{path}", json=body, timeout=20)
    validate_ups_response("post", path, answer.status_code, answer.json())
    return answer


@pytest.mark.parametrize("number", ["1Z999AA10123456784", "1ZCIETST0111111114"])
def test_check_digit_matches_known_numbers(number):
    assert compute_check_digit(number[2:17]) == int(number[17])
    assert is_valid_tracking_number(number)


def test_check_digit_rejects_a_mistyped_number():
    assert not is_valid_tracking_number("1Z999AA10123456785")


def test_token_grant_answers_all_string_fields(ups_sandbox):
    answer = requests.post(f"{ups_sandbox.url}{TOKEN}", auth=("demo", "demo"),
                           data={"grant_type": "client_credentials"}, headers={"x-merchant-id": "A1B2C3"},
                           timeout=10)
    body = answer.json()
    validate_ups_response("post", TOKEN, 200, body)
    assert answer.status_code == 200
    assert all(isinstance(v, str) for v in body.values())
    assert body["token_type"] == "Bearer" and body["status"] == "approved" and body["expires_in"] == "14399"
    assert ups_sandbox.merchant_ids == ["A1B2C3"]
    assert ups_sandbox.stats_payload()["tokens_granted"] == 1


def test_wrong_secret_is_refused_in_ups_error_shape(ups_sandbox):
    answer = requests.post(f"{ups_sandbox.url}{TOKEN}", auth=("demo", "wrong"),
                           data={"grant_type": "client_credentials"}, timeout=10)
    assert answer.status_code == 401
    validate_ups_response("post", TOKEN, 401, answer.json())
    assert answer.json()["response"]["errors"][0]["code"]


def test_api_without_token_is_401(ups_sandbox, ups_sandbox_ship_request):
    answer = requests.post(f"{ups_sandbox.url}{SHIP}", json=ups_sandbox_ship_request(), timeout=10)
    assert answer.status_code == 401
    validate_ups_response("post", SHIP, 401, answer.json())


def test_token_expires_with_the_simulated_clock(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    assert _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request()).status_code == 200
    ups_sandbox.clock.advance(hours=4)
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{SHIP}", json=ups_sandbox_ship_request(), timeout=10)
    assert answer.status_code == 401
    assert answer.json()["response"]["errors"][0]["code"] == "251004"  # "Bearer Token expired (oauth)"
    validate_ups_response("post", SHIP, 401, answer.json())


def test_a_product_not_added_to_the_app_refuses_a_good_token_elsewhere_accepted(
        ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    """401 250002 for that product's paths only (UPS-API/api-documentation issue 116), chosen per product."""
    control = requests.post(f"{ups_sandbox.url}/_sandbox/options", json={"products_off": ["address_validation"]},
                            timeout=10)
    assert control.json()["products_off"] == ["address_validation"]
    path = "/api/addressvalidation/v2/3"
    refused = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", timeout=10, json={"XAVRequest": {
        "AddressKeyFormat": {"AddressLine": ["5 Elm Lane"], "PoliticalDivision2": "Springfield",
                             "CountryCode": "US"}}})
    assert refused.status_code == 401
    assert refused.json() == {"response": {"errors": [{"code": "250002",
                                                        "message": "Invalid Authentication Information"}]}}
    assert _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request()).status_code == 200
    bad = requests.post(f"{ups_sandbox.url}/_sandbox/options", json={"products_off": ["nope"]}, timeout=10)
    assert bad.status_code == 400


def test_ship_multi_package_gives_one_valid_1z_per_package(ups_sandbox, ups_sandbox_session,
                                                         ups_sandbox_ship_request):
    answer = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=3))
    results = answer.json()["ShipmentResponse"]["ShipmentResults"]
    numbers = [p["TrackingNumber"] for p in results["PackageResults"]]
    assert answer.json()["ShipmentResponse"]["Response"]["ResponseStatus"]["Code"] == "1"
    assert len(set(numbers)) == 3
    assert all(is_valid_tracking_number(n) and n.startswith("1ZA1B2C303") for n in numbers)
    assert results["ShipmentIdentificationNumber"] == numbers[0]
    assert float(results["ShipmentCharges"]["TotalCharges"]["MonetaryValue"]) > 0
    assert float(results["BillingWeight"]["Weight"]) == 5 + 6 + 7
    negotiated = float(results["NegotiatedRateCharges"]["TotalCharge"]["MonetaryValue"])
    assert negotiated < float(results["ShipmentCharges"]["TotalCharges"]["MonetaryValue"])
    stats = ups_sandbox.stats_payload()
    assert stats["labels_created"] == 3 and stats["shipments_created"] == 1
    assert stats["requests"]["POST /api/shipments/{version}/ship"] == 1
    assert ups_sandbox.trans_ids == ["test-trans-1"]


def test_negotiated_rates_only_when_asked(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    answer = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(negotiated=False))
    assert "NegotiatedRateCharges" not in answer.json()["ShipmentResponse"]["ShipmentResults"]


def test_gif_label_is_a_landscape_4x6_image_with_html(ups_sandbox, ups_sandbox_session,
                                                     ups_sandbox_ship_request):
    answer = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    label = answer.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"][0]["ShippingLabel"]
    image = Image.open(io.BytesIO(base64.b64decode(label["GraphicImage"])))
    assert label["ImageFormat"]["Code"] == "GIF" and image.format == "GIF"
    assert image.size == (1200, 800)
    assert b"<img" in base64.b64decode(label["HTMLImage"])


def test_png_label_decodes(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    answer = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(label_format="PNG"))
    label = answer.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"][0]["ShippingLabel"]
    assert Image.open(io.BytesIO(base64.b64decode(label["GraphicImage"]))).format == "PNG"


def test_zpl_label_is_printer_text_with_tracking_and_references(ups_sandbox, ups_sandbox_session,
                                                                ups_sandbox_ship_request):
    answer = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(label_format="ZPL"))
    package = answer.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"][0]
    zpl = base64.b64decode(package["ShippingLabel"]["GraphicImage"]).decode("ascii")
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert package["TrackingNumber"] in zpl and "^BC" in zpl
    assert "SH000123" in zpl and "SO000456" in zpl


def test_malformed_ship_request_is_400_listing_the_problem(ups_sandbox, ups_sandbox_session,
                                                           ups_sandbox_ship_request):
    body = ups_sandbox_ship_request()
    body["ShipmentRequest"]["Shipment"]["Package"][0]["PackageWeight"] = "5 lbs"  # an object is declared
    answer = _ship(ups_sandbox, ups_sandbox_session, body)
    assert answer.status_code == 400
    message = answer.json()["response"]["errors"][0]["message"]
    assert "Shipment/Package/0/PackageWeight: must be of type object" in message
    assert ups_sandbox.stats_payload()["labels_created"] == 0


def test_shipment_level_reference_on_us_to_us_is_120541(ups_sandbox, ups_sandbox_session,
                                                        ups_sandbox_ship_request):
    body = ups_sandbox_ship_request()
    body["ShipmentRequest"]["Shipment"]["ReferenceNumber"] = [{"Code": "PO", "Value": "SO000456"}]
    answer = _ship(ups_sandbox, ups_sandbox_session, body)
    assert answer.status_code == 400
    assert answer.json()["response"]["errors"][0]["code"] == "120541"


def test_shipment_level_reference_is_fine_abroad(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    body = ups_sandbox_ship_request(service="11", country="CA", state="ON", postal_code="M5V3L9",
                                    city="Toronto")
    body["ShipmentRequest"]["Shipment"]["ReferenceNumber"] = [{"Code": "PO", "Value": "SO000456"}]
    assert _ship(ups_sandbox, ups_sandbox_session, body).status_code == 200


@pytest.mark.parametrize(("changes", "code"), [
    ({"service": "99"}, "120702"),
    ({"account": "ZZZ999"}, "120100"),
])
def test_business_rules_are_refused(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request,
                                    changes, code):
    answer = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(**changes))
    assert answer.status_code == 400
    assert answer.json()["response"]["errors"][0]["code"] == code


def test_more_than_200_packages_is_refused(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    answer = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=201))
    assert answer.status_code == 400
    assert "200" in answer.json()["response"]["errors"][0]["message"]


def test_void_then_void_again_both_succeed(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    shipped = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=2)).json()
    number = shipped["ShipmentResponse"]["ShipmentResults"]["ShipmentIdentificationNumber"]
    path = f"/api/shipments/v2409/void/cancel/{number}"
    for _ in range(2):
        answer = ups_sandbox_session.delete(f"{ups_sandbox.url}{path}", timeout=10)
        validate_ups_response("delete", path, answer.status_code, answer.json())
        assert answer.json()["VoidShipmentResponse"]["SummaryResult"]["Status"]["Code"] == "1"
    assert ups_sandbox.stats_payload()["voided"] == 2


def test_void_unknown_shipment_is_400(ups_sandbox, ups_sandbox_session):
    path = "/api/shipments/v2409/void/cancel/1ZA1B2C30399999990"
    answer = ups_sandbox_session.delete(f"{ups_sandbox.url}{path}", timeout=10)
    assert answer.status_code == 400
    validate_ups_response("delete", path, 400, answer.json())
    assert answer.json()["response"]["errors"][0]["code"] == "190117"


def test_void_single_package_by_tracking_number(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    shipped = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=2)).json()
    results = shipped["ShipmentResponse"]["ShipmentResults"]
    second = results["PackageResults"][1]["TrackingNumber"]
    path = f"/api/shipments/v2409/void/cancel/{results['ShipmentIdentificationNumber']}"
    answer = ups_sandbox_session.delete(f"{ups_sandbox.url}{path}", params={"trackingnumber": second},
                                        timeout=10)
    validate_ups_response("delete", path, 200, answer.json())
    level = answer.json()["VoidShipmentResponse"]["PackageLevelResult"]  # the CIE's singular key, one object
    assert level["TrackingNumber"] == second and level["Status"]["Code"] == "1"
    assert ups_sandbox.stats_payload()["voided"] == 1


def test_void_of_several_packages_reads_the_json_array_form(ups_sandbox, ups_sandbox_session,
                                                            ups_sandbox_ship_request):
    shipped = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=3)).json()
    results = shipped["ShipmentResponse"]["ShipmentResults"]
    numbers = [p["TrackingNumber"] for p in results["PackageResults"]]
    path = f"/api/shipments/v2409/void/cancel/{results['ShipmentIdentificationNumber']}"
    listed = json.dumps(numbers[:2], separators=(",", ":"))  # ["1Z…","1Z…"], percent-encoded on the wire
    answer = ups_sandbox_session.delete(f"{ups_sandbox.url}{path}", params={"trackingnumber": listed}, timeout=10)
    validate_ups_response("delete", path, 200, answer.json())
    levels = answer.json()["VoidShipmentResponse"]["PackageLevelResult"]
    assert [p["TrackingNumber"] for p in levels] == numbers[:2]
    assert ups_sandbox.stats_payload()["voided"] == 2


@pytest.mark.parametrize("form", ["{a},{b}", "[{a},{b}]", '["{a}",', '["{a}",3]', "{a_lower}"])
def test_void_refuses_other_forms_of_the_list(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request, form):
    shipped = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request(packages=2)).json()
    results = shipped["ShipmentResponse"]["ShipmentResults"]
    a, b = (p["TrackingNumber"] for p in results["PackageResults"])
    path = f"/api/shipments/v2409/void/cancel/{results['ShipmentIdentificationNumber']}"
    value = form.format(a=a, b=b, a_lower=a.lower())
    answer = ups_sandbox_session.delete(f"{ups_sandbox.url}{path}", params={"trackingnumber": value}, timeout=10)
    assert answer.status_code == 400 and ups_sandbox.stats_payload()["voided"] == 0


@pytest.mark.parametrize("label_format", ["GIF", "ZPL", "PDF"])
def test_label_recovery_returns_the_stored_label(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request,
                                                 label_format):
    shipped = _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request()).json()
    number = shipped["ShipmentResponse"]["ShipmentResults"]["PackageResults"][0]["TrackingNumber"]
    path = "/api/labels/v1/recovery"
    body = {"LabelRecoveryRequest": {"Request": {"SubVersion": "1903"}, "TrackingNumber": number,
                                     "LabelSpecification": {"LabelImageFormat": {"Code": label_format}}}}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{path}", json=body, timeout=20)
    assert answer.status_code == 200
    result = answer.json()["LabelRecoveryResponse"]["LabelResults"][0]
    graphic = base64.b64decode(result["LabelImage"]["GraphicImage"])
    assert result["TrackingNumber"] == number
    assert result["LabelImage"]["LabelImageFormat"]["Code"] == label_format
    assert graphic.startswith({"GIF": b"GIF8", "ZPL": b"^XA", "PDF": b"%PDF"}[label_format])
    # The spec documents a 4-character image code that the live service does not send ("GIF").
    errors = _response_errors(path, answer.json())
    assert all("LabelImageFormat/Code" in e for e in errors)


def _response_errors(path, body):
    from shipdesk.specs import SpecViolation

    try:
        validate_ups_response("post", path, 200, body)
    except SpecViolation as violation:
        return violation.errors
    return []


def test_label_recovery_of_unknown_number_is_400(ups_sandbox, ups_sandbox_session):
    body = {"LabelRecoveryRequest": {"Request": {}, "TrackingNumber": "1ZA1B2C30399999990"}}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/labels/v1/recovery", json=body, timeout=10)
    assert answer.status_code == 400
    validate_ups_response("post", "/api/labels/v1/recovery", 400, answer.json())


def test_injected_429_has_ups_shape_and_no_retry_after(ups_sandbox, ups_sandbox_session,
                                                       ups_sandbox_ship_request):
    requests.post(f"{ups_sandbox.url}/_sandbox/faults", json={"route": "/api/shipments", "status": 429},
                  timeout=10)
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{SHIP}", json=ups_sandbox_ship_request(), timeout=10)
    assert answer.status_code == 429
    assert "Retry-After" not in answer.headers
    assert answer.json() == {"response": {"errors": [{"code": "10429", "message": "Too Many Requests"}]}}
    validate_ups_response("post", SHIP, 429, answer.json())


def test_injected_drop_closes_the_connection_then_recovers(ups_sandbox, ups_sandbox_session,
                                                           ups_sandbox_ship_request):
    ups_sandbox.add_fault("/api/shipments", drop=True, count=1)
    with pytest.raises(requests.ConnectionError):
        ups_sandbox_session.post(f"{ups_sandbox.url}{SHIP}", json=ups_sandbox_ship_request(), timeout=10)
    assert _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request()).status_code == 200


def test_eight_concurrent_clients_get_distinct_numbers(ups_sandbox, ups_sandbox_token,
                                                      ups_sandbox_ship_request):
    headers = {"Authorization": f"Bearer {ups_sandbox_token}"}

    def ship_one(_: int) -> str:
        answer = requests.post(f"{ups_sandbox.url}{SHIP}", json=ups_sandbox_ship_request(label_format="ZPL"),
                               headers=headers, timeout=30)
        assert answer.status_code == 200
        return answer.json()["ShipmentResponse"]["ShipmentResults"]["ShipmentIdentificationNumber"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(ship_one, range(24)))
    assert len(set(numbers)) == 24
    assert ups_sandbox.stats_payload()["shipments_created"] == 24


def test_reset_clears_shipments_tokens_and_stats(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request):
    _ship(ups_sandbox, ups_sandbox_session, ups_sandbox_ship_request())
    requests.post(f"{ups_sandbox.url}/_sandbox/reset", timeout=10)
    stats = requests.get(f"{ups_sandbox.url}/_sandbox/stats", timeout=10).json()
    assert stats["labels_created"] == 0 and stats["tokens_granted"] == 0 and stats["requests"] == {}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}{SHIP}", json=ups_sandbox_ship_request(), timeout=10)
    assert answer.status_code == 401


def test_versions_before_v2403_send_a_single_package_result_as_an_object(ups_sandbox, ups_sandbox_session,
                                                                         ups_sandbox_ship_request):
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/shipments/v2205/ship",
                                      json=ups_sandbox_ship_request(), timeout=20)
    assert answer.status_code == 200
    assert isinstance(answer.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"], dict)
