"""The scale as a station setting: :class:`ScaleSettings`, a plain frozen dataclass the settings schema can hold.

``kind`` says which protocol the scale speaks (``none`` = no scale at this station). Serial scales
need the port and its line settings, which must match what is set on the scale itself; USB (HID)
scales are found by vendor/product id, or, when both are 0, as the first HID scale plugged in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from shipdesk.errors import ConfigError
from shipdesk.i18n import _


class ScaleKind(StrEnum):
    NONE = "none"
    HID = "hid"  # USB HID point-of-sale scale (Mettler Toledo PS, DYMO M, Fairbanks, Stamps.com)
    SICS = "sics"  # Mettler Toledo MT-SICS over serial / USB-serial
    NCI = "nci"  # NCI / Avery Weigh-Tronix (SCP-01) over serial / USB-serial


SERIAL_KINDS = frozenset({ScaleKind.SICS, ScaleKind.NCI})
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
_DATA_FORMAT = re.compile(r"^[78][NEO][12]$")


@dataclass(frozen=True)
class ScaleSettings:
    kind: ScaleKind = ScaleKind.NONE  # a plain string ("sics") is accepted too
    port: str = ""  # serial: COM3, /dev/ttyUSB0
    baud_rate: int = 9600
    data_format: str = "8N1"  # serial: data bits, parity (N/E/O), stop bits, as set on the scale
    hid_vendor_id: int = 0  # HID: 0 = any HID scale
    hid_product_id: int = 0
    stable_readings: int = 3  # equal consecutive readings, none in motion, before a weight counts as stable
    timeout_seconds: float = 5.0  # how long to wait for a stable weight

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", ScaleKind(str(self.kind).strip().lower()))
        except ValueError:
            raise ConfigError(_("The scale kind {kind!r} is not known.").format(kind=self.kind),
                              hint=_("Use none, hid, sics or nci.")) from None
        object.__setattr__(self, "data_format", self.data_format.strip().upper())
        if self.kind in SERIAL_KINDS and not self.port.strip():
            raise ConfigError(_("The {kind} scale has no serial port.").format(kind=self.kind.upper()),
                              hint=_("Enter the port the scale is plugged into (COM3, /dev/ttyUSB0)."))
        if self.baud_rate not in BAUD_RATES:
            raise ConfigError(_("The scale's baud rate {baud_rate} is not one serial scales use.").format(
                                  baud_rate=self.baud_rate),
                              hint=_("Use the rate set on the scale: {rates}.").format(
                                  rates=", ".join(map(str, BAUD_RATES))))
        if not _DATA_FORMAT.match(self.data_format):
            raise ConfigError(_("The scale's data format {data_format!r} is not valid.").format(
                                  data_format=self.data_format),
                              hint=_("Write data bits, parity and stop bits as on the scale, e.g. 8N1 or 7E1."))
        for name in ("hid_vendor_id", "hid_product_id"):
            if not 0 <= getattr(self, name) <= 0xFFFF:
                raise ConfigError(_("The scale's USB {which} id must be between 0 and FFFF.").format(
                                      which=name.split('_')[1]))
        if not 1 <= self.stable_readings <= 20:
            raise ConfigError(_("The number of equal readings for a stable weight must be between 1 and 20."))
        if not 0.5 <= self.timeout_seconds <= 60:
            raise ConfigError(_("The time to wait for a stable weight must be between 0.5 and 60 seconds."))

    @property
    def enabled(self) -> bool:
        return self.kind is not ScaleKind.NONE

    @property
    def where(self) -> str:
        """How the clerk knows this scale in a sentence: ``the scale on COM3``, ``the USB scale``."""
        if self.kind in SERIAL_KINDS:
            return _("the scale on {port}").format(port=self.port)
        if self.kind is ScaleKind.HID:
            if self.hid_vendor_id:
                return _("the USB scale {id}").format(id=f"{self.hid_vendor_id:04X}:{self.hid_product_id:04X}")
            return _("the USB scale")
        return _("no scale")
