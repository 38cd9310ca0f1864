"""``sync [--once]``: run the sync's cycles and print one summary per cycle (the core prints nothing).

Exit code: 0 when the (last) cycle went through, 1 when it had failures. With ``--json`` each cycle's
report is one JSON object on one line (JSON Lines, so a running sync can be piped), and the sentences
about starting and stopping go to stderr.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from shipdesk.cli.exit_codes import EXIT_OK, EXIT_SOME_FAILED
from shipdesk.cli.output import Output, to_stderr
from shipdesk.core.automatic.labeller import AutoLabeller
from shipdesk.core.context import AppContext
from shipdesk.core.tracking.cycle_report import CycleReport
from shipdesk.core.tracking.sync import SyncService
from shipdesk.i18n import _, ngettext
from shipdesk.stopping import critical


def sync(context: AppContext, args: argparse.Namespace, out: Output) -> int:
    return run_sync(context, once=args.once, as_json=out.as_json, write=out.line)


def run_sync(context: AppContext, *, once: bool, as_json: bool = False,
             write: Callable[[str], None] | None = None) -> int:
    """Run one cycle (``once``) or cycles until Ctrl+C; each report goes to ``write`` (stdout by default)."""
    say = write or Output(as_json).line
    tell = to_stderr if as_json else say

    def show(report: CycleReport) -> None:
        for line in report_lines(report, as_json=as_json):
            say(line)

    # automatic mode runs in the sync of the command line and the service (never in the desktop app's timer)
    service = SyncService(context, on_report=show, labeller=AutoLabeller(context))
    if once:
        report = service.run_cycle()
        show(report)
        return EXIT_OK if report.ok else EXIT_SOME_FAILED
    service.start()
    minutes = context.config.sync.interval_minutes
    tell(ngettext("Syncing every {count} minute; Ctrl+C stops.", "Syncing every {count} minutes; Ctrl+C stops.",
                  minutes).format(count=minutes)
         + (" " + _("Listener on {address}.").format(address=f"{service.listener.host}:{service.listener.port}")
            if service.listener else ""))
    try:
        service.wait()
    except KeyboardInterrupt:  # Ctrl+C, or SIGTERM from a service manager: the sync's normal end
        tell(_("Stopping the sync..."))
    finally:
        with critical():  # a second Ctrl+C waits for the cycle's sign-out; a third one stops now
            service.stop()
    last = service.last_report
    return EXIT_OK if last is None or last.ok else EXIT_SOME_FAILED


def report_lines(report: CycleReport, *, as_json: bool) -> list[str]:
    """The summary, then each notice and failure indented; or the whole report as one JSON line."""
    if as_json:
        return [json.dumps(report.to_json(), ensure_ascii=False, default=str)]
    return [report.summary(), *("  " + line for line in [*report.notices, *report.failures])]
