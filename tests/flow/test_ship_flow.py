"""The ship flow against the Acumatica and UPS sandboxes: labels, write-back, refusals, void, reprint."""

from __future__ import annotations

import json
from datetime import date

import pytest

from shipdesk.core.domain.audit import AuditAction, os_user
from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.events import ShipmentsChanged
from shipdesk.core.store import audit_log, repository
from shipdesk.errors import PrintError

from .conftest import ship_requests


def test_ship_labels_writes_back_and_attaches_each_label(sandboxes, flow, read_acumatica):
    outcome = flow.ship("SH000103", print_labels=False)  # three packages

    assert outcome.ok and outcome.state == State.WRITTEN_BACK and outcome.reason == Reason.LABELLED
    assert len(outcome.tracking_numbers) == 3
    assert sandboxes.ups.stats_payload()["labels_created"] == 3
    in_acumatica = read_acumatica("SH000103")
    assert sorted(in_acumatica.tracking_numbers) == sorted(outcome.tracking_numbers)
    files = " ".join(f.filename for f in in_acumatica.files)
    for number in outcome.tracking_numbers:
        assert f"Label #{number}.gif" in files
    assert repository.get_shipment("SH000103").state is State.WRITTEN_BACK


def test_shipping_again_never_buys_a_second_label(sandboxes, flow):
    first = flow.ship("SH000101", print_labels=False)
    again = flow.ship("SH000101", print_labels=False)

    assert again.ok and again.tracking_numbers == first.tracking_numbers
    assert again.reason == Reason.ALREADY_LABELLED
    assert ship_requests(sandboxes) == 1


@pytest.mark.parametrize(
    ("nbr", "reason", "sentence"),
    [
        ("SH000111", Reason.NEEDS_ATTENTION, "Ship Via FEDEXGROUND is not mapped to a UPS service"),
        ("SH000121", Reason.NEEDS_ATTENTION, "Package 2 (SMALL) has no weight: fill in Packages › Weight"),
        ("SH000122", Reason.NEEDS_ATTENTION, "Ship-to postal code is empty"),
        ("SH000120", Reason.ADDRESS_AMBIGUOUS,
         "UPS is not sure about the ship-to address of shipment SH000120 (3 candidates)"),
        ("SH000119", Reason.ADDRESS_UNKNOWN, "UPS does not know the ship-to address"),
    ],
)
def test_bad_shipments_need_attention_and_nothing_is_sent_to_ups(sandboxes, flow, nbr, reason, sentence):
    outcome = flow.ship(nbr, print_labels=False)

    assert not outcome.ok and outcome.state == State.NEEDS_ATTENTION and outcome.reason == reason
    # the clerk reads what to fix in Acumatica, on the outcome and on the shipment in the list
    assert sentence in outcome.message and outcome.problems
    assert ship_requests(sandboxes) == 0
    record = repository.get_shipment(nbr)
    assert record.state is State.NEEDS_ATTENTION and sentence in record.attention_reason


def test_long_and_non_ascii_names_are_labelled_with_a_warning_for_the_cut(sandboxes, flow):
    long_name, cafe, soren = (flow.ship(n, print_labels=False) for n in ("SH000123", "SH000124", "SH000125"))

    assert long_name.ok and cafe.ok and soren.ok
    assert any("shortened to UPS's 35 characters" in w for w in long_name.warnings)
    assert cafe.warnings == () and soren.warnings == ()
    sent = repository.latest_job("SH000124").request["ShipmentRequest"]["Shipment"]
    assert sent["ShipTo"]["Name"] == "Café Olé"


def test_pull_marks_ready_and_bad_shipments_and_is_incremental(sandboxes, flow):
    first = flow.pull()
    assert first.pulled >= 20 and first.new == first.pulled
    reasons = dict(first.needs_attention)
    assert "not mapped to a UPS service" in reasons["SH000111"]
    assert "Confirmed in Acumatica without a tracking number" in reasons["SH000115"]
    assert "already has tracking number" in reasons["SH000116"]
    assert "SH000101" in flow.ready_shipments() and "SH000113" not in flow.ready_shipments()  # On Hold

    again = flow.pull()
    assert again.new == 0 and again.pulled < first.pulled  # only what changed since the watermark


