"""The sandboxes answer requests shaped like the vendors' own examples, not only shipdesk's client.

UPS bodies start from the examples inside ``resources/specs/ups/*.yaml``; only the placeholders the
examples leave blank (account numbers, an empty CustomerContext) are filled in. Acumatica requests
follow the shapes of Acumatica's REST API guide (``swagger.json?company=``, ``$adHocSchema``, the
OData ``$metadata``, an action body ``{"entity": {...}}``, a PUT to ``_links["files:put"]``).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

from shipdesk.sandbox.acumatica.actions import blocks_other_requests
from shipdesk.sandbox.ups import spec_exceptions
from shipdesk.sandbox.ups.validation import lists_for_arrays
from shipdesk.specs import load_acumatica, load_ups, response_schema, specs_dir, ups_operation, validate

ACCOUNT = "A1B2C3"
V24 = "24.200.001"


def _example(spec: str, path: str, name: str) -> dict[str, Any]:
    operation = load_ups(spec)["paths"][path]["post"]
    return copy.deepcopy(operation["requestBody"]["content"]["application/json"]["examples"][name]["value"])


def _ship_example(name: str) -> dict[str, Any]:
    body = _example("Shipping.yaml", "/shipments/{version}/ship", name)
    request = body["ShipmentRequest"]
    request["Request"]["TransactionReference"]["CustomerContext"] = "vendor example " + name
    shipment = request["Shipment"]
    shipment["Shipper"]["ShipperNumber"] = ACCOUNT
    charges = shipment["PaymentInformation"]["ShipmentCharge"]
    for charge in charges if isinstance(charges, list) else [charges]:
        charge["BillShipper"]["AccountNumber"] = ACCOUNT
    return body


def _rate_example(name: str) -> dict[str, Any]:
    body = _example("Rating.yaml", "/rating/{version}/{requestoption}", name)
    shipment = body["RateRequest"]["Shipment"]
    shipment["Shipper"]["ShipperNumber"] = ACCOUNT
    for charge in (shipment.get("PaymentDetails") or {}).get("ShipmentCharge", []):
        charge["BillShipper"]["AccountNumber"] = ACCOUNT
    return body


def _valid_answer(method: str, path: str, body: Any) -> None:
    """The answer matches the spec, reading one object where an array is declared as UPS sends it."""
    operation = ups_operation(method, path)
    schema = response_schema(operation, 200)
    assert schema is not None
    validator = jsonschema_validator(operation.spec, schema)
    validate(operation.spec, schema, lists_for_arrays(validator, copy.deepcopy(body)), f"{method} {path}")


def jsonschema_validator(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    import jsonschema

    return jsonschema.Draft7Validator({"components": spec["components"], "$ref": "#/target", "target": schema})


# -- UPS: one object where an array is declared -----------------------------------------------------


def test_the_shipping_examples_send_single_objects_where_arrays_are_declared():
    """The premise, checked on the vendored file: UPS's own examples use the single-object form."""
    examples = load_ups("Shipping.yaml")["paths"]["/shipments/{version}/ship"]["post"]["requestBody"][
        "content"]["application/json"]["examples"]
    shipments = [e["value"].get("ShipmentRequest", e["value"]).get("Shipment", {}) for e in examples.values()]
    charges = [(s.get("PaymentInformation") or {}).get("ShipmentCharge") for s in shipments]
    assert sum(isinstance(c, dict) for c in charges) == 16
    assert sum(isinstance(s.get("Package"), dict) for s in shipments) == 13


@pytest.mark.parametrize("name", ["1", "7"])
def test_ship_examples_from_the_shipping_spec_are_labelled(ups_sandbox, ups_sandbox_session, name):
    """Example 1 sends Package and ShipmentCharge as single objects; example 7 sends a Package list."""
    body = _ship_example(name)
    package = body["ShipmentRequest"]["Shipment"]["Package"]
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/shipments/v2409/ship", json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    results = answer.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"]
    assert len(results) == (len(package) if isinstance(package, list) else 1)
    _valid_answer("post", "/api/shipments/v2409/ship", answer.json())


