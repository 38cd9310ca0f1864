"""Waiting for a weight that has settled: :func:`wait_for_stable`.

A weight counts when ``readings`` consecutive readings agree (same weight, same unit) and the scale
flags none of them as in motion. With ``readings=1`` the scale's own stable flag is enough; more
guards against scales that call a weight stable while a box still rocks. Zero, below zero and
overload keep the wait going (the clerk may still be putting the box down); a fault ends it at once.
When the time is up, the sentence says what the scale last showed and what to do.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from shipdesk.devices.scales.reading import ScaleReading, ScaleState
from shipdesk.devices.scales.scale import Scale, capitalised
from shipdesk.errors import DeviceError
from shipdesk.i18n import _

_EMPTY_OK = frozenset({ScaleState.WEIGHT, ScaleState.ZERO, ScaleState.NEGATIVE})


def wait_for_stable(
    scale: Scale,
    *,
    readings: int = 3,
    timeout: float = 5.0,
    accept_empty: bool = False,
    clock: Callable[[], float] = time.monotonic,
    pause: Callable[[float], None] = time.sleep,
) -> ScaleReading:
    """Read ``scale`` until the weight is stable; return that reading (state WEIGHT).

    ``accept_empty`` also returns a stable zero or below-zero reading (the settings dialog's Test,
    where nothing need be on the scale). Raises `DeviceError` on a fault or when ``timeout`` seconds
    pass without a stable weight.
    """
    wanted = _EMPTY_OK if accept_empty else frozenset({ScaleState.WEIGHT})
    deadline = clock() + timeout
    previous: ScaleReading | None = None
    agreeing = 0  # consecutive wanted readings equal to the newest
    while True:
        reading = scale.read()
        if reading.state is ScaleState.ERROR:
            raise DeviceError(_("{name}: {detail}.").format(
                                  name=capitalised(scale.name),
                                  detail=reading.detail or _("the scale reports a fault")))
        if reading.state not in wanted:
            agreeing = 0
        elif previous is not None and agreeing and _same(previous, reading):
            agreeing += 1
        else:
            agreeing = 1
        previous = reading
        if agreeing >= readings:
            return reading
        if clock() >= deadline:
            raise _not_settled(scale, reading, timeout)
        if scale.poll_interval:
            pause(scale.poll_interval)


def _same(a: ScaleReading, b: ScaleReading) -> bool:
    return a.state is b.state and a.weight == b.weight and a.unit is b.unit


def _not_settled(scale: Scale, last: ScaleReading, timeout: float) -> DeviceError:
    where = capitalised(scale.name)
    if last.state is ScaleState.ZERO:
        return DeviceError(_("{where} shows zero.").format(where=where), hint=_("Put the package on the scale."))
    if last.state is ScaleState.NEGATIVE:
        return DeviceError(_("{where} shows {reading}.").format(where=where, reading=last.describe()),
                           hint=_("Take everything off the scale and press its Zero key."))
    if last.state is ScaleState.OVERLOAD:
        return DeviceError(_("{where} is over capacity: the package is heavier than it can weigh.").format(where=where),
                           hint=_("Weigh it on a bigger scale and type the weight."))
    return DeviceError(_("The weight did not settle within {timeout:g} seconds (last: {reading}).").format(
                           timeout=timeout, reading=last.describe()),
                       hint=_("Keep the package still on the scale, then try again."))
