"""What a scale says, as one type whatever the protocol: :class:`ScaleReading`, and the units UPS takes.

Every protocol module (HID POS, MT-SICS, NCI) turns the scale's bytes into a ``ScaleReading``. The
state is explicit so that zero, a weight below zero, an overload, a weight still moving and a fault
are each shown as what they are, never as a number that looks like a weight.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum
from typing import Literal

from shipdesk.errors import DeviceError
from shipdesk.i18n import _
from shipdesk.i18n.formats import quantity


class WeightUnit(StrEnum):
    LB = "lb"
    OZ = "oz"
    KG = "kg"
    G = "g"


class ScaleState(StrEnum):
    WEIGHT = "weight"  # a stable weight above zero
    ZERO = "zero"  # stable at zero: nothing on the platform
    NEGATIVE = "negative"  # below zero (platform lifted, zeroed with a box on it) or under the range
    OVERLOAD = "overload"  # over the scale's capacity
    MOTION = "motion"  # the weight is still changing (or the scale is busy zeroing/taring)
    ERROR = "error"  # the scale reports a fault, needs calibration or re-zeroing, or uses another unit


#: the units UPS takes for a package weight (Shipping.yaml, PackageWeight.UnitOfMeasurement.Code)
UpsWeightUnit = Literal["LBS", "KGS", "OZS"]

_GRAMS_PER_UNIT = {
    WeightUnit.G: Decimal(1),
    WeightUnit.KG: Decimal(1000),
    WeightUnit.LB: Decimal("453.59237"),  # the international pound, exactly
    WeightUnit.OZ: Decimal("28.349523125"),  # a sixteenth of it
}
_UPS_UNITS: dict[str, WeightUnit] = {"LBS": WeightUnit.LB, "KGS": WeightUnit.KG, "OZS": WeightUnit.OZ}
_STABLE_STATES = frozenset({ScaleState.WEIGHT, ScaleState.ZERO, ScaleState.NEGATIVE})


@dataclass(frozen=True)
class ScaleReading:
    """One answer of the scale. ``weight`` is None when the scale sent none (overload, fault, busy)."""

    state: ScaleState
    weight: Decimal | None = None
    unit: WeightUnit | None = None
    detail: str = ""  # what the scale said, for ERROR (and a busy SICS balance): a phrase for the clerk
    raw: bytes = b""  # the bytes as received, for the log

    @property
    def stable(self) -> bool:
        """The scale says the weight is not moving (its own flag; see `stable.wait_for_stable` for more)."""
        return self.state in _STABLE_STATES

    @property
    def weight_text(self) -> str:
        """``3.42 lb`` as the scale shows it (its own decimals), or "" when there is no weight."""
        if self.weight is None or self.unit is None:
            return ""
        exponent = self.weight.as_tuple().exponent  # the scale's own decimals: 3.40 stays 3.40
        places = max(-exponent, 0) if isinstance(exponent, int) else None
        return quantity(self.weight, self.unit.value, places=places)

    def describe(self) -> str:
        """A short phrase for the clerk: ``3.42 lb, stable``, ``3.40 lb, in motion``, ``over capacity``..."""
        shown = self.weight_text
        if self.state is ScaleState.WEIGHT:
            return _("{weight}, stable").format(weight=shown)
        if self.state is ScaleState.ZERO:
            return _("{weight}, stable (nothing on the scale)").format(weight=shown or _("zero"))
        if self.state is ScaleState.NEGATIVE:
            if shown:
                return _("below zero ({weight})").format(weight=shown)
            return _("below zero ({detail})").format(detail=self.detail) if self.detail else _("below zero")
        if self.state is ScaleState.OVERLOAD:
            return _("over capacity")
        if self.state is ScaleState.MOTION:
            return _("{weight}, in motion").format(weight=shown) if shown else self.detail or _("in motion")
        return self.detail or _("a fault")


def convert(weight: Decimal, from_unit: WeightUnit, to_unit: WeightUnit) -> Decimal:
    """``weight`` in another unit, exact to Decimal's 28 digits (no rounding for display here)."""
    if from_unit is to_unit:
        return weight
    return weight * _GRAMS_PER_UNIT[from_unit] / _GRAMS_PER_UNIT[to_unit]


def ups_unit_for(unit: WeightUnit) -> UpsWeightUnit:
    """The UPS unit a scale's unit belongs with: pounds for lb and oz (UPS takes OZS only for Mail
    Innovations and Worldwide Economy), kilograms for kg and g."""
    return "KGS" if unit in (WeightUnit.KG, WeightUnit.G) else "LBS"


def ups_weight(reading: ScaleReading, ups_unit: UpsWeightUnit) -> Decimal:
    """The package weight for UPS in ``ups_unit``, rounded UP to 0.01 so a package is never under-declared.

    Only a stable weight above zero can be shipped; anything else raises `DeviceError` with the
    sentence to show ("The scale shows zero: put the package on the scale.").
    """
    if reading.state is not ScaleState.WEIGHT or reading.weight is None or reading.unit is None:
        raise DeviceError(_("The scale shows {describe}, not a weight to ship.").format(describe=reading.describe()),
                          hint=_("Put the package on the scale and wait until the weight is stable."))
    target = _UPS_UNITS.get(ups_unit)
    if target is None:
        raise ValueError(f"UPS takes LBS, KGS or OZS, not {ups_unit!r}")  # i18n: a bug
    return convert(reading.weight, reading.unit, target).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