def test_pull_reads_confirmed_shipments_a_page_at_a_time_and_not_again(sandboxes, flow):
    """A busy day leaves thousands of Confirmed shipments changed since the last pull, nearly all labelled: they
    are read a page at a time, and the watermark moves over every record read, also those the pull drops, so
    later pulls do not read them again (but for the two minutes of overlap under the watermark)."""
    def confirmed_labelled(prefix: str, count: int) -> None:
        with sandboxes.acumatica.lock:
            sandboxes.acumatica.documents.copy_shipments(
                "SH000101", count, prefix, status="Confirmed", tracking_numbers=[f"1Z{prefix}{i:014d}" for i in
                                                                                 range(count)])

    def list_reads(since: dict[str, int]) -> int:
        now = sandboxes.acumatica.stats_payload()["requests"]
        return sum(n - since.get(route, 0) for route, n in now.items()
                   if route.startswith("GET ") and route.endswith("/Shipment"))

    confirmed_labelled("BD", 450)
    start = dict(sandboxes.acumatica.stats_payload()["requests"])
    first = flow.pull()
    assert list_reads(start) >= 1 + 3  # the ready statuses; the Confirmed ones in pages of 200
    assert not any(nbr.startswith("BD") for nbr in first.shipment_nbrs)  # labelled: nothing to do with them
    sandboxes.advance(hours=1)
    confirmed_labelled("LT", 1)  # the newest change is one the pull drops
    flow.pull()
    before = dict(sandboxes.acumatica.stats_payload()["requests"])

    third = flow.pull()

    assert third.pulled == 0 and list_reads(before) == 2  # each query one short page: only LT000001 again


def test_ups_refusal_fails_the_job_and_a_retry_is_allowed(sandboxes, flow):
    sandboxes.ups.add_fault("/api/shipments", status=400, count=1,
                            body={"response": {"errors": [{"code": "120100", "message": "Missing or invalid "
                                                           "shipper number"}]}})
    refused = flow.ship("SH000101", print_labels=False)
    assert not refused.ok and refused.state == State.FAILED and refused.reason == Reason.REFUSED
    assert "Missing or invalid shipper number" in refused.message  # UPS's own words reach the clerk

    retried = flow.ship("SH000101", print_labels=False)
    assert retried.ok and sandboxes.ups.stats_payload()["labels_created"] == 1


def test_lost_answer_is_reconciled_by_reference_without_a_second_label(sandboxes, flow, read_acumatica):
    sandboxes.ups.add_fault("/api/shipments", drop_after_handling=True, count=1)

    outcome = flow.ship("SH000102", print_labels=False)

    assert outcome.ok and outcome.state == State.WRITTEN_BACK
    assert sandboxes.ups.stats_payload()["labels_created"] == 1
    assert ship_requests(sandboxes) == 1
    assert read_acumatica("SH000102").tracking_numbers == outcome.tracking_numbers
    actions = [e.action for e in reversed(_audit("SH000102"))]
    assert actions[actions.index("label_requested"):][:5] == [  # "claimed": on the Acumatica shipment's note
        "label_requested", "claimed", "uncertain", "reconciled_found", "tracking_written"]


def test_uncertain_label_is_bought_again_only_on_the_users_decision(sandboxes, flow):
    sandboxes.ups.add_fault("/api/shipments", drop=True, count=1)  # lost before UPS made anything

    first = flow.ship("SH000104", print_labels=False)
    assert not first.ok and first.state == State.UNCERTAIN and first.reason == Reason.UNCERTAIN
    assert "--force-new-label" in first.message  # the sentence says how to decide
    again = flow.ship("SH000104", print_labels=False)
    assert again.reason == Reason.UNCERTAIN and ship_requests(sandboxes) == 1

    forced = flow.ship("SH000104", print_labels=False, force_new_label=True)
    assert forced.ok and sandboxes.ups.stats_payload()["labels_created"] == 1
    assert flow.reconcile_uncertain() == []  # nothing left to settle, no duplicate to void
    assert sandboxes.ups.stats_payload()["voided"] == 0


