"""The settings dialog's Test button: :func:`check_scale` opens the scale, reads one stable weight, and says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shipdesk.devices.scales.factory import open_scale, read_stable
from shipdesk.devices.scales.reading import ScaleReading
from shipdesk.devices.scales.scale import Scale
from shipdesk.devices.scales.settings import ScaleSettings
from shipdesk.errors import ShipdeskError
from shipdesk.i18n import _


@dataclass(frozen=True)
class ScaleCheck:
    ok: bool
    message: str  # "Scale OK: 3.42 lb, stable" or what is wrong and what to check
    reading: ScaleReading | None = None

    def __str__(self) -> str:
        return self.message


def check_scale(settings: ScaleSettings, *, opener: Callable[[ScaleSettings], Scale] = open_scale) -> ScaleCheck:
    """Open the scale, read one stable weight (zero counts: nothing need be on it), close it. Never raises
    for a scale problem: the sentence is in the result."""
    try:
        scale = opener(settings)
        try:
            reading = read_stable(scale, settings, accept_empty=True)
        finally:
            scale.close()
    except ShipdeskError as exc:
        return ScaleCheck(False, str(exc))
    return ScaleCheck(True, _("Scale OK: {reading}").format(reading=reading.describe()), reading)
