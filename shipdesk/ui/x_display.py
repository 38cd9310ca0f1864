"""Is the X display reachable? Asked before Qt starts: Qt's xcb plugin aborts the process (SIGABRT, exit
134) when it cannot connect, with advice that misleads ("Reinstalling the application may fix this
problem"). That was issue 13's start-up crash under Xvfb: the app was launched while Xvfb was still
starting. shipdesk waits a few seconds for the display, then says in a sentence what is wrong."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

#: how long a display that is starting (Xvfb, a desktop session logging in) is waited for
WAIT_S = 10.0
_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")


def _connects(display: str) -> bool | None:
    """True/False for a display shipdesk can check; None for a form it does not know (Qt decides)."""
    match = _DISPLAY.match(display)
    if match is None:
        return None
    host, number = match["host"], int(match["number"])
    try:
        if host in ("", "unix"):
            path = Path(f"/tmp/.X11-unix/X{number}")
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
                unix.settimeout(1.0)
                unix.connect(str(path))
        else:
            with socket.create_connection((host, 6000 + number), timeout=1.0):
                pass
    except OSError:
        return False
    return True


def display_problem(display: str, *, wait_s: float = WAIT_S, sleep_s: float = 0.1) -> str:
    """"" when the X display ``display`` answers (within ``wait_s``), else what to do about it."""
    deadline = time.monotonic() + wait_s
    while True:
        reachable = _connects(display)
        if reachable is None or reachable:
            return ""
        if time.monotonic() >= deadline:
            return (f"cannot reach the X display {display} (the DISPLAY setting): nothing answered "
                    f"there for {wait_s:.0f} s. Start the X server (or Xvfb) first, or unset DISPLAY to run "
                    "without a screen.")
        time.sleep(sleep_s)
