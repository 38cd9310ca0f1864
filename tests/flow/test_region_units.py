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
from shipdesk.demo.settings import demo_config
from shipdesk.devices.scales import ScaleReading, ScaleState, WeightUnit
from tests.flow.factories import package, shipment


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
