"""A write-back Acumatica refuses (issue 19.2): a refusal for a person to fix, not an outage to wait out.

The Acumatica sandbox refuses the shipment as integrators meet it: HTTP 500 with ``exceptionType``
``PX.Api.ContractBased.OutcomeEntityHasErrorsException`` (tests/samples/acumatica_500_outcome_entity_has_errors.json,
constructed from the reported envelope), or 422 with the record (the documented form).
"""

from __future__ import annotations

import pytest

from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.checkpoints import Step
from shipdesk.core.store import repository
from shipdesk.errors import RemoteError
from shipdesk.labels import LabelArchive
from shipdesk.ui import store_views

RULE = "Ship Via 'UPSGROUND' cannot be found in the system."


@pytest.mark.parametrize("status", [500, 422])
def test_a_refused_write_back_waits_for_a_fix_and_is_no_outage(sandboxes, make_flow, read_acumatica, tmp_path,
                                                                status):
    sandboxes.acumatica.documents.refusal_status = status

    def refuse_after_the_label(step: Step) -> None:  # someone breaks the shipment while UPS answers
        if step == Step.AFTER_LABEL:
            sandboxes.acumatica.refuse_saves("SH000105", "ShipVia", RULE)

    flow = make_flow(checkpoint=refuse_after_the_label)
    outcome = flow.ship("SH000105", print_labels=False)

    assert not outcome.ok and outcome.state == State.LABELLED
    assert "record raised at least one error" in outcome.message
    assert "Correct the record in Acumatica" in outcome.message
    outages: list[RemoteError] = []
    again = flow.retry_writebacks(on_outage=outages.append)  # what the sync does every cycle
    assert outages == [] and [o.state for o in again] == [State.LABELLED]
    detail = store_views.detail("SH000105", flow.config.ups.services, LabelArchive(tmp_path / "labels"))
    assert "Correct the record in Acumatica" in detail.problem and detail.retry_action is None

    sandboxes.acumatica.documents.save_rules.clear()  # the office corrects the shipment in Acumatica
    [done] = flow.retry_writebacks(on_outage=outages.append)
    assert done.state == State.WRITTEN_BACK and outages == []
    assert read_acumatica("SH000105").tracking_numbers == outcome.tracking_numbers
    assert sandboxes.ups.stats_payload()["labels_created"] == 1
    assert repository.get_shipment("SH000105").attention_reason == ""


def test_an_outage_during_write_back_still_offers_the_retry(sandboxes, flow, tmp_path):
    files_route = "/AcumaticaERP/entity/Default/24.200.001/Shipment/SH000105/files"
    sandboxes.acumatica.add_fault(files_route, status=500, count=1)

    outcome = flow.ship("SH000105", print_labels=False)

    assert not outcome.ok and outcome.state == State.LABELLED
    detail = store_views.detail("SH000105", flow.config.ups.services, LabelArchive(tmp_path / "labels"))
    assert detail.retry_action == "writeback"


def test_no_label_is_bought_for_a_shipment_acumatica_refuses_to_save(sandboxes, flow):
    """Without a shared store the station first leaves its claim on the shipment: when Acumatica refuses that
    save, it would refuse the tracking numbers too, so no label is bought."""
    sandboxes.acumatica.refuse_saves("SH000105", "ShipVia", RULE)

    outcome = flow.ship("SH000105", print_labels=False)

    assert not outcome.ok and outcome.reason == Reason.NEEDS_ATTENTION
    assert "No label was bought" in outcome.message and RULE in outcome.message
    assert sandboxes.ups.stats_payload()["labels_created"] == 0
    assert repository.get_shipment("SH000105").state == State.NEEDS_ATTENTION
    assert repository.latest_job("SH000105") is None  # the prepared job is forgotten: nothing was sent
