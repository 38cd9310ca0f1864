"""The log file every error sentence can point to: tracebacks go here, never to the screen.

One file per program in the data folder's ``logs/``: ``shipdesk.log`` (the desktop app),
``shipdesk-cli.log`` (commands, the scheduled sync), ``shipdesk-service.log`` (the Windows service). Several
processes may write one of them at once: two clerks' apps on a shared PC, a scheduled ``sync`` while IT runs
a command. ``concurrent-log-handler`` serialises their writes and rotations with a lock file beside the log
(``.__<name>.lock``), so no process rotates a file another is still writing (on Windows that rotation
fails; on Linux the other process would go on writing into the renamed file). Rotated at 2 MB, 3 kept.
Secrets never reach a log: the clients log methods, paths and statuses only.
"""

from __future__ import annotations

import logging

from concurrent_log_handler import ConcurrentRotatingFileHandler

from shipdesk.core.settings.paths import DataPaths

log = logging.getLogger(__name__)

HANDLER_NAME = "shipdesk-file"
FORMAT = "%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s"
MAX_BYTES = 2_000_000
BACKUPS_KEPT = 3
SHARED_MODE = 0o664


def log_to_file(paths: DataPaths, filename: str, *, console_level: int = logging.WARNING) -> None:
    """Add a rotating INFO log in ``paths.logs``; the console keeps ``console_level``."""
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        # the log and its lock file group-writable (Unix): in a machine-wide folder the other users' processes
        # and the service write them too (Windows: the folder's inherited ACL, set by the installer, does it)
        handler = ConcurrentRotatingFileHandler(str(paths.logs / filename), maxBytes=MAX_BYTES,
                                                backupCount=BACKUPS_KEPT, encoding="utf-8", chmod=SHARED_MODE)
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