def test_address_line_and_form_type_as_single_strings_are_accepted(ups_sandbox, ups_sandbox_session):
    """AddressLine as one string (Shipping examples 14-16), ReferenceNumber as one object."""
    body = _ship_example("1")
    shipment = body["ShipmentRequest"]["Shipment"]
    shipment["ShipTo"]["Address"]["AddressLine"] = "123 Main St"
    shipment["Package"]["ReferenceNumber"] = {"Code": "PO", "Value": "SO005101"}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/shipments/v2409/ship", json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    number = answer.json()["ShipmentResponse"]["ShipmentResults"]["ShipmentIdentificationNumber"]
    assert ups_sandbox.packages[number][1].references == ["SO005101"]


def test_a_single_object_of_the_wrong_kind_is_still_refused(ups_sandbox, ups_sandbox_session):
    body = _ship_example("1")
    body["ShipmentRequest"]["Shipment"]["Package"] = "one box"
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/shipments/v2409/ship", json=body, timeout=10)
    assert answer.status_code == 400
    assert "Shipment/Package/0: must be of type object" in answer.json()["response"]["errors"][0]["message"]


# -- UPS: the exceptions table ------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "accepted", "refused"), [
    ("SubVersion", "v2409", "v24091"),
    ("Length", "10.0", "10.0001"),
])
def test_production_exceptions_accept_what_ups_accepts_and_no_more(ups_sandbox, ups_sandbox_session, field,
                                                                   accepted, refused):
    def ship(value: str) -> requests.Response:
        body = _ship_example("1")
        if field == "SubVersion":
            body["ShipmentRequest"]["Request"]["SubVersion"] = value
        else:
            body["ShipmentRequest"]["Shipment"]["Package"]["Dimensions"]["Length"] = value
        return ups_sandbox_session.post(f"{ups_sandbox.url}/api/shipments/v2409/ship", json=body, timeout=10)

    assert ship(accepted).status_code == 200
    refusal = ship(refused)
    assert refusal.status_code == 400 and field in refusal.json()["response"]["errors"][0]["message"]


def test_thermal_labels_still_need_a_label_stock_size(ups_sandbox, ups_sandbox_session):
    body = _ship_example("1")
    body["ShipmentRequest"]["LabelSpecification"]["LabelImageFormat"] = {"Code": "ZPL"}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/shipments/v2409/ship", json=body, timeout=10)
    assert answer.status_code == 400 and "LabelStockSize" in answer.text


def test_every_exception_names_its_evidence():
    for exception in spec_exceptions.EXCEPTIONS:
        assert exception.accepts and exception.evidence and exception.keyword
    assert spec_exceptions.RESPONSE_SHAPES and spec_exceptions.SINGLE_FOR_ARRAY


# -- UPS: Rating answers complete for what was asked ----------------------------------------------------


