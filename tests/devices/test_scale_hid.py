"""USB HID POS scales: recorded Scale Data Reports decoded and played through the HID scale back-end."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

from shipdesk.devices.scales import ScaleKind, ScaleSettings, ScaleState, WeightUnit, check_scale, wait_for_stable
from shipdesk.devices.scales import hid_recordings as rec
from shipdesk.devices.scales.hid_pos import HidScale, decode_report, find_scale, open_hid_scale
from shipdesk.devices.scales.hid_recordings import RecordedHidDevice
from shipdesk.errors import DeviceError


@pytest.mark.parametrize(("report", "state", "weight", "unit"), [
    (rec.EMPTY_OZ, ScaleState.ZERO, "0.0", WeightUnit.OZ),
    (rec.PARCEL_645_2_OZ, ScaleState.WEIGHT, "645.2", WeightUnit.OZ),
    (rec.EMPTY_LB, ScaleState.ZERO, "0.00", WeightUnit.LB),
    (rec.SETTLING_3_10_LB, ScaleState.MOTION, "3.10", WeightUnit.LB),
    (rec.PARCEL_3_42_LB, ScaleState.WEIGHT, "3.42", WeightUnit.LB),
    (rec.PARCEL_1_25_KG, ScaleState.WEIGHT, "1.250", WeightUnit.KG),
    (rec.PARCEL_850_G, ScaleState.WEIGHT, "850", WeightUnit.G),
    (rec.UNDER_ZERO, ScaleState.NEGATIVE, None, None),
    (rec.OVER_WEIGHT, ScaleState.OVERLOAD, None, None),
])
def test_scale_data_reports(report: bytes, state: ScaleState, weight: str | None, unit: WeightUnit | None) -> None:
    reading = decode_report(report)
    assert reading is not None
    assert (reading.state, reading.weight, reading.unit) == (state, Decimal(weight) if weight else None, unit)


@pytest.mark.parametrize(("report", "says"), [
    (rec.FAULT, "reports a fault"),
    (rec.NEEDS_CALIBRATION, "needs calibrating"),
    (rec.NEEDS_REZEROING, "needs zeroing: empty it and press its Zero key"),
    (rec.IN_CARATS, "weighs in carats: set it to lb, oz, kg or g"),
])
def test_reports_a_clerk_must_act_on(report: bytes, says: str) -> None:
    reading = decode_report(report)
    assert reading is not None and reading.state is ScaleState.ERROR and says in reading.describe()


def test_other_reports_are_not_weights() -> None:
    assert decode_report(rec.CONTROL_REPORT) is None
    assert decode_report(bytes([0x05, 0x0C, 0xFE, 0x10, 0x27, 0x00])) is None  # weight limit report (id 5)


def test_a_box_put_down_is_weighed_once_three_reports_agree() -> None:
    device = RecordedHidDevice(rec.BOX_PUT_DOWN_LB)
    reading = wait_for_stable(HidScale(device), readings=3)
    assert reading.describe() == "3.42 lb, stable"
    assert device.reads == 6  # empty, two in motion, then three equal stable reports


def test_the_previous_boxs_reports_waiting_in_the_queue_are_not_taken_for_this_one() -> None:
    # the scale kept sending 645.2 oz while nobody read; then the clerk puts the new box down
    device = RecordedHidDevice(rec.BOX_PUT_DOWN_LB, queued=[rec.PARCEL_645_2_OZ] * 5)
    reading = wait_for_stable(HidScale(device), readings=3)
    assert reading.describe() == "3.42 lb, stable"


def test_a_scale_that_reports_only_changes_still_settles() -> None:
    device = RecordedHidDevice([rec.SETTLING_3_38_LB, rec.PARCEL_3_42_LB])  # then silence: nothing changed
    reading = wait_for_stable(HidScale(device), readings=3)
    assert reading.weight == Decimal("3.42") and device.reads == 4


def test_a_fault_ends_the_wait_at_once() -> None:
    device = RecordedHidDevice([rec.PARCEL_3_42_LB, rec.FAULT, rec.PARCEL_3_42_LB])
    with pytest.raises(DeviceError, match=r"^The USB scale: the scale reports a fault: switch it off and on.$"):
        wait_for_stable(HidScale(device), readings=3)
    assert device.reads == 2


def test_a_scale_that_sends_nothing_says_so() -> None:
    with pytest.raises(DeviceError, match=r"The USB scale sends no weight. Switch the scale on"):
        HidScale(RecordedHidDevice([])).read()


def test_a_scale_unplugged_while_reading_says_so() -> None:
    device = RecordedHidDevice([rec.PARCEL_3_42_LB])
    scale = HidScale(device, name="the USB scale DYMO M25")
    scale.read()
    scale.close()
    with pytest.raises(DeviceError, match=r"The USB scale DYMO M25 stopped answering .* still plugged in"):
        scale.read()


def test_the_test_button_with_a_recorded_scale() -> None:
    settings = ScaleSettings(kind=ScaleKind.HID, stable_readings=2)
    result = check_scale(settings, opener=lambda _: HidScale(RecordedHidDevice([rec.EMPTY_OZ])))
    assert result.ok and result.message == "Scale OK: 0.0 oz, stable (nothing on the scale)"


ENUMERATED = [  # what hid.enumerate() lists: a keyboard, a DYMO scale (usage page 0x8D), a Mettler Toledo
    {"vendor_id": 0x046D, "product_id": 0xC31C, "usage_page": 0x01, "path": b"/dev/hidraw0"},
    {"vendor_id": 0x0922, "product_id": 0x8004, "usage_page": 0x8D, "path": b"/dev/hidraw1"},
    {"vendor_id": 0x0EB8, "product_id": 0xF000, "usage_page": 0, "path": b"/dev/hidraw2"},
]


def test_the_scale_is_found_by_usage_page_then_vendor_then_ids() -> None:
    assert find_scale(ENUMERATED)["path"] == b"/dev/hidraw1"
    assert find_scale([ENUMERATED[0], ENUMERATED[2]])["path"] == b"/dev/hidraw2"  # libusb back-end: no usage page
    assert find_scale(ENUMERATED, 0x0EB8, 0xF000)["path"] == b"/dev/hidraw2"
    assert find_scale(ENUMERATED, 0x0EB8, 0x1234) is None
    assert find_scale(ENUMERATED[:1]) is None


def test_without_hidapi_the_sentence_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "hid", None)  # import hid now fails as when it is not installed
    with pytest.raises(DeviceError, match=r"need the hidapi package.*pip install 'shipdesk\[scale-hid\]'"):
        open_hid_scale()
