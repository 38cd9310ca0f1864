"""On a shared store every station sees every label: who made it, reprint and void from anywhere, pushes
recorded whoever labelled the package, and a clear word when another station is labelling right now."""

from __future__ import annotations

from datetime import UTC, datetime

from shipdesk.core.domain.outcomes import Reason
from shipdesk.core.domain.states import State
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.core.store import jobs
from shipdesk.core.store import repository as repo
from shipdesk.core.track_alert.push import PushedEvent
from shipdesk.core.track_alert.wiring import store_push
from shipdesk.ui import store_views
from shipdesk.ups.models import TrackEvent

from .conftest import station_context

NBR = "SH000101"


def recoveries(sandboxes) -> int:
    return sandboxes.ups.stats_payload()["requests"].get("POST /api/labels/{version}/recovery", 0)


def test_a_label_made_at_one_station_is_shown_reprinted_and_voided_at_another(sandboxes, postgres_url, tmp_path):
    made_at = station_context(sandboxes, tmp_path / "pack-01", station="PACK-01", store_url=postgres_url)
    other = station_context(sandboxes, tmp_path / "pack-02", station="PACK-02", store_url=postgres_url)
    try:
        labelled = ShipFlow(made_at).ship(NBR, print_labels=True)
        assert labelled.ok and labelled.printed
        here = ShipFlow(other)

        [row] = [r for r in repo.list_shipments().rows if r.shipment_nbr == NBR]
        assert row.station == "PACK-01"
        detail = store_views.detail(NBR, other.config.ups.services, other.archive, station="PACK-02")
        assert detail.labelled_at.startswith("Labelled at PACK-01")
        assert detail.label_previews, "the preview comes from the store: PACK-02's folder has no copy"
        assert store_views.detail(NBR, made_at.config.ups.services, made_at.archive,
                                  station="PACK-01").labelled_at == ""

        again = here.ship(NBR, print_labels=True)  # a clerk at PACK-02 scans the same shipment
        assert again.ok and again.reason == Reason.ALREADY_LABELLED and "labelled at PACK-01" in again.message
        assert not list((tmp_path / "pack-02" / "printed").glob("*")), "another station's label is not printed"

        reprinted = here.reprint(NBR)
        [printed] = list((tmp_path / "pack-02" / "printed").iterdir())
        assert reprinted.ok and printed.stat().st_size > 0
        assert recoveries(sandboxes) == 0  # from the store: no Label Recovery, no second label
        [number] = labelled.tracking_numbers
        made = made_at.archive.load(NBR, number)
        assert made is not None and other.archive.load(NBR, number).data == made.data  # now cached here too

        voided = here.void(NBR)
        assert voided.ok and voided.state == State.VOIDED
        assert sandboxes.ups.stats_payload()["voided"] == 1
        assert repo.latest_job(NBR).state == State.VOIDED  # the first station sees it too: one store
    finally:
        made_at.close()
        other.close()


def test_the_commercial_invoice_is_reprinted_at_another_station_with_the_labels(sandboxes, postgres_url, tmp_path):
    made_at = station_context(sandboxes, tmp_path / "pack-01", station="PACK-01", store_url=postgres_url)
    other = station_context(sandboxes, tmp_path / "pack-02", station="PACK-02", store_url=postgres_url)
    try:
        labelled = ShipFlow(made_at).ship("SH000108", print_labels=True)  # to Great Britain: an invoice goes along
        assert labelled.ok and list((tmp_path / "pack-01" / "printed").glob("*-invoice.pdf"))

        reprinted = ShipFlow(other).reprint("SH000108")

        assert reprinted.ok and reprinted.warnings == ()
        [invoice] = list((tmp_path / "pack-02" / "printed").glob("*-invoice.pdf"))
        assert invoice.read_bytes().startswith(b"%PDF")
    finally:
        made_at.close()
        other.close()


def test_a_station_reaching_a_shipment_another_one_is_labelling_calls_nothing(sandboxes, postgres_url, tmp_path):
    first = station_context(sandboxes, tmp_path / "pack-01", station="PACK-01", store_url=postgres_url)
    second = station_context(sandboxes, tmp_path / "pack-02", station="PACK-02", store_url=postgres_url)
    try:
        labelling = ShipFlow(first)
        labelling.pull()
        job_id = jobs.prepare_label_job(NBR, {}, label_format="GIF", station="PACK-01")
        lock = labelling.locks.lock(job_id)
        assert lock.acquire()  # PACK-01 is between its job's commit and UPS's answer
        jobs.open_label_job(NBR, {}, job_id=job_id, label_format="GIF", station="PACK-01", prepared=True)
        try:
            outcome = ShipFlow(second).ship(NBR, print_labels=False)
        finally:
            lock.release()
        assert not outcome.ok and outcome.reason == Reason.BUSY_ELSEWHERE
        assert outcome.message == f"Shipment {NBR} is being labelled right now at PACK-01."
        assert sandboxes.ups.stats_payload()["requests"].get("POST /api/shipments/{version}/ship", 0) == 0
    finally:
        first.close()
        second.close()


def test_the_track_alert_listener_records_pushes_for_labels_of_any_station(sandboxes, postgres_url, tmp_path):
    made_at = station_context(sandboxes, tmp_path / "pack-01", station="PACK-01", store_url=postgres_url)
    listener_pc = station_context(sandboxes, tmp_path / "server", station="SERVER", store_url=postgres_url)
    try:
        [number] = ShipFlow(made_at).ship(NBR, print_labels=False).tracking_numbers
        scan = TrackEvent("I", "OR", "Origin Scan", "Atlanta, GA, US", datetime(2026, 11, 25, 18, 5, tzinfo=UTC))
        assert store_push(PushedEvent(number, scan), listener_pc.now)
        assert [e.description for e in repo.tracking_events(number)] == ["Origin Scan"]
        assert not store_push(PushedEvent("1ZNOTOURS0000000001", scan), listener_pc.now)
    finally:
        made_at.close()
        listener_pc.close()
