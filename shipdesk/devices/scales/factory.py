"""From the station's settings to a scale: :func:`open_scale`, and :func:`weigh` for one stable weight.

The ship flow or the window keeps one scale open while the station works (opening a USB-serial
port can take a moment, and some scales reset when it opens) and calls `wait_for_stable` on each
scan; `weigh` opens, reads and closes for a single weight.
"""

from __future__ import annotations

from shipdesk.devices.scales.hid_pos import open_hid_scale
from shipdesk.devices.scales.nci import NciScale
from shipdesk.devices.scales.reading import ScaleReading
from shipdesk.devices.scales.scale import Scale
from shipdesk.devices.scales.serial_link import SerialLink
from shipdesk.devices.scales.settings import ScaleKind, ScaleSettings
from shipdesk.devices.scales.sics import SicsScale
from shipdesk.devices.scales.stable import wait_for_stable
from shipdesk.errors import DeviceError
from shipdesk.i18n import _

#: longest wait for one answer: a scale that has not answered in a second will not answer
ANSWER_TIMEOUT = 1.0


def open_scale(settings: ScaleSettings) -> Scale:
    """The scale the settings describe, opened. Raises `DeviceError` when it cannot be opened."""
    if settings.kind is ScaleKind.HID:
        return open_hid_scale(settings.hid_vendor_id, settings.hid_product_id)
    if settings.kind in (ScaleKind.SICS, ScaleKind.NCI):
        link = SerialLink(settings.port, baud_rate=settings.baud_rate, data_format=settings.data_format,
                          timeout=min(ANSWER_TIMEOUT, settings.timeout_seconds))
        return SicsScale(link) if settings.kind is ScaleKind.SICS else NciScale(link)
    raise DeviceError(_("No scale is set up for this station."),
                      hint=_("Choose the scale in Settings → Devices, or type the weight."))


def read_stable(scale: Scale, settings: ScaleSettings, *, accept_empty: bool = False) -> ScaleReading:
    """`wait_for_stable` with the station's readings count and timeout."""
    return wait_for_stable(scale, readings=settings.stable_readings, timeout=settings.timeout_seconds,
                           accept_empty=accept_empty)


def weigh(settings: ScaleSettings) -> ScaleReading:
    """Open the scale, wait for a stable weight above zero, close it again."""
    scale = open_scale(settings)
    try:
        return read_stable(scale, settings)
    finally:
        scale.close()