def test_failed_write_back_keeps_the_label_and_is_retried(sandboxes, flow, read_acumatica):
    files_route = "/AcumaticaERP/entity/Default/24.200.001/Shipment/SH000105/files"
    sandboxes.acumatica.add_fault(files_route, status=500, count=1)

    outcome = flow.ship("SH000105", print_labels=False)
    assert not outcome.ok and outcome.state == State.LABELLED and outcome.reason == Reason.WRITEBACK_PENDING
    assert repository.latest_job("SH000105").last_error  # kept for the detail pane; no person needed: retried
    assert repository.get_shipment("SH000105").attention_reason == ""

    retried = flow.retry_writebacks()
    assert [o.state for o in retried] == [State.WRITTEN_BACK]
    assert sandboxes.ups.stats_payload()["labels_created"] == 1
    files = " ".join(f.filename for f in read_acumatica("SH000105").files)
    assert f"Label #{outcome.tracking_numbers[0]}.gif" in files


def test_a_carrier_plugin_is_detected_in_acumatica_without_being_configured(sandboxes, make_flow, read_acumatica):
    flow = make_flow(acumatica={"confirm_after_label": True},
                     ups={"services": {**make_flow().config.ups.services, "UPSPLUGIN": "03"}})
    plugin = flow.ship("SH000112", print_labels=False)

    assert plugin.ok and read_acumatica("SH000112").status == "Open"  # not confirmed: no second label
    assert any("carrier plug-in" in w for w in plugin.warnings)
    assert sandboxes.acumatica.stats_payload()["confirmations"] == 0


def test_a_plugin_chosen_but_not_switched_on_is_confirmed(sandboxes, make_flow, read_acumatica):
    """Acumatica runs a plug-in only when the Ship Via's External Plug-in box (IsExternal) is ticked."""
    with sandboxes.acumatica.lock:
        sandboxes.acumatica.documents.shipment("SH000101")["ShipVia"] = "UPSPLUGOFF"
    flow = make_flow(acumatica={"confirm_after_label": True},
                     ups={"services": {**make_flow().config.ups.services, "UPSPLUGOFF": "03"}})

    outcome = flow.ship("SH000101", print_labels=False)

    assert outcome.ok and outcome.warnings == ()
    after = read_acumatica("SH000101")
    assert after.status == "Confirmed" and after.tracking_numbers == outcome.tracking_numbers


@pytest.mark.parametrize("how", ["field not shown", "Acumatica refused"])
def test_a_ship_via_whose_plugin_cannot_be_told_is_not_confirmed(sandboxes, make_flow, read_acumatica, how):
    if how == "field not shown":  # an instance that shows the plug-in but not the External Plug-in box
        with sandboxes.acumatica.lock:
            via = next(v for v in sandboxes.acumatica.documents.ship_vias if v["CarrierID"] == "UPSGROUND")
            for view in via["custom"].values():
                view.pop("IsExternal")
    else:
        sandboxes.acumatica.add_fault(route="/AcumaticaERP/entity/Default/24.200.001/ShipVia", status=500)
    flow = make_flow(acumatica={"confirm_after_label": True})

    outcome = flow.ship("SH000101", print_labels=False)

    assert outcome.ok and read_acumatica("SH000101").status == "Open"
    assert any("cannot tell whether Ship Via UPSGROUND runs Acumatica's carrier plug-in" in w
               for w in outcome.warnings)
    assert sandboxes.acumatica.stats_payload()["confirmations"] == 0


