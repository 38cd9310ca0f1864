"""Done-when of issue 15: a scripted run ships 10 shipments through a simulated SICS scale on a pseudo-terminal,
with a box chosen for each and one service changed; the day summary (store query → PDF) matches the UPS sandbox's
own stats: labels created and voided, negotiated and published charges."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest

from shipdesk.core.day_report import day_summary, write_day_report
from shipdesk.core.packing_run import run_station
from shipdesk.demo.packing_day import PLAN
from shipdesk.devices.scales import ScaleKind, ScaleSettings, open_scale
from tests.devices.conftest import serial_scale  # noqa: F401  (the fixture)


def pdf_lines(pdf) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(line.split()) for line in text.splitlines()]


def test_ten_shipments_through_the_scale_and_the_day_summary_matches_ups(make_flow, sandboxes, serial_scale,  # noqa: F811
                                                                         read_acumatica, tmp_path):
    simulator = serial_scale("sics")
    settings = ScaleSettings(kind=ScaleKind.SICS, port=simulator.port)
    flow = make_flow()
    scale = open_scale(settings)
    try:
        steps = run_station(flow, scale, settings, PLAN, lambda w: simulator.put(w, settle=2))
    finally:
        scale.close()

    assert [s.outcome.ok for s in steps] == [True] * 10, [s.outcome.message for s in steps if not s.outcome.ok]
    assert [list(s.weighed) for s in steps] == [[w for _box, w in p.boxes] for p in PLAN]  # what the scale read
    assert [p.box_id for p in read_acumatica("SH000118").packages] == ["LARGE", "LARGE", "MEDIUM", "SMALL"]
    assert steps[0].outcome.tracking_numbers[0][8:10] == "02"  # the changed service
    assert "customer needs it Wednesday" in read_acumatica("SH000101").note

    assert flow.void("SH000105").ok  # one label voided: counted apart, not in the totals

    stats = sandboxes.ups.stats_payload()
    summary = day_summary(flow.context, date.today())
    (total,) = summary.totals
    assert total.shipments == 9 and len(summary.voids) == 1
    assert total.packages == stats["labels_created"] - stats["voided"] == 15
    assert str(total.published) == stats["charges_published"]
    assert str(total.negotiated) == stats["charges_negotiated"]
    assert next(r for r in summary.shipped if r.shipment_nbr == "SH000101").service_code == "02"  # changed

    _, pdf = write_day_report(flow.context, date.today(), "pdf", tmp_path / "day.pdf")
    lines = pdf_lines(pdf)
    total_line = next(line for line in lines if line.startswith("Total ") and "packages" not in line)
    assert total_line.split()[1:3] == ["9", "15"]
    assert stats["charges_negotiated"] in total_line and stats["charges_published"] in total_line
    assert "Total packages 15" in lines
    assert any("SH000105" in line for line in lines)  # listed under the voids


def test_times_from_scan_to_label_are_reported(make_flow, sandboxes, serial_scale):  # noqa: F811
    simulator = serial_scale("sics")
    settings = replace(ScaleSettings(kind=ScaleKind.SICS, port=simulator.port), stable_readings=3)
    flow = make_flow()
    scale = open_scale(settings)
    try:
        (step,) = run_station(flow, scale, settings, PLAN[1:2], lambda w: simulator.put(w, settle=2))
    finally:
        scale.close()
    assert step.outcome.ok and 0 < step.seconds_scan_to_label < 30
