"""USB HID point-of-sale scales: the Scale Data Report of the HID POS usage tables, read through hidapi.

Source: USB-IF "HID Point of Sale Usage Tables" 1.02, usage page 0x8D (Scales). The report
descriptors scales publish put the Scale Data Report (usage 0x32) under report id 3:

    byte 0     report id (3)
    byte 1     status, 1–8 = usages 0x71–0x78: fault, stable at zero, in motion, weight stable,
               under zero, over weight limit, requires calibration, requires re-zeroing
    byte 2     unit, 1–12 = usages 0x51–0x5C: milligram, gram, kilogram, carat, taels, grains,
               pennyweights, metric ton, avoir ton, troy ounce, ounce, pound
    byte 3     data scaling: a signed power of ten (0xFF = -1: the weight is in tenths)
    bytes 4–5  data weight, unsigned 16-bit little-endian

Mettler Toledo (PS60), DYMO (M10, M25), Fairbanks (SCB-R9000) and Stamps.com scales send this
report; public captures of DYMO scales agree (``03 02 0B FF 00 00`` empty, in ounces;
``.. 0B FF 34 19`` = 645.2 oz). Some tools also accept report id 4 for the same layout, so do we.

Library: ``hidapi`` on PyPI (cython-hidapi, the Python binding of libusb/hidapi, the C library most
HID tools are built on). Its wheels for Windows, macOS and Linux carry the C library, so nothing
else is installed; it is the optional extra ``shipdesk[scale-hid]`` and imported only when a HID
scale is opened, so shipdesk runs without it. (The ``hid`` package on PyPI is ctypes bindings that
need the hidapi DLL installed separately: harder on a warehouse PC.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from shipdesk.devices.scales.reading import ScaleReading, ScaleState, WeightUnit
from shipdesk.devices.scales.scale import capitalised
from shipdesk.errors import DeviceError
from shipdesk.i18n import N_, _

SCALES_USAGE_PAGE = 0x8D
DATA_REPORT_IDS = (3, 4)
REPORT_LENGTH = 6
#: vendors of the HID scales named above, for hidapi back-ends that do not report the usage page
KNOWN_SCALE_VENDORS = {0x0EB8: "Mettler Toledo", 0x0922: "DYMO", 0x0B67: "Fairbanks", 0x1446: "Stamps.com",
                       0x2474: "Stamps.com", 0x6096: "DYMO"}

FAULT, STABLE_AT_ZERO, IN_MOTION, WEIGHT_STABLE, UNDER_ZERO, OVER_WEIGHT, NEEDS_CALIBRATION, NEEDS_REZEROING = (
    range(1, 9))
_ERRORS = {
    FAULT: N_("the scale reports a fault: switch it off and on"),
    NEEDS_CALIBRATION: N_("the scale needs calibrating"),
    NEEDS_REZEROING: N_("the scale needs zeroing: empty it and press its Zero key"),
}
# unit number → (our unit, factor to it); units a parcel scale does not use are refused, not guessed
_UNITS: dict[int, tuple[WeightUnit, Decimal]] = {
    1: (WeightUnit.G, Decimal("0.001")), 2: (WeightUnit.G, Decimal(1)), 3: (WeightUnit.KG, Decimal(1)),
    8: (WeightUnit.KG, Decimal(1000)), 9: (WeightUnit.LB, Decimal(2000)), 11: (WeightUnit.OZ, Decimal(1)),
    12: (WeightUnit.LB, Decimal(1)),
}
_OTHER_UNITS = {4: N_("carats"), 5: N_("taels"), 6: N_("grains"), 7: N_("pennyweights"), 10: N_("troy ounces")}


def decode_report(report: bytes | Sequence[int]) -> ScaleReading | None:
    """The reading in one Scale Data Report; None for a report that is not one (another report id)."""
    data = bytes(report)
    if len(data) < REPORT_LENGTH or data[0] not in DATA_REPORT_IDS:
        return None
    status, unit_number = data[1], data[2]
    scaling = int.from_bytes(data[3:4], "little", signed=True)
    value = Decimal(int.from_bytes(data[4:6], "little")).scaleb(scaling)
    if status in _ERRORS:
        return ScaleReading(ScaleState.ERROR, detail=_ERRORS[status], raw=data)
    if status == OVER_WEIGHT:
        return ScaleReading(ScaleState.OVERLOAD, raw=data)
    if status == UNDER_ZERO:
        # the weight field is unsigned: a scale below zero cannot say by how much
        return ScaleReading(ScaleState.NEGATIVE, raw=data)
    if status not in (STABLE_AT_ZERO, IN_MOTION, WEIGHT_STABLE):
        return ScaleReading(ScaleState.ERROR, detail=_("the scale sent an unknown status ({status})").format(
            status=status), raw=data)
    if unit_number in _OTHER_UNITS:
        return ScaleReading(ScaleState.ERROR, raw=data,
                            detail=_("the scale weighs in {unit}: set it to lb, oz, kg or g").format(
                                unit=_(_OTHER_UNITS[unit_number])))  # i18n: N_()-marked above
    unit, factor = _UNITS.get(unit_number, (None, Decimal(1)))
    weight = value * factor if unit else None
    if status == IN_MOTION:
        return ScaleReading(ScaleState.MOTION, weight, unit, raw=data)
    if status == STABLE_AT_ZERO or value == 0:
        return ScaleReading(ScaleState.ZERO, weight, unit, raw=data)  # some scales send unit 0 when empty
    if unit is None:
        return ScaleReading(ScaleState.ERROR, raw=data, detail=_("the scale sent an unknown unit ({unit})").format(
            unit=unit_number))
    return ScaleReading(ScaleState.WEIGHT, weight, unit, raw=data)


class HidDevice(Protocol):
    """The part of ``hid.device`` (cython-hidapi) a scale needs; recorded reports stand in for it in tests."""

    def read(self, max_length: int, timeout_ms: int = 0) -> Sequence[int]: ...

    def close(self) -> None: ...


class HidScale:
    """A HID POS scale. It sends a report on its own (several a second, or only when the weight changes)."""

    poll_interval = 0.0  # read() waits for the scale's next report

    def __init__(self, device: HidDevice, *, name: str = "", report_timeout: float = 0.5) -> None:
        self.device, self._name, self.report_timeout = device, name or _("the USB scale"), report_timeout
        self._last: ScaleReading | None = None

    @property
    def name(self) -> str:
        return self._name

    def read(self) -> ScaleReading:
        """The newest report. Reports already waiting are from before this read (the OS keeps them while
        nobody reads: the previous box's weight), so only the last of them counts; with none waiting,
        the next one is awaited. When the scale sends nothing new within ``report_timeout`` its weight
        has not changed (many scales report only changes), so the last reading stands."""
        newest: ScaleReading | None = None
        while report := self._next(0):  # drain without waiting
            newest = decode_report(report) or newest
        while newest is None:
            report = self._next(int(self.report_timeout * 1000))
            if not report:
                if self._last is None:
                    raise DeviceError(_("{name} sends no weight.").format(name=capitalised(self._name)),
                                      hint=_("Switch the scale on (some switch off by themselves after a while)."))
                return self._last
            newest = decode_report(report)
        self._last = newest
        return newest

    def _next(self, timeout_ms: int) -> Sequence[int]:
        try:
            return self.device.read(64, timeout_ms)
        except (OSError, ValueError) as exc:
            raise DeviceError(_("{name} stopped answering ({reason}).").format(
                                  name=capitalised(self._name), reason=exc),
                              hint=_("Check that it is still plugged in and switched on.")) from exc

    def close(self) -> None:
        self.device.close()


def find_scale(devices: Iterable[Mapping[str, Any]], vendor_id: int = 0, product_id: int = 0
               ) -> Mapping[str, Any] | None:
    """The HID device to open among ``hid.enumerate()``'s entries: the ids asked for, else the first one
    that says it is a scale (usage page 0x8D), else the first from a known scale vendor."""
    entries = list(devices)
    if vendor_id:
        return next((d for d in entries if d.get("vendor_id") == vendor_id
                     and (not product_id or d.get("product_id") == product_id)), None)
    by_page = (d for d in entries if d.get("usage_page") == SCALES_USAGE_PAGE)
    by_vendor = (d for d in entries if d.get("vendor_id") in KNOWN_SCALE_VENDORS)
    return next(by_page, None) or next(by_vendor, None)


def open_hid_scale(vendor_id: int = 0, product_id: int = 0, *, report_timeout: float = 0.5) -> HidScale:
    """Open the USB scale with hidapi. Raises `DeviceError` when hidapi is missing or no scale can be opened."""
    try:
        import hid  # optional: pip install 'shipdesk[scale-hid]'
    except ImportError:
        raise DeviceError(_("USB scales need the hidapi package, which is not installed on this computer."),
                          hint=_("Install it with: pip install 'shipdesk[scale-hid]' (or choose a serial scale).")
                          ) from None
    wanted = f"{vendor_id:04X}:{product_id:04X}" if vendor_id else ""
    entry = find_scale(hid.enumerate(), vendor_id, product_id)
    if entry is None:
        said = (_("No USB scale {id} is plugged into this computer.").format(id=wanted) if wanted
                else _("No USB scale is plugged into this computer."))
        raise DeviceError(said,
                          hint=_("Plug it in and switch it on, then try again."))
    label = " ".join(filter(None, (entry.get("manufacturer_string"), entry.get("product_string")))).strip()
    name = _("the USB scale {id}").format(id=label) if label else _("the USB scale")
    device = hid.device()
    try:
        device.open_path(entry["path"])
    except OSError as exc:
        hint = (_("Allow this user to open it with a udev rule for the scale (see docs/troubleshooting.md), or "
                  "close the program using it.") if sys.platform.startswith("linux")
                else _("Close any other program using the scale (a postage or shipping tool) and try again."))
        raise DeviceError(_("{scale} could not be opened ({reason}).").format(
                              scale=capitalised(name), reason=exc), hint=hint) from exc
    return HidScale(device, name=name, report_timeout=report_timeout)
