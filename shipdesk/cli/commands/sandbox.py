"""``sandbox``: the Acumatica and UPS sandboxes in the foreground, until Ctrl+C or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import threading

from shipdesk.cli.exit_codes import EXIT_OK
from shipdesk.cli.output import Output
from shipdesk.demo import start_sandboxes


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
    out.line(f"Acumatica sandbox: {sandboxes.acumatica_url}  (user {args.acumatica_user}, tenant Demo, "
             "endpoint Default 22.200.001 / 23.200.001 / 24.200.001)")
    out.line(f"UPS sandbox:       {sandboxes.ups_url}  (client id {args.ups_client_id}, account {args.ups_account})")
    out.line("Control API: GET /_sandbox/stats, POST /_sandbox/faults, POST /_sandbox/clock, POST /_sandbox/reset "
             "on each server. Ctrl+C stops.")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandboxes.stop()
    return EXIT_OK
