"""The UPS sandbox checks international forms and return labels the way UPS does, returns a real invoice PDF,
and keeps uploaded paperless documents. Every answer is validated against the vendored spec."""

from __future__ import annotations

import base64
import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shipdesk.specs import validate_ups_response
from shipdesk.ups import paperless_wire, wire
from shipdesk.ups.models import (
    ELECTRONIC_RETURN_LABEL,
    INVOICE,
    PRINT_RETURN_LABEL,
    USER_CREATED_FORM,
    InvoiceForm,
    InvoiceProduct,
    PackageSpec,
    Party,
    ShipmentSpec,
    UpsAddress,
)

SHIP = "/api/shipments/v2409/ship"
UPLOAD = "/api/paperlessdocuments/v2/upload"
SHIPPER = Party(name="ACME Industrial Supply", attention="Shipping Dept", phone="4045550100",
                address=UpsAddress(("100 Main St",), "Atlanta", "GA", "30301", "US"))
BUYER = Party(name="Müller Präzisionstechnik GmbH", attention="Jürgen Weiß", phone="+49711555010",
              address=UpsAddress(("Industriestraße 12",), "Stuttgart", "BW", "70565", "DE"))
CUSTOMER = Party(name="Hudson Valley Hardware", attention="Receiving", phone="2125550134",
                 address=UpsAddress(("1271 Avenue of the Americas",), "New York", "NY", "10020", "US"))


def invoice_spec(**form_changes: Any) -> ShipmentSpec:
    values: dict[str, Any] = {
        "form_type": INVOICE, "currency": "EUR", "invoice_number": "SH000107", "invoice_date": date(2026, 11, 25),
        "products": (InvoiceProduct("Digital pressure gauge", 4, "EA", Decimal(189), "GAUGEDIG", "902620", "JP"),),
        "sold_to": BUYER, **form_changes}
    form = InvoiceForm(**values)
    return ShipmentSpec(shipper=SHIPPER, shipper_number="A1B2C3", ship_to=BUYER, service_code="07",
                        packages=(PackageSpec(weight=Decimal("18.6")),),
                        description="Pressure gauges", currency="EUR", invoice_total=form.total, invoice=form)


def post(sandbox, session, path: str, body: dict[str, Any], **headers: str) -> Any:
    answer = session.post(f"{sandbox.url}{path}", json=body, headers=headers, timeout=20)
    validate_ups_response("post", path, answer.status_code, answer.json())
    return answer


def test_an_invoice_comes_back_as_a_real_pdf_with_the_forms_group_id(ups_sandbox, ups_sandbox_session):
    answer = post(ups_sandbox, ups_sandbox_session, SHIP, wire.ship_request(invoice_spec()))

    assert answer.status_code == 200, answer.text
    form = answer.json()["ShipmentResponse"]["ShipmentResults"]["Form"]
    assert form["Code"] == "01" and len(form["FormGroupId"]) == 26
    assert form["Image"]["ImageFormat"]["Code"] == "PDF"
    pdf = base64.b64decode(form["Image"]["GraphicImage"])
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-32:]
    result = wire.parse_ship_response(answer.json())
    assert result.forms is not None and result.forms.image is not None and result.forms.image.data == pdf


