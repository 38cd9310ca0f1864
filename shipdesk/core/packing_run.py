"""A packing station's run, scripted: each shipment scanned, each package put on the scale and weighed, its box
chosen, the packages saved to Acumatica, the label bought. The demo, the documentation's day summary and the
tests run it against the sandboxes with a simulated scale; at a real station the window does the same steps.

``put_on_scale`` is how a package reaches the scale (a person at a station; the simulator's ``put`` in a
script); ``confirm`` is the clerk saying the next package is on (Enter), called before each package after the
first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from shipdesk.core.domain.outcomes import ShipOutcome
from shipdesk.core.region import ups_weight_unit
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.packing import PackageEdit, StationChoice, station_weight
from shipdesk.devices.scales import Scale, ScaleSettings, read_stable


@dataclass(frozen=True)
class Packed:
    """One shipment as the clerk packs it: a box and what the scale will show, per package."""

    shipment_nbr: str
    boxes: tuple[tuple[str, Decimal], ...]  # (Box ID, weight put on the scale)
    choice: StationChoice | None = None


@dataclass(frozen=True)
class StationStep:
    outcome: ShipOutcome
    weighed: tuple[Decimal, ...]
    seconds_scan_to_label: float  # from the scan to UPS's label stored (weighing, Acumatica save, Ship)
    seconds_weighing: float  # of which waiting for the scale's stable weights


def pack_and_ship(flow: ShipFlow, scale: Scale, settings: ScaleSettings, packed: Packed,
                  put_on_scale: Callable[[Decimal], None], confirm: Callable[[int], None] = lambda _n: None,
                  *, print_labels: bool = False) -> StationStep:
    """Scan → weigh each package → save the packages in Acumatica → label. Timed from the scan."""
    started = time.perf_counter()
    edits, weighed = [], []
    for index, (box, weight) in enumerate(packed.boxes):
        if index:
            confirm(index + 1)
        put_on_scale(weight)
        ups = station_weight(read_stable(scale, settings), packed.shipment_nbr, ups_weight_unit(flow.context.config))
        weighed.append(ups)
        edits.append(PackageEdit(box, ups))
    weighed_at = time.perf_counter()
    flow.edit_packages(packed.shipment_nbr, edits)
    outcome = flow.ship(packed.shipment_nbr, print_labels=print_labels, choice=packed.choice)
    return StationStep(outcome, tuple(weighed), time.perf_counter() - started, weighed_at - started)


def run_station(flow: ShipFlow, scale: Scale, settings: ScaleSettings, plan: Sequence[Packed],
                put_on_scale: Callable[[Decimal], None]) -> list[StationStep]:
    with flow.session():  # one Acumatica sign-in for the whole run, as the window keeps one
        return [pack_and_ship(flow, scale, settings, packed, put_on_scale) for packed in plan]
