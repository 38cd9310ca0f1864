"""UPS made the label but its data is unusable: the tracking numbers are kept, Reprint recovers the label."""

from __future__ import annotations

import pytest
import requests

from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.store import repository

from .conftest import ship_requests

SHIPMENT = "SH000103"  # three packages
RECOVERY = "POST /api/labels/{version}/recovery"
WHAT_WAS_WRONG = {
    "truncated": "The GIF label from UPS is cut off or damaged",
    "html": "UPS sent a web page (HTML) instead of the label",
    "empty": "UPS sent an empty label",
}


def corrupt_labels(sandboxes, how: str) -> None:
    answer = requests.post(f"{sandboxes.ups_url}/_sandbox/options", json={"corrupt_labels": how}, timeout=5)
    assert answer.status_code == 200 and answer.json()["corrupt_labels"] == how


def recoveries(sandboxes) -> int:
    return int(sandboxes.ups.stats_payload()["requests"].get(RECOVERY, 0))


@pytest.mark.parametrize("how", ["truncated", "html", "empty"])
def test_bad_label_data_keeps_the_tracking_numbers_and_reprint_recovers_the_labels(
        sandboxes, flow, read_acumatica, tmp_path, how):
    corrupt_labels(sandboxes, how)
    printed_dir = tmp_path / "data" / "printed"

    outcome = flow.ship(SHIPMENT, print_labels=True)

    # labelled and written back with every 1Z number and the charges
    assert outcome.ok and outcome.state == State.WRITTEN_BACK and len(set(outcome.tracking_numbers)) == 3
    assert outcome.reason == Reason.LABEL_UNREADABLE
    job = repository.latest_job(SHIPMENT)
    assert job.charges is not None and job.label_paths == []
    assert sorted(read_acumatica(SHIPMENT).tracking_numbers) == sorted(outcome.tracking_numbers)
    # one sentence: what was wrong, and that Reprint fetches the labels with Label Recovery
    (problem,) = [w for w in outcome.warnings if "Label Recovery" in w]
    assert problem.startswith(WHAT_WAS_WRONG[how]) and "(3 of 3 labels)" in problem and "Reprint" in problem
    assert not outcome.printed and not printed_dir.exists()
    # the raw data is archived under a name that says it is undecodable; nothing unusable is attached
    for number in outcome.tracking_numbers:
        assert flow.context.archive.find(SHIPMENT, number) is None
        raw = flow.context.archive.find(SHIPMENT, f"{number}-undecodable")
        assert raw is not None and raw.name == f"{number}-undecodable.raw"
        assert (b"502 Bad Gateway" in raw.read_bytes()) if how == "html" else True
        assert (raw.read_bytes() == b"") == (how == "empty")
    assert not [f for f in read_acumatica(SHIPMENT).files if "Label #" in f.filename]
    assert recoveries(sandboxes) == 0

    reprinted = flow.reprint(SHIPMENT)

    assert reprinted.ok and reprinted.warnings == () and reprinted.reason == Reason.REPRINTED
    assert recoveries(sandboxes) == 3 and len(list(printed_dir.iterdir())) == 3  # one file per label
    files = " ".join(f.filename for f in read_acumatica(SHIPMENT).files)
    for number in outcome.tracking_numbers:
        assert flow.context.archive.find(SHIPMENT, number).suffix == ".gif"
        assert f"Label #{number}.gif" in files  # attached once recovered
    assert ship_requests(sandboxes) == 1 and sandboxes.ups.stats_payload()["labels_created"] == 3

    flow.reprint(SHIPMENT)  # from the archive now
    assert recoveries(sandboxes) == 3


def test_a_write_back_retry_never_attaches_unusable_label_data(sandboxes, flow, read_acumatica, monkeypatch):
    from shipdesk.core.shipping import after_label
    from shipdesk.errors import WriteBackProblem

    def acumatica_busy(*_args, **_kw):
        monkeypatch.undo()
        raise WriteBackProblem("Acumatica is busy.")

    corrupt_labels(sandboxes, "truncated")
    monkeypatch.setattr(after_label, "write_back", acumatica_busy)
    first = flow.ship("SH000101", print_labels=False)
    assert first.state == State.LABELLED and any("Label Recovery" in w for w in first.warnings)

    (retried,) = flow.retry_writebacks()

    assert retried.ok and read_acumatica("SH000101").tracking_numbers == first.tracking_numbers
    assert not [f for f in read_acumatica("SH000101").files if "Label #" in f.filename]
    assert recoveries(sandboxes) == 0


def test_the_control_option_refuses_an_unknown_corruption(sandboxes):
    answer = requests.post(f"{sandboxes.ups_url}/_sandbox/options", json={"corrupt_labels": "upside-down"},
                           timeout=5)
    assert answer.status_code == 400 and "truncated, html, empty" in answer.json()["message"]
    assert requests.post(f"{sandboxes.ups_url}/_sandbox/options", json={"corrupt_labels": None},
                         timeout=5).json()["corrupt_labels"] == ""


def test_a_label_folder_that_cannot_be_written_never_costs_the_tracking_numbers(
        sandboxes, flow, read_acumatica, monkeypatch):
    from shipdesk.errors import StoreError
    from shipdesk.labels.archive import LabelArchive

    def disk_full(self, shipment_nbr, tracking, *_args, **_kw):
        raise StoreError(f"The label {tracking} could not be saved in the label folder (No space left on device).")

    monkeypatch.setattr(LabelArchive, "store", disk_full)

    outcome = flow.ship("SH000101", print_labels=True)

    # UPS made the label: its numbers are in the store and in Acumatica, not lost to an "uncertain" job; the
    # label itself is kept in the store (the folder is only this PC's cache), so it prints and is attached
    job = repository.latest_job("SH000101")
    assert job.state in (State.LABELLED, State.WRITTEN_BACK)
    assert outcome.tracking_numbers and job.tracking_numbers == list(outcome.tracking_numbers)
    assert list(read_acumatica("SH000101").tracking_numbers) == list(outcome.tracking_numbers)
    assert outcome.printed and outcome.reason == Reason.LABELLED
    [attached] = read_acumatica("SH000101").files
    assert attached.filename.endswith(f"Label #{outcome.tracking_numbers[0]}.gif")
    assert ship_requests(sandboxes) == 1

    monkeypatch.undo()
    flow.ship("SH000101", print_labels=False)  # a later run finishes the job: still one label
    assert ship_requests(sandboxes) == 1
