"""The label preview of a ZPL label, as the app's detail pane asks for it (a PNG at most 720 pixels high).

Two labels: the one the UPS sandbox prints (text, boxes, a Code 128), and the same with a 200 x 100
dot ^GFA graphic in it (UPS's own ZPL carries its logo and parts of the MaxiCode that way). Each
preview is timed alone, several times a run; the measure is the slower label's median per run.
"""

from __future__ import annotations

import statistics
import time

from benchmarks._harness import Measure, Options, say
from benchmarks._product import decode_label, preview_png
from shipdesk.sandbox.ups.labels import LabelContent, render

NAME = "zpl_preview"
TITLE = "ZPL label preview (the detail pane's PNG)"
MAX_HEIGHT = 720  # what the detail pane asks for (ui.store_views)
TARGET_MS = 40.0
TIMES_A_RUN = 10


def labels() -> dict[str, bytes]:
    content = LabelContent(
        "1ZA1B2C30312345678", "UPS Ground", ["ACME Industrial Supply", "100 Main St", "ATLANTA GA 30301"],
        ["Jürgen Müller", "Müller Präzisionstechnik GmbH", "1 Main St", "NEW YORK NY 10001"], "5 LBS", 1, 1,
        "2026-11-25", ["SH000101", "SO005101"])
    plain = render(content, "ZPL").graphic
    per_row, rows = 25, 100  # 200 x 100 dots
    pattern = "".join(("F0" if (r // 10) % 2 else "0F") * per_row for r in range(rows))
    graphic = f"^FO560,120^GFA,{per_row * rows},{per_row * rows},{per_row},{pattern}^FS\n".encode()
    with_graphic = plain.replace(b"^XZ", graphic + b"^XZ")
    return {"sandbox label": plain, "with a ^GFA graphic": with_graphic}


def run(options: Options) -> list[Measure]:
    measure = Measure("ZPL preview, one label", " ms", options.target(TARGET_MS))
    decoded = {name: decode_label("ZPL", data) for name, data in labels().items()}
    for label in decoded.values():
        preview_png(label, max_height=MAX_HEIGHT)  # fonts loaded once per app run, not per label
    times = 3 if options.quick else TIMES_A_RUN
    for run in range(options.runs):
        medians = {}
        for name, label in decoded.items():
            samples = []
            for _ in range(times):
                started = time.perf_counter()
                preview_png(label, max_height=MAX_HEIGHT)
                samples.append(1000 * (time.perf_counter() - started))
            medians[name] = statistics.median(samples)
        say(f"    run {run + 1}: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in medians.items()))
        measure.add(max(medians.values()))
    return [measure]
