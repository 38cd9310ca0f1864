"""The command-line jobs behind ``shipdesk COMMAND``, one module per group; ``run_command`` dispatches.

Each job prints sentences for people, or one JSON document with ``--json`` (:class:`Output`), and
returns the design's exit code. Most jobs work on an app context (the configured accounts, or the
sandboxes with ``--demo``: ``shipdesk.cli.context``); ``credentials``, ``sandbox``, ``service`` and ``update``
need none.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from shipdesk.cli.commands import (
    admin,
    automatic,
    devices,
    packing,
    report,
    returns,
    sandbox,
    service,
    shipping,
    tracking,
    updates,
)
from shipdesk.cli.context import open_context
from shipdesk.cli.output import Output
from shipdesk.core.context import AppContext

OnContext = Callable[[AppContext, argparse.Namespace, Output], int]
Standalone = Callable[[argparse.Namespace, Output], int]

ON_CONTEXT: dict[str, OnContext] = {
    "ping": admin.ping,
    "pull": shipping.pull,
    "list": shipping.list_shipments,
    "validate": shipping.validate,
    "rate": shipping.rate,
    "ship": shipping.ship,
    "void": shipping.void,
    "reprint": shipping.reprint,
    "return": returns.return_label,
    "sync": tracking.sync,
    "auto": automatic.auto,
    "pack": packing.pack,
    "report": report.report,
}
STANDALONE: dict[str, Standalone] = {
    "credentials": admin.credentials,
    "sandbox": sandbox.run_sandbox,
    "reset": sandbox.reset_demo,
    "demo-day": sandbox.demo_day,
    "service": service.service,
    "update": updates.update,
    "scale": devices.scale,
}


def run_command(args: argparse.Namespace) -> int:
    out = Output(args.json)
    if args.command in STANDALONE:
        return STANDALONE[args.command](args, out)
    with open_context(args) as context:
        return ON_CONTEXT[args.command](context, args, out)