def _rate(ups_sandbox, session, body, option="Rate", query="", version="v2409"):
    answer = session.post(f"{ups_sandbox.url}/api/rating/{version}/{option}{query}", json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


@pytest.mark.parametrize(("sub_version", "has_base"), [("2201", True), ("2409", True), ("2108", False),
                                                       (None, False)])
def test_negotiated_base_service_charge_from_sub_version_2201(ups_sandbox, ups_sandbox_session, sub_version,
                                                              has_base):
    body = _rate_example("1")
    body["RateRequest"]["Shipment"]["ShipmentRatingOptions"] = {"NegotiatedRatesIndicator": ""}
    if sub_version:
        body["RateRequest"]["Request"]["SubVersion"] = sub_version
    rated = _rate(ups_sandbox, ups_sandbox_session, body)["RateResponse"]["RatedShipment"][0]
    negotiated = rated["NegotiatedRateCharges"]
    assert ("BaseServiceCharge" in negotiated) is has_base
    if has_base:
        assert float(negotiated["BaseServiceCharge"]["MonetaryValue"]) <= float(
            negotiated["TotalCharge"]["MonetaryValue"])


@pytest.mark.parametrize(("option", "query"), [("Shoptimeintransit", ""), ("Ratetimeintransit", ""),
                                               ("Shop", "?additionalinfo=timeintransit")])
def test_time_in_transit_comes_when_asked(ups_sandbox, ups_sandbox_session, option, query):
    body = _rate_example("8")
    body["RateRequest"]["Shipment"]["DeliveryTimeInformation"] = {"PackageBillType": "03",
                                                                   "Pickup": {"Date": "20261207"}}  # a Monday
    answer = _rate(ups_sandbox, ups_sandbox_session, body, option, query)
    _valid_answer("post", f"/api/rating/v2409/{option}", answer)
    for rated in answer["RateResponse"]["RatedShipment"]:
        arrival = rated["TimeInTransit"]["ServiceSummary"]["EstimatedArrival"]
        assert rated["TimeInTransit"]["PickupDate"] == "20261207"
        ground = rated["Service"]["Code"] == "03"
        if ground:  # 4 business days after Monday
            assert (arrival["Arrival"]["Date"], arrival["DayOfWeek"]) == ("20261211", "FRI")


def test_no_time_in_transit_unless_asked(ups_sandbox, ups_sandbox_session):
    body = _rate_example("8")
    rated = _rate(ups_sandbox, ups_sandbox_session, body, "Shop")["RateResponse"]["RatedShipment"]
    assert all("TimeInTransit" not in r for r in rated)


def test_versions_before_v2403_get_lists_of_one_as_objects(ups_sandbox, ups_sandbox_session):
    body = _rate_example("8")
    old = _rate(ups_sandbox, ups_sandbox_session, body, version="v2205")["RateResponse"]["RatedShipment"]
    new = _rate(ups_sandbox, ups_sandbox_session, body)["RateResponse"]["RatedShipment"]
    assert isinstance(old, dict) and isinstance(old["RatedPackage"], dict)  # Rate quotes one service
    assert isinstance(new, list) and isinstance(new[0]["RatedPackage"], list)


# -- Acumatica: the endpoint describes itself ------------------------------------------------------------


@pytest.mark.parametrize("version", ["22.200.001", "23.200.001", V24])
def test_swagger_json_is_the_vendored_description_without_signing_in(acumatica_sandbox, version):
    url = f"{acumatica_sandbox.tenant_url}/entity/Default/{version}/swagger.json"
    answer = requests.get(url, params={"company": "Demo"}, timeout=10)
    assert answer.status_code == 200
    assert answer.content == (specs_dir() / "acumatica" / f"Default_{version}.json").read_bytes()
    assert requests.get(url, params={"company": "Other"}, timeout=10).status_code == 404


def test_ad_hoc_schema_types_every_field_and_lists_the_custom_fields(acumatica_sandbox, acumatica_sandbox_session):
    base = f"{acumatica_sandbox.tenant_url}/entity/Default/{V24}"
    answer = acumatica_sandbox_session.get(f"{base}/Shipment/$adHocSchema", timeout=10)
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["ShipmentNbr"] == {"type": "StringValue"}
    assert schema["Packages"][0]["TrackingNbr"] == {"type": "StringValue"}
    assert schema["custom"]["Document"]["UsrUpsStatus"] == {"type": "CustomStringField"}
    assert schema["custom"]["Document"]["UsrDeliveredDate"] == {"type": "CustomDateTimeField"}
    contract = load_acumatica(V24)["components"]["schemas"]["Shipment"]
    declared = {n for part in contract.get("allOf", [contract]) for n in part.get("properties", {})}
    assert set(schema) - {"id", "rowNumber", "note", "custom"} <= declared
    via = acumatica_sandbox_session.get(f"{base}/ShipVia/$adHocSchema", timeout=10).json()
    # the Ship Via form's elements outside the contract, in the views the form binds them to (CS207500)
    assert via["custom"] == {"Carrier": {"IsExternal": {"type": "CustomBooleanField"}},
                             "CarrierCurrent": {"CarrierPluginID": {"type": "CustomStringField"}}}
    assert acumatica_sandbox_session.get(f"{base}/NoSuchEntity/$adHocSchema", timeout=10).status_code == 404


def test_generic_inquiry_metadata_of_a_tenant_without_published_inquiries(acumatica_sandbox):
    url = f"{acumatica_sandbox.tenant_url}/t/Demo/api/odata/gi/$metadata"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, auth=("admin", "wrong"), timeout=10).status_code == 401
    answer = requests.get(url, auth=("admin", "demo"), timeout=10)
    assert answer.status_code == 200
    root = ET.fromstring(answer.content)
    edm = "{http://docs.oasis-open.org/odata/ns/edm}"
    containers = root.findall(f".//{edm}EntityContainer")
    assert len(containers) == 1 and not containers[0].findall(f"{edm}EntitySet")
    inquiry = requests.get(url.replace("$metadata", "ShipmentsToLabel"), auth=("admin", "demo"), timeout=10)
    assert inquiry.status_code == 404


