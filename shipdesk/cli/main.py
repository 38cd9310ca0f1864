"""The ``shipdesk`` command: the desktop app when called bare, headless jobs as subcommands.

Exit codes (the design's contract): 0 all done, 1 some items failed (listed), 2 usage or
configuration error. Every failure a user can hit is printed as one sentence; tracebacks go to the
log file only.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence

from shipdesk import __version__
from shipdesk.errors import ConfigError, ShipdeskError

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2

log = logging.getLogger("shipdesk")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shipdesk",
        description="Acumatica shipments to UPS labels and back. Without a command, starts the desktop app "
        "(demo mode when nothing is configured).",
        epilog="Exit codes: 0 all done, 1 some items failed (listed), 2 usage or configuration error.",
    )
    parser.add_argument("--version", action="version", version=f"shipdesk {__version__}")
    parser.add_argument("--config", metavar="FILE", help="config file (default: $SHIPDESK_CONFIG, else the user "
                        "config folder)")
    parser.add_argument("--demo", action="store_true",
                        help="use the built-in Acumatica and UPS sandboxes (already running ones when "
                             "SHIPDESK_DEMO_ACUMATICA_URL and SHIPDESK_DEMO_UPS_URL are set)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("ping", help="check both connections and credentials, say what is wrong")
    sub.add_parser("pull", help="refresh the local list of ready shipments from Acumatica")
    p = sub.add_parser("list", help="shipments known locally, with state and tracking numbers")
    p.add_argument("--state", help="only shipments in this state (e.g. ready, needs_attention, exception)")
    p = sub.add_parser("validate", help="UPS address validation for one shipment")
    p.add_argument("shipment")
    p.add_argument("--choose", type=int, metavar="N", help="use UPS's candidate N (from the last validation)")
    p.add_argument("--override", metavar="REASON",
                   help="ship the address as typed although UPS cannot confirm it (reason kept in the audit log)")
    p = sub.add_parser("rate", help="UPS rate quote(s) for one shipment")
    p.add_argument("shipment")
    p.add_argument("--shop", action="store_true", help="quote every UPS service, not only the mapped one")
    p = sub.add_parser("ship", help="create, store, print (unless --no-print) and write back labels "
                       "(--all-ready pulls first)")
    p.add_argument("shipments", nargs="*", metavar="SHIPMENT")
    p.add_argument("--all-ready", action="store_true", help="every shipment that is ready (pulls from Acumatica first)")
    p.add_argument("--no-print", action="store_true", help="store and write back, do not print")
    p.add_argument("--accept-address", action="store_true",
                   help="ship even when UPS finds the address ambiguous (recorded in the audit log)")
    p.add_argument("--force-new-label", action="store_true",
                   help="buy a new label although an earlier one is uncertain (UPS found none by reference); "
                        "a duplicate found later is voided")
    p.add_argument("--correct-confirmed", action=argparse.BooleanOptionalAction, default=None,
                   help="a Confirmed shipment without tracking is corrected in Acumatica, labelled, written "
                        "back and confirmed again (default: [acumatica] correct_confirmed in the config)")
    p = sub.add_parser("void", help="void the UPS shipment and clear the tracking numbers in Acumatica")
    p.add_argument("shipment")
    p = sub.add_parser("reprint", help="print a shipment's labels again (from the archive, else UPS)")
    p.add_argument("shipment")
    p = sub.add_parser("sync", help="pull, track, renew alerts, write back")
    p.add_argument("--once", action="store_true", help="run one cycle and exit")
    p = sub.add_parser("credentials", help="store or clear a secret in the OS keyring")
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    c = csub.add_parser("set", help="store a secret (value read from stdin)")
    c.add_argument("name", help="acumatica.password, acumatica.client_secret, ups.client_secret, "
                   "track_alert.client_secret or track_alert.credential")
    c = csub.add_parser("clear", help="remove a secret")
    c.add_argument("name")
    p = sub.add_parser("sandbox", help="run the Acumatica and UPS sandboxes in the foreground")
    p.add_argument("--acumatica-port", type=int, default=0, help="0 = any free port")
    p.add_argument("--ups-port", type=int, default=0, help="0 = any free port")
    p.add_argument("--acumatica-user", default="admin")
    p.add_argument("--acumatica-password", default="demo")
    p.add_argument("--ups-client-id", default="demo")
    p.add_argument("--ups-secret", default="demo")
    p.add_argument("--ups-account", default="A1B2C3")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose, to_file=args.command not in (None, "sandbox"))
    try:
        if args.command is None:
            return _run_app(args)
        if args.command == "sandbox":
            return _run_sandbox(args)
        return _run_command(args)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    # INFO: the log file (INFO and up) gets the traceback, the console (WARNING unless --verbose) only the sentence
    except ConfigError as exc:
        log.info("configuration error", exc_info=True)
        print(f"shipdesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ShipdeskError as exc:
        log.info("command failed", exc_info=True)
        print(f"shipdesk: {exc}", file=sys.stderr)
        return EXIT_SOME_FAILED
    except Exception as exc:  # a bug or an unforeseen failure: a sentence here, the traceback in the log
        log.exception("unexpected error")
        print(f"shipdesk: unexpected error ({type(exc).__name__}: {exc}); {_where_details_are()}",
              file=sys.stderr)
        return EXIT_SOME_FAILED


def _setup_logging(verbose: bool, *, to_file: bool) -> None:
    console = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=console, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if to_file:  # the desktop app sets up its own file; the sandbox logs nothing worth keeping
        from shipdesk.core.logfile import log_to_file
        from shipdesk.core.settings.paths import DataPaths

        log_to_file(DataPaths.default(), "shipdesk-cli.log", console_level=console)


def _where_details_are() -> str:
    from shipdesk.core.logfile import HANDLER_NAME

    for handler in logging.getLogger().handlers:
        if handler.get_name() == HANDLER_NAME and isinstance(handler, logging.FileHandler):
            return f"the details are in {handler.baseFilename}."
    return "run it again with --verbose for the details."


def _run_command(args: argparse.Namespace) -> int:
    try:
        from shipdesk.cli.commands import run_command
    except ImportError:
        print(f"shipdesk: '{args.command}' is not built yet.", file=sys.stderr)
        return EXIT_USAGE
    return run_command(args)


def _run_app(args: argparse.Namespace) -> int:
    try:
        from shipdesk.ui.app import run_app
    except ImportError:
        print("shipdesk: the desktop app is not built yet.", file=sys.stderr)
        return EXIT_USAGE
    return run_app(args)


def _run_sandbox(args: argparse.Namespace) -> int:
    from shipdesk.sandbox import start_sandboxes

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
    print(f"Acumatica sandbox: {sandboxes.acumatica_url}  (user {args.acumatica_user}, tenant Demo, "
          "endpoint Default 22.200.001 / 23.200.001 / 24.200.001)")
    print(f"UPS sandbox:       {sandboxes.ups_url}  (client id {args.ups_client_id}, account {args.ups_account})")
    print("Control API: GET /_sandbox/stats, POST /_sandbox/faults, POST /_sandbox/clock, POST /_sandbox/reset "
          "on each server. Ctrl+C stops.", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sandboxes.stop()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
