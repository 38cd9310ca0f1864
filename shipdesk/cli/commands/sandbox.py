"""``sandbox``: the Acumatica and UPS sandboxes in the foreground, until Ctrl+C or SIGTERM; ``--demo reset``:
back to the seeded demo day."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path

from shipdesk.cli.exit_codes import EXIT_OK
from shipdesk.cli.output import Output
from shipdesk.core.settings.paths import locations
from shipdesk.demo import start_sandboxes
from shipdesk.demo.day import end_day, serve
from shipdesk.demo.launcher import ACUMATICA_URL_ENV, UPS_URL_ENV
from shipdesk.errors import ConfigError
from shipdesk.i18n import _


def run_sandbox(args: argparse.Namespace, out: Output) -> int:
    sandboxes = start_sandboxes(
        acumatica_port=args.acumatica_port,
        ups_port=args.ups_port,
        acumatica_user=args.acumatica_user,
        acumatica_password=args.acumatica_password,
        ups_client_id=args.ups_client_id,
        ups_secret=args.ups_secret,
        ups_account=args.ups_account,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    out.line(_("Acumatica sandbox: {url}  (user {user}, tenant Demo, endpoint Default 22.200.001 / 23.200.001 / "
               "24.200.001)").format(url=sandboxes.acumatica_url, user=args.acumatica_user))
    out.line(_("UPS sandbox: {url}  (client id {client_id}, account {account})").format(
        url=sandboxes.ups_url, client_id=args.ups_client_id, account=args.ups_account))
    out.line(_("Control API: GET /_sandbox/stats, POST /_sandbox/faults, POST /_sandbox/clock, POST /_sandbox/reset "
               "on each server. Ctrl+C stops."))
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandboxes.stop()
    return EXIT_OK


def reset_demo(args: argparse.Namespace, out: Output) -> int:
    """End the command line's demo day: its sandboxes stop and its data goes; the next ``--demo`` starts afresh."""
    if not args.demo:
        raise ConfigError(_("reset only ends the demo day: `shipdesk --demo reset`."),
                          hint=_("Nothing of a configured install is reset by shipdesk."))
    if os.environ.get(ACUMATICA_URL_ENV) and os.environ.get(UPS_URL_ENV):
        raise ConfigError(_("The demo uses the sandboxes {acumatica} and {ups} name, which shipdesk did not "
                            "start.").format(acumatica=ACUMATICA_URL_ENV, ups=UPS_URL_ENV),
                          hint=_("Reset them where they run (POST /_sandbox/reset)."))
    ended = end_day(locations(args.config).data)
    out.emit({"reset": True, "was_running": ended},
             [_("Demo day reset: the next `shipdesk --demo` command starts the seeded day again.")
              if ended else _("No demo day was running; the next `shipdesk --demo` command starts the seeded day.")])
    return EXIT_OK


def demo_day(args: argparse.Namespace, out: Output) -> int:
    """The demo day's own process (started by the first ``--demo`` command): the sandboxes until reset."""
    serve(Path(args.folder))
    return EXIT_OK
