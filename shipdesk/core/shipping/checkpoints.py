"""Test hook: stop the ship flow at a named step so a test can kill the process exactly there.

Set ``SHIPDESK_TEST_PAUSE_AT=<step>`` (and optionally ``SHIPDESK_TEST_PAUSE_MARKER=<file>``): when the
flow reaches that step it writes the step name to the marker file and blocks until the process is
killed. The crash test (``tests/flow/test_crash_exactly_once.py``) uses it to SIGKILL the ship
command at each step in turn. Steps: ``before_ship`` (job committed as prepared, not yet flipped to
requesting), ``before_request`` (flipped to requesting, UPS not called yet), ``after_label`` (UPS
answer committed, nothing printed or written back), ``during_writeback`` (tracking numbers written to
Acumatica, label files not attached yet). Unset in production: a no-op.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PAUSE_ENV = "SHIPDESK_TEST_PAUSE_AT"
MARKER_ENV = "SHIPDESK_TEST_PAUSE_MARKER"
STEPS = ("before_ship", "before_request", "after_label", "during_writeback")


def pause_at(step: str) -> None:
    if os.environ.get(PAUSE_ENV) != step:
        return
    marker = os.environ.get(MARKER_ENV)
    if marker:
        Path(marker).write_text(step, encoding="utf-8")
    threading.Event().wait()  # until the test kills this process
