"""Units and currency follow ``[region]`` and ``[shipper] country`` (issue 17), not a fixed US default; what goes
to UPS stays what UPS takes from the origin (pounds and inches from the US and Puerto Rico, one system a package)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shipdesk.core import day_report
from shipdesk.core.settings.config import Config, WeightUnitChoice
from shipdesk.core.shipping import packing, returns
from shipdesk.core.shipping.mapping import map_shipment, settings_from_config
from shipdesk.core.store import repository
from shipdesk.demo.settings import demo_config
from shipdesk.devices.scales import ScaleReading, ScaleState, WeightUnit
from shipdesk.specs import validate_ups_request
from shipdesk.ups import wire
from tests.flow.factories import package, shipment
from tests.ups.fakes import assert_valid_request


def warehouse(country: str, weight_unit: WeightUnitChoice = WeightUnitChoice.AUTO, currency: str = "") -> Config:
    config = demo_config("http://127.0.0.1:1/AcumaticaERP", "http://127.0.0.1:2")
    return replace(config, shipper=replace(config.shipper, country=country),
                   region=replace(config.region, weight_unit=weight_unit, currency=currency))


def sent(config: Config, uom: str) -> tuple[str, str | None]:
    """(weight unit, size unit) UPS gets for a package Acumatica gives ``uom`` (and sizes) for."""
    parcel = package(uom=uom, length=Decimal(30), width=Decimal(20), height=Decimal(10))
    spec = map_shipment(shipment(packages=(parcel,)), settings_from_config(config)).spec
    return spec.packages[0].weight_unit, spec.packages[0].dimension_unit


def test_a_warehouse_in_mexico_weighs_in_kilograms_and_declares_in_pesos_where_acumatica_gives_no_unit():
    mexico = warehouse("MX")
    assert sent(mexico, "") == ("KGS", "CM")
    assert settings_from_config(mexico).currency == "MXN"
    assert sent(mexico, "LB") == ("LBS", "IN")  # Acumatica's own unit of the package still wins


def test_a_us_warehouse_keeps_pounds_dollars_and_inches():
    us = warehouse("US")
    assert sent(us, "") == ("LBS", "IN") and settings_from_config(us).currency == "USD"


@pytest.mark.parametrize("country", ["US", "PR"])
def test_kilograms_on_the_screens_of_a_us_warehouse_never_reach_ups(country):
    """UPS refuses KGS/CM from the US and Puerto Rico ("This measurement system is not valid for the selected
    country or territory"): the setting changes what the clerk reads, not what UPS gets."""
    assert sent(warehouse(country, WeightUnitChoice.KILOGRAMS), "") == ("LBS", "IN")


@pytest.mark.parametrize("country", ["US", "PR"])
def test_a_box_acumatica_weighs_in_kilograms_goes_to_ups_in_pounds_from_the_us(country):
    """UPS refuses KGS and CM from a US or Puerto Rico shipper (121057 from Ship, 111057 from Rate): the box is
    converted, its weight rounded up (never under what the scale said), and the Rate request holds too."""
    assert sent(warehouse(country), "KG") == ("LBS", "IN")
    parcel = package(uom="KG", weight="8.4", length=Decimal(40), width=Decimal(30), height=Decimal(25))
    spec = map_shipment(shipment(packages=(parcel,)), settings_from_config(warehouse(country))).spec
    assert spec.packages[0].weight == Decimal("18.52")  # 18.5188 lb
    assert_valid_request("POST", "/api/rating/v2409/Rate", wire.rate_request(spec, shop=False))  # + 111057
    assert sent(warehouse("MX"), "KG") == ("KGS", "CM")  # from Mexico a kilogram stays a kilogram


def test_ounces_and_pounds_from_the_us_go_as_they_are():
    """UPS takes ounces with inches (its 110548 names only OZS with CM): nothing to convert."""
    assert sent(warehouse("US"), "OZ") == ("OZS", "IN")
    parcel = package(uom="LB", weight="3.333")
    (spec_package,) = map_shipment(shipment(packages=(parcel,)), settings_from_config(warehouse("US"))).spec.packages
    assert spec_package.weight == Decimal("3.333")  # the wire rounds it up to fit UPS's field, not mapping


def test_a_us_warehouse_gets_a_label_for_a_shipment_acumatica_weighs_in_kilograms(sandboxes, flow):
    """SH000107 is weighed in KG in Acumatica (8.4 kg in 40x30x25 cm, 5.1 kg in 30x20x15 cm) and the demo
    warehouse is in Atlanta: the sandbox refuses KGS from there as UPS does, so the label only comes with
    pounds and inches in the request."""
    flow.pull()
    outcome = flow.ship("SH000107")

    assert outcome.ok, outcome.message
    request = repository.latest_job("SH000107").request
    validate_ups_request("post", "/api/shipments/v2409/ship", request)  # the schema and UPS's prose rules
    packages = request["ShipmentRequest"]["Shipment"]["Package"]
    assert [(p["PackageWeight"]["UnitOfMeasurement"]["Code"], p["PackageWeight"]["Weight"]) for p in packages] == [
        ("LBS", "18.52"), ("LBS", "11.25")]  # 18.5188 and 11.2436 lb, rounded up
    sizes = packages[0]["Dimensions"]
    assert sizes["UnitOfMeasurement"]["Code"] == "IN"
    assert (sizes["Length"], sizes["Width"], sizes["Height"]) == ("16", "12", "9.9")  # 15.75, 11.82, 9.85 in


def test_the_region_setting_overrides_the_country_and_sizes_follow_the_weight():
    assert sent(warehouse("MX", WeightUnitChoice.POUNDS), "") == ("LBS", "IN")  # never LBS with CM (UPS 110548)
    assert settings_from_config(warehouse("MX", currency="usd")).currency == "USD"


def test_a_return_stores_the_unit_ups_got_when_acumatica_has_none():
    parcel = package(uom="", weight="4")
    assert returns._return_package(shipment(packages=(parcel,)), "KGS").uom == "KG"
    assert returns._return_package(shipment(packages=(package(uom="LB"),)), "KGS").uom == "LB"


def test_the_scale_weighs_in_the_warehouse_unit_when_the_shipment_has_none(monkeypatch):
    monkeypatch.setattr(packing.shipments, "get_shipment", lambda nbr: None)  # not pulled yet: no unit known
    reading = ScaleReading(ScaleState.WEIGHT, Decimal("2.00"), WeightUnit.KG)
    assert packing.station_weight(reading, "SH000999", "KGS") == Decimal("2.00")
    assert Decimal("4.40") < packing.station_weight(reading, "SH000999") <= Decimal("4.41")  # pounds by default


def test_the_day_summary_adds_weights_up_in_the_warehouse_unit(monkeypatch):
    monkeypatch.setattr(day_report, "rows_for", lambda day: [])
    assert day_report.day_summary(SimpleNamespace(config=warehouse("MX")), date(2026, 12, 7)).weight_unit == "KGS"
    assert day_report.day_summary(SimpleNamespace(config=warehouse("US")), date(2026, 12, 7)).weight_unit == "LBS"
    lb = warehouse("MX", WeightUnitChoice.POUNDS)
    assert day_report.day_summary(SimpleNamespace(config=lb), date(2026, 12, 7)).weight_unit == "LBS"
