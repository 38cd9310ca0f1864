"""The log file every error sentence can point to: tracebacks go here, never to the screen.

The desktop app writes ``logs/shipdesk.log`` and the command line ``logs/shipdesk-cli.log`` in the
data folder (separate files: two processes must not rotate one file under each other's feet).
Secrets never reach a log: the clients log methods, paths and statuses only.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from shipdesk.core.settings.paths import DataPaths

log = logging.getLogger(__name__)

HANDLER_NAME = "shipdesk-file"
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"


def log_to_file(paths: DataPaths, filename: str, *, console_level: int = logging.WARNING) -> None:
    """Add a rotating INFO log in ``paths.logs``; the console keeps ``console_level``."""
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(paths.logs / filename, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError as exc:
        log.warning("cannot write the log file in %s: %s", paths.logs, exc)
        return
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:  # one file per process
        root.removeHandler(old)
        old.close()
    for other in root.handlers:  # the console stays as quiet as it was asked to be
        if other.level == logging.NOTSET:
            other.setLevel(console_level)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
