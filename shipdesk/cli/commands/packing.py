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
from shipdesk.core.region import ups_weight_unit
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.packing import PackageEdit, station_weight
from shipdesk.devices.scales import open_scale, read_stable
from shipdesk.errors import ConfigError
from shipdesk.i18n import _, ngettext
from shipdesk.i18n.formats import number, quantity


def pack(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    boxes = [b.strip().upper() for b in args.box]
    if args.weigh and args.weight:
        raise ConfigError(_("Use --weigh or --weight, not both."))
    weights = _weighed(context, args.shipment, len(boxes)) if args.weigh else [_number(w, "weight")
                                                                             for w in args.weight]
    if len(weights) != len(boxes):
        raise ConfigError(_("{boxes} and {weights}: give one weight per --box.").format(
            boxes=ngettext("{count} box", "{count} boxes", len(boxes)).format(count=len(boxes)),
            weights=ngettext("{count} weight", "{count} weights", len(weights)).format(count=len(weights))))
    sizes = [_sizes(d) for d in args.dims] + [(None, None, None)] * (len(boxes) - len(args.dims))
    edits = [PackageEdit(box, weight, *size) for box, weight, size in zip(boxes, weights, sizes, strict=False)]
    saved = ShipFlow(context).edit_packages(args.shipment, edits)
    rows = [{"line": p.line_nbr, "box": p.box_id, "weight": _shown(p.weight), "uom": p.uom,
             "length": _shown(p.length), "width": _shown(p.width), "height": _shown(p.height)}
            for p in saved.packages]
    lines = [ngettext("{shipment}: {count} package saved in Acumatica.",
                      "{shipment}: {count} packages saved in Acumatica.", len(rows)).format(
        shipment=args.shipment, count=len(rows))]
    lines += [f"  {p.line_nbr}. {p.box_id:<8} {quantity(p.weight, p.uom) if p.weight is not None else '—'}"
              + (f"  {number(p.length)}x{number(p.width or 0)}x{number(p.height or 0)}" if p.length else "")
              for p in saved.packages]
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
                to_stderr(_("Put package {number} of {count} on the scale, then press Enter.").format(
                    number=index + 1, count=count))
                sys.stdin.readline()
            reading = read_stable(scale, settings)
            weights.append(station_weight(reading, nbr, ups_weight_unit(context.config)))
            to_stderr(_("Package {number}: {reading}").format(number=index + 1, reading=reading.describe()))
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
        message = _("The weight {text} is not a number.") if what == "weight" else _("The size {text} is not a number.")
        raise ConfigError(message.format(text=repr(text))) from None


def _sizes(text: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    parts = text.lower().split("x")
    if len(parts) != 3:
        raise ConfigError(_("Write the sizes as LxWxH (e.g. 14x12x10), not {text}.").format(text=repr(text)))
    length, width, height = (_number(p, "size") for p in parts)
    return length, width, height
