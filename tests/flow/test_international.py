"""International shipments of the seeded day against the sandboxes: each gets its label and its invoice,
every Ship request holds to UPS's spec and prose rules, and what is missing in Acumatica is said per item."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import InvoiceSource
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import repository
from shipdesk.specs import validate_ups_request

#: shipment → (destination, the order's currency)
INTERNATIONAL = {"SH000106": ("CA", "CAD"), "SH000107": ("DE", "EUR"), "SH000108": ("GB", "GBP"),
                 "SH000109": ("MX", "USD")}
SHIP_PATH = "/api/shipments/v2409/ship"


def international_flow(flow: ShipFlow, **settings: Any) -> ShipFlow:
    config = flow.context.config
    flow.context.reconfigure(replace(config, international=replace(config.international, **settings)))
    flow.config = flow.parts.config = flow.context.config
    return flow


def ship_one(flow: ShipFlow, nbr: str) -> Any:
    flow.pull()
    outcome = flow.ship(nbr)
    assert outcome.ok, outcome.message
    return repository.latest_job(nbr)


def forms_of(job: Any) -> dict[str, Any]:
    return job.request["ShipmentRequest"]["Shipment"].get("ShipmentServiceOptions", {}).get("InternationalForms", {})


def test_each_international_shipment_of_the_day_gets_its_label_and_ups_invoice(flow, sandboxes):
    flow.pull()
    outcomes = flow.ship_many(sorted(INTERNATIONAL))

    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    for nbr, (country, currency) in INTERNATIONAL.items():
        job = repository.latest_job(nbr)
        validate_ups_request("post", SHIP_PATH, job.request)  # the schema and UPS's prose rules
        forms = forms_of(job)
        assert forms["FormType"] == ["01"] and forms["CurrencyCode"] == currency
        assert forms["Contacts"]["SoldTo"]["Address"]["CountryCode"] == country
        invoice = flow.context.archive.load(nbr, f"invoice-{job.ups_shipment_id}")
        assert invoice is not None and invoice.data.startswith(b"%PDF"), "UPS's invoice is kept with the label"
        assert b"COMMERCIAL INVOICE" in invoice.data or invoice.format == "PDF"
    printed = sorted(p.name for p in (flow.context.paths.root / "printed").glob("*-invoice.pdf"))
    assert len(printed) == len(INTERNATIONAL), "each invoice goes to the printer with its label"


def test_invoice_lines_come_from_the_shipment_with_the_orders_prices_and_the_items_tariff_codes(flow):
    job = ship_one(flow, "SH000106")
    products = forms_of(job)["Product"]

    assert [(p["PartNumber"], p["Unit"]["Number"], p["Unit"]["UnitOfMeasurement"]["Code"], p["Unit"]["Value"],
             p["CommodityCode"], p["OriginCountryCode"]) for p in products] == [
        ("BOLTM8", "10", "BOX", "28.5", "731815", "DE"), ("VALVEBR12", "20", "EA", "19.4", "848180", "IT")]
    assert forms_of(job)["PurchaseOrderNumber"].startswith("PO-")
    assert forms_of(job)["TermsOfShipment"] == "DAP" and forms_of(job)["ReasonForExport"] == "SALE"


@pytest.mark.parametrize(("source", "place"), [
    ("TariffCode", "Stock Items › GAUGEDIG › Tariff Code"),
    ("attribute:HSCODE", "Stock Items › GAUGEDIG › Attributes › HSCODE"),
    ("crossref:Global/HS", "Stock Items › GAUGEDIG › Cross-Reference of type Global described HS"),
])
def test_a_missing_tariff_code_is_one_sentence_naming_the_item_and_the_field(flow, sandboxes, source, place):
    international_flow(flow, tariff_code_field=source)
    with sandboxes.acumatica.lock:
        item = sandboxes.acumatica.documents.stock_item("GAUGEDIG")
        item["TariffCode"] = None
        item["Attributes"] = [a for a in item["Attributes"] if a["AttributeID"] != "HSCODE"]
        item["CrossReferences"] = [r for r in item["CrossReferences"] if r["AlternateType"] != "Global"]
    flow.pull()
    outcome = flow.ship("SH000107")

    assert not outcome.ok and outcome.reason is Reason.NEEDS_ATTENTION
    assert outcome.problems == (f"Item GAUGEDIG has no tariff (HS) code: fill in {place} in Acumatica.",)
    assert repository.get_shipment("SH000107").state == State.NEEDS_ATTENTION.value
    assert int(sandboxes.ups.stats_payload()["shipments_created"]) == 0


def test_tariff_codes_and_origins_can_be_read_from_attributes_or_cross_references(flow):
    international_flow(flow, tariff_code_field="crossref:Global", origin_field="attribute:ORIGIN")
    products = forms_of(ship_one(flow, "SH000108"))["Product"]
    assert (products[0]["CommodityCode"], products[0]["OriginCountryCode"]) == ("820750", "US")


def test_an_item_without_a_price_or_origin_is_named(flow, sandboxes):
    with sandboxes.acumatica.lock:
        sandboxes.acumatica.documents.stock_item("DRILL10")["CountryOfOrigin"] = None
        order = sandboxes.acumatica.documents.sales_order("SO", "SO005108")
        order["Details"][0]["UnitPrice"] = order["Details"][0]["Amount"] = 0.0
    flow.pull()
    outcome = flow.ship("SH000108")

    assert outcome.problems == (
        "Item DRILL10 has no country of origin: fill in Stock Items › DRILL10 › Country of Origin in Acumatica.",
        "Item DRILL10 has no price on sales order SO SO005108: UPS's invoice needs a value above zero for each "
        "item; fill in its Unit Price on the order in Acumatica.")


def test_shipdesk_invoice_without_paperless_is_printed_and_ups_gets_no_forms(flow):
    international_flow(flow, invoice=InvoiceSource.SHIPDESK)
    job = ship_one(flow, "SH000107")

    assert forms_of(job) == {}
    invoice = flow.context.archive.load("SH000107", f"invoice-{job.ups_shipment_id}")
    assert invoice is not None and invoice.data.startswith(b"%PDF")
    assert list((flow.context.paths.root / "printed").glob("*-invoice.pdf"))


def test_shipdesk_invoice_with_paperless_is_uploaded_first_and_not_printed(flow, sandboxes):
    sandboxes.ups.paperless = True
    international_flow(flow, invoice=InvoiceSource.SHIPDESK, paperless=True)
    job = ship_one(flow, "SH000107")

    forms = forms_of(job)
    assert forms["FormType"] == ["07"]
    (document_id,) = forms["UserCreatedForm"]["DocumentID"]
    with sandboxes.ups.lock:
        uploaded = sandboxes.ups.forms_history.documents[document_id]
    assert uploaded.document_type == "002" and uploaded.data.startswith(b"%PDF")
    assert flow.context.archive.load("SH000107", f"invoice-{job.ups_shipment_id}") is not None
    assert not list((flow.context.paths.root / "printed").glob("*-invoice.pdf")), "paperless: nothing printed"


def test_ups_paperless_invoice_asks_for_a_copy_keeps_it_and_prints_nothing(flow, sandboxes):
    sandboxes.ups.paperless = True
    international_flow(flow, paperless=True)
    job = ship_one(flow, "SH000106")

    assert "OverridePaperlessIndicator" in forms_of(job)
    assert flow.context.archive.load("SH000106", f"invoice-{job.ups_shipment_id}").data.startswith(b"%PDF")
    assert not list((flow.context.paths.root / "printed").glob("*-invoice.pdf"))


def test_a_destination_excluded_from_paperless_gets_its_invoice_printed(flow, sandboxes):
    sandboxes.ups.paperless = True
    international_flow(flow, paperless=True, paperless_exclude=("MX",))
    job = ship_one(flow, "SH000109")

    assert "OverridePaperlessIndicator" not in forms_of(job)
    assert list((flow.context.paths.root / "printed").glob("*-invoice.pdf"))


def test_a_shipment_of_documents_gets_no_invoice(flow, sandboxes):
    international_flow(flow, document_items=("DRILL10",))  # SH000108 ships only DRILL10: treat it as papers
    job = ship_one(flow, "SH000108")

    shipment = job.request["ShipmentRequest"]["Shipment"]
    assert forms_of(job) == {} and shipment["Description"] == "Documents"
    assert "DocumentsOnlyIndicator" not in shipment  # UPS refuses the flag from the US (120523)
    assert "InvoiceLineTotal" not in shipment
    assert flow.context.archive.load("SH000108", f"invoice-{job.ups_shipment_id}") is None


def test_reprint_prints_the_invoice_again_with_the_labels(flow):
    job = ship_one(flow, "SH000108")
    before = len(list((flow.context.paths.root / "printed").glob("*-invoice.pdf")))
    outcome = flow.reprint("SH000108")

    assert outcome.ok and job is not None
    assert len(list((flow.context.paths.root / "printed").glob("*-invoice.pdf"))) == before + 1
