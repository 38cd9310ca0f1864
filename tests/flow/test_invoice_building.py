"""The commercial invoice built from Acumatica's records (pure: no network), what goes in the Ship request for
each ``[international]`` choice, and shipdesk's own PDF of it."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shipdesk.acumatica.models import (
    Address,
    Contact,
    CrossReference,
    ItemAttribute,
    OrderLink,
    Package,
    PricedOrder,
    SalesOrderLine,
    Shipment,
    ShipmentLine,
    StockItem,
)
from shipdesk.core.settings.config import InternationalConfig, InvoiceSource
from shipdesk.core.shipping import international
from shipdesk.core.shipping.international import CustomsData, CustomsInvoice
from shipdesk.core.shipping.papers import invoice_pdf
from shipdesk.ups.models import INVOICE, USER_CREATED_FORM, PackageSpec, Party, ShipmentSpec, UpsAddress

BUYER = Party(name="Ferretería del Norte S.A. de C.V.", attention="José Peña", phone="+528155550123",
              address=UpsAddress(("Av. Constitución 444",), "Monterrey", "NL", "64000", "MX"))
SHIPMENT = Shipment(id="g", shipment_nbr="SH000109", status="Open", ship_via="UPSWWEXP",
                    ship_to_address=Address("Av. Constitución 444", "", "Monterrey", "NL", "64000", "MX"),
                    ship_to_contact=Contact("José Peña", "Ferretería del Norte", "c@f.example", "+528155550123"),
                    packages=(Package(id="p1", weight=Decimal("13.2"), uom="LB"),),
                    orders=(OrderLink("SO", "SO005109"),))
GLOVES = StockItem("GLOVENT", "Nitrile work gloves", "401519", "MY",
                   attributes=(ItemAttribute("HSCODE", "HS tariff code", "4015.19"),),
                   cross_references=(CrossReference("Global", "401519", "HS"), CrossReference("Barcode", "400123")))


def data(**changes: Any) -> CustomsData:
    values: dict[str, Any] = {
        "lines": (ShipmentLine(1, "GLOVENT", "Nitrile work gloves", Decimal(120), "PR", "SO", "SO005109", 1),),
        "orders": {("SO", "SO005109"): PricedOrder("SO", "SO005109", "USD", "PO-48363", (
            SalesOrderLine(1, "GLOVENT", "Gloves", Decimal(120), "PR", Decimal("2.00"), Decimal("234.00")),))},
        "items": {"GLOVENT": GLOVES}, **changes}
    return CustomsData(**values)


def build(config: InternationalConfig | None = None, **changes: Any) -> CustomsInvoice | list[str]:
    return international.build_invoice(SHIPMENT, data(**changes), config or InternationalConfig(), buyer=BUYER,
                                       today=date(2026, 11, 25))


def test_each_shipment_line_is_a_product_at_the_orders_price_after_discounts():
    invoice = build()
    assert isinstance(invoice, CustomsInvoice) and invoice.form is not None
    (product,) = invoice.form.products
    assert (product.part_number, product.quantity, product.unit, product.unit_value) == (
        "GLOVENT", 120, "PR", Decimal("1.9500"))  # 234.00 / 120: the line amount over its quantity
    assert (product.commodity_code, product.origin_country) == ("401519", "MY")
    form = invoice.form
    assert (form.currency, form.invoice_number, form.purchase_order, form.invoice_date) == (
        "USD", "SH000109", "PO-48363", date(2026, 11, 25))
    assert form.sold_to == BUYER and form.terms_of_shipment == "DAP" and form.reason_for_export == "SALE"


@pytest.mark.parametrize(("source", "expected"), [
    ("TariffCode", "401519"), ("attribute:HSCODE", "4015.19"), ("attribute:hs tariff code", "4015.19"),
    ("crossref:Global", "401519"), ("crossref:Global/HS", "401519"), ("crossref:Barcode/HS", ""),
    ("attribute:NOPE", ""),
])
def test_the_tariff_code_is_read_where_the_settings_say(source, expected):
    assert international.field_value(GLOVES, source) == expected


@pytest.mark.parametrize(("uom", "code", "other"), [("EA", "EA", ""), ("pair", "PR", ""), ("BOX", "BOX", ""),
                                                    ("KG", "KGS", ""), ("SLEEVE", "OTH", "SLE"), ("", "EA", "")])
def test_acumatica_units_become_upss_product_units(uom, code, other):
    assert international.unit_code(uom) == (code, other)


def test_orders_in_two_currencies_cannot_share_one_invoice():
    two = {("SO", "SO005109"): PricedOrder("SO", "SO005109", "USD", lines=(
        SalesOrderLine(1, "GLOVENT", "", Decimal(1), "PR", Decimal(2)),)),
           ("SO", "SO005110"): PricedOrder("SO", "SO005110", "MXN")}
    problems = build(orders=two)
    assert problems == ["Shipment SH000109 ships orders in MXN and USD: a commercial invoice has one currency. "
                        "Ship the orders separately."]


def test_a_fraction_of_a_unit_or_a_non_stock_item_is_named():
    problems = build(lines=(ShipmentLine(1, "GLOVENT", "", Decimal("2.5"), "PR", "SO", "SO005109", 1),
                            ShipmentLine(2, "FREIGHT", "", Decimal(1), "EA", "SO", "SO005109", 2)))
    assert isinstance(problems, list)
    assert problems[0].startswith("Item GLOVENT ships 2.5 PR: UPS's invoice takes whole quantities")
    assert problems[1].startswith("Item FREIGHT is not a stock item in Acumatica")


def test_documents_only_when_every_line_is_a_document_item():
    assert build(InternationalConfig(document_items=("glovent",))) == CustomsInvoice(None, documents_only=True)
    assert isinstance(build(InternationalConfig(document_items=("DOCS",))), CustomsInvoice)


@pytest.mark.parametrize(("settings", "destination", "ids", "form_type", "override"), [
    ({}, "MX", (), INVOICE, False),
    ({"paperless": True}, "MX", (), INVOICE, True),
    ({"paperless": True, "paperless_exclude": ("MX",)}, "MX", (), INVOICE, False),
    ({"invoice": InvoiceSource.SHIPDESK, "paperless": True}, "MX", ("2026-11-25-10.00.00.000001",),
     USER_CREATED_FORM, False),
    ({"invoice": InvoiceSource.SHIPDESK}, "MX", (), None, False),
])
def test_what_the_ship_request_carries_for_each_choice(settings, destination, ids, form_type, override):
    invoice = build()
    assert isinstance(invoice, CustomsInvoice)
    form = international.request_form(invoice, InternationalConfig(**settings), destination, ids)
    assert (form.form_type if form else None) == form_type
    if form is not None:
        assert form.override_paperless is override and form.document_ids == ids


def test_invoices_print_unless_paperless_is_used_for_the_destination():
    assert international.prints_invoice(InternationalConfig(), "MX")
    assert not international.prints_invoice(InternationalConfig(paperless=True), "MX")
    assert international.prints_invoice(InternationalConfig(paperless=True, paperless_exclude=("MX",)), "MX")
    assert not international.prints_invoice(InternationalConfig(invoice_copies=0), "MX")


def test_shipdesks_pdf_shows_the_invoice_with_names_as_they_are(tmp_path: Path):
    invoice = build()
    assert isinstance(invoice, CustomsInvoice) and invoice.form is not None
    shipper = Party(name="ACME Industrial Supply", attention="Shipping Dept", phone="4045550100",
                    address=UpsAddress(("100 Main St",), "Atlanta", "GA", "30301", "US"))
    spec = ShipmentSpec(shipper=shipper, shipper_number="A1B2C3", ship_to=BUYER, service_code="07",
                        packages=(PackageSpec(weight=Decimal("13.2")),))
    pdf = tmp_path / "invoice.pdf"
    pdf.write_bytes(invoice_pdf(invoice.form, spec, waybill="1ZA1B2C30712345678", shipment_id="1ZA1B2C30712345678"))
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
                    .stdout.split())
    for expected in ("Commercial invoice", "SH000109", "PO-48363", "Ferretería del Norte", "José Peña", "401519",
                     "MY", "1.95", "234.00 USD", "1ZA1B2C30712345678", "UPS Worldwide Express", "DAP", "SALE"):
        assert expected in text, expected