# -- Acumatica: long operations run without polling -------------------------------------------------------


def _confirm(session: requests.Session, base: str, number: str) -> requests.Response:
    return session.post(f"{base}/Shipment/ConfirmShipment",
                        json={"entity": {"ShipmentNbr": {"value": number}}}, timeout=10)


def _status(session: requests.Session, base: str, number: str) -> str:
    record = session.get(f"{base}/Shipment/{number}", params={"$select": "Status"}, timeout=10).json()
    return str(record["Status"]["value"])


def test_an_action_completes_within_its_duration_without_a_poll(acumatica_sandbox, acumatica_sandbox_session):
    base = f"{acumatica_sandbox.tenant_url}/entity/Default/{V24}"
    started = _confirm(acumatica_sandbox_session, base, "SH000101")
    assert started.status_code == 202 and "/status/" in started.headers["Location"]
    assert _status(acumatica_sandbox_session, base, "SH000101") == "Open"  # still running, and no 409 on 24
    acumatica_sandbox.clock.advance(minutes=1)
    assert _status(acumatica_sandbox_session, base, "SH000101") == "Confirmed"
    assert acumatica_sandbox.stats_payload()["requests"].get(
        "GET /AcumaticaERP/entity/{endpoint}/{version}/Shipment/{action}/status/{op_id}", 0) == 0


def test_an_action_completes_on_real_time_alone(acumatica_sandbox, acumatica_sandbox_session):
    base = f"{acumatica_sandbox.tenant_url}/entity/Default/{V24}"
    assert _confirm(acumatica_sandbox_session, base, "SH000102").status_code == 202
    (timer,) = acumatica_sandbox._operation_timers
    timer.join(timeout=10)
    assert acumatica_sandbox.documents.confirmations == 1


def test_409_while_an_operation_runs_belongs_to_25_200_001_and_later():
    assert not any(blocks_other_requests(v) for v in ("22.200.001", "23.200.001", V24))
    assert blocks_other_requests("25.200.001") and blocks_other_requests("25.201.001")


# -- Acumatica: the links a record carries ------------------------------------------------------------------


