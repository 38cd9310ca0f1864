"""``update check``: is there a newer shipdesk? Reads the manifest ``[updates] manifest`` names.

Exit code: 0 checked (up to date, or a newer version is available), 1 the manifest could not be read, 2 no
manifest is configured. With ``--json``: ``status`` (``up_to_date``, ``available``, ``off``, ``error``),
``message``, and ``version``, ``url``, ``sha256``, ``notes`` when one is available.
"""

from __future__ import annotations

import argparse

from shipdesk.cli.exit_codes import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from shipdesk.cli.output import Output
from shipdesk.core.settings.config import load_config
from shipdesk.core.settings.paths import config_path
from shipdesk.updates import UpdateStatus, check_for_update

EXIT_CODES = {UpdateStatus.UP_TO_DATE: EXIT_OK, UpdateStatus.AVAILABLE: EXIT_OK,
              UpdateStatus.ERROR: EXIT_SOME_FAILED, UpdateStatus.OFF: EXIT_USAGE}


def update(args: argparse.Namespace, out: Output) -> int:
    config = load_config(config_path(args.config))
    result = check_for_update(config.updates.manifest)
    out.emit(result.to_json(), [result.message])
    return EXIT_CODES[result.status]