def test_confirm_after_label_confirms_but_never_a_carrier_plugin_ship_via(sandboxes, make_flow, read_acumatica):
    flow = make_flow(acumatica={"confirm_after_label": True, "carrier_plugin_ship_vias": ("UPSPLUGIN",)},
                     ups={"services": {**make_flow().config.ups.services, "UPSPLUGIN": "03"}})
    confirmed = flow.ship("SH000101", print_labels=False)
    plugin = flow.ship("SH000112", print_labels=False)

    assert confirmed.ok and read_acumatica("SH000101").status == "Confirmed"
    assert plugin.ok and read_acumatica("SH000112").status == "Open"
    assert any("carrier plug-in" in w for w in plugin.warnings)
    assert sandboxes.acumatica.stats_payload()["confirmations"] == 1


@pytest.mark.parametrize("switch", [{"correct_confirmed": True}, {"acumatica": {"correct_confirmed": True}}],
                         ids=["option", "admin setting"])
def test_confirmed_shipment_is_corrected_labelled_and_confirmed_again(sandboxes, make_flow, read_acumatica, switch):
    assert make_flow().ship("SH000115", print_labels=False).state == State.NEEDS_ATTENTION

    outcome = make_flow(**switch).ship("SH000115", print_labels=False)

    assert outcome.ok
    after = read_acumatica("SH000115")
    assert after.status == "Confirmed" and after.tracking_numbers == outcome.tracking_numbers


def test_void_goes_to_ups_first_then_clears_acumatica(sandboxes, flow, read_acumatica):
    shipped = flow.ship("SH000101", print_labels=False)
    outcome = flow.void("SH000101")

    assert outcome.ok and outcome.state == State.VOIDED and outcome.reason == Reason.VOIDED
    assert sandboxes.ups.stats_payload()["voided"] == 1
    in_acumatica = read_acumatica("SH000101")
    assert in_acumatica.tracking_numbers == ()
    # customer service sees the void on the note; the label file stays attached, and the line says so
    (line,) = [x for x in in_acumatica.note.splitlines() if x.startswith("[shipdesk]")]
    assert line.startswith(f"[shipdesk] UPS label {shipped.tracking_numbers[0]} voided on "
                           f"{date.today().isoformat()} by {os_user()};")
    assert "label file stays attached" in line
    assert any(f.filename.endswith(f"Label #{shipped.tracking_numbers[0]}.gif") for f in in_acumatica.files)
    # voided shipments can be labelled again
    again = flow.ship("SH000101", print_labels=False)
    assert again.ok and again.tracking_numbers != shipped.tracking_numbers


def test_the_command_line_flag_overrides_the_admin_setting(make_flow):
    assert make_flow(acumatica={"correct_confirmed": True}).correct_confirmed
    assert not make_flow(acumatica={"correct_confirmed": True}, correct_confirmed=False).correct_confirmed
    assert make_flow(correct_confirmed=True).correct_confirmed and not make_flow().correct_confirmed


def test_void_refused_by_ups_changes_nothing_in_acumatica(sandboxes, flow, read_acumatica):
    shipped = flow.ship("SH000101", print_labels=False)
    sandboxes.ups.add_fault("/api/shipments", status=400, count=1,
                            body={"response": {"errors": [{"code": "190117", "message": "Void period over"}]}})
    with pytest.raises(Exception, match="Void period over"):
        flow.void("SH000101")
    assert read_acumatica("SH000101").tracking_numbers == shipped.tracking_numbers
    assert repository.latest_job("SH000101").state is State.WRITTEN_BACK


def test_no_automatic_printing_when_the_admin_turned_it_off(sandboxes, make_flow, tmp_path):
    flow = make_flow(printing={"print_after_label": False})

    shipped = flow.ship("SH000102", print_labels=True)

    printed_dir = tmp_path / "data" / "printed"
    assert shipped.ok and not shipped.printed
    assert not printed_dir.exists() or not list(printed_dir.iterdir())
    flow.reprint("SH000102")  # a reprint is an explicit request: it prints
    assert len(list(printed_dir.iterdir())) == 1


