"""The desktop app's one Acumatica session: one sign-in (one API seat) for every label and sync while the app is
in use, shared by the threads that work at once, signed out after the idle time the admin set (issue 14)."""

from __future__ import annotations

import threading
import time

from shipdesk.core.tracking.sync import SyncService


def _acumatica(sandboxes) -> dict:
    return sandboxes.acumatica.stats_payload()


def _wait_until(condition, timeout: float = 10.0) -> bool:
    """Wait for a condition the sandbox reports (a sign-out), up to ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.02)
    return True


def test_labels_and_a_sync_in_use_share_one_sign_in_and_the_idle_session_is_signed_out(sandboxes, make_flow):
    flow = make_flow(keep_session=0.3)
    logins = _acumatica(sandboxes)["logins"]

    flow.pull()
    assert all(flow.ship(nbr, print_labels=False).ok for nbr in ("SH000101", "SH000102", "SH000103"))
    SyncService(flow.context, flow=flow).run_cycle()

    assert _acumatica(sandboxes)["logins"] - logins == 1
    assert _wait_until(lambda: _acumatica(sandboxes)["sessions_open"] == 0)  # idle: the seat is free again
    assert _acumatica(sandboxes)["logouts"] >= 1

    flow.pull()  # back in use: one new sign-in, signed out again when idle
    assert _acumatica(sandboxes)["logins"] - logins == 2
    assert _wait_until(lambda: _acumatica(sandboxes)["sessions_open"] == 0)


def test_two_threads_at_once_hold_one_seat_and_closing_signs_out_at_once(sandboxes, make_flow):
    flow = make_flow(keep_session=600.0)
    logins = _acumatica(sandboxes)["logins"]
    flow.pull()
    most_seats: list[int] = []
    errors: list[BaseException] = []

    def ship(nbr: str) -> None:
        try:
            assert flow.ship(nbr, print_labels=False).ok
            most_seats.append(_acumatica(sandboxes)["sessions_open"])
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    workers = [threading.Thread(target=ship, args=(nbr,)) for nbr in ("SH000101", "SH000102")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == [] and max(most_seats) == 1
    assert _acumatica(sandboxes)["logins"] - logins == 1
    assert _acumatica(sandboxes)["sessions_open"] == 1  # kept for the next use, well under the idle time
    flow.close()
    assert _acumatica(sandboxes)["sessions_open"] == 0
