"""Scales at the packing station: USB HID POS scales and serial MT-SICS / NCI scales, one reading type.

No Qt and no store here. The pieces, in the order a weight travels:

- `settings.ScaleSettings`: which scale (``none|hid|sics|nci``), its port or USB ids, how stable is stable.
- `factory.open_scale(settings) -> Scale`: the back-end (`hid_pos.HidScale`, `sics.SicsScale`, `nci.NciScale`).
- `Scale.read() -> ScaleReading`: one reading, its state explicit (weight, zero, negative, overload,
  in motion, error).
- `stable.wait_for_stable(scale, ...)` (or `factory.read_stable`): the first settled weight, or a
  `DeviceError` saying what the scale shows and what to do.
- `reading.ups_weight(reading, "LBS")`: the package weight for the UPS request, rounded up.
- `check.check_scale(settings)`: the settings dialog's Test ("Scale OK: 3.42 lb, stable").
- `simulator.SerialScaleSimulator` and `hid_recordings`: a scale on a pty and recorded HID reports.
"""

from shipdesk.devices.scales.check import ScaleCheck, check_scale
from shipdesk.devices.scales.factory import open_scale, read_stable, weigh
from shipdesk.devices.scales.reading import (
    ScaleReading,
    ScaleState,
    UpsWeightUnit,
    WeightUnit,
    convert,
    ups_unit_for,
    ups_weight,
)
from shipdesk.devices.scales.scale import Scale
from shipdesk.devices.scales.settings import ScaleKind, ScaleSettings
from shipdesk.devices.scales.stable import wait_for_stable

__all__ = [
    "Scale",
    "ScaleCheck",
    "ScaleKind",
    "ScaleReading",
    "ScaleSettings",
    "ScaleState",
    "UpsWeightUnit",
    "WeightUnit",
    "check_scale",
    "convert",
    "open_scale",
    "read_stable",
    "ups_unit_for",
    "ups_weight",
    "wait_for_stable",
    "weigh",
]
