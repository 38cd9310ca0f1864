"""The vendored specifications load and catch what the real services would refuse."""

from __future__ import annotations

import pytest

from shipdesk import specs


def test_ups_specs_with_tab_characters_load() -> None:
    assert "/shipments/{version}/ship" in specs.load_ups("Shipping.yaml")["paths"]
    assert specs.load_ups("Tracking.yaml")["paths"]


@pytest.mark.parametrize(
    ("method", "path", "template"),
    [
        ("post", "/security/v1/oauth/token", "/security/v1/oauth/token"),
        ("post", "/api/shipments/v2409/ship", "/api/shipments/{version}/ship"),
        ("delete", "/api/shipments/v2409/void/cancel/1ZX",
         "/api/shipments/{version}/void/cancel/{shipmentidentificationnumber}"),
        ("post", "/api/labels/v1/recovery", "/api/labels/{version}/recovery"),
        ("post", "/api/rating/v2409/Shop", "/api/rating/{version}/{requestoption}"),
        ("post", "/api/addressvalidation/v2/3", "/api/addressvalidation/{version}/{requestoption}"),
        ("get", "/api/track/v1/details/1Z999AA10123456784", "/api/track/v1/details/{inquiryNumber}"),
        ("get", "/api/track/v1/reference/details/SH0001", "/api/track/v1/reference/details/{referenceNumber}"),
        ("post", "/api/track/v2/subscription/standard/package", "/api/track/{version}/subscription/{type}/package"),
        ("post", "/api/track/v1/subscription/standard/package", "/api/track/{version}/subscription/standard/package"),
    ],
)
def test_every_ups_route_shipdesk_uses_is_found(method: str, path: str, template: str) -> None:
    assert specs.ups_operation(method, path).template == template


def test_malformed_ship_request_is_caught() -> None:
    with pytest.raises(specs.SpecViolation) as caught:
        specs.validate_ups_request("post", "/api/shipments/v2409/ship",
                                   {"ShipmentRequest": {"Request": {}, "Shipment": {}}})
    assert any("Shipper" in e for e in caught.value.errors)


@pytest.mark.parametrize("version", specs.ACUMATICA_VERSIONS)
def test_acumatica_value_objects_are_typed_in_every_version(version: str) -> None:
    specs.validate_acumatica_request(version, "put", "/Shipment",
                                     {"ShipmentNbr": {"value": "SH000101"},
                                      "Packages": [{"id": "6f1c", "TrackingNbr": {"value": "1Z"}}]})
    with pytest.raises(specs.SpecViolation):
        specs.validate_acumatica_request(version, "put", "/Shipment", {"ShipmentNbr": {"value": 101}})


def test_undocumented_status_is_a_violation() -> None:
    with pytest.raises(specs.SpecViolation):
        specs.validate_ups_response("get", "/api/track/v1/details/1Z", 418, {})