def test_reprint_uses_the_folder_and_recovers_a_missing_label(sandboxes, flow, tmp_path):
    shipped = flow.ship("SH000102", print_labels=True)  # demo printer: files in data/printed
    printed_dir = tmp_path / "data" / "printed"
    assert shipped.printed and len(list(printed_dir.iterdir())) == 1

    def recoveries() -> int:
        return sandboxes.ups.stats_payload()["requests"].get("POST /api/labels/{version}/recovery", 0)

    flow.reprint("SH000102")
    assert recoveries() == 0 and len(list(printed_dir.iterdir())) == 2

    # a store of its own: the label is in this PC's folder, not a second time in the database (the shared
    # store keeps every label for the other stations: tests/stations)
    assert flow.context.store.db.execute_sql('SELECT COUNT(*) FROM "label_file"').fetchone()[0] == 0
    # a label the folder lost: UPS Label Recovery, kept again
    flow.context.archive.find("SH000102", shipped.tracking_numbers[0]).unlink()
    flow.reprint("SH000102")
    assert recoveries() == 1 and len(list(printed_dir.iterdir())) == 3
    assert flow.context.archive.find("SH000102", shipped.tracking_numbers[0]) is not None
    flow.reprint("SH000102")
    assert recoveries() == 1  # from the folder again


def test_ambiguous_address_ships_to_the_candidate_the_clerk_chose(sandboxes, flow, read_acumatica):
    assert flow.ship("SH000120", print_labels=False).state == State.NEEDS_ATTENTION
    candidates = flow.validate_address("SH000120").candidates
    chosen = next(i for i, c in enumerate(candidates) if c.address.state == "MA")

    flow.choose_candidate("SH000120", chosen)
    outcome = flow.ship("SH000120", print_labels=False)

    assert outcome.ok and read_acumatica("SH000120").tracking_numbers == outcome.tracking_numbers
    ship_to = repository.latest_job("SH000120").request["ShipmentRequest"]["Shipment"]["ShipTo"]["Address"]
    assert ship_to["StateProvinceCode"] == "MA" and ship_to["PostalCode"].startswith("01103")


def test_rate_quotes_the_address_candidate_the_clerk_chose(sandboxes, flow, monkeypatch):

    asked: list[dict] = []
    route = next(r for r in sandboxes.ups.routes if "/api/rating/" in r.template)
    original = route.handler

    def recording(request):
        asked.append(json.loads(request.body)["RateRequest"]["Shipment"]["ShipTo"]["Address"])
        return original(request)

    monkeypatch.setattr(route, "handler", recording)
    candidates = flow.validate_address("SH000120").candidates
    chosen = next(i for i, c in enumerate(candidates) if c.address.state == "MA")
    flow.choose_candidate("SH000120", chosen)

    flow.rate("SH000120")

    assert asked and asked[-1]["StateProvinceCode"] == "MA" and asked[-1]["PostalCode"].startswith("01103")


def test_validate_address_keeps_ups_answer_for_the_list(sandboxes, flow):
    assert flow.validate_address("SH000101").status == "valid"
    assert flow.validate_address("SH000119").status == "no_candidates"
    assert repository.get_shipment("SH000101").address_status == "valid"
    assert repository.get_shipment("SH000119").address_status == "no_candidates"


def test_rate_quotes_the_mapped_service_and_shops_all(sandboxes, flow):
    (quote,) = flow.rate("SH000101")
    assert quote.service_code == "03" and quote.total.amount > 0
    assert len(flow.rate("SH000101", shop=True)) > 1
    assert ship_requests(sandboxes) == 0


def test_ship_many_reports_every_shipment_and_can_be_cancelled(sandboxes, flow):
    import threading

    cancel = threading.Event()
    seen = []

    def progress(event):
        seen.append((event.shipment_nbr, event.step))
        if event.step == "done" and event.done == 2:
            cancel.set()

    outcomes = flow.ship_many(["SH000111", "SH000101", "SH000102", "SH000104"], cancel, progress,
                              print_labels=False)
    assert [(o.shipment_nbr, o.ok) for o in outcomes] == [("SH000111", False), ("SH000101", True)]
    assert ("SH000102", "starting") not in seen


