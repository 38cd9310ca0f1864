"""``shipdesk``: the desktop app when called bare, headless jobs as subcommands.

Exit codes (the design's contract): 0 all done, 1 some items failed (listed), 2 usage or
configuration error, 130 stopped with Ctrl+C, 143 stopped with SIGTERM (128 + the signal). Every
failure a user can hit is printed as one sentence; tracebacks go to the log file only.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from shipdesk.cli.exit_codes import EXIT_INTERRUPTED, EXIT_SOME_FAILED, EXIT_USAGE
from shipdesk.cli.logs import setup_logging, where_details_are
from shipdesk.cli.parser import build_parser
from shipdesk.errors import ConfigError, ShipdeskError

log = logging.getLogger("shipdesk")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        setup_logging(args.command, verbose=args.verbose, config=args.config, action=getattr(args, "action", None))
        # imported on demand: the desktop app never loads the command jobs, a command never loads Qt
        if args.command is None:
            from shipdesk.cli.desktop import run_desktop

            return run_desktop(args)
        from shipdesk.cli import commands
        from shipdesk.cli.signals import stop_on_signals

        with stop_on_signals():  # Ctrl+C, SIGTERM, a closing console: every Acumatica session signs out
            return commands.run_command(args)
    except KeyboardInterrupt as stop:  # Ctrl+C, or stopping.Terminated (SIGTERM...): 128 + the signal
        print("Stopped.", file=sys.stderr)
        return getattr(stop, "exit_code", EXIT_INTERRUPTED)
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
        print(f"shipdesk: unexpected error ({type(exc).__name__}: {exc}); {where_details_are()}",
              file=sys.stderr)
        return EXIT_SOME_FAILED


if __name__ == "__main__":
    sys.exit(main())
