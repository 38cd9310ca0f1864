"""The sync service's start/stop logic, as Windows' service manager drives it, without the service manager:
``start()`` and ``wait()`` on one thread, ``stop()`` from another."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from shipdesk.errors import ConfigError
from shipdesk.service.runner import SyncServiceRunner

WAIT = 10.0  # seconds a test waits for something that should happen at once


class FakeSync:
    """Runs 'cycles' on its own thread like the real sync; a cycle can be held open by the test."""

    def __init__(self, *, hold_cycle: bool = False, fail_on_stop: Exception | None = None) -> None:
        self.release_cycle = threading.Event()
        if not hold_cycle:
            self.release_cycle.set()
        self.in_cycle = threading.Event()
        self.fail_on_stop = fail_on_stop
        self.stop_calls = 0
        self.signed_out = False
        self.cycles = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="fake-sync")
        self.thread.start()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.in_cycle.set()
            self.release_cycle.wait()
            self.cycles += 1
            self._stop.wait(0.01)

    def stop(self) -> None:
        self.stop_calls += 1
        self._stop.set()
        self.thread.join()  # like SyncService.stop: the step in flight ends first
        self.signed_out = True
        if self.fail_on_stop is not None:
            raise self.fail_on_stop


def serve(runner: SyncServiceRunner) -> threading.Thread:
    """What SvcDoRun does: start, then wait until stopped."""
    def run() -> None:
        if runner.start():
            runner.wait()
    thread = threading.Thread(target=run, name="service-main")
    thread.start()
    return thread


def test_stop_from_the_control_thread_ends_the_sync_and_the_service(caplog):
    caplog.set_level(logging.INFO, logger="shipdesk.service.runner")
    syncs: list[FakeSync] = []
    runner = SyncServiceRunner(lambda: syncs.append(FakeSync()) or syncs[-1])
    main = serve(runner)
    assert _until(lambda: runner.running and syncs and syncs[0].cycles > 0)

    assert runner.stop(timeout=WAIT)

    main.join(WAIT)
    assert not main.is_alive() and not runner.running
    assert len(syncs) == 1 and syncs[0].stop_calls == 1 and syncs[0].signed_out
    assert not syncs[0].thread.is_alive()
    assert [r.getMessage() for r in caplog.records] == [
        "shipdesk sync service started", "shipdesk sync service stopping", "shipdesk sync service stopped"]


def test_stop_while_a_cycle_runs_waits_for_the_step_to_end():
    sync = FakeSync(hold_cycle=True)
    runner = SyncServiceRunner(lambda: sync)
    main = serve(runner)
    assert sync.in_cycle.wait(WAIT)
    stopper = threading.Thread(target=runner.stop)
    stopper.start()

    stopper.join(0.2)
    assert stopper.is_alive() and runner.running  # still in the cycle: not reported stopped yet

    sync.release_cycle.set()
    stopper.join(WAIT)
    main.join(WAIT)
    assert not stopper.is_alive() and not main.is_alive()
    assert not runner.running and sync.signed_out and not sync.thread.is_alive()


def test_stop_is_idempotent_and_safe_from_many_threads():
    sync = FakeSync()
    runner = SyncServiceRunner(lambda: sync)
    main = serve(runner)
    assert _until(lambda: runner.running)

    stoppers = [threading.Thread(target=runner.stop) for _ in range(5)]
    for thread in stoppers:
        thread.start()
    for thread in stoppers:
        thread.join(WAIT)
    assert runner.stop(timeout=WAIT)  # and once more after it has stopped

    main.join(WAIT)
    assert sync.stop_calls == 1 and not main.is_alive()


def test_stop_before_start_means_the_sync_is_never_built():
    built = []
    runner = SyncServiceRunner(lambda: built.append(1) or FakeSync())

    assert runner.stop(timeout=WAIT)
    assert runner.start() is False
    assert runner.wait(timeout=WAIT)
    assert built == []


def test_stop_while_the_sync_is_being_built_stops_it_as_soon_as_it_exists():
    building = threading.Event()
    go_on = threading.Event()
    syncs: list[FakeSync] = []

    def slow_factory() -> FakeSync:
        building.set()
        go_on.wait(WAIT)  # opening the store, binding the listener...
        syncs.append(FakeSync())
        return syncs[-1]

    runner = SyncServiceRunner(slow_factory)
    main = serve(runner)
    assert building.wait(WAIT)
    stopper = threading.Thread(target=runner.stop)
    stopper.start()
    stopper.join(0.2)
    assert stopper.is_alive()  # stop waits for the sync it has to stop

    go_on.set()
    stopper.join(WAIT)
    main.join(WAIT)
    assert not stopper.is_alive() and not main.is_alive()
    assert syncs[0].stop_calls == 1 and not syncs[0].thread.is_alive()


def test_a_sync_that_cannot_start_is_a_logged_sentence(caplog):
    def factory() -> FakeSync:
        raise ConfigError("The Track Alert listener is enabled but its secret track_alert.credential is not set.")

    runner = SyncServiceRunner(factory)

    assert runner.start() is False
    assert runner.wait(timeout=0) and not runner.running and runner.stop(timeout=0)
    assert runner.error == ("could not start: The Track Alert listener is enabled but its secret "
                            "track_alert.credential is not set.")
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == f"shipdesk sync service {runner.error}"
    assert not record.exc_info  # a sentence we wrote: no traceback needed


def test_a_bug_while_starting_or_stopping_is_logged_with_its_traceback(caplog):
    runner = SyncServiceRunner(lambda: {}["store"])  # type: ignore[return-value,index]
    assert runner.start() is False
    assert runner.error is not None and "KeyError" in runner.error and "service log" in runner.error

    sync = FakeSync(fail_on_stop=RuntimeError("database is locked"))
    runner = SyncServiceRunner(lambda: sync)
    assert runner.start()

    assert runner.stop(timeout=WAIT)  # stopping still finishes: Windows is waiting for it
    assert not runner.running and not sync.thread.is_alive()
    assert runner.error is not None and "did not stop cleanly (RuntimeError: database is locked)" in runner.error
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and all(r.exc_info for r in errors)


@pytest.fixture(autouse=True)
def nothing_left_running():
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in left:
        thread.join(WAIT)
    assert [t.name for t in left if t.is_alive()] == []


def _until(condition, timeout: float = WAIT) -> bool:
    """Poll a condition the fake offers no event for (a cycle counter)."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            return False
        tick.wait(0.005)
    return True