def test_a_database_that_refuses_the_label_fails_that_shipment_only_and_the_label_is_found_again(
        sandboxes, flow, monkeypatch):
    """"database is locked" in record_label after UPS made the label (the sync's writes held the database past
    the busy timeout): that shipment is uncertain, the batch goes on, and reconciliation keeps UPS's label."""
    import peewee

    from shipdesk.core.store import jobs

    real_record_label = jobs.record_label
    refusals = []

    def locked_once(job_id, result, **kwargs):
        if not refusals:
            refusals.append(job_id)
            raise peewee.OperationalError("database is locked")
        return real_record_label(job_id, result, **kwargs)

    monkeypatch.setattr(jobs, "record_label", locked_once)

    first, second = flow.ship_many(["SH000101", "SH000102"], print_labels=False)

    assert not first.ok and first.state == State.UNCERTAIN and first.reason == Reason.UNCERTAIN
    assert "could not save it in its local database" in first.message and "Do not ship it again" in first.message
    assert second.ok
    assert repository.get_shipment("SH000101").state == State.UNCERTAIN.value
    assert sandboxes.ups.stats_payload()["labels_created"] == 2

    flow.reconcile_uncertain()

    job = repository.latest_job("SH000101")
    assert job.job_id == refusals[0] and job.tracking_numbers  # UPS's label, found by reference and kept
    assert repository.get_shipment("SH000101").state in (State.LABELLED.value, State.WRITTEN_BACK.value)
    assert sandboxes.ups.stats_payload()["labels_created"] == 2  # no second label


def _audit(nbr):
    return audit_log.entries(nbr)


def test_freight_cost_is_written_with_the_tracking_numbers_when_configured(sandboxes, make_flow, read_acumatica):
    flow = make_flow(acumatica={"write_freight_cost": True})
    assert flow.ship("SH000101", print_labels=False).ok
    job = repository.latest_job("SH000101")
    expected = job.negotiated_charges if job.negotiated_charges is not None else job.charges
    assert expected and read_acumatica("SH000101").freight_cost == expected


def test_shipment_confirmed_before_write_back_is_corrected_only_when_allowed(sandboxes, make_flow, read_acumatica,
                                                                            monkeypatch):
    from shipdesk.acumatica.auth import CookieAuth
    from shipdesk.acumatica.client import AcumaticaClient
    from shipdesk.core.shipping import after_label

    real_write_back = after_label.write_back

    def someone_confirms_it_first(acu, job, **kw):
        with AcumaticaClient(url=sandboxes.acumatica_url, version="24.200.001",
                             auth=CookieAuth("admin", "demo", "Demo"), action_poll_seconds=0.02) as other:
            other.confirm_shipment("SH000101")
        monkeypatch.setattr(after_label, "write_back", real_write_back)
        return real_write_back(acu, job, **kw)

    monkeypatch.setattr(after_label, "write_back", someone_confirms_it_first)
    outcome = make_flow().ship("SH000101", print_labels=False)
    assert outcome.state == State.LABELLED and outcome.reason == Reason.WRITEBACK_PENDING
    assert "read-only" in outcome.message  # why: the clerk must correct the shipment (or let shipdesk)
    assert read_acumatica("SH000101").tracking_numbers == ()

    (retried,) = make_flow(correct_confirmed=True).retry_writebacks()

    assert retried.ok and sandboxes.ups.stats_payload()["labels_created"] == 1
    after = read_acumatica("SH000101")
    assert after.status == "Confirmed" and after.tracking_numbers == outcome.tracking_numbers


