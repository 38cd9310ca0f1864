"""``auto stop|start|status``: the stop switch of automatic labelling, and how far today's count is.

The switch lives in the store, so a stop typed at any station stops the sync wherever it runs (the station
holding the sync lease on a shared store). Exit code 0; ``stop`` on a stopped mode and ``start`` on a
running one say so and still exit 0.
"""

from __future__ import annotations

import argparse

from shipdesk.cli.exit_codes import EXIT_OK
from shipdesk.cli.output import Output
from shipdesk.core.automatic import switch
from shipdesk.core.context import AppContext
from shipdesk.i18n import _, ngettext


def auto(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    config = context.config.ship
    if args.action == "stop":
        if switch.stopped() is None:
            switch.stop(args.reason or _("stopped by hand"), now=context.now())
    elif args.action == "start":
        switch.start()
    note = switch.stopped()
    today = context.now().astimezone().date()
    count = switch.labels_on(today)
    lines = [] if config.automatic else [_("Automatic labelling is off in the settings ([ship] automatic = false).")]
    lines.append(note.sentence if note else _("Automatic labelling is running.") if config.automatic else
                 _("The switch is on: it runs once [ship] automatic is set."))
    lines.append(ngettext("{count} of {cap} automatic label today.", "{count} of {cap} automatic labels today.",
                          config.daily_cap).format(count=count, cap=config.daily_cap))
    out.emit({"enabled": config.automatic, "stopped": note is not None, "stop_reason": note.reason if note else "",
              "stopped_by": note.by if note else "", "labels_today": count, "daily_cap": config.daily_cap}, lines)
    return EXIT_OK
