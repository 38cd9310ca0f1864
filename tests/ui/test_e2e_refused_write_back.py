"""End to end through the real window: a write-back Acumatica refuses is a refusal, not an outage (issue 19.2).

The Acumatica sandbox answers as integrators meet it: HTTP 500 with ``exceptionType``
``PX.Api.ContractBased.OutcomeEntityHasErrorsException`` and Acumatica's sentence
(tests/samples/acumatica_500_outcome_entity_has_errors.json, constructed from the reported envelope).
"""

from __future__ import annotations

import pytest

from shipdesk.core.domain.states import State
from shipdesk.core.shipping.checkpoints import Step
from tests.ui.e2e_support import WAIT_MS, RunningApp

PLAIN = "SH000101"
RULE = "Ship Via 'UPSGROUND' cannot be found in the system."


@pytest.fixture
def app(qtbot):
    running = RunningApp(qtbot)
    yield running
    running.close()


def test_a_refused_write_back_says_correct_the_record_and_offers_no_retry(qtbot, app):
    win = app.window
    app.sandboxes.acumatica.documents.refusal_status = 500

    def refuse_after_the_label(step: Step) -> None:  # someone breaks the shipment while UPS answers
        if step == Step.AFTER_LABEL:
            app.sandboxes.acumatica.refuse_saves(PLAIN, "ShipVia", RULE)

    app.services.flow.parts.checkpoint = refuse_after_the_label
    assert win.shipments.select_shipment(PLAIN)
    with qtbot.waitSignal(win.action_finished, timeout=WAIT_MS):
        win.commands.by_name["ship"].trigger()
    app.wait_state(PLAIN, State.LABELLED.value)

    notice = win.notice.text.text()
    assert "record raised at least one error" in notice and "Correct the record in Acumatica" in notice
    assert not win.notice.retry_button.isVisible()
    with qtbot.waitSignal(win.detail_loaded, timeout=WAIT_MS):
        assert win.shipments.select_shipment(PLAIN)
    assert "Correct the record in Acumatica" in win.detail.problem_text.text()
    assert not win.detail.retry_button.isVisible()  # a retry would get the same answer
