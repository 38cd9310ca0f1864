"""``return SHIPMENT [--email [ADDRESS]] [--rma NUMBER]``: a UPS return label for a shipped order."""

from __future__ import annotations

import argparse

from shipdesk.cli.exit_codes import EXIT_OK, EXIT_SOME_FAILED
from shipdesk.cli.output import Output, outcome_line
from shipdesk.core.context import AppContext
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.shipping.returns import ReturnOptions


def return_label(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    """Print Return Label by default; ``--email`` makes an Electronic Return Label that UPS emails (to the
    address given, else to the shipment's ship-to contact)."""
    electronic = args.email is not None
    options = ReturnOptions(electronic=electronic, email=args.email or "", rma=args.rma or "",
                            print_label=not args.no_print)
    outcome = ShipFlow(context).return_label(args.shipment, options)
    out.emit(outcome.to_json(), [outcome_line(outcome)])
    return EXIT_OK if outcome.ok else EXIT_SOME_FAILED
