"""``pack``: the packages of one shipment as the clerk packed them (box, weight from the scale or typed, sizes),
written to the Acumatica shipment and read back before the label (``ship`` then buys it).

``--weigh`` reads each package's stable weight from ``[scale]``: one package at once; several one after the
other, the clerk pressing Enter when the next one is on the scale.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal, InvalidOperation

from shipdesk.cli.exit_codes import EXIT_OK
from shipdesk.cli.output import Output, to_stderr
from shipdesk.core.context import AppContext
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.packing import PackageEdit, station_weight
from shipdesk.devices.scales import open_scale, read_stable
from shipdesk.errors import ConfigError


def pack(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    boxes = [b.strip().upper() for b in args.box]
    if args.weigh and args.weight:
        raise ConfigError("Use --weigh or --weight, not both.")
    weights = _weighed(context, args.shipment, len(boxes)) if args.weigh else [_number(w, "weight")
                                                                             for w in args.weight]
    if len(weights) != len(boxes):
        raise ConfigError(f"{len(boxes)} box(es) and {len(weights)} weight(s): give one weight per --box.")
    sizes = [_sizes(d) for d in args.dims] + [(None, None, None)] * (len(boxes) - len(args.dims))
    edits = [PackageEdit(box, weight, *size) for box, weight, size in zip(boxes, weights, sizes, strict=False)]
    saved = ShipFlow(context).edit_packages(args.shipment, edits)
    rows = [{"line": p.line_nbr, "box": p.box_id, "weight": _shown(p.weight), "uom": p.uom,
             "length": _shown(p.length), "width": _shown(p.width), "height": _shown(p.height)}
            for p in saved.packages]
    lines = [f"{args.shipment}: {len(rows)} package(s) saved in Acumatica."]
    lines += [f"  {r['line']}. {r['box']:<8} {r['weight']} {r['uom']}"
              + (f"  {r['length']}x{r['width']}x{r['height']}" if r["length"] else "") for r in rows]
    out.emit({"shipment": args.shipment, "packages": rows}, lines)
    return EXIT_OK


def _weighed(context: AppContext, nbr: str, count: int) -> list[Decimal]:
    """Each package's stable weight from the station's scale, in the shipment's weight unit."""
    settings = context.config.scale.device()
    scale = open_scale(settings)
    weights = []
    try:
        for index in range(count):
            if count > 1:
                to_stderr(f"Put package {index + 1} of {count} on the scale, then press Enter.")
                sys.stdin.readline()
            reading = read_stable(scale, settings)
            weights.append(station_weight(reading, nbr))
            to_stderr(f"Package {index + 1}: {reading.describe()}")
    finally:
        scale.close()
    return weights


def _shown(value: Decimal | None) -> str | None:
    """``10`` for 10.0, ``2.8`` for 2.80: the number as a person writes it."""
    return None if value is None else format(value.normalize(), "f")


def _number(text: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ConfigError(f"The {what} {text!r} is not a number.") from None


def _sizes(text: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    parts = text.lower().split("x")
    if len(parts) != 3:
        raise ConfigError(f"Write the sizes as LxWxH (e.g. 14x12x10), not {text!r}.")
    length, width, height = (_number(p, "size") for p in parts)
    return length, width, height
