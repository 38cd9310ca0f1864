"""Scale Data Reports as USB HID POS scales send them, and a device that plays them back.

Two are public captures of DYMO scales (vendor 0x0922): ``EMPTY_OZ`` (``[3, 2, 11, 255, 0, 0]``, a
DYMO M10 read with PyUSB) and the 645.2 oz reading (``0B FF 34 19`` after the status byte, a DYMO
M25: 40 lb 5.2 oz in ounces, tenths). The others follow the same layout (see `hid_pos`) with the
values a pound-mode scale such as the Mettler Toledo PS60 or a Stamps.com scale sends (hundredths of
a pound: scaling 0xFE), and the HID POS status and unit numbers.

`RecordedHidDevice` answers ``read()`` like cython-hidapi's ``hid.device``: the next report as a list
of ints, or an empty list when the scale has sent nothing new (a read that timed out).
"""

from __future__ import annotations

from collections.abc import Sequence

EMPTY_OZ = bytes([0x03, 0x02, 0x0B, 0xFF, 0x00, 0x00])  # stable at zero, ounces, tenths
PARCEL_645_2_OZ = bytes([0x03, 0x04, 0x0B, 0xFF, 0x34, 0x19])  # weight stable, 6452 tenths of an ounce
EMPTY_LB = bytes([0x03, 0x02, 0x0C, 0xFE, 0x00, 0x00])  # stable at zero, pounds, hundredths
SETTLING_3_10_LB = bytes([0x03, 0x03, 0x0C, 0xFE, 0x36, 0x01])  # in motion, 3.10 lb
SETTLING_3_38_LB = bytes([0x03, 0x03, 0x0C, 0xFE, 0x52, 0x01])  # in motion, 3.38 lb
PARCEL_3_42_LB = bytes([0x03, 0x04, 0x0C, 0xFE, 0x56, 0x01])  # weight stable, 342 hundredths of a pound
PARCEL_1_25_KG = bytes([0x03, 0x04, 0x03, 0xFD, 0xE2, 0x04])  # weight stable, 1250 thousandths of a kg
PARCEL_850_G = bytes([0x03, 0x04, 0x02, 0x00, 0x52, 0x03])  # weight stable, 850 g
UNDER_ZERO = bytes([0x03, 0x05, 0x0C, 0xFE, 0x00, 0x00])  # platform lifted / zeroed with a box on it
OVER_WEIGHT = bytes([0x03, 0x06, 0x0C, 0xFE, 0x00, 0x00])  # over the scale's capacity
FAULT = bytes([0x03, 0x01, 0x0C, 0xFE, 0x00, 0x00])
NEEDS_CALIBRATION = bytes([0x03, 0x07, 0x0C, 0xFE, 0x00, 0x00])
NEEDS_REZEROING = bytes([0x03, 0x08, 0x0C, 0xFE, 0x00, 0x00])
IN_CARATS = bytes([0x03, 0x04, 0x04, 0xFF, 0x10, 0x27])  # a jeweller's setting: 1000.0 ct
CONTROL_REPORT = bytes([0x02, 0x00])  # report id 2 (Scale Control): not weight data, skipped

#: a box put on a pound-mode scale: empty, two readings in motion, then four stable ones
BOX_PUT_DOWN_LB = (EMPTY_LB, SETTLING_3_10_LB, SETTLING_3_38_LB, PARCEL_3_42_LB, PARCEL_3_42_LB,
                   PARCEL_3_42_LB, PARCEL_3_42_LB)


class RecordedHidDevice:
    """Plays reports back as a scale sends them. ``queued`` were sent before anyone read (the OS keeps
    them); ``reports`` arrive one per waiting read. A read that does not wait gets only what is queued;
    once ``reports`` run out, a waiting read times out (the scale sent nothing new)."""

    def __init__(self, reports: Sequence[bytes], *, queued: Sequence[bytes] = ()) -> None:
        self.reports, self.queued = list(reports), list(queued)
        self.reads = 0  # waiting reads, i.e. reports awaited from the scale
        self.closed = False

    def read(self, max_length: int, timeout_ms: int = 0) -> list[int]:
        if self.closed:
            raise ValueError("not open")  # i18n: a bug
        if self.queued:
            return list(self.queued.pop(0)[:max_length])
        if timeout_ms == 0:
            return []
        self.reads += 1
        return list(self.reports.pop(0)[:max_length]) if self.reports else []

    def close(self) -> None:
        self.closed = True
