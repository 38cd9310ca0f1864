"""The ``shipdesk`` command.

- ``main``: parse, set up the logs, dispatch, turn every failure into one sentence and an exit code;
- ``parser``: the options and subcommands (what ``--help`` prints);
- ``commands/``: the jobs, one module per group (``shipping``, ``tracking``, ``admin``, ``sandbox``);
- ``context``: the app context one command works on (the config's accounts, or the demo's sandboxes);
- ``output``: sentences or one JSON document, the progress bar, one line per outcome;
- ``desktop``: starting the desktop app, or saying in a sentence why it cannot start;
- ``logs``, ``exit_codes``: the log file every error sentence points to, the design's exit codes.
"""

from shipdesk.cli.main import main

__all__ = ["main"]
