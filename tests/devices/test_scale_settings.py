"""Scale settings, the stable-weight rule and the weight UPS gets."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from shipdesk.devices.scales import (
    ScaleKind,
    ScaleReading,
    ScaleSettings,
    ScaleState,
    WeightUnit,
    check_scale,
    convert,
    ups_unit_for,
    ups_weight,
    wait_for_stable,
)
from shipdesk.devices.scales import hid_recordings as rec
from shipdesk.devices.scales.hid_pos import HidScale
from shipdesk.devices.scales.hid_recordings import RecordedHidDevice
from shipdesk.errors import ConfigError, DeviceError


def test_plain_settings_values_are_accepted() -> None:
    settings = ScaleSettings(kind="NCI", port="COM3", data_format="7e1")  # type: ignore[arg-type]
    assert settings.kind is ScaleKind.NCI and settings.data_format == "7E1" and settings.enabled
    assert settings.where == "the scale on COM3"
    assert not ScaleSettings().enabled
    assert ScaleSettings(kind=ScaleKind.HID, hid_vendor_id=0x922, hid_product_id=0x8004).where == (
        "the USB scale 0922:8004")


@pytest.mark.parametrize(("values", "says"), [
    ({"kind": "scanner"}, "The scale kind 'scanner' is not known. Use none, hid, sics or nci."),
    ({"kind": "sics"}, "The SICS scale has no serial port."),
    ({"kind": "nci", "port": "COM3", "baud_rate": 9601}, "baud rate 9601 is not one serial scales use"),
    ({"kind": "nci", "port": "COM3", "data_format": "8X1"}, "data format '8X1' is not valid"),
    ({"kind": "hid", "hid_vendor_id": 0x10000}, "vendor id must be between 0 and FFFF"),
    ({"stable_readings": 0}, "between 1 and 20"),
    ({"timeout_seconds": 0.1}, "between 0.5 and 60 seconds"),
])
def test_wrong_settings_are_sentences(values: dict, says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)):
        ScaleSettings(**values)


def test_no_scale_set_up_is_said_by_the_test_button() -> None:
    result = check_scale(ScaleSettings())
    assert not result.ok and result.message.startswith("No scale is set up for this station.")


def test_one_reading_is_enough_when_the_scales_own_flag_is_trusted() -> None:
    device = RecordedHidDevice([rec.SETTLING_3_38_LB, rec.PARCEL_3_42_LB, rec.PARCEL_645_2_OZ])
    assert wait_for_stable(HidScale(device), readings=1).weight == Decimal("3.42")
    assert device.reads == 2


def test_a_changed_weight_starts_the_count_again() -> None:
    reports = [rec.PARCEL_3_42_LB, rec.PARCEL_3_42_LB, rec.PARCEL_645_2_OZ, rec.PARCEL_645_2_OZ,
               rec.PARCEL_645_2_OZ]
    device = RecordedHidDevice(reports)
    reading = wait_for_stable(HidScale(device), readings=3)
    assert reading.weight_text == "645.2 oz" and device.reads == 5


def test_an_empty_scale_is_not_a_weight_to_ship(ticking_clock) -> None:
    device = RecordedHidDevice([rec.EMPTY_LB])
    with pytest.raises(DeviceError, match=r"^The USB scale shows zero. Put the package on the scale.$"):
        wait_for_stable(HidScale(device), timeout=3, clock=ticking_clock, pause=lambda _: None)


def test_below_zero_without_a_number(ticking_clock) -> None:
    device = RecordedHidDevice([rec.UNDER_ZERO])
    with pytest.raises(DeviceError, match=r"shows below zero. Take everything off the scale"):
        wait_for_stable(HidScale(device), timeout=3, clock=ticking_clock, pause=lambda _: None)


@pytest.mark.parametrize(("weight", "unit", "ups_unit", "expected"), [
    ("3.42", WeightUnit.LB, "LBS", "3.42"),
    ("3.421", WeightUnit.LB, "LBS", "3.43"),  # never under-declared
    ("645.2", WeightUnit.OZ, "LBS", "40.33"),  # 40.325 lb
    ("645.2", WeightUnit.OZ, "OZS", "645.20"),
    ("1", WeightUnit.KG, "LBS", "2.21"),  # 2.2046... lb
    ("1", WeightUnit.LB, "KGS", "0.46"),  # 0.45359237 kg
    ("0.001", WeightUnit.G, "KGS", "0.01"),  # the smallest weight UPS can be sent
])
def test_weight_for_ups(weight: str, unit: WeightUnit, ups_unit: str, expected: str) -> None:
    reading = ScaleReading(ScaleState.WEIGHT, Decimal(weight), unit)
    assert ups_weight(reading, ups_unit) == Decimal(expected)  # type: ignore[arg-type]


def test_only_a_stable_weight_goes_to_ups() -> None:
    with pytest.raises(DeviceError, match=r"The scale shows 3.40 lb, in motion, not a weight to ship."):
        ups_weight(ScaleReading(ScaleState.MOTION, Decimal("3.40"), WeightUnit.LB), "LBS")


def test_units_and_conversion() -> None:
    assert convert(Decimal(16), WeightUnit.OZ, WeightUnit.LB) == Decimal(1)
    assert convert(Decimal("2.5"), WeightUnit.KG, WeightUnit.G) == Decimal(2500)
    assert [ups_unit_for(u) for u in WeightUnit] == ["LBS", "LBS", "KGS", "KGS"]
