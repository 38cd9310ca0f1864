"""The Qt binding itself must not wear the interpreter down: a long shift emits signals by the million.

PySide6 6.12.0 returned ``True`` from ``Signal.emit()`` without taking a reference to it, so each emit
dropped one. On Python 3.11 (``True`` is not immortal there) the desktop app aborted with "Fatal Python
error: bool_dealloc" after a few hundred labels (about ten emits per label). pyproject.toml excludes
that release; this test fails on any binding that does it again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(object)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12 on")
def test_emitting_a_signal_keeps_the_interpreter_s_references(qapp):
    emitter = _Emitter()
    received: list[object] = []
    emitter.changed.connect(received.append)
    before = sys.getrefcount(True)
    for n in range(200):
        emitter.changed.emit(n)
    assert len(received) == 200
    assert sys.getrefcount(True) - before > -50  # not one reference lost per emit