def test_record_links_hold_the_instance_path_once_and_work(acumatica_sandbox, acumatica_sandbox_session):
    base = f"{acumatica_sandbox.tenant_url}/entity/Default/{V24}"
    record = acumatica_sandbox_session.get(f"{base}/Shipment/SH000103", timeout=10).json()
    put_link = record["_links"]["files:put"]
    assert put_link.startswith("/AcumaticaERP/entity/") and put_link.count("/AcumaticaERP") == 1
    # As the guide says: the link is a path on the server, the instance path already in it.
    target = urljoin(acumatica_sandbox.url, put_link.replace("{filename}", "label.gif"))
    stored = acumatica_sandbox_session.put(target, data=b"GIF89a", timeout=10,
                                           headers={"Content-Type": "application/octet-stream"})
    assert stored.status_code == 204
    files = acumatica_sandbox_session.get(f"{base}/Shipment/SH000103", timeout=10,
                                          params={"$select": "files", "$expand": "files"}).json()["files"]
    href = files[0]["href"]
    assert href.count("/AcumaticaERP") == 1
    assert acumatica_sandbox_session.get(urljoin(acumatica_sandbox.url, href), timeout=10).content == b"GIF89a"
    doubled = acumatica_sandbox_session.put(acumatica_sandbox.tenant_url + put_link.replace("{filename}", "x.gif"),
                                            data=b"GIF89a", timeout=10)
    assert doubled.status_code == 404


# -- UPS: taxes and transit days only when asked, as UPS answers them (docs/evidence/real-services.md 19.4) ----


def _canadian(body: dict[str, Any]) -> dict[str, Any]:
    """A rate example moved to a Canadian lane (Vancouver to Toronto), where UPS adds taxes."""
    shipment = body["RateRequest"]["Shipment"]
    for party, (city, state, postal) in (("Shipper", ("VANCOUVER", "BC", "V6B1A1")),
                                         ("ShipFrom", ("VANCOUVER", "BC", "V6B1A1")),
                                         ("ShipTo", ("TORONTO", "ON", "M5V2T6"))):
        if party in shipment:
            shipment[party]["Address"].update(City=city, StateProvinceCode=state, PostalCode=postal, CountryCode="CA")
    shipment.pop("Service", None)
    return body


@pytest.mark.parametrize("negotiated", [False, True])
def test_taxes_come_only_when_asked_and_under_negotiated_rates_when_they_apply(ups_sandbox, ups_sandbox_session,
                                                                                negotiated):
    body = _canadian(_rate_example("1"))
    shipment = body["RateRequest"]["Shipment"]
    if negotiated:
        shipment["ShipmentRatingOptions"] = {"NegotiatedRatesIndicator": ""}
    untaxed = _rate(ups_sandbox, ups_sandbox_session, body, "Shop")["RateResponse"]["RatedShipment"]
    assert not any("TotalChargesWithTaxes" in str(rated) for rated in untaxed)
    shipment["TaxInformationIndicator"] = ""
    answer = _rate(ups_sandbox, ups_sandbox_session, body, "Shop")
    _valid_answer("post", "/api/rating/v2409/Shop", answer)
    for rated in answer["RateResponse"]["RatedShipment"]:
        where = rated["NegotiatedRateCharges"] if negotiated else rated
        other = rated if negotiated else {}
        assert "TaxCharges" not in other and "TotalChargesWithTaxes" not in other  # the spec: negotiated only
        [tax] = where["TaxCharges"]
        assert set(tax) == {"Type", "MonetaryValue"}  # no currency, as UPS writes it
        base = where["TotalCharge" if negotiated else "TotalCharges"]
        assert where["TotalChargesWithTaxes"]["CurrencyCode"] == base["CurrencyCode"] == "CAD"
        assert float(where["TotalChargesWithTaxes"]["MonetaryValue"]) == pytest.approx(
            float(base["MonetaryValue"]) + float(tax["MonetaryValue"]))


def test_no_taxes_on_an_untaxed_lane_even_when_asked(ups_sandbox, ups_sandbox_session):
    body = _rate_example("1")
    body["RateRequest"]["Shipment"]["TaxInformationIndicator"] = ""
    rated = _rate(ups_sandbox, ups_sandbox_session, body)["RateResponse"]["RatedShipment"][0]
    assert "TaxCharges" not in rated and "TotalChargesWithTaxes" not in rated


