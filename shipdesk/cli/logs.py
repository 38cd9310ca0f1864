"""Where the command line logs: WARNING on the console (DEBUG with ``-v``), INFO and tracebacks in a file.

Commands write ``<data>/logs/shipdesk-cli.log``; the desktop app (``shipdesk`` with no command) its own
``shipdesk.log``, set up here already so that a failure before the window opens (Qt cannot load) has its
traceback there too; ``service run`` writes ``shipdesk-service.log`` in the folder it is given (see
``core/logfile.py`` for several processes sharing one file). The sandbox logs nothing worth keeping.
"""

from __future__ import annotations

import logging

from shipdesk.core.logfile import HANDLER_NAME, log_to_file
from shipdesk.core.settings.paths import DataPaths
from shipdesk.i18n import _

COMMANDS_LOG = "shipdesk-cli.log"
DESKTOP_LOG = "shipdesk.log"


def setup_logging(command: str | None, *, verbose: bool, config: str | None = None, action: str | None = None) -> None:
    """``config`` (``--config``) may choose the data folder (``[paths] scope``); ``service run`` logs to the
    service's own file once it knows its folder."""
    console = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=console, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if command == "sandbox" or (command, action) == ("service", "run"):
        return
    log_to_file(DataPaths.default(config), DESKTOP_LOG if command is None else COMMANDS_LOG, console_level=console)


def where_details_are() -> str:
    """The end of an error sentence: the log file that holds the traceback."""
    for handler in logging.getLogger().handlers:
        if handler.get_name() == HANDLER_NAME and isinstance(handler, logging.FileHandler):
            return _("the details are in {path}.").format(path=handler.baseFilename)
    return _("run it again with --verbose for the details.")