def _drop(path: str) -> Any:
    def change(body: dict[str, Any]) -> None:
        *parents, leaf = path.split("/")
        node = body["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]["InternationalForms"]
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node.pop(leaf)
    return change


def _set(path: str, value: Any) -> Any:
    def change(body: dict[str, Any]) -> None:
        *parents, leaf = path.split("/")
        node = body["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]["InternationalForms"]
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[leaf] = value
    return change


@pytest.mark.parametrize(("change", "code"), [
    (_drop("InvoiceNumber"), "128065"),
    (_set("InvoiceDate", "20261345"), "128066"),
    (_drop("ReasonForExport"), "128069"),
    (_drop("CurrencyCode"), "128114"),
    (_drop("Contacts"), "128094"),
    (_set("Product/0/Unit/Value", "0"), "128046"),
    (_set("Product/0/Unit/Number", "2.5"), "128043"),
    (_set("Product/0/Unit/UnitOfMeasurement", {"Code": "OTH"}), "128045"),
    (_set("Product/0/CommodityCode", "1234"), "128048"),
    (_set("FormType", ["05"]), "128001"),
    (_set("FormType", ["01", "05"]), "128210"),
    (_set("Contacts/SoldTo/Address/CountryCode", "FR"), "128102"),
])
def test_an_international_shipment_with_incomplete_forms_is_refused_with_upss_code(ups_sandbox, ups_sandbox_session,
                                                                                   change, code):
    body = wire.ship_request(invoice_spec())
    change(body)
    answer = post(ups_sandbox, ups_sandbox_session, SHIP, body)

    assert answer.status_code == 400
    assert answer.json()["response"]["errors"][0]["code"] == code
    assert int(ups_sandbox.stats_payload()["shipments_created"]) == 0


def test_goods_crossing_a_border_without_a_description_are_refused(ups_sandbox, ups_sandbox_session):
    body = wire.ship_request(invoice_spec())
    body["ShipmentRequest"]["Shipment"].pop("Description")
    answer = post(ups_sandbox, ups_sandbox_session, SHIP, body)
    assert answer.status_code == 400 and answer.json()["response"]["errors"][0]["code"] == "120512"


def test_an_invoice_total_the_spec_does_not_ask_for_is_taken_as_ups_takes_it(ups_sandbox, ups_sandbox_session):
    # "Not available for any other shipments", yet karrio sends it on every Ship request in production
    body = wire.ship_request(invoice_spec())
    body["ShipmentRequest"]["Shipment"]["InvoiceLineTotal"] = {"CurrencyCode": "EUR", "MonetaryValue": "756"}
    answer = post(ups_sandbox, ups_sandbox_session, SHIP, body)
    assert answer.status_code == 200, answer.text


def test_goods_entering_the_eu_without_a_product_id_are_refused(ups_sandbox, ups_sandbox_session):
    body = wire.ship_request(invoice_spec())
    product = body["ShipmentRequest"]["Shipment"]["ShipmentServiceOptions"]["InternationalForms"]["Product"][0]
    product.pop("ProductIdentifier")
    product.pop("CommodityFieldSpecialConditionCode")
    answer = post(ups_sandbox, ups_sandbox_session, SHIP, body)
    assert answer.status_code == 400 and answer.json()["response"]["errors"][0]["code"] == "128231"


def test_a_paperless_account_gets_no_copy_unless_it_asks(ups_sandbox, ups_sandbox_session):
    ups_sandbox.paperless = True
    quiet = post(ups_sandbox, ups_sandbox_session, SHIP, wire.ship_request(invoice_spec()))
    asked = post(ups_sandbox, ups_sandbox_session, SHIP, wire.ship_request(invoice_spec(override_paperless=True)))

    assert set(quiet.json()["ShipmentResponse"]["ShipmentResults"]["Form"]) == {"FormGroupId"}
    assert "Image" in asked.json()["ShipmentResponse"]["ShipmentResults"]["Form"]
    assert wire.parse_ship_response(quiet.json()).forms.image is None


def test_uploaded_documents_are_kept_and_named_by_a_ship_request(ups_sandbox, ups_sandbox_session):
    upload = paperless_wire.upload_request(b"%PDF-1.4 invoice", "Invoice SH000107.pdf", "A1B2C3",
                                           document_type=paperless_wire.COMMERCIAL_INVOICE)
    refused = post(ups_sandbox, ups_sandbox_session, UPLOAD, upload, ShipperNumber="A1B2C3")
    assert refused.status_code == 400  # the account is not enabled for paperless documents yet

    ups_sandbox.paperless = True
    answer = post(ups_sandbox, ups_sandbox_session, UPLOAD, upload, ShipperNumber="A1B2C3")
    assert answer.status_code == 200, answer.text
    document_id = paperless_wire.parse_upload_response(answer.json())
    assert isinstance(answer.json()["UploadResponse"]["FormsHistoryDocumentID"]["DocumentID"], list)
    assert len(document_id) == 26

    spec = invoice_spec(form_type=USER_CREATED_FORM, document_ids=(document_id,))
    shipped = post(ups_sandbox, ups_sandbox_session, SHIP, wire.ship_request(spec))
    assert shipped.status_code == 200, shipped.text
    assert set(shipped.json()["ShipmentResponse"]["ShipmentResults"]["Form"]) == {"FormGroupId"}

    unknown = post(ups_sandbox, ups_sandbox_session, SHIP, wire.ship_request(
        invoice_spec(form_type=USER_CREATED_FORM, document_ids=("2026-01-01-00.00.00.000000",))))
    assert unknown.status_code == 400 and unknown.json()["response"]["errors"][0]["code"] == "128223"


def return_spec(service: str, **changes: Any) -> ShipmentSpec:
    values: dict[str, Any] = {
        "shipper": SHIPPER, "shipper_number": "A1B2C3", "ship_to": SHIPPER, "ship_from": CUSTOMER,
        "service_code": "03", "packages": (PackageSpec(weight=Decimal(5), description="Return of SH000101"),),
        "return_service": service, "label_email": "receiving@hudson.example" if service == "8" else "", **changes}
    return ShipmentSpec(**values)


def test_a_print_return_label_comes_with_its_label_and_an_electronic_one_without(ups_sandbox, ups_sandbox_session):
    printed = post(ups_sandbox, ups_sandbox_session, SHIP, wire.ship_request(return_spec(PRINT_RETURN_LABEL)))
    emailed = post(ups_sandbox, ups_sandbox_session, SHIP, wire.ship_request(return_spec(ELECTRONIC_RETURN_LABEL)))

    assert printed.status_code == emailed.status_code == 200
    assert "ShippingLabel" in printed.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"][0]
    package = emailed.json()["ShipmentResponse"]["ShipmentResults"]["PackageResults"][0]
    assert "ShippingLabel" not in package and package["TrackingNumber"].startswith("1Z")
    with ups_sandbox.lock:
        record = ups_sandbox.packages[package["TrackingNumber"]][0]
    assert (record.return_service, record.label_email) == ("8", "receiving@hudson.example")


@pytest.mark.parametrize(("change", "code"), [
    (lambda s: s["Package"][0].pop("Description"), "120622"),
    (lambda s: s.pop("ShipFrom"), "120302"),
    (lambda s: s["ShipmentServiceOptions"].pop("LabelDelivery"), "129176"),
    (lambda s: s["Package"].append(copy.deepcopy(s["Package"][0])), "120624"),
    (lambda s: s["Service"].update(Code="13"), "121320"),
])
def test_a_return_label_ups_would_refuse_is_refused(ups_sandbox, ups_sandbox_session, change, code):
    body = wire.ship_request(return_spec(ELECTRONIC_RETURN_LABEL))
    change(body["ShipmentRequest"]["Shipment"])
    answer = post(ups_sandbox, ups_sandbox_session, SHIP, body)
    assert answer.status_code == 400 and answer.json()["response"]["errors"][0]["code"] == code