def test_guaranteed_delivery_only_for_guaranteed_services_transit_days_for_all(ups_sandbox, ups_sandbox_session):
    body = _rate_example("8")
    plain = _rate(ups_sandbox, ups_sandbox_session, body, "Shop")["RateResponse"]["RatedShipment"]
    by_code = {r["Service"]["Code"]: r for r in plain}
    assert "GuaranteedDelivery" not in by_code["03"]  # Ground: days only in TimeInTransit
    assert by_code["01"]["GuaranteedDelivery"] == {"BusinessDaysInTransit": "1", "DeliveryByTime": "10:30 A.M."}
    body["RateRequest"]["Shipment"]["DeliveryTimeInformation"] = {"PackageBillType": "03"}
    timed = _rate(ups_sandbox, ups_sandbox_session, body, "Shoptimeintransit")["RateResponse"]["RatedShipment"]
    ground = next(r for r in timed if r["Service"]["Code"] == "03")
    assert ground["TimeInTransit"]["ServiceSummary"]["EstimatedArrival"]["BusinessDaysInTransit"] == "4"


def test_time_in_transit_across_a_border_needs_the_invoice_total(ups_sandbox, ups_sandbox_session):
    """UPS-API/api-documentation issue 42: Ratetimeintransit to another country without InvoiceLineTotal is 111549."""
    body = _rate_example("8")
    shipment = body["RateRequest"]["Shipment"]
    shipment["ShipTo"]["Address"].update(City="TORONTO", StateProvinceCode="ON", PostalCode="M5V2T6",
                                         CountryCode="CA")
    shipment.pop("InvoiceLineTotal", None)
    shipment["DeliveryTimeInformation"] = {"PackageBillType": "03"}
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/rating/v2409/Shoptimeintransit", json=body,
                                      timeout=10)
    assert answer.status_code == 400
    assert answer.json()["response"]["errors"][0] == {"code": "111549", "message": "Invalid Shipment Contents Value."}
    shipment["InvoiceLineTotal"] = {"CurrencyCode": "USD", "MonetaryValue": "250"}
    assert _rate(ups_sandbox, ups_sandbox_session, body, "Shoptimeintransit")["RateResponse"]["RatedShipment"]


def test_a_taxed_ship_answer_before_v2403_has_single_objects(ups_sandbox, ups_sandbox_session,
                                                             ups_sandbox_ship_request):
    """The shape of a Canadian Ship answer on request version v2205: TaxCharges and PackageResults as objects."""
    body = ups_sandbox_ship_request(negotiated=False, city="TORONTO", state="ON", postal_code="M5V2T6",
                                    country="CA", service="11")
    shipment = body["ShipmentRequest"]["Shipment"]
    canada = {"AddressLine": ["1 Canada Pl"], "City": "VANCOUVER", "StateProvinceCode": "BC",
              "PostalCode": "V6B1A1", "CountryCode": "CA"}
    shipment["Shipper"]["Address"] = shipment["ShipFrom"]["Address"] = canada
    shipment.pop("InvoiceLineTotal")  # inside Canada: UPS takes the shipment-level invoice total only from the US
    shipment["TaxInformationIndicator"] = ""
    for package in shipment["Package"]:
        package.pop("ReferenceNumber")
    answer = ups_sandbox_session.post(f"{ups_sandbox.url}/api/shipments/v2205/ship", json=body, timeout=10)
    assert answer.status_code == 200, answer.text
    results = answer.json()["ShipmentResponse"]["ShipmentResults"]
    charges = results["ShipmentCharges"]
    assert isinstance(results["PackageResults"], dict) and isinstance(charges["TaxCharges"], dict)
    assert charges["TotalCharges"]["CurrencyCode"] == "CAD"
    assert float(charges["TotalChargesWithTaxes"]["MonetaryValue"]) > float(charges["TotalCharges"]["MonetaryValue"])
