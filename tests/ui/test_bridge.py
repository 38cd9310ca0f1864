"""The task bridge runs work off the GUI thread and delivers results and error sentences on it."""

from __future__ import annotations

import threading

from shipdesk.errors import ConnectionFailed
from shipdesk.ui.bridge import TaskBridge, progress_callback

GUI_THREAD = threading.main_thread().ident


def test_success_is_delivered_on_the_gui_thread(qtbot):
    bridge = TaskBridge()
    ran_on, delivered = [], []

    def work(a, b):
        ran_on.append(threading.get_ident())
        return a + b

    bridge.run_task(work, 2, 3, on_success=lambda r: delivered.append((r, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(delivered), timeout=5000)
    assert delivered == [(5, GUI_THREAD)]
    assert ran_on and ran_on[0] != GUI_THREAD
    qtbot.waitUntil(lambda: bridge.active_count == 0)


def test_shipdesk_error_reaches_on_error_with_its_sentence(qtbot):
    bridge = TaskBridge()
    errors = []
    failure = ConnectionFailed("UPS cannot be reached at https://wwwcie.ups.com.", service="UPS")

    def work():
        raise failure

    bridge.run_task(work, on_success=lambda _r: errors.append("success?"),
                    on_error=lambda e: errors.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == [(failure, GUI_THREAD)]
    assert str(errors[0][0]) == "UPS cannot be reached at https://wwwcie.ups.com."


def test_a_bug_in_a_task_becomes_a_plain_sentence_not_a_crash(qtbot):
    bridge = TaskBridge()
    errors = []
    bridge.run_task(lambda: {}["missing"], on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert "Something unexpected went wrong (KeyError)" in str(errors[0])
    assert "log file" in str(errors[0])


def test_busy_count_goes_up_while_work_runs_and_back_to_zero(qtbot):
    bridge = TaskBridge()
    release = threading.Event()
    counts: list[int] = []
    bridge.busy_changed.connect(counts.append)
    bridge.run_task(release.wait, 5)
    assert bridge.active_count == 1
    release.set()
    qtbot.waitUntil(lambda: bridge.active_count == 0, timeout=5000)
    assert counts == [1, 0]


def test_progress_from_a_worker_arrives_on_the_gui_thread(qtbot):
    bridge = TaskBridge()
    seen = []
    report = progress_callback(bridge, lambda v: seen.append((v, threading.get_ident())))

    def work():
        for i in range(3):
            report(i)

    bridge.run_task(work)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen == [(0, GUI_THREAD), (1, GUI_THREAD), (2, GUI_THREAD)]
