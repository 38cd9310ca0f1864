"""Boxes, weights and sizes edited at the station go back to the Acumatica shipment BEFORE the label, and are read
back like tracking numbers; the Acumatica sandbox enforces what Acumatica does (BoxID from the Boxes screen,
Type and UOM read-only, rows editable only while the shipment is Open)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.acumatica.errors import RecordRefused
from shipdesk.acumatica.packages import PackageRow, PackagesNotSaved
from shipdesk.core.settings.config import check_settings
from shipdesk.core.shipping.packing import PackageEdit
from shipdesk.core.store import jobs, shipments
from shipdesk.errors import ShipdeskError
from shipdesk.specs import validate_acumatica_request

BOXES = {"packing": {"boxes": [{"name": "SMALL", "length": 10, "width": 8, "height": 6, "tare": 0.3},
                               {"name": "LARGE", "length": 20, "width": 16, "height": 14, "tare": 1.1}]}}


@pytest.fixture
def packing_flow(make_flow, config):
    flow = make_flow()
    flow.config = flow.parts.config = replace(config, packing=check_settings(BOXES, "test").packing)
    return flow


def acumatica(sandboxes) -> AcumaticaClient:
    return AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001", auth=CookieAuth("admin", "demo", "Demo"))


def test_box_and_weight_go_to_acumatica_before_the_label_and_ship_as_saved(packing_flow, read_acumatica, sandboxes):
    saved = packing_flow.edit_packages("SH000101", [PackageEdit("SMALL", Decimal("3.45"))])

    in_acumatica = read_acumatica("SH000101")
    (package,) = in_acumatica.packages
    assert (package.box_id, package.weight, package.uom) == ("SMALL", Decimal("3.45"), "LB")
    assert (package.length, package.width, package.height) == (Decimal(10), Decimal(8), Decimal(6))  # the box's
    assert saved.packages == in_acumatica.packages
    assert shipments.get_shipment("SH000101").packages[0].box_id == "SMALL"  # the local copy follows

    outcome = packing_flow.ship("SH000101", print_labels=False)
    assert outcome.ok
    (sent,) = jobs.latest_job("SH000101").request["ShipmentRequest"]["Shipment"]["Package"]
    assert sent["PackageWeight"]["Weight"] == "3.45"  # what the station weighed, not the seed's 12.5
    assert (sent["Dimensions"]["Length"], sent["Dimensions"]["Width"], sent["Dimensions"]["Height"]) == ("10", "8", "6")

    from shipdesk.ui.store_views import charge_text  # what the detail pane shows of the label's charges

    job = jobs.latest_job("SH000101")
    assert charge_text(job) == f"${job.charges} (your rate ${job.negotiated_charges})"  # dollars as English writes them


def test_packages_are_added_and_removed(packing_flow, read_acumatica):
    before = read_acumatica("SH000127")  # two packages
    packing_flow.edit_packages("SH000127", [PackageEdit("LARGE", Decimal("18")), PackageEdit("SMALL", Decimal("2")),
                                            PackageEdit("SMALL", Decimal("2.5"), Decimal(9), Decimal(7), Decimal(5))])
    after = read_acumatica("SH000127")
    assert [p.id for p in after.packages[:2]] == [p.id for p in before.packages]  # rows kept by id
    assert [(p.box_id, p.weight, p.length) for p in after.packages] == [
        ("LARGE", Decimal(18), Decimal(20)), ("SMALL", Decimal(2), Decimal(10)), ("SMALL", Decimal("2.5"), Decimal(9))]

    packing_flow.edit_packages("SH000127", [PackageEdit("MEDIUM", Decimal("7"))])
    (only,) = read_acumatica("SH000127").packages
    assert only.id == before.packages[0].id and only.box_id == "MEDIUM"


def test_acumatica_refuses_a_box_it_does_not_have(packing_flow, read_acumatica):
    with pytest.raises(RecordRefused, match="Box ID 'CRATE' cannot be found in the system"):
        packing_flow.edit_packages("SH000101", [PackageEdit("CRATE", Decimal("3"))])
    assert read_acumatica("SH000101").packages[0].box_id == "MEDIUM"  # nothing changed


def test_type_and_uom_stay_acumaticas_and_a_confirmed_shipment_keeps_its_rows(sandboxes):
    with acumatica(sandboxes) as acu:
        shipment = acu.get_shipment("SH000101")
        body = {"ShipmentNbr": {"value": "SH000101"}, "Packages": [
            {"id": shipment.packages[0].id, "UOM": {"value": "KG"}, "Type": {"value": "Auto"},
             "Weight": {"value": 4.0}}]}
        validate_acumatica_request("24.200.001", "PUT", "/Shipment", body)
        saved = acu.call_json("PUT", acu.url("/Shipment"), json=body, params={"$expand": "Packages"},
                              doing="test")
        row = saved["Packages"][0]
        assert (row["UOM"]["value"], row["Type"]["value"], row["Weight"]["value"]) == ("LB", "Manual", 4.0)

        confirmed = acu.get_shipment("SH000115")
        with pytest.raises(PackagesNotSaved, match="read-only once a shipment is Confirmed"):
            acu.write_packages(confirmed, [PackageRow(confirmed.packages[0].id, "SMALL", Decimal("1.5"))])


def test_the_station_refuses_to_change_a_labelled_or_confirmed_shipment(packing_flow):
    with pytest.raises(ShipdeskError, match="already has a label"):
        packing_flow.edit_packages("SH000116", [PackageEdit("SMALL", Decimal("3"))])
    with pytest.raises(ShipdeskError, match="only while it is Open"):
        packing_flow.edit_packages("SH000115", [PackageEdit("SMALL", Decimal("3"))])
    with pytest.raises(ShipdeskError, match="no weight"):
        packing_flow.edit_packages("SH000101", [PackageEdit("SMALL", Decimal("0"))])


def test_the_boxes_screen_is_read(sandboxes):
    with acumatica(sandboxes) as acu:
        boxes = {b.box_id: b for b in acu.shipping_boxes()}
    assert {"SMALL", "MEDIUM", "LARGE"} <= set(boxes) and boxes["MEDIUM"].length == Decimal(14)


def test_the_package_put_meets_the_endpoint_schema():
    from shipdesk.acumatica.values import wrap

    rows = [PackageRow("3f1c", "SMALL", Decimal("2.5")), PackageRow("", "LARGE", Decimal(9), Decimal(20), Decimal(16),
                                                                   Decimal(14))]
    body = wrap({"ShipmentNbr": "SH000101", "id": "9b2e", "Packages": [r.wire() for r in rows] + [
        {"id": "77aa", "delete": True}]})
    validate_acumatica_request("24.200.001", "PUT", "/Shipment", body)


def test_a_kg_scale_weighs_in_the_shipments_pounds(packing_flow):
    from shipdesk.core.shipping.packing import station_weight
    from shipdesk.devices.scales import ScaleReading, ScaleState, WeightUnit

    packing_flow.edit_packages("SH000101", [PackageEdit("SMALL", Decimal("1"))])  # pulled: its rows weigh in LB
    weight = station_weight(ScaleReading(ScaleState.WEIGHT, Decimal("2.00"), WeightUnit.KG), "SH000101")
    assert Decimal("4.40") < weight <= Decimal("4.41")  # 2 kg = 4.409 lb, never under-declared