def test_duplicate_found_after_a_forced_new_label_is_voided(sandboxes, flow, read_acumatica, monkeypatch):
    from shipdesk.core.shipping import reconcile

    real_search = reconcile.reference_search
    monkeypatch.setattr(reconcile, "reference_search", lambda *a, **kw: [])  # UPS not indexed it yet
    sandboxes.ups.add_fault("/api/shipments", drop_after_handling=True, count=1)
    assert flow.ship("SH000101", print_labels=False).state == State.UNCERTAIN
    forced = flow.ship("SH000101", print_labels=False, force_new_label=True)
    assert forced.ok and sandboxes.ups.stats_payload()["labels_created"] == 2

    monkeypatch.setattr(reconcile, "reference_search", real_search)  # now UPS finds both
    flow.reconcile_uncertain()

    assert sandboxes.ups.stats_payload()["voided"] == 1
    assert read_acumatica("SH000101").tracking_numbers == forced.tracking_numbers
    assert AuditAction.DUPLICATE_VOIDED in [e.action for e in _audit("SH000101")]
    flow.reconcile_uncertain()
    assert sandboxes.ups.stats_payload()["voided"] == 1  # voided once, never again


def test_a_write_back_running_in_another_worker_is_not_run_twice(sandboxes, flow, read_acumatica):
    """The sync's retry and the window that just labelled must not both write back (and confirm) one job."""
    sandboxes.acumatica.add_fault("/AcumaticaERP/entity/Default/24.200.001/Shipment/SH000105/files",
                                  status=500, count=1)
    outcome = flow.ship("SH000105", print_labels=False)
    assert outcome.state == State.LABELLED
    label_file = f"Label #{outcome.tracking_numbers[0]}.gif"

    other_worker = flow.locks.lock(outcome.job_id)
    assert other_worker.acquire()  # e.g. the desktop app writing this label back right now
    try:
        assert flow.retry_writebacks() == []  # left to that worker: nothing written, no failure reported
        assert repository.latest_job("SH000105").state is State.LABELLED
        assert label_file not in " ".join(f.filename for f in read_acumatica("SH000105").files)
    finally:
        other_worker.release()

    (done,) = flow.retry_writebacks()
    assert done.ok and done.state == State.WRITTEN_BACK
    assert label_file in " ".join(f.filename for f in read_acumatica("SH000105").files)


def test_the_sync_cannot_take_over_a_label_the_window_is_still_printing(sandboxes, make_flow, read_acumatica,
                                                                       tmp_path):
    import threading

    from shipdesk.core.shipping.checkpoints import Step

    seen: list = []

    def sync_runs_now(step: Step) -> None:
        if step == Step.AFTER_LABEL:  # UPS answered and the label is committed; not printed yet
            worker = threading.Thread(target=lambda: seen.extend(flow.retry_writebacks()))
            worker.start()
            worker.join(timeout=30)

    flow = make_flow(checkpoint=sync_runs_now)
    outcome = flow.ship("SH000101", print_labels=True)

    assert seen == []  # the sync left the label to the window
    assert outcome.ok and outcome.printed and outcome.state == State.WRITTEN_BACK
    assert len(list((tmp_path / "data" / "printed").iterdir())) == 1  # printed once, by the window
    assert list(read_acumatica("SH000101").tracking_numbers) == list(outcome.tracking_numbers)


def test_each_operation_tells_the_shipments_it_changed_once(sandboxes, flow):
    heard: list[ShipmentsChanged] = []
    flow.context.events.subscribe(ShipmentsChanged, heard.append)

    pulled = flow.pull()
    flow.ship_many(["SH000101", "SH000111"], print_labels=False)
    flow.void("SH000101")
    flow.reconcile_uncertain()  # nothing left behind: nothing changed, nothing told

    assert "SH000101" in pulled.shipment_nbrs
    assert [e.shipment_nbrs for e in heard] == [pulled.shipment_nbrs, ("SH000101", "SH000111"), ("SH000101",)]


