"""Make ``docs/packing-day-summary.png``: a packing station's day, scripted, and the day summary it leaves.

    python docs/make_packing_day.py [OUT_DIR]

Starts the sandboxes and a Mettler Toledo SICS scale simulated on a pseudo-terminal (POSIX), then ships ten
shipments the way a clerk does: scan, each package on the scale (its stable weight read over the serial
protocol), a box chosen, the packages saved to the Acumatica shipment, the label bought; one shipment goes
with another service than its Ship Via's, one label is voided. Prints each shipment's time from the scan to the
label, the sandbox's own count and charges beside the summary's, and turns the summary PDF's first page into a
PNG with ``pdftoppm`` (poppler-utils). Nothing outside OUT_DIR and a temporary folder is written.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a source checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shipdesk.core.context import AppContext
from shipdesk.core.day_report import day_summary, write_day_report
from shipdesk.core.packing_run import run_station
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.packing_day import PLAN
from shipdesk.demo.settings import demo_config
from shipdesk.devices.scales import ScaleKind, ScaleSettings, open_scale
from shipdesk.devices.scales.simulator import SerialScaleSimulator
from shipdesk.sandbox import start_sandboxes


def main(out_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as temp, start_sandboxes() as sandboxes, \
            SerialScaleSimulator("sics") as simulator:
        config = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
        settings = ScaleSettings(kind=ScaleKind.SICS, port=simulator.port)
        with AppContext.from_config(config, data_dir=Path(temp), demo=True, secret_values=DEMO_SECRETS) as context:
            flow = ShipFlow(context)
            scale = open_scale(settings)
            try:
                steps = run_station(flow, scale, settings, PLAN, lambda w: simulator.put(w, settle=2))
            finally:
                scale.close()
            flow.void("SH000105")
            for packed, step in zip(PLAN, steps, strict=True):
                print(f"{packed.shipment_nbr} {len(packed.boxes)} package(s) scan→label "
                      f"{step.seconds_scan_to_label:5.2f}s (weighing {step.seconds_weighing:4.2f}s)  "
                      f"{'OK' if step.outcome.ok else step.outcome.message}")
            times = [s.seconds_scan_to_label for s in steps]
            singles = [s.seconds_scan_to_label for s, p in zip(steps, PLAN, strict=True) if len(p.boxes) == 1]
            print(f"scan→label: median {statistics.median(times):.2f}s, one package median "
                  f"{statistics.median(singles):.2f}s, max {max(times):.2f}s")
            summary = day_summary(context, date.today())
            stats = sandboxes.ups.stats_payload()
            (total,) = summary.totals
            print(f"summary: {total.shipments} shipments, {total.packages} packages, negotiated {total.negotiated}, "
                  f"published {total.published}, {len(summary.voids)} voided")
            print(f"UPS sandbox: {stats['labels_created']} labels created, {stats['voided']} voided, negotiated "
                  f"{stats['charges_negotiated']}, published {stats['charges_published']}")
            _, pdf = write_day_report(context, date.today(), "pdf", Path(temp) / "day-summary.pdf")
            if shutil.which("pdftoppm") is None:
                raise SystemExit("pdftoppm (poppler-utils) is needed to make the PNG")
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(out_dir / "packing-day-summary")], check=True)
            print(f"wrote {out_dir / 'packing-day-summary.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
