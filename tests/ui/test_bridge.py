"""The bridge runs work off the GUI thread, and a UI coroutine reads top to bottom around it: each of its
steps on the GUI thread, the answer (or the error sentence) at its ``await``."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from shipdesk.errors import ConnectionFailed, ShipdeskError
from shipdesk.ui.bridge import TaskBridge, async_slot, progress_callback, run_in_worker
from shipdesk.ui.unexpected import DIALOG_NAME

GUI_THREAD = threading.main_thread().ident
WAIT = 5000


def _unexpected_dialog() -> QMessageBox | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.objectName() == DIALOG_NAME and w.isVisible()), None)


def _close_unexpected_dialog(qtbot) -> str:
    qtbot.waitUntil(lambda: _unexpected_dialog() is not None, timeout=WAIT)
    dialog = _unexpected_dialog()
    assert dialog is not None
    text = dialog.text()
    dialog.done(0)
    return text


def test_a_coroutine_gets_the_answer_at_its_await_and_every_step_runs_on_the_gui_thread(qtbot):
    bridge = TaskBridge()
    seen: list[tuple[str, object, int | None]] = []

    def add(a: int, b: int) -> int:
        seen.append(("worker", None, threading.get_ident()))
        return a + b

    async def action() -> None:
        seen.append(("before", None, threading.get_ident()))
        total = await run_in_worker(add, 2, 3)
        seen.append(("after", total, threading.get_ident()))
        doubled = await run_in_worker(add, total, total)
        seen.append(("again", doubled, threading.get_ident()))

    bridge.start(action())
    qtbot.waitUntil(lambda: bridge.active_count == 0, timeout=WAIT)
    steps = [(step, value) for step, value, _thread in seen]
    assert steps == [("before", None), ("worker", None), ("after", 5), ("worker", None), ("again", 10)]
    assert [thread for step, _v, thread in seen if step != "worker"] == [GUI_THREAD] * 3
    assert all(thread != GUI_THREAD for step, _v, thread in seen if step == "worker")


def test_a_shipdesk_error_is_raised_at_the_await_with_its_sentence(qtbot):
    bridge = TaskBridge()
    failure = ConnectionFailed("UPS cannot be reached at https://wwwcie.ups.com.", service="UPS")
    caught: list[ShipdeskError] = []

    def work() -> None:
        raise failure

    async def action() -> None:
        try:
            await run_in_worker(work)
        except ShipdeskError as error:
            caught.append(error)

    bridge.start(action())
    qtbot.waitUntil(lambda: bool(caught), timeout=WAIT)
    assert caught == [failure]
    assert str(caught[0]) == "UPS cannot be reached at https://wwwcie.ups.com."


def test_a_bug_in_the_worker_becomes_a_plain_sentence_at_the_await(qtbot):
    bridge = TaskBridge()
    caught: list[ShipdeskError] = []

    async def action() -> None:
        try:
            await run_in_worker(lambda: {}["missing"])
        except ShipdeskError as error:
            caught.append(error)

    bridge.start(action())
    qtbot.waitUntil(lambda: bool(caught), timeout=WAIT)
    assert "Something unexpected went wrong (KeyError)" in str(caught[0])
    assert "log file" in str(caught[0])


def test_an_exception_a_coroutine_lets_out_reaches_the_log_and_a_dialog(qtbot, caplog):
    class Window(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.bridge = TaskBridge(self)

        @async_slot
        async def refresh(self) -> None:
            rows = await run_in_worker(lambda: [1, 2])
            rows[5]  # a bug in the UI's own code, after the worker answered

    window = Window()
    with caplog.at_level(logging.ERROR):
        window.refresh()
        text = _close_unexpected_dialog(qtbot)
    assert "Something unexpected went wrong (IndexError)" in text
    assert "log file" in text
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and "Window.refresh" in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the traceback is in the log
    assert window.bridge.active_count == 0  # and the window is not left thinking it is busy


def test_an_exception_in_a_plain_slot_reaches_the_log_and_a_dialog(qtbot, caplog, monkeypatch):
    import sys

    from shipdesk.ui import unexpected

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    unexpected.install_excepthook()  # what ui/app.py does when the app starts

    def on_timer() -> None:
        raise ValueError("a bug in a slot")

    with caplog.at_level(logging.ERROR):
        QTimer.singleShot(0, on_timer)
        text = _close_unexpected_dialog(qtbot)
    assert "Something unexpected went wrong (ValueError)" in text
    assert any(r.exc_info is not None and "a bug in a slot" in str(r.exc_info[1]) for r in caplog.records)


def test_a_modal_dialog_in_one_coroutine_does_not_stop_another(qtbot):
    """The reason the UI does not use qasync: there, a dialog's exec() inside one task made any other task
    whose answer came meanwhile fail ("Cannot enter into task ... while another task ... is being
    executed") and be lost. Here the other coroutine finishes while the dialog is still open."""
    bridge = TaskBridge()
    release = threading.Event()
    log: list[str] = []

    async def sync() -> None:
        await run_in_worker(release.wait, 5)
        log.append("sync finished")

    async def ship() -> None:
        await run_in_worker(lambda: None)
        dialog = QDialog()
        QTimer.singleShot(0, release.set)  # the sync's answer comes while the dialog is open

        def close_when_synced() -> None:
            if "sync finished" in log:
                dialog.accept()
            else:
                QTimer.singleShot(5, close_when_synced)

        QTimer.singleShot(0, close_when_synced)
        log.append("dialog " + ("accepted" if dialog.exec() == QDialog.DialogCode.Accepted else "timed out"))

    bridge.start(sync())
    bridge.start(ship())
    qtbot.waitUntil(lambda: bridge.active_count == 0, timeout=WAIT)
    assert log == ["sync finished", "dialog accepted"]


def test_awaiting_anything_but_bridge_work_is_a_clear_error(qtbot):
    import asyncio

    bridge = TaskBridge()
    caught: list[BaseException] = []

    async def action() -> None:
        try:
            await asyncio.sleep(0)  # no asyncio loop drives UI coroutines
        except TypeError as error:
            caught.append(error)

    bridge.start(action())
    qtbot.waitUntil(lambda: bridge.active_count == 0, timeout=WAIT)
    assert "run_in_worker" in str(caught[0])


def test_busy_counts_a_coroutine_until_its_last_step_not_only_its_worker_call(qtbot):
    bridge = TaskBridge()
    release = threading.Event()
    counts: list[int] = []
    bridge.busy_changed.connect(counts.append)
    after_answer: list[int] = []

    async def action() -> None:
        await run_in_worker(release.wait, 5)
        after_answer.append(bridge.active_count)  # still counted while it handles the answer

    bridge.start(action())
    assert bridge.active_count == 1
    release.set()
    qtbot.waitUntil(lambda: bridge.active_count == 0, timeout=WAIT)
    assert after_answer == [1]
    assert counts == [1, 0]


def test_handlers_instead_of_await_get_the_same_answers_on_the_gui_thread(qtbot):
    bridge = TaskBridge()
    delivered: list[tuple[object, int | None]] = []
    bridge.run_task(lambda a, b: a + b, 2, 3, on_success=lambda r: delivered.append((r, threading.get_ident())))
    failure = ConnectionFailed("Acumatica cannot be reached.", service="Acumatica")

    def fail() -> None:
        raise failure

    bridge.run_task(fail, on_error=lambda e: delivered.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: len(delivered) == 2, timeout=WAIT)
    assert sorted(delivered, key=str) == sorted([(5, GUI_THREAD), (failure, GUI_THREAD)], key=str)


def test_progress_from_a_worker_arrives_on_the_gui_thread(qtbot):
    bridge = TaskBridge()
    seen: list[tuple[int, int | None]] = []
    report = progress_callback(bridge, lambda v: seen.append((v, threading.get_ident())))

    def work() -> None:
        for i in range(3):
            report(i)

    bridge.run_task(work)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=WAIT)
    assert seen == [(0, GUI_THREAD), (1, GUI_THREAD), (2, GUI_THREAD)]
