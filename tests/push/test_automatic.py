"""Automatic mode: released shipments are labelled with no clerk, once each; bad addresses wait for a person."""

from __future__ import annotations

import time
from datetime import date

import requests

from shipdesk.core.automatic import switch
from shipdesk.core.automatic.labeller import AutoLabeller, print_when_scanned
from shipdesk.core.domain.states import State
from shipdesk.core.settings.config import AutomaticLabels
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import jobs, shipments
from tests.push.conftest import hold_copies, point_pushes, release


def ships_at_ups(sandboxes) -> int:
    return int(sandboxes.ups.stats_payload()["shipments_created"])


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def state(nbr):
    record = shipments.get_shipment(nbr)
    return record.state if record else None


def release_day(sandboxes) -> tuple[list[str], list[str]]:
    """17 good shipments and 3 bad ones (2 addresses UPS does not know, 1 ambiguous), On Hold."""
    good = hold_copies(sandboxes, "SH000101", 17, "AG")
    bad = hold_copies(sandboxes, "SH000119", 2, "AB") + hold_copies(sandboxes, "SH000120", 1, "AA")
    return good, bad


def test_releasing_twenty_labels_the_seventeen_good_ones_once_each(sandboxes, push_context, start_sync):
    good, bad = release_day(sandboxes)
    context = push_context(automatic=True, automatic_labels=AutomaticLabels.PRINT)
    running = start_sync(context, labeller=AutoLabeller(context))
    point_pushes(sandboxes, running.push_url)
    labels_before = ships_at_ups(sandboxes)  # the first cycle labelled the seeded Open shipments already
    today = context.now().astimezone().date()
    counted_before = switch.labels_on(today)

    release(sandboxes, good + bad)

    assert wait_for(lambda: all(state(n) == State.WRITTEN_BACK for n in good)
                    and all(state(n) == State.NEEDS_ATTENTION for n in bad), 60), \
        {n: state(n) for n in good + bad}
    assert ships_at_ups(sandboxes) - labels_before == 17
    for nbr in good:
        job = jobs.latest_job(nbr)
        assert job is not None and job.printed_at is not None  # to the printer at once
        assert acumatica_tracking(sandboxes, nbr) == job.tracking_numbers
    reasons = {n: shipments.get_shipment(n).attention_reason for n in bad}
    assert all("address" in reason for reason in reasons.values()), reasons
    assert switch.labels_on(today) - counted_before == 17


def test_the_daily_cap_stops_automatic_mode_and_says_so(sandboxes, push_context):
    numbers = hold_copies(sandboxes, "SH000101", 4, "CP")
    release(sandboxes, numbers)
    context = push_context(automatic=True, daily_cap=3, automatic_labels=AutomaticLabels.ARCHIVE)
    ShipFlow(context).pull()
    labeller = AutoLabeller(context, today=lambda: date(2026, 12, 7))
    before = ships_at_ups(sandboxes)

    run = labeller.run()
    again = labeller.run()

    assert len(run.labelled) == 3 and ships_at_ups(sandboxes) - before == 3
    assert "daily_cap" in run.stopped and switch.stopped() is not None
    assert again.labelled == [] and again.stopped  # stays stopped until a person starts it
    switch.start()
    assert labeller.run().stopped  # still today: the cap holds, and stops the mode again
    switch.start()
    tomorrow = AutoLabeller(context, today=lambda: date(2026, 12, 8)).run()
    assert len(tomorrow.labelled) == 3 and ships_at_ups(sandboxes) - before == 6


def test_a_stopped_mode_labels_nothing_and_print_when_scanned(sandboxes, push_context):
    numbers = hold_copies(sandboxes, "SH000101", 1, "SW")
    release(sandboxes, numbers)
    context = push_context(automatic=True, automatic_labels=AutomaticLabels.ARCHIVE)
    flow = ShipFlow(context)
    flow.pull()
    switch.stop("checking a mass release", now=context.now(), by="tester")
    before = ships_at_ups(sandboxes)

    assert "checking a mass release" in AutoLabeller(context).run().stopped
    assert ships_at_ups(sandboxes) == before

    switch.start()
    assert AutoLabeller(context).run(only=numbers).labelled == numbers
    job = jobs.latest_job(numbers[0])
    assert job is not None and job.printed_at is None  # archive only: nothing printed yet
    printed = print_when_scanned(flow, numbers[0])
    assert printed is not None and printed.printed
    assert jobs.latest_job(numbers[0]).printed_at is not None
    assert print_when_scanned(flow, numbers[0]) is None  # a second scan prints nothing more


def acumatica_tracking(sandboxes, nbr: str) -> list[str]:
    with sandboxes.acumatica.lock:
        record = sandboxes.acumatica.documents.shipment(nbr)
        return [p["TrackingNbr"] for p in record["Packages"] if p["TrackingNbr"]]


def test_auto_command_stops_starts_and_reports(sandboxes, push_context, capsys):
    from shipdesk.cli.commands.automatic import auto
    from shipdesk.cli.output import Output

    class Args:
        action = "stop"
        reason = "too many released"

    context = push_context(automatic=True)
    assert auto(context, Args(), Output(False)) == 0
    assert "too many released" in capsys.readouterr().out
    Args.action = "start"
    auto(context, Args(), Output(False))
    assert "running" in capsys.readouterr().out
    assert requests  # the module is used by the helpers
