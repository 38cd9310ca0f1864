"""``shipdesk``: the desktop app when called bare, headless jobs as subcommands.

Exit codes (the design's contract): 0 all done, 1 some items failed (listed), 2 usage or
configuration error, 130 stopped with Ctrl+C, 143 stopped with SIGTERM, 141 stdout closed by its reader
(`| head`) (128 + the signal). Every failure a user can hit is printed as one sentence (with ``--json``
also as ``{"error": ...}`` on stdout); tracebacks go to the log file only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Sequence

from shipdesk.cli.exit_codes import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_SOME_FAILED, EXIT_USAGE
from shipdesk.cli.language import choose_language
from shipdesk.cli.logs import setup_logging, where_details_are
from shipdesk.cli.parser import build_parser
from shipdesk.errors import ConfigError, ShipdeskError
from shipdesk.i18n import _

log = logging.getLogger("shipdesk")


def main(argv: Sequence[str] | None = None) -> int:
    choose_language(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # `shipdesk list | head`: the reader has all it wanted; no traceback, no more output
        _stdout_to_nowhere()
        return EXIT_BROKEN_PIPE


def _run(args: argparse.Namespace) -> int:
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
        print(_("Stopped."), file=sys.stderr)
        return getattr(stop, "exit_code", EXIT_INTERRUPTED)
    except BrokenPipeError:
        raise  # not a failure to explain: main() ends quietly
    # INFO: the log file (INFO and up) gets the traceback, the console (WARNING unless --verbose) only the sentence
    except ConfigError as exc:
        log.info("configuration error", exc_info=True)
        return _failed(args, str(exc), EXIT_USAGE)
    except ShipdeskError as exc:
        log.info("command failed", exc_info=True)
        return _failed(args, str(exc), EXIT_SOME_FAILED)
    except Exception as exc:  # a bug or an unforeseen failure: a sentence here, the traceback in the log
        log.exception("unexpected error")
        return _failed(args, _("unexpected error ({kind}: {error}); {where}").format(
            kind=type(exc).__name__, error=exc, where=where_details_are()), EXIT_SOME_FAILED)


def _failed(args: argparse.Namespace, sentence: str, code: int) -> int:
    """The sentence on stderr; with ``--json`` also one JSON object on stdout, so a script reading stdout
    learns why the command stopped instead of finding nothing to parse."""
    print(f"shipdesk: {sentence}", file=sys.stderr)  # i18n: the program's name before a translated sentence
    if getattr(args, "json", False):
        print(json.dumps({"error": sentence, "exit_code": code}, ensure_ascii=False), flush=True)
    return code


def _stdout_to_nowhere() -> None:
    """After a broken pipe Python flushes stdout once more at exit, and would print a second traceback."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())

if __name__ == "__main__":
    sys.exit(main())
