"""Run one benchmark module in this process and write its measures as JSON (the runner's child).

    python -m benchmarks._run_one NAME OPTIONS_JSON OUT_FILE
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from pathlib import Path

from benchmarks._harness import Options, report, say, to_json


def main(argv: list[str]) -> int:
    name, options_json, out = argv
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # the UI benchmarks need no screen
    raw = json.loads(options_json)
    options = Options(**{**raw, "sync_settings": tuple(raw.get("sync_settings", ()))})
    module = importlib.import_module(f"benchmarks.bench_{name}")
    try:
        measures = module.run(options)
    except Exception:
        traceback.print_exc()
        return 1
    report(measures)
    Path(out).write_text(json.dumps(to_json(measures)), encoding="utf-8")
    say("")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
