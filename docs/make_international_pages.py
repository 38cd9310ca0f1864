"""Make the international pages of ``docs/``: a label and its two invoices, from the seeded day.

    python docs/make_international_pages.py [OUT_DIR]

Starts the sandboxes and ships the Stuttgart shipment SH000107 as ``shipdesk --demo ship`` does (the demo
settings, the demo's "Save PDF" printer), once with UPS's invoice (``[international] invoice = "ups"``,
the default) and once, on a fresh seeded day, with shipdesk's own (``invoice = "shipdesk"``). Then turns
into PNGs with ``pdftoppm`` (poppler-utils): the printed 4x6 label (``international-label.png``), the
commercial invoice UPS returned in ``ShipmentResults.Form`` (``international-invoice-ups.png``) and
shipdesk's reportlab invoice (``international-invoice-shipdesk.png``). Only OUT_DIR and temporary folders
are written.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a source checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shipdesk.core.context import AppContext
from shipdesk.core.settings.config import InvoiceSource
from shipdesk.core.shipping.flow import ShipFlow
from shipdesk.demo.launcher import DEMO_SECRETS
from shipdesk.demo.settings import demo_config
from shipdesk.sandbox import Sandboxes, start_sandboxes

SHIPMENT = "SH000107"


def ship(sandboxes: Sandboxes, data: Path, invoice: InvoiceSource) -> AppContext:
    base = demo_config(sandboxes.acumatica_url, sandboxes.ups_url)
    config = replace(base, international=replace(base.international, invoice=invoice))
    context = AppContext.from_config(config, data_dir=data, demo=True, secret_values=DEMO_SECRETS)
    flow = ShipFlow(context)
    flow.pull()
    outcome = flow.ship(SHIPMENT)
    if not outcome.ok:
        raise SystemExit(outcome.message)
    return context


def page(pdf: Path, out: Path, *, dpi: int) -> None:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                    str(out.with_suffix(""))], check=True)


def main(out_dir: Path) -> None:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm (poppler-utils) is needed to render the pages.")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp, start_sandboxes() as sandboxes:
        for invoice, name in ((InvoiceSource.UPS, "ups"), (InvoiceSource.SHIPDESK, "shipdesk")):
            sandboxes.reset()
            context = ship(sandboxes, Path(temp) / name, invoice)
            try:
                pdf = next(context.paths.labels.rglob(f"{SHIPMENT}/invoice-*.pdf"))
                page(pdf, out_dir / f"international-invoice-{name}.png", dpi=80)
                if invoice is InvoiceSource.UPS:
                    label = sorted((context.paths.root / "printed").glob(f"{SHIPMENT} *-1.pdf"))[0]
                    page(label, out_dir / "international-label.png", dpi=60)
            finally:
                context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