def test_a_broken_printer_is_a_warning_with_its_own_reason(sandboxes, make_flow):
    def out_of_paper(*_args):
        raise PrintError("The label printer is out of labels.")

    outcome = make_flow(printer=out_of_paper, printing={"print_after_label": True}).ship("SH000101")

    assert outcome.ok and outcome.state == State.WRITTEN_BACK and not outcome.printed
    assert outcome.reason == Reason.PRINT_FAILED
    assert any("not printed" in w and "out of labels" in w for w in outcome.warnings)


def test_credentials_refused_at_the_ship_call_mean_no_label_was_made(sandboxes, flow):
    sandboxes.ups.add_fault("/api/shipments", status=401, count=2)  # the fresh token is refused too

    outcome = flow.ship("SH000101", print_labels=False)

    assert not outcome.ok and outcome.state == State.FAILED and outcome.reason == Reason.NOT_SENT
    assert sandboxes.ups.stats_payload()["labels_created"] == 0
    assert flow.ship("SH000101", print_labels=False).reason == Reason.LABELLED  # a retry is allowed


def test_a_void_acumatica_did_not_take_says_so_and_can_be_repeated(sandboxes, flow, read_acumatica):
    shipped = flow.ship("SH000101", print_labels=False)
    sandboxes.acumatica.add_fault("/AcumaticaERP/entity/Default/24.200.001/Shipment", status=500, count=20)

    outcome = flow.void("SH000101")

    assert not outcome.ok and outcome.state == State.VOIDED and outcome.reason == Reason.VOID_NOT_CLEARED
    sandboxes.acumatica.clear_faults()
    assert read_acumatica("SH000101").tracking_numbers == shipped.tracking_numbers  # still there
    again = flow.void("SH000101")
    assert again.ok and again.reason == Reason.VOIDED and read_acumatica("SH000101").tracking_numbers == ()
    assert sandboxes.ups.stats_payload()["voided"] == 1  # UPS was asked once


def test_one_shipment_that_cannot_be_read_does_not_stop_the_others(sandboxes, flow):
    missing, shipped = flow.ship_many(["SH999999", "SH000101"], print_labels=False)

    assert not missing.ok and missing.reason == Reason.ERROR and "SH999999" in missing.message
    assert shipped.ok and shipped.reason == Reason.LABELLED


def test_a_shipment_number_with_a_slash_is_labelled_written_back_noted_and_voided(sandboxes, make_flow,
                                                                                  read_acumatica):
    """Pulled as ready, then every call by key path named two keys and failed with 404 (issue 12.10)."""
    flow = make_flow()
    nbr = "SH000136/B"
    assert nbr in flow.pull().shipment_nbrs and nbr in flow.ready_shipments()

    outcome = flow.ship(nbr, print_labels=False)

    assert outcome.ok and outcome.state == State.WRITTEN_BACK, outcome.message
    in_acumatica = read_acumatica(nbr)
    assert in_acumatica.tracking_numbers == outcome.tracking_numbers
    assert any(f"Label #{outcome.tracking_numbers[0]}" in f.filename for f in in_acumatica.files)
    voided = flow.void(nbr)
    assert voided.ok and read_acumatica(nbr).tracking_numbers == ()
    assert "voided" in read_acumatica(nbr).note


def test_address_validation_missing_from_the_ups_app_costs_one_token_and_shipping_goes_on(sandboxes, flow):
    """UPS answers 401/250002 for a product not added to the app, even with a brand new token (issue 12.2)."""
    sandboxes.ups.products_off = {"address_validation"}

    outcomes = flow.ship_many(["SH000101", "SH000102", "SH000103"], print_labels=False)

    assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    first, *others = outcomes
    assert any("Address Validation API is not added to this app in the UPS developer portal" in w
               for w in first.warnings)
    assert all(w.startswith("Address not validated: UPS Address Validation is not enabled")
               for o in others for w in o.warnings if "Address" in w)
    assert sandboxes.ups.stats_payload()["tokens_granted"] == 1  # not two per attempt
    assert sandboxes.ups.stats_payload()["requests"]["POST /api/addressvalidation/{version}/{requestoption}"] == 1
    assert repository.get_shipment("SH000102").address_status == "not_validated"
