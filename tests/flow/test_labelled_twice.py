"""Without a shared store, another station may write its label's tracking numbers while this one waits for UPS.
The write-back reads first and never replaces them: the shipment is flagged "labelled twice" with both
numbers; a label never printed is voided at once, a printed one is left to a person (Void)."""

from __future__ import annotations

from shipdesk.acumatica.auth import CookieAuth
from shipdesk.acumatica.client import AcumaticaClient
from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.checkpoints import Step
from shipdesk.core.store import repository as repo
from shipdesk.sandbox import Sandboxes

NBR = "SH000101"
THEIRS = "1ZA1B2C30399999990"  # the other station's label


def other_station_writes_first(sandboxes: Sandboxes):
    def at(step: Step) -> None:
        if step == Step.AFTER_LABEL:  # UPS answered this station; the other one's write lands first
            with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                                 auth=CookieAuth("admin", "demo", "Demo")) as acu:
                shipment = acu.get_shipment(NBR)
                acu.write_tracking(shipment, {shipment.packages[0].id: THEIRS})
    return at


def test_a_label_never_printed_is_voided_and_acumatica_keeps_the_other_one(sandboxes, make_flow, read_acumatica):
    flow = make_flow(checkpoint=other_station_writes_first(sandboxes))

    outcome = flow.ship(NBR, print_labels=False)

    assert not outcome.ok and outcome.reason == Reason.LABELLED_TWICE and outcome.state == State.VOIDED
    [ours] = outcome.tracking_numbers
    assert THEIRS in outcome.message and ours in outcome.message and "has been voided" in outcome.message
    assert read_acumatica(NBR).tracking_numbers == (THEIRS,)
    assert sandboxes.acumatica.stats_payload()["tracking_overwritten"] == 0
    assert sandboxes.ups.stats_payload()["voided"] == 1
    assert any("one shared store" in w for w in outcome.warnings)  # said once...
    assert not any("one shared store" in w for w in flow.ship(NBR, print_labels=False).warnings)  # ...not again


def test_a_label_printed_when_the_other_one_lands_waits_for_a_person(sandboxes, make_flow, read_acumatica):
    flow = make_flow(checkpoint=other_station_writes_first(sandboxes))

    outcome = flow.ship(NBR, print_labels=True)

    # this station read the shipment right after the label, before printing: nothing was printed
    assert outcome.reason == Reason.LABELLED_TWICE and not outcome.printed and outcome.state == State.VOIDED

    sandboxes.reset()
    other_writes = other_station_writes_first(sandboxes)

    def slow_printer(profile, labels, job_name) -> None:  # the other station's write lands while this one prints
        other_writes(Step.AFTER_LABEL)

    printing = make_flow(data="printing", printer=slow_printer)
    late = printing.ship(NBR, print_labels=True)

    assert late.reason == Reason.LABELLED_TWICE and late.printed and late.state == State.LABELLED_TWICE
    assert "was printed: void it" in late.message and THEIRS in late.message
    assert read_acumatica(NBR).tracking_numbers == (THEIRS,)  # read again after printing: never overwritten
    assert repo.get_shipment(NBR).state == State.LABELLED_TWICE
    assert printing.ship(NBR, print_labels=False).reason == Reason.LABELLED_TWICE  # waits for a person
    assert sandboxes.ups.stats_payload()["voided"] == 0
    voided = printing.void(NBR)
    assert voided.ok and voided.state == State.VOIDED
    after = read_acumatica(NBR)
    assert after.tracking_numbers == (THEIRS,) and "voided" not in after.note  # the other label stays untold
    assert sandboxes.acumatica.stats_payload()["tracking_overwritten"] == 0
