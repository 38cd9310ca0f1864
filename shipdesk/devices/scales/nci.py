"""NCI / Avery Weigh-Tronix scales over serial: the NCI standard protocol (Weigh-Tronix SCP-01, 8408-14788-01).

Sources: the protocol pages of the NCI 7800 and Avery Weigh-Tronix 7821 user manuals ("NCI Serial
Communications Protocol", "This standard is used by all NCI bench scale products"), the Salter
Brecknell 3700LP manual (NCI table with the gram layout) and the Ohaus Aviator 7000 service manual
(status bit table); the same bit table is quoted from SCP-01 in several public scale simulators.

Framing (``<LF>`` 0x0A, ``<CR>`` 0x0D, ``<ETX>`` 0x03):

    W<CR>    →  <LF>xxxx.xxuu<CR><LF>hh<CR><ETX>      weight, unit (lb, kg, oz, g), status bytes
                <LF>xxlb<SP>xx.xoz<CR><LF>hh<CR><ETX>  pounds-and-ounces display
    S<CR>    →  <LF>hh<CR><ETX>                        status only;  Z<CR> zeroes, then the same
    other    →  <LF>?<CR><ETX>

``x`` are the display's characters, minus sign included (and out-of-range characters when the
scale is over or under capacity, so the status bytes, not the digits, say what the scale shows).
Grams come as ``<LF> xxxxg <CR>``.

Status bytes (two or more, each ASCII 0x30–0x3F: bits 4 and 5 always 1, bit 7 parity):

    bit   byte 1                 byte 2                  byte 3 (optional)
    0     1 = in motion          1 = under capacity      range (bits 0-1)
    1     1 = at zero            1 = over capacity
    2     1 = RAM error          1 = ROM error           1 = net weight
    3     1 = EEPROM error       1 = faulty calibration  1 = initial zero error
    6     always 0               1 = another byte follows
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel.lists import format_list

from shipdesk.devices.scales.reading import ScaleReading, ScaleState, WeightUnit
from shipdesk.devices.scales.scale import capitalised
from shipdesk.devices.scales.serial_link import SerialLink
from shipdesk.errors import DeviceError
from shipdesk.i18n import _, current_locale

REQUEST_WEIGHT = b"W\r"
TERMINATOR = b"\x03"  # ETX

_SIMPLE = re.compile(r"^\s*(-?)\s*(\d*\.?\d+)\s*(lb|kg|oz|g)\s*$", re.IGNORECASE)
_POUNDS_OUNCES = re.compile(r"^\s*(-?)\s*(\d+)\s*lb\s+(\d*\.?\d+)\s*oz\s*$", re.IGNORECASE)
_UNITS = {"lb": WeightUnit.LB, "kg": WeightUnit.KG, "oz": WeightUnit.OZ, "g": WeightUnit.G}

# status byte 1
MOTION, AT_ZERO, RAM_ERROR, EEPROM_ERROR = 0x01, 0x02, 0x04, 0x08
# status byte 2
UNDER_CAPACITY, OVER_CAPACITY, ROM_ERROR, FAULTY_CALIBRATION = 0x01, 0x02, 0x04, 0x08
ALWAYS_SET = 0x30


def parse_nci(answer: bytes, *, where: str = "") -> ScaleReading:
    where = where or _("the scale")
    """The reading in one NCI answer. Raises `DeviceError` for ``?`` and for bytes that are not NCI."""
    data = bytes(b & 0x7F for b in answer)  # a 7-bit scale's parity bit read on an 8-bit line
    lines = [line.lstrip(b"\n") for line in data.rstrip(b"\x03").split(b"\r")]
    lines = [line for line in lines if line]
    if lines == [b"?"]:
        raise DeviceError(_("{scale} did not understand the NCI weight request.").format(
                              scale=capitalised(where)),
                          hint=_("Set the scale's protocol to NCI (or choose the protocol it uses)."))
    if not lines or not _is_status(lines[-1]):
        raise DeviceError(_("{scale} sent an answer that is not NCI ({data!r}).").format(
                              scale=capitalised(where), data=data[:30]),
                          hint=_("Check the protocol, baud rate and data format set on the scale."))
    status = lines[-1]
    weight, unit = _weight(lines[0].decode("ascii", "replace")) if len(lines) > 1 else (None, None)
    byte1, byte2 = status[0], status[1]
    faults = [text for bit, byte, text in (
        (RAM_ERROR, byte1, _("RAM error")), (EEPROM_ERROR, byte1, _("EEPROM error")),
        (ROM_ERROR, byte2, _("ROM error")), (FAULTY_CALIBRATION, byte2, _("faulty calibration")),
    ) if byte & bit]
    if faults:
        return ScaleReading(ScaleState.ERROR, weight, unit, raw=answer,
                            detail=_("the scale reports a {faults}: it needs service").format(
                                faults=format_list(faults, locale=current_locale())))
    if byte2 & OVER_CAPACITY:
        return ScaleReading(ScaleState.OVERLOAD, raw=answer)
    if byte2 & UNDER_CAPACITY:
        return ScaleReading(ScaleState.NEGATIVE, weight, unit, detail=_("under capacity"), raw=answer)
    if weight is None or unit is None:
        raise DeviceError(_("{scale} sent a weight shipdesk cannot read ({lines!r}).").format(
                              scale=capitalised(where), lines=lines[0][:20]))
    if byte1 & MOTION:
        return ScaleReading(ScaleState.MOTION, weight, unit, raw=answer)
    if byte1 & AT_ZERO or weight == 0:
        return ScaleReading(ScaleState.ZERO, weight, unit, raw=answer)
    return ScaleReading(ScaleState.NEGATIVE if weight < 0 else ScaleState.WEIGHT, weight, unit, raw=answer)


def _is_status(line: bytes) -> bool:
    return len(line) >= 2 and all(b & ALWAYS_SET == ALWAYS_SET for b in line)


def _weight(text: str) -> tuple[Decimal | None, WeightUnit | None]:
    if found := _POUNDS_OUNCES.match(text):
        # 2lb 5.2oz: kept in ounces so no decimal is lost (2 × 16 + 5.2 = 37.2 oz)
        ounces = Decimal(found.group(2)) * 16 + Decimal(found.group(3))
        return (-ounces if found.group(1) else ounces), WeightUnit.OZ
    if found := _SIMPLE.match(text):
        value = Decimal(found.group(2))
        return (-value if found.group(1) else value), _UNITS[found.group(3).lower()]
    return None, None  # out-of-range characters (over/under capacity) or a message on the display


class NciScale:
    """An NCI scale on a serial port, polled with ``W``."""

    poll_interval = 0.1

    def __init__(self, link: SerialLink) -> None:
        self.link = link

    @property
    def name(self) -> str:
        return _("the scale on {port}").format(port=self.link.port)

    def read(self) -> ScaleReading:
        return parse_nci(self.link.ask(REQUEST_WEIGHT, TERMINATOR), where=self.name)

    def close(self) -> None:
        self.link.close()
